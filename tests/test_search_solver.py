"""The range solver of ``holdem.search``: kernels against brute force, exact best responses against
independent computations (Leduc's own rules, a dense hold'em evaluation), convergence, threads,
and resolving Leduc's second round from an ES-MCCFR blueprint (exploitability as OpenSpiel's)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from holdem.abstraction.actions import BetSizing
from holdem.engine import Deal, Rules, State
from holdem.games import LeducPoker, load_tree
from holdem.search import Gadget, RangeSolver, holdem_subgame, leduc_round2_subgame
from holdem.search.kernels import CHANCE, DECISION, FOLD_END, MODE_CFR, fold_values, showdown_values
from holdem.search.solver import next_check_gap
from holdem.solver import make_solver
from holdem.tree import CALL, FOLD, RAISE
from openspiel_helpers import openspiel_exploitability_of

SMALL = BetSizing(turn=[[1.0]], river=[[1.0]], allow_all_in=False, max_raises_per_street=1)
RIVER = BetSizing(river=[[0.33, 0.75, 1.5], [1.0]], max_raises_per_street=3)


def _street_start(street: str, seed: int = 1) -> State:
    """A heads-up hand (stacks 10,000, blinds 50/100) at the start of the turn or the river, pot 1,200."""
    state = State(Rules(stacks=(10_000, 10_000), small_blind=50, big_blind=100), Deal.shuffled(2, seed=seed))
    state.bet_or_raise_to(300)
    state.check_or_call()
    state.check_or_call()
    state.bet_or_raise_to(300)
    state.check_or_call()
    if street == "river":
        state.check_or_call()
        state.check_or_call()
    return state


# ---------------------------------------------------------------- brute force


def _compatible(hand_cards: np.ndarray) -> np.ndarray:
    """bool (H, H): the two hands share no card."""
    masks = np.where(hand_cards >= 0, np.left_shift(1, np.maximum(hand_cards, 0)), 0).sum(axis=1)
    return (masks[:, None] & masks[None, :]) == 0


def _showdown_matrix(strength: np.ndarray, win: float, lose: float, tie: float, compatible: np.ndarray) -> np.ndarray:
    """float64 (H, H): payoff of hand h against hand o at a showdown (0 when they cannot meet)."""
    valid = strength >= 0
    diff = np.sign(strength[:, None] - strength[None, :])
    payoff = np.where(diff > 0, win, np.where(diff < 0, lose, tie))
    return payoff * (compatible & valid[:, None] & valid[None, :])


def _dense_values(sub, solver, player: int, rows: np.ndarray, cols: np.ndarray, reach: np.ndarray,
                  best_response: bool) -> np.ndarray:
    """Values at the root of ``player``'s hands ``rows`` (int indices) against the opponent's hands
    ``cols`` with root reach ``reach`` (float64 ``(len(cols),)``), by dense payoff matrices: the
    average strategies of ``solver``, ``player`` best-responding when ``best_response``."""
    t, cards = sub.tree, sub.hands.hand_cards
    compatible = _compatible(cards)[np.ix_(rows, cols)]
    outcomes: dict = {}

    def values(node: int, reach: np.ndarray) -> np.ndarray:
        kind = int(t.node_kind[node])
        contrib = t.node_contrib[node]
        mine, pot = contrib[player], contrib.sum()
        if kind == FOLD_END:
            payoff = -mine if t.node_player[node] == player else pot - mine
            return payoff * (compatible @ reach)
        if kind != DECISION and kind != CHANCE:
            board = int(t.node_board[node])
            if board not in outcomes:
                strength = sub.hands.strength[board]
                valid = (strength[rows] >= 0)[:, None] & (strength[cols] >= 0)[None, :] & compatible
                diff = np.sign(strength[rows][:, None] - strength[cols][None, :])
                outcomes[board] = [np.where(valid & (diff == sign), 1.0, 0.0) for sign in (1, -1, 0)]
            win, lose, tie = (m @ reach for m in outcomes[board])
            return (pot - mine) * win - mine * lose + (pot / 2 - mine) * tie
        children = list(sub.children(node))
        if kind == CHANCE:
            out = np.zeros(len(rows))
            for c in children:
                holds = (cards == t.node_card[c]).any(axis=1)
                out += np.where(holds[rows], 0.0, values(c, np.where(holds[cols], 0.0, reach)))
            return out * t.node_chance_weight[children[0]]
        strategy = solver.average_strategy(node)
        if t.node_player[node] != player:
            return sum(values(c, reach * strategy[a, cols]) for a, c in enumerate(children))
        child_values = np.array([values(c, reach) for c in children])
        return child_values.max(axis=0) if best_response else (strategy[:, rows] * child_values).sum(axis=0)

    return values(0, reach)


# ---------------------------------------------------------------- kernels


@pytest.mark.parametrize("game", ["holdem", "leduc"])
def test_terminal_kernels_match_brute_force(game):
    rng = np.random.default_rng(7)
    sub = holdem_subgame(_street_start("river"), RIVER) if game == "holdem" else leduc_round2_subgame(2, (3, 3))
    hands = sub.hands
    compatible = _compatible(hands.hand_cards)
    valid = hands.strength[0] >= 0
    reach = rng.random(sub.num_hands) * valid
    reach[rng.random(sub.num_hands) < 0.2] = 0.0
    out, cards, sweep = np.zeros(sub.num_hands), np.zeros((3, 64)), np.zeros((3, sub.num_hands))
    showdown_values(hands, 0, reach, 7.0, -3.0, 2.0, cards, sweep, out)
    expected = _showdown_matrix(hands.strength[0], 7.0, -3.0, 2.0, compatible) @ reach
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(sweep[2][valid], (compatible @ reach)[valid], rtol=1e-12, atol=1e-9)
    fold_values(hands.hand_cards, reach, -5.0, cards, out)
    np.testing.assert_allclose(out[valid], -5.0 * (compatible @ reach)[valid], rtol=1e-12, atol=1e-9)


# ---------------------------------------------------------------- public trees


def test_leduc_tree_follows_the_rules():
    game = LeducPoker()
    sub = leduc_round2_subgame(board_card=1, contributions=(3, 3))
    t = sub.tree
    for node in range(sub.num_nodes):
        actions = tuple(int(t.node_action[n]) for n in sub.path(node)[1:])
        state = ((0, 4, 1), (2, 1), actions)
        player = game.current_player(state)
        if t.node_kind[node] == DECISION:
            assert player == t.node_player[node]
            assert game.legal_actions(state) == tuple(int(t.node_action[c]) for c in sub.children(node))
        else:
            assert player < 0
            returns = game.returns(state)
            if t.node_kind[node] == FOLD_END:
                folder = int(t.node_player[node])
                assert returns[folder] == -t.node_contrib[node, folder]


def test_holdem_tree_terminals_match_the_engine():
    state = _street_start("river")
    sub = holdem_subgame(state, RIVER)
    t = sub.tree
    assert sub.root_pot == 1200 and sub.first_player == 1
    for node in np.flatnonzero(t.node_kind != DECISION):
        replay = state.copy()
        for n in sub.path(int(node))[1:]:
            kind, amount = int(t.node_action[n]), int(t.node_amount[n])
            {FOLD: replay.fold, CALL: replay.check_or_call}.get(kind, lambda: replay.bet_or_raise_to(amount))()
        assert replay.is_over
        assert list(t.node_contrib[node]) == replay.contributions
        assert (t.node_kind[node] == FOLD_END) == (not replay.went_to_showdown)


def test_off_tree_bets_are_inserted_exactly():
    state = _street_start("river")
    sizing = BetSizing(river=[[0.5, 1.0]], allow_all_in=False, max_raises_per_street=2)
    first = state.copy()
    bet = first.bet_or_raise_to(437)
    reraise = first.bet_or_raise_to(first.stacks[0] + first.bets[0])   # an all-in the abstraction lacks
    sub = holdem_subgame(state, sizing, history=[bet, reraise])
    assert sub.describe(sub.real_node) == "bet 437 / raise to 9400 all-in: player 1 acts"
    labels = [sub.label(c) for c in sub.children(0)]
    assert labels == ["check", "bet 437", "bet 600", "bet 1200"]
    assert holdem_subgame(state, sizing).num_nodes < sub.num_nodes


def test_bad_roots_are_refused():
    state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10), Deal.shuffled(2, seed=0))
    with pytest.raises(ValueError, match="turn or the river"):
        holdem_subgame(state, SMALL)
    river = _street_start("river")
    river.check_or_call()
    with pytest.raises(ValueError, match="start of a street"):
        holdem_subgame(river, SMALL)


# ---------------------------------------------------------------- best response and convergence


def _leduc_best_response(sub, solver, player: int, ranges: np.ndarray, board: int) -> float:
    """Best-response value from Leduc's own rules (:class:`LeducPoker`), card by card."""
    game = LeducPoker()
    t = sub.tree
    node_of = {tuple(int(t.node_action[n]) for n in sub.path(node)[1:]): node for node in range(sub.num_nodes)}

    def value(actions, mine, weights):
        cards = lambda other: ((mine, other, board) if player == 0 else (other, mine, board))
        state = ((0, 0, board), (1, 1), actions)
        if game.current_player(state) < 0:
            return sum(w * game.returns((cards(o), (1, 1), actions))[player] for o, w in enumerate(weights) if w)
        node = node_of[actions]
        legal = game.legal_actions(state)
        if game.current_player(state) == player:
            return max(value(actions + (a,), mine, weights) for a in legal)
        strategy = solver.average_strategy(node)
        return sum(value(actions + (a,), mine, weights * strategy[i]) for i, a in enumerate(legal))

    total = weight = 0.0
    for mine in range(6):
        if mine == board:
            continue
        weights = ranges[1 - player].copy()
        weights[[mine, board]] = 0.0
        total += ranges[player, mine] * value((), mine, weights)
        weight += ranges[player, mine] * weights.sum()
    return total / weight


