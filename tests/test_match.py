"""Matches: exact answers under duplicate dealing, hand-computed intervals, workers (spawned too), multiway,
luck adjustment."""

import math
import random

import numpy as np
import pytest

from holdem.agents import AgentSpec, CallAgent, FoldAgent, HeuristicAgent, RaiseAgent, RandomAgent
from holdem.agents.equity import heads_up_equity
from holdem.engine import Deal, Rules
from holdem.eval.match import play_hand, play_match, table_rules
from holdem.eval.parallel import derive_seed
from holdem.eval.stats import Z95, mbb_estimate


def test_call_vs_call_is_exactly_zero_under_duplicate_dealing():
    result = play_match([CallAgent(), CallAgent()], hands=2000, seed=1)
    est = result.estimate(0)
    assert result.hands == 2000 and est.units == 1000
    assert est.mbb_per_hand == 0.0 and est.ci95 == (0.0, 0.0)
    assert np.all(result.values == 0)


def test_random_vs_random_is_zero_within_its_interval():
    result = play_match([RandomAgent(1), RandomAgent(2)], hands=4000, seed=2)
    low, high = result.estimate(0).ci95
    assert low < 0 < high
    assert np.allclose(result.values[:, 0], -result.values[:, 1])


def test_always_fold_loses_750_against_always_raise_with_blinds_half_and_one():
    rules = Rules((200, 200), small_blind=1, big_blind=2, button=1)  # blinds 0.5 / 1 big blind
    result = play_match([FoldAgent(), RaiseAgent()], hands=1000, rules=rules, seed=3)
    assert result.estimate(0).mbb_per_hand == -750.0
    assert result.estimate(0).ci95 == (-750.0, -750.0)
    assert result.estimate(1).mbb_per_hand == 750.0


def test_estimate_matches_a_hand_computation():
    values = [300.0, -100.0, 50.0, 0.0, -250.0]  # chips per hand, big blind 100
    mbb = [v * 10 for v in values]
    mean = sum(mbb) / 5
    sd = math.sqrt(sum((x - mean) ** 2 for x in mbb) / 4)
    est = mbb_estimate(values, big_blind=100)
    assert est.mbb_per_hand == pytest.approx(mean) == 0.0
    assert est.ci95 == pytest.approx((mean - 1.959964 * sd / math.sqrt(5), mean + 1.959964 * sd / math.sqrt(5)))
    assert Z95 == pytest.approx(1.959964, abs=1e-6)


def test_match_values_are_hand_payoffs_averaged_over_rotations():
    rules = table_rules(2)
    agents = [HeuristicAgent(), CallAgent()]
    result = play_match(agents, hands=20, rules=rules, seed=5, chunk_deals=4)
    # replay deal by deal: chunk c draws from derive_seed(5, c); rebuild the first chunk's deals
    rng = random.Random(derive_seed(5, 0))
    for d in range(4):
        deal = Deal.shuffled(2, rng)
        first = play_hand(rules, deal, [agents[0], agents[1]]).payoffs[0]
        second = play_hand(rules, deal, [agents[1], agents[0]]).payoffs[1]
        assert result.values[d, 0] == (first + second) / 2
    est = result.estimate(0)
    assert est.units == 10
    assert est.mbb_per_hand == pytest.approx(result.values[:, 0].mean() * 10)


def test_same_result_with_any_number_of_workers():
    agents = lambda: [RandomAgent(0), HeuristicAgent()]  # noqa: E731
    one = play_match(agents(), hands=600, seed=9, chunk_deals=50)
    two = play_match(agents(), hands=600, seed=9, chunk_deals=50, workers=2)
    assert np.array_equal(one.values, two.values)


def test_without_duplicate_the_unit_is_the_hand_and_seats_alternate():
    result = play_match([FoldAgent(), RaiseAgent()], hands=101, duplicate=False, seed=1)
    assert result.hands == 101 and result.values.shape == (101, 2)
    assert sorted(set(result.values[:, 0])) == [-100.0, -50.0]  # big blind, small blind
    assert np.sum(result.values[:, 0] == -100.0) == 51  # agent 0 starts in the big blind


