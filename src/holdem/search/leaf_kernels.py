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


@njit(cache=True, nogil=True)
def _bias_weight(kind: int, bias: int, factor: float) -> float:
    """What continuation strategy ``bias`` multiplies the probability of an action of ``kind`` by."""
    return factor if bias > 0 and kind == bias - 1 else 1.0


@njit(cache=True, nogil=True)
def bias_strategy(probs: np.ndarray, kinds: np.ndarray, bias: int, factor: float, out: np.ndarray) -> None:
    """``out[:k] = probs[:k]`` (float64 ``(k,)``; ``kinds`` int ``(k,)``, each action's
    :data:`holdem.tree.FOLD`, ``CALL`` or ``RAISE``) with the actions of kind ``bias - 1`` times
    ``factor``, renormalised (only renormalised for bias 0 or where no such action is offered)."""
    k = probs.shape[0]
    total = 0.0
    for a in range(k):
        w = probs[a] * _bias_weight(kinds[a], bias, factor)
        out[a] = w
        total += w
    for a in range(k):
        out[a] = out[a] / total if total > 0.0 else probs[a]


@njit(cache=True, nogil=True)
def _subtree_extent(tree: TreeArrays, root: int, seats: np.ndarray, base: np.ndarray) -> int:
    """The depth of the subtree below ``root`` (edges on its longest path); fills ``base`` (float64
    ``(2,)``) with the fewest chips each player (tree seat ``seats[p]``) has put in at any terminal
    below it: what he had put in at ``root`` when it starts a street (every player may check to the
    end)."""
    base[:] = 1e18
    depth = 0
    stack = np.empty((16, 2), np.int64)  # (node, depth) of the nodes still to visit; doubled when full
    stack[0, 0], stack[0, 1], top = root, 0, 1
    while top > 0:
        top -= 1
        node, d = stack[top, 0], stack[top, 1]
        depth = max(depth, d)
        if tree.node_kind[node] != DECISION:
            for p in range(2):
                base[p] = min(base[p], float(tree.terminal_contrib[tree.node_terminal[node], seats[p]]))
            continue
        first, k = tree.node_first_child[node], tree.node_num_children[node]
        if top + k > stack.shape[0]:
            grown = np.empty((2 * (top + k), 2), np.int64)
            grown[:top] = stack[:top]
            stack = grown
        for c in range(first, first + k):
            stack[top, 0], stack[top, 1] = c, d + 1
            top += 1
    return depth


