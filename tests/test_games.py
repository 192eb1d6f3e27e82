"""Kuhn and Leduc against OpenSpiel's rules, history by history, and the compiled tree's layout."""

from __future__ import annotations

import numpy as np
import pyspiel
import pytest

from holdem.games import CHANCE_PLAYER, TERMINAL_PLAYER, GAMES, compile_game, load_tree
from openspiel_helpers import OPENSPIEL_NAMES


def _walk_together(game, state, os_state, seen):
    """Compare our state with OpenSpiel's at every history below them; count histories."""
    seen[0] += 1
    player = game.current_player(state)
    if os_state.is_terminal():
        assert player == TERMINAL_PLAYER
        assert tuple(game.returns(state)) == tuple(os_state.returns())
        return
    if os_state.is_chance_node():
        assert player == CHANCE_PLAYER
        outcomes = game.chance_outcomes(state)
        assert [a for a, _ in outcomes] == [a for a, _ in os_state.chance_outcomes()]
        np.testing.assert_allclose([p for _, p in outcomes], [p for _, p in os_state.chance_outcomes()])
        actions = [a for a, _ in outcomes]
    else:
        assert player == os_state.current_player()
        actions = list(game.legal_actions(state))
        assert actions == os_state.legal_actions()
        assert game.infoset_key(state) == os_state.information_state_string(player)
    for action in actions:
        _walk_together(game, game.apply(state, action), os_state.child(action), seen)


@pytest.mark.parametrize("name", sorted(GAMES))
def test_rules_match_openspiel(name):
    game = GAMES[name]()
    seen = [0]
    _walk_together(game, game.initial_state(), pyspiel.load_game(OPENSPIEL_NAMES[name]).new_initial_state(), seen)
    assert seen[0] == load_tree(name).num_nodes


@pytest.mark.parametrize("name, nodes, infosets, actions", [("kuhn", 58, 12, 24), ("leduc", 9457, 936, 2184)])
def test_tree_sizes(name, nodes, infosets, actions):
    tree = load_tree(name)
    assert (tree.num_nodes, tree.num_infosets, tree.num_actions) == (nodes, infosets, actions)


@pytest.mark.parametrize("name", sorted(GAMES))
def test_tree_layout(name):
    tree = load_tree(name)
    t = tree.arrays
    inner = t.node_player != TERMINAL_PLAYER
    # children are contiguous, after their parent, and every node but the root has one parent
    assert np.all(t.node_first_child[inner] > np.flatnonzero(inner))
    assert t.node_num_children[inner].sum() == tree.num_nodes - 1
    assert np.all(t.node_num_children[~inner] == 0)
    # chance probabilities sum to one below every chance node
    for n in np.flatnonzero(t.node_player == CHANCE_PLAYER):
        first = t.node_first_child[n]
        assert t.node_chance_prob[first:first + t.node_num_children[n]].sum() == pytest.approx(1.0)
    # player nodes agree with their infoset; zero-sum utilities at terminals
    players = np.flatnonzero(t.node_player >= 0)
    assert np.all(t.infoset_player[t.node_infoset[players]] == t.node_player[players])
    assert np.all(t.infoset_num_actions[t.node_infoset[players]] == t.node_num_children[players])
    assert np.all(t.node_infoset[t.node_player < 0] == -1)
    np.testing.assert_allclose(t.node_utility.sum(axis=1), 0.0)
    assert list(np.diff(t.infoset_offset)) == list(t.infoset_num_actions)
    assert len(set(tree.infoset_keys)) == tree.num_infosets


def test_infoset_depth_mismatch_rejected():
    class Bad:
        """One infoset key shared by nodes at different depths."""

        name, num_players = "bad", 2

        def initial_state(self):
            return ""

        def current_player(self, s):
            return TERMINAL_PLAYER if len(s) == 2 or s == "1" else 0

        def legal_actions(self, s):
            return (0, 1)

        def apply(self, s, a):
            return s + str(a)

        def returns(self, s):
            return (0.0, 0.0)

        def infoset_key(self, s):
            return "same"

    with pytest.raises(ValueError, match="differ"):
        compile_game(Bad())
