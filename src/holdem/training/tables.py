"""Regret and average-strategy tables of a blueprint: memory estimate, dense or lazy allocation.

An infoset is a decision node of the betting tree and a bucket of the actor's street.
:func:`estimate` counts nodes, infosets and bytes before anything large is allocated; :func:`plan`
refuses a configuration that does not fit the memory limit and chooses lazy allocation (blocks
allocated by the kernels on first visit) when the full regret table does not fit but the rest does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.engine import STREETS
from holdem.solver.regret import discount, discount_all
from holdem.tree import DECISION, BettingTree

from .kernels import TableArrays, compact


class MemoryLimitError(ValueError):
    """The configuration does not fit in the memory allowed."""


def format_bytes(n: float) -> str:
    """``1536`` -> ``'1.5 KiB'``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    raise AssertionError


@dataclass(frozen=True)
class MemoryEstimate:
    """Sizes of a training run before allocation (bytes unless named otherwise)."""

    nodes: int
    decisions: int
    infosets: int
    entries: int
    tree_bytes: int
    index_bytes: int
    regret_bytes: int
    strategy_bytes: int
    buckets_bytes: int

    @property
    def fixed_bytes(self) -> int:
        """Everything but the regret table: always allocated in full."""
        return self.tree_bytes + self.index_bytes + self.strategy_bytes + self.buckets_bytes

    @property
    def dense_bytes(self) -> int:
        return self.fixed_bytes + self.regret_bytes

    def lines(self) -> list[str]:
        return [
            f"betting tree: {self.nodes:,} nodes, {self.decisions:,} decisions ({format_bytes(self.tree_bytes)})",
            f"infosets: {self.infosets:,}, table entries (infoset x action): {self.entries:,}",
            f"regrets (int32): {format_bytes(self.regret_bytes)}; average strategy (float64): "
            f"{format_bytes(self.strategy_bytes)}; node index: {format_bytes(self.index_bytes)}; "
            f"buckets: {format_bytes(self.buckets_bytes)}",
            f"total if dense: {format_bytes(self.dense_bytes)}",
        ]


def _block_sizes(tree: BettingTree, num_buckets: np.ndarray) -> np.ndarray:
    """int64 ``(N,)``: table entries of each decision node (0 for terminals)."""
    a = tree.arrays
    sizes = num_buckets[a.node_street.astype(np.int64)] * a.node_num_children.astype(np.int64)
    sizes[a.node_kind != DECISION] = 0
    return sizes


def _averaged(tree: BettingTree, average_streets: tuple[str, ...]) -> np.ndarray:
    a = tree.arrays
    streets = [STREETS.index(s) for s in average_streets]
    return (a.node_kind == DECISION) & np.isin(a.node_street, streets)


def estimate(tree: BettingTree, num_buckets: np.ndarray, average_streets: tuple[str, ...],
             buckets_bytes: int) -> MemoryEstimate:
    """Memory of training ``tree`` with ``num_buckets`` (int64 ``(4,)``) buckets per street."""
    sizes = _block_sizes(tree, num_buckets)
    decisions = tree.arrays.node_kind == DECISION
    infosets = int(num_buckets[tree.arrays.node_street[decisions].astype(np.int64)].sum())
    entries = int(sizes.sum())
    averaged = int(sizes[_averaged(tree, average_streets)].sum())
    return MemoryEstimate(tree.num_nodes, tree.num_decisions, infosets, entries, tree.nbytes,
                          16 * tree.num_nodes, 4 * entries, 8 * averaged, buckets_bytes)


