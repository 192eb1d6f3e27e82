"""Agents: one protocol, ``act(view) -> Decision``, for blueprint and baseline players.

``make_agent(name, seed)`` builds a baseline by name (:data:`BASELINES`); :class:`AgentSpec`
describes any agent in a few picklable fields, for worker processes.
"""

from holdem.agents.base import Agent, Distribution, PolicyAgent, decision_of, normalize, pot_raise_to
from holdem.agents.baselines import CallAgent, FoldAgent, RaiseAgent, RandomAgent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.heuristic import HeuristicAgent
from holdem.agents.spec import BASELINES, AgentSpec, spec_of
from holdem.agents.view import Decision, DecisionKind, SeatView


def make_agent(name: str, seed: int = 0) -> Agent:
    """A baseline agent by name: one of :data:`BASELINES`."""
    return AgentSpec(name, seed).build()


__all__ = [
    "BASELINES", "Agent", "AgentSpec", "BlueprintAgent", "CallAgent", "Decision", "DecisionKind", "Distribution",
    "FoldAgent", "HeuristicAgent", "PolicyAgent", "RaiseAgent", "RandomAgent", "SeatView", "decision_of",
    "make_agent", "normalize", "pot_raise_to", "spec_of",
]
