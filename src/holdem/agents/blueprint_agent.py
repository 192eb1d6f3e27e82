"""The blueprint agent: plays a trained blueprint's action probabilities, sampled with its own RNG.

A blueprint answers from its card abstraction, so its mixed action depends on the cards only
through the hand's bucket, and on the rest of the view only through the table rules and the
betting so far.  The agent therefore memoizes answers by ``(rules, actions, bucket)`` (exact,
not an approximation) and, asked for the likelihoods of 1326 hands (local best response),
asks the blueprint once per distinct bucket.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from holdem.agents.base import Distribution, PolicyAgent, normalize, probability_of
from holdem.agents.view import Decision, SeatView
from holdem.blueprint import Blueprint

_CACHE_LIMIT = 200_000


class Buckets(Protocol):
    def bucket(self, street: int, hole, board) -> int: ...


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

    def likelihoods(self, view: SeatView, decision: Decision, holes: np.ndarray) -> np.ndarray:
        """(K,) float64 over ``holes`` (K, 2) int64, one blueprint query per distinct bucket."""
        target = normalize(decision, view.legal)
        by_bucket: dict[int, float] = {}
        out = np.empty(len(holes))
        for k in range(len(holes)):
            hole = (int(holes[k, 0]), int(holes[k, 1]))
            hand_view = view._replace(hole=hole)
            bucket = self._bucket(hand_view)
            p = by_bucket.get(bucket)
            if p is None:
                p = by_bucket[bucket] = probability_of(self._answer(hand_view, bucket), target, view.legal)
            out[k] = p
        return out
