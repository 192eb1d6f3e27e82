"""The blueprint run: workers, budget, schedule, metrics, snapshots, checkpoints and resume.

In a round every worker thread runs ``batch_size`` iterations on the one shared set of tables;
between rounds the driver applies the schedule, writes to the run directory when intervals have
passed and checks the budget.  Everything (buckets, a checkpoint to resume, the memory plan) is
checked before anything is written.  SIGINT and SIGTERM stop the workers after their current
iteration; a checkpoint is written and the run ends normally.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from holdem import files
from holdem.abstraction import buckets as bk
from holdem.solver.rng import private_rows, seed_states
from holdem.solver.workers import run_workers, split_evenly
from holdem.tree import BettingTree, TreeTooLarge, cached_tree

from .checkpoint import Checkpoint
from .config import TrainConfig, to_yaml
from .kernels import STOP_POOL_FULL, run_iterations, table_stats
from .rundir import RunDirectory, RunError
from .tables import BlueprintTables, MemoryLimitError, estimate, format_bytes, plan

#: bytes assumed per betting-tree node while it is built (its arrays, the node index, the build's
#: working lists): the tree builder stops past ``memory limit / this`` nodes
_BUILD_BYTES_PER_NODE = 64


def run_round(tree: BettingTree, tables: BlueprintTables, buckets: bk.Buckets, rng: np.ndarray, total: int,
              prune: float, config: TrainConfig, stop: np.ndarray, visits: np.ndarray) -> int:
    """Run ``total`` iterations on ``tables``, split evenly over one worker thread per row of ``rng``
    (uint64 ``(W, 4)``, advanced in place), each pruning with probability ``prune``; adds the nodes
    visited to ``visits`` (int64 ``(W,)``) and returns the iterations done (fewer once ``stop`` is set)."""
    shares = split_evenly(total, rng.shape[0])
    rows = private_rows(rng)
    arrays = tables.arrays

    def body(w: int):
        return lambda: run_iterations(tree.arrays, tree.max_depth, arrays, buckets.arrays, w, rows[w], shares[w],
                                      prune, config.prune_threshold, config.regret_floor, stop, visits)

    done = sum(run_workers([body(w) for w in range(rng.shape[0]) if shares[w] > 0], stop))
    rng[:] = rows
    return done


def load_buckets(path: Path, num_players: int) -> tuple[bk.Buckets, str]:
    """The buckets file and its sha256, refused when unusable or built for another player count (a
    missing one or one for other players with the command that builds the right one)."""
    build = f"python -m holdem.cli.build_buckets --num-players {num_players}"
    try:
        buckets = bk.load(path)
    except bk.BucketsFileError as e:
        if _missing(path):
            raise RunError(f"{path}: no such file; build it first with: {build} --out {path}   "
                           f"(--preset tiny for a quick one)", "buckets") from None
        raise RunError(str(e), "buckets") from None
    built_for = buckets.manifest.get("num_players")
    if built_for != num_players:
        raise RunError(f"{path} was built for {built_for} players, this run has {num_players} "
                       f"(build one with: {build})", "buckets")
    return buckets, files.file_sha256(path)


def _missing(path: Path) -> bool:
    """Whether ``path`` does not exist (False when it cannot be told, e.g. for lack of permission)."""
    try:
        path.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


class Trainer:
    """One blueprint run in ``logdir``; ``say`` receives the lines a person wants to read.  ``workers``
    (default: the config's) sets the RNG streams and ``dense`` refuses lazy tables (a distributed run's
    driver passes both)."""

    def __init__(self, config: TrainConfig, buckets_path: Path, logdir: Path, resume: Checkpoint | None = None,
                 say: Callable[[str], None] = lambda line: None, workers: int | None = None, dense: bool = False):
        self.config = config
        self.say = say
        self.buckets_path = Path(buckets_path).resolve()
        self.buckets, self.buckets_sha = load_buckets(self.buckets_path, config.num_players)
        self.num_buckets = np.array([self.buckets.k[s] for s in bk.STREETS], dtype=np.int64)
        self.workers = workers or config.workers()
        self.run_dir = RunDirectory(logdir, config.keep_checkpoints, config.tensorboard)
        self.iterations, self.elapsed, restored = 0, 0.0, None
        limit = config.memory_limit()
        if resume is not None:
            self._check_resume(resume)
            self.tree = resume.tree()
            restored = resume.tables()
            self.iterations, self.elapsed = resume.iterations, float(resume.manifest["elapsed"])
        else:
            self.tree = self._build_tree(limit)
        est = estimate(self.tree, self.num_buckets, config.average_streets, sum(a.nbytes for a in self.buckets.arrays))
        for line in est.lines():
            say(line)
        try:
            pool = plan(est, limit, "never" if dense else config.lazy)
        except MemoryLimitError as e:
            raise RunError(f"memory: {e}", "max_memory") from None
        say("tables: dense" if pool is None else
            f"tables: lazy, regret pool of up to {pool:,} entries ({format_bytes(4 * pool)})")
        self.tables = BlueprintTables.allocate(self.tree, self.num_buckets, config.average_streets, self.workers,
                                               pool, restored)
        if resume is not None and resume.arrays["rng"].shape[0] == self.workers:
            self.rng = np.array(resume.arrays["rng"])
        else:  # a new run, or a resume with another worker count: fresh streams from seed and position
            self.rng = seed_states(config.seed + 1_000_003 * self.iterations, self.workers)
        self.stop = np.zeros(1, dtype=np.int64)
        self.interrupted = False
        self.visits = np.zeros(self.workers, dtype=np.int64)

    def _build_tree(self, limit: int) -> BettingTree:
        """The betting tree of the config, from the tree cache or built (and cached) now."""
        t0 = time.perf_counter()
        try:
            tree, cached_in = cached_tree(self.config.game(), max_nodes=limit // _BUILD_BYTES_PER_NODE)
        except TreeTooLarge as e:
            raise RunError(f"memory: building the betting tree would take more than the {format_bytes(limit)} "
                           f"allowed: {e}", "max_memory") from None
        if cached_in is not None:
            self.say(f"betting tree built in {time.perf_counter() - t0:.1f} s (cached in {cached_in})")
        return tree

    def _check_resume(self, checkpoint: Checkpoint) -> None:
        manifest, source = checkpoint.manifest, checkpoint.path
        if manifest.get("num_players") != self.config.num_players:
            raise RunError(f"{source}: checkpoint is for {manifest.get('num_players')} players, "
                           f"this run has {self.config.num_players}", "resume_from")
        if manifest.get("buckets_sha256") != self.buckets_sha:
            raise RunError(f"{source} was trained with buckets {manifest.get('buckets_path')} (sha256 "
                           f"{str(manifest.get('buckets_sha256'))[:12]}...), {self.buckets_path} differs "
                           f"(sha256 {self.buckets_sha[:12]}...)", "resume_from")
        if manifest.get("game") != self.config.game().model_dump(mode="json"):
            raise RunError(f"{source}: the checkpoint's game or action abstraction differs from the config",
                           "resume_from")

    def _info(self) -> dict:
        return {"iterations": self.iterations, "elapsed": self.elapsed, "buckets_sha256": self.buckets_sha,
                "buckets_path": str(self.buckets_path), "num_players": self.config.num_players}

    def write_checkpoint(self) -> Path:
        return self.run_dir.write_checkpoint(self.tree, self.tables, self._info(), self.rng,
                                             self.config.model_dump(mode="json"))

    def metrics(self, rate: float, visits_rate: float, cpu: float) -> dict:
        """A metrics line: speed, CPU use, infosets touched, average positive regret, entropy."""
        t = self.tables
        stats = table_stats(self.tree.arrays, self.num_buckets, t.arrays.node_offset, t.arrays.regrets)
        touched = float(stats[:, 0].sum())
        line = {"iterations": self.iterations, "elapsed": round(self.elapsed, 3), "iters_per_s": round(rate, 1),
                "node_visits_per_s": round(visits_rate), "cpu_utilization": round(cpu, 3),
                "infosets_touched": int(touched),
                "avg_positive_regret": float(stats[:, 1].sum()) / max(touched, 1.0) / max(self.iterations, 1),
                "allocated_bytes": 4 * t.allocated_entries(), "workers": self.workers,
                "pruning": self.config.prune_share(self.iterations) > 0}
        for s, name in enumerate(bk.STREETS):
            line[f"infosets_touched_{name}"] = int(stats[s, 0])
            line[f"entropy_{name}"] = float(stats[s, 2]) / max(float(stats[s, 0]), 1.0)
        return line

    def _round(self, total: int) -> int:
        prune = self.config.prune_share(self.iterations)
        return run_round(self.tree, self.tables, self.buckets, self.rng, total, prune, self.config, self.stop,
                         self.visits)

    def round_size(self) -> int:
        """Iterations of a round before the schedule cuts it: ``batch_size`` per worker."""
        return self.workers * self.config.batch_size

    def cpu_seconds(self) -> float:
        """CPU seconds the run has used so far (this process's; the metrics' CPU use divides them by wall time)."""
        return _cpu_seconds()

    @contextmanager
    def _signals(self):
        """SIGINT/SIGTERM stop the workers after their current iteration (main thread only)."""
        self.interrupted = False
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum, frame):
            self.interrupted = True
            self.stop[0] = 1

        previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, h in previous.items():
                signal.signal(s, h)

    def run(self, progress: Callable[[int, float, float], None] | None = None) -> dict:
        """Train until the budget is spent or a signal arrives; returns the last metrics line.
        ``progress(iterations, iterations per second, share of the budget done)`` follows every round."""
        c = self.config
        start_iterations, start_elapsed = self.iterations, self.elapsed
        dropped = self.run_dir.open(to_yaml(c) + f"# buckets: {self.buckets_path}\n# buckets_sha256: "
                                    f"{self.buckets_sha}\n", start_iterations)
        if dropped:
            self.say(f"metrics.jsonl: dropped {dropped} lines written after iteration {start_iterations:,}")
        started = time.perf_counter()
        last = {"metrics": started, "snapshot": started, "checkpoint": started}
        mark = (started, self.iterations, int(self.visits.sum()), self.cpu_seconds())
        line: dict = {}
        try:
            with self._signals():
                while not self.interrupted:
                    now = time.perf_counter()
                    done_here = self.iterations - start_iterations
                    if (c.iterations and done_here >= c.iterations) or (c.time_budget and now - started >= c.time_budget):
                        break
                    n = c.round_length(self.iterations, self.round_size())
                    if c.iterations:
                        n = min(n, c.iterations - done_here)
                    self.stop[0] = 0
                    self.iterations += self._round(n)
                    self.elapsed = start_elapsed + time.perf_counter() - started
                    if self.stop[0] == STOP_POOL_FULL:
                        self.write_checkpoint()
                        raise RunError(f"memory: the lazy regret pool is full after {self.iterations:,} iterations "
                                       f"({format_bytes(self.tables.arrays.regrets.nbytes)}); a checkpoint was written, "
                                       "resume it with a larger memory limit", "max_memory")
                    c.end_round(self.iterations, self.tables)
                    now = time.perf_counter()
                    if progress is not None:
                        done_share = (self.iterations - start_iterations) / c.iterations if c.iterations else \
                            (now - started) / c.time_budget if c.time_budget else 0.0
                        progress(self.iterations, (self.iterations - start_iterations) / max(now - started, 1e-9),
                                 min(done_share, 1.0))
                    if now - last["metrics"] >= c.metrics_interval:
                        line, mark = self._metrics_since(mark)
                        last["metrics"] = now
                    if now - last["snapshot"] >= c.snapshot_interval:
                        self.run_dir.write_snapshot(self.tree, self.tables, self._info())
                        last["snapshot"] = now
                    if now - last["checkpoint"] >= c.checkpoint_interval:
                        self.write_checkpoint()
                        last["checkpoint"] = now
            if self.iterations > mark[1] or not line:
                line, _ = self._metrics_since(mark)
            self.checkpoint = self.write_checkpoint()
            self.run_dir.write_blueprint(self.tree, self.tables, self._info())
        finally:
            self.run_dir.close()
        return line

    def _metrics_since(self, mark: tuple[float, int, int, float]) -> tuple[dict, tuple[float, int, int, float]]:
        now, visits, cpu = time.perf_counter(), int(self.visits.sum()), self.cpu_seconds()
        wall = max(now - mark[0], 1e-9)
        line = self.metrics((self.iterations - mark[1]) / wall, (visits - mark[2]) / wall, (cpu - mark[3]) / wall)
        self.run_dir.log(line)
        return line, (now, self.iterations, visits, cpu)


def _cpu_seconds() -> float:
    """User plus system CPU seconds of this process."""
    t = os.times()
    return t.user + t.system
