"""The blueprint's policy kernel: action probabilities from a run's packed tables."""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.solver.regret import regret_matching
from holdem.tree import TreeArrays


@njit(cache=True, nogil=True)
def policy(tree: TreeArrays, num_buckets: np.ndarray, offsets: np.ndarray, regrets: np.ndarray,
           avg_offset: np.ndarray, strategy_sum: np.ndarray) -> np.ndarray:
    """The blueprint's action probabilities, float32, laid out like the packed ``regrets`` (see
    :func:`holdem.training.kernels.compact`): the normalised average strategy where it is kept and was reached, the
    current (regret-matching) strategy elsewhere, uniform where no regret is positive."""
    out = np.empty(regrets.shape[0], dtype=np.float32)
    sigma = np.empty(np.int64(tree.node_num_children.max()))
    for node in range(offsets.shape[0]):
        base = offsets[node]
        if base < 0:
            continue
        k = np.int64(tree.node_num_children[node])
        avg = avg_offset[node]
        for b in range(num_buckets[tree.node_street[node]]):
            off = base + b * k
            total = 0.0
            if avg >= 0:
                for a in range(k):
                    total += strategy_sum[avg + b * k + a]
            if total > 0.0:
                for a in range(k):
                    out[off + a] = strategy_sum[avg + b * k + a] / total
            else:
                regret_matching(regrets, off, k, sigma)
                for a in range(k):
                    out[off + a] = sigma[a]
    return out
