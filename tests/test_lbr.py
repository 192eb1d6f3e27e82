"""Local best response: anchors from Lisy & Bowling 2017, Bayes range updates, fallbacks."""

import numpy as np
import pytest

from holdem.agents import Agent, CallAgent, Decision, FoldAgent, RandomAgent, SeatView
from holdem.agents.equity import HOLES, NUM_HOLES, hole_index
from holdem.cards import parse_cards
from holdem.engine import Deal, Rules, State
from holdem.eval.lbr import LBRConfig, LocalBestResponse, local_best_response
from holdem.eval.match import table_rules

FAST = LBRConfig(preflop_samples=200)


def test_lbr_against_always_fold_wins_the_blinds():
    result = local_best_response(FoldAgent(), hands=100, config=FAST, seed=1)
    assert result.hands == 100
    assert result.estimate().mbb_per_hand >= 750.0


def test_lbr_beats_a_uniform_random_player_by_thousands():
    result = local_best_response(RandomAgent(3), hands=200, config=FAST, seed=2)
    est = result.estimate()
    assert est.mbb_per_hand > 3000 and est.ci95[0] > 1000


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
    lbr = LocalBestResponse(AcesRaiser())
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
    lbr = LocalBestResponse(AcesRaiser())
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
