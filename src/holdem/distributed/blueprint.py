"""The blueprint trainer on a Ray cluster: one actor per node, the driver merging their deltas.

Each :class:`BlueprintActor` runs the threaded trainer (:func:`holdem.training.trainer.run_round`) on
its own dense copy of the tables.  A sync round: the driver publishes the master tables once
(``ray.put``; actors on the driver's node read them without a copy, every actor copies them into its
writable tables), each actor trains for up to ``sync_interval`` seconds (at most its share of the
iterations left before the schedule's next event) and returns its :class:`~.deltas.Delta`; the driver
adds the deltas in actor order (saturating, as the kernels do) and the schedule then acts on the
master at the global iteration count, so discounting and pruning follow the whole cluster's
iterations.  :class:`DistributedTrainer` is the one-machine :class:`~holdem.training.trainer.Trainer`
with its rounds run by the actors: budget, metrics, snapshots, checkpoints (same format, on the
driver) and signals behave as there.  An actor whose process dies loses its work since the last
sync (logged) and is restarted from the master tables.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import ray
from ray.exceptions import GetTimeoutError, RayActorError

from holdem import files
from holdem.abstraction import buckets as bk
from holdem.solver.workers import split_evenly
from holdem.training.checkpoint import Checkpoint
from holdem.training.config import TrainConfig, available_memory
from holdem.training.kernels import TableArrays
from holdem.training.tables import BlueprintTables, estimate, format_bytes
from holdem.training.trainer import Trainer, run_round
from holdem.tree import GameConfig, read_tree, tree_arrays

from .cluster import ClusterError, Slot, connect, placements, source_sha256
from .config import ClusterConfig
from .deltas import Delta


#: seconds an actor may take to start and check its node (Ray placing it, loading the buckets)
START_SECONDS = 600


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


class BlueprintActor:
    """One node's trainer: ``threads`` worker threads on this actor's copy of the tables, laid out as
    the driver's (``layout``: ``num_buckets``, ``node_offset``, ``avg_offset``, ``entries``,
    ``strategy_entries``); its node's actors need ``need_bytes``, within the node's available memory
    and ``limit`` bytes (the run's ``max_memory``) if given."""

    def __init__(self, config: TrainConfig, tree: tuple[dict, dict, int], buckets_path: str, buckets_sha: str,
                 source_sha: str, layout: dict, threads: int, need_bytes: int, limit: int | None = None):
        self.config, self.threads, self.need_bytes, self.limit = config, threads, need_bytes, limit
        self.tree_parts, self.layout = tree, layout
        self.buckets_path, self.buckets_sha, self.source_sha = Path(buckets_path), buckets_sha, source_sha
        self.stop = np.zeros(1, dtype=np.int64)
        self.done = 0

    def setup(self) -> str | None:
        """Check this node (same sources, same buckets file, enough memory), then allocate; returns
        None when ready, else why this node cannot train (before anything large is allocated)."""
        where = f"node {ray.util.get_node_ip_address()}"
        if source_sha256() != self.source_sha:
            return f"{where} runs other holdem sources than the driver (sha256 {source_sha256()[:12]}..., the " \
                   f"driver's {self.source_sha[:12]}...): install the same version on every node"
        if not self.buckets_path.exists():
            return f"{where} has no buckets file {self.buckets_path}: copy it there (same path on every node)"
        if files.file_sha256(self.buckets_path) != self.buckets_sha:
            return f"{where}: {self.buckets_path} differs from the driver's (sha256 mismatch): copy the driver's"
        available = available_memory()
        allowed = available if self.limit is None else min(available, self.limit)
        if self.need_bytes > allowed:
            limit = "" if self.limit is None else f", max_memory {format_bytes(self.limit)}"
            return f"{where} cannot hold the tables: its actors need {format_bytes(self.need_bytes)} (two copies " \
                   f"of the regrets and strategy sums, tree, buckets), {format_bytes(available)} available{limit}"
        self.buckets = bk.load(self.buckets_path)
        arrays, game, depth = self.tree_parts
        self.tree = read_tree(GameConfig.model_validate(game), {k: np.array(v) for k, v in arrays.items()}, depth)
        lay = self.layout
        entries, averaged = lay["entries"], lay["strategy_entries"]
        end = np.full(self.threads, entries, dtype=np.int64)
        self.tables = BlueprintTables(TableArrays(np.array(lay["num_buckets"]), np.array(lay["node_offset"]),
                                                  np.zeros(entries, np.int32), np.array(lay["avg_offset"]),
                                                  np.zeros(averaged), end, end.copy()), entries, False)
        self.base = (np.zeros(entries, np.int32), np.zeros(averaged))
        return None

    def run(self, master: tuple[np.ndarray, np.ndarray], iterations: int, prune: float, seconds: float,
            rng: np.ndarray) -> dict:
        """Start from the ``master`` tables (regrets, strategy sums), train up to ``iterations`` iterations
        for up to ``seconds`` with RNG rows ``rng`` (uint64 ``(threads, 4)``), pruning with probability
        ``prune``; returns the delta, the advanced RNG rows, iterations done, nodes visited per thread
        (int64 ``(threads,)``), CPU and training seconds."""
        t = self.tables.arrays
        for table, base, value in zip((t.regrets, t.strategy_sum), self.base, master):
            np.copyto(table, value)
            np.copyto(base, value)
        rng, visits = np.array(rng), np.zeros(self.threads, dtype=np.int64)
        self.stop[0], self.done = 0, 0
        cpu, start = _cpu_seconds(), time.perf_counter()
        while self.done < iterations and self.stop[0] == 0 and time.perf_counter() - start < seconds:
            n = min(iterations - self.done, self.threads * self.config.batch_size)
            self.done += run_round(self.tree, self.tables, self.buckets, rng, n, prune, self.config, self.stop,
                                   visits)
        seconds = time.perf_counter() - start
        delta = Delta.between(t.regrets, self.base[0], t.strategy_sum, self.base[1])
        return {"delta": delta, "rng": rng, "iterations": self.done, "visits": visits,
                "cpu": _cpu_seconds() - cpu, "seconds": seconds}

    def progress(self) -> int:
        """Iterations done in the current :meth:`run` call so far."""
        return self.done

    def interrupt(self) -> None:
        """End the current :meth:`run` after the workers' current iterations."""
        self.stop[0] = 1

    def pid(self) -> int:
        """This actor's process id."""
        return os.getpid()

    def peak_rss_bytes(self) -> int:
        """Peak resident memory of this actor's process (Linux ``getrusage``, bytes)."""
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


RemoteBlueprintActor = ray.remote(BlueprintActor)


class DistributedTrainer(Trainer):
    """A blueprint run whose rounds the actors of ``cluster`` train (see the module docstring); the
    master tables, checkpoints and metrics stay on this process, the driver."""

    def __init__(self, config: TrainConfig, cluster: ClusterConfig, buckets_path: Path, logdir: Path,
                 resume: Checkpoint | None = None, say: Callable[[str], None] = lambda line: None):
        connect(cluster.address)
        self.cluster = cluster
        self.slots = placements(cluster.nodes, cluster.threads_per_node)
        super().__init__(config, buckets_path, logdir, resume, say, workers=sum(s.threads for s in self.slots),
                         dense=True)
        bounds = np.cumsum([0] + [s.threads for s in self.slots])
        self.rows = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        est = estimate(self.tree, self.num_buckets, config.average_streets,
                       sum(a.nbytes for a in self.buckets.arrays))
        self.actor_bytes = est.dense_bytes + est.regret_bytes + est.strategy_bytes
        t = self.tables.arrays
        self.layout = {"num_buckets": t.num_buckets, "node_offset": t.node_offset, "avg_offset": t.avg_offset,
                       "entries": t.regrets.size, "strategy_entries": t.strategy_sum.size}
        self.tree_ref = ray.put((tree_arrays(self.tree), self.tree.game.model_dump(mode="json"), self.tree.max_depth))
        self.source_sha = source_sha256()
        self.actors: list = []
        self.lost_iterations, self.syncs, self.sync_seconds, self.sync_bytes = 0, 0, 0.0, 0
        self.actor_cpu, self.deadline, self.progress_seen = 0.0, None, {}
        try:
            for i in range(len(self.slots)):
                self.actors.append(self._start(i))
        except BaseException:
            self.close()
            raise
        where = ", ".join(f"{s.node_ip} x {s.threads} threads" for s in self.slots)
        say(f"cluster: {len(self.slots)} actors ({where}), sync every {cluster.sync_interval:g} s; each node holds "
            f"{format_bytes(self.actor_bytes)} per actor")

    def _start(self, i: int, restart: bool = False):
        """Actor ``i`` started on its slot (a restart: elsewhere if its node is gone) and set up;
        :class:`ClusterError` when its node cannot train or it does not start within :data:`START_SECONDS`."""
        slot: Slot = self.slots[i]
        sharing = sum(1 for s in self.slots if s.node_id == slot.node_id)
        limit = self.config.memory_limit() if self.config.max_memory is not None else None
        actor = RemoteBlueprintActor.options(**slot.options(elsewhere=restart)).remote(
            self.config, self.tree_ref, str(self.buckets_path), self.buckets_sha, self.source_sha, self.layout,
            slot.threads, sharing * self.actor_bytes, limit)
        try:
            why = ray.get(actor.setup.remote(), timeout=START_SECONDS)
        except GetTimeoutError:
            why = f"actor {i} did not start on node {slot.node_ip} within {START_SECONDS} s (its CPUs busy?)"
        if why is not None:
            ray.kill(actor)
            raise ClusterError(why)
        return actor

    def close(self) -> None:
        """Stop the actors (their processes end; the master tables stay)."""
        for actor in self.actors:
            ray.kill(actor)
        self.actors = []

    def round_size(self) -> int:
        """Rounds are cut by time (``sync_interval``) and by the schedule, not by a size."""
        return 1 << 62

    def cpu_seconds(self) -> float:
        """CPU seconds of the driver and of the actors' finished rounds."""
        return super().cpu_seconds() + self.actor_cpu

    def run(self, progress: Callable[[int, float, float], None] | None = None) -> dict:
        """:meth:`Trainer.run`, the last round ending with ``time_budget`` (rounds end by time)."""
        c = self.config
        self.deadline = time.perf_counter() + c.time_budget if c.time_budget else None
        return super().run(progress)

    def _round(self, total: int) -> int:
        start = time.perf_counter()
        t = self.tables.arrays
        master = ray.put((t.regrets, t.strategy_sum))
        seconds = self.cluster.sync_interval
        if self.deadline is not None:
            seconds = max(0.0, min(seconds, self.deadline - start))
        shares = split_evenly(total, len(self.actors))
        prune = self.config.prune_share(self.iterations)
        calls = {self.actors[i].run.remote(master, shares[i], prune, seconds, self.rng[self.rows[i]]): i
                 for i in range(len(self.actors)) if shares[i] > 0}
        results = self._collect(calls)
        del master
        merge = time.perf_counter()
        done = self._merge(results)
        training = max((r["seconds"] for r in results.values()), default=0.0)
        self.syncs += 1
        self.sync_seconds += max(0.0, merge - start - training) + time.perf_counter() - merge
        return done

    def _merge(self, results: dict[int, dict]) -> int:
        """Add the actors' deltas into the master tables in actor order and take their RNG rows, visits
        and CPU time; returns the iterations they did."""
        t = self.tables.arrays
        done = 0
        for i in sorted(results):
            r = results[i]
            r["delta"].add_to(t.regrets, t.strategy_sum, self.config.regret_floor)
            self.rng[self.rows[i]] = r["rng"]
            self.visits[self.rows[i]] += r["visits"]
            self.actor_cpu += r["cpu"]
            self.sync_bytes += r["delta"].nbytes
            done += r["iterations"]
        return done

    def _collect(self, calls: dict) -> dict[int, dict]:
        """The results of the actors' ``run`` calls by actor; relays a stop request to them, tracks
        their progress and replaces an actor whose process died."""
        results: dict[int, dict] = {}
        polls: dict = {}
        self.progress_seen = {}
        interrupted = False
        while calls:
            ready, _ = ray.wait(list(calls), num_returns=len(calls), timeout=0.5)
            if self.stop[0] and not interrupted:
                interrupted = True
                for i in calls.values():
                    self.actors[i].interrupt.remote()
            for ref in ready:
                i = calls.pop(ref)
                try:
                    results[i] = ray.get(ref)
                except RayActorError as e:
                    self._replace(i, e)
            answered, _ = ray.wait(list(polls), num_returns=len(polls), timeout=0) if polls else ([], [])
            for ref in answered:
                i = polls.pop(ref)
                try:
                    self.progress_seen[i] = ray.get(ref)
                except RayActorError:
                    pass
            running = set(calls.values()) - set(polls.values())
            for i in running:
                polls[self.actors[i].progress.remote()] = i
        return results

    def _replace(self, i: int, error: Exception) -> None:
        """Restart actor ``i``, whose process died, from the master tables; its work since the last
        sync is lost and counted."""
        lost = self.progress_seen.get(i, 0)
        self.lost_iterations += lost
        slot = self.slots[i]
        self.say(f"actor {i} on {slot.node_ip} died ({type(error).__name__}): lost {lost:,} iterations (its work "
                 f"since the last sync, as last reported); restarting it from the merged tables at iteration "
                 f"{self.iterations:,}")
        ray.kill(self.actors[i])
        self.actors[i] = self._start(i, restart=True)

    def metrics(self, rate: float, visits_rate: float, cpu: float) -> dict:
        """The one-machine metrics plus the cluster's: actors, syncs, mean seconds and delta bytes per
        sync, iterations lost to dead actors."""
        line = super().metrics(rate, visits_rate, cpu)
        syncs = max(self.syncs, 1)
        line.update(actors=len(self.slots), syncs=self.syncs, sync_seconds=round(self.sync_seconds / syncs, 4),
                    sync_delta_bytes=self.sync_bytes // syncs, lost_iterations=self.lost_iterations)
        return line
