"""Main and side pots from total contributions, and splitting them at showdown.

Each contribution level forms a pot for every live player who put in at least that much;
consecutive pots with the same eligible players are one pot.

>>> contributions = [300, 100, 300, 50]     # seat 3 folded after putting in 50
>>> live = [True, True, True, False]
>>> build_pots(contributions, live, (0, 1, 2, 3))
[Pot(amount=350, eligible=(0, 1, 2)), Pot(amount=400, eligible=(0, 2))]
>>> showdown_winnings(contributions, live, (0, 1, 2, 3), [10, 30, 20, 0])
[0, 350, 400, 0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Pot(NamedTuple):
    """A pot and the seats that can win it, listed from the first seat left of the button."""

    amount: int
    eligible: tuple[int, ...]


def build_pots(contributions: Sequence[int], live: Sequence[bool], order: Sequence[int]) -> list[Pot]:
    """Pots formed by ``contributions`` (chips per seat) among the ``live`` seats, eligible seats
    listed in ``order`` (from the first seat left of the button)."""
    pots: list[Pot] = []
    previous = 0
    for level in sorted(set(contributions)):
        if level == 0:
            continue
        amount = (level - previous) * sum(1 for c in contributions if c >= level)
        eligible = tuple(s for s in order if live[s] and contributions[s] >= level)
        if pots and pots[-1].eligible == eligible:
            amount += pots.pop().amount
        pots.append(Pot(amount, eligible))
        previous = level
    return pots


def showdown_winnings(contributions: Sequence[int], live: Sequence[bool], order: Sequence[int],
                      strength: Sequence[int]) -> list[int]:
    """Chips each seat wins at showdown (higher ``strength`` wins, equal splits).

    Seats that cannot win any pot are taken out first, and pots whose eligible seats then coincide
    are merged; each pot is split evenly and the odd chip goes to the first winner left of the button.
    """
    n = len(contributions)
    contenders = [False] * n
    for pot in build_pots(contributions, live, order):
        best = max(strength[s] for s in pot.eligible)
        for s in pot.eligible:
            if strength[s] == best:
                contenders[s] = True
    winnings = [0] * n
    for pot in build_pots(contributions, contenders, order):
        best = max(strength[s] for s in pot.eligible)
        winners = [s for s in pot.eligible if strength[s] == best]
        share, odd = divmod(pot.amount, len(winners))
        for s in winners:
            winnings[s] += share
        winnings[winners[0]] += odd
    return winnings
