"""Exact equity tables over canonical hands: river equity, turn/flop/preflop equity histograms.

River equity is the probability that a hand beats one uniformly random opponent hand
(ties count half), with card removal.  It is computed *per board*: for each of the 134,459
canonical 5-card boards all 1,081 hole pairs are ranked with the additive-key evaluator,
sorted, and swept once in rank order keeping per-card counts of the hands already passed,
so ``wins = below - below[a] - below[b]`` and ``ties = group - group[a] - group[b] + 1``
exclude the opponent hands that share a card with ``{a, b}``.  Values are stored exactly as
the integer numerator ``2 * wins + ties`` over :data:`EQUITY_DENOM` = 2 * C(45, 2) = 1980
(uint16, 246 MB for the 123,156,254 canonical river hands).

Turn and flop hands get a histogram of river equity over all next cards with
:data:`NUM_BINS` = 50 equal bins (the features of Johanson et al. 2013, "Evaluating
state-space abstractions in extensive-form games", and Ganzfried & Sandholm 2014,
"Potential-aware imperfect-recall abstraction with earth mover's distance").  A flop
histogram is the sum of the turn histograms of its 47 turn cards (each river pair counted
twice, which leaves the distribution unchanged); the preflop histogram of a class is the
orbit-weighted sum of its flop histograms.

Shapes and dtypes: river ``uint16 (123156254,)``; turn ``uint8 (13960050, 50)`` (counts out
of 46); flop ``uint16 (1286792, 50)`` (counts out of 2162); preflop ``float64 (169, 50)``
(probabilities).  Tables are built once with numba ``prange`` and cached by
:mod:`holdem.abstraction.cache`.
"""

from __future__ import annotations

from collections.abc import Callable

import numba as nb
import numpy as np

from holdem.abstraction import cache
from holdem.abstraction import isomorphism as iso
from holdem.evaluator import CARD_KEYS, evaluate_key

EQUITY_DENOM = 1980
NUM_BINS = 50
TABLE_VERSION = "1"
_UNSET = np.uint16(0xFFFF)


@nb.njit(cache=True)
def _equity_on_board(board, table):
    """Write the river equity numerator of every hole pair on one 5-card ``board`` into ``table``."""
    board_key = np.uint64(0)
    used = 0
    for i in range(5):
        board_key += CARD_KEYS[board[i]]
        used |= 1 << board[i]
    first = np.empty(1081, dtype=np.int64)
    second = np.empty(1081, dtype=np.int64)
    ranks = np.empty(1081, dtype=np.int64)
    n = 0
    for a in range(52):
        if used >> a & 1:
            continue
        for b in range(a + 1, 52):
            if used >> b & 1:
                continue
            first[n] = a
            second[n] = b
            ranks[n] = evaluate_key(board_key + CARD_KEYS[a] + CARD_KEYS[b])
            n += 1
    order = np.argsort(ranks, kind="mergesort")
    below_card = np.zeros(52, dtype=np.int64)
    group_card = np.zeros(52, dtype=np.int64)
    below = 0
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and ranks[order[stop]] == ranks[order[start]]:
            stop += 1
        for t in range(start, stop):
            group_card[first[order[t]]] += 1
            group_card[second[order[t]]] += 1
        for t in range(start, stop):
            a = first[order[t]]
            b = second[order[t]]
            wins = below - below_card[a] - below_card[b]
            ties = (stop - start) - group_card[a] - group_card[b] + 1
            table[iso.index_hand(a, b, board, 5)] = 2 * wins + ties
        for t in range(start, stop):
            a = first[order[t]]
            b = second[order[t]]
            group_card[a] = 0
            group_card[b] = 0
            below_card[a] += 1
            below_card[b] += 1
        below += stop - start
        start = stop


@nb.njit(cache=True, parallel=True)
def river_equity_on_boards(board_indices, table):
    """Fill ``table`` (uint16 (size(RIVER),)) for every hand on the canonical boards ``board_indices`` (int64 (n,))."""
    for i in nb.prange(board_indices.shape[0]):
        board = np.empty(5, dtype=np.int64)
        iso.unindex_hand(iso.RIVER_BOARD, board_indices[i], board)
        _equity_on_board(board, table)


