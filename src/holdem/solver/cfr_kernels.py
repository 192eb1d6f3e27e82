"""Full-tree ("vector") CFR kernels with alternating updates over a compiled tree.

One parameterisation covers CFR (Zinkevich et al. 2007; uniform averaging, ``gamma = 0``), CFR+
(Tammelin 2014; regrets floored at zero, ``gamma = 1``) and linear and discounted CFR (Brown &
Sandholm 2019): before iteration ``t`` adds its regrets, positive and negative cumulative regrets
are multiplied by ``s^alpha / (s^alpha + 1)`` and ``s^beta / (s^beta + 1)`` (``s = t - 1``), and
iteration ``t``'s strategy enters the average with weight ``t^gamma``.  Values are counterfactual
(weighted by the reach of chance and the opponents), so regrets need no further weighting.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.games.base import CHANCE_PLAYER, TERMINAL_PLAYER
from holdem.games.compiled import FlatTree

from .regret import regret_matching


@njit(cache=True, nogil=True)
def _forward_reach(tree: FlatTree, strategy: np.ndarray, player: int, reach_self: np.ndarray,
                   reach_opp: np.ndarray, infoset_reach: np.ndarray) -> None:
    """Reach of ``player`` and of chance-and-opponents to every node; ``player``'s reach per infoset."""
    reach_self[0] = 1.0
    reach_opp[0] = 1.0
    for n in range(tree.node_player.shape[0]):
        p = tree.node_player[n]
        if p == TERMINAL_PLAYER:
            continue
        first = tree.node_first_child[n]
        k = tree.node_num_children[n]
        if p == CHANCE_PLAYER:
            for c in range(k):
                reach_self[first + c] = reach_self[n]
                reach_opp[first + c] = reach_opp[n] * tree.node_chance_prob[first + c]
            continue
        infoset = tree.node_infoset[n]
        offset = tree.infoset_offset[infoset]
        if p == player:
            infoset_reach[infoset] = reach_self[n]
            for c in range(k):
                reach_self[first + c] = reach_self[n] * strategy[offset + c]
                reach_opp[first + c] = reach_opp[n]
        else:
            for c in range(k):
                reach_self[first + c] = reach_self[n]
                reach_opp[first + c] = reach_opp[n] * strategy[offset + c]


@njit(cache=True, nogil=True)
def _backward_regrets(tree: FlatTree, strategy: np.ndarray, player: int, reach_opp: np.ndarray,
                      value: np.ndarray, instant: np.ndarray) -> None:
    """Counterfactual values of every node, children first; adds ``player``'s instantaneous
    regrets into ``instant`` (float64 ``(A,)``)."""
    for n in range(tree.node_player.shape[0] - 1, -1, -1):
        p = tree.node_player[n]
        first = tree.node_first_child[n]
        k = tree.node_num_children[n]
        if p == TERMINAL_PLAYER:
            value[n] = reach_opp[n] * tree.node_utility[n, player]
        elif p == player:
            offset = tree.infoset_offset[tree.node_infoset[n]]
            v = 0.0
            for c in range(k):
                v += strategy[offset + c] * value[first + c]
            value[n] = v
            for c in range(k):
                instant[offset + c] += value[first + c] - v
        else:
            value[n] = value[first:first + k].sum()


@njit(cache=True, nogil=True)
def cfr_iterations(tree: FlatTree, regrets: np.ndarray, strategy_sum: np.ndarray, start: int,
                   iterations: int, discount_regrets: bool, alpha: float, beta: float, gamma: float,
                   plus: bool) -> None:
    """Run ``iterations`` CFR iterations numbered ``start + 1 ..`` on float64 ``(A,)`` tables, each
    updating every player in turn against the others' latest strategies."""
    num_nodes = tree.node_player.shape[0]
    num_infosets = tree.infoset_player.shape[0]
    reach_self = np.empty(num_nodes)
    reach_opp = np.empty(num_nodes)
    value = np.empty(num_nodes)
    infoset_reach = np.zeros(num_infosets)
    instant = np.zeros(regrets.shape[0])
    strategy = np.empty(regrets.shape[0])
    for i in range(num_infosets):
        offset = tree.infoset_offset[i]
        regret_matching(regrets, offset, tree.infoset_num_actions[i], strategy[offset:])
    for it in range(iterations):
        t = float(start + it + 1)
        s = t - 1.0
        pos_factor = s ** alpha / (s ** alpha + 1.0) if discount_regrets else 1.0
        neg_factor = s ** beta / (s ** beta + 1.0) if discount_regrets else 1.0
        weight = t ** gamma
        for player in range(tree.node_utility.shape[1]):
            _forward_reach(tree, strategy, player, reach_self, reach_opp, infoset_reach)
            _backward_regrets(tree, strategy, player, reach_opp, value, instant)
            for i in range(num_infosets):
                if tree.infoset_player[i] != player:
                    continue
                offset = tree.infoset_offset[i]
                k = tree.infoset_num_actions[i]
                for a in range(offset, offset + k):
                    r = regrets[a]
                    r = r * (pos_factor if r > 0.0 else neg_factor) + instant[a]
                    regrets[a] = 0.0 if plus and r < 0.0 else r
                    instant[a] = 0.0
                    strategy_sum[a] += weight * infoset_reach[i] * strategy[a]
                regret_matching(regrets, offset, k, strategy[offset:])
