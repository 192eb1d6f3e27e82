"""Delta kernels: what an actor's int32 regrets changed by, and adding such changes into the master.

Additions saturate as the training kernels store regrets (:func:`holdem.solver.regret.store_regret`):
never below the regret floor, never past the int32 range.  A delta is itself an int32 change,
saturated to the int32 range (one sync interval moves no regret that far in practice).
"""

from __future__ import annotations

import numpy as np
from numba import njit

INT32_MIN = -2147483648
INT32_MAX = 2147483647


@njit(cache=True, nogil=True)
def regret_delta(current: np.ndarray, base: np.ndarray) -> np.ndarray:
    """``current - base`` of two int32 ``(A,)`` tables, saturated to int32: int32 ``(A,)``."""
    out = np.empty(current.shape[0], dtype=np.int32)
    for i in range(current.shape[0]):
        d = np.int64(current[i]) - np.int64(base[i])
        out[i] = min(max(d, INT32_MIN), INT32_MAX)
    return out


@njit(inline="always")
def _saturated(value: np.int64, floor: np.int64) -> np.int64:
    return min(max(value, floor, INT32_MIN), INT32_MAX)


@njit(cache=True, nogil=True)
def add_dense(table: np.ndarray, delta: np.ndarray, floor: int) -> None:
    """``table += delta`` in place (int32 ``(A,)`` each), every entry saturated to ``[floor, INT32_MAX]``."""
    for i in range(table.shape[0]):
        if delta[i] != 0:
            table[i] = _saturated(np.int64(table[i]) + delta[i], floor)


@njit(cache=True, nogil=True)
def add_sparse(table: np.ndarray, index: np.ndarray, values: np.ndarray, floor: int) -> None:
    """``table[index] += values`` in place (``index`` int64 ``(M,)`` distinct, ``values`` int32
    ``(M,)``), every entry saturated to ``[floor, INT32_MAX]``."""
    for j in range(index.shape[0]):
        i = index[j]
        table[i] = _saturated(np.int64(table[i]) + values[j], floor)
