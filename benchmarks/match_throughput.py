"""Heads-up match throughput: hands per second of a policy against always-call, 1 and 2 workers.

The policy is a blueprint (``--policy runs/<name>`` or a blueprint file) or, without one, the
equity heuristic.  Duplicate dealing, 100 big blind stacks (the blueprint's own game when a
blueprint is given).  Each measurement starts from a fresh agent (an empty memo) and its wall
time includes everything a user waits for: with 2 workers, starting the worker processes with
the platform's start method and each worker loading its own copy of the blueprint.  The last
line printed is one JSON object; ``hands_per_s`` maps the worker count to hands per second and
``blueprint_load_s`` is what each worker process pays to load the blueprint (a second load, the
first having compiled what loading runs).  Every measurement follows a 200-hand warm-up match of
the same agents (the kernels compiled, and cached for the worker processes).

Build first: nothing; for ``--policy``, a trained run (``python -m holdem.cli.train_blueprint``).

    python benchmarks/match_throughput.py [--policy PATH] [--hands 200000]
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from _common import fail, load_average, parser, report, require

from holdem.agents import AgentSpec, CallAgent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.eval.match import play_match, table_rules


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--policy", help="blueprint file or run directory (default: the heuristic agent)")
    p.add_argument("--hands", type=int, default=200000, help="hands per measurement")
    args = p.parse_args()
    load_start = load_average()
    summary: dict[str, object] = {"policy": args.policy or "heuristic", "opponent": "call", "hands": args.hands,
                                  "start_method": multiprocessing.get_start_method()}
    if args.policy:
        require(Path(args.policy), "blueprint", "python -m holdem.cli.train_blueprint --config configs/quickstart.yaml "
                                                "--logdir runs/quickstart (then pass --policy runs/quickstart)")
        try:
            rules = BlueprintAgent.load(args.policy).blueprint.tree.game.rules()  # compiles what loading runs
        except ValueError as e:  # a damaged or incomplete file, said in one line by the library
            fail(str(e))
        start = time.perf_counter()
        BlueprintAgent.load(args.policy)
        summary["blueprint_load_s"] = round(time.perf_counter() - start, 2)  # paid once per worker process
        spec = AgentSpec("blueprint", path=args.policy)
    else:
        rules, spec = table_rules(2), AgentSpec("heuristic")
    play_match([spec, CallAgent()], 200, rules=rules, seed=1)  # compile the kernels
    rates = {}
    for workers in (1, 2):
        result = play_match([spec, CallAgent()], args.hands, rules=rules, seed=2, workers=workers)
        rates[str(workers)] = round(result.hands_per_second, 1)
        print(f"{spec.label} vs call, {workers} worker(s): {result.hands} hands in {result.seconds:.2f} s, "
              f"{result.hands_per_second:,.0f} hands/s")
    summary["hands_per_s"] = rates
    calls = play_match([CallAgent(), CallAgent()], args.hands, seed=2)
    summary["call_vs_call_hands_per_s"] = round(calls.hands_per_second, 1)
    print(f"call vs call, 1 worker: {calls.hands_per_second:,.0f} hands/s (engine and match loop alone)")
    report(summary, load_start)


if __name__ == "__main__":
    main()
