"""Blueprint training throughput, worker scaling, memory, and OpenSpiel's C++ ES-MCCFR as a peer.

Build first: buckets (``python -m holdem.cli.build_buckets``) or pass ``--tiny``; peer: ``pip install -e '.[test]'``.

``python benchmarks/train_throughput.py [--buckets FILE | --tiny] [--seconds S]``; the last line is
one JSON object:

- ``iters_per_s_1worker``, ``iters_per_s_2workers``, ``worker_ratio``, ``node_visits_per_s``
  (one worker), ``peak_rss_ratio_2v1``, ``cpu_utilization_*`` (CPU seconds per wall second of the
  training process) and ``parallel_efficiency`` (iterations per CPU second, 2 workers over 1: how
  well the workers scale on the CPU time they actually got, on a machine shared with other jobs):
  heads-up, the default action abstraction
  (``configs/blueprint_training_5h.yaml``) over the given buckets (default
  ``assets/abstraction/precomputed_buckets.pkl``; ``--tiny``: the tiny abstraction that
  ``train_blueprint`` builds and caches on first use);
- ``fcpa_iters_per_s`` (ours, fold/call/pot/all-in, blinds 50/100, stacks 20000, same buckets),
  ``openspiel_fcpa_iters_per_s`` (``pyspiel.ExternalSamplingMCCFRSolver`` on ``universal_poker``
  with ``bettingAbstraction=fcpa``, no card abstraction), ``fcpa_speedup`` = ours / OpenSpiel,
  ``fcpa_peak_rss_gb`` (ours) and ``openspiel_peak_rss_gb``.

An iteration is one traversal per player on both sides.  Every measurement runs in its own
process (peak RSS from ``wait4``), each for the same wall time after a warm-up of the same kernels
(ours: 2,000 iterations of the same game with a discount and pruning; OpenSpiel: 100 iterations).
A first, unmeasured process compiles our kernels into numba's cache, so that no measurement's time
or memory counts compilation.
"""

from __future__ import annotations

import json
from pathlib import Path

from _common import load_average, parser, report, require, run_child

ROOT = Path(__file__).resolve().parents[1]

# Run in a child as well: this process stays small, as a child's peak RSS counts the parent's at its start.
TINY = r"""
from holdem.abstraction.presets import tiny_buckets
print(tiny_buckets(2))
"""

OURS = r"""
import json, sys, tempfile
import yaml
from holdem.training.config import TrainConfig
from holdem.training.trainer import Trainer
settings = yaml.safe_load(open(sys.argv[1]))
settings.update(json.loads(sys.argv[2]))
with tempfile.TemporaryDirectory() as tmp:
    warm = TrainConfig.model_validate({**settings, "iterations": 2000, "time_budget": None, "num_workers": 1,
                                       "discount_interval": 1000, "discount_until": 2000, "prune_after": 1000})
    Trainer(warm, sys.argv[3], tmp + "/warm").run()
    trainer = Trainer(TrainConfig.model_validate(settings), sys.argv[3], tmp + "/run")
    print(json.dumps(trainer.run()))
"""

OPENSPIEL = r"""
import json, sys, time
import pyspiel
game = pyspiel.load_game("universal_poker(betting=nolimit,bettingAbstraction=fcpa,numPlayers=2,numRounds=4,"
                         "blind=100 50,firstPlayer=2 1 1 1,numSuits=4,numRanks=13,numHoleCards=2,"
                         "numBoardCards=0 3 1 1,stack=20000 20000)")
solver = pyspiel.ExternalSamplingMCCFRSolver(game, seed=1)
for _ in range(100):
    solver.run_iteration()
seconds = float(sys.argv[1])
n, start = 0, time.perf_counter()
while time.perf_counter() - start < seconds:
    for _ in range(100):
        solver.run_iteration()
    n += 100
print(json.dumps({"iters_per_s": n / (time.perf_counter() - start)}))
"""

FCPA = {"stack": 20000, "small_blind": 50, "big_blind": 100,
        "sizing": {"preflop": [[1.0]], "flop": [[1.0]], "turn": [[1.0]], "river": [[1.0]],
                   "allow_all_in": True, "max_raises_per_street": 16}}


def child(what: str, code: str, *args: str) -> tuple[dict, float]:
    """Run ``code`` in a fresh interpreter; its last stdout line (JSON) and its peak RSS in GiB."""
    out = run_child(what, ["-c", code, *args])
    return json.loads(out.stdout.strip().splitlines()[-1]), out.peak_rss_gb


def main() -> None:
    p = parser(__doc__)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--buckets", type=Path, default=ROOT / "assets/abstraction/precomputed_buckets.pkl",
                       metavar="FILE", help="buckets file from build_buckets (default: "
                                            "assets/abstraction/precomputed_buckets.pkl in this checkout)")
    which.add_argument("--tiny", action="store_true",
                       help="the tiny abstraction instead (built and cached on first use, under a minute)")
    p.add_argument("--seconds", type=float, default=20.0, help="wall time of each measurement")
    args = p.parse_args()
    if args.tiny:
        buckets = Path(run_child("building the tiny abstraction", ["-c", TINY]).stdout.strip())
    else:
        buckets = require(args.buckets, "buckets file", f"python -m holdem.cli.build_buckets --out {args.buckets} "
                                                         "(or pass --tiny to measure on the tiny abstraction)")
    load_start = load_average()
    config = str(ROOT / "configs/blueprint_training_5h.yaml")
    common = {"time_budget": args.seconds, "metrics_interval": 1e9, "snapshot_interval": 1e9,
              "checkpoint_interval": 1e9, "tensorboard": False, "batch_size": 1000}
    child("compiling the kernels", OURS, config, json.dumps({**common, "time_budget": None, "iterations": 1000}),
          str(buckets))
    one, rss1 = child("training with 1 worker", OURS, config, json.dumps({**common, "num_workers": 1}), str(buckets))
    two, rss2 = child("training with 2 workers", OURS, config, json.dumps({**common, "num_workers": 2}), str(buckets))
    fcpa, rss_fcpa = child("training on fcpa sizes", OURS, config, json.dumps({**common, **FCPA, "num_workers": 1}),
                           str(buckets))
    peer, rss_peer = child("OpenSpiel's ES-MCCFR", OPENSPIEL, str(args.seconds))
    report({
        "buckets": str(buckets), "seconds_each": args.seconds,
        "iters_per_s_1worker": one["iters_per_s"], "iters_per_s_2workers": two["iters_per_s"],
        "worker_ratio": round(two["iters_per_s"] / one["iters_per_s"], 3),
        "cpu_utilization_1worker": one["cpu_utilization"], "cpu_utilization_2workers": two["cpu_utilization"],
        "parallel_efficiency": round((two["iters_per_s"] / two["cpu_utilization"])
                                     / (one["iters_per_s"] / one["cpu_utilization"]), 3),
        "node_visits_per_s": one["node_visits_per_s"],
        "peak_rss_gb_1worker": round(rss1, 3), "peak_rss_gb_2workers": round(rss2, 3),
        "peak_rss_ratio_2v1": round(rss2 / rss1, 3),
        "fcpa_iters_per_s": fcpa["iters_per_s"], "openspiel_fcpa_iters_per_s": round(peer["iters_per_s"], 1),
        "fcpa_speedup": round(fcpa["iters_per_s"] / peer["iters_per_s"], 2),
        "fcpa_peak_rss_gb": round(rss_fcpa, 3), "openspiel_peak_rss_gb": round(rss_peer, 3),
    }, load_start)


if __name__ == "__main__":
    main()
