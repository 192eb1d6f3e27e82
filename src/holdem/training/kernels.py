"""Blueprint kernels: external-sampling MCCFR on real no-limit hold'em over the abstraction.

External sampling (Lanctot et al., "Monte Carlo Sampling for Regret Minimization in Extensive
Games", NIPS 2009) with Pluribus's refinements (Brown & Sandholm, "Superhuman AI for multiplayer
poker", Science 2019): int32 regrets floored at ``floor``, negative-regret pruning on a share of
iterations (never on the river, never of an action that ends the hand), and the average strategy
kept only where ``avg_offset`` says so (Pluribus: preflop only).

Every traversal deals fresh real cards, then walks the abstract betting tree; terminal values are
exact chip payoffs with side pots (an odd chip shared fractionally).  A decision node's block of
``num_buckets[street] * num_children`` entries (bucket-major) is allocated on first visit from the
calling worker's segment (lazy allocation as in Pluribus; two workers racing waste a few entries,
never share one).  Workers run :func:`run_iterations` on the same tables without locks; ``stop``
(int64 ``(1,)``) is polled between iterations and set to :data:`STOP_POOL_FULL` when a segment is full.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from holdem.abstraction.buckets import lookup_players
from holdem.cards import NUM_CARDS
from holdem.evaluator import evaluate_7
from holdem.solver.regret import next_action, regret_matching, store_regret
from holdem.solver.rng import sample_index, uniform
from holdem.tree import DECISION, TERMINAL, TreeArrays

RIVER = 3
STOP_POOL_FULL = 2


class TableArrays(NamedTuple):
    """The shared tables the kernels read and write: ``num_buckets`` int64 ``(4,)``; ``node_offset``
    int64 ``(N,)``, each decision node's block in ``regrets`` (int32 ``(A,)``, chips), -1 while
    unallocated; ``avg_offset`` int64 ``(N,)`` and ``strategy_sum`` float64 likewise where the average
    strategy is kept (-1 elsewhere); ``pool_next``/``pool_end`` int64 ``(W,)``, the worker segments."""

    num_buckets: np.ndarray
    node_offset: np.ndarray
    regrets: np.ndarray
    avg_offset: np.ndarray
    strategy_sum: np.ndarray
    pool_next: np.ndarray
    pool_end: np.ndarray


class Frames(NamedTuple):
    """A worker's traversal scratch, a row per traverser decision on the current path (``D`` = depth
    + 1, ``K`` = most children): node, action explored, bitmask of explored actions, whether it
    prunes, table offset (``(D,)`` each), strategy and action values (float64 ``(D, K)``)."""

    node: np.ndarray
    action: np.ndarray
    explored: np.ndarray
    prune: np.ndarray
    offset: np.ndarray
    strategy: np.ndarray
    values: np.ndarray


@njit(cache=True, nogil=True)
def new_frames(depth: int, width: int) -> Frames:
    """Scratch :class:`Frames` for paths of up to ``depth`` decisions with up to ``width`` actions."""
    return Frames(np.empty(depth + 1, np.int64), np.empty(depth + 1, np.int64), np.empty(depth + 1, np.int64),
                  np.empty(depth + 1, np.bool_), np.empty(depth + 1, np.int64), np.empty((depth + 1, width)),
                  np.empty((depth + 1, width)))


@njit(inline="always")
def _deal(rng: np.ndarray, deck: np.ndarray, n: int) -> None:
    """Make ``deck[:n]`` a uniformly random draw without replacement (partial Fisher-Yates from a
    sorted deck, so a deal depends on the RNG state only)."""
    for i in range(NUM_CARDS):
        deck[i] = i
    for i in range(n):
        j = i + int(uniform(rng) * (NUM_CARDS - i))
        c = deck[i]
        deck[i] = deck[j]
        deck[j] = c


@njit(inline="always")
def _observe(preflop, flop, turn, river, deck, num_players, buckets, ranks) -> None:
    """Buckets (int64 ``(P, 4)``) and hand ranks (int64 ``(P,)``) of the dealt ``deck``: seat ``p``
    holds ``deck[2p], deck[2p+1]``, the board is ``deck[2P:2P+5]``."""
    board = deck[2 * num_players:2 * num_players + 5]
    lookup_players(preflop, flop, turn, river, deck[:2 * num_players].reshape(num_players, 2), board, buckets)
    for p in range(num_players):
        ranks[p] = evaluate_7(deck[2 * p], deck[2 * p + 1], board[0], board[1], board[2], board[3], board[4])


@njit(cache=True, nogil=True)
def terminal_value(contrib: np.ndarray, live: int, ranks: np.ndarray, player: int) -> float:
    """Net chips of ``player`` at a terminal: pots formed by the contribution levels of ``contrib``
    (int32 ``(P,)``), each shared by the best-ranked live seats (bitmask ``live``) that reached it."""
    c_player = contrib[player]
    if not (live >> player) & 1:
        return -float(c_player)
    num_players = contrib.shape[0]
    won = 0.0
    previous = 0
    while True:
        level = 2147483647
        for s in range(num_players):
            if previous < contrib[s] < level:
                level = contrib[s]
        if level == 2147483647 or level > c_player:
            break
        count = 0
        best = -1
        winners = 0
        for s in range(num_players):
            if contrib[s] >= level:
                count += 1
                if (live >> s) & 1:
                    if ranks[s] > best:
                        best = ranks[s]
                        winners = 1
                    elif ranks[s] == best:
                        winners += 1
        if ranks[player] == best:
            won += (level - previous) * count / winners
        previous = level
    return won - c_player


@njit(inline="always")
def _block(node_offset, node, size, pool_next, pool_end, worker) -> int:
    """Start of ``node``'s block, allocating ``size`` entries from the worker's segment on first
    visit; -1 when the segment is full."""
    base = node_offset[node]
    if base >= 0:
        return base
    base = pool_next[worker]
    if base + size > pool_end[worker]:
        return -1
    pool_next[worker] = base + size
    node_offset[node] = base
    return base


@njit(cache=True, nogil=True)
def _traverse(tree: TreeArrays, tables: TableArrays, player: int, buckets: np.ndarray, ranks: np.ndarray,
              worker: int, rng: np.ndarray, frames: Frames, prune: bool, threshold: float, floor: float,
              stop: np.ndarray):
    """One external-sampling traversal for ``player`` on the deal with buckets (int64 ``(P, 4)``) and
    hand ranks (int64 ``(P,)``); returns ``(root value, nodes visited)``.  Opponents sample one action
    from their current strategy (added to the strategy sum where kept)."""
    node_offset, regrets, avg_offset, strategy_sum = tables.node_offset, tables.regrets, tables.avg_offset, \
        tables.strategy_sum
    f_node, f_action, f_explored, f_prune, f_off, strategy, values = frames
    sp = 0
    node = 0
    visits = 0
    value = 0.0
    while True:
        while True:  # descend to a terminal
            visits += 1
            if tree.node_kind[node] != DECISION:
                t = tree.node_terminal[node]
                value = terminal_value(tree.terminal_contrib[t], tree.terminal_live[t], ranks, player)
                break
            p = tree.node_player[node]
            s = tree.node_street[node]
            k = np.int64(tree.node_num_children[node])
            first = np.int64(tree.node_first_child[node])
            base = _block(node_offset, node, tables.num_buckets[s] * k, tables.pool_next, tables.pool_end, worker)
            if base < 0:
                stop[0] = STOP_POOL_FULL
                return 0.0, visits
            b = buckets[p, s]
            off = base + b * k
            sigma = strategy[sp]
            regret_matching(regrets, off, k, sigma)
            if p != player:
                avg = avg_offset[node]
                if avg >= 0:
                    avg += b * k
                    for a in range(k):
                        strategy_sum[avg + a] += sigma[a]
                node = first + sample_index(sigma, k, rng)
                continue
            pr = prune and s != RIVER
            a = next_action(regrets, off, k, -1, pr, threshold, tree.node_kind, first, TERMINAL)
            if a == k:
                a = 0
                pr = False
            f_node[sp] = node
            f_action[sp] = a
            f_explored[sp] = 1 << a
            f_prune[sp] = pr
            f_off[sp] = off
            sp += 1
            node = first + a
        while True:  # hand the value up; explore the next action or finish the frame
            if sp == 0:
                return value, visits
            top = sp - 1
            parent = f_node[top]
            first = np.int64(tree.node_first_child[parent])
            k = np.int64(tree.node_num_children[parent])
            off = f_off[top]
            values[top, f_action[top]] = value
            a = next_action(regrets, off, k, f_action[top], f_prune[top], threshold, tree.node_kind, first,
                            TERMINAL)
            if a < k:
                f_action[top] = a
                f_explored[top] |= 1 << a
                node = first + a
                break
            explored = f_explored[top]
            value = 0.0
            for a in range(k):
                if (explored >> a) & 1:
                    value += strategy[top, a] * values[top, a]
            for a in range(k):
                if (explored >> a) & 1:
                    store_regret(regrets, off + a, regrets[off + a] + (values[top, a] - value), floor, True)
            sp -= 1


@njit(cache=True, nogil=True)
def run_iterations(tree: TreeArrays, max_depth: int, tables: TableArrays, bucket_arrays, worker: int,
                   rng: np.ndarray, iterations: int, prune_probability: float, threshold: float, floor: float,
                   stop: np.ndarray, visits: np.ndarray) -> int:
    """Run up to ``iterations`` iterations as worker ``worker`` (RNG row ``rng``, uint64 ``(4,)``) with
    the buckets file's four arrays ``bucket_arrays``, each pruning with probability
    ``prune_probability``; adds the nodes visited to ``visits[worker]`` and returns the iterations done."""
    preflop, flop, turn, river = bucket_arrays
    num_players = tree.terminal_contrib.shape[1]
    deck = np.arange(NUM_CARDS, dtype=np.int64)
    buckets = np.zeros((num_players, 4), dtype=np.int64)
    ranks = np.zeros(num_players, dtype=np.int64)
    frames = new_frames(max_depth, np.int64(tree.node_num_children.max()))
    count = 0
    for it in range(iterations):
        if stop[0] != 0:
            return it
        prune = prune_probability > 0.0 and uniform(rng) < prune_probability
        for player in range(num_players):
            _deal(rng, deck, 2 * num_players + 5)
            _observe(preflop, flop, turn, river, deck, num_players, buckets, ranks)
            _, n = _traverse(tree, tables, player, buckets, ranks, worker, rng, frames, prune, threshold, floor,
                             stop)
            count += n
        if stop[0] == STOP_POOL_FULL:
            visits[worker] += count
            return it
    visits[worker] += count
    return iterations


@njit(cache=True, nogil=True)
def table_stats(tree: TreeArrays, num_buckets: np.ndarray, node_offset: np.ndarray,
                regrets: np.ndarray) -> np.ndarray:
    """Per street (rows 0..3): infosets touched (some nonzero regret), their summed positive regret,
    and the summed entropy (nats) of their current strategies.  float64 ``(4, 3)``."""
    out = np.zeros((4, 3))
    for node in range(node_offset.shape[0]):
        base = node_offset[node]
        if base < 0:
            continue
        s = tree.node_street[node]
        k = np.int64(tree.node_num_children[node])
        for b in range(num_buckets[s]):
            off = base + b * k
            total = 0.0
            touched = False
            for a in range(k):
                r = regrets[off + a]
                if r != 0:
                    touched = True
                if r > 0:
                    total += r
            if not touched:
                continue
            entropy = np.log(k)
            if total > 0.0:
                entropy = 0.0
                for a in range(k):
                    r = regrets[off + a]
                    if r > 0:
                        q = r / total
                        entropy -= q * np.log(q)
            out[s, 0] += 1.0
            out[s, 1] += total
            out[s, 2] += entropy
    return out


@njit(cache=True, nogil=True)
def compact(tree: TreeArrays, num_buckets: np.ndarray, node_offset: np.ndarray, table: np.ndarray):
    """The allocated blocks of ``table`` packed in node order: ``(offsets, packed)`` with offsets
    int64 ``(N,)`` (-1 for unallocated nodes) into ``packed`` (same dtype as ``table``)."""
    offsets = np.full(node_offset.shape[0], -1, dtype=np.int64)
    total = 0
    for node in range(node_offset.shape[0]):
        if node_offset[node] >= 0:
            offsets[node] = total
            total += num_buckets[tree.node_street[node]] * np.int64(tree.node_num_children[node])
    packed = np.empty(total, dtype=table.dtype)
    for node in range(node_offset.shape[0]):
        if node_offset[node] >= 0:
            size = num_buckets[tree.node_street[node]] * np.int64(tree.node_num_children[node])
            packed[offsets[node]:offsets[node] + size] = table[node_offset[node]:node_offset[node] + size]
    return offsets, packed