@nb.njit(cache=True, parallel=True)
def turn_histograms(river, turn_indices):
    """uint8 (n, NUM_BINS): river-equity histogram over the 46 river cards of each turn index."""
    n = turn_indices.shape[0]
    out = np.zeros((n, NUM_BINS), dtype=np.uint8)
    for i in nb.prange(n):
        hand = np.empty(7, dtype=np.int64)
        iso.unindex_hand(iso.TURN, turn_indices[i], hand)
        used = 0
        for j in range(6):
            used |= 1 << hand[j]
        for c in range(52):
            if used >> c & 1:
                continue
            hand[6] = c
            num = np.int64(river[iso.index_hand(hand[0], hand[1], hand[2:], 5)])
            out[i, min(num * NUM_BINS // EQUITY_DENOM, NUM_BINS - 1)] += 1
    return out


@nb.njit(cache=True, parallel=True)
def flop_histograms(turn, flop_indices):
    """uint16 (n, NUM_BINS): sum of the turn histograms (``turn``, uint8 (size(TURN), 50)) of each flop's 47 turn cards."""
    n = flop_indices.shape[0]
    out = np.zeros((n, NUM_BINS), dtype=np.uint16)
    for i in nb.prange(n):
        hand = np.empty(6, dtype=np.int64)
        iso.unindex_hand(iso.FLOP, flop_indices[i], hand)
        used = 0
        for j in range(5):
            used |= 1 << hand[j]
        for c in range(52):
            if used >> c & 1:
                continue
            hand[5] = c
            row = iso.index_hand(hand[0], hand[1], hand[2:], 4)
            for k in range(NUM_BINS):
                out[i, k] += turn[row, k]
    return out


@nb.njit(cache=True)
def preflop_histograms(flop, flop_weights):
    """float64 (169, NUM_BINS): orbit-weighted mean flop histogram of each preflop class, normalized to 1."""
    out = np.zeros((169, NUM_BINS), dtype=np.float64)
    hand = np.empty(5, dtype=np.int64)
    empty = np.empty(0, dtype=np.int64)
    for f in range(flop.shape[0]):
        iso.unindex_hand(iso.FLOP, f, hand)
        p = iso.index_hand(hand[0], hand[1], empty, 0)
        for k in range(NUM_BINS):
            out[p, k] += flop_weights[f] * np.float64(flop[f, k])
    for p in range(169):
        out[p] /= out[p].sum()
    return out


def _chunked(n: int, step: int, run: Callable[[np.ndarray], None], progress: Callable[[int], None] | None) -> None:
    for start in range(0, n, step):
        run(np.arange(start, min(start + step, n), dtype=np.int64))
        if progress is not None:
            progress(min(start + step, n) - start)


def compute_river_table(progress: Callable[[int], None] | None = None) -> np.ndarray:
    """uint16 (size(RIVER),): river equity numerators of all canonical river hands (no cache)."""
    table = np.full(iso.size(iso.RIVER), _UNSET, dtype=np.uint16)
    _chunked(iso.size(iso.RIVER_BOARD), 4096, lambda b: river_equity_on_boards(b, table), progress)
    if (table == _UNSET).any():
        raise RuntimeError("river equity table incomplete: some canonical hands were never reached")
    return table


def _stacked(n: int, width: int, dtype, kernel, progress) -> np.ndarray:
    out = np.empty((n, width), dtype=dtype)

    def run(idx: np.ndarray) -> None:
        out[idx[0]:idx[-1] + 1] = kernel(idx)

    _chunked(n, 65536, run, progress)
    return out


def river_table(progress=None) -> np.ndarray:
    """Cached :func:`compute_river_table`; ``progress(n)`` is called as boards are done (134,459 in all)."""
    return cache.cached("river_equity", TABLE_VERSION, lambda: compute_river_table(progress),
                        denominator=EQUITY_DENOM)


def turn_table(river: np.ndarray, progress=None) -> np.ndarray:
    """Cached uint8 (size(TURN), 50) turn histograms; ``progress(n)`` counts turn hands."""
    return cache.cached("turn_histograms", TABLE_VERSION, lambda: _stacked(
        iso.size(iso.TURN), NUM_BINS, np.uint8, lambda idx: turn_histograms(river, idx), progress),
        bins=NUM_BINS)


def flop_table(turn: np.ndarray, progress=None) -> np.ndarray:
    """Cached uint16 (size(FLOP), 50) flop histograms; ``progress(n)`` counts flop hands."""
    return cache.cached("flop_histograms", TABLE_VERSION, lambda: _stacked(
        iso.size(iso.FLOP), NUM_BINS, np.uint16, lambda idx: flop_histograms(turn, idx), progress),
        bins=NUM_BINS)

