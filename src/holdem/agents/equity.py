"""Equity kernels (numba) over the additive-key evaluator: against random hands and against a range.

A range is a float64 ``(1326,)`` weight vector in :data:`HOLES` order.  Sampling is seeded by the
caller's seed and the cards, so the same cards always get the same estimate (range updates rely on it).

>>> from holdem.cards import parse_cards
>>> board = np.array(parse_cards("Ks 7h 2h 9c 3d"), np.int64)
>>> aces = parse_cards("As Ad")
>>> round(equity_vs_random(aces[0], aces[1], board, 5, 1, 0, 0), 4)     # exact on the river
0.8934
>>> weights = np.ones(NUM_HOLES)
>>> round(range_equity(aces[0], aces[1], board, 5, weights, 0, 0), 4)  # the same, as a range
0.8934
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.cards import NUM_CARDS
from holdem.evaluator import CARD_KEYS, evaluate_key

NUM_HOLES = 1326

#: Every hole pair (1326, 2) int64, ``a < b``, lexicographic.
HOLES = np.array([(a, b) for a in range(NUM_CARDS) for b in range(a + 1, NUM_CARDS)], dtype=np.int64)
#: Card-key sum of each hole pair (1326,) uint64.
HOLE_KEYS = CARD_KEYS[HOLES[:, 0]] + CARD_KEYS[HOLES[:, 1]]
#: Card mask of each hole pair (1326,) int64 (bit ``c`` for card ``c``).
HOLE_MASKS = (np.int64(1) << HOLES[:, 0]) | (np.int64(1) << HOLES[:, 1])

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def hole_index(a, b):
    """Index in :data:`HOLES` of the pair ``{a, b}``; ``a`` and ``b`` may also be int arrays of one
    shape (the indices of the pairs, elementwise).

    >>> int(hole_index(1, 0)), hole_index(HOLES[:, 0], HOLES[:, 1])[-3:].tolist()
    (0, [1323, 1324, 1325])
    """
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return lo * 51 - lo * (lo - 1) // 2 + hi - lo - 1


@njit(cache=True, nogil=True, inline="always")
def _mix(z):
    """The splitmix64 output function of a uint64."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True)
def _stream_seed(seed, hole_mask, board_mask):
    """A uint64 stream state from a seed and the cards (int64 masks)."""
    return _mix(_mix(np.uint64(seed) ^ _GOLDEN) ^ np.uint64(hole_mask)) ^ _mix(np.uint64(board_mask) + _GOLDEN)


@njit(cache=True, nogil=True)
def _deck_without(mask):
    """The cards not in ``mask`` (int64): ``(deck, n)`` with them in ``deck[:n]`` (int64 (52,))."""
    deck = np.empty(NUM_CARDS, np.int64)
    n = 0
    for c in range(NUM_CARDS):
        if not (mask >> c) & 1:
            deck[n] = c
            n += 1
    return deck, n


@njit(cache=True, nogil=True)
def _draw_partial(deck, n, need, state):
    """Move ``need`` uniform random cards of ``deck[:n]`` to its front (partial Fisher-Yates);
    returns the advanced uint64 stream state."""
    for i in range(need):
        state += _GOLDEN
        j = i + np.int64(_mix(state) % np.uint64(n - i))
        deck[i], deck[j] = deck[j], deck[i]
    return state


@njit(cache=True, nogil=True)
def equity_vs_random(h0, h1, board, n_board, n_opponents, samples, seed):
    """Share of the pot that hole ``h0 h1`` wins against ``n_opponents`` uniformly random hands, with
    the first ``n_board`` cards of ``board`` (int64) visible: exact on the river heads-up, else the
    mean over ``samples`` random deals."""
    known = (np.int64(1) << h0) | (np.int64(1) << h1)
    board_mask = np.int64(0)
    board_key = np.uint64(0)
    for i in range(n_board):
        board_mask |= np.int64(1) << board[i]
        board_key += CARD_KEYS[board[i]]
    deck, n = _deck_without(known | board_mask)
    if n_board == 5 and n_opponents == 1:
        mine = evaluate_key(board_key + CARD_KEYS[h0] + CARD_KEYS[h1])
        points = 0
        for i in range(n):
            for j in range(i + 1, n):
                theirs = evaluate_key(board_key + CARD_KEYS[deck[i]] + CARD_KEYS[deck[j]])
                points += 2 if mine > theirs else (1 if mine == theirs else 0)
        return points / (n * (n - 1))
    missing = 5 - n_board
    state = _stream_seed(seed, known, board_mask)
    total = 0.0
    for _ in range(samples):
        state = _draw_partial(deck, n, missing + 2 * n_opponents, state)
        key = board_key
        for i in range(missing):
            key += CARD_KEYS[deck[i]]
        mine = evaluate_key(key + CARD_KEYS[h0] + CARD_KEYS[h1])
        best = 0
        tied = 0
        for o in range(n_opponents):
            a = deck[missing + 2 * o]
            b = deck[missing + 2 * o + 1]
            theirs = evaluate_key(key + CARD_KEYS[a] + CARD_KEYS[b])
            if theirs > best:
                best = theirs
                tied = 0
            elif theirs == best:
                tied += 1
        if mine > best:
            total += 1.0
        elif mine == best:
            total += 1.0 / (tied + 2)
    return total / samples


