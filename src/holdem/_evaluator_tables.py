"""Lookup tables for :mod:`holdem.evaluator`, built with numpy/numba at import time.

The design follows OMPEval (zekyll, "Fast Poker Hand Evaluator"):

* Additive *rank bases* whose sums over every multiset of 5 to 7 ranks are distinct and below
  2**24 (from b-inary's ``holdem-hand-evaluator``; re-checked at every build).
* The sum of rank bases of a non-flush hand, scrambled by an odd multiplier modulo 2**24, maps to
  its rank by a single-displacement perfect hash: ``LOOKUP[m + HASH_OFFSETS[m >> HASH_SHIFT]]``.
* A flush is ranked from the 13-bit rank mask of its suit (``FLUSH_LOOKUP``).

Classes are ordered by a *value* ``category << 20 | r1 << 16 | ... | r5``, ``r1..r5`` the tie-break
ranks (0..12 = 2..A) in order of significance.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.cards import NUM_RANKS

NUM_CLASSES = 7462

#: Additive rank bases (distinct sums over multisets of 5..7 ranks, <= 4 of each).
RANK_BASES = np.array(
    [1, 4, 16, 67, 295, 1334, 5734, 23800, 60883, 208450, 509982, 1304151, 2967844],
    dtype=np.int64,
)

#: Perfect hash: odd multiplier (2**32 / golden ratio, Fibonacci hashing) and row shift.
HASH_MULTIPLIER = 0x9E3779B1
HASH_SHIFT = 9
RANK_KEY_MASK = (1 << 24) - 1

#: Hand categories, index = category code.
CATEGORY_NAMES = (
    "high card", "pair", "two pair", "three of a kind", "straight",
    "flush", "full house", "four of a kind", "straight flush",
)

_WHEEL = 0x100F  # A-2-3-4-5 as a rank mask


@njit(cache=True)
def _straight_high(mask: int) -> int:
    """Highest rank (3..12) ending a straight in a 13-bit rank mask, or -1."""
    for high in range(12, 3, -1):
        if (mask >> (high - 4)) & 0x1F == 0x1F:
            return high
    if mask & _WHEEL == _WHEEL:
        return 3
    return -1


@njit(cache=True)
def _pack(category: int, ranks: np.ndarray, n: int) -> int:
    """Value ``category << 20`` plus the first ``n`` tie-break ranks in nibbles 4..0."""
    value = category << 20
    for i in range(n):
        value |= ranks[i] << (16 - 4 * i)
    return value


@njit(cache=True)
def _flush_value(mask: int) -> int:
    """Value of the best five cards of one suit given its rank mask (>= 5 bits)."""
    high = _straight_high(mask)
    if high >= 0:
        return (8 << 20) | (high << 16)
    top = np.empty(5, np.int64)
    n = 0
    for r in range(12, -1, -1):
        if n < 5 and mask >> r & 1:
            top[n] = r
            n += 1
    return _pack(5, top, 5)


@njit(cache=True)
def _nonflush_value(counts: np.ndarray) -> int:
    """Value of the best five cards ignoring suits, from per-rank counts (13,) summing to 5..7."""
    quad = trip = pair1 = pair2 = -1
    mask = 0
    for r in range(12, -1, -1):
        c = counts[r]
        if c:
            mask |= 1 << r
        if c == 4 and quad < 0:
            quad = r
        elif c >= 3 and trip < 0:
            trip = r
        elif c >= 2:
            # a second set of trips counts as a pair for a full house
            if pair1 < 0:
                pair1 = r
            elif pair2 < 0:
                pair2 = r
    kick = np.empty(5, np.int64)
    if quad >= 0:
        kick[0] = quad
        _top_ranks(mask & ~(1 << quad), kick, 1, 1)
        return _pack(7, kick, 2)
    if trip >= 0 and pair1 >= 0:
        kick[0] = trip
        kick[1] = pair1
        return _pack(6, kick, 2)
    high = _straight_high(mask)
    if high >= 0:
        return (4 << 20) | (high << 16)
    if trip >= 0:
        kick[0] = trip
        _top_ranks(mask & ~(1 << trip), kick, 1, 2)
        return _pack(3, kick, 3)
    if pair2 >= 0:
        kick[0] = pair1
        kick[1] = pair2
        _top_ranks(mask & ~(1 << pair1) & ~(1 << pair2), kick, 2, 1)
        return _pack(2, kick, 3)
    if pair1 >= 0:
        kick[0] = pair1
        _top_ranks(mask & ~(1 << pair1), kick, 1, 3)
        return _pack(1, kick, 4)
    _top_ranks(mask, kick, 0, 5)
    return _pack(0, kick, 5)


@njit(cache=True)
def _top_ranks(mask: int, out: np.ndarray, start: int, n: int) -> None:
    """Write the ``n`` highest ranks of ``mask`` into ``out[start:start + n]``."""
    i = start
    for r in range(12, -1, -1):
        if i < start + n and mask >> r & 1:
            out[i] = r
            i += 1


@njit(cache=True)
def _values_of_counts(counts: np.ndarray) -> np.ndarray:
    """Non-flush values (N,) int64 for count rows (N, 13)."""
    out = np.empty(counts.shape[0], np.int64)
    for i in range(counts.shape[0]):
        out[i] = _nonflush_value(counts[i])
    return out


@njit(cache=True)
def _flush_values() -> np.ndarray:
    """Flush values (8192,) int64 indexed by rank mask; 0 where the mask has < 5 bits."""
    out = np.zeros(1 << NUM_RANKS, np.int64)
    for mask in range(1 << NUM_RANKS):
        bits = 0
        for r in range(NUM_RANKS):
            bits += mask >> r & 1
        if bits >= 5:
            out[mask] = _flush_value(mask)
    return out


@njit(cache=True)
def _count_vectors(min_cards: int, max_cards: int, out: np.ndarray) -> int:
    """Enumerate count vectors (odometer over ranks); fill ``out`` if it is large enough; return N."""
    counts = np.zeros(NUM_RANKS, np.int64)
    total = n = 0
    while True:
        if total >= min_cards:
            if n < out.shape[0]:
                out[n] = counts
            n += 1
        i = NUM_RANKS - 1
        while i >= 0:
            if counts[i] < 4 and total < max_cards:
                counts[i] += 1
                total += 1
                break
            total -= counts[i]
            counts[i] = 0
            i -= 1
        if i < 0:
            return n


def rank_count_vectors(min_cards: int, max_cards: int) -> np.ndarray:
    """All per-rank count vectors (N, 13) int64 with counts <= 4 and min..max cards in total."""
    n = _count_vectors(min_cards, max_cards, np.empty((0, NUM_RANKS), np.int64))
    out = np.empty((n, NUM_RANKS), np.int64)
    _count_vectors(min_cards, max_cards, out)
    return out


@njit(cache=True)
def _displacement_offsets(keys: np.ndarray, shift: int) -> tuple[np.ndarray, int]:
    """Single-displacement perfect hash for distinct non-negative ``keys`` (N,) int64: rows
    ``key >> shift`` are placed, fullest first, at the lowest base where all their columns land on
    free slots.  Returns ``offsets`` (rows,) int64 (``slot = key + offsets[key >> shift]``) and the size.
    """
    n_rows = (keys.max() >> shift) + 1
    width = 1 << shift
    counts = np.zeros(n_rows, np.int64)
    for k in keys:
        counts[k >> shift] += 1
    order = np.argsort(-counts, kind="mergesort")
    starts = np.zeros(n_rows + 1, np.int64)
    starts[1:] = np.cumsum(counts)
    cols = np.empty(len(keys), np.int64)
    fill = starts[:-1].copy()
    for k in keys:
        row = k >> shift
        cols[fill[row]] = k & (width - 1)
        fill[row] += 1
    capacity = len(keys) * 4 + 2 * width
    used = np.zeros(capacity, np.bool_)
    # next_free[i]: a slot >= i that is free or leads on to one (union-find, path halving)
    next_free = np.arange(capacity + 1)
    offsets = np.zeros(n_rows, np.int64)
    size = 0
    for row in order:
        if counts[row] == 0:
            break
        row_cols = cols[starts[row]:starts[row + 1]]
        first = row_cols.min()
        slot = first  # try bases that put the row's first column on a free slot
        while True:
            while next_free[slot] != slot:
                next_free[slot] = next_free[next_free[slot]]
                slot = next_free[slot]
            base = slot - first
            if base + width > capacity:
                raise ValueError("perfect hash table overflow")
            ok = True
            for c in row_cols:
                if used[base + c]:
                    ok = False
                    break
            if ok:
                break
            slot += 1
        for c in row_cols:
            used[base + c] = True
            next_free[base + c] = base + c + 1
            size = max(size, base + c + 1)
        offsets[row] = base - (row << shift)
    return offsets, size


def build_tables() -> dict[str, np.ndarray]:
    """All evaluator tables: ``CLASS_VALUES`` (7462,) int64 (rank ``i + 1`` has value
    ``CLASS_VALUES[i]``), ``FLUSH_LOOKUP`` (8192,) uint16 (rank of the best flush in a suit rank
    mask), ``HASH_OFFSETS`` (<= 32768,) int32 and ``LOOKUP`` (73775,) uint16 (the perfect hash of
    non-flush rank keys), ``MASK_RANK_KEYS`` (8192,) int32 (sum of rank bases over a rank mask).
    """
    five = rank_count_vectors(5, 5)
    flush_values = _flush_values()
    class_values = np.union1d(_values_of_counts(five), flush_values[flush_values > 0])
    if len(class_values) != NUM_CLASSES:
        raise RuntimeError(f"{len(class_values)} five-card classes, expected {NUM_CLASSES}")

    flush_lookup = np.zeros(1 << NUM_RANKS, np.uint16)
    is_flush = flush_values > 0
    flush_lookup[is_flush] = np.searchsorted(class_values, flush_values[is_flush]) + 1

    counts = rank_count_vectors(5, 7)
    keys = counts @ RANK_BASES
    if len(np.unique(keys)) != len(keys):
        raise RuntimeError("rank bases do not give distinct sums")
    mixed = keys * HASH_MULTIPLIER & RANK_KEY_MASK
    offsets, size = _displacement_offsets(mixed, HASH_SHIFT)
    lookup = np.zeros(size, np.uint16)
    lookup[mixed + offsets[mixed >> HASH_SHIFT]] = (
        np.searchsorted(class_values, _values_of_counts(counts)) + 1
    )

    bits = (np.arange(1 << NUM_RANKS)[:, None] >> np.arange(NUM_RANKS)) & 1
    return {
        "CLASS_VALUES": class_values,
        "FLUSH_LOOKUP": flush_lookup,
        "HASH_OFFSETS": offsets.astype(np.int32),
        "LOOKUP": lookup,
        "MASK_RANK_KEYS": (bits @ RANK_BASES).astype(np.int32),
    }
