"""Explicit-state random numbers for numba kernels: xoshiro256** seeded through splitmix64 (Blackman &
Vigna 2018); each worker advances its own row of a uint64 ``(W, 4)`` state array."""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_MASK64 = (1 << 64) - 1


def seed_states(seed: int, num_workers: int) -> np.ndarray:
    """Independent xoshiro256** states, uint64 ``(num_workers, 4)``, from splitmix64 of ``seed``."""
    states = np.empty((num_workers, 4), dtype=np.uint64)
    x = seed & _MASK64
    for w in range(num_workers):
        for j in range(4):
            x = (x + int(_GOLDEN)) & _MASK64
            z = x
            z = ((z ^ (z >> 30)) * int(_MIX1)) & _MASK64
            z = ((z ^ (z >> 27)) * int(_MIX2)) & _MASK64
            states[w, j] = z ^ (z >> 31)
    return states


def private_rows(states: np.ndarray) -> list[np.ndarray]:
    """A private copy of each worker's row of ``states`` (uint64 ``(W, 4)``) for a threaded run, each
    in the middle of its own 192-byte buffer so that no two workers write one cache line (false
    sharing).  Copy the rows back into ``states`` when the workers are done."""
    rows = []
    for row in states:
        buffer = np.zeros(24, dtype=np.uint64)
        buffer[8:12] = row
        rows.append(buffer[8:12])
    return rows


@njit(inline="always")
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, nogil=True)
def next_u64(state: np.ndarray) -> np.uint64:
    """Next 64-bit output of xoshiro256**; advances ``state`` (uint64 ``(4,)``) in place."""
    result = _rotl(state[1] * np.uint64(5), 7) * np.uint64(9)
    t = state[1] << np.uint64(17)
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = _rotl(state[3], 45)
    return result


@njit(cache=True, nogil=True)
def uniform(state: np.ndarray) -> float:
    """A float64 uniform on [0, 1) with 53 random bits; advances ``state``."""
    return float(next_u64(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, nogil=True)
def sample_index(probs: np.ndarray, n: int, state: np.ndarray) -> int:
    """Index ``i < n`` drawn with probability ``probs[i]`` (float64, summing to ~1)."""
    u = uniform(state)
    acc = 0.0
    for i in range(n - 1):
        acc += probs[i]
        if u < acc:
            return i
    return n - 1
