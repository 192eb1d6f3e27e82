"""The blueprint agent: plays a trained blueprint's action probabilities, sampled with its own RNG.

>>> from holdem.agents.baselines import RandomAgent
>>> from holdem.engine import Deal, Rules, State
>>> view = SeatView.of(State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10),
...                          Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d")))
>>> agent = BlueprintAgent(RandomAgent(), seed=1)   # any object with action_probabilities(view)
>>> agent.act(view) in [d for d, _ in agent.action_probabilities(view)]
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from holdem.agents.base import Distribution, PolicyAgent
from holdem.agents.view import SeatView


class Policy(Protocol):
    """What the agent needs of a blueprint."""

    def action_probabilities(self, view: SeatView) -> Distribution: ...


class BlueprintAgent(PolicyAgent):
    """Samples ``blueprint.action_probabilities(view)`` with the agent's seeded RNG."""

    name = "blueprint"

    def __init__(self, blueprint: Policy, seed: int = 0, name: str = "blueprint") -> None:
        super().__init__(seed)
        self.blueprint = blueprint
        self.name = name

    @classmethod
    def load(cls, path: str | Path, seed: int = 0, name: str | None = None) -> BlueprintAgent:
        """Load a blueprint file or a run directory (its final blueprint) with ``holdem.blueprint``."""
        from holdem.blueprint import Blueprint

        return cls(Blueprint.load(path), seed, name or Path(path).name)

    def action_probabilities(self, view: SeatView) -> Distribution:
        return self.blueprint.action_probabilities(view)
