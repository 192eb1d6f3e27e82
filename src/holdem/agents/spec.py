"""Picklable descriptions of agents, from which a worker process builds its own agents.

An :class:`AgentSpec` is a few strings and numbers: a baseline name with its options, or a
blueprint file path.  Evaluation workers receive specs, never live agents, so that nothing
large or process-bound (a loaded blueprint, numba state, threads) crosses a process boundary
and every start method (``fork``, ``spawn``, ``forkserver``) behaves the same.

>>> from holdem.agents import HeuristicAgent
>>> spec = spec_of(HeuristicAgent(raise_at=0.7))
>>> spec.kind, dict(spec.options)["raise_at"]
('heuristic', 0.7)
>>> agent = spec.build()
>>> type(agent).__name__, agent.raise_at
('HeuristicAgent', 0.7)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from holdem.agents.base import Agent
from holdem.agents.baselines import CallAgent, FoldAgent, RaiseAgent, RandomAgent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.heuristic import HeuristicAgent

#: baseline agents by name; each is rebuilt from its name, seed and :data:`OPTIONS`
BASELINES: dict[str, type[Agent]] = {
    "random": RandomAgent, "call": CallAgent, "raise": RaiseAgent, "fold": FoldAgent, "heuristic": HeuristicAgent,
}
#: constructor keywords that a baseline's spec records (read back from the agent's attributes)
OPTIONS: dict[str, tuple[str, ...]] = {"heuristic": ("raise_at", "call_at", "raise_fraction", "samples")}
BLUEPRINT = "blueprint"
#: builders of the agent kinds that later pipeline stages define (``holdem.search`` adds ``search``)
BUILDERS: dict[str, Callable[[AgentSpec], Agent]] = {}


@dataclass(frozen=True)
class AgentSpec:
    """How to build an agent: ``kind`` is a baseline name or ``"blueprint"`` (then ``path`` is the
    blueprint file or run directory); ``options`` are constructor keywords as ``(name, value)`` pairs;
    ``name`` overrides a blueprint agent's display name."""

    kind: str
    seed: int = 0
    path: str | None = None
    name: str | None = None
    options: tuple[tuple[str, float | int | str], ...] = ()

    @classmethod
    def parse(cls, text: str, seed: int = 0) -> AgentSpec:
        """The spec written ``text``: a baseline name, a blueprint file or run directory, or
        ``KIND:PATH?option=value&...`` (e.g. ``search:runs/x?budget=0.5&threads=2``).

        >>> AgentSpec.parse("search:runs/x?budget=0.5&threads=2")
        AgentSpec(kind='search', seed=0, path='runs/x', name=None, options=(('budget', 0.5), ('threads', 2)))
        """
        if text in BASELINES:
            return cls(text, seed)
        kind, sep, rest = text.partition(":")
        if not sep or not kind.isidentifier():
            kind, rest = BLUEPRINT, text
        path, _, query = rest.partition("?")
        options = tuple((key, _number(value)) for key, value in parse_qsl(query, strict_parsing=bool(query)))
        return cls(kind, seed, path, None, options)

    def build(self) -> Agent:
        """A fresh agent (a blueprint is loaded from its file)."""
        if self.kind in BUILDERS:
            return BUILDERS[self.kind](self)
        if self.kind == BLUEPRINT:
            if self.path is None:
                raise ValueError("a blueprint spec needs a path")
            return BlueprintAgent.load(self.path, self.seed, self.name)
        try:
            cls = BASELINES[self.kind]
        except KeyError:
            known = ", ".join([*BASELINES, BLUEPRINT, *BUILDERS])
            raise ValueError(f"unknown agent {self.kind!r}; choose from {known}") from None
        return cls(self.seed, **dict(self.options))

    @property
    def label(self) -> str:
        """The name the built agent will have."""
        if self.path is not None:
            return self.name or (Path(self.path).name if self.kind == BLUEPRINT else f"{self.kind}:{Path(self.path).name}")
        return self.kind


def _number(text: str) -> float | int | str:
    """``text`` as an int, else a float, else as it is."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def spec_of(agent: Agent | AgentSpec) -> AgentSpec:
    """The spec that rebuilds ``agent`` (a spec is returned as it is).

    Raises ``TypeError`` for an agent that cannot be rebuilt from a description (a custom class,
    or a blueprint that was not loaded from a file): play it with one worker instead.
    """
    if isinstance(agent, AgentSpec):
        return agent
    if hasattr(agent, "spec"):
        return agent.spec()
    if isinstance(agent, BlueprintAgent):
        source = getattr(agent.blueprint, "source", None)
        if source is None:
            raise TypeError(f"blueprint agent {agent.name!r} was not loaded from a file; use one worker")
        return AgentSpec(BLUEPRINT, path=str(source), name=agent.name)
    kind = agent.name
    if BASELINES.get(kind) is not type(agent):
        raise TypeError(f"{type(agent).__name__} {agent.name!r} cannot be rebuilt in a worker process; "
                        "use one worker or an AgentSpec")
    return AgentSpec(kind, options=tuple((key, getattr(agent, key)) for key in OPTIONS.get(kind, ())))


def build(agent: Agent | AgentSpec) -> Agent:
    """``agent`` itself, or the agent its spec builds."""
    return agent.build() if isinstance(agent, AgentSpec) else agent


def name_of(agent: Agent | AgentSpec) -> str:
    """The agent's name, or the name the agent a spec builds will have."""
    return agent.label if isinstance(agent, AgentSpec) else agent.name