def plan(est: MemoryEstimate, max_memory: int, lazy: str) -> int | None:
    """Regret pool size in entries for lazy allocation, or None for a dense table; ``lazy`` is
    ``"auto"`` (dense when it fits), ``"always"`` or ``"never"``.  :class:`MemoryLimitError` when it cannot fit."""
    limit = format_bytes(max_memory)
    if est.fixed_bytes >= max_memory:
        raise MemoryLimitError(
            f"needs {format_bytes(est.fixed_bytes)} before any regret (tree {format_bytes(est.tree_bytes)}, "
            f"index {format_bytes(est.index_bytes)}, average strategy {format_bytes(est.strategy_bytes)}, "
            f"buckets {format_bytes(est.buckets_bytes)}), more than the {limit} allowed")
    if lazy != "always" and est.dense_bytes <= max_memory:
        return None
    if lazy == "never":
        raise MemoryLimitError(f"dense tables need {format_bytes(est.dense_bytes)} ({est.entries:,} regrets), "
                               f"more than the {limit} allowed; allow lazy allocation or raise the memory limit")
    return min(est.entries, (max_memory - est.fixed_bytes) // 4)


@dataclass
class BlueprintTables:
    """The shared tables of one run: the kernels' ``arrays``, ``base_end`` (entries ``[0, base_end)``
    hold the blocks allocated up front or restored) and whether the pool is ``lazy``."""

    arrays: TableArrays
    base_end: int
    lazy: bool

    @classmethod
    def allocate(cls, tree: BettingTree, num_buckets: np.ndarray, average_streets: tuple[str, ...],
                 workers: int, pool_entries: int | None,
                 restored: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> BlueprintTables:
        """Zeroed tables, or the ``restored`` ``(node_offset, packed regrets, strategy_sum)`` of a
        checkpoint; dense when ``pool_entries`` is None, else a lazy pool of that many entries."""
        sizes = _block_sizes(tree, num_buckets)
        averaged = _averaged(tree, average_streets)
        avg_sizes = np.where(averaged, sizes, 0)
        avg_offset = np.where(averaged, np.cumsum(avg_sizes) - avg_sizes, -1).astype(np.int64)
        if restored is None:
            node_offset = np.full(tree.num_nodes, -1, dtype=np.int64)
            packed = np.zeros(0, dtype=np.int32)
            strategy_sum = np.zeros(int(avg_sizes.sum()))
        else:
            node_offset, packed, strategy_sum = (np.array(x) for x in restored)
            if strategy_sum.shape != (int(avg_sizes.sum()),) or node_offset.shape != (tree.num_nodes,):
                raise ValueError("checkpoint tables do not match the tree and buckets")
        base_end = packed.size
        if pool_entries is None:
            missing = (node_offset < 0) & (sizes > 0)
            extra = np.where(missing, sizes, 0)
            node_offset[missing] = (base_end + np.cumsum(extra) - extra)[missing]
            total = base_end + int(extra.sum())
            pool_next = np.full(workers, total, dtype=np.int64)
            pool_end = pool_next.copy()
            base_end = total
        else:
            total = max(pool_entries, base_end)
            bounds = base_end + (total - base_end) * np.arange(workers + 1) // workers
            pool_next = bounds[:-1].astype(np.int64)
            pool_end = bounds[1:].astype(np.int64)
        regrets = np.zeros(total, dtype=np.int32)
        regrets[:packed.size] = packed
        return cls(TableArrays(np.asarray(num_buckets, dtype=np.int64), node_offset, regrets, avg_offset, strategy_sum,
                               pool_next, pool_end), base_end, pool_entries is not None)

    def ranges(self) -> tuple[np.ndarray, np.ndarray]:
        """``(starts, ends)`` int64 of the allocated parts of ``regrets``."""
        if not self.lazy:
            return np.zeros(1, np.int64), np.array([self.base_end], np.int64)
        starts = np.r_[0, self.base_end, self.arrays.pool_end[:-1]]
        ends = np.r_[self.base_end, self.arrays.pool_next]
        return starts.astype(np.int64), ends.astype(np.int64)

    def allocated_entries(self) -> int:
        starts, ends = self.ranges()
        return int((ends - starts).sum())

    def discount(self, factor: float) -> None:
        """Linear-CFR discount: multiply every regret and strategy sum by ``factor``."""
        starts, ends = self.ranges()
        discount(self.arrays.regrets, starts, ends, factor, True)
        discount_all(self.arrays.strategy_sum, factor, False)

    def packed(self, tree: BettingTree) -> tuple[np.ndarray, np.ndarray]:
        """``(node_offset, regrets)`` with the allocated blocks packed in node order."""
        a = self.arrays
        return compact(tree.arrays, a.num_buckets, a.node_offset, a.regrets)
