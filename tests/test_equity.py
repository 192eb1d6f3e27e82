"""Equity tables against exact enumeration with eval7 (a test-only oracle)."""

import eval7
import numpy as np
import pytest

from holdem.abstraction import equity as eq
from holdem.abstraction import isomorphism as iso

CARDS = [eval7.Card("23456789TJQKA"[c >> 2] + "cdhs"[c & 3]) for c in range(52)]


def _oracle_equity(hole, board):
    """Exact hand strength of ``hole`` on a 3-5 card ``board`` vs one random opponent (ties half)."""
    used = set(hole) | set(board)
    mine = eval7.evaluate([CARDS[c] for c in [*hole, *board]])
    b = [CARDS[c] for c in board]
    score = 0
    rest = [c for c in range(52) if c not in used]
    for i, x in enumerate(rest):
        for y in rest[i + 1:]:
            theirs = eval7.evaluate([CARDS[x], CARDS[y], *b])
            score += 2 if mine > theirs else (1 if mine == theirs else 0)
    return score / (2 * len(rest) * (len(rest) - 1) / 2)


def _table_for_boards(boards):
    """River table filled only on the canonical boards of ``boards`` (lists of 5 cards)."""
    table = np.full(iso.size(iso.RIVER), 0xFFFF, dtype=np.uint16)
    ids = np.unique([iso.canonical_index([], b) for b in boards]).astype(np.int64)
    eq.strength_on_boards(5, ids, table, np.zeros((4, eq.EQUITY_DENOM + 1), dtype=np.int64))
    return table


@pytest.fixture(scope="module")
def river_hands():
    rng = np.random.default_rng(11)
    return [rng.choice(52, 7, replace=False).tolist() for _ in range(1000)]


def test_river_equity_equals_enumeration(river_hands):
    table = _table_for_boards([h[2:] for h in river_hands])
    for h in river_hands:
        got = table[iso.canonical_index(h[:2], h[2:])] / eq.EQUITY_DENOM
        assert got == pytest.approx(_oracle_equity(h[:2], h[2:]), abs=1e-9)


def test_turn_histograms_equal_enumeration():
    rng = np.random.default_rng(12)
    turn_ids = rng.choice(iso.size(iso.TURN), 100, replace=False).astype(np.int64)
    hands = [sum(iso.representative(iso.TURN, int(t)), []) for t in turn_ids]
    boards = [h[2:] + [c] for h in hands for c in range(52) if c not in h]
    hist = eq.turn_histograms(_table_for_boards(boards), turn_ids)
    for row, h in zip(hist, hands):
        expected = np.zeros(eq.NUM_BINS, dtype=np.int64)
        for c in range(52):
            if c not in h:
                e = _oracle_equity(h[:2], h[2:] + [c])
                expected[min(int(np.floor(e * eq.NUM_BINS + 1e-12)), eq.NUM_BINS - 1)] += 1
        np.testing.assert_array_equal(row, expected)


def test_flop_histogram_is_sum_of_its_turn_histograms():
    rng = np.random.default_rng(13)
    flop_ids = rng.choice(iso.size(iso.FLOP), 20, replace=False).astype(np.int64)
    turn = np.zeros((iso.size(iso.TURN), eq.NUM_BINS), dtype=np.uint8)
    turn[:, 0] = 1
    turn[::7, 3] = 2
    got = eq.flop_histograms(turn, flop_ids)
    for row, f in zip(got, flop_ids):
        hole, board = iso.representative(iso.FLOP, int(f))
        rows = [iso.canonical_index(hole, board + [c]) for c in range(52) if c not in hole + board]
        np.testing.assert_array_equal(row, turn[rows].sum(axis=0))


@pytest.mark.parametrize("n_board", [3, 4])
def test_flop_and_turn_strength_equal_enumeration_and_count_every_real_hand(n_board):
    table, mass = eq.compute_strength_table(n_board)
    street = iso.layout_of(n_board)
    assert table.shape == (iso.size(street),) and mass.shape == (eq.denominator(n_board) + 1,)
    assert mass.sum() == iso.total_hands(street)
    np.testing.assert_array_equal(np.bincount(table, weights=iso.orbit_sizes(street), minlength=len(mass)), mass)
    rng = np.random.default_rng(14 + n_board)
    for _ in range(40):
        h = rng.choice(52, 2 + n_board, replace=False).tolist()
        got = table[iso.canonical_index(h[:2], h[2:])] / eq.denominator(n_board)
        assert got == pytest.approx(_oracle_equity(h[:2], h[2:]), abs=1e-9)