def test_multiway_duplicate_sums_to_zero_and_rotates_every_seat():
    agents = [RandomAgent(1), CallAgent(), HeuristicAgent()]
    result = play_match(agents, hands=300, seed=4)
    assert result.hands == 300 and result.values.shape == (100, 3)
    assert np.allclose(result.values.sum(axis=1), 0)
    calls = play_match([CallAgent(), CallAgent(), CallAgent()], hands=90, seed=4)
    assert np.all(calls.values == 0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="3 agents for a 2-seat table"):
        play_match([CallAgent()] * 3, hands=10, rules=table_rules(2))
    with pytest.raises(ValueError, match="must be positive"):
        play_match([CallAgent(), CallAgent()], hands=0)


def test_spawned_workers_give_the_one_worker_result():
    """Workers rebuild their agents from specs, so the macOS/Windows start method (spawn) replays
    the same match as one in-process worker."""
    agents = lambda: [RandomAgent(0), HeuristicAgent(raise_at=0.7, samples=100)]  # noqa: E731
    one = play_match(agents(), hands=400, seed=9, chunk_deals=50)
    two = play_match(agents(), hands=400, seed=9, chunk_deals=50, workers=2, start_method="spawn")
    assert np.array_equal(one.values, two.values)
    assert two.names == ("random", "heuristic")


def test_a_worker_error_stops_the_run_with_the_worker_traceback():
    broken = AgentSpec("heuristic", options=(("samples", 0),))  # the constructor refuses it in the worker
    with pytest.raises(ValueError, match="samples must be positive") as error:
        play_match([broken, AgentSpec("call")], hands=400, chunk_deals=20, workers=2, start_method="spawn")
    assert "Traceback" in str(error.value.__cause__) and "heuristic.py" in str(error.value.__cause__)


def test_agents_without_a_spec_need_one_worker():
    class Custom(CallAgent):
        name = "custom"

    with pytest.raises(TypeError, match="cannot be rebuilt in a worker"):
        play_match([Custom(), CallAgent()], hands=10, workers=2)
    assert play_match([Custom(), CallAgent()], hands=10).names == ("custom", "call")


def test_luck_adjusted_calling_down_scores_each_hand_its_preflop_all_in_value():
    """Both players call down: a call policy's actions are charged nothing and the cards' luck takes each
    hand's result back to its value before the flop, 200 e - 100 chips for preflop equity e with 100
    matched, so the two plays of a duplicate deal cancel exactly."""
    single = play_match([CallAgent(), CallAgent()], hands=8, duplicate=False, seed=3, luck=True)
    rng = random.Random(derive_seed(3, 0))
    for k in range(8):
        holes = Deal.shuffled(2, rng).hole_cards
        mine, theirs = holes[k % 2], holes[1 - k % 2]  # agent 0 sits in seat k % 2
        equity = heads_up_equity(*mine, *theirs, np.zeros(5, np.int64), 0)
        assert single.adjusted[k] == pytest.approx(200 * equity - 100)
    assert np.any(single.values[:, 0] != single.adjusted)
    duplicate = play_match([CallAgent(), CallAgent()], hands=16, seed=3, luck=True)
    assert np.allclose(duplicate.adjusted, 0.0, atol=1e-9)
    assert duplicate.adjusted_estimate().units == 8


def test_luck_adjustment_replays_with_workers_and_is_heads_up_only():
    agents = lambda: [HeuristicAgent(samples=50), RandomAgent(0)]  # noqa: E731
    one = play_match(agents(), hands=24, seed=9, chunk_deals=4, luck=True)
    two = play_match(agents(), hands=24, seed=9, chunk_deals=4, luck=True, workers=2)
    assert np.array_equal(one.adjusted, two.adjusted) and np.array_equal(one.values, two.values)
    with pytest.raises(ValueError, match="not a luck-adjusted match"):
        play_match(agents(), hands=2, seed=9).adjusted_estimate()
    with pytest.raises(ValueError, match="luck adjustment is heads-up"):
        play_match([CallAgent(), CallAgent(), CallAgent()], hands=3, luck=True)


@pytest.mark.parametrize("paired", [False, True])
def test_every_random_stream_of_a_match_has_a_seed_of_its_own(distinct_seeds, paired):
    """The deals' stream and each agent's never share a seed (they once did in unpaired matches:
    ``derive_seed(s, c, 0) == derive_seed(s, c)``)."""
    import holdem.eval.match as match

    seeds = distinct_seeds(match)
    play_match([RandomAgent(1), RandomAgent(2)], hands=12, seed=4, chunk_deals=3,
               control=RandomAgent(3) if paired else None)
    assert len(seeds) > 4