def test_leduc_best_response_matches_the_rules():
    rng = np.random.default_rng(3)
    board = 3
    sub = leduc_round2_subgame(board, (1, 1))
    ranges = rng.random((2, 6))
    solver = RangeSolver(sub, ranges)
    solver.run(7)
    expected = [_leduc_best_response(sub, solver, p, ranges, board) for p in (0, 1)]
    np.testing.assert_allclose(solver.best_response_values(), expected, rtol=1e-9)
    assert solver.exploitability() == pytest.approx(sum(expected) / 2, rel=1e-9)


def test_a_frozen_node_keeps_its_strategy():
    board = 3
    sub = leduc_round2_subgame(board, (1, 1))
    ranges = np.random.default_rng(4).random((2, 6))
    frozen = np.array([[0.9, 0.2, 0.5, 1.0, 0.0, 0.3], [0.1, 0.8, 0.5, 0.0, 1.0, 0.7]])
    solver = RangeSolver(sub, ranges)
    solver.freeze(0, frozen)
    solver.run(50)
    dealt = np.arange(6) != board  # the board card is nobody's hand: its strategy reads uniform
    np.testing.assert_allclose(solver.average_strategy(0)[:, dealt], frozen[:, dealt], atol=1e-6)
    np.testing.assert_allclose(solver.current_strategy(0)[:, dealt], frozen[:, dealt], atol=1e-6)
    np.testing.assert_array_equal(solver.average_strategy(0)[:, board], [0.5, 0.5])
    assert solver.best_response_values()[1] == pytest.approx(_leduc_best_response(sub, solver, 1, ranges, board),
                                                             rel=1e-6)
    with pytest.raises(ValueError, match="shape"):
        solver.freeze(0, np.ones((3, 6)))


