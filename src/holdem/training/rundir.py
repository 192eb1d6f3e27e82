"""A run directory: the files of one blueprint run, apart from the training loop.

``logdir/`` holds ``config.yaml``, ``metrics.jsonl`` (one JSON line per interval), ``tensorboard/``,
``snapshots/``, ``checkpoints/`` (the newest ``keep``) and, at the end, ``blueprint.npz``.  Nothing is
written before :meth:`RunDirectory.open`, which drops metrics lines past the resumed checkpoint.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from holdem import files
from holdem.tree import BettingTree

from .checkpoint import BLUEPRINT, CHECKPOINT, write_tables
from .tables import BlueprintTables


class RunError(ValueError):
    """A run that cannot start or continue; the message says why in one line.  ``setting`` names
    the setting at fault (``"logdir"``, ``"resume_from"``, ``"buckets"``, ``"max_memory"``), if one is."""

    def __init__(self, message: str, setting: str | None = None):
        super().__init__(message)
        self.setting = setting


class RunDirectory:
    """The files of a run in ``path`` (see the module docstring)."""

    def __init__(self, path: Path, keep_checkpoints: int = 3, tensorboard: bool = True):
        self.path = Path(path)
        self.keep_checkpoints = keep_checkpoints
        self.tensorboard = tensorboard
        self._metrics = None
        self._writer = None

    @property
    def blueprint_path(self) -> Path:
        return self.path / "blueprint.npz"

    def open(self, config_text: str, start_iterations: int) -> int:
        """Create the directory, write ``config.yaml`` and open the metrics for appending, after
        dropping the lines past ``start_iterations``; returns the number of lines dropped."""
        try:
            for sub in ("checkpoints", "snapshots"):
                (self.path / sub).mkdir(parents=True, exist_ok=True)
            (self.path / "config.yaml").write_text(config_text)
            dropped = self._truncate_metrics(start_iterations)
            self._metrics = open(self.path / "metrics.jsonl", "a", buffering=1)
        except OSError as e:
            raise RunError(f"{self.path}: not writable ({e.strerror or e})", "logdir") from None
        if self.tensorboard:
            from tensorboardX import SummaryWriter

            self._writer = SummaryWriter(str(self.path / "tensorboard"), purge_step=start_iterations + 1)
        return dropped

    def _truncate_metrics(self, start_iterations: int) -> int:
        path = self.path / "metrics.jsonl"
        if not path.exists():
            return 0
        kept, dropped = [], 0
        for line in path.read_text().splitlines():
            try:
                keep = json.loads(line)["iterations"] <= start_iterations
            except (ValueError, KeyError, TypeError):
                keep = False  # a line cut by a kill
            if keep:
                kept.append(line + "\n")
            else:
                dropped += 1
        if dropped:
            files.atomic_write(path, lambda f: f.write("".join(kept).encode()))
        return dropped

    def log(self, line: dict) -> None:
        """Append a metrics line (and its numbers to TensorBoard at step ``line["iterations"]``)."""
        self._metrics.write(json.dumps(line) + "\n")
        if self._writer is not None:
            for key, value in line.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool) and key != "iterations":
                    self._writer.add_scalar(key, value, line["iterations"])
            self._writer.flush()

    def write_checkpoint(self, tree: BettingTree, tables: BlueprintTables, info: dict, rng: np.ndarray,
                         config: dict) -> Path:
        """Write ``checkpoints/checkpoint-<iterations>.npz`` and delete all but the newest ``keep``."""
        path = self.path / "checkpoints" / f"checkpoint-{info['iterations']}.npz"
        write_tables(path, CHECKPOINT, tree, tables, {**info, "config": config}, {"rng": rng})
        for stale in files.numbered(self.path / "checkpoints", "checkpoint")[:-self.keep_checkpoints]:
            stale.unlink(missing_ok=True)
        return path

    def write_snapshot(self, tree: BettingTree, tables: BlueprintTables, info: dict) -> None:
        write_tables(self.path / "snapshots" / f"snapshot-{info['iterations']}.npz", BLUEPRINT, tree, tables, info)

    def write_blueprint(self, tree: BettingTree, tables: BlueprintTables, info: dict) -> None:
        write_tables(self.blueprint_path, BLUEPRINT, tree, tables, info)

    def close(self) -> None:
        if self._metrics is not None:
            self._metrics.close()
        if self._writer is not None:
            self._writer.close()
