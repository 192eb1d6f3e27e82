"""Beliefs: each player's range over the 1,326 hole-card pairs at the start of the current street.

Ranges follow the real history by Bayes' rule (as in Pluribus and DeepStack): every seat starts
uniform over the pairs the board does not block, and each action multiplies the acting seat's
range by the probability that its policy takes that action with each pair (the blueprint's, or
the searcher's own strategy of an earlier search for its own actions).  Likelihoods are floored,
so an action the policy never takes (an opponent off the blueprint) leaves a range shaped by the
earlier actions instead of an empty one: the seat of the view (the searcher, who knows his own
policy) at :data:`FLOOR`, every other seat at ``opponent_floor``.  A floor well above
:data:`FLOOR` makes the opponent's range robust to his not playing the blueprint: each of his
actions is read as the blueprint's with that much room for a deviation (the likelihood never
falls below the floor), so the hands the blueprint would have played otherwise stay in his range.
Card removal between the players' hands is the solver's business; here only the board removes
pairs.
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

#: smallest likelihood an observed action can give a pair (the searcher's own actions; the default
#: for the opponent's)
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


def street_start(view: SeatView, likelihood: Likelihood, opponent_floor: float = FLOOR,
                 exact: bool = False) -> StreetStart:
    """Bayes through every action of ``view``'s history before the current street, the likelihoods
    of the actions of seats other than ``view.seat`` floored at ``opponent_floor`` (0 < floor <= 1).

    ``exact``: no floor on any seat, and Bayes through the current street's actions too, so that the
    ranges are those at ``view`` itself (for seats known to play the policies ``likelihood`` gives,
    as in :mod:`holdem.eval.river`); ``state`` and ``actions`` are still the street start's."""
    if not 0.0 < opponent_floor <= 1.0:
        raise ValueError(f"opponent_floor must be in (0, 1], got {opponent_floor}")
    n = view.rules.num_players
    state = State(view.rules, Deal.shuffled(n, seed=0, board=view.board))
    rows = np.flatnonzero((HOLE_MASKS & mask_of(view.board)) == 0)
    ranges = np.zeros((n, len(HOLES)))
    ranges[:, rows] = 1.0
    first = next((i for i, a in enumerate(view.actions) if a.street == view.street), len(view.actions))
    start = state
    for index, action in enumerate(view.actions if exact else view.actions[:first]):
        if index == first:
            start = state.copy()
        seen = SeatView.of(state)
        floor = 0.0 if exact else FLOOR if action.seat == view.seat else opponent_floor
        ranges[action.seat, rows] *= np.maximum(likelihood(index, seen, decision_of(action), HOLES[rows]), floor)
        state.apply(action)
    ranges /= ranges.sum(axis=1, keepdims=True)
    return StreetStart(start if exact else state, ranges, tuple(view.actions[first:]))
