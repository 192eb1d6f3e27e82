"""Distributed blueprint training on a local Ray instance: 2 single-thread actors against one
single-thread process, the cost of a sync by table size, and memory per actor.

Needs ``pip install -e '.[distributed]'``; the tiny abstraction is built and cached on first use.

``python benchmarks/distributed.py [--seconds S] [--sync-interval S]``; the last line is one JSON object:

- ``iters_per_s_1process`` (``Trainer``, one worker thread, in its own process) and
  ``iters_per_s_2actors`` (``DistributedTrainer``, 2 actors x 1 thread, ``--sync-interval`` seconds
  between merges), each training heads-up on the default action abstraction
  (``configs/blueprint_training_5h.yaml``) over the tiny buckets for ``--seconds`` seconds after the
  kernels were compiled; ``actor_ratio`` = their ratio; iterations per second count the training
  loop's wall time, syncs included; ``cpu_utilization_*``: CPU seconds per wall second (the driver's
  and the actors' together), ``parallel_efficiency``: iterations per CPU second, 2 actors over 1
  process (how well the actors scale on the CPU time they got, on a machine shared with other jobs);
- ``run_sync_seconds`` and ``run_sync_delta_bytes``: mean seconds and delta bytes (both actors) per
  sync of that run, and ``run_syncs``;
- ``sync``: per table size (``tiny``: 8 buckets per street, ``169/200/200/200``; both on the default
  action abstraction) the ``entries``, ``master_bytes`` published, ``delta_bytes`` returned by the 2
  actors when every entry changed (dense: the upper bound) and ``seconds`` per sync (median of
  ``--sync-rounds``): publish, each actor copying the master into its tables and its base, computing
  its delta, returning it, and the driver merging both;
- ``peak_rss_gb_actor`` (largest of the 2 actors, from ``getrusage``) and ``peak_rss_gb_1process``.
"""

from __future__ import annotations

import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from _common import load_average, parser, report, run_child

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs/blueprint_training_5h.yaml"
COMMON = {"metrics_interval": 1e9, "snapshot_interval": 1e9, "checkpoint_interval": 1e9, "tensorboard": False,
          "batch_size": 1000}

TINY = r"""
from holdem.abstraction.presets import tiny_buckets
print(tiny_buckets(2))
"""

SINGLE = r"""
import json, sys, tempfile
import yaml
from holdem.training.config import TrainConfig
from holdem.training.trainer import Trainer
settings = {**yaml.safe_load(open(sys.argv[1])), **json.loads(sys.argv[2])}
with tempfile.TemporaryDirectory() as tmp:
    trainer = Trainer(TrainConfig.model_validate(settings), sys.argv[3], tmp)
    line = trainer.run()
    print(json.dumps({"iters_per_s": trainer.iterations / trainer.elapsed, "cpu_utilization": line["cpu_utilization"]}))
"""


def _sync_probe():
    """A Ray actor doing an actor's part of a sync on random tables of a given size."""
    import ray

    from holdem.distributed.deltas import Delta

    @ray.remote(num_cpus=1)
    class Probe:
        def __init__(self, entries: int, averaged: int):
            self.tables = (np.zeros(entries, np.int32), np.zeros(averaged))
            self.base = (np.zeros(entries, np.int32), np.zeros(averaged))
            self.rng = np.random.default_rng(0)
            self.change = (self.rng.integers(1, 1000, entries, dtype=np.int32), self.rng.random(averaged))

        def sync(self, master):
            for table, base, value in zip(self.tables, self.base, master):
                np.copyto(table, value)
                np.copyto(base, value)
            self.tables[0][:] += self.change[0]  # every entry changed: the dense upper bound
            self.tables[1][:] += self.change[1]
            return Delta.between(self.tables[0], self.base[0], self.tables[1], self.base[1])

    return Probe


