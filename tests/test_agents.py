"""Agents: legality over many random states, exact policies, heuristic thresholds, equity kernels."""

import random
from types import SimpleNamespace

import numpy as np
import pytest

from holdem.agents import (
    BASELINES, CallAgent, Decision, DecisionKind, FoldAgent, HeuristicAgent, RaiseAgent, RandomAgent,
    SeatView, decision_of, make_agent, normalize, pot_raise_to,
)
from holdem.agents.base import Agent, probability_of
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.equity import HOLES, equities_vs_random, equity_vs_random, hole_index, range_equity
from holdem.cards import parse_cards
from holdem.engine import Deal, Rules, State
from holdem.evaluator import evaluate_7


def _random_states(count, seed=0):
    """States reached by random play at 2-6 player tables with varied stacks."""
    rng = random.Random(seed)
    walker = RandomAgent(seed)
    for _ in range(count):
        n = rng.randint(2, 6)
        rules = Rules(tuple(rng.choice((15, 200, 2000)) for _ in range(n)), 5, 10, button=rng.randrange(n))
        state = State(rules, Deal.shuffled(n, rng))
        for _ in range(rng.randint(0, 6)):
            if state.is_over:
                break
            walker.act(SeatView.of(state)).apply(state)
        if not state.is_over:
            yield state


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_agents_play_legal_decisions_and_their_policies_sum_to_one(name):
    agent = make_agent(name, seed=3)
    for state in _random_states(150):
        view = SeatView.of(state)
        decision = agent.act(view)
        decision.apply(state)  # raises IllegalActionError if illegal
        probs = agent.action_probabilities(view)
        assert sum(p for _, p in probs) == pytest.approx(1.0)
        assert probability_of(probs, decision, view.legal) > 0


def test_make_agent_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown agent 'nope'"):
        make_agent("nope")


def _view(holes=("As Ad", "7h 2c"), board="Ks 7d 2h 9c 3d", stacks=(1000, 1000)):
    return SeatView.of(State(Rules(stacks=stacks, small_blind=5, big_blind=10), Deal.parse(list(holes), board)))


def test_baselines_play_their_one_rule():
    view = _view()
    assert CallAgent().act(view) == Decision.check_call()
    assert FoldAgent().act(view) == Decision.fold()
    assert RaiseAgent().act(view) == Decision.raise_to(30) == Decision.raise_to(pot_raise_to(view, 1.0))
    short = _view(stacks=(25, 1000))  # the pot raise is clipped to all-in
    assert RaiseAgent().act(short) == Decision.raise_to(25)


def test_random_agent_is_uniform_over_kinds_and_samples_its_policy():
    view = _view()
    probs = RandomAgent().action_probabilities(view)
    by_kind = {k: sum(p for d, p in probs if d.kind == k) for k in DecisionKind}
    assert all(p == pytest.approx(1 / 3) for p in by_kind.values())
    agent = RandomAgent(seed=5)
    counts = {k: 0 for k in DecisionKind}
    for _ in range(3000):
        counts[agent.act(view).kind] += 1
    assert all(abs(c / 3000 - 1 / 3) < 0.04 for c in counts.values())
    again = RandomAgent(seed=5)
    agent.reseed(5)
    assert [agent.act(view) for _ in range(20)] == [again.act(view) for _ in range(20)]


def test_normalize_and_decision_of():
    view = _view()
    legal = view.legal
    assert normalize(Decision.raise_to(5), legal) == Decision.raise_to(legal.min_raise_to)
    assert normalize(Decision.raise_to(10**6), legal) == Decision.raise_to(legal.max_raise_to)
    state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10), Deal.parse(["As Ad", "7h 2c"], "Ks 7d 2h 9c 3d"))
    assert decision_of(state.bet_or_raise_to(30)) == Decision.raise_to(30)
    assert decision_of(state.call()) == Decision.check_call()
    assert normalize(Decision.fold(), SeatView.of(state).legal) == Decision.check_call()  # nothing to call


def test_heuristic_thresholds():
    agent = HeuristicAgent()
    assert agent.act(_view(("As Ad", "7h 2c"))).kind == DecisionKind.RAISE
    view = _view(("7h 2c", "As Ad"))
    assert agent.strength(view) < agent.call_at
    assert agent.act(view) == Decision.fold()
    medium = HeuristicAgent(raise_at=0.99, call_at=0.0)
    assert medium.act(view) == Decision.check_call()


