"""Kernels that value hold'em depth-limit leaves from a blueprint (numba, ``nogil``).

:func:`continuation_values` plays the rest of a hand from a node of a heads-up blueprint tree for
sampled deals (both players' cards and the whole board): for every pair of continuation strategies
(the blueprint biased toward no action, folding, calling or raising; :mod:`holdem.search.depth_limit`)
it takes the exact expectation over the blueprint's actions, so the only sampling is of the cards.
:func:`hand_equities` ranks hands on a board by their equity against a random hand, which
:func:`holdem.search.depth_limit.holdem_leaf_values` cuts into groups.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.buckets import lookup
from holdem.evaluator import evaluate_7
from holdem.tree import DECISION, TreeArrays

#: continuation strategies: 0 the blueprint, 1 2 3 biased toward action kind 0 1 2 (fold, call, raise)
NUM_BIASES = 4
_MAX_DEPTH = 64


@njit(cache=True, nogil=True)
def bias_strategy(probs: np.ndarray, kinds: np.ndarray, bias: int, factor: float, out: np.ndarray) -> None:
    """``out[:k] = probs[:k]`` (float64 ``(k,)``; ``kinds`` int ``(k,)``, each action's
    :data:`holdem.tree.FOLD`, ``CALL`` or ``RAISE``) with the actions of kind ``bias - 1`` times
    ``factor``, renormalised (only renormalised for bias 0 or where no such action is offered)."""
    k = probs.shape[0]
    total = 0.0
    for a in range(k):
        w = probs[a] * (factor if bias > 0 and kinds[a] == bias - 1 else 1.0)
        out[a] = w
        total += w
    for a in range(k):
        out[a] = out[a] / total if total > 0.0 else probs[a]


@njit(cache=True, nogil=True)
def _subtree_floor(tree: TreeArrays, root: int, seat: int) -> float:
    """The fewest chips ``seat`` has put in at any terminal below ``root``: what he had put in at
    ``root`` when it starts a street (every player may check to the end)."""
    low = 1e18
    stack = np.empty(4096, np.int64)
    stack[0], top = root, 1
    while top > 0:
        top -= 1
        node = stack[top]
        if tree.node_kind[node] != DECISION:
            low = min(low, float(tree.terminal_contrib[tree.node_terminal[node], seat]))
            continue
        first = tree.node_first_child[node]
        for c in range(first, first + tree.node_num_children[node]):
            stack[top] = c
            top += 1
    return low


@njit(cache=True, nogil=True)
def _terminal_value(tree: TreeArrays, node: int, seats: np.ndarray, start: np.ndarray, base: np.ndarray,
                    stacks: np.ndarray, showdown: float) -> float:
    """Player 0's net chips at terminal ``node``: each player's ``start`` plus what the tree added
    since ``base``, capped at his stack; the folder loses his chips, a showdown (``showdown``: +1,
    -1 or 0 for player 0) moves the smaller of the two."""
    t = tree.node_terminal[node]
    live = tree.terminal_live[t]
    mine0 = min(start[0] + tree.terminal_contrib[t, seats[0]] - base[0], stacks[0])
    mine1 = min(start[1] + tree.terminal_contrib[t, seats[1]] - base[1], stacks[1])
    if not live & (1 << seats[0]):
        return -mine0
    if not live & (1 << seats[1]):
        return mine1
    return showdown * min(mine0, mine1)


@njit(cache=True, nogil=True)
def continuation_values(tree: TreeArrays, probs: np.ndarray, offsets: np.ndarray, buckets: tuple,
                        root: int, seats: np.ndarray, start: np.ndarray, stacks: np.ndarray, holes: np.ndarray,
                        boards: np.ndarray, choices: np.ndarray, factor: float, out: np.ndarray) -> None:
    """Player 0's expected net chips over the whole hand for each sampled deal and pair of
    continuation strategies: ``out[s, i, j]`` (float64 ``(S, K0, K1)``).

    - ``tree``, ``probs`` (float32), ``offsets`` (int64): a blueprint's tree and probabilities
      (:class:`holdem.blueprint.Blueprint`); ``buckets``: its four index -> bucket arrays.
    - ``root``: the tree node where the rest of the hand starts (a street's first decision, or a
      terminal where the tree has no more betting); ``root < 0`` means no more betting (all-in):
      straight to the showdown.
    - ``seats``: int64 ``(2,)``, the tree seat of each player; ``start``: float64 ``(2,)``, the chips
      each player really had in at the leaf; ``stacks``: float64 ``(2,)``, their starting stacks.
      A terminal's chips are ``start`` plus what the tree adds below ``root``, capped at the stack.
    - ``holes``: int64 ``(S, 2, 2)``, each player's cards; ``boards``: int64 ``(S, 5)``.
    - ``choices``: int64 ``(2, K)``, the continuation strategies each player picks from (bias ids,
      :data:`NUM_BIASES`; player ``p`` uses the first ``out.shape[1 + p]``).
    """
    k0, k1 = out.shape[1], out.shape[2]
    node_at = np.empty(_MAX_DEPTH, np.int64)
    next_child = np.empty(_MAX_DEPTH, np.int64)
    acc = np.zeros((_MAX_DEPTH, k0, k1))
    picked = np.zeros((_MAX_DEPTH, max(k0, k1), 16))
    bucket = np.zeros((2, 4), np.int64)
    blueprint = np.empty(16)
    base = np.zeros(2)
    if root >= 0:
        for p in range(2):
            base[p] = _subtree_floor(tree, root, seats[p])
    for s in range(holes.shape[0]):
        board = boards[s]
        strength0 = evaluate_7(holes[s, 0, 0], holes[s, 0, 1], board[0], board[1], board[2], board[3], board[4])
        strength1 = evaluate_7(holes[s, 1, 0], holes[s, 1, 1], board[0], board[1], board[2], board[3], board[4])
        showdown = 1.0 if strength0 > strength1 else (-1.0 if strength0 < strength1 else 0.0)
        if root < 0:
            out[s] = showdown * min(start[0], start[1])
            continue
        if tree.node_kind[root] != DECISION:
            out[s] = _terminal_value(tree, root, seats, start, base, stacks, showdown)
            continue
        for p in range(2):
            for street in range(1, 4):
                bucket[p, street] = lookup(buckets[0], buckets[1], buckets[2], buckets[3], holes[s, p, 0],
                                           holes[s, p, 1], board, street + 2)
        d = 0
        node_at[0], next_child[0] = root, -1
        while d >= 0:
            node = node_at[d]
            decision = tree.node_kind[node] == DECISION
            if next_child[d] < 0 and not decision:  # a terminal: its value, then into its parent below
                acc[d] = _terminal_value(tree, node, seats, start, base, stacks, showdown)
                next_child[d] = 0
            elif next_child[d] < 0:
                actor = 0 if tree.node_player[node] == seats[0] else 1
                k = tree.node_num_children[node]
                first = tree.node_first_child[node]
                offset = offsets[node]
                row = offset + bucket[actor, tree.node_street[node]] * k
                for a in range(k):
                    blueprint[a] = 1.0 / k if offset < 0 else probs[row + a]
                kinds = tree.node_action[first:first + k]
                for c in range(k0 if actor == 0 else k1):
                    bias_strategy(blueprint[:k], kinds, choices[actor, c], factor, picked[d, c])
                acc[d] = 0.0
                next_child[d] = 0
            a = next_child[d]
            if decision and a < tree.node_num_children[node]:
                next_child[d] = a + 1
                node_at[d + 1], next_child[d + 1] = tree.node_first_child[node] + a, -1
                d += 1
                continue
            if d == 0:
                out[s] = acc[0]
            else:
                parent = d - 1
                pa = next_child[parent] - 1
                actor = 0 if tree.node_player[node_at[parent]] == seats[0] else 1
                for i in range(k0):
                    for j in range(k1):
                        acc[parent, i, j] += picked[parent, i if actor == 0 else j, pa] * acc[d, i, j]
            d -= 1


@njit(cache=True, nogil=True)
def hand_equities(holes: np.ndarray, board: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """float64 ``(H,)``: each hand's equity (wins plus half the ties) against a random hand over
    random completions of ``board`` (int64, 3 or 4 cards), from ``samples`` deals per hand; NaN
    for a hand holding a board card."""
    np.random.seed(seed)
    out = np.empty(holes.shape[0])
    n = board.shape[0]
    used = np.zeros(52, np.bool_)
    full = np.empty(5, np.int64)
    for h in range(holes.shape[0]):
        a, b = holes[h, 0], holes[h, 1]
        clash = False
        for i in range(n):
            clash = clash or board[i] == a or board[i] == b
        if clash:
            out[h] = np.nan
            continue
        score = 0.0
        for _ in range(samples):
            used[:] = False
            used[a] = used[b] = True
            for i in range(n):
                used[board[i]] = True
                full[i] = board[i]
            drawn = np.empty(2 + 5 - n, np.int64)
            for i in range(drawn.shape[0]):
                c = np.random.randint(52)
                while used[c]:
                    c = np.random.randint(52)
                used[c] = True
                drawn[i] = c
            for i in range(n, 5):
                full[i] = drawn[2 + i - n]
            mine = evaluate_7(a, b, full[0], full[1], full[2], full[3], full[4])
            theirs = evaluate_7(drawn[0], drawn[1], full[0], full[1], full[2], full[3], full[4])
            score += 1.0 if mine > theirs else (0.5 if mine == theirs else 0.0)
        out[h] = score / samples
    return out


@njit(cache=True, nogil=True)
def sample_deals(holes: np.ndarray, members: np.ndarray, starts: np.ndarray, board: np.ndarray, deals: int,
                 seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``deals`` random deals for every pair of groups ``(g0, g1)`` of hands that both have members:
    a hand of each group that share no card and the rest of ``board`` (int64, 3 or 4 cards).
    ``members`` int64: rows of ``holes`` (int64 ``(H, 2)``) group by group, group ``g`` being
    ``members[starts[g]:starts[g + 1]]``.  Returns both players' cards int64 ``(S, 2, 2)``, the whole
    boards int64 ``(S, 5)`` and each deal's cell ``g0 * G + g1`` int64 ``(S,)``."""
    np.random.seed(seed)
    groups = starts.shape[0] - 1
    n = board.shape[0]
    total = deals * groups * groups
    out_holes = np.empty((total, 2, 2), np.int64)
    out_boards = np.empty((total, 5), np.int64)
    cells = np.empty(total, np.int64)
    used = np.zeros(52, np.bool_)
    s = 0
    for g0 in range(groups):
        for g1 in range(groups):
            size0, size1 = starts[g0 + 1] - starts[g0], starts[g1 + 1] - starts[g1]
            if size0 == 0 or size1 == 0:
                continue
            for _ in range(deals):
                found = False
                for _ in range(100):
                    h0 = members[starts[g0] + np.random.randint(size0)]
                    h1 = members[starts[g1] + np.random.randint(size1)]
                    a, b, c, d = holes[h0, 0], holes[h0, 1], holes[h1, 0], holes[h1, 1]
                    if a != c and a != d and b != c and b != d:
                        found = True
                        break
                if not found:
                    continue
                used[:] = False
                for card in (a, b, c, d):
                    used[card] = True
                for i in range(n):
                    used[board[i]] = True
                    out_boards[s, i] = board[i]
                for i in range(n, 5):
                    card = np.random.randint(52)
                    while used[card]:
                        card = np.random.randint(52)
                    used[card] = True
                    out_boards[s, i] = card
                out_holes[s, 0, 0], out_holes[s, 0, 1], out_holes[s, 1, 0], out_holes[s, 1, 1] = a, b, c, d
                cells[s] = g0 * groups + g1
                s += 1
    return out_holes[:s], out_boards[:s], cells[:s]
