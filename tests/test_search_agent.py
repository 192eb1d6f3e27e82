"""The search agent: legal decisions from solved subgames, beliefs, specs, and bad input.

The agent searches the river on top of the session's small blueprint (``small_run`` in conftest.py:
a pot-sized bet abstraction on 20-big-blind stacks).
"""

import numpy as np
import pytest
from agent_checks import assert_legal_distribution

from holdem.agents import AgentSpec, Decision, DecisionKind, SeatView, spec_of
from holdem.agents.base import probability_of
from holdem.agents.equity import HOLES, hole_index
from holdem.cards import parse_cards
from holdem.engine import Deal, State, Street
from holdem.search import RangeSolver, SearchAgent, SearchConfig
from holdem.search import agent as search_agent
from holdem.search.beliefs import FLOOR, street_start

FAST = SearchConfig(budget=0.05, target_pct=1.0)


@pytest.fixture(scope="module")
def run(small_run):
    return small_run


@pytest.fixture(scope="module")
def agent(run):
    return SearchAgent.load(run, FAST, seed=3)


def _called_to(agent, holes=("As Ks", "7h 2c"), board="Ah Kd 7c 2d 3s", street=Street.RIVER):
    """A hand checked and called down to the river (or to ``street``), the big blind to act."""
    state = State(agent.rules, Deal.parse(list(holes), board))
    while state.street < street:
        state.check_or_call()
    return state


def _legal(view, distribution):
    assert_legal_distribution(view, distribution, 1e-6)


def test_river_decisions_are_legal_and_solved_once_per_public_state(agent):
    state = _called_to(agent)
    view = SeatView.of(state)
    _legal(view, agent.action_probabilities(view))
    solved = agent.solve(view)
    assert solved.stats.total_iterations > 0 and agent.solve(view) is solved
    other = view._replace(hole=(0, 1))  # another hand, same public state: the same solve
    _legal(other, agent.action_probabilities(other))
    assert agent.solve(other) is solved


def test_likelihoods_agree_with_the_probabilities_of_each_hand(agent):
    view = SeatView.of(_called_to(agent))
    rows = HOLES[[5, 400, 1000]]
    for decision in agent.solve(view).decisions():
        got = agent.likelihoods(view, decision, rows)
        for k, hole in enumerate(rows):
            mine = view._replace(hole=(int(hole[0]), int(hole[1])))
            assert got[k] == pytest.approx(probability_of(agent.action_probabilities(mine), decision, view.legal))


@pytest.mark.parametrize("play", ["final", "average"])
def test_the_agent_plays_the_strategy_it_is_asked_to(run, play):
    agent = SearchAgent.load(run, FAST.model_copy(update={"play": play}), seed=3)
    view = SeatView.of(_called_to(agent))
    solved = agent.solve(view)
    rows = np.array([5, 400, 1000, hole_index(*view.hole)])
    strategy = solved.strategy(average=play == "average")[:, rows]
    for child, decision in enumerate(solved.decisions()):
        np.testing.assert_allclose(agent.likelihoods(view, decision, HOLES[rows]), strategy[child], atol=1e-12)
        assert probability_of(agent.action_probabilities(view), decision, view.legal) == \
            pytest.approx(strategy[child, -1], abs=1e-12)


def test_off_tree_all_in_is_inserted_and_answered(agent):
    state = _called_to(agent)
    state.bet_or_raise_to(state.legal_actions().max_raise_to)  # the big blind shoves: off the search sizes too
    view = SeatView.of(state)
    distribution = agent.action_probabilities(view)
    _legal(view, distribution)
    assert {d.kind for d, _ in distribution} <= {DecisionKind.FOLD, DecisionKind.CHECK_CALL}
    nuts = view._replace(hole=tuple(parse_cards("5h 4h")))  # the wheel on A K 7 2 3
    assert probability_of(agent.action_probabilities(nuts), Decision.check_call(), view.legal) > 0.9


def test_budget_zero_plays_the_blueprint(run):
    agent = SearchAgent.load(run, SearchConfig(budget=0.0), seed=3)
    view = SeatView.of(_called_to(agent))
    assert not agent.searches(view)
    assert agent.action_probabilities(view) == agent.blueprint.action_probabilities(view)


def test_an_action_the_blueprint_never_takes_leaves_a_range(agent):
    state = State(agent.rules, Deal.parse(["As Ks", "7h 2c"], "Ah Kd 7c 2d 3s"))
    state.bet_or_raise_to(200)  # a min-raise preflop: off the blueprint's tree (pot-sized raises only)
    state.bet_or_raise_to(1999)  # then a near-all-in re-raise
    state.check_or_call()
    while state.street < Street.RIVER:
        state.check_or_call()
    view = SeatView.of(state)
    start = street_start(view, agent._likelihood)
    assert np.all(start.ranges.sum(axis=1) > 0.99)
    _legal(view, agent.action_probabilities(view))


def test_the_opponent_floor_keeps_the_hands_his_actions_rule_out(agent):
    view = SeatView.of(_called_to(agent))
    ruled_out = np.arange(len(HOLES)) % 2 == 1

    def likelihood(index, seen, decision, holes):  # every action is taken by the even rows only
        return (~ruled_out[hole_index(holes[:, 0], holes[:, 1])]).astype(float)

    before = [a for a in view.actions if a.street < Street.RIVER]
    valid = ~np.isin(HOLES, view.board).any(axis=1)
    for floor in (FLOOR, 0.1):
        ranges = street_start(view, likelihood, floor).ranges
        for seat in (0, 1):
            acted = sum(a.seat == seat for a in before)
            expected = (FLOOR if seat == view.seat else floor) ** acted
            assert ranges[seat, ruled_out & valid].max() / ranges[seat, ~ruled_out & valid].max() == \
                pytest.approx(expected, rel=1e-9)
    with pytest.raises(ValueError, match="opponent_floor"):
        street_start(view, likelihood, 0.0)


