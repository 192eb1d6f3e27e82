"""Streets, action records and the legal-action summary a player sees."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class Street(IntEnum):
    """Betting rounds, in order."""

    PREFLOP = 0
    FLOP = 1
    TURN = 2
    RIVER = 3

    @property
    def board_size(self) -> int:
        """Board cards visible during this street."""
        return (0, 3, 4, 5)[self]


#: street names by :class:`Street` value, the names configs and files use
STREETS = tuple(street.name.lower() for street in Street)


class ActionKind(IntEnum):
    """What a player did.  A bet opens a street's betting, a raise increases a bet."""

    FOLD = 0
    CHECK = 1
    CALL = 2
    BET = 3
    RAISE = 4


_VERBS = ("folds", "checks", "calls", "bets", "raises to")


class Action(NamedTuple):
    """One player decision; ``amount`` is the chips added for a call, the street total for a bet or
    raise, 0 for a fold or check."""

    seat: int
    kind: ActionKind
    amount: int
    street: Street
    all_in: bool

    def __str__(self) -> str:
        text = f"seat {self.seat} {_VERBS[self.kind]}"
        if self.kind >= ActionKind.CALL:
            text += f" {self.amount}"
        return text + (" (all-in)" if self.all_in else "")


class LegalActions(NamedTuple):
    """The options of the player to act: ``call_amount`` is 0 when the player may check, else the
    chips a call adds (capped at the stack); ``min_raise_to`` and ``max_raise_to`` bound the street
    total of a bet or raise (0 when ``can_raise`` is false)."""

    seat: int
    can_fold: bool
    can_check: bool
    call_amount: int
    can_raise: bool
    min_raise_to: int
    max_raise_to: int

    @property
    def can_call(self) -> bool:
        """True when there is a bet to call."""
        return self.call_amount > 0
