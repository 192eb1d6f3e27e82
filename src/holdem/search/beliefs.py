"""Beliefs: each player's range over the 1,326 hole-card pairs at the start of the current street.

Ranges follow the real history by Bayes' rule (as in Pluribus and DeepStack): every seat starts
uniform over the pairs the board does not block, and each action multiplies the acting seat's
range by the probability that its policy takes that action with each pair (the blueprint's, or
the searcher's own strategy of an earlier search for its own actions).  Likelihoods are floored
at :data:`FLOOR`, so an action the policy never takes (an opponent off the blueprint) leaves a
range shaped by the earlier actions instead of an empty one.  Card removal between the players'
hands is the solver's business; here only the board removes pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from holdem.agents.base import decision_of
from holdem.agents.equity import HOLE_MASKS, HOLES
from holdem.agents.view import Decision, SeatView
from holdem.cards import mask_of
from holdem.engine import Action, Deal, State

#: smallest likelihood an observed action can give a pair
FLOOR = 1e-3

#: ``likelihood(index, view, decision, holes)``: probability (K,) float64 that the seat acting in
#: ``view`` (the hand's ``index``-th action) takes ``decision`` holding each row of ``holes`` (K, 2)
Likelihood = Callable[[int, SeatView, Decision, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class StreetStart:
    """The public state at the start of ``view``'s street: an engine ``state`` (the real rules,
    stacks and pot; the view's board, other cards arbitrary), each seat's ``ranges`` (float64
    ``(P, 1326)``, summing to 1 per seat) and the ``actions`` taken on this street so far."""

    state: State
    ranges: np.ndarray
    actions: tuple[Action, ...]


def street_start(view: SeatView, likelihood: Likelihood) -> StreetStart:
    """Bayes through every action of ``view``'s history before the current street."""
    n = view.rules.num_players
    state = State(view.rules, Deal.shuffled(n, seed=0, board=view.board))
    rows = np.flatnonzero((HOLE_MASKS & mask_of(view.board)) == 0)
    ranges = np.zeros((n, len(HOLES)))
    ranges[:, rows] = 1.0
    first = next((i for i, a in enumerate(view.actions) if a.street == view.street), len(view.actions))
    for index, action in enumerate(view.actions[:first]):
        seen = SeatView.of(state)
        ranges[action.seat, rows] *= np.maximum(likelihood(index, seen, decision_of(action), HOLES[rows]), FLOOR)
        state.apply(action)
    ranges /= ranges.sum(axis=1, keepdims=True)
    return StreetStart(state, ranges, tuple(view.actions[first:]))
