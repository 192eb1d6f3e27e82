"""Abstract betting tree: shape, legality against the engine, terminal payoffs with side pots."""

import random

import numpy as np
import pytest

from holdem.abstraction.actions import BetSizing
from holdem.engine import Deal, State
from holdem.evaluator import evaluate_7
from holdem.training.kernels import terminal_value
from holdem.training.tables import MemoryLimitError, estimate, plan
from holdem.tree import CALL, DECISION, FOLD, RAISE, GameConfig, TreeTooLarge, apply_abstract, build_tree

SMALL = BetSizing(preflop=[[0.5, 1.0]], flop=[[1.0]], turn=[[1.0]], river=[[1.0]], max_raises_per_street=2)


@pytest.fixture(scope="module", params=[2, 3])
def tree(request):
    return build_tree(GameConfig(num_players=request.param, stack=1500, sizing=SMALL))


def test_children_are_contiguous_and_ordered(tree):
    a = tree.arrays
    decisions = np.flatnonzero(a.node_kind == DECISION)
    assert (a.node_first_child[decisions] > decisions).all()
    for node in decisions[:2000]:
        kinds = [k for k, _, _ in tree.child_actions(node)]
        assert kinds == sorted(kinds) and kinds.count(CALL) == 1 and kinds.count(FOLD) <= 1
        amounts = [amt for k, amt, _ in tree.child_actions(node) if k == RAISE]
        assert amounts == sorted(set(amounts))
    assert a.terminal_contrib.shape == (tree.num_terminals, tree.game.num_players)


def test_random_walks_are_legal_and_payoffs_match_the_engine(tree):
    """Every abstract action is legal in the engine, and the kernels' terminal value equals the
    engine's payoff (side pots included) up to the odd chip of a split pot."""
    a = tree.arrays
    rng = random.Random(7)
    n = tree.game.num_players
    for walk in range(300):
        state = State(tree.game.rules(), Deal.shuffled(n, seed=rng))
        node = 0
        while a.node_kind[node] == DECISION:
            assert state.actor == a.node_player[node] and state.street == a.node_street[node]
            c = rng.randrange(int(a.node_num_children[node]))
            child = int(a.node_first_child[node]) + c
            apply_abstract(state, int(a.node_action[child]), int(a.node_amount[child]))
            node = child
        assert state.is_over
        t = a.node_terminal[node]
        assert list(a.terminal_contrib[t]) == state.contributions
        deal = state.deal
        ranks = np.array([evaluate_7(*h, *deal.board) for h in deal.hole_cards], dtype=np.int64)
        for p in range(n):
            assert abs(terminal_value(a.terminal_contrib[t], int(a.terminal_live[t]), ranks, p)
                       - state.payoffs[p]) <= 1.0


def test_side_pots_three_way():
    contrib = np.array([300, 1000, 1000], dtype=np.int32)   # seat 0 all-in short
    ranks = np.array([9, 5, 7], dtype=np.int64)             # seat 0 best, seat 2 second
    assert terminal_value(contrib, 0b111, ranks, 0) == 900 - 300
    assert terminal_value(contrib, 0b111, ranks, 2) == 1400 - 1000
    assert terminal_value(contrib, 0b111, ranks, 1) == -1000
    assert terminal_value(contrib, 0b101, ranks, 1) == -1000  # folded


def test_tree_too_large_names_the_limit():
    with pytest.raises(TreeTooLarge, match="1,000 nodes"):
        build_tree(GameConfig(num_players=3), max_nodes=1000)


def test_memory_estimate_and_plan(tree):
    nb = np.array([8, 8, 8, 8], dtype=np.int64)
    est = estimate(tree, nb, ("preflop",), 1000)
    assert est.infosets == 8 * tree.num_decisions
    assert est.entries == 8 * sum(tree.actions_per_street())
    assert est.regret_bytes == 4 * est.entries
    assert plan(est, 10 * est.dense_bytes, "auto") is None
    pool = plan(est, est.fixed_bytes + est.regret_bytes // 2, "auto")
    assert 0 < pool < est.entries
    with pytest.raises(MemoryLimitError, match="more than the"):
        plan(est, est.fixed_bytes + est.regret_bytes // 2, "never")
    with pytest.raises(MemoryLimitError, match="before any regret"):
        plan(est, est.fixed_bytes // 2, "auto")
