"""Tests for holdem.evaluator: exhaustive 5-card counts, and agreement with phevaluator and eval7.

phevaluator and eval7 are test-only oracles.  phevaluator ranks 1 (royal flush) ..
7462 (7-5-4-3-2), so ours must equal ``7463 - phevaluator``; its C entry points
(``_pheval.evaluate_7cards`` etc.) take card ints in the same ``rank * 4 + suit``
layout and run at a few million evaluations per second from Python.
"""

import itertools

import numpy as np
import pytest
from numba import njit

from holdem import _evaluator_tables
from holdem.cards import parse_cards
from holdem.evaluator import (
    CARD_KEYS,
    CATEGORY_NAMES,
    CATEGORY_STARTS,
    describe,
    describe_rank,
    evaluate_5,
    evaluate_6,
    evaluate_7,
    evaluate_batch,
    evaluate_cards,
    evaluate_key,
    hand_category,
)

eval7 = pytest.importorskip("eval7")
_pheval = pytest.importorskip("phevaluator._pheval")

# Five-card hands per category (high card .. straight flush) and distinct ranks per
# category, out of C(52, 5) = 2,598,960 hands and 7,462 classes (standard counts,
# e.g. Cactus Kev's evaluator notes; Wikipedia "Poker probability").
CATEGORY_HANDS = [1_302_540, 1_098_240, 123_552, 54_912, 10_200, 5_108, 3_744, 624, 40]
CATEGORY_CLASSES = [1277, 2860, 858, 858, 10, 1277, 156, 156, 10]


def deal(seed: int, n: int, k: int) -> np.ndarray:
    """``n`` rows of ``k`` distinct random cards (n, k) int64 from a seeded generator."""
    rng = np.random.default_rng(seed)
    chunks = []
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        chunks.append(rng.random((m, 52)).argpartition(k, axis=1)[:, :k])
    return np.concatenate(chunks).astype(np.int64)


def pheval(hands: np.ndarray) -> np.ndarray:
    """phevaluator ranks (N,) of a (N, 5..7) card array, converted to our scale."""
    fn = {5: _pheval.evaluate_5cards, 6: _pheval.evaluate_6cards, 7: _pheval.evaluate_7cards}
    ranks = np.fromiter(itertools.starmap(fn[hands.shape[1]], hands.tolist()), np.int64, len(hands))
    return 7463 - ranks


@njit(cache=True)
def _all_five_card_ranks():
    """evaluate_5 and evaluate_key over all C(52, 5) hands: (ranks (2598960,) int64, key mismatches)."""
    out = np.empty(2_598_960, np.int64)
    bad = 0
    i = 0
    for a in range(48):
        for b in range(a + 1, 49):
            for c in range(b + 1, 50):
                for d in range(c + 1, 51):
                    for e in range(d + 1, 52):
                        r = evaluate_5(a, b, c, d, e)
                        key = CARD_KEYS[a] + CARD_KEYS[b] + CARD_KEYS[c] + CARD_KEYS[d] + CARD_KEYS[e]
                        bad += evaluate_key(key) != r
                        out[i] = r
                        i += 1
    return out, bad


@njit(cache=True)
def _per_hand(hands):
    """evaluate_5/6/7 (by row length) over the rows of ``hands`` (N, k): ranks (N,) int64."""
    out = np.empty(hands.shape[0], np.int64)
    for i in range(hands.shape[0]):
        h = hands[i]
        if hands.shape[1] == 5:
            out[i] = evaluate_5(h[0], h[1], h[2], h[3], h[4])
        elif hands.shape[1] == 6:
            out[i] = evaluate_6(h[0], h[1], h[2], h[3], h[4], h[5])
        else:
            out[i] = evaluate_7(h[0], h[1], h[2], h[3], h[4], h[5], h[6])
    return out