def test_heuristic_likelihoods_match_its_decisions():
    agent = HeuristicAgent(samples=100)
    view = _view(board="Ks 7d 2h 9c 3d")
    rng = np.random.default_rng(0)
    rows = HOLES[rng.choice(len(HOLES), 40, replace=False)]
    for decision in (Decision.fold(), Decision.check_call(), Decision.raise_to(30)):
        got = agent.likelihoods(view, decision, rows)
        for row, g in zip(rows, got):
            hole = (int(row[0]), int(row[1]))
            assert g == probability_of(agent.action_probabilities(view._replace(hole=hole)), decision, view.legal)


def test_generic_likelihoods_and_sampling_only_fallback():
    class Picky(Agent):
        name = "picky"
        has_policy = True

        def action_probabilities(self, view):
            return [(Decision.check_call(), 1.0 if 51 in view.hole else 0.25), (Decision.fold(), 0.0 if 51 in view.hole else 0.75)]

    view = _view()
    rows = np.array([[50, 51], [0, 1]])
    assert Picky().likelihoods(view, Decision.check_call(), rows).tolist() == [1.0, 0.25]

    class Sampler(Agent):
        def act(self, view):
            return Decision.check_call()

    assert Sampler().likelihoods(view, Decision.fold(), rows).tolist() == [1.0, 1.0]


def test_equity_kernels_against_brute_force():
    hole = parse_cards("Qs Jd")
    board = parse_cards("Ks 7h 2h 9c 3d")
    used = set(hole + board)
    me = evaluate_7(*hole, *board)
    points = [1.0 if me > o else 0.5 if me == o else 0.0 for a in range(52) for b in range(a + 1, 52)
              if not {a, b} & used for o in [evaluate_7(a, b, *board)]]
    exact = sum(points) / len(points)
    arr = np.array(board, np.int64)
    assert equity_vs_random(hole[0], hole[1], arr, 5, 1, 0, 0) == pytest.approx(exact)
    assert range_equity(hole[0], hole[1], arr, 5, np.ones(1326), 0, 0) == pytest.approx(exact)
    # a range of one hand: equity 1 against a beaten hand, 0 against a better one
    weights = np.zeros(1326)
    weights[hole_index(*parse_cards("Kd Kc"))] = 1.0
    assert range_equity(hole[0], hole[1], arr, 5, weights, 0, 0) == 0.0
    # turn: exact over the 46 rivers equals the sampled estimate within noise
    exact_turn = range_equity(hole[0], hole[1], arr, 4, np.ones(1326), 0, 0)
    assert equity_vs_random(hole[0], hole[1], arr, 4, 1, 20000, 1) == pytest.approx(exact_turn, abs=0.01)


def test_equities_are_deterministic_and_preflop_aces_win_85_percent():
    board = np.zeros(5, np.int64)
    aces = parse_cards("As Ah")
    e1 = equity_vs_random(aces[0], aces[1], board, 0, 1, 20000, 0)
    assert e1 == equity_vs_random(aces[1], aces[0], board, 0, 1, 20000, 0)
    assert e1 == pytest.approx(0.852, abs=0.01)
    assert equity_vs_random(aces[0], aces[1], board, 0, 2, 20000, 0) == pytest.approx(0.734, abs=0.015)
    out = equities_vs_random(np.array([aces, [49, 1]]), np.array(parse_cards("As 2c 3c 4c 5c")), 3, 1, 50, 0)
    assert np.isnan(out[0]) and 0 <= out[1] <= 1


class _PairBuckets:
    """A card abstraction of two buckets: pair or not."""

    def bucket(self, street, hole, board):
        return int(hole[0] >> 2 == hole[1] >> 2)


class _BucketedAgent(BlueprintAgent):
    """A blueprint agent whose tree answers, like a blueprint's, see the cards only through a bucket."""

    def tree_probabilities(self, view):
        self.calls += 1
        if self.blueprint.buckets.bucket(view.street, view.hole, view.board):
            return [(Decision.raise_to(view.legal.max_raise_to), 0.5), (Decision.check_call(), 0.5)]
        return [(Decision.fold(), 1.0)]


def test_blueprint_agent_samples_memoizes_and_queries_once_per_bucket():
    agent = policy = _BucketedAgent(SimpleNamespace(buckets=_PairBuckets()), seed=1, name="bp")
    agent.calls = 0
    view = _view(("As Ad", "7h 2c"))
    seen = {agent.act(view) for _ in range(50)}
    assert seen == {Decision.raise_to(1000), Decision.check_call()}
    assert policy.calls == 1  # memoized by (rules, actions, bucket)
    rows = HOLES[:300]
    got = agent.likelihoods(view, Decision.fold(), rows)
    pairs = rows[:, 0] >> 2 == rows[:, 1] >> 2
    assert np.array_equal(got, np.where(pairs, 0.0, 1.0))
    assert policy.calls == 2
    assert agent.likelihoods(view, Decision.check_call(), rows)[pairs].tolist() == [0.5] * int(pairs.sum())
