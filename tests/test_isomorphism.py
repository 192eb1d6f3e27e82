"""Canonical suit-isomorphic indices: class counts (Waugh 2013), invariance, round trips."""

import itertools
from math import comb

import numba as nb
import numpy as np
import pytest

from holdem.abstraction import isomorphism as iso

SUIT_PERMS = list(itertools.permutations(range(4)))


def test_class_counts_match_waugh_2013():
    assert iso.size(iso.PREFLOP) == 169
    assert iso.size(iso.FLOP) == 1_286_792
    assert iso.size(iso.TURN) == 13_960_050
    assert iso.size(iso.RIVER) == 123_156_254
    assert iso.size(iso.RIVER_BOARD) == 134_459
    assert iso.size(iso.FLOP_BOARD) == 1_755
    assert iso.size(iso.TURN_BOARD) == 16_432


@nb.njit(cache=True)
def _count_flop_classes(n):
    """int64 (n,): how many real flop hands (hole, board unordered) land on each index."""
    seen = np.zeros(n, dtype=np.int64)
    board = np.empty(5, dtype=np.int64)
    for a in range(52):
        for b in range(a + 1, 52):
            for c in range(52):
                if c == a or c == b:
                    continue
                for d in range(c + 1, 52):
                    if d == a or d == b:
                        continue
                    for e in range(d + 1, 52):
                        if e == a or e == b:
                            continue
                        board[0], board[1], board[2] = c, d, e
                        seen[iso.index_hand(a, b, board, 3)] += 1
    return seen


def test_flop_exhaustive_every_class_hit_by_its_orbit():
    seen = _count_flop_classes(iso.size(iso.FLOP))
    orbits = iso.orbit_sizes(iso.FLOP)
    assert (seen > 0).all()
    np.testing.assert_array_equal(seen, orbits)
    assert orbits.sum() == comb(52, 2) * comb(50, 3)


def test_preflop_exhaustive_and_orbits():
    seen = np.zeros(169, dtype=np.int64)
    empty = np.empty(0, dtype=np.int64)
    for a, b in itertools.combinations(range(52), 2):
        seen[iso.index_hand(a, b, empty, 0)] += 1
    np.testing.assert_array_equal(seen, iso.orbit_sizes(iso.PREFLOP))
    assert sorted(set(seen.tolist())) == [4, 6, 12]  # suited, pairs, offsuit


@pytest.mark.parametrize("layout", [iso.TURN, pytest.param(iso.RIVER, marks=pytest.mark.slow), iso.RIVER_BOARD,
                                    iso.FLOP_BOARD, iso.TURN_BOARD])
def test_orbit_sizes_sum_to_all_real_hands(layout):
    orbits = iso.orbit_sizes(layout)
    assert orbits.min() >= 1 and 24 % orbits.max() == 0
    assert orbits.sum(dtype=np.int64) == iso.total_hands(layout)


@pytest.mark.parametrize("layout", [iso.PREFLOP, iso.FLOP, iso.TURN, iso.RIVER, iso.RIVER_BOARD,
                                    iso.FLOP_BOARD, iso.TURN_BOARD])
def test_round_trip_and_suit_permutations(layout):
    rng = np.random.default_rng(layout)
    n_hole, n_board = iso.LAYOUTS[layout]
    for index in rng.integers(0, iso.size(layout), 300):
        hole, board = iso.representative(layout, int(index))
        assert len(set(hole + board)) == n_hole + n_board
        assert iso.canonical_index(hole, board) == index
        for perm in SUIT_PERMS:
            moved = [c - (c & 3) + perm[c & 3] for c in hole + board]
            assert iso.canonical_index(moved[:n_hole], rng.permutation(moved[n_hole:]).tolist()) == index


def test_random_hands_map_to_their_representatives_class():
    rng = np.random.default_rng(7)
    for _ in range(2000):
        cards = rng.choice(52, 7, replace=False).tolist()
        for n_board in (0, 3, 4, 5):
            index = iso.canonical_index(cards[:2], cards[2:2 + n_board])
            hole, board = iso.representative(iso.layout_of(n_board), index)
            assert iso.canonical_index(hole[::-1], board[::-1]) == index


@nb.njit(cache=True)
def _deal_vs_hand(hands):
    """int64 (n, 4, 2): index_deal's four indices next to index_hand's, per hand."""
    out = np.empty((hands.shape[0], 4, 2), dtype=np.int64)
    for i in range(hands.shape[0]):
        deal = iso.index_deal(hands[i, 0], hands[i, 1], hands[i, 2:])
        for s, n_board in enumerate((0, 3, 4, 5)):
            out[i, s, 0] = deal[s]
            out[i, s, 1] = iso.index_hand(hands[i, 0], hands[i, 1], hands[i, 2:], n_board)
    return out


def test_index_deal_equals_index_hand_per_street():
    rng = np.random.default_rng(8)
    hands = np.argsort(rng.random((20_000, 52)), axis=1)[:, :7].astype(np.int64)
    got = _deal_vs_hand(hands)
    np.testing.assert_array_equal(got[:, :, 0], got[:, :, 1])


def test_index_deal_preflop_closed_form_on_every_hole():
    for a, b in itertools.combinations(range(52), 2):
        board = np.array([c for c in range(52) if c not in (a, b)][:5], dtype=np.int64)
        assert iso.index_deal(a, b, board)[0] == iso.canonical_index([a, b])
        assert iso.index_deal_cards(b, a, *board.tolist()) == iso.index_deal(a, b, board)


def test_bad_hands_rejected():
    with pytest.raises(ValueError, match="distinct"):
        iso.canonical_index([0, 0], [1, 2, 3])
    with pytest.raises(ValueError, match="unsupported"):
        iso.canonical_index([0, 1], [2, 3])
    with pytest.raises(ValueError, match="out of range"):
        iso.representative(iso.PREFLOP, 169)