@njit(cache=True)
def _showdown_keys(deals):
    """Key-API ranks of both players for (N, 9) deals: board = cols 0..4, holes 5..6 and 7..8."""
    out = np.empty((deals.shape[0], 2), np.int64)
    for i in range(deals.shape[0]):
        d = deals[i]
        board = CARD_KEYS[d[0]] + CARD_KEYS[d[1]] + CARD_KEYS[d[2]] + CARD_KEYS[d[3]] + CARD_KEYS[d[4]]
        out[i, 0] = evaluate_key(board + CARD_KEYS[d[5]] + CARD_KEYS[d[6]])
        out[i, 1] = evaluate_key(board + CARD_KEYS[d[7]] + CARD_KEYS[d[8]])
    return out


@pytest.fixture(scope="module")
def five_card_ranks():
    ranks, key_mismatches = _all_five_card_ranks()
    assert key_mismatches == 0
    return ranks


def test_exhaustive_five_card_counts(five_card_ranks):
    categories = np.searchsorted(CATEGORY_STARTS, five_card_ranks, side="right") - 1
    assert np.bincount(categories, minlength=9).tolist() == CATEGORY_HANDS
    distinct = [len(np.unique(five_card_ranks[categories == c])) for c in range(9)]
    assert distinct == CATEGORY_CLASSES
    assert len(np.unique(five_card_ranks)) == 7462
    assert five_card_ranks.min() == 1 and five_card_ranks.max() == 7462


def test_category_boundaries():
    assert CATEGORY_STARTS.tolist() == [1, 1278, 4138, 4996, 5854, 5864, 7141, 7297, 7453]
    for c in range(9):
        assert hand_category(CATEGORY_STARTS[c]) == c
        assert hand_category(CATEGORY_STARTS[c] - 1) == max(c - 1, 0)
    assert hand_category(7462) == 8
    edges = {
        1: "7c 5d 4h 3s 2c", 1277: "Ac Kd Qh Js 9c", 1278: "2c 2d 3h 4s 5c",
        4137: "Ac Ad Kh Qs Jc", 4138: "3c 3d 2h 2s 4c", 4995: "Ac Ad Kh Ks Qc",
        4996: "2c 2d 2h 3s 4c", 5853: "Ac Ad Ah Ks Qc", 5854: "Ac 2d 3h 4s 5c",
        5863: "Ac Kd Qh Js Tc", 5864: "7c 5c 4c 3c 2c", 7140: "Ac Kc Qc Jc 9c",
        7141: "2c 2d 2h 3s 3c", 7296: "Ac Ad Ah Ks Kc", 7297: "2c 2d 2h 2s 3c",
        7452: "Ac Ad Ah As Kc", 7453: "Ac 2c 3c 4c 5c", 7462: "Ac Kc Qc Jc Tc",
    }
    for rank, text in edges.items():
        assert evaluate_cards(np.array(parse_cards(text))) == rank, text
    assert [hand_category(r) for r in CATEGORY_STARTS] == list(range(9))
    assert CATEGORY_NAMES[0] == "high card" and CATEGORY_NAMES[8] == "straight flush"


def test_seven_card_pairs_match_phevaluator():
    # 1,000,000 heads-up showdowns: 5 board cards + two hole-card pairs, all distinct
    deals = deal(2024, 1_000_000, 9)
    hands_a = deals[:, :7]
    hands_b = np.concatenate([deals[:, :5], deals[:, 7:]], axis=1)
    ours_a, ours_b = evaluate_batch(hands_a), evaluate_batch(hands_b)
    ph_a, ph_b = pheval(hands_a), pheval(hands_b)
    np.testing.assert_array_equal(ours_a, ph_a)
    np.testing.assert_array_equal(ours_b, ph_b)
    np.testing.assert_array_equal(np.sign(ours_a - ours_b), np.sign(ph_a - ph_b))
    # the additive-key API, with the board key shared, agrees with the direct kernels
    keyed = _showdown_keys(deals)
    np.testing.assert_array_equal(keyed[:, 0], ours_a)
    np.testing.assert_array_equal(keyed[:, 1], ours_b)
    np.testing.assert_array_equal(_per_hand(hands_a), ours_a)


