"""Table rules for one no-limit hold'em hand: stacks per seat, blinds, ante, button.

Seats are numbered ``0..n-1`` clockwise.  The small blind sits left of the
button and the big blind left of it; heads-up the button posts the small blind.

>>> rules = Rules(stacks=(1000, 800, 1200), small_blind=5, big_blind=10, button=2)
>>> rules.small_blind_seat, rules.big_blind_seat, rules.seat_order
(0, 1, (0, 1, 2))
>>> Rules(stacks=(500, 500), small_blind=5, big_blind=10, button=1).small_blind_seat
1
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_PLAYERS = 2
MAX_PLAYERS = 10


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything fixed before the cards are dealt: starting ``stacks`` per seat, blinds, the ``ante``
    every player posts (capped at the stack) and the ``button`` seat."""

    stacks: tuple[int, ...]
    small_blind: int
    big_blind: int
    ante: int = 0
    button: int = 0
    seat_order: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """Seats clockwise from the first seat left of the button, ending on the button."""
    small_blind_seat: int = field(init=False, repr=False, compare=False)
    """The seat posting the small blind (the button when heads-up)."""
    big_blind_seat: int = field(init=False, repr=False, compare=False)
    """The seat posting the big blind."""

    def __post_init__(self) -> None:
        stacks = tuple(self.stacks)
        object.__setattr__(self, "stacks", stacks)
        if not MIN_PLAYERS <= len(stacks) <= MAX_PLAYERS:
            raise ValueError(f"{len(stacks)} players; a table seats {MIN_PLAYERS} to {MAX_PLAYERS}")
        for name, value in (("small blind", self.small_blind), ("big blind", self.big_blind),
                            ("ante", self.ante), ("button", self.button), *(
                                (f"stack of seat {s}", v) for s, v in enumerate(stacks))):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{name} must be an int, got {value!r}")
        if min(stacks) < 1:
            raise ValueError(f"every stack must be at least 1 chip, got {stacks}")
        if not 1 <= self.small_blind <= self.big_blind:
            raise ValueError(
                f"blinds must satisfy 1 <= small blind <= big blind, got {self.small_blind}/{self.big_blind}")
        if self.ante < 0:
            raise ValueError(f"ante must be >= 0, got {self.ante}")
        if not 0 <= self.button < len(stacks):
            raise ValueError(f"button {self.button} is not a seat of a {len(stacks)}-player table")
        n = len(stacks)
        order = tuple((self.button + 1 + i) % n for i in range(n))
        object.__setattr__(self, "seat_order", order)
        object.__setattr__(self, "small_blind_seat", order[-1] if n == 2 else order[0])
        object.__setattr__(self, "big_blind_seat", order[0] if n == 2 else order[1])

    @property
    def num_players(self) -> int:
        """Number of seats."""
        return len(self.stacks)

