"""Test-only bridges to OpenSpiel: policy conversion and exploitability of our policies."""

from __future__ import annotations

import numpy as np
import pyspiel
from open_spiel.python import policy as openspiel_policy
from open_spiel.python.algorithms import exploitability as openspiel_exploitability

from holdem.games import GameTree

OPENSPIEL_NAMES = {"kuhn": "kuhn_poker", "leduc": "leduc_poker"}


def openspiel_game(tree: GameTree) -> pyspiel.Game:
    return pyspiel.load_game(OPENSPIEL_NAMES[tree.name])


def to_tabular_policy(tree: GameTree, policy: np.ndarray) -> openspiel_policy.TabularPolicy:
    """OpenSpiel ``TabularPolicy`` equal to our flat ``policy``; every infoset key must match."""
    tabular = openspiel_policy.TabularPolicy(openspiel_game(tree))
    index = tree.infoset_index()
    assert len(index) == len(tabular.state_lookup), "infoset counts differ"
    tabular.action_probability_array[:] = 0.0
    for key, row in tabular.state_lookup.items():
        i = index[key]
        offset = tree.arrays.infoset_offset[i]
        for j, action in enumerate(tree.infoset_actions[i]):
            tabular.action_probability_array[row, action] = policy[offset + j]
    return tabular


def openspiel_nash_conv(tree: GameTree, policy: np.ndarray) -> float:
    """``pyspiel`` NashConv of our policy, via its tabular conversion."""
    return openspiel_exploitability.nash_conv(openspiel_game(tree), to_tabular_policy(tree, policy))


def openspiel_exploitability_of(tree: GameTree, policy: np.ndarray) -> float:
    """OpenSpiel's C++ ``pyspiel.exploitability`` of our policy (legal actions only in the table)."""
    table = {}
    for i, key in enumerate(tree.infoset_keys):
        offset = tree.arrays.infoset_offset[i]
        table[key] = [(a, float(policy[offset + j])) for j, a in enumerate(tree.infoset_actions[i])]
    return pyspiel.exploitability(openspiel_game(tree), pyspiel.TabularPolicy(table))