@pytest.mark.parametrize("k", [5, 6])
def test_five_and_six_cards_match_phevaluator(k):
    hands = deal(k, 300_000, k)
    ours = _per_hand(hands)
    np.testing.assert_array_equal(ours, pheval(hands))
    np.testing.assert_array_equal(evaluate_batch(hands), ours)


def test_key_api_six_cards():
    hands = deal(6, 100_000, 6)
    keys = CARD_KEYS[hands].sum(axis=1)
    np.testing.assert_array_equal([evaluate_key(k) for k in keys[:20_000]], _per_hand(hands[:20_000]))


def test_batch_matches_per_hand_and_dtype():
    hands = deal(11, 50_000, 7)
    out = evaluate_batch(hands.astype(np.int8))
    assert out.dtype == np.int32 and out.shape == (50_000,)
    np.testing.assert_array_equal(out, _per_hand(hands))
    np.testing.assert_array_equal(out[:1000], [evaluate_cards(h) for h in hands[:1000]])
    assert evaluate_batch(np.empty((0, 7), np.int64)).shape == (0,)
    with pytest.raises(ValueError):
        evaluate_batch(np.zeros((3, 4), np.int64))
    with pytest.raises(ValueError):
        evaluate_batch(np.full((3, 7), 52))


def test_eval7_orderings_agree():
    deals = deal(7, 200_000, 9)
    hands_a = deals[:, :7]
    hands_b = np.concatenate([deals[:, :5], deals[:, 7:]], axis=1)
    deck = [eval7.Card("23456789TJQKA"[c >> 2] + "cdhs"[c & 3]) for c in range(52)]

    def e7(hands):
        return np.array([eval7.evaluate([deck[c] for c in h]) for h in hands.tolist()], np.int64)

    np.testing.assert_array_equal(
        np.sign(evaluate_batch(hands_a) - evaluate_batch(hands_b)), np.sign(e7(hands_a) - e7(hands_b))
    )


@pytest.mark.parametrize(
    "cards, text",
    [
        ("As Ks 9d 9c 2h", "pair, nines"),
        ("Ks Kd 9d 9c 2h", "two pair, kings and nines"),
        ("As Ah Ad Tc Ts 2h 2d", "full house, aces full of tens"),
        ("Ks Qs 9s 4s 2s Ah Ad", "flush, king high"),
        ("5c 4d 3h 2s Ac Kd", "straight, five high"),
        ("As Ks Qs Js Ts 9s 8s", "royal flush"),
        ("9s 8s 7s 6s 5s 2d 2h", "straight flush, nine high"),
        ("Ac Kd 9h 7s 3c", "high card, ace"),
        ("Qs Qd Qc 2h 3d", "three of a kind, queens"),
        ("7c 7d 7h 7s Ac Ad Ah", "four of a kind, sevens"),
        ("Js Jd 2h 2d 3s 3c 4h", "two pair, jacks and threes"),
    ],
)
def test_describe(cards, text):
    assert describe(cards) == text
    assert describe(parse_cards(cards)) == text


def test_describe_rank_ends_and_errors():
    assert describe_rank(1) == "high card, seven"
    assert describe_rank(7462) == "royal flush"
    assert describe_rank(7461) == "straight flush, king high"
    assert describe_rank(5854) == "straight, five high"
    with pytest.raises(ValueError):
        describe_rank(0)
    with pytest.raises(ValueError):
        describe_rank(7463)
    with pytest.raises(ValueError):
        describe("As Ks Qs Js")
    with pytest.raises(ValueError):
        describe([0, 1, 2, 3, 3])


def test_table_shapes():
    tables = _evaluator_tables.build_tables()
    assert tables["LOOKUP"].shape == (73_775,)  # one slot per multiset of 5..7 ranks
    assert np.count_nonzero(tables["LOOKUP"]) == 73_775
    assert tables["FLUSH_LOOKUP"].shape == (8192,)
    assert tables["CLASS_VALUES"].shape == (7462,)
