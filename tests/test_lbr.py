"""Local best response: anchors from Lisy & Bowling 2017, Bayes range updates, fallbacks."""

import numpy as np
import pytest

from holdem.agents import Agent, CallAgent, Decision, FoldAgent, RandomAgent, SeatView
from holdem.agents.equity import HOLES, NUM_HOLES, hole_index
from holdem.cards import parse_cards
from holdem.engine import Deal, Rules, State, Street
from holdem.eval.lbr import DEFAULT_VARIANT, LBRConfig, LocalBestResponse, local_best_response
from holdem.eval.match import table_rules

FAST = LBRConfig(preflop_samples=200)
#: LBR's rule from the first round on (the default, the paper's "rounds 3-4", only calls preflop)
EVERY_ROUND = LBRConfig(first_street=Street.PREFLOP, preflop_samples=200)


def test_lbr_against_always_fold_wins_the_blinds():
    result = local_best_response(FoldAgent(), hands=100, config=FAST, seed=1)
    assert result.hands == 100
    assert result.estimate().mbb_per_hand >= 750.0


def test_lbr_beats_a_uniform_random_player_by_thousands():
    """The luck-adjusted interval is above 3,000 mbb/hand (4,300 to 9,700 at its low end over seeds 2 to 7;
    the plain one spans about +-6,800 at 200 hands; that the adjusted estimate agrees with the plain one
    is tests/test_luck.py's to check)."""
    result = local_best_response(RandomAgent(3), hands=200, config=FAST, seed=2)
    assert result.adjusted_estimate().ci95[0] > 3000 and result.estimate().mbb_per_hand > 0


def test_lbr_result_is_the_same_with_two_workers():
    one = local_best_response(CallAgent(), hands=40, config=FAST, seed=5, chunk_deals=5)
    two = local_best_response(CallAgent(), hands=40, config=FAST, seed=5, chunk_deals=5, workers=2)
    assert np.array_equal(one.values, two.values)


class AcesRaiser(Agent):
    """Raises the pot with a pair of aces, folds to a bet otherwise, else checks."""

    name = "aces"
    has_policy = True

    def action_probabilities(self, view):
        aces = view.hole[0] >> 2 == 12 and view.hole[1] >> 2 == 12
        if aces and view.legal.can_raise:
            return [(Decision.raise_to(view.legal.max_raise_to), 1.0)]
        return [(Decision.fold() if view.legal.can_fold else Decision.check_call(), 1.0)]

    def act(self, view):
        return self.action_probabilities(view)[0][0]


def _heads_up(holes, board="Ks 7d 2h 9c 3d"):
    return State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10, button=1), Deal.parse(holes, board))


def test_bayes_update_keeps_only_the_hands_that_take_the_action():
    lbr = LocalBestResponse(AcesRaiser(), EVERY_ROUND)
    state = _heads_up(["7h 2c", "As Ad"])  # seat 1 (button) acts first with aces
    view = SeatView.of(state)
    weights = np.ones(NUM_HOLES)
    known = (1 << parse_cards("7h")[0]) | (1 << parse_cards("2c")[0])
    lbr.observe(view, Decision.raise_to(1000), weights, known)
    kept = {tuple(HOLES[i]) for i in np.flatnonzero(weights)}
    assert len(kept) == 6 and all(a >> 2 == 12 and b >> 2 == 12 for a, b in kept)
    assert weights.sum() == pytest.approx(1.0)
    # LBR facing the all-in with seven-deuce against aces only: folds
    state.bet_or_raise_to(1000)
    assert lbr.decide(state, SeatView.of(state), weights, 0) == Decision.fold()


def test_fold_probability_and_raising_into_a_folder():
    lbr = LocalBestResponse(AcesRaiser(), EVERY_ROUND)
    state = _heads_up(["7h 2c", "Kh Qh"])
    state.call()  # button limps, LBR (big blind) to act with a free check
    weights = np.ones(NUM_HOLES)
    weights[hole_index(*parse_cards("As Ad"))] = 0.0
    view = SeatView.of(state)
    known = (1 << parse_cards("7h")[0]) | (1 << parse_cards("2c")[0])
    # every remaining hand but the five other aces pairs folds to a raise
    fp = lbr.fold_probability(state, 30, weights, known)
    assert fp == pytest.approx(1 - 5 / (1225 - 1))
    assert lbr.decide(state, view, weights, 0).kind.name == "RAISE"


def test_sampling_only_opponent_gets_the_uniform_fallback():
    class Sampler(Agent):
        name = "sampler"

        def act(self, view):
            return Decision.check_call()

    lbr = LocalBestResponse(Sampler())
    state = _heads_up(["7h 2c", "As Ad"])
    weights = np.ones(NUM_HOLES)
    lbr.observe(SeatView.of(state), Decision.raise_to(30), weights, 1)  # LBR holds the 2c
    assert np.all(weights[HOLES[:, 0] != 0] == 1.0) and np.all(weights[HOLES[:, 0] == 0] == 0.0)
    state.bet_or_raise_to(30)
    assert lbr.fold_probability(state, 100, weights, 0) == 0.0
    assert local_best_response(Sampler(), hands=20, config=FAST).hands == 20