@njit(cache=True, nogil=True)
def equities_vs_random(holes, board, n_board, n_opponents, samples, seed):
    """:func:`equity_vs_random` of every row of ``holes`` (K, 2) int64 -> (K,) float64; rows that
    share a card with the visible board get NaN."""
    board_mask = np.int64(0)
    for i in range(n_board):
        board_mask |= np.int64(1) << board[i]
    out = np.empty(holes.shape[0])
    for k in range(holes.shape[0]):
        a = holes[k, 0]
        b = holes[k, 1]
        if ((board_mask >> a) | (board_mask >> b)) & 1:
            out[k] = np.nan
        else:
            out[k] = equity_vs_random(a, b, board, n_board, n_opponents, samples, seed)
    return out


@njit(cache=True, nogil=True)
def _score_runout(key, runout_mask, mine, active, count, weights, acc):
    """Add one complete board (card-key sum ``key``, mask ``runout_mask``) to ``acc`` = [points,
    weight]: every active range hand (indices ``active[:count]``) not blocked by the runout is
    compared with ``mine``."""
    for t in range(count):
        h = active[t]
        if HOLE_MASKS[h] & runout_mask:
            continue
        w = weights[h]
        theirs = evaluate_key(key + HOLE_KEYS[h])
        if mine > theirs:
            acc[0] += w
        elif mine == theirs:
            acc[0] += 0.5 * w
        acc[1] += w


@njit(cache=True, nogil=True)
def range_equity(h0, h1, board, n_board, weights, samples, seed):
    """Equity of hole ``h0 h1`` against one opponent's range ``weights`` (1326,) float64 (unnormalized;
    blocked hands ignored): exact over every runout from the flop on, ``samples`` runouts preflop;
    NaN when the range holds no possible hand."""
    known = (np.int64(1) << h0) | (np.int64(1) << h1)
    board_key = np.uint64(0)
    for i in range(n_board):
        known |= np.int64(1) << board[i]
        board_key += CARD_KEYS[board[i]]
    active = np.empty(NUM_HOLES, np.int64)
    count = 0
    for h in range(NUM_HOLES):
        if weights[h] > 0.0 and not HOLE_MASKS[h] & known:
            active[count] = h
            count += 1
    deck, n = _deck_without(known)
    mine_key = CARD_KEYS[h0] + CARD_KEYS[h1]
    acc = np.zeros(2)
    missing = 5 - n_board
    if missing == 0:
        _score_runout(board_key, 0, evaluate_key(board_key + mine_key), active, count, weights, acc)
    elif missing == 1:
        for i in range(n):
            key = board_key + CARD_KEYS[deck[i]]
            _score_runout(key, np.int64(1) << deck[i], evaluate_key(key + mine_key), active, count, weights, acc)
    elif missing == 2:
        for i in range(n):
            for j in range(i + 1, n):
                key = board_key + CARD_KEYS[deck[i]] + CARD_KEYS[deck[j]]
                mask = (np.int64(1) << deck[i]) | (np.int64(1) << deck[j])
                _score_runout(key, mask, evaluate_key(key + mine_key), active, count, weights, acc)
    else:
        state = _stream_seed(seed, known, 0)
        for _ in range(samples):
            state = _draw_partial(deck, n, missing, state)
            key = board_key
            mask = np.int64(0)
            for i in range(missing):
                key += CARD_KEYS[deck[i]]
                mask |= np.int64(1) << deck[i]
            _score_runout(key, mask, evaluate_key(key + mine_key), active, count, weights, acc)
    return acc[0] / acc[1] if acc[1] > 0.0 else np.nan


@njit(cache=True, nogil=True)
def heads_up_equity(a0, a1, b0, b1, board, n_board):
    """Exact share of the pot that hole ``a0 a1`` wins against hole ``b0 b1`` with the first
    ``n_board`` cards of ``board`` (int64) visible: the mean over every runout of the cards that
    neither hand nor the board holds (1,712,304 boards preflop, 990 on the flop, 44 on the turn)."""
    known = (np.int64(1) << a0) | (np.int64(1) << a1) | (np.int64(1) << b0) | (np.int64(1) << b1)
    board_key = np.uint64(0)
    for i in range(n_board):
        known |= np.int64(1) << board[i]
        board_key += CARD_KEYS[board[i]]
    deck, n = _deck_without(known)
    mine_key, theirs_key = CARD_KEYS[a0] + CARD_KEYS[a1], CARD_KEYS[b0] + CARD_KEYS[b1]
    missing = 5 - n_board
    idx = np.arange(missing)
    points, runouts = 0, 0
    while True:
        key = board_key
        for i in range(missing):
            key += CARD_KEYS[deck[idx[i]]]
        mine, theirs = evaluate_key(key + mine_key), evaluate_key(key + theirs_key)
        points += 2 if mine > theirs else (1 if mine == theirs else 0)
        runouts += 1
        i = missing - 1  # next combination of ``missing`` positions in deck[:n], lexicographic
        while i >= 0 and idx[i] == n - missing + i:
            i -= 1
        if i < 0:
            break
        idx[i] += 1
        for j in range(i + 1, missing):
            idx[j] = idx[j - 1] + 1
    return points / (2.0 * runouts)
