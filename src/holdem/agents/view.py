"""What one seat may see of a hand (:class:`SeatView`, never the engine's ``State``), and the
:class:`Decision` an agent answers with.

>>> from holdem.engine import Deal, Rules, State
>>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10),
...               Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
>>> view = SeatView.of(state)
>>> view.seat, view.hole, view.board, view.pot, view.legal.call_amount
(0, (51, 49), (), 15, 5)
>>> Decision.raise_to(30).apply(state).amount
30
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

from holdem.engine import Action, LegalActions, Rules, State, Street


class DecisionKind(IntEnum):
    """The three choices a player has: fold, check-or-call, bet-or-raise to an amount."""

    FOLD = 0
    CHECK_CALL = 1
    RAISE = 2


class Decision(NamedTuple):
    """An agent's answer; ``amount`` is the street total ("raise to") for ``RAISE``, else 0."""

    kind: DecisionKind
    amount: int = 0

    @classmethod
    def fold(cls) -> Decision:
        """Fold (an agent asked to fold when it may check checks instead: see :meth:`apply`)."""
        return cls(DecisionKind.FOLD)

    @classmethod
    def check_call(cls) -> Decision:
        """Check, or call the bet faced."""
        return cls(DecisionKind.CHECK_CALL)

    @classmethod
    def raise_to(cls, amount: int) -> Decision:
        """Bet or raise so that the seat's street total is ``amount`` chips."""
        return cls(DecisionKind.RAISE, int(amount))

    def apply(self, state: State) -> Action:
        """Play this decision for the seat to act; a fold with nothing to call is a check.  An illegal
        raise amount raises ``IllegalActionError``."""
        if self.kind == DecisionKind.RAISE:
            return state.bet_or_raise_to(self.amount)
        if self.kind == DecisionKind.FOLD and state.can_fold():
            return state.fold()
        return state.check_or_call()


class SeatView(NamedTuple):
    """The information of the seat to act: its own cards, public cards and public betting
    (``stacks``, ``bets`` this street and ``contributions`` collected before, per seat)."""

    rules: Rules
    seat: int
    hole: tuple[int, int]
    board: tuple[int, ...]
    street: Street
    actions: tuple[Action, ...]
    stacks: tuple[int, ...]
    bets: tuple[int, ...]
    contributions: tuple[int, ...]
    live: tuple[bool, ...]
    legal: LegalActions

    @classmethod
    def of(cls, state: State) -> SeatView:
        """The view of ``state``'s seat to act (raises ``IllegalActionError`` when the hand is over)."""
        legal = state.legal_actions()
        seat = legal.seat
        return cls(state.rules, seat, state.deal.hole_cards[seat], tuple(state.board), state.street,
                   tuple(state.actions), tuple(state.stacks), tuple(state.bets), tuple(state.contributions),
                   tuple(state.live), legal)

    @property
    def pot(self) -> int:
        """All chips in the middle: collected pots plus this street's bets."""
        return sum(self.contributions) + sum(self.bets)
