"""Real-time search: beliefs, public-state subgames, a range-vs-range CFR solver and an agent.

``holdem_subgame`` (hold'em turn or river, from an engine state), ``leduc_round2_subgame`` and the
depth-limited ``leduc_round1_subgame`` (:mod:`holdem.search.depth_limit` values its leaves) build a
:class:`Subgame`; :class:`RangeSolver` solves it for two ranges of private hands;
:class:`SearchAgent` plays a blueprint and searches from the turn or the river (importing this
package registers the agent spec kind ``search``: ``search:RUN?budget=0.5&threads=2``).
"""

from __future__ import annotations

from .agent import SearchAgent, SearchConfig
from .public_tree import Subgame, holdem_subgame, leduc_round1_subgame, leduc_round2_subgame
from .solver import Gadget, LeafValues, RangeSolver, SolveStats

__all__ = ["Gadget", "LeafValues", "RangeSolver", "SearchAgent", "SearchConfig", "SolveStats", "Subgame",
           "holdem_subgame", "leduc_round1_subgame", "leduc_round2_subgame"]
