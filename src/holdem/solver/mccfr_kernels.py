"""Monte Carlo CFR kernels (Lanctot et al. 2009) over a compiled tree, one worker per call.

- External sampling: the traverser explores all of its actions, chance and the opponents are
  sampled (their current strategies added to the strategy sums), with optional negative-regret
  pruning as in Pluribus (Brown & Sandholm 2019).
- Outcome sampling: one trajectory per traversal, epsilon-exploration at the traverser's nodes,
  importance-weighted regrets and stochastically-weighted average strategy.

Every kernel reads and writes one shared set of tables without locks and draws from its own
xoshiro256** state; a nonzero ``stop`` (int64 ``(1,)``) ends the call between iterations.  Regrets
are in table units of ``scale`` per utility unit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.games.base import CHANCE_PLAYER, TERMINAL_PLAYER
from holdem.games.compiled import FlatTree

from .regret import next_action, regret_matching, store_regret
from .rng import sample_index, uniform


@njit(inline="always")
def _pruned(tree: FlatTree, regrets: np.ndarray, index: int, child: int, threshold: float) -> bool:
    return regrets[index] < threshold and tree.node_player[child] != TERMINAL_PLAYER


@njit(cache=True, nogil=True)
def _es_traverse(tree: FlatTree, player: int, regrets: np.ndarray, strategy_sum: np.ndarray,
                 rng: np.ndarray, frame_node: np.ndarray, frame_action: np.ndarray,
                 frame_prune: np.ndarray, strategy: np.ndarray, values: np.ndarray, prune: bool,
                 threshold: float, floor: float, scale: float, integer: bool) -> float:
    """One external-sampling traversal for ``player``; returns the root's sampled value.  Only the
    traverser's nodes need a frame (node, action explored, whether it prunes; strategy and action
    values in rows of the float64 ``(D, M)`` scratch arrays)."""
    sp = 0
    node = 0
    while True:
        while True:  # descend to a terminal, pushing a frame at each of the traverser's nodes
            p = tree.node_player[node]
            if p == TERMINAL_PLAYER:
                value = tree.node_utility[node, player]
                break
            first = tree.node_first_child[node]
            k = tree.node_num_children[node]
            if p == CHANCE_PLAYER:
                node = first + sample_index(tree.node_chance_prob[first:], k, rng)
                continue
            offset = tree.infoset_offset[tree.node_infoset[node]]
            sigma = strategy[sp]
            regret_matching(regrets, offset, k, sigma)
            if p != player:
                for a in range(k):
                    strategy_sum[offset + a] += sigma[a]
                node = first + sample_index(sigma, k, rng)
                continue
            a = next_action(regrets, offset, k, -1, prune, threshold, tree.node_player, first, TERMINAL_PLAYER)
            frame_prune[sp] = prune and a < k
            if a == k:
                a = 0
            frame_node[sp] = node
            frame_action[sp] = a
            sp += 1
            node = first + a
        while True:  # hand the value up; move to the next unexplored action or pop the frame
            if sp == 0:
                return value
            top = sp - 1
            parent = frame_node[top]
            first = tree.node_first_child[parent]
            k = tree.node_num_children[parent]
            offset = tree.infoset_offset[tree.node_infoset[parent]]
            values[top, frame_action[top]] = value
            a = next_action(regrets, offset, k, frame_action[top], frame_prune[top], threshold, tree.node_player,
                            first, TERMINAL_PLAYER)
            if a < k:
                frame_action[top] = a
                node = first + a
                break
            value = 0.0
            for a in range(k):
                if not (frame_prune[top] and _pruned(tree, regrets, offset + a, first + a, threshold)):
                    value += strategy[top, a] * values[top, a]
            for a in range(k):
                if not (frame_prune[top] and _pruned(tree, regrets, offset + a, first + a, threshold)):
                    store_regret(regrets, offset + a, regrets[offset + a] + scale * (values[top, a] - value),
                                 floor, integer)
            sp -= 1


@njit(cache=True, nogil=True)
def external_sampling(tree: FlatTree, regrets: np.ndarray, strategy_sum: np.ndarray, rng: np.ndarray,
                      iterations: int, prune_probability: float, threshold: float, floor: float,
                      scale: float, integer: bool, stop: np.ndarray) -> int:
    """Run up to ``iterations`` external-sampling iterations on ``regrets`` (float64 or int32 ``(A,)``)
    and ``strategy_sum`` (float64 ``(A,)``) with RNG row ``rng`` (uint64 ``(4,)``), each pruning with
    probability ``prune_probability``; returns the iterations completed."""
    depth = tree.depth_offsets.shape[0]
    width = tree.node_num_children.max()
    frame_node = np.empty(depth, dtype=np.int64)
    frame_action = np.empty(depth, dtype=np.int64)
    frame_prune = np.empty(depth, dtype=np.bool_)
    strategy = np.empty((depth, width))
    values = np.empty((depth, width))
    for it in range(iterations):
        if stop[0] != 0:
            return it
        prune = prune_probability > 0.0 and uniform(rng) < prune_probability
        for player in range(tree.node_utility.shape[1]):
            _es_traverse(tree, player, regrets, strategy_sum, rng, frame_node, frame_action, frame_prune,
                         strategy, values, prune, threshold, floor, scale, integer)
    return iterations


@njit(cache=True, nogil=True)
def _os_traverse(tree: FlatTree, player: int, regrets: np.ndarray, strategy_sum: np.ndarray,
                 rng: np.ndarray, frame_node: np.ndarray, frame_action: np.ndarray,
                 frame_reach: np.ndarray, strategy: np.ndarray, epsilon: float, floor: float,
                 scale: float, integer: bool) -> float:
    """One outcome-sampling traversal for ``player``; returns the root's sampled value.  Samples one
    trajectory, keeping a frame per traverser node (node, sampled action, reaches of the traverser,
    of chance and the opponents, and of the sampling policy: float64 ``(D, 3)``), then updates them."""
    sp = 0
    node = 0
    my_reach = opp_reach = sample_reach = 1.0
    while tree.node_player[node] != TERMINAL_PLAYER:
        p = tree.node_player[node]
        first = tree.node_first_child[node]
        k = tree.node_num_children[node]
        if p == CHANCE_PLAYER:
            c = sample_index(tree.node_chance_prob[first:], k, rng)
            node = first + c
            continue
        offset = tree.infoset_offset[tree.node_infoset[node]]
        sigma = strategy[sp]
        regret_matching(regrets, offset, k, sigma)
        if p != player:
            c = sample_index(sigma, k, rng)
            opp_reach *= sigma[c]
            node = first + c
            continue
        u = uniform(rng)
        c = k - 1
        acc = 0.0
        for a in range(k - 1):
            acc += epsilon / k + (1.0 - epsilon) * sigma[a]
            if u < acc:
                c = a
                break
        frame_node[sp] = node
        frame_action[sp] = c
        frame_reach[sp, 0] = my_reach
        frame_reach[sp, 1] = opp_reach
        frame_reach[sp, 2] = sample_reach
        sp += 1
        my_reach *= sigma[c]
        sample_reach *= epsilon / k + (1.0 - epsilon) * sigma[c]
        node = first + c
    value = tree.node_utility[node, player]
    for top in range(sp - 1, -1, -1):
        node = frame_node[top]
        c = frame_action[top]
        k = tree.node_num_children[node]
        offset = tree.infoset_offset[tree.node_infoset[node]]
        sigma = strategy[top]
        sampled_value = value / (epsilon / k + (1.0 - epsilon) * sigma[c])
        value = sigma[c] * sampled_value
        weight = frame_reach[top, 1] / frame_reach[top, 2]
        for a in range(k):
            regret = ((sampled_value if a == c else 0.0) - value) * weight
            store_regret(regrets, offset + a, regrets[offset + a] + scale * regret, floor, integer)
            strategy_sum[offset + a] += frame_reach[top, 0] * sigma[a] / frame_reach[top, 2]
    return value


@njit(cache=True, nogil=True)
def outcome_sampling(tree: FlatTree, regrets: np.ndarray, strategy_sum: np.ndarray, rng: np.ndarray,
                     iterations: int, epsilon: float, floor: float, scale: float, integer: bool,
                     stop: np.ndarray) -> int:
    """Run up to ``iterations`` outcome-sampling iterations with exploration ``epsilon``, tables and RNG
    as in :func:`external_sampling`; returns the iterations completed."""
    depth = tree.depth_offsets.shape[0]
    width = tree.node_num_children.max()
    frame_node = np.empty(depth, dtype=np.int64)
    frame_action = np.empty(depth, dtype=np.int64)
    frame_reach = np.empty((depth, 3))
    strategy = np.empty((depth, width))
    for it in range(iterations):
        if stop[0] != 0:
            return it
        for player in range(tree.node_utility.shape[1]):
            _os_traverse(tree, player, regrets, strategy_sum, rng, frame_node, frame_action, frame_reach,
                         strategy, epsilon, floor, scale, integer)
    return iterations
