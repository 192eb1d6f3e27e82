"""Depth-limited subgames: leaves where each player picks a continuation strategy (Brown, Sandholm &
Amos 2018; Pluribus), checked on Leduc's first round by brute force and against OpenSpiel."""

from __future__ import annotations

import numpy as np
import pytest

from holdem.abstraction.actions import BetSizing
from agent_checks import assert_legal_distribution

from holdem.agents import BlueprintAgent, Decision, SeatView
from holdem.agents.base import probability_of
from holdem.agents.blueprint_agent import locate
from holdem.agents.equity import HOLES
from holdem.blueprint import Blueprint
from holdem.cards import parse_cards
from holdem.engine import Deal, State, Street
from holdem.eval.match import play_match
from holdem.evaluator import evaluate_7
from holdem.games import LeducPoker, load_tree
from holdem.search import RangeSolver, SearchAgent, SearchConfig, holdem_subgame
from holdem.search.depth_limit import BIASES, biased, holdem_leaf_values, leduc_leaf_values
from holdem.search.kernels import CHANCE, DECISION, FOLD_END, LEAF, SHOWDOWN
from holdem.search.leaf_kernels import continuation_values
from holdem.search.public_tree import leduc_round1_subgame
from holdem.search.solver import LeafValues
from holdem.solver import make_solver
from holdem.tree import CALL, FOLD, RAISE
from openspiel_helpers import openspiel_exploitability_of


def test_biased_strategies_follow_pluribus():
    probs, kinds = np.array([0.2, 0.5, 0.3]), np.array([FOLD, CALL, RAISE])
    assert np.allclose(biased(probs, kinds, "blueprint"), probs)
    assert np.allclose(biased(probs, kinds, "fold"), np.array([1.0, 0.5, 0.3]) / 1.8)
    assert np.allclose(biased(probs, kinds, "raise"), np.array([0.2, 0.5, 1.5]) / 2.2)
    assert np.allclose(biased(np.array([0.4, 0.6]), np.array([CALL, RAISE]), "fold"), [0.4, 0.6])
    with pytest.raises(ValueError, match="continuation"):
        biased(probs, kinds, "bluff")


def test_round1_subgame_ends_in_leaves():
    sub = leduc_round1_subgame()
    kinds = np.bincount(sub.tree.node_kind, minlength=5)
    assert sub.num_leaves == kinds[LEAF] == 5  # the five ways round 1 ends in a call
    assert kinds[FOLD_END] == 4
    leaf = int(np.flatnonzero(sub.tree.node_kind == LEAF)[-1])
    assert sub.describe(leaf).endswith(": leaf")
    with pytest.raises(ValueError, match="leaf values"):
        RangeSolver(sub, np.ones((2, 6)))
    with pytest.raises(ValueError, match="shape"):
        RangeSolver(sub, np.ones((2, 6)), leaves=LeafValues(np.zeros((4, 1, 1, 6, 6)), np.arange(6)))


# ------------------------------------------------------------------ Leduc blueprint and policies

def _blueprint(seed: int, iterations: int = 5000):
    tree = load_tree("leduc")
    solver = make_solver("es-mccfr", tree, seed=seed)
    solver.run(iterations)
    return tree, solver.average_strategy().probs


def _infoset_rows(tree, player: int, card: int, board: int, round1: tuple, round2: tuple) -> np.ndarray:
    """Positions in a flat Leduc policy of the actions of ``player`` holding ``card``."""
    other = next(c for c in range(6) if c not in (card, board))
    cards = (card, other) if player == 0 else (other, card)
    key = LeducPoker().infoset_key((cards + ((board,) if board >= 0 else ()), round1, round2))
    i = tree.infoset_index()[key]
    offset = tree.arrays.infoset_offset[i]
    return offset + np.arange(len(tree.infoset_actions[i]))


def _strategy_of(tree, policy: np.ndarray):
    def strategy(player, card, board, round1, round2):
        return policy[_infoset_rows(tree, player, card, board, round1, round2)]
    return strategy


def _round1_decisions(sub):
    """(node, player, round-1 action ids) of every decision of the first round."""
    t = sub.tree
    for node in map(int, np.flatnonzero(t.node_kind == DECISION)):
        yield node, int(t.node_player[node]), tuple(int(t.node_action[n]) for n in sub.path(node)[1:])


