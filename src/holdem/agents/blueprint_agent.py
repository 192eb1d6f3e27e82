"""The blueprint agent: plays a trained blueprint's action probabilities, sampled with its own RNG.

A blueprint answers from its card abstraction, so its mixed action depends on the cards only
through the hand's bucket, and on the rest of the view only through the table rules and the
betting so far.  The agent therefore memoizes answers by ``(rules, actions, bucket)`` (exact,
not an approximation) and, asked for the likelihoods of 1326 hands (local best response),
computes their buckets in one numba kernel (:func:`bucket_rows`) and asks the blueprint once
per distinct bucket.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
from numba import njit

from holdem.abstraction.buckets import lookup
from holdem.agents.base import Distribution, PolicyAgent, normalize, probability_of
from holdem.agents.view import Decision, SeatView
from holdem.blueprint import Blueprint

_CACHE_LIMIT = 200_000


class Buckets(Protocol):
    """What the agent needs of a card abstraction; an ``arrays`` attribute (the index -> bucket
    tables of :class:`holdem.abstraction.buckets.Buckets`) enables the batch kernel."""

    def bucket(self, street: int, hole, board) -> int: ...


@njit(cache=True, nogil=True)
def bucket_rows(preflop, flop, turn, river, holes, board, n_board):
    """Bucket (K,) int64 of every row of ``holes`` (K, 2) int64 with the first ``n_board`` cards of
    ``board`` (int64 (5,)); the four arrays are a buckets file's index -> bucket tables."""
    out = np.empty(holes.shape[0], np.int64)
    for k in range(holes.shape[0]):
        out[k] = lookup(preflop, flop, turn, river, holes[k, 0], holes[k, 1], board, n_board)
    return out


class Policy(Protocol):
    """What the agent needs of a blueprint."""

    buckets: Buckets

    def action_probabilities(self, view: SeatView) -> Distribution: ...


class BlueprintAgent(PolicyAgent):
    """Samples ``blueprint.action_probabilities(view)`` with the agent's seeded RNG."""

    name = "blueprint"

    def __init__(self, blueprint: Policy, seed: int = 0, name: str = "blueprint") -> None:
        super().__init__(seed)
        self.blueprint = blueprint
        self.name = name
        self._cache: dict[tuple, Distribution] = {}

    @classmethod
    def load(cls, path: str | Path, seed: int = 0, name: str | None = None) -> BlueprintAgent:
        """Load a blueprint file or a run directory (its final blueprint) with ``holdem.blueprint``."""
        return cls(Blueprint.load(path), seed, name or Path(path).name)

    def _bucket(self, view: SeatView) -> int:
        return self.blueprint.buckets.bucket(int(view.street), view.hole, view.board)

    def _answer(self, view: SeatView, bucket: int) -> Distribution:
        key = (view.rules, view.actions, bucket)
        answer = self._cache.get(key)
        if answer is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            answer = self._cache[key] = self.blueprint.action_probabilities(view)
        return answer

    def action_probabilities(self, view: SeatView) -> Distribution:
        return self._answer(view, self._bucket(view))

    def _buckets_of(self, view: SeatView, holes: np.ndarray) -> np.ndarray:
        """Buckets (K,) int64 of ``holes`` (K, 2) at ``view``'s street and board."""
        arrays = getattr(self.blueprint.buckets, "arrays", None)
        if arrays is None:  # a card abstraction without index tables: one call per row
            return np.array([self._bucket(view._replace(hole=(int(a), int(b)))) for a, b in holes], np.int64)
        board = np.zeros(5, np.int64)
        board[: len(view.board)] = view.board
        return bucket_rows(*arrays, holes, board, len(view.board))

    def likelihoods(self, view: SeatView, decision: Decision, holes: np.ndarray) -> np.ndarray:
        """(K,) float64 over ``holes`` (K, 2) int64, one blueprint query per distinct bucket."""
        target = normalize(decision, view.legal)
        buckets = self._buckets_of(view, holes)
        distinct, first, inverse = np.unique(buckets, return_index=True, return_inverse=True)
        p = np.empty(len(distinct))
        for j, (bucket, k) in enumerate(zip(distinct.tolist(), first.tolist())):
            hand_view = view._replace(hole=(int(holes[k, 0]), int(holes[k, 1])))
            p[j] = probability_of(self._answer(hand_view, bucket), target, view.legal)
        return p[inverse]
