"""Monte Carlo CFR driven by worker threads over one shared set of tables (see :mod:`.mccfr_kernels`).

Each round splits its iterations among the workers, which run lock-free in parallel and are all
joined; between rounds the driver applies the :class:`~holdem.solver.schedule.MCCFRSchedule`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from holdem.games.compiled import GameTree

from .base import Solver
from .mccfr_kernels import external_sampling, outcome_sampling
from .rng import private_rows, seed_states
from .schedule import MCCFRSchedule
from .tables import Tables
from .workers import run_workers, split_evenly


class MCCFRConfig(MCCFRSchedule):
    """MCCFR settings for the small games: the schedule (iteration counts for thousands of infosets),
    the sampling scheme and the table format (``regret_scale`` table units per utility unit)."""

    sampling: Literal["external", "outcome"] = "external"
    regret_dtype: Literal["float64", "int32"] = "float64"
    regret_scale: float = 1.0
    prune_after: int = Field(default=10_000, ge=0)
    discount_interval: int = Field(default=1_000, ge=0)
    discount_until: int = Field(default=40_000, ge=0)
    epsilon: float = Field(default=0.6, gt=0.0, le=1.0, description="outcome sampling's exploration")
    round_size: int = Field(default=20_000, ge=1, description="iterations between schedule checks")


class MCCFR(Solver):
    """External- or outcome-sampling MCCFR with ``config.workers()`` threads on shared tables."""

    def __init__(self, tree: GameTree, config: MCCFRConfig = MCCFRConfig()):
        super().__init__(tree, Tables.zeros(tree.arrays.infoset_offset, config.regret_dtype))
        self.config = config
        self.rng = seed_states(config.seed, config.workers())
        self.stop = np.zeros(1, dtype=np.int64)

    def run_round(self, iterations: int) -> None:
        """One round of ``iterations`` split among the workers, without the schedule's end-of-round step
        and without counting them (pruning follows ``self.iterations``): :meth:`run` adds both, a
        distributed driver applies them to its merged tables."""
        c, t = self.config, self.tables
        shares = split_evenly(iterations, self.rng.shape[0])
        prune_probability = c.prune_share(self.iterations)
        rng = private_rows(self.rng)
        if c.sampling == "external":
            def body(w):
                return lambda: external_sampling(
                    self.tree.arrays, t.regrets, t.strategy_sum, rng[w], shares[w], prune_probability,
                    c.prune_threshold, c.regret_floor, c.regret_scale, t.integer, self.stop)
        else:
            def body(w):
                return lambda: outcome_sampling(
                    self.tree.arrays, t.regrets, t.strategy_sum, rng[w], shares[w], c.epsilon,
                    c.regret_floor, c.regret_scale, t.integer, self.stop)
        self.stop[0] = 0
        run_workers([body(w) for w in range(len(shares)) if shares[w] > 0], self.stop)
        self.rng[:] = rng

    def run(self, iterations: int) -> None:
        target = self.iterations + iterations
        while self.iterations < target:
            n = min(self.config.round_length(self.iterations, self.config.round_size), target - self.iterations)
            self.run_round(n)
            self.iterations += n
            self.config.end_round(self.iterations, self.tables)
