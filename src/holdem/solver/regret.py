"""Game-independent regret-table building blocks shared by every CFR kernel.

Regrets may be float64 or int32 (Pluribus; Brown & Sandholm 2019): int32 regrets are fixed point,
rounded, clamped to the int32 range and floored, so they can neither overflow nor sink without bound.
"""

from __future__ import annotations

import numpy as np
from numba import njit

INT32_MAX = 2147483647.0


@njit(cache=True, nogil=True)
def regret_matching(regrets: np.ndarray, offset: int, n: int, out: np.ndarray) -> None:
    """Write into ``out[:n]`` the strategy proportional to the positive part of
    ``regrets[offset:offset+n]`` (uniform when none is positive) (Hart & Mas-Colell 2000)."""
    total = 0.0
    for a in range(n):
        r = float(regrets[offset + a])
        out[a] = r if r > 0.0 else 0.0
        total += out[a]
    if total > 0.0:
        for a in range(n):
            out[a] /= total
    else:
        for a in range(n):
            out[a] = 1.0 / n


@njit(inline="always")
def store_regret(regrets: np.ndarray, i: int, value: float, floor: float, integer: bool) -> None:
    """Set ``regrets[i] = max(value, floor)``, rounded and clamped to int32 when ``integer``."""
    if value < floor:
        value = floor
    if integer:
        if value > INT32_MAX:
            value = INT32_MAX
        regrets[i] = np.rint(value)
    else:
        regrets[i] = value


@njit(inline="always")
def next_action(regrets: np.ndarray, offset: int, k: int, a: int, prune: bool, threshold: float,
                child_marks: np.ndarray, first: int, ends_game: int) -> int:
    """The first of the ``k`` actions after ``a`` that a traversal explores (``k`` if none).

    With ``prune`` (Pluribus's negative-regret pruning), an action whose regret is below
    ``threshold`` is skipped unless its child ``first + action`` ends the game, i.e.
    ``child_marks[first + action] == ends_game`` (each tree format marks its terminals its own way).
    """
    a += 1
    while a < k and prune and regrets[offset + a] < threshold and child_marks[first + a] != ends_game:
        a += 1
    return a


@njit(cache=True, nogil=True)
def discount(table: np.ndarray, starts: np.ndarray, ends: np.ndarray, factor: float, integer: bool) -> None:
    """Multiply ``table[starts[i]:ends[i]]`` by ``factor`` in place for every range (rounding when
    ``integer``; ``starts``, ``ends`` int64 ``(R,)``): Pluribus's linear-CFR discount."""
    for r in range(starts.shape[0]):
        for i in range(starts[r], ends[r]):
            if integer:
                table[i] = np.rint(table[i] * factor)
            else:
                table[i] = table[i] * factor


def discount_all(table: np.ndarray, factor: float, integer: bool) -> None:
    """:func:`discount` of the whole of ``table``."""
    discount(table, np.zeros(1, np.int64), np.array([table.shape[0]], np.int64), factor, integer)


def normalized(strategy_sum: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-infoset normalisation of a nonnegative float64 ``(A,)`` table (uniform where all zero)."""
    counts = np.diff(offsets)
    sums = np.repeat(np.add.reduceat(strategy_sum, offsets[:-1]), counts)
    uniform = np.repeat(1.0 / counts, counts)
    safe = np.where(sums > 0.0, sums, 1.0)
    return np.where(sums > 0.0, strategy_sum / safe, uniform)