def test_the_gadget_deals_the_opponent_hands_by_card_removal_alone():
    """Burch et al. 2014: the resolve gadget's chance node weighs the opponent's hands by the
    re-solved player's and chance's reach only, so the opponent's row of the ranges is not read."""
    sub = leduc_round2_subgame(2, (3, 3))
    rng = np.random.default_rng(5)
    gadget = Gadget(0, rng.normal(0.0, 0.5, 6))
    mine = rng.random(6)
    solvers = [RangeSolver(sub, np.stack([mine, theirs]), gadget=gadget) for theirs in (np.ones(6), rng.random(6))]
    for solver in solvers:
        solver.run(40)
    np.testing.assert_array_equal(solvers[0].average_strategy(0), solvers[1].average_strategy(0))
    assert solvers[0].exploitability() == solvers[1].exploitability()


def test_leduc_subgame_converges():
    solver = RangeSolver(leduc_round2_subgame(4, (3, 3)), np.ones((2, 6)))
    before = solver.exploitability()
    stats = solver.solve(target_pct=0.01, max_iterations=3000, check_every=50)
    assert stats.stopped == "target" and stats.exploitability < before / 100


def _suit_swap(sub, a: int, b: int) -> np.ndarray:
    """int (H,): the hand each hand of ``sub`` becomes when suits ``a`` and ``b`` are swapped."""
    swap = np.arange(52)
    swap[a::4], swap[b::4] = np.arange(b, 52, 4), np.arange(a, 52, 4)
    index = {tuple(sorted(h)): i for i, h in enumerate(sub.hands.hand_cards.tolist())}
    return np.array([index[tuple(sorted((swap[x], swap[y])))] for x, y in sub.hands.hand_cards.tolist()])


