"""Hand strengths at showdown, from the project's 7-card evaluator (higher is better)."""

from __future__ import annotations

from collections.abc import Sequence

from holdem.evaluator import describe_rank, evaluate_7


def hand_strengths(hole_cards: Sequence[Sequence[int]], board: Sequence[int], live: Sequence[bool]) -> list[int]:
    """Evaluator rank (1..7462, higher better) of each live seat's best hand; 0 for folded seats."""
    b0, b1, b2, b3, b4 = board
    return [evaluate_7(cards[0], cards[1], b0, b1, b2, b3, b4) if alive else 0
            for cards, alive in zip(hole_cards, live)]


def describe_hand(hole_cards: Sequence[int], board: Sequence[int]) -> str:
    """Words for a seat's best hand, e.g. ``'two pair, kings and nines'``."""
    return describe_rank(int(evaluate_7(hole_cards[0], hole_cards[1], *board)))
