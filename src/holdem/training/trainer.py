"""The blueprint run: workers, budget, schedule, metrics, snapshots, checkpoints and resume.

Training proceeds in rounds.  In a round every worker thread runs ``batch_size`` iterations of
:func:`holdem.training.kernels.run_iterations` on the one shared set of tables (nogil numba code,
lock-free as in Pluribus), and all are joined; between rounds the driver applies the schedule
(the linear-CFR discount ``k / (k + 1)`` at the k-th multiple of ``discount_interval`` up to
``discount_until``; pruning from ``prune_after`` on), writes metrics, snapshots and checkpoints
when their intervals have passed, and checks the budget.  Rounds are cut at schedule events, so
with one worker a seed fixes the tables bit for bit however the run is interrupted and resumed.

SIGINT and SIGTERM set the kernels' stop flag: the workers finish their current iteration, a
checkpoint is written and the run ends normally.  Files are replaced atomically, so a kill -9
leaves the previous checkpoint intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from holdem import blueprint
from holdem.abstraction import buckets as bk
from holdem.abstraction.cache import cache_dir
from holdem.solver.rng import private_rows, seed_states
from holdem.solver.workers import run_workers, split_evenly
from holdem.tree import BettingTree, TreeArrays, TreeTooLarge, build_tree

from . import files
from .config import TrainConfig, to_yaml
from .kernels import STOP_POOL_FULL, run_iterations, table_stats
from .tables import MemoryLimitError, Tables, estimate, format_bytes, plan

CHECKPOINT = "holdem-checkpoint"
TREE = "holdem-tree"
#: bytes assumed per betting-tree node while it is built (its arrays, the node index, the build's
#: working lists): the tree builder stops past ``memory limit / this`` nodes
_BUILD_BYTES_PER_NODE = 64


class RunError(ValueError):
    """A run that cannot start or continue; the message says why in one line."""


def find_checkpoint(path: Path) -> Path:
    """``path`` itself, or the newest checkpoint of a run directory."""
    path = Path(path)
    if not path.is_dir():
        if not path.exists():
            raise RunError(f"--resume-from {path}: no such file or directory")
        return path
    found = sorted((path / "checkpoints").glob("checkpoint-*.npz"), key=lambda p: int(p.stem.split("-")[1]))
    if not found:
        raise RunError(f"--resume-from {path}: no checkpoints in this run directory")
    return found[-1]


def load_checkpoint(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    try:
        return files.load(find_checkpoint(path), CHECKPOINT)
    except files.FileFormatError as e:
        raise RunError(str(e)) from None


def load_buckets(path: Path, num_players: int) -> tuple[bk.Buckets, str]:
    """The buckets file and its sha256, refused when unusable or built for another player count."""
    try:
        buckets = bk.load(path)
    except bk.BucketsFileError as e:
        raise RunError(f"buckets: {e}") from None
    built_for = buckets.manifest.get("num_players")
    if built_for != num_players:
        raise RunError(f"buckets: {path} was built for {built_for} players, this run has {num_players} "
                       f"(build one with: python -m holdem.cli.build_buckets --num-players {num_players})")
    return buckets, blueprint.file_sha256(path)


class Trainer:
    """One blueprint run in ``logdir`` (see the module docstring)."""

    def __init__(self, config: TrainConfig, buckets_path: Path, logdir: Path, resume_from: Path | None = None,
                 console: Console | None = None, show_progress: bool = True):
        self.config = config
        self.console = console or Console(stderr=True, soft_wrap=True)
        self.show_progress = show_progress
        self.logdir = Path(logdir)
        self.buckets_path = Path(buckets_path).resolve()
        self.buckets, self.buckets_sha = load_buckets(self.buckets_path, config.num_players)
        self.num_buckets = np.array([self.buckets.k[s] for s in bk.STREETS], dtype=np.int64)
        self.workers = config.workers()
        self._prepare_logdir()
        limit = config.memory_limit()
        restored = None
        self.iterations, self.elapsed = 0, 0.0
        if resume_from is not None:
            arrays, manifest = load_checkpoint(resume_from)
            self._check_resume(manifest, resume_from)
            self.tree = BettingTree(config.game(), TreeArrays(
                **{n: arrays[f"tree_{n}"] for n in TreeArrays._fields}), int(manifest["max_depth"]))
            restored = (arrays["offsets"], arrays["regrets"], arrays["strategy_sum"])
            self.iterations, self.elapsed = int(manifest["iterations"]), float(manifest["elapsed"])
            saved_rng = arrays["rng"]
        else:
            self.tree = self._build_tree(limit)
        est = estimate(self.tree, self.num_buckets, config.average_streets,
                       sum(a.nbytes for a in self.buckets.arrays))
        for line in est.lines():
            self.console.print(line)
        try:
            pool = plan(est, limit, config.lazy)
        except MemoryLimitError as e:
            raise RunError(f"memory: {e}") from None
        self.console.print("tables: dense" if pool is None else
                           f"tables: lazy, regret pool of up to {pool:,} entries ({format_bytes(4 * pool)})")
        self.tables = Tables.allocate(self.tree, self.num_buckets, config.average_streets, self.workers, pool, restored)
        if restored is not None and saved_rng.shape[0] == self.workers:
            self.rng = np.array(saved_rng)
        else:  # a new run, or a resume with another worker count: fresh streams from seed and position
            self.rng = seed_states(config.seed + 1_000_003 * self.iterations, self.workers)
        self.stop = np.zeros(1, dtype=np.int64)
        self.interrupted = False
        self.visits = np.zeros(self.workers, dtype=np.int64)
        self.max_children = int(self.tree.arrays.node_num_children.max())

    # ------------------------------------------------------------------ set-up

    def _build_tree(self, limit: int) -> BettingTree:
        """The betting tree of the config, from the tree cache or built (and cached) now."""
        game = self.config.game()
        key = hashlib.sha256(json.dumps(game.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
        cached = cache_dir() / f"tree-{key[:20]}.npz"
        try:
            arrays, manifest = files.load(cached, TREE)
            return BettingTree(game, TreeArrays(**arrays), int(manifest["max_depth"]))
        except (files.FileFormatError, TypeError, KeyError):
            pass
        t0 = time.perf_counter()
        with self.console.status("building the betting tree"):
            try:
                tree = build_tree(game, max_nodes=limit // _BUILD_BYTES_PER_NODE)
            except TreeTooLarge as e:
                raise RunError(f"memory: building the betting tree would take more than the "
                               f"{format_bytes(limit)} allowed: {e}") from None
        self.console.print(f"betting tree built in {time.perf_counter() - t0:.1f} s (cached in {cached})")
        files.save(cached, TREE, tree.arrays._asdict(), {"game": game.model_dump(mode="json"),
                                                         "max_depth": tree.max_depth})
        return tree

    def _check_resume(self, manifest: dict, source: Path) -> None:
        if manifest.get("num_players") != self.config.num_players:
            raise RunError(f"--resume-from {source}: checkpoint is for {manifest.get('num_players')} players, "
                           f"this run has {self.config.num_players}")
        if manifest.get("buckets_sha256") != self.buckets_sha:
            raise RunError(f"--resume-from {source}: checkpoint was trained with another buckets file "
                           f"(sha256 {str(manifest.get('buckets_sha256'))[:12]}..., given {self.buckets_sha[:12]}...)")
        if manifest.get("game") != self.config.game().model_dump(mode="json"):
            raise RunError(f"--resume-from {source}: checkpoint's game or action abstraction differs from the config")

    def _prepare_logdir(self) -> None:
        try:
            for sub in ("", "checkpoints", "snapshots"):
                (self.logdir / sub).mkdir(parents=True, exist_ok=True)
            (self.logdir / "config.yaml").write_text(
                to_yaml(self.config) + f"# buckets: {self.buckets_path}\n# buckets_sha256: {self.buckets_sha}\n")
            self.metrics_file = open(self.logdir / "metrics.jsonl", "a", buffering=1)
        except OSError as e:
            raise RunError(f"--logdir {self.logdir}: not writable ({e.strerror or e})") from None
        self.writer = None
        if self.config.tensorboard:
            from tensorboardX import SummaryWriter
            self.writer = SummaryWriter(str(self.logdir / "tensorboard"))

    # ------------------------------------------------------------------ files

    def _info(self) -> dict:
        return {"iterations": self.iterations, "elapsed": self.elapsed, "buckets_sha256": self.buckets_sha,
                "buckets_path": str(self.buckets_path), "num_players": self.config.num_players}

    def write_checkpoint(self) -> Path:
        offsets, regrets = self.tables.packed(self.tree)
        arrays = {f"tree_{n}": v for n, v in self.tree.arrays._asdict().items()}
        arrays.update(offsets=offsets, regrets=regrets, strategy_sum=self.tables.strategy_sum, rng=self.rng)
        manifest = {**self._info(), "game": self.config.game().model_dump(mode="json"),
                    "config": self.config.model_dump(mode="json"), "max_depth": self.tree.max_depth}
        path = self.logdir / "checkpoints" / f"checkpoint-{self.iterations}.npz"
        files.save(path, CHECKPOINT, arrays, manifest)
        old = sorted((self.logdir / "checkpoints").glob("checkpoint-*.npz"), key=lambda p: int(p.stem.split("-")[1]))
        for stale in old[:-self.config.keep_checkpoints]:
            stale.unlink(missing_ok=True)
        return path

    def write_blueprint(self, path: Path) -> None:
        offsets, regrets = self.tables.packed(self.tree)
        blueprint.write(path, self.tree, self.num_buckets, offsets, regrets, self.tables.avg_offset,
                        self.tables.strategy_sum, self._info())

    def metrics(self, rate: float, visits_rate: float, cpu: float) -> dict:
        t = self.tables
        stats = table_stats(self.tree.arrays, self.num_buckets, t.node_offset, t.regrets)
        touched = float(stats[:, 0].sum())
        line = {"iterations": self.iterations, "elapsed": round(self.elapsed, 3), "iters_per_s": round(rate, 1),
                "node_visits_per_s": round(visits_rate), "cpu_utilization": round(cpu, 3),
                "infosets_touched": int(touched),
                "avg_positive_regret": float(stats[:, 1].sum()) / max(touched, 1.0) / max(self.iterations, 1),
                "allocated_bytes": 4 * t.allocated_entries(), "workers": self.workers,
                "pruning": self.iterations >= self.config.prune_after}
        for s, name in enumerate(bk.STREETS):
            line[f"infosets_touched_{name}"] = int(stats[s, 0])
            line[f"entropy_{name}"] = float(stats[s, 2]) / max(float(stats[s, 0]), 1.0)
        return line

    def _log(self, line: dict) -> None:
        self.metrics_file.write(json.dumps(line) + "\n")
        if self.writer is not None:
            for key, value in line.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool) and key != "iterations":
                    self.writer.add_scalar(key, value, self.iterations)
            self.writer.flush()

    # ------------------------------------------------------------------ loop

    def _next_event(self) -> int:
        c = self.config
        events = [self.iterations + self.workers * c.batch_size]
        if c.discount_interval > 0 and self.iterations < c.discount_until:
            events.append((self.iterations // c.discount_interval + 1) * c.discount_interval)
        if self.iterations < c.prune_after:
            events.append(c.prune_after)
        return min(events)

    def _round(self, total: int) -> int:
        c, t, tree = self.config, self.tables, self.tree
        shares = split_evenly(total, self.workers)
        prune = c.prune_probability if self.iterations >= c.prune_after else 0.0
        rng = private_rows(self.rng)

        def body(w: int):
            return lambda: run_iterations(
                tree.arrays, tree.max_depth, self.max_children, self.num_buckets, *self.buckets.arrays,
                t.node_offset, t.regrets, t.avg_offset, t.strategy_sum, t.pool_next, t.pool_end, w, rng[w],
                shares[w], prune, c.prune_threshold, c.regret_floor, self.stop, self.visits)

        done = sum(run_workers([body(w) for w in range(self.workers) if shares[w] > 0], self.stop))
        for w in range(self.workers):
            self.rng[w] = rng[w]
        return done

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

    def run(self) -> dict:
        """Train until the budget is spent or a signal arrives; returns the last metrics line."""
        c = self.config
        target = c.iters
        start_iterations, start_elapsed = self.iterations, self.elapsed
        started = time.perf_counter()
        last = {"metrics": started, "snapshot": started, "checkpoint": started}
        mark = (started, self.iterations, int(self.visits.sum()), _cpu_seconds())
        columns = [TextColumn("[bold]training"), BarColumn(), TextColumn("{task.fields[its]:>12,} it"),
                   TextColumn("{task.fields[rate]:>9,.0f} it/s"), TimeElapsedColumn(), TextColumn("left"),
                   TimeRemainingColumn()]
        total = float(target) if target else (c.time_budget or None)
        line: dict = {}
        with self._signals(), Progress(*columns, console=self.console, disable=not self.show_progress) as progress:
            task = progress.add_task("training", total=total, its=self.iterations, rate=0.0)
            while not self.interrupted:
                now = time.perf_counter()
                done_here = self.iterations - start_iterations
                if (target and done_here >= target) or (c.time_budget and now - started >= c.time_budget):
                    break
                n = self._next_event() - self.iterations
                if target:
                    n = min(n, target - done_here)
                self.stop[0] = 0
                self.iterations += self._round(n)
                self.elapsed = start_elapsed + time.perf_counter() - started
                if self.stop[0] == STOP_POOL_FULL:
                    self.write_checkpoint()
                    raise RunError(f"memory: the lazy regret pool is full after {self.iterations:,} iterations "
                                   f"({format_bytes(self.tables.regrets.nbytes)}); a checkpoint was written, "
                                   "resume it with a larger --max-memory")
                if c.discount_interval and self.iterations <= c.discount_until \
                        and self.iterations % c.discount_interval == 0 and not self.interrupted:
                    k = self.iterations // c.discount_interval
                    self.tables.discount(k / (k + 1))
                now = time.perf_counter()
                rate = (self.iterations - start_iterations) / max(now - started, 1e-9)
                progress.update(task, its=self.iterations, rate=rate,
                                completed=(self.iterations - start_iterations) if target else now - started)
                if now - last["metrics"] >= c.metrics_interval:
                    line, mark = self._metrics_since(mark)
                    last["metrics"] = now
                if now - last["snapshot"] >= c.snapshot_interval:
                    self.write_blueprint(self.logdir / "snapshots" / f"snapshot-{self.iterations}.npz")
                    last["snapshot"] = now
                if now - last["checkpoint"] >= c.checkpoint_interval:
                    self.write_checkpoint()
                    last["checkpoint"] = now
        line, _ = self._metrics_since(mark)
        checkpoint = self.write_checkpoint()
        self.write_blueprint(self.logdir / "blueprint.npz")
        self.metrics_file.close()
        if self.writer is not None:
            self.writer.close()
        why = "interrupted" if self.interrupted else "budget reached"
        self.console.print(f"{why}: {self.iterations:,} iterations, checkpoint {checkpoint}, "
                           f"blueprint {self.logdir / 'blueprint.npz'}")
        return line

    def _metrics_since(self, mark: tuple[float, int, int, float]) -> tuple[dict, tuple[float, int, int, float]]:
        now, visits, cpu = time.perf_counter(), int(self.visits.sum()), _cpu_seconds()
        wall = max(now - mark[0], 1e-9)
        line = self.metrics((self.iterations - mark[1]) / wall, (visits - mark[2]) / wall, (cpu - mark[3]) / wall)
        self._log(line)
        return line, (now, self.iterations, visits, cpu)


def _cpu_seconds() -> float:
    """User plus system CPU seconds of this process."""
    t = os.times()
    return t.user + t.system
