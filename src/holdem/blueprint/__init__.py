"""A trained blueprint: load it, and read its action probabilities per tree node and bucket.

A blueprint file (``blueprint.npz`` of a run directory, or a snapshot, see
:mod:`holdem.training.checkpoint`) is turned into action probabilities on load: the average
strategy where it was kept (Pluribus: preflop), the final current strategy elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import numpy as np

from holdem import files
from holdem.abstraction import buckets as bk
from holdem.training.checkpoint import BLUEPRINT, read_run_tree
from holdem.tree import BettingTree

from .kernels import policy


def find(path: Path) -> Path:
    """The blueprint file of ``path``: itself, or a run directory's ``blueprint.npz`` or newest snapshot."""
    path = Path(path)
    if not path.is_dir():
        return path
    if (path / "blueprint.npz").exists():
        return path / "blueprint.npz"
    snapshots = files.numbered(path / "snapshots", "snapshot")
    if not snapshots:
        raise files.FileFormatError(f"{path}: no blueprint.npz and no snapshots in this run directory")
    return snapshots[-1]


def load_buckets(path: Path, manifest: dict, buckets: str | Path | bk.Buckets | None) -> bk.Buckets:
    """The buckets a policy file was trained with: ``buckets`` if given, else the file recorded in
    ``manifest``; a file whose sha256 differs from the recorded one is refused naming both files."""
    if isinstance(buckets, bk.Buckets):
        return buckets
    buckets_path = Path(buckets if buckets is not None else manifest["buckets_path"])
    if not buckets_path.exists():
        raise files.FileFormatError(f"{path}: its buckets file {buckets_path} is missing (pass buckets=...)")
    if files.file_sha256(buckets_path) != manifest["buckets_sha256"]:
        raise files.FileFormatError(f"{path} was trained with buckets of sha256 {manifest['buckets_sha256'][:12]}..., "
                                    f"{buckets_path} differs")
    return bk.load(buckets_path)


class NodeLists(NamedTuple):
    """The tree fields a lookup in a real game reads, per node, as Python lists indexed by node (one
    read costs less than a numpy array's)."""

    kind: list[int]
    player: list[int]
    street: list[int]
    first_child: list[int]
    num_children: list[int]
    action: list[int]
    all_in: list[bool]
    fraction: list[float]


@dataclass
class Blueprint:
    """A loaded blueprint: its tree, float32 probabilities per infoset (laid out by ``offsets``,
    int64 ``(N,)``, -1 for nodes never reached), the buckets it was trained with and its file."""

    tree: BettingTree
    num_buckets: np.ndarray
    offsets: np.ndarray
    probs: np.ndarray
    buckets: bk.Buckets
    manifest: dict
    source: Path

    @classmethod
    def load(cls, path: str | Path, buckets: str | Path | bk.Buckets | None = None) -> Blueprint:
        """Load a blueprint file or run directory, with ``buckets`` as in :func:`load_buckets`."""
        path = find(Path(path))
        arrays, manifest = files.load(path, BLUEPRINT)
        tree = read_run_tree(path, arrays, manifest)
        buckets = load_buckets(path, manifest, buckets)
        if [buckets.k[s] for s in bk.STREETS] != arrays["num_buckets"].tolist():
            raise files.FileFormatError(f"{path}: trained with {arrays['num_buckets'].tolist()} buckets per street, "
                                        f"the buckets given have {[buckets.k[s] for s in bk.STREETS]}")
        if "probs" in arrays:  # written by holdem 0.1.0, with the probabilities computed
            probs = arrays["probs"]
        else:
            probs = policy(tree.arrays, arrays["num_buckets"], arrays["offsets"], arrays["regrets"],
                           arrays["avg_offset"], arrays["strategy_sum"])
        return cls(tree, arrays["num_buckets"], arrays["offsets"], probs, buckets, manifest, path)

    @property
    def num_players(self) -> int:
        return self.tree.game.num_players

    @cached_property
    def nodes(self) -> NodeLists:
        """The tree's :class:`NodeLists` (made on first use)."""
        a = self.tree.arrays
        return NodeLists(*(getattr(a, f"node_{name}").tolist() for name in NodeLists._fields))

    def node_strategy(self, node: int, bucket: int) -> np.ndarray:
        """float64 probabilities of ``node``'s children for ``bucket`` (uniform if never reached)."""
        k = int(self.tree.arrays.node_num_children[node])
        base = int(self.offsets[node])
        if base < 0:
            return np.full(k, 1.0 / k)
        return self.probs[base + bucket * k:base + (bucket + 1) * k].astype(np.float64)

    def describe(self) -> str:
        m = self.manifest
        return (f"blueprint: {self.num_players} players, {m.get('iterations', 0):,} iterations, "
                f"{self.tree.num_nodes:,} tree nodes, buckets {self.num_buckets.tolist()}")
