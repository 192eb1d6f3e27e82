"""Real-time search: public-state subgames and a range-vs-range CFR solver.

``holdem_subgame`` (hold'em turn or river, from an engine state) and ``leduc_round2_subgame``
build a :class:`Subgame`; :class:`RangeSolver` solves it for two ranges of private hands.
"""

from __future__ import annotations

from .public_tree import Subgame, holdem_subgame, leduc_round2_subgame
from .solver import RangeSolver, SolveStats

__all__ = ["RangeSolver", "SolveStats", "Subgame", "holdem_subgame", "leduc_round2_subgame"]
