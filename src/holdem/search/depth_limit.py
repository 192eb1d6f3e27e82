"""Depth-limited subgames: continuation strategies at the leaves, and what the leaves are worth.

A depth-limited subgame ends where the next betting round would start.  There each player picks,
hand by hand, one of a few *continuation strategies* for the rest of the hand, so the solve must
be good against every way the opponent may go on, not against one fixed guess of it (Brown,
Sandholm & Amos 2018, "Depth-Limited Solving for Imperfect-Information Games").  Pluribus (Brown
& Sandholm, Science 2019, supplement) gave each player four: the blueprint, and the blueprint
biased toward folding, toward calling and toward raising, i.e. with the probabilities of those
actions multiplied by 5 and renormalised (:data:`BIASES`, :func:`biased`).

:class:`~holdem.search.solver.LeafValues` hold each leaf's worth for every pair of choices
between groups of hands; :func:`leduc_leaf_values` computes them exactly for Leduc's first round
(the groups are the six cards), which checks the depth-limited solver against OpenSpiel.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

from holdem.agents.blueprint_agent import locate
from holdem.agents.equity import HOLES
from holdem.agents.view import SeatView
from holdem.blueprint import Blueprint
from holdem.engine import State
from holdem.solver.workers import run_workers
from holdem.tree import CALL, FOLD, RAISE, apply_abstract

from .kernels import DECISION, FOLD_END, LEAF, SHOWDOWN
from .leaf_kernels import NUM_BIASES, bias_strategy, continuation_values, hand_equities, sample_deals
from .public_tree import LEDUC_CARDS, Subgame, leduc_round2_subgame, leduc_strength
from .solver import LeafValues

#: Pluribus's continuation strategies: the blueprint, and biased toward folding, calling, raising
BIASES = ("blueprint", "fold", "call", "raise")
#: how much a biased continuation strategy multiplies the probabilities of its kind of action
BIAS_FACTOR = 5.0
_BIAS_ID = {"blueprint": 0, "fold": FOLD + 1, "call": CALL + 1, "raise": RAISE + 1}  # bias_strategy's ids

#: ``strategy(player, card, board, round1, round2)``: float64 ``(A,)``, the blueprint's probabilities
#: of the ``A`` Leduc actions (ids ascending: fold, check/call, bet/raise, the legal ones) of
#: ``player`` holding ``card`` after the round-1 and round-2 action ids ``round1``, ``round2``
LeducStrategy = Callable[[int, int, int, tuple[int, ...], tuple[int, ...]], np.ndarray]


def biased(probs: np.ndarray, kinds: np.ndarray, bias: str, factor: float = BIAS_FACTOR) -> np.ndarray:
    """``probs`` (float64 ``(A,)``, a strategy over actions of ``kinds``: int ``(A,)`` of
    :data:`holdem.tree.FOLD`, ``CALL``, ``RAISE``) biased toward ``bias`` (one of :data:`BIASES`):
    the probabilities of that kind of action times ``factor``, renormalised; unchanged for
    ``"blueprint"`` or where no action of that kind is offered."""
    if bias not in BIASES:
        raise ValueError(f"unknown continuation strategy {bias!r}; choose from {', '.join(BIASES)}")
    probs = np.asarray(probs, np.float64)
    out = np.empty_like(probs)
    bias_strategy(probs, np.asarray(kinds, np.int8), _BIAS_ID[bias], factor, out)
    return out


def leduc_leaf_values(subgame: Subgame, strategy: LeducStrategy,
                      choices: tuple[Sequence[str], Sequence[str]] = (BIASES, BIASES)) -> LeafValues:
    """Exact :class:`~holdem.search.solver.LeafValues` of :func:`~holdem.search.public_tree.leduc_round1_subgame`:
    at each leaf, for each pair of cards, player 0's expected net chips over the board cards that
    can come and the second round played by each player's continuation strategy, ``choices[p]``
    naming player ``p``'s (:data:`BIASES`) applied to the blueprint ``strategy``.  The groups are
    the six cards."""
    tree = subgame.tree
    leaves = np.flatnonzero(tree.node_leaf >= 0)
    values = np.zeros((len(leaves), len(choices[0]), len(choices[1]), LEDUC_CARDS, LEDUC_CARDS))
    for leaf, node in enumerate(leaves):
        round1 = tuple(int(tree.node_action[n]) for n in subgame.path(int(node))[1:])
        contributions = tuple(int(c) for c in tree.node_contrib[node])
        for board in range(LEDUC_CARDS):
            values[leaf] += _round2_values(leduc_round2_subgame(board, contributions), board, round1, strategy,
                                           choices)
    values /= LEDUC_CARDS - 2  # the boards that can come after two cards
    return LeafValues(values, np.arange(LEDUC_CARDS, dtype=np.int64))


def _round2_values(sub: Subgame, board: int, round1: tuple[int, ...], strategy: LeducStrategy,
                   choices: tuple[Sequence[str], Sequence[str]]) -> np.ndarray:
    """float64 ``(K0, K1, 6, 6)``: player 0's net chips in the second round ``sub`` on ``board`` for
    each pair of continuation strategies and of cards (0 where the cards clash)."""
    t = sub.tree
    strength = leduc_strength(board)
    out = np.zeros((len(choices[0]), len(choices[1]), LEDUC_CARDS, LEDUC_CARDS))
    cards = [c for c in range(LEDUC_CARDS) if c != board]
    round2 = {0: ()}
    for n in range(1, sub.num_nodes):  # parents come before their children
        round2[n] = round2[int(t.node_parent[n])] + (int(t.node_action[n]),)
    for c0 in cards:
        for c1 in (c for c in cards if c != c0):
            held = (c0, c1)
            probs = {}  # (node, player's choice) -> child probabilities
            for n in map(int, np.flatnonzero(t.node_kind == DECISION)):
                p = int(t.node_player[n])
                blueprint = strategy(p, held[p], board, round1, round2[n])
                kinds = t.node_action[sub.children(n)]
                for k, bias in enumerate(choices[p]):
                    probs[n, k] = biased(blueprint, kinds, bias)
            for i in range(len(choices[0])):
                for j in range(len(choices[1])):
                    out[i, j, c0, c1] = _expected(sub, strength, held, probs, (i, j))
    return out


def _expected(sub: Subgame, strength: np.ndarray, held: tuple[int, int], probs: dict, picked: tuple[int, int]) -> float:
    """Player 0's expected net chips from the root of the second round ``sub`` with cards ``held``,
    each player ``p`` playing his continuation ``picked[p]`` (child probabilities ``probs``)."""
    t = sub.tree
    value = np.zeros(sub.num_nodes)
    for n in range(sub.num_nodes - 1, -1, -1):  # children come after their parents
        kind, contrib = int(t.node_kind[n]), t.node_contrib[n]
        if kind == FOLD_END:
            value[n] = -contrib[0] if t.node_player[n] == 0 else contrib[1]
        elif kind == SHOWDOWN:
            s0, s1 = strength[held[0]], strength[held[1]]
            value[n] = contrib[1] if s0 > s1 else -contrib[0] if s0 < s1 else 0.0
        elif kind == DECISION:
            children = sub.children(n)
            value[n] = float(probs[n, picked[int(t.node_player[n])]] @ value[children.start:children.stop])
        elif kind == LEAF:
            raise ValueError("a second round has no depth-limit leaves")
    return float(value[0])


# ------------------------------------------------------------------------------------------ hold'em

#: hands are cut into this many groups of equal size by equity for the leaf values
HOLDEM_GROUPS = 16
#: sampled deals per pair of groups and leaf
HOLDEM_DEALS = 24


def equity_groups(board: Sequence[int], groups: int = HOLDEM_GROUPS, samples: int = 200, seed: int = 0) -> np.ndarray:
    """int64 ``(1326,)``: the group (0 .. ``groups`` - 1, weakest first) of each hand of
    :data:`~holdem.agents.equity.HOLES` by its equity against a random hand on ``board`` (3 or 4
    cards), in groups of equal size; 0 for the hands holding a board card."""
    equity = hand_equities(HOLES, np.asarray(board, np.int64), samples, seed)
    valid = np.flatnonzero(~np.isnan(equity))
    out = np.zeros(len(HOLES), np.int64)
    order = valid[np.argsort(equity[valid], kind="stable")]
    out[order] = np.arange(len(order)) * groups // len(order)
    return out


def holdem_leaf_values(subgame: Subgame, state: State, blueprint: Blueprint,
                       choices: tuple[Sequence[str], Sequence[str]] = (BIASES, BIASES),
                       groups: int = HOLDEM_GROUPS, deals: int = HOLDEM_DEALS, seed: int = 0,
                       threads: int = 1) -> LeafValues:
    """:class:`~holdem.search.solver.LeafValues` of a depth-limited hold'em ``subgame`` rooted at
    ``state`` (:func:`~holdem.search.public_tree.holdem_subgame` with ``depth_limited``), from the
    heads-up ``blueprint``: hands are cut into ``groups`` by equity (:func:`equity_groups`); for
    each leaf and pair of groups, ``deals`` random deals (a hand of each group, the rest of the
    board) are played out from the blueprint node the leaf's betting maps to (bet translation as the
    blueprint agent does it), exactly in expectation over the blueprint's actions for every pair of
    continuation strategies (:func:`~holdem.search.leaf_kernels.continuation_values`); an all-in
    leaf goes straight to the showdown.  Sampling is the only approximation, and seeded.  The
    leaves are shared out between ``threads`` threads (0 = every core); the result does not depend
    on how many."""
    if blueprint.num_players != 2:
        raise ValueError(f"the blueprint is for {blueprint.num_players} players; search is heads-up")
    group = equity_groups(state.board, groups, seed=seed)
    valid = np.flatnonzero(~np.isin(HOLES, state.board).any(axis=1))
    members = valid[np.argsort(group[valid], kind="stable")]
    starts = np.searchsorted(group[members], np.arange(groups + 1))
    holes, boards, cell = sample_deals(HOLES, members, starts, np.array(state.board, np.int64), deals, seed)
    ids = np.array([[_BIAS_ID[b] for b in choices[p]] + [0] * (NUM_BIASES - len(choices[p])) for p in (0, 1)],
                   np.int64)
    sb = state.rules.small_blind_seat
    seats = np.array([(p - sb) % 2 for p in (0, 1)], np.int64)
    stacks = np.array(state.rules.stacks, np.float64)
    jobs = []  # (leaf, blueprint node or -1 for a showdown, weight, chips in at the leaf)
    for leaf, node in enumerate(np.flatnonzero(subgame.tree.node_leaf >= 0)):
        after = _state_at(subgame, state, int(node))
        roots = {-1: 1.0} if after.is_over else locate(blueprint, SeatView.of(after))
        jobs += [(leaf, int(root), weight, np.array(after.contributions, np.float64)) for root, weight in roots.items()]
    shape = (len(choices[0]), len(choices[1]))
    per_job = np.zeros((len(jobs), len(holes), *shape))
    count = max(1, min(threads or os.cpu_count() or 1, len(jobs)))

    def body(worker: int) -> None:
        for j in range(worker, len(jobs), count):
            _, root, _, start = jobs[j]
            continuation_values(blueprint.tree.arrays, blueprint.probs, blueprint.offsets, blueprint.buckets.arrays,
                                root, seats, start, stacks, holes, boards, ids, BIAS_FACTOR, per_job[j])

    run_workers([lambda w=w: body(w) for w in range(count)], np.zeros(1, np.int64))
    counts = np.maximum(np.bincount(cell, minlength=groups * groups), 1)[:, None, None]
    values = np.zeros((subgame.num_leaves, *shape, groups, groups))
    for (leaf, _, weight, _), per_deal in zip(jobs, per_job):
        sums = np.zeros((groups * groups, *shape))
        np.add.at(sums, cell, per_deal)
        values[leaf] += weight * (sums / counts).reshape(groups, groups, *shape).transpose(2, 3, 0, 1)
    return LeafValues(values, group)


def _state_at(subgame: Subgame, state: State, node: int) -> State:
    """The engine state that the betting of ``subgame`` (rooted at ``state``) reaches at ``node``."""
    out = state.copy()
    tree = subgame.tree
    for child in subgame.path(node)[1:]:
        apply_abstract(out, int(tree.node_action[child]), int(tree.node_amount[child]))
    return out
