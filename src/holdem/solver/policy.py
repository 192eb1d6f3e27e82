"""A trained strategy as arrays with the infoset keys and action ids that give them meaning."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.games.compiled import GameTree


@dataclass(frozen=True)
class Strategy:
    """Action probabilities per infoset: ``probs`` float64 ``(A,)`` split by int32 ``offsets``
    ``(I + 1,)``; ``keys[i]`` and ``actions[i]`` name infoset ``i`` and its game action ids."""

    keys: list[str]
    actions: list[tuple[int, ...]]
    offsets: np.ndarray
    probs: np.ndarray

    @classmethod
    def for_tree(cls, tree: GameTree, probs: np.ndarray) -> "Strategy":
        """Wrap a flat policy of ``tree``."""
        return cls(tree.infoset_keys, tree.infoset_actions, tree.arrays.infoset_offset, probs)

    def to_dict(self) -> dict[str, dict[int, float]]:
        """``{infoset key: {action id: probability}}``."""
        return {
            key: {a: float(p) for a, p in zip(self.actions[i], self.probs[self.offsets[i]:self.offsets[i + 1]])}
            for i, key in enumerate(self.keys)
        }
