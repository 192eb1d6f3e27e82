"""Safe re-solving in hold'em: the resolve gadget's values from the blueprint played in a subgame.

The gadget (:class:`~holdem.search.solver.Gadget`) needs, for each opponent hand, the value his
best response earns at the subgame's root against the searcher's blueprint.  The blueprint's
betting differs from the subgame's search sizes, so its strategy is read at every node of the
searcher in the subgame through the blueprint agent's translation (each subgame action's
probability, renormalised per hand over the node's actions), and the opponent's best response
is computed exactly against it by the range solver (:meth:`RangeSolver.best_response`).  In a
depth-limited subgame (the flop, or the turn ended at the river) the searcher keeps the
blueprint's own continuation at every leaf while the opponent picks his best one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from holdem.agents.equity import HOLE_MASKS, HOLES
from holdem.agents.view import Decision, SeatView
from holdem.cards import mask_of
from holdem.engine import State

from .depth_limit import BIASES
from .kernels import DECISION
from .public_tree import Subgame
from .solver import Gadget, LeafValues, RangeSolver

#: ``probability(view, decision, holes)``: the blueprint's probability (K,) float64 of ``decision``
#: at ``view`` with each row of ``holes`` (K, 2)
Probability = Callable[[SeatView, Decision, np.ndarray], np.ndarray]


def node_states(subgame: Subgame, root_state: State) -> dict[int, State]:
    """The engine state at every decision node of a one-street ``subgame`` (a river subgame, or a
    depth-limited one) whose root is ``root_state``, found by playing each child's decision."""
    states = {0: root_state}
    stack = [0]
    while stack:
        node = stack.pop()
        for child, decision in zip(subgame.children(node), subgame.decisions(node)):
            if subgame.tree.node_kind[child] == DECISION:
                state = states[node].copy()
                decision.apply(state)
                states[child] = state
                stack.append(child)
    return states


def node_strategy(probability: Probability, view: SeatView, decisions: list[Decision]) -> np.ndarray:
    """float64 ``(len(decisions), 1326)``: the probability (``probability``) of each of a subgame
    node's ``decisions`` at ``view`` with every hand the board leaves, renormalised over them
    (uniform where none of them is played, and for the hands holding a board card)."""
    rows = np.flatnonzero((HOLE_MASKS & mask_of(view.board)) == 0)
    strategy = np.full((len(decisions), len(HOLES)), 1.0 / len(decisions))
    found = np.stack([probability(view, d, HOLES[rows]) for d in decisions])
    total = found.sum(axis=0)
    strategy[:, rows] = np.where(total > 0, found / np.where(total > 0, total, 1.0), 1.0 / len(decisions))
    return strategy


def blueprint_gadget(subgame: Subgame, root_state: State, ranges: np.ndarray, searcher: int,
                     probability: Probability, leaves: LeafValues | None = None) -> Gadget:
    """The resolve gadget for re-solving ``searcher``'s strategy in a one-street ``subgame`` safely:
    the opponent's counterfactual best-response values against ``searcher`` playing the blueprint
    (``probability``) at every one of his nodes, and its own continuation at every depth-limit leaf
    (``leaves``, required when the subgame has some), at the root ``ranges`` (float64 ``(2, H)``)."""
    if subgame.tree.node_chance.max(initial=-1) >= 0:
        raise ValueError("the resolve gadget is built for one-street subgames; this one deals a card")
    blueprint = RangeSolver(subgame, ranges, leaves=leaves)
    for node, state in node_states(subgame, root_state).items():
        if subgame.tree.node_player[node] == searcher:
            blueprint.set_average_strategy(node, node_strategy(probability, SeatView.of(state),
                                                               subgame.decisions(node)))
    for leaf in range(subgame.num_leaves):
        own = np.zeros_like(blueprint.leaf_strategy(leaf, searcher))
        own[BIASES.index("blueprint")] = 1.0
        blueprint.set_leaf_strategy(leaf, searcher, own)
    return Gadget(searcher, blueprint.best_response(1 - searcher))
