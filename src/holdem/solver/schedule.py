"""Pluribus's MCCFR schedule, one model for every game: discounting, pruning and the regret floor.

Brown & Sandholm ("Superhuman AI for multiplayer poker", Science 2019, supplement) discount
regrets and strategy sums by ``k / (k + 1)`` at the k-th of regular intervals early on (linear
CFR), prune actions whose regret is below a threshold on most iterations later, and floor int32
regrets.  Pluribus scheduled in minutes; here the schedule is in iterations, so a run is
reproducible from its seed on any machine.  :meth:`MCCFRSchedule.round_length` cuts a driver's
rounds at the schedule's events, so with one worker a seed fixes the run bit for bit:

>>> s = MCCFRSchedule(discount_interval=100, discount_until=300, prune_after=250)
>>> [s.round_length(done, 1000) for done in (0, 100, 250, 300)]
[100, 100, 50, 1000]
>>> s.discount_factor(200), s.discount_factor(250), s.prune_share(249), s.prune_share(250)
(0.6666666666666666, None, 0.0, 0.95)
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from .workers import cores


class Discountable(Protocol):
    def discount(self, factor: float) -> None:
        """Multiply every regret and strategy sum by ``factor``."""


class MCCFRSchedule(BaseModel):
    """Discounting, pruning and floor settings with Pluribus's values (regrets in table units: chips
    for hold'em), iteration counts the hold'em blueprint's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regret_floor: float = -310_000_000.0
    prune_threshold: float = -300_000_000.0
    prune_probability: float = Field(default=0.95, ge=0.0, le=1.0)
    prune_after: int = Field(default=2_000_000, ge=0, description="iterations before pruning starts")
    discount_interval: int = Field(default=100_000, ge=0,
                                   description="iterations between linear-CFR discounts (0 = none)")
    discount_until: int = Field(default=4_000_000, ge=0, description="last iteration count at which to discount")
    num_workers: int = Field(default=1, ge=0, description="worker threads, 0 = every core")
    seed: int = 0

    def workers(self) -> int:
        """Worker threads to run: ``num_workers``, or every core when it is 0."""
        return cores(self.num_workers)

    def round_length(self, done: int, size: int) -> int:
        """Iterations of the next round after ``done``: ``size``, cut at the next discount point or
        at the start of pruning."""
        end = done + size
        if self.discount_interval > 0 and done < self.discount_until:
            end = min(end, (done // self.discount_interval + 1) * self.discount_interval)
        if done < self.prune_after:
            end = min(end, self.prune_after)
        return end - done

    def prune_share(self, done: int) -> float:
        """Share of the iterations that prune, once ``done`` iterations are behind."""
        return self.prune_probability if done >= self.prune_after else 0.0

    def discount_factor(self, done: int) -> float | None:
        """``k / (k + 1)`` when ``done`` is the k-th discount point, else None."""
        if self.discount_interval <= 0 or done > self.discount_until or done % self.discount_interval:
            return None
        k = done // self.discount_interval
        return k / (k + 1) if k else None

    def end_round(self, done: int, tables: Discountable) -> None:
        """Apply the discount due at ``done`` iterations, if any, to ``tables``."""
        factor = self.discount_factor(done)
        if factor is not None:
            tables.discount(factor)
