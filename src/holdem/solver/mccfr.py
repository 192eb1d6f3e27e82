"""Monte Carlo CFR driven by worker threads over one shared set of tables (see :mod:`.mccfr_kernels`).

Training proceeds in rounds: each round splits its iterations among the workers, which run in
parallel (lock-free, as in Pluribus) and are all joined before the round ends. Between rounds the
driver applies Pluribus's schedule: the linear-CFR discount ``k / (k + 1)`` of regrets and strategy
sums at the k-th multiple of ``discount_interval`` up to ``discount_until``, and negative-regret
pruning on a ``prune_probability`` share of iterations from ``prune_after`` on. With one worker a
seed fixes the run bit for bit, however it is split into ``run`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.games.tree import GameTree

from .base import Solver
from .mccfr_kernels import external_sampling, outcome_sampling
from .regret import discount
from .rng import private_rows, seed_states
from .tables import Tables
from .workers import run_workers, split_evenly

SAMPLING = ("external", "outcome")


@dataclass(frozen=True)
class MCCFRConfig:
    """MCCFR settings. Regret quantities are in table units (``regret_scale`` per utility unit);
    the pruning and floor defaults are Pluribus's int32 values."""

    sampling: str = "external"
    workers: int = 1
    seed: int = 0
    regret_dtype: str = "float64"
    regret_scale: float = 1.0
    regret_floor: float = -310_000_000.0
    prune_threshold: float = -300_000_000.0
    prune_probability: float = 0.95
    prune_after: int = 10_000
    discount_interval: int = 1_000
    discount_until: int = 40_000
    epsilon: float = 0.6
    round_size: int = 20_000

    def __post_init__(self):
        if self.sampling not in SAMPLING:
            raise ValueError(f"sampling must be one of {SAMPLING}, got {self.sampling!r}")
        if self.workers < 1 or self.round_size < 1:
            raise ValueError("workers and round_size must be at least 1")
        if not 0.0 <= self.prune_probability <= 1.0 or not 0.0 < self.epsilon <= 1.0:
            raise ValueError("prune_probability must lie in [0, 1] and epsilon in (0, 1]")


class MCCFR(Solver):
    """External- or outcome-sampling MCCFR with ``config.workers`` threads on shared tables."""

    def __init__(self, tree: GameTree, config: MCCFRConfig = MCCFRConfig()):
        super().__init__(tree, Tables.zeros(tree.arrays.infoset_offset, config.regret_dtype))
        self.config = config
        self.rng = seed_states(config.seed, config.workers)
        self.stop = np.zeros(1, dtype=np.int64)

    def _next_event(self) -> int:
        """Iteration count at which the schedule next changes (a discount or pruning start)."""
        c = self.config
        events = [self.iterations + c.round_size]
        if c.discount_interval > 0 and self.iterations < c.discount_until:
            events.append((self.iterations // c.discount_interval + 1) * c.discount_interval)
        if self.iterations < c.prune_after:
            events.append(c.prune_after)
        return min(events)

    def _round(self, iterations: int) -> None:
        c, t = self.config, self.tables
        shares = split_evenly(iterations, c.workers)
        prune_probability = c.prune_probability if self.iterations >= c.prune_after else 0.0
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
        run_workers([body(w) for w in range(c.workers) if shares[w] > 0], self.stop)
        self.rng[:] = rng

    def run(self, iterations: int) -> None:
        c = self.config
        target = self.iterations + iterations
        while self.iterations < target:
            n = min(target, self._next_event()) - self.iterations
            self._round(n)
            self.iterations += n
            if c.discount_interval > 0 and self.iterations <= c.discount_until \
                    and self.iterations % c.discount_interval == 0:
                k = self.iterations // c.discount_interval
                discount(self.tables.regrets, k / (k + 1), self.tables.integer)
                discount(self.tables.strategy_sum, k / (k + 1), False)