def _brute_force_values(sub, solver, leaf_values: LeafValues) -> np.ndarray:
    """(2, 6): each player's counterfactual value of each card at the root with both playing their
    average strategies (decisions and leaf choices), by enumerating every pair of cards."""
    t = sub.tree
    out = np.zeros((2, 6))
    strategies = {node: solver.average_strategy(node) for node, _, _ in _round1_decisions(sub)}
    leaf_strategy = {(int(t.node_leaf[n]), p): solver.leaf_strategy(int(t.node_leaf[n]), p)
                     for n in np.flatnonzero(t.node_kind == LEAF) for p in (0, 1)}
    for c0 in range(6):
        for c1 in range(6):
            if c0 == c1:
                continue
            value = np.zeros(sub.num_nodes)
            for n in range(sub.num_nodes - 1, -1, -1):
                kind, contrib = int(t.node_kind[n]), t.node_contrib[n]
                if kind == FOLD_END:
                    value[n] = -contrib[0] if t.node_player[n] == 0 else contrib[1]
                elif kind == LEAF:
                    leaf = int(t.node_leaf[n])
                    value[n] = leaf_strategy[leaf, 0][:, c0] @ leaf_values.values[leaf, :, :, c0, c1] \
                        @ leaf_strategy[leaf, 1][:, c1]
                else:
                    card = (c0, c1)[int(t.node_player[n])]
                    children = sub.children(n)
                    value[n] = strategies[n][:, card] @ value[children.start:children.stop]
            out[0, c0] += solver.ranges[1, c1] * value[0]
            out[1, c1] -= solver.ranges[0, c0] * value[0]
    return out


def test_leaf_kernel_matches_brute_force():
    """The solver's evaluation of a depth-limited tree (card removal between the players' groups, each
    player's leaf choices) equals enumerating every deal, after some iterations of CFR."""
    tree, policy = _blueprint(seed=3, iterations=500)
    sub = leduc_round1_subgame()
    leaves = leduc_leaf_values(sub, _strategy_of(tree, policy))
    ranges = np.random.default_rng(0).uniform(0.2, 1.0, (2, 6))
    solver = RangeSolver(sub, ranges, leaves=leaves)
    solver.run(7)
    assert np.allclose(solver.root_values(), _brute_force_values(sub, solver, leaves), atol=1e-9)
    assert solver.leaf_strategy(0, 1).shape == (len(BIASES), 6)


def test_leaf_values_play_the_blueprint():
    """With only the blueprint to continue with, a leaf is worth what the blueprint's second round is."""
    tree, policy = _blueprint(seed=1, iterations=300)
    sub = leduc_round1_subgame()
    values = leduc_leaf_values(sub, _strategy_of(tree, policy), (("blueprint",), ("blueprint",))).values
    full = leduc_leaf_values(sub, _strategy_of(tree, policy)).values
    assert values.shape == (5, 1, 1, 6, 6)
    assert np.allclose(values[:, 0, 0], full[:, 0, 0])
    assert np.all(values[:, 0, 0][:, np.arange(6), np.arange(6)] == 0.0)
    # the biased strategies move the value: a player who raises more wins more from some deals
    assert not np.allclose(full[:, 3, 0], full[:, 0, 0])


# ------------------------------------------------------------------ the first round searched

def _searched_policy(tree, policy: np.ndarray, iterations: int, opponent_choices=BIASES) -> np.ndarray:
    """``policy`` with each player's first round replaced by a depth-limited solve in which he goes on
    with the blueprint and his opponent picks one of ``opponent_choices`` at each leaf."""
    sub = leduc_round1_subgame()
    out = policy.copy()
    strategy = _strategy_of(tree, policy)
    for searcher in (0, 1):
        choices = (("blueprint",), tuple(opponent_choices)) if searcher == 0 else \
            (tuple(opponent_choices), ("blueprint",))
        solver = RangeSolver(sub, np.ones((2, 6)), leaves=leduc_leaf_values(sub, strategy, choices))
        solver.run(iterations)
        for node, player, round1 in _round1_decisions(sub):
            if player == searcher:
                average = solver.average_strategy(node)
                for card in range(6):
                    out[_infoset_rows(tree, player, card, -1, round1, ())] = average[:, card]
    return out


