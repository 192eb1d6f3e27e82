"""The agent protocol, the policy base class and the helpers every agent shares.

An agent answers ``act(view) -> Decision`` for the seat to act (``view`` is a
:class:`~holdem.agents.view.SeatView`); agents whose play is a known distribution also answer
``action_probabilities(view)`` (local best response narrows ranges with it).  Randomised agents
draw from their own ``random.Random``, restarted by :meth:`Agent.reseed`.

>>> from holdem.engine import Deal, Rules, State
>>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10),
...               Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
>>> view = SeatView.of(state)
>>> pot_raise_to(view, 1.0)       # call 5 more, then raise the pot of 20
30
>>> normalize(Decision.fold(), view.legal) == Decision.fold()
True
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from holdem.abstraction.actions import raise_to_for_fraction
from holdem.agents.view import Decision, DecisionKind, SeatView
from holdem.engine import Action, ActionKind, LegalActions

Distribution = list[tuple[Decision, float]]
"""An agent's mixed action: decisions with probabilities summing to 1."""


def pot_raise_to(view: SeatView, fraction: float) -> int:
    """Street total of a raise of ``fraction`` of the pot after calling, clipped to the legal range
    (requires ``view.legal.can_raise``)."""
    legal = view.legal
    raise_to = raise_to_for_fraction(fraction, view.pot, max(view.bets), legal.call_amount)
    return min(max(raise_to, legal.min_raise_to), legal.max_raise_to)


def normalize(decision: Decision, legal: LegalActions) -> Decision:
    """The decision the engine will play: a fold with nothing to call is a check, a raise is
    clipped to ``[min_raise_to, max_raise_to]`` and a raise that is not allowed is a call."""
    if decision.kind == DecisionKind.FOLD:
        return decision if legal.can_fold else Decision.check_call()
    if decision.kind == DecisionKind.RAISE:
        if not legal.can_raise:
            return Decision.check_call()
        return Decision.raise_to(min(max(decision.amount, legal.min_raise_to), legal.max_raise_to))
    return decision


def decision_of(action: Action) -> Decision:
    """The decision that produced an engine action record."""
    if action.kind == ActionKind.FOLD:
        return Decision.fold()
    if action.kind in (ActionKind.BET, ActionKind.RAISE):
        return Decision.raise_to(action.amount)
    return Decision.check_call()


def probability_of(distribution: Distribution, decision: Decision, legal: LegalActions) -> float:
    """Total probability that ``distribution`` plays ``decision`` (both normalized for ``legal``)."""
    target = normalize(decision, legal)
    return sum(p for d, p in distribution if normalize(d, legal) == target)


def policy_table(answers: Sequence[Distribution], legal: LegalActions) -> tuple[list[Decision], np.ndarray]:
    """The decisions of ``answers`` (one distribution per row, normalized for ``legal``) in (kind,
    amount) order, and float64 (K, A) probabilities of each row's decisions in that order."""
    rows = [[(normalize(d, legal), p) for d, p in answer] for answer in answers]
    order = sorted({d for row in rows for d, _ in row}, key=lambda d: (d.kind, d.amount))
    index = {d: a for a, d in enumerate(order)}
    probs = np.zeros((len(rows), len(order)))
    for k, row in enumerate(rows):
        for d, p in row:
            probs[k, index[d]] += p
    return order, probs


class Agent:
    """Base of every agent: a name, a seeded ``random.Random`` and ``act(view) -> Decision``; those
    with a known mixed strategy implement :meth:`action_probabilities` and set ``has_policy``."""

    name = "agent"
    has_policy = False
    """True when :meth:`action_probabilities` is implemented."""
    card_blind = False
    """True when the policy never looks at the hole cards or the board."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)

    def reseed(self, seed: int) -> None:
        """Restart the agent's random stream from ``seed``."""
        self.rng.seed(seed)

    def act(self, view: SeatView) -> Decision:
        """The decision of the seat to act in ``view``."""
        raise NotImplementedError

    def action_probabilities(self, view: SeatView) -> Distribution:
        """The agent's mixed action at ``view`` (only where ``has_policy``)."""
        raise NotImplementedError(f"{self.name} only samples its actions")

    def policy_rows(self, view: SeatView, holes: np.ndarray) -> tuple[list[Decision], np.ndarray]:
        """The agent's mixed action at ``view`` holding each row of ``holes`` ((K, 2) int64) (only
        where ``has_policy``): the decisions, normalized for ``view.legal``, in (kind, amount) order,
        and float64 (K, A) probabilities (see :func:`policy_table`)."""
        return policy_table([self.action_probabilities(view._replace(hole=(int(a), int(b)))) for a, b in holes],
                            view.legal)

    def likelihoods(self, view: SeatView, decision: Decision, holes: np.ndarray) -> np.ndarray:
        """Probability (K,) float64 of playing ``decision`` at ``view`` holding each row of ``holes``
        ((K, 2) int64).  A sampling-only agent reveals nothing: every row gets probability 1."""
        count = len(holes)
        if not self.has_policy:
            return np.ones(count)
        if self.card_blind:
            return np.full(count, probability_of(self.action_probabilities(view), decision, view.legal))
        out = np.empty(count)
        for k in range(count):
            hole = (int(holes[k, 0]), int(holes[k, 1]))
            out[k] = probability_of(self.action_probabilities(view._replace(hole=hole)), decision, view.legal)
        return out

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class PolicyAgent(Agent):
    """An agent defined by :meth:`action_probabilities`; :meth:`act` samples it with the agent's RNG."""

    has_policy = True

    def act(self, view: SeatView) -> Decision:
        return sample(self.action_probabilities(view), self.rng)


class DeterministicAgent(PolicyAgent):
    """A policy agent that plays its :meth:`act` (which subclasses implement) with probability 1."""

    def action_probabilities(self, view: SeatView) -> Distribution:
        return [(self.act(view), 1.0)]


def sample(distribution: Sequence[tuple[Decision, float]], rng: random.Random) -> Decision:
    """Draw one decision from ``distribution`` (probabilities need not be exactly normalized)."""
    if len(distribution) == 1:
        return distribution[0][0]
    total = 0.0
    for _, p in distribution:
        total += p
    x = rng.random() * total
    for decision, p in distribution:
        x -= p
        if x < 0.0:
            return decision
    return next(d for d, p in reversed(distribution) if p > 0.0)