@njit(cache=True, nogil=True)
def _terminal_chips(tree: TreeArrays, node: int, seats: np.ndarray, start: np.ndarray, base: np.ndarray,
                    stacks: np.ndarray) -> tuple[float, bool]:
    """What terminal ``node`` is worth to player 0, and whether it is a showdown: each player has in
    his ``start`` plus what the tree added since ``base``, capped at his stack; the folder loses his
    chips (player 0's net chips, ``False``); a showdown moves the smaller of the two (that amount,
    ``True``: player 0 wins, loses or splits it)."""
    t = tree.node_terminal[node]
    live = tree.terminal_live[t]
    mine0 = min(start[0] + tree.terminal_contrib[t, seats[0]] - base[0], stacks[0])
    mine1 = min(start[1] + tree.terminal_contrib[t, seats[1]] - base[1], stacks[1])
    if not live & (1 << seats[0]):
        return -mine0, False
    if not live & (1 << seats[1]):
        return mine1, False
    return min(mine0, mine1), True


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

    The subtree is walked once for all deals, depth first: each player's reach under each of his
    continuation strategies goes down as float64 ``(K, S)`` rows (a player's row changes only at
    his own decisions), and each terminal adds its chips times the two players' reaches to every
    pair of strategies.  The deals are the inner loops, so a node's blueprint rows stay in cache.
    """
    num, k0, k1 = out.shape
    showdown = np.empty(num)
    for s in range(num):
        board = boards[s]
        strength0 = evaluate_7(holes[s, 0, 0], holes[s, 0, 1], board[0], board[1], board[2], board[3], board[4])
        strength1 = evaluate_7(holes[s, 1, 0], holes[s, 1, 1], board[0], board[1], board[2], board[3], board[4])
        showdown[s] = 1.0 if strength0 > strength1 else (-1.0 if strength0 < strength1 else 0.0)
    if root < 0:
        for s in range(num):
            out[s] = showdown[s] * min(start[0], start[1])
        return
    base = np.zeros(2)
    depth = _subtree_extent(tree, root, seats, base)
    if tree.node_kind[root] != DECISION:
        chips, at_showdown = _terminal_chips(tree, root, seats, start, base, stacks)
        for s in range(num):
            out[s] = showdown[s] * chips if at_showdown else chips
        return
    bucket = np.empty((2, 4, num), np.int64)
    for s in range(num):
        for p in range(2):
            for street in range(1, 4):
                bucket[p, street, s] = lookup(buckets[0], buckets[1], buckets[2], buckets[3], holes[s, p, 0],
                                              holes[s, p, 1], boards[s], street + 2)
    reach = np.empty((2, depth + 1, max(k0, k1), num))  # reach[p, row, choice, deal]
    reach[:, 0] = 1.0
    row_of = np.zeros((depth + 1, 2), np.int64)  # the row of reach[p] in force at each depth
    scale = np.empty((depth + 1, max(k0, k1), num))  # one over each biased strategy's total
    rows = np.empty((depth + 1, num), np.int64)  # each deal's blueprint row at each depth
    acc = np.zeros((k0, k1, num))
    node_at = np.empty(depth + 1, np.int64)
    next_child = np.empty(depth + 1, np.int64)
    d = 0
    node_at[0], next_child[0] = root, -1
    while d >= 0:
        node = node_at[d]
        if tree.node_kind[node] != DECISION:
            chips, at_showdown = _terminal_chips(tree, node, seats, start, base, stacks)
            mine0, mine1 = reach[0, row_of[d, 0]], reach[1, row_of[d, 1]]
            for i in range(k0):
                for j in range(k1):
                    a_ij, x, y = acc[i, j], mine0[i], mine1[j]
                    if at_showdown:
                        for s in range(num):
                            a_ij[s] += chips * showdown[s] * x[s] * y[s]
                    else:
                        for s in range(num):
                            a_ij[s] += chips * x[s] * y[s]
            d -= 1
            continue
        actor = 0 if tree.node_player[node] == seats[0] else 1
        k = tree.node_num_children[node]
        first = tree.node_first_child[node]
        offset = offsets[node]
        num_choices = k0 if actor == 0 else k1
        if next_child[d] < 0:
            row = rows[d]
            for s in range(num):
                row[s] = offset + bucket[actor, tree.node_street[node], s] * k
            for c in range(num_choices):
                total = scale[d, c]
                total[:] = 0.0
                for a in range(k):
                    w = _bias_weight(tree.node_action[first + a], choices[actor, c], factor)
                    if offset < 0:
                        total += w / k
                    else:
                        for s in range(num):
                            total[s] += w * probs[row[s] + a]
                for s in range(num):
                    total[s] = 1.0 / total[s] if total[s] > 0.0 else 0.0
            next_child[d] = 0
        a = next_child[d]
        if a == k:
            d -= 1
            continue
        next_child[d] = a + 1
        row = rows[d]
        mine, below = reach[actor, row_of[d, actor]], reach[actor, d + 1]
        for c in range(num_choices):
            w = _bias_weight(tree.node_action[first + a], choices[actor, c], factor)
            x, y, inv = mine[c], below[c], scale[d, c]
            if offset < 0:
                for s in range(num):
                    y[s] = x[s] * (w / k) * inv[s]
            else:
                for s in range(num):
                    y[s] = x[s] * (w * probs[row[s] + a]) * inv[s]
        row_of[d + 1, actor], row_of[d + 1, 1 - actor] = d + 1, row_of[d, 1 - actor]
        node_at[d + 1], next_child[d + 1] = first + a, -1
        d += 1
    for s in range(num):
        for i in range(k0):
            for j in range(k1):
                out[s, i, j] = acc[i, j, s]


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
