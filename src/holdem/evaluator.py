"""Fast 5-, 6- and 7-card hand evaluator in numba (OMPEval-style additive keys).

A *rank* is an ``int`` in ``1..7462``, higher is better and equal means a tie: the position of a
hand's best five cards among the 7,462 five-card classes (1 = 7-5-4-3-2 offsuit, 7462 = royal
flush), comparable across 5, 6 and 7 cards; ``rank == 7463 - phevaluator_rank``.

Technique (OMPEval): additive card keys, a perfect hash from the sum of the rank parts to the rank,
suit counters to detect flushes, and flushes ranked from their suit's 13-bit rank mask; the tables
(:mod:`holdem._evaluator_tables`) are frozen into the kernels as global constants.
``evaluate_5/6/7`` sum an internal per-card key (rank base + 4-bit suit counters);
``evaluate_key`` takes the sum of ``CARD_KEYS`` (a 13-bit rank mask and a 3-bit card count per
suit), so callers can precompute a board's key and add two hole cards.

>>> describe("As Ks 9d 9c 2h")
'pair, nines'
>>> describe("Ks Kd 9d 9c 2h 3c 4c")
'two pair, kings and nines'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit, prange

from holdem import _evaluator_tables as _tables
from holdem.cards import NUM_CARDS, RANK_NAMES, RANK_PLURALS, parse_cards

__all__ = [
    "CARD_KEYS", "CATEGORY_NAMES", "CATEGORY_STARTS", "describe", "describe_rank",
    "evaluate_5", "evaluate_6", "evaluate_7", "evaluate_batch", "evaluate_cards",
    "evaluate_key", "hand_category",
]

CATEGORY_NAMES = _tables.CATEGORY_NAMES

_T = _tables.build_tables()
_FLUSH_LOOKUP = _T["FLUSH_LOOKUP"]
_HASH_OFFSETS = _T["HASH_OFFSETS"]
_LOOKUP = _T["LOOKUP"]
_MASK_RANK_KEYS = _T["MASK_RANK_KEYS"]
_CLASS_VALUES = _T["CLASS_VALUES"]
_HASH_MULTIPLIER = _tables.HASH_MULTIPLIER
_HASH_SHIFT = _tables.HASH_SHIFT
_RANK_KEY_MASK = _tables.RANK_KEY_MASK

_SUITS = np.arange(NUM_CARDS, dtype=np.uint64) & np.uint64(3)
_RANKS = np.arange(NUM_CARDS, dtype=np.uint64) >> np.uint64(2)

#: Additive card keys (52,) uint64: 16 bits per suit ``s`` at bit ``16 * s``, holding
#: the suit's 13-bit rank mask (bits 0..12) and its card count (bits 13..15).  The
#: key of a set of distinct cards is the sum of its cards' keys (5..7 cards for
#: :func:`evaluate_key`).
CARD_KEYS = (np.uint64(1) << (_SUITS * np.uint64(16) + _RANKS)) + (
    np.uint64(1) << (_SUITS * np.uint64(16) + np.uint64(13))
)

# Internal key (52,) int64 for the direct kernels: rank base in bits 0..31 and a
# 4-bit suit counter at bit 32 + 4 * suit.  Adding _SUIT_BIAS (3 per counter) makes
# a count >= 5 set the counter's top bit (OMPEval's flush test).
_CARD_RANK_SUIT = _tables.RANK_BASES[_RANKS.astype(np.int64)] + (
    np.int64(1) << (32 + 4 * _SUITS.astype(np.int64))
)
_SUIT_BIAS = 0x3333 << 32
_SUIT_FLUSH_BITS = 0x8888 << 32
_FIELD_COUNT_TOP = np.uint64(0x8000_8000_8000_8000)
_FIELD_RANKS = np.uint64(0x1FFF)

#: First rank of each category (9,) int64; category ``c`` is ``CATEGORY_STARTS[c] ..
#: CATEGORY_STARTS[c + 1] - 1``.
CATEGORY_STARTS = np.searchsorted(_CLASS_VALUES, np.arange(9) << 20) + 1


@njit(cache=True, nogil=True, inline="always")
def _nonflush_rank(rank_key: int) -> int:
    """Rank of a non-flush hand from its rank key (sum of rank bases, < 2**24)."""
    mixed = rank_key * _HASH_MULTIPLIER & _RANK_KEY_MASK
    return np.int64(_LOOKUP[mixed + _HASH_OFFSETS[mixed >> _HASH_SHIFT]])


@njit(cache=True, nogil=True, inline="always")
def _flush_top_bits(key):
    """Bit 15 of each 16-bit suit field of a card-key sum, set where the suit has >= 5 cards."""
    # count bits c2 c1 c0 at 15 14 13: count >= 5 <=> c2 and (c1 or c0)
    return key & ((key << np.uint64(1)) | (key << np.uint64(2))) & _FIELD_COUNT_TOP


@njit(cache=True, nogil=True, inline="always")
def _flush_rank(key) -> int:
    """Rank of a hand with a flush from its card-key sum (a ``CARD_KEYS`` sum, uint64)."""
    # at most one suit has >= 5 of 7 cards: spread its flag over its 16-bit field,
    # keep that field and fold it down to bits 0..15
    field = key & ((_flush_top_bits(key) >> np.uint64(15)) * np.uint64(0xFFFF))
    field |= field >> np.uint64(32)
    field |= field >> np.uint64(16)
    return np.int64(_FLUSH_LOOKUP[field & _FIELD_RANKS])


@njit(cache=True, nogil=True)
def evaluate_key(key) -> int:
    """Rank (1..7462) of 5..7 distinct cards from the sum of their ``CARD_KEYS`` (uint64)."""
    key = np.uint64(key)
    if _flush_top_bits(key):
        return _flush_rank(key)
    rank_key = np.int64(
        _MASK_RANK_KEYS[key & _FIELD_RANKS]
        + _MASK_RANK_KEYS[(key >> np.uint64(16)) & _FIELD_RANKS]
        + _MASK_RANK_KEYS[(key >> np.uint64(32)) & _FIELD_RANKS]
        + _MASK_RANK_KEYS[(key >> np.uint64(48)) & _FIELD_RANKS]
    )
    return _nonflush_rank(rank_key)


@njit(cache=True, nogil=True)
def evaluate_5(a, b, c, d, e) -> int:
    """Rank (1..7462) of five distinct card ints."""
    s = _SUIT_BIAS + _CARD_RANK_SUIT[a] + _CARD_RANK_SUIT[b] + _CARD_RANK_SUIT[c]
    s += _CARD_RANK_SUIT[d] + _CARD_RANK_SUIT[e]
    if s & _SUIT_FLUSH_BITS:
        return _flush_rank(CARD_KEYS[a] + CARD_KEYS[b] + CARD_KEYS[c] + CARD_KEYS[d] + CARD_KEYS[e])
    return _nonflush_rank(s & 0xFFFFFFFF)


@njit(cache=True, nogil=True)
def evaluate_6(a, b, c, d, e, f) -> int:
    """Rank (1..7462) of the best five of six distinct card ints."""
    s = _SUIT_BIAS + _CARD_RANK_SUIT[a] + _CARD_RANK_SUIT[b] + _CARD_RANK_SUIT[c]
    s += _CARD_RANK_SUIT[d] + _CARD_RANK_SUIT[e] + _CARD_RANK_SUIT[f]
    if s & _SUIT_FLUSH_BITS:
        key = CARD_KEYS[a] + CARD_KEYS[b] + CARD_KEYS[c] + CARD_KEYS[d] + CARD_KEYS[e]
        return _flush_rank(key + CARD_KEYS[f])
    return _nonflush_rank(s & 0xFFFFFFFF)


@njit(cache=True, nogil=True)
def evaluate_7(a, b, c, d, e, f, g) -> int:
    """Rank (1..7462) of the best five of seven distinct card ints."""
    s = _SUIT_BIAS + _CARD_RANK_SUIT[a] + _CARD_RANK_SUIT[b] + _CARD_RANK_SUIT[c]
    s += _CARD_RANK_SUIT[d] + _CARD_RANK_SUIT[e] + _CARD_RANK_SUIT[f] + _CARD_RANK_SUIT[g]
    if s & _SUIT_FLUSH_BITS:
        key = CARD_KEYS[a] + CARD_KEYS[b] + CARD_KEYS[c] + CARD_KEYS[d] + CARD_KEYS[e]
        return _flush_rank(key + CARD_KEYS[f] + CARD_KEYS[g])
    return _nonflush_rank(s & 0xFFFFFFFF)


@njit(cache=True, nogil=True)
def evaluate_cards(cards) -> int:
    """Rank (1..7462) of a 1-D int array of 5..7 distinct card ints."""
    s = _SUIT_BIAS
    key = np.uint64(0)
    for c in cards:
        s += _CARD_RANK_SUIT[c]
        key += CARD_KEYS[c]
    if s & _SUIT_FLUSH_BITS:
        return _flush_rank(key)
    return _nonflush_rank(s & 0xFFFFFFFF)


@njit(cache=True, nogil=True, parallel=True)
def _evaluate_rows(hands, out):
    """Rank each row of ``hands`` (N, k), k in 5..7, into ``out`` (N,) int32, rows in parallel."""
    k = hands.shape[1]
    for i in prange(hands.shape[0]):
        h = hands[i]
        if k == 7:
            out[i] = evaluate_7(h[0], h[1], h[2], h[3], h[4], h[5], h[6])
        elif k == 6:
            out[i] = evaluate_6(h[0], h[1], h[2], h[3], h[4], h[5])
        else:
            out[i] = evaluate_5(h[0], h[1], h[2], h[3], h[4])


def evaluate_batch(hands) -> np.ndarray:
    """Ranks (N,) int32 of a (N, k) array of card ints, k in 5..7 distinct cards per row."""
    hands = np.ascontiguousarray(hands)
    if hands.ndim != 2 or not 5 <= hands.shape[1] <= 7:
        raise ValueError(f"expected an (N, 5..7) array of cards, got shape {hands.shape}")
    if not np.issubdtype(hands.dtype, np.integer):
        raise ValueError(f"expected integer card ints, got dtype {hands.dtype}")
    if hands.size and (hands.min() < 0 or hands.max() >= NUM_CARDS):
        raise ValueError("card ints must be in 0..51")
    out = np.empty(hands.shape[0], np.int32)
    _evaluate_rows(hands, out)
    return out


@njit(cache=True, nogil=True)
def hand_category(rank) -> int:
    """Category 0..8 (index into ``CATEGORY_NAMES``) of a rank in 1..7462.

    For an array of ranks use ``np.searchsorted(CATEGORY_STARTS, ranks, side="right") - 1``.
    """
    category = 0
    for c in range(1, 9):
        if rank >= CATEGORY_STARTS[c]:
            category = c
    return category


def describe_rank(rank: int) -> str:
    """Display string of a rank, e.g. ``'full house, aces full of tens'`` or ``'royal flush'``."""
    if not 1 <= rank <= len(_CLASS_VALUES):
        raise ValueError(f"rank {rank} out of range 1..{len(_CLASS_VALUES)}")
    value = int(_CLASS_VALUES[rank - 1])
    category = value >> 20
    first, second = value >> 16 & 15, value >> 12 & 15
    name = CATEGORY_NAMES[category]
    if category == 8 and first == 12:
        return "royal flush"
    if category in (0, 4, 5, 8):
        return f"{name}, {RANK_NAMES[first]}" + ("" if category == 0 else " high")
    if category == 2:
        return f"{name}, {RANK_PLURALS[first]} and {RANK_PLURALS[second]}"
    if category == 6:
        return f"{name}, {RANK_PLURALS[first]} full of {RANK_PLURALS[second]}"
    return f"{name}, {RANK_PLURALS[first]}"


def _as_cards(cards: str | Sequence[int] | np.ndarray) -> np.ndarray:
    """Card ints (k,) int64 from a string such as ``'As Ks 9d'`` or a sequence of card ints."""
    arr = np.asarray(parse_cards(cards) if isinstance(cards, str) else cards, dtype=np.int64)
    if arr.ndim != 1 or not 5 <= len(arr) <= 7:
        raise ValueError(f"expected 5..7 cards, got {len(arr) if arr.ndim == 1 else arr.shape}")
    if arr.min() < 0 or arr.max() >= NUM_CARDS or len(np.unique(arr)) != len(arr):
        raise ValueError(f"cards must be distinct ints in 0..51, got {arr.tolist()}")
    return arr


def describe(cards: str | Sequence[int] | np.ndarray) -> str:
    """Display string of the best hand in 5..7 cards given as card ints or a string."""
    return describe_rank(int(evaluate_cards(_as_cards(cards))))
