"""Agents: one protocol, ``act(view) -> Decision``, for blueprint, baseline, human and remote players.

``make_agent(name, seed)`` builds a baseline by name (:data:`BASELINES`); blueprint agents
come from :class:`holdem.agents.blueprint_agent.BlueprintAgent`.
"""

from holdem.agents.base import Agent, Distribution, PolicyAgent, decision_of, normalize, pot_raise_to
from holdem.agents.baselines import CallAgent, FoldAgent, RaiseAgent, RandomAgent
from holdem.agents.heuristic import HeuristicAgent
from holdem.agents.view import Decision, DecisionKind, SeatView

BASELINES: dict[str, type[Agent]] = {
    "random": RandomAgent, "call": CallAgent, "raise": RaiseAgent, "fold": FoldAgent, "heuristic": HeuristicAgent,
}


def make_agent(name: str, seed: int = 0) -> Agent:
    """A baseline agent by name: one of :data:`BASELINES`."""
    try:
        return BASELINES[name](seed)
    except KeyError:
        raise ValueError(f"unknown agent {name!r}; choose from {', '.join(BASELINES)}") from None


__all__ = [
    "BASELINES", "Agent", "CallAgent", "Decision", "DecisionKind", "Distribution", "FoldAgent",
    "HeuristicAgent", "PolicyAgent", "RaiseAgent", "RandomAgent", "SeatView", "decision_of",
    "make_agent", "normalize", "pot_raise_to",
]
