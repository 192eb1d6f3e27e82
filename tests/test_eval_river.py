"""Exact river values (holdem.eval.river): pair values against the range solver, the telescoping of
the action terms, the mean of the charges, and paired matches with ``exact_river``.

The blueprint is the session's small one (``small_run`` in conftest.py: a pot-sized bet abstraction
on 20-big-blind stacks).
"""

import random

import numpy as np
import pytest

from holdem.agents import Agent, BlueprintAgent, CallAgent, Decision
from holdem.engine import Deal, State, Street
from holdem.eval.match import play_hand, play_match
from holdem.eval.river import RiverLedger, pair_values
from holdem.search import RangeSolver, SearchAgent, SearchConfig
from holdem.search.public_tree import holdem_subgame
from holdem.search.safe import node_states


@pytest.fixture(scope="module")
def blueprints(small_run):
    return BlueprintAgent.load(small_run, seed=1), BlueprintAgent.load(small_run, seed=2)


def _river_start(rules):
    state = State(rules, Deal.parse(["As Ks", "7h 2c"], "Ah Kd 7c 2d 3s"))
    while state.street < Street.RIVER:
        state.check_or_call()
    return state


def test_pair_values_average_to_the_range_solvers_values(blueprints):
    state = _river_start(blueprints[0].rules)
    subgame = holdem_subgame(state, blueprints[0].blueprint.tree.game.sizing)
    rng = np.random.default_rng(0)
    strategies = {node: rng.dirichlet(np.ones(len(subgame.children(node))), subgame.num_hands).T
                  for node in node_states(subgame, state)}
    ranges = np.zeros((2, subgame.num_hands))
    live = np.flatnonzero(subgame.hands.strength[0] >= 0)
    for seat in (0, 1):
        ranges[seat, rng.choice(live, 25, replace=False)] = rng.random(25)
    solver = RangeSolver(subgame, ranges)
    for node, strategy in strategies.items():
        solver.set_average_strategy(node, strategy)
    values = solver.root_values()
    for seat in (0, 1):
        total = 0.0
        for hand in np.flatnonzero(ranges[seat]):
            total += ranges[seat, hand] * (pair_values(subgame, strategies, seat, hand)[0] @ ranges[1 - seat])
        # the solver keeps strategies in float32
        assert total == pytest.approx(ranges[seat] @ values[seat], rel=1e-6)


def _self_play(blueprints, hands, seed):
    """Blueprint against blueprint, each hand's river ledger for seat ``hand % 2``."""
    rng = random.Random(seed)
    rules = blueprints[0].rules
    ledgers = []
    for k in range(hands):
        deal = Deal.shuffled(2, rng)
        ledger = RiverLedger(deal, k % 2, blueprints)
        state = play_hand(rules, deal, blueprints, [ledger])
        ledgers.append((ledger, ledger.adjusted(state), state.payoffs[k % 2]))
    return ledgers


def test_a_blueprint_played_in_its_own_tree_is_valued_at_its_range_expectation(blueprints):
    played = _self_play(blueprints, 120, seed=1)
    exact = [(ledger, adjusted) for ledger, adjusted, _ in played if ledger.started and ledger.exact]
    assert len(exact) >= 10
    for ledger, adjusted in exact:  # the action terms telescope: only the private cards' luck is left
        assert adjusted == pytest.approx(ledger.expected, abs=1e-6)
    unstarted = [(adjusted, payoff) for ledger, adjusted, payoff in played if not ledger.started]
    assert unstarted and all(adjusted == payoff for adjusted, payoff in unstarted)


def test_the_charges_have_mean_zero(blueprints):
    luck = np.array([payoff - adjusted for ledger, adjusted, payoff in _self_play(blueprints, 400, seed=2)
                     if ledger.started])
    assert len(luck) >= 60
    assert abs(luck.mean()) < 4 * luck.std() / np.sqrt(len(luck))


def test_paired_search_match_with_exact_river_values(small_run, blueprints):
    search = SearchAgent.load(small_run, SearchConfig(budget=0.05, target_pct=1.0), seed=3)
    result = play_match([search, BlueprintAgent.load(small_run)], 40, seed=5, control=blueprints[0],
                        exact_river=True)
    river = result.river_estimate()
    assert np.isfinite(river.mbb_per_hand) and river.ci95[0] <= river.mbb_per_hand <= river.ci95[1]
    same = play_match([search, BlueprintAgent.load(small_run)], 20, seed=5, control=search, exact_river=True)
    assert same.river_estimate().mbb_per_hand == 0.0
    with pytest.raises(ValueError, match="exact_river"):
        play_match([search, blueprints[1]], 4).river_estimate()


class _Sampler(Agent):
    name = "sampler"

    def act(self, view):
        return Decision.check_call()


def test_exact_river_values_need_two_seats_with_policies(blueprints):
    with pytest.raises(ValueError, match="sampler only samples"):
        play_match([blueprints[0], _Sampler()], 4, exact_river=True)
    with pytest.raises(ValueError, match="heads-up"):
        play_match([CallAgent(), CallAgent(), CallAgent()], 3, exact_river=True)