def test_continuation_strategies_keep_a_depth_limited_search_unexploitable():
    """Brown, Sandholm & Amos (2018), on Leduc: from a near-equilibrium blueprint, solving the first
    round against leaf values of the blueprint alone gives a very exploitable strategy (the
    opponent's second round is taken as fixed), while letting the opponent pick one of Pluribus's
    four continuation strategies at each leaf keeps the searched policy near equilibrium."""
    tree = load_tree("leduc")
    solver = make_solver("cfr+", tree)
    solver.run(1000)
    policy = solver.average_strategy().probs
    blueprint = openspiel_exploitability_of(tree, policy)
    one = openspiel_exploitability_of(tree, _searched_policy(tree, policy, 300, ("blueprint",)))
    four = openspiel_exploitability_of(tree, _searched_policy(tree, policy, 300, BIASES))
    assert blueprint < 0.001
    assert four < 0.003
    assert one > 30 * four


# ------------------------------------------------------------------ hold'em leaves from a blueprint

def _turn_start(rules, seed: int = 4) -> State:
    """A hand limped preflop and checked through the flop: the turn's first decision."""
    state = State(rules, Deal.shuffled(2, seed=seed))
    while state.street < Street.TURN:
        state.check_or_call()
    return state


def _reference_value(bp, root: int, seats, start, stacks, holes, board, picked) -> float:
    """Player 0's expected net chips from blueprint node ``root``, written plainly: recursion, the
    blueprint's per-node strategies and buckets through its Python API, the biases of ``picked``."""
    a = bp.tree.arrays

    def terminals(node):
        if a.node_kind[node] != 0:
            return [node]
        first = int(a.node_first_child[node])
        return [t for c in range(first, first + int(a.node_num_children[node])) for t in terminals(c)]

    base = [min(int(a.terminal_contrib[a.node_terminal[t], seats[p]]) for t in terminals(root)) for p in (0, 1)]
    strength = [evaluate_7(*holes[p], *board) for p in (0, 1)]

    def value(node):
        if a.node_kind[node] != 0:
            t = a.node_terminal[node]
            mine = [min(start[p] + int(a.terminal_contrib[t, seats[p]]) - base[p], stacks[p]) for p in (0, 1)]
            live = int(a.terminal_live[t])
            if not live & (1 << seats[0]):
                return -mine[0]
            if not live & (1 << seats[1]):
                return mine[1]
            return float(np.sign(strength[0] - strength[1])) * min(mine)
        actor = 0 if a.node_player[node] == seats[0] else 1
        street = int(a.node_street[node])
        bucket = bp.buckets.bucket(street, list(holes[actor]), list(board[:street + 2]))
        first = int(a.node_first_child[node])
        children = range(first, first + int(a.node_num_children[node]))
        probs = biased(bp.node_strategy(node, bucket), a.node_action[first:children.stop], BIASES[picked[actor]])
        return sum(p * value(c) for p, c in zip(probs, children))

    return value(root)


def _terminal_below(bp, node: int, showdown: bool) -> int:
    """The first terminal below blueprint ``node`` (depth first) that is a showdown, or a fold."""
    a = bp.tree.arrays
    if a.node_kind[node] != 0:
        both_live = bin(int(a.terminal_live[a.node_terminal[node]])).count("1") == 2
        return node if both_live == showdown else -1
    first = int(a.node_first_child[node])
    for child in range(first, first + int(a.node_num_children[node])):
        found = _terminal_below(bp, child, showdown)
        if found >= 0:
            return found
    return -1


