"""The cards of one hand, fixed before the first action: two hole cards per seat and the board.

>>> deal = Deal.parse(["As Kd", "Qh Qc"], "2c 7d 9h Tc Js")
>>> deal.hole_cards
((51, 45), (42, 40))
>>> len(Deal.shuffled(6, seed=1).hole_cards)
6
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from holdem.cards import NUM_CARDS, format_cards, parse_cards

BOARD_SIZE = 5
_ALL_CARDS = list(range(NUM_CARDS))


@dataclass(frozen=True, slots=True)
class Deal:
    """Hole cards per seat (two card ints each) and the full five-card board."""

    hole_cards: tuple[tuple[int, int], ...]
    board: tuple[int, ...]

    def __post_init__(self) -> None:
        hole = tuple(tuple(cards) for cards in self.hole_cards)
        board = tuple(self.board)
        object.__setattr__(self, "hole_cards", hole)
        object.__setattr__(self, "board", board)
        every = [c for cards in hole for c in cards]
        if len(every) != 2 * len(hole):
            raise ValueError(f"every seat needs 2 hole cards, got {[len(cards) for cards in hole]}")
        if len(board) != BOARD_SIZE:
            raise ValueError(f"the board needs {BOARD_SIZE} cards, got {len(board)}")
        every += board
        if not all(type(c) is int and 0 <= c < NUM_CARDS for c in every):
            bad = next(c for c in every if type(c) is not int or not 0 <= c < NUM_CARDS)
            raise ValueError(f"{bad!r} is not a card int in 0..51")
        if len(set(every)) != len(every):
            raise ValueError(f"a card is dealt twice in {format_cards(every)}")

    @classmethod
    def shuffled(cls, num_players: int, seed: int | random.Random | None = None, *,
                 hole_cards: Sequence[Sequence[int]] | None = None, board: Sequence[int] = ()) -> Deal:
        """Deal from a shuffled deck, keeping the ``hole_cards`` (all seats) and ``board`` prefix given.

        ``seed`` is an int (or None) seeding a new ``random.Random``, or a ``random.Random`` to draw
        from (and advance), e.g. one per match.

        >>> Deal.shuffled(2, seed=3, board=[0, 1, 2]).board[:3]
        (0, 1, 2)
        """
        fixed = {c for cards in hole_cards or () for c in cards}.union(board)
        remaining = [c for c in range(NUM_CARDS) if c not in fixed] if fixed else _ALL_CARDS
        missing_hole = 0 if hole_cards is not None else 2 * num_players
        rng = seed if isinstance(seed, random.Random) else random.Random(seed)
        drawn = rng.sample(remaining, missing_hole + BOARD_SIZE - len(board))
        if hole_cards is None:
            hole = tuple(zip(drawn[0:missing_hole:2], drawn[1:missing_hole:2]))
        elif len(hole_cards) != num_players:
            raise ValueError(f"hole cards for {len(hole_cards)} seats, expected {num_players}")
        else:
            hole = tuple(tuple(cards) for cards in hole_cards)
        return cls(hole, tuple(board) + tuple(drawn[missing_hole:]))  # type: ignore[arg-type]

    @classmethod
    def parse(cls, hole_cards: Sequence[str], board: str) -> Deal:
        """Build a deal from text such as ``["As Kd", "Qh Qc"]`` and ``"2c 7d 9h Tc Js"``."""
        return cls(tuple(tuple(parse_cards(text)) for text in hole_cards), tuple(parse_cards(board)))

    def __str__(self) -> str:
        hole = " | ".join(format_cards(cards) for cards in self.hole_cards)
        return f"{hole} / {format_cards(self.board)}"
