"""The narrow game interface the small-game solvers consume: pure functions over immutable,
hashable states (the shape of OpenSpiel's ``State`` API, without mutation)."""

from __future__ import annotations

from typing import Hashable, Protocol, Sequence

CHANCE_PLAYER = -1
"""``current_player`` of a chance node."""
TERMINAL_PLAYER = -2
"""``current_player`` of a terminal node."""


class Game(Protocol):
    """A finite, perfect-recall extensive-form game."""

    name: str
    num_players: int

    def initial_state(self) -> Hashable:
        """The root state (usually a chance node dealing cards)."""

    def current_player(self, state: Hashable) -> int:
        """Acting player ``0..num_players-1``, ``CHANCE_PLAYER`` or ``TERMINAL_PLAYER``."""

    def legal_actions(self, state: Hashable) -> Sequence[int]:
        """Action ids legal at a player node, in increasing order."""

    def chance_outcomes(self, state: Hashable) -> Sequence[tuple[int, float]]:
        """``(action, probability)`` pairs at a chance node; probabilities sum to 1."""

    def apply(self, state: Hashable, action: int) -> Hashable:
        """The state reached by taking ``action`` (player or chance) in ``state``."""

    def returns(self, state: Hashable) -> Sequence[float]:
        """Utility of each player at a terminal state."""

    def infoset_key(self, state: Hashable) -> str:
        """Information-set key of the player to act (equal keys = indistinguishable states)."""
