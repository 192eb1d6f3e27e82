"""The memory floor of a range solver's iteration: the table traffic of its traversals and nothing else.

One CFR iteration makes a traversal per player (:mod:`holdem.search.kernels`).  Each reads the
regrets of every row it visits (regret matching), rewrites the traverser's regrets and reads and
rewrites the opponent's strategy sums.  :func:`table_floor_seconds` moves exactly those bytes
through the solver's own tables, with the solver's threads each taking a contiguous share of the
rows, and does no other work: no showdown, no reach, no tree walk.  No solver with these tables and
this schedule (alternating updates, a traversal per player) can run an iteration faster on the same
cores.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from holdem.search import RangeSolver
from holdem.solver.workers import run_workers


@njit(cache=True, nogil=True, fastmath=True)
def _stream(regrets: np.ndarray, strategy_sum: np.ndarray, rows: np.ndarray, actor: np.ndarray,
            player: int) -> float:
    """The table traffic of one traversal for ``player`` over ``rows`` (int64 ``(n,)``, acted at by
    ``actor`` int8 ``(n,)``) of float32 ``(R, H)`` tables.  The rewritten values stay finite and the
    sum read is returned, so that nothing can be optimised away; ``fastmath`` lets that sum run in
    SIMD lanes, as the solver's own loops along rows do (a sum in order is one long chain of
    dependent additions and would time the adder, not the memory: about twice as long)."""
    total = 0.0
    for i in range(rows.shape[0]):
        regret = regrets[rows[i]]
        s = 0.0
        for h in range(regret.shape[0]):
            s += regret[h]
        total += s
        if actor[i] == player:
            for h in range(regret.shape[0]):
                regret[h] = regret[h] * np.float32(0.5) + np.float32(1.0)
        else:
            average = strategy_sum[rows[i]]
            for h in range(average.shape[0]):
                average[h] = average[h] * np.float32(0.5) + regret[h]
    return total


def table_floor_seconds(solver: RangeSolver, iterations: int = 5) -> float:
    """Wall-clock seconds per iteration of the table traffic of ``solver``'s iterations on its threads
    (the best of ``iterations`` timed ones, after one untimed).  It overwrites the solver's tables:
    use it on a solver whose results are no longer needed."""
    rows, actor = solver.traversed_rows()
    bounds = np.linspace(0, len(rows), solver.threads + 1).astype(np.int64)
    regrets, strategy_sum = solver.tables.regrets, solver.tables.strategy_sum

    def iteration() -> None:
        for player in (0, 1):
            run_workers([lambda lo=lo, hi=hi: _stream(regrets, strategy_sum, rows[lo:hi], actor[lo:hi], player)
                         for lo, hi in zip(bounds[:-1], bounds[1:])], np.zeros(1, np.int64))

    iteration()
    best = float("inf")
    for _ in range(iterations):
        start = time.perf_counter()
        iteration()
        best = min(best, time.perf_counter() - start)
    return best
