"""An actor's changes since the last sync, as sent to the driver, and their merge into the master.

Regret changes travel dense (``(A,)`` of the table's dtype, int32 or float64) or sparse (int64 indices
and the values of the nonzero entries), whichever is smaller; strategy-sum changes travel dense
(float64).  Merging adds them in the order given, each addition saturating as the kernels store
regrets (int32: see :mod:`.kernels`; float64: floored), so a merge is a sequential replay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .kernels import add_dense, add_sparse, regret_delta


@dataclass(frozen=True)
class Delta:
    """Regret changes (``regrets`` int32 or float64 ``(A,)`` when ``index`` is None, else the values at
    ``index``) and strategy-sum changes (``strategy_sum`` float64 ``(S,)``)."""

    regrets: np.ndarray
    index: np.ndarray | None
    strategy_sum: np.ndarray

    @classmethod
    def between(cls, regrets: np.ndarray, base_regrets: np.ndarray, strategy_sum: np.ndarray,
                base_strategy_sum: np.ndarray) -> Delta:
        """The change from the ``base_*`` tables to the current ones, sparse where that is smaller."""
        dense = regret_delta(regrets, base_regrets) if regrets.dtype == np.int32 else regrets - base_regrets
        index = np.flatnonzero(dense)
        if index.size * (8 + dense.itemsize) < dense.nbytes:
            return cls(dense[index], index, strategy_sum - base_strategy_sum)
        return cls(dense, None, strategy_sum - base_strategy_sum)

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays sent."""
        return self.regrets.nbytes + self.strategy_sum.nbytes + (0 if self.index is None else self.index.nbytes)

    def add_to(self, regrets: np.ndarray, strategy_sum: np.ndarray, floor: float) -> None:
        """Add this change into ``regrets`` (int32 saturating at ``floor`` and the int32 range, or
        float64 floored at ``floor``) and ``strategy_sum`` (float64), in place."""
        if regrets.dtype != np.int32:
            index = slice(None) if self.index is None else self.index
            regrets[index] = np.maximum(regrets[index] + self.regrets, floor)
        elif self.index is None:
            add_dense(regrets, self.regrets, int(np.rint(floor)))
        else:
            add_sparse(regrets, self.index, self.regrets, int(np.rint(floor)))
        strategy_sum += self.strategy_sum
