"""Win rates in mbb/hand (thousandths of a big blind per hand) with 95% confidence intervals.

The interval is the normal approximation ``mean +- 1.959964 * s / sqrt(N)`` over ``N``
independent sample units with sample standard deviation ``s`` (``ddof=1``).  Under duplicate
dealing the unit is the *deal* (its value is the mean over the deal's seat rotations), not
the hand, since the hands of one deal are strongly correlated.

>>> est = mbb_estimate([100, -50, 25, 25], big_blind=100)
>>> est.mbb_per_hand, [round(x, 1) for x in est.ci95]
(250.0, [-350.1, 850.1])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

Z95 = 1.959963984540054
CI_METHOD = "normal approximation, 95%, over independent sample units (the deal under duplicate dealing)"


class Estimate(NamedTuple):
    """Mean win rate in mbb/hand, its 95% interval, and the number of sample units behind it."""

    mbb_per_hand: float
    ci95: tuple[float, float]
    units: int

    @property
    def half_width(self) -> float:
        """Half the width of the 95% interval."""
        return (self.ci95[1] - self.ci95[0]) / 2


def mbb_estimate(chips_per_unit: Sequence[float] | np.ndarray, big_blind: int) -> Estimate:
    """Estimate from per-unit results in chips per hand (float64 ``(N,)``, N >= 1)."""
    values = np.asarray(chips_per_unit, dtype=np.float64) * (1000.0 / big_blind)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"need a non-empty 1-D sample, got shape {values.shape}")
    mean = float(values.mean())
    half = Z95 * float(values.std(ddof=1)) / math.sqrt(len(values)) if len(values) > 1 else math.inf
    return Estimate(mean, (mean - half, mean + half), len(values))


def mbb_cells(mbb: float, ci95: Sequence[float]) -> list[str]:
    """A win rate and its 95% interval as two table cells: ``["+12.3", "[-4.5, +29.1]"]``."""
    return [f"{mbb:+.1f}", f"[{ci95[0]:+.1f}, {ci95[1]:+.1f}]"]


def pooled(estimates: Sequence[Estimate]) -> Estimate:
    """One estimate of a win rate from independent estimates of it (runs with different seeds):
    the fixed-effect, inverse-variance pool.  Each run's standard error is read back from its interval
    (``half_width / Z95``), the runs are weighted by ``1 / se**2``, and the pooled standard error is
    ``(sum of the weights) ** -0.5``.  With runs of equal spread per unit this is the estimate of the
    runs' units taken as one sample.  ``units`` is the sum of the runs'.  Raises ``ValueError`` for no
    estimates or one with an infinite or zero-width interval."""
    if not estimates:
        raise ValueError("nothing to pool")
    weights = []
    for est in estimates:
        se = est.half_width / Z95
        if not math.isfinite(se) or se <= 0:
            raise ValueError(f"cannot pool an estimate with interval {list(est.ci95)} ({est.units} units)")
        weights.append(1.0 / (se * se))
    total = math.fsum(weights)
    mean = math.fsum(w * est.mbb_per_hand for w, est in zip(weights, estimates, strict=True)) / total
    half = Z95 / math.sqrt(total)
    return Estimate(mean, (mean - half, mean + half), sum(est.units for est in estimates))