@pytest.mark.parametrize("where", ["decision", "fold", "showdown", "all-in"])
def test_continuation_values_match_a_plain_walk_of_the_blueprint(small_run, where):
    bp = Blueprint.load(small_run)
    state = _turn_start(bp.tree.game.rules())
    (root, _), = locate(bp, SeatView.of(state)).items()
    if where in ("fold", "showdown"):
        root = _terminal_below(bp, root, where == "showdown")
        assert root >= 0
    seats = np.array([(p - state.rules.small_blind_seat) % 2 for p in (0, 1)], np.int64)
    start = np.array(state.contributions, np.float64) + 50.0  # the leaf's real chips differ from the tree's
    stacks = np.array(state.rules.stacks, np.float64)
    rng = np.random.default_rng(1)
    cards = rng.permutation(52)[:27].reshape(3, 9)
    holes = np.array([[c[:2], c[2:4]] for c in cards], np.int64)
    boards = np.array([c[4:9] for c in cards], np.int64)
    out = np.zeros((3, 4, 4))
    continuation_values(bp.tree.arrays, bp.probs, bp.offsets, bp.buckets.arrays, -1 if where == "all-in" else root,
                        seats, start, stacks, holes, boards, np.array([[0, 1, 2, 3]] * 2, np.int64), 5.0, out)
    for s in range(3):
        for i in range(4):
            for j in range(4):
                if where == "all-in":
                    expected = np.sign(evaluate_7(*holes[s, 0], *boards[s]) - evaluate_7(*holes[s, 1], *boards[s]))
                    expected *= min(start)
                else:
                    expected = _reference_value(bp, root, seats, start, stacks, holes[s], boards[s], (i, j))
                assert out[s, i, j] == pytest.approx(expected, rel=1e-6)  # float32 sums renormalised
    if where == "decision":
        assert not np.allclose(out[:, 0, 0], out[:, 3, 0])  # the biases change the play


def test_a_flop_subgame_solves_with_leaf_values_from_the_blueprint(small_run):
    bp = Blueprint.load(small_run)
    state = State(bp.tree.game.rules(), Deal.shuffled(2, seed=2))
    state.check_or_call()
    state.check_or_call()
    sub = holdem_subgame(state, BetSizing(flop=[[0.5, 1.0]], max_raises_per_street=2), depth_limited=True)
    kinds = np.bincount(sub.tree.node_kind, minlength=5)
    assert kinds[SHOWDOWN] == kinds[CHANCE] == 0 and sub.num_leaves > 0
    leaves = holdem_leaf_values(sub, state, bp, groups=4, deals=4)
    assert leaves.values.shape == (sub.num_leaves, 4, 4, 4, 4)
    assert set(np.unique(leaves.group[~np.isin(HOLES, state.board).any(axis=1)])) == {0, 1, 2, 3}
    solver = RangeSolver(sub, np.ones((2, 1326)), leaves=leaves)
    stats = solver.solve(target_pct=1.0, max_iterations=2000)
    assert stats.stopped == "target"


# ------------------------------------------------------------------ the search agent on the flop

FLOP = SearchConfig(budget=0.3, target_pct=1.0, first_street="flop", depth_limited_turn=True, leaf_groups=4,
                    leaf_deals=4)


def test_flop_search_answers_legally_and_reuses_its_leaf_values(small_run):
    agent = SearchAgent.load(small_run, FLOP, seed=1)
    state = State(agent.rules, Deal.parse(["As Ks", "7h 2c"], "Ah Kd 7c 2d 3s"))
    state.check_or_call()
    state.check_or_call()
    view = SeatView.of(state)
    assert agent.searches(view)
    assert_legal_distribution(view, agent.action_probabilities(view), 1e-6)
    assert len(agent._leaves) == 1
    state.bet_or_raise_to(state.legal_actions().max_raise_to)  # an off-tree all-in on the flop
    view = SeatView.of(state)
    assert_legal_distribution(view, agent.action_probabilities(view), 1e-6)
    nuts = view._replace(hole=tuple(parse_cards("Ac Ad")))  # top set calls a shove
    assert probability_of(agent.action_probabilities(nuts), Decision.check_call(), view.legal) > 0.5


def test_flop_and_depth_limited_turn_search_plays_whole_hands(small_run):
    agent = SearchAgent.load(small_run, FLOP, seed=1)
    result = play_match([agent, BlueprintAgent.load(small_run, seed=2)], 6, rules=agent.rules, seed=4)
    assert result.hands == 6 and len(agent.solve_seconds) > 0
    spec = agent.spec()
    assert dict(spec.options)["first_street"] == "flop" and dict(spec.options)["depth_limited_turn"]