def test_exact_beliefs_follow_every_action_unfloored(agent):
    state = _called_to(agent)
    state.check_or_call()  # the first river action
    view = SeatView.of(state)
    third = np.arange(len(HOLES)) % 3 == 0

    def likelihood(index, seen, decision, holes):  # a third of the rows never take the river action
        rows = hole_index(holes[:, 0], holes[:, 1])
        return np.where(third[rows], 0.0, 0.5) if seen.street == Street.RIVER else np.full(len(rows), 0.25)

    start = street_start(view, likelihood, exact=True)
    valid = ~np.isin(HOLES, view.board).any(axis=1)
    actor = state.actions[-1].seat
    assert np.all(start.ranges[actor, third] == 0.0)
    assert np.allclose(start.ranges[actor, ~third & valid], 1.0 / np.count_nonzero(~third & valid))
    assert np.allclose(start.ranges[1 - actor, valid], 1.0 / np.count_nonzero(valid))
    assert start.state.street == Street.RIVER and len(start.actions) == 1
    assert not any(a.street == Street.RIVER for a in start.state.actions)
    assert np.all(street_start(view, likelihood).ranges[actor, third & valid] > 0.0)  # the street start's


def test_the_solve_cache_drops_its_oldest_entry_first(monkeypatch):
    monkeypatch.setattr(search_agent, "_CACHE_LIMIT", 2)
    cache = {}
    for key in range(3):
        search_agent._keep(cache, key, str(key))
    assert cache == {1: "1", 2: "2"}  # a hand's latest solves (its frozen actions) stay


def test_the_solve_cache_keeps_a_byte_budget_beyond_its_newest_entries(monkeypatch):
    """Large solves (a turn subgame's tables) go oldest first once they take more than the budget,
    but the newest few (a hand's own) stay whatever their size."""
    monkeypatch.setattr(search_agent, "_CACHE_BYTES", 10)
    monkeypatch.setattr(search_agent, "_KEEP_NEWEST", 2)
    cache = {}
    for key in range(5):
        search_agent._keep(cache, key, "x" * 4, len)
    assert list(cache) == [3, 4]  # 12 bytes over a budget of 10, so down to the newest two
    search_agent._keep(cache, 5, "x" * 100, len)
    assert list(cache) == [4, 5]
    search_agent._keep(cache, 6, "x", len)
    assert list(cache) == [5, 6]


def test_spec_round_trip_builds_the_same_search(run, agent):
    spec = AgentSpec.parse(f"search:{run}?budget=0.05&target_pct=1.0&threads=1")
    built = spec.build()
    assert isinstance(built, SearchAgent) and built.config == FAST.model_copy(update={"threads": 1})
    again = spec_of(built)
    assert again.kind == "search" and dict(again.options)["budget"] == 0.05
    assert isinstance(again.build(), SearchAgent)


def test_preflop_and_flop_play_the_blueprint(agent):
    state = State(agent.rules, Deal.parse(["As Ks", "7h 2c"], "Ah Kd 7c 2d 3s"))
    view = SeatView.of(state)
    assert not agent.searches(view)
    assert agent.action_probabilities(view) == agent.blueprint.action_probabilities(view)


def test_own_earlier_actions_this_street_stay_frozen_in_a_re_solve(agent):
    state = _called_to(agent)
    before = agent.solve(SeatView.of(state))
    bet = next(d for d in before.decisions() if d.kind == DecisionKind.RAISE)
    state.bet_or_raise_to(bet.amount)
    state.bet_or_raise_to(state.legal_actions().max_raise_to)  # the opponent shoves
    view = SeatView.of(state)
    again = agent.solve(view)
    _legal(view, agent.action_probabilities(view))
    root = again.subgame.path(again.subgame.real_node)[0]
    np.testing.assert_allclose(again.solver.average_strategy(root), before.strategy(average=True), atol=1e-6)


SAFE = {"river": (FAST.model_copy(update={"safe": True}), Street.RIVER),
        "flop": (FAST.model_copy(update={"safe": True, "first_street": "flop", "depth_limited_turn": True,
                                         "leaf_groups": 4, "leaf_deals": 4}), Street.FLOP)}


@pytest.mark.parametrize("street", sorted(SAFE))
def test_safe_search_gives_no_opponent_hand_more_than_the_blueprint(run, street):
    config, reach = SAFE[street]
    agent = SearchAgent.load(run, config, seed=3)
    view = SeatView.of(_called_to(agent, street=reach))
    _legal(view, agent.action_probabilities(view))
    solved = agent.solve(view)
    gadget = solved.solver.gadget
    assert gadget.player == view.seat
    start = street_start(view, agent._likelihood, config.opponent_floor)
    leaves = agent._leaf_values(view, solved.subgame, start.state) if street == "flop" else None
    solver = RangeSolver(solved.subgame, start.ranges, gadget=gadget, leaves=leaves)
    solver.run(400)
    excess = np.maximum(solver.best_response(1 - view.seat) - gadget.values, 0.0)
    assert excess.max() <= 0.02 * solved.subgame.root_pot  # chips per opponent hand (the searcher's range sums to 1)
    with pytest.raises(ValueError, match="safe"):
        SearchConfig(safe=True, first_street="turn")
