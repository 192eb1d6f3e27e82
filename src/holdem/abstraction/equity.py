"""Exact equity tables over canonical hands: hand strength per street, turn/flop/preflop histograms.

Hand strength is the probability of beating one random opponent hand with the board now (ties
count half, with card removal).  Per canonical board all hole pairs are ranked, sorted and swept
once keeping per-card counts of the hands passed, so ``wins = below - below[a] - below[b]`` and
``ties = group - group[a] - group[b] + 1`` exclude the opponent hands sharing a card with ``{a, b}``.
Values are the exact numerator ``2 * wins + ties`` over ``denominator(n_board)``.

Turn and flop hands also get a histogram of river equity over the next cards in :data:`NUM_BINS`
bins (Johanson et al. 2013, "Evaluating state-space abstractions in extensive-form games";
Ganzfried & Sandholm 2014, "Potential-aware imperfect-recall abstraction with earth mover's
distance"): a flop's sums the turn histograms of its 47 turn cards, a preflop class's is the
orbit-weighted sum of its flops'.  Turn histograms are uint8 (counts out of 46), flop uint16 (out
of 2162), preflop float64 (probabilities); all are cached by :mod:`holdem.abstraction.cache`.
"""

from __future__ import annotations

from collections.abc import Callable

import numba as nb
import numpy as np

from holdem.abstraction import cache
from holdem.abstraction import isomorphism as iso
from holdem.cards import NUM_CARDS
from holdem.evaluator import CARD_KEYS, evaluate_key

EQUITY_DENOM = 1980
NUM_BINS = 50
TABLE_VERSION = "1"
_UNSET = np.uint16(0xFFFF)


def denominator(n_board: int) -> int:
    """Denominator of hand-strength numerators on ``n_board`` cards: 2 * C(50 - n_board, 2) opponent pairs."""
    return (50 - n_board) * (49 - n_board)


@nb.njit(cache=True)
def _strength_on_board(board, n_board, table, mass, weight):
    """Hand strength numerator of every hole pair on one ``n_board``-card ``board`` into ``table`` (by
    canonical index), adding ``weight`` (the board's orbit size) to ``mass[numerator]`` per pair."""
    board_key = np.uint64(0)
    used = 0
    for i in range(n_board):
        board_key += CARD_KEYS[board[i]]
        used |= 1 << board[i]
    first = np.empty(1176, dtype=np.int64)
    second = np.empty(1176, dtype=np.int64)
    ranks = np.empty(1176, dtype=np.int64)
    n = 0
    for a in range(NUM_CARDS):
        if used >> a & 1:
            continue
        for b in range(a + 1, NUM_CARDS):
            if used >> b & 1:
                continue
            first[n] = a
            second[n] = b
            ranks[n] = evaluate_key(board_key + CARD_KEYS[a] + CARD_KEYS[b])
            n += 1
    order = np.argsort(ranks[:n], kind="mergesort")
    below_card = np.zeros(NUM_CARDS, dtype=np.int64)
    group_card = np.zeros(NUM_CARDS, dtype=np.int64)
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
            num = 2 * wins + ties
            table[iso.index_hand(a, b, board, n_board)] = num
            mass[num] += weight
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
def strength_on_boards(n_board, board_indices, table, mass):
    """Hand strength on the canonical ``n_board``-card boards ``board_indices`` (int64 (m,)) into
    ``table`` (uint16, the street's size) and ``mass`` (int64 (chunks, denominator + 1), real hands
    per numerator per chunk)."""
    layout = iso.RIVER_BOARD if n_board == 5 else (iso.TURN_BOARD if n_board == 4 else iso.FLOP_BOARD)
    m = board_indices.shape[0]
    chunks = mass.shape[0]
    for chunk in nb.prange(chunks):
        board = np.empty(n_board, dtype=np.int64)
        for i in range(chunk * m // chunks, (chunk + 1) * m // chunks):
            iso.unindex_hand(layout, board_indices[i], board)
            _strength_on_board(board, n_board, table, mass[chunk], iso.orbit_size(layout, board_indices[i]))


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
        for c in range(NUM_CARDS):
            if used >> c & 1:
                continue
            hand[6] = c
            num = np.int64(river[iso.index_hand(hand[0], hand[1], hand[2:], 5)])
            out[i, min(num * NUM_BINS // EQUITY_DENOM, NUM_BINS - 1)] += 1
    return out


@nb.njit(cache=True, parallel=True)
def flop_histograms(turn, flop_indices):
    """uint16 (n, NUM_BINS): sum of the turn histograms ``turn`` of each flop's 47 turn cards."""
    n = flop_indices.shape[0]
    out = np.zeros((n, NUM_BINS), dtype=np.uint16)
    for i in nb.prange(n):
        hand = np.empty(6, dtype=np.int64)
        iso.unindex_hand(iso.FLOP, flop_indices[i], hand)
        used = 0
        for j in range(5):
            used |= 1 << hand[j]
        for c in range(NUM_CARDS):
            if used >> c & 1:
                continue
            hand[5] = c
            row = iso.index_hand(hand[0], hand[1], hand[2:], 4)
            for k in range(NUM_BINS):
                out[i, k] += turn[row, k]
    return out


@nb.njit(cache=True, parallel=True)
def one_hot_bins(values, denom):
    """uint8 (n, NUM_BINS): the histogram of one value per row, numerators ``values`` (n,) over ``denom``."""
    out = np.zeros((values.shape[0], NUM_BINS), dtype=np.uint8)
    for i in nb.prange(values.shape[0]):
        out[i, min(np.int64(values[i]) * NUM_BINS // denom, NUM_BINS - 1)] = 1
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


def compute_strength_table(n_board: int, progress: Callable[[int], None] | None = None
                           ) -> tuple[np.ndarray, np.ndarray]:
    """Hand strength of every canonical hand with ``n_board`` (3, 4, 5) board cards (no cache): the
    numerators, uint16 (size(street),), and real hands per numerator, int64 (denominator + 1,)."""
    street = iso.layout_of(n_board)
    table = np.full(iso.size(street), _UNSET, dtype=np.uint16)
    mass = np.zeros((64, denominator(n_board) + 1), dtype=np.int64)
    _chunked(iso.size(iso.BOARD_LAYOUT[n_board]), 4096,
             lambda b: strength_on_boards(n_board, b, table, mass), progress)
    if (table == _UNSET).any():
        raise RuntimeError(f"{iso.STREETS[street]} strength table incomplete: some canonical hands were never reached")
    return table, mass.sum(axis=0)


def _stacked(n: int, width: int, dtype, kernel, progress) -> np.ndarray:
    out = np.empty((n, width), dtype=dtype)

    def run(idx: np.ndarray) -> None:
        out[idx[0]:idx[-1] + 1] = kernel(idx)

    _chunked(n, 65536, run, progress)
    return out


def strength_table(n_board: int, progress=None) -> tuple[np.ndarray, np.ndarray]:
    """Cached :func:`compute_strength_table`; ``progress(n)`` is called as canonical boards are done."""
    name = f"{iso.STREETS[iso.layout_of(n_board)]}_strength"
    table = cache.load(name, TABLE_VERSION)
    mass = cache.load(f"{name}_mass", TABLE_VERSION)
    if table is None or mass is None:
        table, mass = compute_strength_table(n_board, progress)
        cache.save(name, TABLE_VERSION, table, denominator=denominator(n_board))
        cache.save(f"{name}_mass", TABLE_VERSION, mass)
    return table, mass


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