def sync_cost(entries: int, averaged: int, rounds: int) -> dict:
    """Seconds per sync (median over ``rounds``) and bytes of a 2-actor sync on tables of ``entries``
    int32 regrets and ``averaged`` float64 strategy sums."""
    import ray

    probes = [_sync_probe().remote(entries, averaged) for _ in range(2)]
    master = (np.zeros(entries, np.int32), np.zeros(averaged))
    times, delta_bytes = [], 0
    for _ in range(rounds + 1):
        start = time.perf_counter()
        ref = ray.put(master)
        deltas = ray.get([p.sync.remote(ref) for p in probes])
        for d in deltas:
            d.add_to(master[0], master[1], -310_000_000.0)
        times.append(time.perf_counter() - start)
        delta_bytes = sum(d.nbytes for d in deltas)
    for p in probes:
        ray.kill(p)
    return {"entries": entries, "master_bytes": master[0].nbytes + master[1].nbytes, "delta_bytes": delta_bytes,
            "seconds": round(statistics.median(times[1:]), 4)}


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--seconds", type=float, default=60.0, help="wall time of each training measurement")
    p.add_argument("--sync-interval", type=float, default=10.0, help="seconds between merges of the 2 actors")
    p.add_argument("--sync-rounds", type=int, default=5, help="syncs timed per table size")
    args = p.parse_args()
    import ray

    from holdem.distributed.blueprint import DistributedTrainer
    from holdem.distributed.config import ClusterConfig
    from holdem.training.config import TrainConfig
    from holdem.training.tables import estimate

    buckets = Path(run_child("building the tiny abstraction", ["-c", TINY]).stdout.strip())
    load_start = load_average()
    settings = {**yaml.safe_load(CONFIG.read_text()), **COMMON, "num_workers": 1}
    run_child("compiling the kernels", ["-c", SINGLE, str(CONFIG), json.dumps({**COMMON, "iterations": 1000,
                                                                                "time_budget": None}), str(buckets)])
    single = run_child("training in one process", ["-c", SINGLE, str(CONFIG),
                                                   json.dumps({**COMMON, "num_workers": 1,
                                                               "time_budget": args.seconds}), str(buckets)])
    one = json.loads(single.stdout.strip().splitlines()[-1])

    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    config = TrainConfig.model_validate({**settings, "time_budget": args.seconds})
    cluster = ClusterConfig(nodes=2, threads_per_node=1, sync_interval=args.sync_interval)
    with tempfile.TemporaryDirectory() as tmp:
        trainer = DistributedTrainer(config, cluster, buckets, Path(tmp))
        try:
            line = trainer.run()
            actor_rss = max(ray.get([a.peak_rss_bytes.remote() for a in trainer.actors]))
        finally:
            trainer.close()
    two = trainer.iterations / trainer.elapsed
    sizes = {"tiny": sync_cost(trainer.tables.arrays.regrets.size, trainer.tables.arrays.strategy_sum.size,
                               args.sync_rounds)}
    est = estimate(trainer.tree, np.array([169, 200, 200, 200]), config.average_streets, 0)
    sizes["169/200/200/200"] = sync_cost(est.entries, est.strategy_bytes // 8, args.sync_rounds)
    ray.shutdown()
    report({
        "seconds_each": args.seconds, "sync_interval": args.sync_interval,
        "iters_per_s_1process": round(one["iters_per_s"], 1), "iters_per_s_2actors": round(two, 1),
        "actor_ratio": round(two / one["iters_per_s"], 3),
        "cpu_utilization_1process": one["cpu_utilization"], "cpu_utilization_2actors": line["cpu_utilization"],
        "parallel_efficiency": round((two / line["cpu_utilization"]) / (one["iters_per_s"] / one["cpu_utilization"]),
                                     3),
        "run_syncs": line["syncs"], "run_sync_seconds": line["sync_seconds"],
        "run_sync_delta_bytes": line["sync_delta_bytes"], "sync": sizes,
        "peak_rss_gb_actor": round(actor_rss / (1 << 30), 3), "peak_rss_gb_1process": round(single.peak_rss_gb, 3),
        "driver_peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20), 3),
    }, load_start)


if __name__ == "__main__":
    main()
