"""Cards as small integers, parsing and formatting, 64-bit masks, and a seeded deck.

A card is an ``int`` in ``0..51`` equal to ``rank * 4 + suit``, ``rank`` ``0..12`` for ``2 .. A`` and
``suit`` ``0..3`` for ``c d h s``.  A set of cards is also a 64-bit mask with bit ``card`` set.

>>> parse_cards("As Td 2c")
[51, 33, 0]
>>> format_cards([51, 33, 0])
'As Td 2c'
>>> parse_cards("10h")
[34]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

RANKS = "23456789TJQKA"
SUITS = "cdhs"
NUM_CARDS = 52
NUM_RANKS = 13

RANK_NAMES = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "jack", "queen", "king", "ace")
RANK_PLURALS = tuple(name + ("es" if name == "six" else "s") for name in RANK_NAMES)

_CARD_RE = re.compile(r"(10|[2-9tjqka])([cdhs])", re.IGNORECASE)
_TOKEN_RE = re.compile(r"(?:(?:10|[2-9tjqka])[cdhs])+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,]+")


def rank_of(card: int) -> int:
    """Rank 0..12 (2..A) of a card int."""
    return card >> 2


def suit_of(card: int) -> int:
    """Suit 0..3 (c, d, h, s) of a card int."""
    return card & 3


def _check_card(card: int) -> int:
    if not isinstance(card, (int, np.integer)) or not 0 <= int(card) < NUM_CARDS:
        raise ValueError(f"{card!r} is not a card int in 0..51")
    return int(card)


def format_card(card: int) -> str:
    """Two-character name of a card int, e.g. ``51 -> 'As'``."""
    card = _check_card(card)
    return RANKS[card >> 2] + SUITS[card & 3]


def format_cards(cards: Iterable[int]) -> str:
    """Space-separated names, e.g. ``[51, 33] -> 'As Td'``."""
    return " ".join(format_card(c) for c in cards)


def parse_card(text: str) -> int:
    """Parse one card such as ``'As'``, ``'td'`` or ``'10h'``; raises ValueError quoting bad input."""
    cards = parse_cards(text)
    if len(cards) != 1:
        raise ValueError(f"expected exactly one card, got {len(cards)} in {text!r}")
    return cards[0]


def parse_cards(text: str, *, allow_duplicates: bool = False) -> list[int]:
    """Parse cards separated by spaces or commas, or written together (``'AsKd'``); ``T`` or ``10``
    is a ten.  A token that is not a card (``'1x'``) or a card given twice raises ``ValueError`` quoting it.

    >>> parse_cards("AsKd, 7c")
    [51, 45, 20]
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a string of cards, got {text!r}")
    cards: list[int] = []
    seen: set[int] = set()
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        if not _TOKEN_RE.fullmatch(token):
            raise ValueError(f"invalid card {token!r} in {text!r}")
        for match in _CARD_RE.finditer(token):
            rank_text, suit_text = match.groups()
            rank = 8 if rank_text == "10" else RANKS.index(rank_text.upper())
            card = rank * 4 + SUITS.index(suit_text.lower())
            if card in seen and not allow_duplicates:
                raise ValueError(f"duplicate card {match.group(0)!r} in {text!r}")
            seen.add(card)
            cards.append(card)
    return cards


def mask_of(cards: Iterable[int]) -> int:
    """64-bit mask with bit ``c`` set for each card ``c``."""
    mask = 0
    for c in cards:
        mask |= 1 << _check_card(c)
    return mask


def cards_of_mask(mask: int) -> list[int]:
    """Cards (ascending) whose bits are set in ``mask``."""
    if mask < 0 or mask >> NUM_CARDS:
        raise ValueError(f"mask {mask:#x} has bits outside 0..51")
    return [c for c in range(NUM_CARDS) if mask >> c & 1]


class Deck:
    """A 52-card deck shuffled with a seeded ``numpy.random.Generator``.

    >>> deck = Deck(seed=7)
    >>> hole = deck.deal(2)
    >>> len(deck)
    50
    """

    def __init__(self, seed: int | None = None, *, exclude: Sequence[int] = ()) -> None:
        self._rng = np.random.default_rng(seed)
        excluded = {_check_card(c) for c in exclude}
        self._cards = [c for c in range(NUM_CARDS) if c not in excluded]
        self._rng.shuffle(self._cards)

    def __len__(self) -> int:
        return len(self._cards)

    def deal(self, n: int) -> list[int]:
        """Remove and return the next ``n`` cards."""
        if n < 0 or n > len(self._cards):
            raise ValueError(f"cannot deal {n} cards from a deck of {len(self._cards)}")
        dealt, self._cards = self._cards[:n], self._cards[n:]
        return dealt