def _random_ranges(sub, seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Each player's support (150 random hands of ``sub`` that hold no board card) and ranges
    (float64 (2, 1326), random weights on the support)."""
    rng = np.random.default_rng(seed)
    dealt = np.flatnonzero(~np.isin(sub.hands.hand_cards, sub.root_board).any(axis=1))
    support = [np.sort(rng.choice(dealt, 150, replace=False)) for _ in range(2)]
    ranges = np.zeros((2, 1326))
    for p in (0, 1):
        ranges[p, support[p]] = rng.random(150)
    return support, ranges


def _assert_dense_values(sub, solver, support: list[np.ndarray], checks) -> None:
    """The solver's root values (best response where ``best``) of each ``(player, best)`` in
    ``checks`` equal the dense evaluation over the supports."""
    for player, best in checks:
        rows, cols = support[player], support[1 - player]
        dense = _dense_values(sub, solver, player, rows, cols, solver.ranges[1 - player, cols], best)
        fast = (solver.best_response(player) if best else solver.root_values()[player])[rows]
        np.testing.assert_allclose(fast, dense, rtol=1e-9, atol=1e-9 * np.abs(dense).max())


@pytest.mark.parametrize("symmetric", [False, True])
def test_turn_best_response_matches_dense_evaluation(symmetric):
    """Chance, fold and showdown values of a turn subgame against dense payoff matrices, on random
    ranges over 150 hands each that hold no board card (the dense side only needs those rows and
    columns); with ``symmetric`` ranges the rivers of one suit the board leaves out are copies of
    another's (the board is two-tone), which the dense side reads through ``average_strategy``."""
    sub = holdem_subgame(_street_start("turn"), SMALL)
    assert sorted({c & 3 for c in sub.root_board}) == [0, 3]  # diamonds and hearts are left out
    support, ranges = _random_ranges(sub, 5)
    if symmetric:
        swap = _suit_swap(sub, 1, 2)
        ranges = ranges + ranges[:, swap]
        support = [np.flatnonzero(ranges[p]) for p in (0, 1)]
    solver = RangeSolver(sub, ranges)
    assert solver.copied_rivers == (13 * int(np.count_nonzero(sub.tree.node_kind == CHANCE)) if symmetric else 0)
    solver.run(3)
    _assert_dense_values(sub, solver, support, ((0, True), (1, True), (0, False)))


def test_values_below_lines_the_opponent_never_takes_match_dense_evaluation():
    """The first actor of a river subgame always checks: below his bets the other player's
    showdowns have no opponent reach, and the folds beside them take their card-removal totals
    from those showdowns (a stale total would show against the dense evaluation)."""
    sub = holdem_subgame(_street_start("river"), RIVER)
    first = int(sub.tree.node_player[0])
    check = [int(sub.tree.node_action[c]) for c in sub.children(0)].index(CALL)
    support, ranges = _random_ranges(sub, 11)
    solver = RangeSolver(sub, ranges)
    always_check = np.zeros((len(list(sub.children(0))), 1326))
    always_check[check] = 1.0
    solver.freeze(0, always_check)
    solver.run(3)
    _assert_dense_values(sub, solver, support, ((1 - first, True), (1 - first, False)))


def test_a_strategy_that_breaks_the_suit_symmetry_stops_the_copies():
    """Freezing an asymmetric turn strategy writes the copied rivers' tables out: every river
    strategy reads the same before and after, and the solve goes on over all rivers."""
    sub = holdem_subgame(_street_start("turn"), SMALL)
    solver = RangeSolver(sub, np.ones((2, 1326)))
    assert solver.copied_rivers > 0
    solver.run(3)
    river_nodes = [n for n in range(sub.num_nodes) if sub.tree.node_kind[n] == DECISION
                   and sub.tree.node_board[n] >= 0]
    before = [(solver.average_strategy(n), solver.current_strategy(n)) for n in river_nodes]
    frozen = np.random.default_rng(2).random((len(sub.children(0)), 1326))
    solver.freeze(0, frozen / frozen.sum(axis=0))
    assert solver.copied_rivers == 0
    for n, (average, current) in zip(river_nodes, before):
        np.testing.assert_array_equal(solver.average_strategy(n), average)
        np.testing.assert_array_equal(solver.current_strategy(n), current)
    solver.run(1)


def test_traversed_rows_are_the_rows_a_traversal_writes():
    """Player 0's traversal writes regrets on exactly the rows ``traversed_rows`` gives to him and
    strategy sums on exactly those it gives to player 1, none in copied rivers."""
    sub = holdem_subgame(_street_start("turn"), SMALL)
    solver = RangeSolver(sub, np.ones((2, 1326)))
    rows, actor = solver.traversed_rows()
    assert solver.copied_rivers > 0 and len(rows) < sub.num_rows and set(actor.tolist()) == {0, 1}
    solver._pass(0, MODE_CFR)
    np.testing.assert_array_equal(np.flatnonzero(solver.tables.regrets.any(axis=1)), np.sort(rows[actor == 0]))
    np.testing.assert_array_equal(np.flatnonzero(solver.tables.strategy_sum.any(axis=1)), np.sort(rows[actor == 1]))


@pytest.mark.parametrize("ranges", ["random", "uniform"])  # uniform ranges copy rivers
def test_thread_count_does_not_change_the_result(ranges):
    sub = holdem_subgame(_street_start("turn"), SMALL)
    ranges = np.random.default_rng(1).random((2, 1326)) if ranges == "random" else np.ones((2, 1326))
    solvers = [RangeSolver(sub, ranges, threads=threads) for threads in (1, 2)]
    for solver in solvers:
        solver.run(4)
    np.testing.assert_array_equal(solvers[0].tables.regrets, solvers[1].tables.regrets)
    np.testing.assert_array_equal(solvers[0].tables.strategy_sum, solvers[1].tables.strategy_sum)
    assert solvers[0].exploitability() == pytest.approx(solvers[1].exploitability(), rel=1e-9)


def test_river_subgame_solves_to_a_low_exploitability():
    solver = RangeSolver(holdem_subgame(_street_start("river"), RIVER), np.ones((2, 1326)))
    start = solver.exploitability_pct()
    stats = solver.solve(target_pct=0.3, max_iterations=1000)
    assert stats.stopped == "target" and stats.exploitability_pct <= 0.3 < start


def test_turn_subgame_solves_to_a_low_exploitability():
    solver = RangeSolver(holdem_subgame(_street_start("turn"), SMALL), np.ones((2, 1326)), threads=2)
    stats = solver.solve(target_pct=0.5, max_iterations=300, check_every=20)
    assert stats.stopped == "target"


def test_budgets():
    solver = RangeSolver(leduc_round2_subgame(0, (1, 1)), np.ones((2, 6)))
    assert solver.solve(seconds=0).iterations == 0
    np.testing.assert_array_equal(solver.average_strategy(0), np.full((2, 6), 0.5))
    assert solver.solve(max_iterations=25, check_every=10).iterations == 25
    assert solver.solve(seconds=0.05).stopped == "time"
    assert solver.solve(seconds=1e-9, target_pct=0.0).iterations == 1  # timed alone, then none past the budget
    with pytest.raises(ValueError, match="budget"):
        solver.solve()


def test_exploitability_checks_space_out_towards_the_predicted_crossing():
    assert next_check_gap([(10, 34.0)], 0.5, 10) == 10  # far from the target: at most half again
    assert next_check_gap([(40, 8.3), (80, 2.6)], 0.5, 10) == 40
    k = math.log(2.6 / 0.78) / math.log(2.0)  # the rate the last two checks show
    assert next_check_gap([(80, 2.6), (160, 0.78)], 0.5, 10) == int(0.8 * (160 * (0.78 / 0.5) ** (1 / k) - 160))
    assert next_check_gap([(190, 0.52)], 0.5, 10) == 10  # close: never fewer than ``least``
    assert next_check_gap([(20, 1.0)], 0.0, 5) == 10


def test_a_solve_to_a_target_checks_a_few_times_only():
    solver = RangeSolver(holdem_subgame(_street_start("river"), RIVER), np.ones((2, 1326)))
    calls = []
    measure = solver.exploitability
    solver.exploitability = lambda: calls.append(solver.iterations) or measure()
    stats = solver.solve(target_pct=0.3, max_iterations=1000)
    assert stats.stopped == "target" and calls[-1] == stats.iterations
    assert calls[:4] == [10, 20, 30, 45] and len(calls) < stats.iterations / 15


def test_bad_ranges_are_refused():
    sub = leduc_round2_subgame(0, (1, 1))
    with pytest.raises(ValueError, match="shape"):
        RangeSolver(sub, np.ones((2, 5)))
    with pytest.raises(ValueError, match="can meet"):
        RangeSolver(sub, np.array([[0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]], float))
    with pytest.raises(ValueError, match="MiB"):
        RangeSolver(sub, np.ones((2, 6)), max_memory_bytes=10)


# ---------------------------------------------------------------- resolving Leduc from a blueprint

ROUND1_CALLED = [(1, 1), (1, 2, 1), (2, 1), (2, 2, 1), (1, 2, 2, 1)]


def _resolved_policy(tree, policy: np.ndarray, iterations: int, safe: bool = False) -> np.ndarray:
    """``policy`` with every round-2 infoset replaced by resolving: ranges by Bayes from the round-1
    policy, each (round-1 history, board) subgame solved by :class:`RangeSolver`; ``safe``: each
    player's strategy from its own resolve gadget against the blueprint's best-response values."""
    game = LeducPoker()
    index = tree.infoset_index()
    offsets = tree.arrays.infoset_offset
    out = policy.copy()

    def rows(player, card, board, round1, round2, sub, node):
        """Positions in ``policy`` of the children of ``node`` for ``player`` holding ``card``."""
        other = next(c for c in range(6) if c not in (card, board))
        cards = (card, other) if player == 0 else (other, card)
        i = index[game.infoset_key((cards + ((board,) if board >= 0 else ()), round1, round2))]
        return [offsets[i] + tree.infoset_actions[i].index(int(sub.tree.node_action[c])) for c in sub.children(node)]

    def decisions(sub, board):
        """(node, player, round-2 actions, {card: policy rows}) for each decision of ``sub``."""
        t = sub.tree
        for node in map(int, np.flatnonzero(t.node_kind == DECISION)):
            player = int(t.node_player[node])
            round2 = tuple(int(t.node_action[n]) for n in sub.path(node)[1:])
            yield node, player, {card: rows(player, card, board, round1, round2, sub, node)
                                 for card in range(6) if card != board}

    for round1 in ROUND1_CALLED:
        ranges = np.ones((2, 6))
        for step, action in enumerate(round1):
            player = step % 2
            for card in range(6):
                i = index[game.infoset_key(((card, next(c for c in range(6) if c != card)) if player == 0 else
                                            (next(c for c in range(6) if c != card), card), round1[:step], ()))]
                ranges[player, card] *= policy[offsets[i] + tree.infoset_actions[i].index(action)]
        contributions = _contributions_after(round1)
        for board in range(6):
            sub = leduc_round2_subgame(board, contributions)
            nodes = list(decisions(sub, board))
            solvers = {}
            for resolver in ((0, 1) if safe else (None,)):
                gadget = None
                if resolver is not None:
                    blueprint = RangeSolver(sub, ranges)
                    for node, player, card_rows in nodes:
                        if player == resolver:
                            strategy = np.full((len(sub.children(node)), 6), 1.0 / len(sub.children(node)))
                            for card, r in card_rows.items():
                                strategy[:, card] = policy[r]
                            blueprint.set_average_strategy(node, strategy)
                    gadget = Gadget(resolver, blueprint.best_response(1 - resolver))
                solver = RangeSolver(sub, ranges, gadget=gadget)
                solver.run(iterations)
                solvers[resolver] = solver
            for node, player, card_rows in nodes:
                strategy = solvers[player if safe else None].average_strategy(node)
                for card, r in card_rows.items():
                    out[r] = strategy[:, card]
    return out


def _contributions_after(round1) -> tuple[int, int]:
    contrib = [1, 1]
    for step, action in enumerate(round1):
        contrib[step % 2] = max(contrib) + (2 if action == RAISE else 0)
    return contrib[0], contrib[1]


def _resolving_gain(seed: int, safe: bool = False) -> tuple[float, float]:
    """OpenSpiel's exploitability of an ES-MCCFR blueprint (5,000 iterations, ``seed``) and of the
    blueprint with its second round resolved."""
    tree = load_tree("leduc")
    blueprint = make_solver("es-mccfr", tree, seed=seed)
    blueprint.run(5000)
    policy = blueprint.average_strategy().probs
    resolved = _resolved_policy(tree, policy, 1000 if safe else 500, safe)
    return openspiel_exploitability_of(tree, policy), openspiel_exploitability_of(tree, resolved)


def test_resolving_leduc_beats_the_blueprint():
    before, after = _resolving_gain(0)
    assert after < before


def test_safe_resolving_leduc_is_never_worse_than_the_blueprint():
    before, after = _resolving_gain(0, safe=True)
    assert after <= before


@pytest.mark.slow
def test_resolving_leduc_halves_the_blueprint_exploitability():
    results = np.array([_resolving_gain(seed) for seed in range(10)])
    assert results[:, 1].mean() <= 0.5 * results[:, 0].mean()


@pytest.mark.slow
def test_safe_resolving_leduc_never_exceeds_the_blueprint():
    results = np.array([_resolving_gain(seed, safe=True) for seed in range(10)])
    assert np.all(results[:, 1] <= results[:, 0])
