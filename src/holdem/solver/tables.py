"""Regret and strategy-sum tables over any game's infoset layout (the ``offsets`` of its tree)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .regret import discount_all, normalized

REGRET_DTYPES = {"float64": np.float64, "int32": np.int32}


@dataclass
class Tables:
    """One shared set of tables: ``offsets`` int32 ``(I + 1,)`` (infoset ``i`` owns entries
    ``offsets[i]:offsets[i+1]``), cumulative ``regrets`` float64 or int32 ``(A,)`` and the weighted
    ``strategy_sum`` float64 ``(A,)``."""

    offsets: np.ndarray
    regrets: np.ndarray
    strategy_sum: np.ndarray

    @staticmethod
    def memory_bytes(num_actions: int, regret_dtype: str = "float64") -> int:
        """Bytes the regret and strategy-sum tables need for ``num_actions`` entries."""
        return num_actions * (np.dtype(REGRET_DTYPES[regret_dtype]).itemsize + 8)

    @classmethod
    def zeros(cls, offsets: np.ndarray, regret_dtype: str = "float64") -> "Tables":
        """Zeroed tables for the infoset layout ``offsets``; ``regret_dtype`` is float64 or int32."""
        if regret_dtype not in REGRET_DTYPES:
            raise ValueError(f"regret_dtype must be one of {sorted(REGRET_DTYPES)}, got {regret_dtype!r}")
        num_actions = int(offsets[-1])
        return cls(
            offsets=np.ascontiguousarray(offsets, dtype=np.int32),
            regrets=np.zeros(num_actions, dtype=REGRET_DTYPES[regret_dtype]),
            strategy_sum=np.zeros(num_actions, dtype=np.float64),
        )

    @property
    def integer(self) -> bool:
        """Whether regrets are int32 (fixed point, rounded and floored on every update)."""
        return self.regrets.dtype == np.int32

    def average_strategy(self) -> np.ndarray:
        """Normalised strategy sums, float64 ``(A,)``: the average strategy (uniform if unvisited)."""
        return normalized(self.strategy_sum, self.offsets)

    def current_strategy(self) -> np.ndarray:
        """Regret matching on the regrets, float64 ``(A,)``: the current strategy."""
        return normalized(np.maximum(self.regrets, 0).astype(np.float64), self.offsets)

    def discount(self, factor: float) -> None:
        """Linear-CFR discount: multiply every regret and strategy sum by ``factor``."""
        discount_all(self.regrets, factor, self.integer)
        discount_all(self.strategy_sum, factor, False)