def test_heads_up_only_and_config_checks():
    with pytest.raises(ValueError, match="heads-up"):
        local_best_response(CallAgent(), hands=10, rules=table_rules(3))
    with pytest.raises(ValueError, match="must be positive"):
        LBRConfig(pot_fractions=(0.0,))


def test_lbr_with_spawned_workers_gives_the_one_worker_result():
    one = local_best_response(RandomAgent(3), hands=40, config=FAST, seed=5, chunk_deals=5)
    two = local_best_response(RandomAgent(3), hands=40, config=FAST, seed=5, chunk_deals=5, workers=2,
                              start_method="spawn")
    assert np.array_equal(one.values, two.values) and two.opponent == "random"


class KingCaller(Agent):
    """Checks when it may; facing a bet, calls holding a king and folds otherwise."""

    name = "kings"
    has_policy = True

    def action_probabilities(self, view):
        king = 11 in (view.hole[0] >> 2, view.hole[1] >> 2)
        if not view.legal.can_fold:
            return [(Decision.check_call(), 1.0)]
        return [(Decision.check_call() if king else Decision.fold(), 1.0)]

    def act(self, view):
        return self.action_probabilities(view)[0][0]


def test_raise_value_uses_the_equity_against_the_hands_that_call():
    """Queen-high on the river against a player who calls a bet only with a king: the bet wins the
    pot when 861 of the 990 possible hands fold and loses the bet against the 129 kings, which
    all beat it (Lisy & Bowling 2017: the equity after a raise is against the non-folding range)."""
    lbr = LocalBestResponse(KingCaller())
    state = _heads_up(["Qh Jh", "As Ad"])  # LBR is seat 0, the big blind, first to act after the flop
    for _ in range(6):
        state.check_or_call()
    view = SeatView.of(state)
    assert view.street == Street.RIVER and view.seat == 0 and view.pot == 20
    values = lbr.action_values(state, view, np.ones(NUM_HOLES), 0)
    assert values[Decision.raise_to(20)] == pytest.approx((861 * 20 - 129 * 20) / 990)
    assert values[Decision.raise_to(990)] == pytest.approx((861 * 20 - 129 * 990) / 990)  # all-in
    assert lbr.decide(state, view, np.ones(NUM_HOLES), 0) == Decision.raise_to(20)


def test_paper_variants():
    assert LBRConfig() == LBRConfig.variant(DEFAULT_VARIANT) == LBRConfig.variant("fcpa-34")
    assert LBRConfig().first_street == Street.TURN
    fc = LocalBestResponse(CallAgent(), LBRConfig.variant("fc-1234"))
    state = _heads_up(["Kh Kd", "7c 2d"])
    view = SeatView.of(state)
    assert list(fc.action_values(state, view, np.ones(NUM_HOLES), 0)) == [Decision.check_call()]
    bets = LBRConfig.variant("56bets-34")
    assert len(bets.pot_fractions) == 55 and bets.all_in
    assert bets.pot_fractions[0] == 0.05 and bets.pot_fractions[-1] == pytest.approx(0.05 * 1.15 ** 54, rel=1e-6)
    # before the turn the default only checks or calls, whatever its cards
    assert LocalBestResponse(FoldAgent()).decide(state, view, np.ones(NUM_HOLES), 0) == Decision.check_call()
    with pytest.raises(ValueError, match="unknown LBR variant"):
        LBRConfig.variant("fcpa-12")


def test_same_seed_same_numbers():
    """Pinned per-deal results (chips, LBR's average over both seats) of the 56-bet variant, whose
    every turn and river decision values 56 raises against the opponent's folds."""
    result = local_best_response(RandomAgent(3), hands=60, config=LBRConfig.variant("56bets-34"), seed=11)
    assert result.values.tolist() == [
        0.0, -4975.0, -4975.0, 0.0, 0.0, 4650.0, -350.0, 300.0, -4750.0, -195.0,
        -4900.0, 450.0, 4786.5, 25.0, 6250.0, 5025.0, -4975.0, 5025.0, 4900.0, 275.0,
        -4750.0, 5200.0, -2475.0, 0.0, -4975.0, -4975.0, 4750.0, 2275.0, 5011.5, -4750.0]


def test_every_random_stream_of_an_lbr_run_has_a_seed_of_its_own(distinct_seeds):
    """The deals', the opponent's and each hand's streams never share a seed (the opponent's once
    was the second hand's)."""
    import holdem.eval.lbr as lbr

    seeds = distinct_seeds(lbr)
    local_best_response(FoldAgent(), hands=12, config=FAST, seed=3, chunk_deals=3)
    assert len(seeds) > 3
