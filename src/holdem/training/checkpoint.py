"""The files of a run's tables: checkpoints (to resume) and blueprints (to play), one layout.

Both hold the betting tree (``tree_*`` arrays), ``num_buckets`` and the tables packed in node order
(``offsets`` int64 ``(N,)``, ``regrets`` int32, ``avg_offset`` int64 ``(N,)``, ``strategy_sum``
float64); a checkpoint adds the workers' RNG rows and the run's config.  The manifest names the
game, the player count, the iterations and the buckets file (path and sha256).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from holdem import files
from holdem.tree import BettingTree, GameConfig, read_tree, tree_arrays

from .tables import BlueprintTables

CHECKPOINT = "holdem-checkpoint"
BLUEPRINT = "holdem-blueprint"


def write_tables(path: Path, kind: str, tree: BettingTree, tables: BlueprintTables, info: dict,
                 extra: dict[str, np.ndarray] | None = None) -> None:
    """Write ``tables`` of ``tree`` as a ``kind`` file; ``info`` joins the manifest, ``extra`` the arrays."""
    offsets, regrets = tables.packed(tree)
    t = tables.arrays
    arrays = {**tree_arrays(tree), "num_buckets": t.num_buckets, "offsets": offsets, "regrets": regrets,
              "avg_offset": t.avg_offset, "strategy_sum": t.strategy_sum, **(extra or {})}
    manifest = {"game": tree.game.model_dump(mode="json"), "num_players": tree.game.num_players,
                "max_depth": tree.max_depth, **info}
    files.save(path, kind, arrays, manifest)


def read_run_tree(path: Path, arrays: dict[str, np.ndarray], manifest: dict) -> BettingTree:
    """The betting tree stored in a checkpoint or blueprint file ``path``."""
    try:
        return read_tree(GameConfig.model_validate(manifest["game"]), arrays, manifest["max_depth"])
    except (KeyError, ValueError, TypeError) as e:
        raise files.FileFormatError(f"{path}: incomplete file ({e})") from None


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint read (once) from ``path``: its arrays and manifest."""

    path: Path
    arrays: dict[str, np.ndarray]
    manifest: dict

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        """The checkpoint ``path``, or the newest checkpoint of the run directory ``path``."""
        path = Path(path)
        if path.is_dir():
            found = files.numbered(path / "checkpoints", "checkpoint")
            if not found:
                raise files.FileFormatError(f"{path}: no checkpoints in this run directory")
            path = found[-1]
        elif not path.exists():
            raise files.FileFormatError(f"{path}: no such file or directory")
        arrays, manifest = files.load(path, CHECKPOINT)
        return cls(path, arrays, manifest)

    @property
    def iterations(self) -> int:
        return int(self.manifest["iterations"])

    @property
    def config(self) -> dict:
        """The settings of the run that wrote it."""
        return dict(self.manifest["config"])

    def tree(self) -> BettingTree:
        return read_run_tree(self.path, self.arrays, self.manifest)

    def tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(node_offset, packed regrets, strategy_sum)`` to restore."""
        return self.arrays["offsets"], self.arrays["regrets"], self.arrays["strategy_sum"]
