"""An equity-threshold heuristic: raises strong hands, calls medium ones, folds weak ones.

Strength is the equity against the live opponents' random hands
(:func:`holdem.agents.equity.equity_vs_random`) to the power ``1 / opponents``, so that one
threshold fits every table size (equity against ``n`` random hands is about the ``n``-th power of
the heads-up equity).  The policy is deterministic, so its likelihoods are exact (0 or 1).

>>> from holdem.engine import Deal, Rules, State
>>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10),
...               Deal.parse(["As Ad", "7h 2c"], "Ks 7d 2h 9c 3d"))
>>> agent = HeuristicAgent()
>>> agent.act(SeatView.of(state))                  # aces raise the pot
Decision(kind=<DecisionKind.RAISE: 2>, amount=30)
>>> _ = state.bet_or_raise_to(30)
>>> agent.act(SeatView.of(state)).kind.name        # seven-deuce folds to the raise
'FOLD'
"""

from __future__ import annotations

import numpy as np

from holdem.agents.base import DeterministicAgent, normalize, pot_raise_to
from holdem.agents.equity import equities_vs_random, equity_vs_random
from holdem.agents.view import Decision, DecisionKind, SeatView

_CALL = Decision.check_call()
_FOLD = Decision.fold()


class HeuristicAgent(DeterministicAgent):
    """Raise ``raise_fraction`` of the pot at strength >= ``raise_at``, call at >= ``call_at``, else fold."""

    name = "heuristic"

    def __init__(self, seed: int = 0, *, raise_at: float = 0.65, call_at: float = 0.45,
                 raise_fraction: float = 1.0, samples: int = 400) -> None:
        super().__init__(seed)
        if not 0.0 <= call_at <= raise_at <= 1.0:
            raise ValueError(f"need 0 <= call_at <= raise_at <= 1, got {call_at}, {raise_at}")
        if samples < 1:
            raise ValueError(f"samples must be positive, got {samples}")
        self.raise_at, self.call_at = raise_at, call_at
        self.raise_fraction, self.samples = raise_fraction, samples
        self._board = np.zeros(5, np.int64)
        self._preflop: dict[tuple[int, int, int], float] = {}

    def strength(self, view: SeatView) -> float:
        """Equity against the live opponents' random hands, to the power ``1 / opponents``."""
        opponents = sum(view.live) - 1
        a, b = view.hole
        if not view.board:
            key = (a, b, opponents)
            equity = self._preflop.get(key)
            if equity is None:
                equity = self._preflop[key] = equity_vs_random(a, b, self._board, 0, opponents, self.samples, 0)
        else:
            board = self._board
            board[: len(view.board)] = view.board
            equity = equity_vs_random(a, b, board, len(view.board), opponents, self.samples, 0)
        return equity ** (1.0 / opponents)

    def _choose(self, view: SeatView, strength: float) -> Decision:
        legal = view.legal
        if strength >= self.raise_at and legal.can_raise:
            return Decision.raise_to(pot_raise_to(view, self.raise_fraction))
        if strength >= self.call_at or not legal.can_fold:
            return _CALL
        return _FOLD

    def act(self, view: SeatView) -> Decision:
        return self._choose(view, self.strength(view))

    def likelihoods(self, view: SeatView, decision: Decision, holes: np.ndarray) -> np.ndarray:
        """Vectorized over ``holes`` (K, 2) int64: 1.0 where the strength leads to ``decision``, else 0.0."""
        opponents = sum(view.live) - 1
        board = np.zeros(5, np.int64)
        board[: len(view.board)] = view.board
        equity = equities_vs_random(holes, board, len(view.board), opponents, self.samples, 0)
        strength = np.power(equity, 1.0 / opponents)
        legal = view.legal
        kind = normalize(decision, legal).kind
        can_raise = legal.can_raise
        raises = strength >= self.raise_at if can_raise else np.zeros(len(holes), bool)
        calls = ~raises & ((strength >= self.call_at) | (not legal.can_fold))
        if kind == DecisionKind.RAISE:
            match = raises if normalize(decision, legal) == self._choose(view, 1.0) else np.zeros_like(raises)
        elif kind == DecisionKind.CHECK_CALL:
            match = calls
        else:
            match = ~raises & ~calls
        return np.where(np.isnan(equity), 0.0, match.astype(np.float64))
