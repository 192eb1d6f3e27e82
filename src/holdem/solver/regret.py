"""Game-independent regret-table building blocks shared by every CFR kernel.

Tables are flat per-action arrays split into infosets by an int32 ``offsets`` array (see
:mod:`holdem.games.tree`). Regrets may be float64 or int32 (Pluribus; Brown & Sandholm 2019):
int32 regrets are stored in fixed units of ``scale`` per utility unit, rounded, clamped to the
int32 range and floored, so they can neither overflow nor sink without bound.
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


@njit(cache=True, nogil=True)
def discount(table: np.ndarray, factor: float, integer: bool) -> None:
    """Multiply every entry of ``table`` by ``factor`` in place (rounding when ``integer``): the
    periodic linear-CFR discount of Pluribus, factor ``k / (k + 1)`` at the k-th discount."""
    for i in range(table.shape[0]):
        if integer:
            table[i] = np.rint(table[i] * factor)
        else:
            table[i] = table[i] * factor


def normalized(strategy_sum: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-infoset normalisation of a nonnegative float64 ``(A,)`` table (uniform where all zero)."""
    counts = np.diff(offsets)
    sums = np.repeat(np.add.reduceat(strategy_sum, offsets[:-1]), counts)
    uniform = np.repeat(1.0 / counts, counts)
    safe = np.where(sums > 0.0, sums, 1.0)
    return np.where(sums > 0.0, strategy_sum / safe, uniform)
