"""Compile a :class:`~holdem.games.base.Game` into flat numpy arrays for the numba kernels.

Nodes are laid out breadth first with each node's children contiguous, so a child's index is
always greater than its parent's.  Information sets get dense ids in order of first appearance;
key strings and action ids stay in Python lists, outside the hot arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import CHANCE_PLAYER, TERMINAL_PLAYER, Game


class FlatTree(NamedTuple):
    """The arrays the kernels read (``N`` nodes, ``I`` infosets, ``A`` actions in all, ``P`` players).

    - ``node_player``: int32 ``(N,)``, acting player, ``CHANCE_PLAYER`` (-1) or ``TERMINAL_PLAYER`` (-2).
    - ``node_infoset``: int32 ``(N,)``, infoset id of a player node, -1 otherwise.
    - ``node_first_child``, ``node_num_children``: int32 ``(N,)``, children are
      ``first .. first + num - 1`` in the order of the legal (or chance) actions.
    - ``node_chance_prob``: float64 ``(N,)``, probability of the chance edge into the node
      (1.0 when the parent is not a chance node).
    - ``node_utility``: float64 ``(N, P)``, returns at terminal nodes, 0 elsewhere.
    - ``depth_offsets``: int32 ``(D + 1,)``, nodes of depth ``d`` are ``depth_offsets[d:d+2]``.
    - ``infoset_player``, ``infoset_num_actions``: int32 ``(I,)``.
    - ``infoset_offset``: int32 ``(I + 1,)``, start of each infoset's actions; last entry ``A``.
    """

    node_player: np.ndarray
    node_infoset: np.ndarray
    node_first_child: np.ndarray
    node_num_children: np.ndarray
    node_chance_prob: np.ndarray
    node_utility: np.ndarray
    depth_offsets: np.ndarray
    infoset_player: np.ndarray
    infoset_num_actions: np.ndarray
    infoset_offset: np.ndarray


@dataclass(frozen=True)
class GameTree:
    """A compiled game: flat arrays plus the infoset keys and action ids for conversions."""

    name: str
    num_players: int
    arrays: FlatTree
    infoset_keys: list[str]
    infoset_actions: list[tuple[int, ...]]

    @property
    def num_nodes(self) -> int:
        return len(self.arrays.node_player)

    @property
    def num_infosets(self) -> int:
        return len(self.infoset_keys)

    @property
    def num_actions(self) -> int:
        """Total number of (infoset, action) pairs: the length of every flat per-action table."""
        return int(self.arrays.infoset_offset[-1])

    def infoset_index(self) -> dict[str, int]:
        """Map from infoset key to infoset id."""
        return {key: i for i, key in enumerate(self.infoset_keys)}


def compile_game(game: Game) -> GameTree:
    """Enumerate every history of ``game`` breadth first into a :class:`GameTree`; ``ValueError`` if the
    nodes of one infoset differ in depth (the exact best response needs one level) or legal actions."""
    states = [game.initial_state()]
    depth = [0]
    player, infoset, first_child, num_children, chance_prob, utility = [], [], [], [], [1.0], []
    keys: dict[str, int] = {}
    infoset_player: list[int] = []
    infoset_actions: list[tuple[int, ...]] = []
    infoset_depth: list[int] = []
    i = 0
    while i < len(states):
        state = states[i]
        p = game.current_player(state)
        player.append(p)
        first_child.append(len(states))
        node_infoset = -1
        if p == TERMINAL_PLAYER:
            utility.append(tuple(game.returns(state)))
            edges: list[tuple[int, float]] = []
        else:
            utility.append((0.0,) * game.num_players)
            if p == CHANCE_PLAYER:
                edges = list(game.chance_outcomes(state))
            else:
                actions = tuple(game.legal_actions(state))
                edges = [(a, 1.0) for a in actions]
                key = game.infoset_key(state)
                node_infoset = keys.setdefault(key, len(keys))
                if node_infoset == len(infoset_actions):
                    infoset_player.append(p)
                    infoset_actions.append(actions)
                    infoset_depth.append(depth[i])
                elif infoset_actions[node_infoset] != actions or infoset_depth[node_infoset] != depth[i]:
                    raise ValueError(f"infoset {key!r}: nodes differ in legal actions or depth")
        infoset.append(node_infoset)
        num_children.append(len(edges))
        for action, prob in edges:
            states.append(game.apply(state, action))
            depth.append(depth[i] + 1)
            chance_prob.append(prob if p == CHANCE_PLAYER else 1.0)
        i += 1
    num_actions = np.array([len(a) for a in infoset_actions], dtype=np.int32)
    arrays = FlatTree(
        node_player=np.array(player, dtype=np.int32),
        node_infoset=np.array(infoset, dtype=np.int32),
        node_first_child=np.array(first_child, dtype=np.int32),
        node_num_children=np.array(num_children, dtype=np.int32),
        node_chance_prob=np.array(chance_prob, dtype=np.float64),
        node_utility=np.array(utility, dtype=np.float64).reshape(len(states), game.num_players),
        depth_offsets=np.searchsorted(np.array(depth), np.arange(max(depth) + 2)).astype(np.int32),
        infoset_player=np.array(infoset_player, dtype=np.int32),
        infoset_num_actions=num_actions,
        infoset_offset=np.concatenate(([0], np.cumsum(num_actions))).astype(np.int32),
    )
    return GameTree(game.name, game.num_players, arrays, list(keys), infoset_actions)
