"""Baseline agents: uniform random, always-call, always-raise (pot), always-fold.

All four ignore their cards (``card_blind``) and expose their exact policy.

>>> from holdem.engine import Deal, Rules, State
>>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10),
...               Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
>>> view = SeatView.of(state)
>>> RaiseAgent().act(view), FoldAgent().act(view).kind.name
(Decision(kind=<DecisionKind.RAISE: 2>, amount=30), 'FOLD')
>>> [(d.kind.name, d.amount, round(p, 3)) for d, p in RandomAgent().action_probabilities(view)]
... # doctest: +NORMALIZE_WHITESPACE
[('FOLD', 0, 0.333), ('CHECK_CALL', 0, 0.333), ('RAISE', 20, 0.083), ('RAISE', 30, 0.083),
 ('RAISE', 50, 0.083), ('RAISE', 1000, 0.083)]
"""

from __future__ import annotations

from holdem.agents.base import DeterministicAgent, Distribution, PolicyAgent, pot_raise_to
from holdem.agents.view import Decision, SeatView

_CALL = Decision.check_call()
_FOLD = Decision.fold()


class RandomAgent(PolicyAgent):
    """Uniform over the legal action kinds (fold only when facing a bet, check/call, raise); a raise
    is uniform over the distinct sizes among the minimum raise, a pot raise, two pots and all-in."""

    name = "random"
    card_blind = True
    pot_fractions = (1.0, 2.0)

    def action_probabilities(self, view: SeatView) -> Distribution:
        legal = view.legal
        kinds = 1 + legal.can_fold + legal.can_raise
        out = [(_FOLD, 1.0 / kinds)] if legal.can_fold else []
        out.append((_CALL, 1.0 / kinds))
        if legal.can_raise:
            sizes = sorted({legal.min_raise_to, legal.max_raise_to,
                            *(pot_raise_to(view, f) for f in self.pot_fractions)})
            out.extend((Decision.raise_to(s), 1.0 / (kinds * len(sizes))) for s in sizes)
        return out


class CallAgent(DeterministicAgent):
    """Always checks or calls."""

    name = "call"
    card_blind = True

    def act(self, view: SeatView) -> Decision:
        return _CALL


class RaiseAgent(DeterministicAgent):
    """Always raises the pot (clipped to the legal range); calls when it may not raise."""

    name = "raise"
    card_blind = True

    def act(self, view: SeatView) -> Decision:
        return Decision.raise_to(pot_raise_to(view, 1.0)) if view.legal.can_raise else _CALL


class FoldAgent(DeterministicAgent):
    """Always folds (checks when there is nothing to call)."""

    name = "fold"
    card_blind = True

    def act(self, view: SeatView) -> Decision:
        return _FOLD if view.legal.can_fold else _CALL
