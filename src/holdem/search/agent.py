"""The search agent: real-time subgame search on top of a blueprint (Pluribus's nested search).

Before :attr:`SearchConfig.first_street` (the river by default; the turn or the flop on request)
the agent plays its blueprint (with bet translation).  From there on, in a heads-up hand, it solves
the current street: the river and (by default) the turn to the end of the hand, the flop (and the
turn with ``depth_limited_turn``) depth-limited: its betting ends in leaves where each player
picks one of Pluribus's four continuation strategies, valued by playing the blueprint out
(:mod:`holdem.search.depth_limit`).  The subgame is
rooted at the start of the street (:func:`~holdem.search.public_tree.holdem_subgame`, the search
action abstraction of :class:`SearchConfig`, the actions already taken this street inserted
exactly as made, an opponent's off-tree bet included), the root ranges come from Bayes through
the earlier streets (:mod:`holdem.search.beliefs`: the blueprint's action probabilities, and the
agent's own average strategies where it searched), and :class:`~holdem.search.solver.RangeSolver`
runs DCFR until the time budget is spent or the subgame's exploitability falls below the target.
The agent plays the final iterate (the current strategy) for its hand, as Pluribus did.

A solve depends on the public state only (the history and the board), not on the agent's own
cards, so the agent is a policy over all 1,326 hands: it is solved once per public state
(memoized), and :meth:`SearchAgent.likelihoods` (Bayes in local best response) reads every hand
from the same solve.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from holdem.abstraction.actions import BetSizing
from holdem.agents.base import Distribution, PolicyAgent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.equity import hole_index
from holdem.agents.spec import BUILDERS, AgentSpec
from holdem.agents.view import Decision, SeatView
from holdem.engine import Rules, Street

from .beliefs import street_start
from .depth_limit import holdem_leaf_values
from .public_tree import Subgame, holdem_subgame
from .safe import blueprint_gadget
from .solver import ALGORITHMS, LeafValues, RangeSolver, SolveStats

#: solved public states kept per agent (a hand needs a few; LBR asks about many); the oldest goes
#: first, so a hand's own solves (its frozen actions and its range read from them) stay while it lasts
_CACHE_LIMIT = 256
#: bytes of solves kept beyond the newest :data:`_KEEP_NEWEST` (a river subgame's solver takes about
#: a megabyte, a turn subgame's a hundred or more: 256 of those would fill any machine)
_CACHE_BYTES = 1 << 30
_KEEP_NEWEST = 8


def _keep(cache: dict, key: object, value: object, size: Callable[[Any], int] = lambda value: 0) -> None:
    """``cache[key] = value``, then drop the oldest entries while more than :data:`_CACHE_LIMIT` are
    kept, or more than :data:`_KEEP_NEWEST` that take over :data:`_CACHE_BYTES` by ``size``."""
    cache[key] = value
    total = sum(size(kept) for kept in cache.values())
    while len(cache) > _CACHE_LIMIT or (len(cache) > _KEEP_NEWEST and total > _CACHE_BYTES):
        total -= size(cache.pop(next(iter(cache))))


def _rows(holes: np.ndarray) -> np.ndarray:
    """Rows in :data:`HOLES` of the pairs ``holes`` (K, 2)."""
    holes = np.asarray(holes, np.int64)
    return hole_index(holes[:, 0], holes[:, 1])


def _search_sizing() -> BetSizing:
    """Three first-bet sizes plus all-in, then two raises of the pot (plus all-in), on the flop, the
    turn and the river (preflop, where the search does not start, keeps the default sizes)."""
    return BetSizing(flop=[[0.33, 0.75, 1.5], [1.0]], turn=[[0.33, 0.75, 1.5], [1.0]],
                     river=[[0.33, 0.75, 1.5], [1.0]], max_raises_per_street=3)


class SearchConfig(BaseModel):
    """Search settings.

    - ``budget``: seconds of solving per public state (0 = play the blueprint); ``threads`` (0 =
      every core); ``target_pct``: the exploitability (% of the pot) at which a solve stops early;
      the ``algorithm``.
    - ``first_street``: the street the search starts on; ``sizing``: the search action abstraction
      of the street being solved; ``later_river``: the pot fractions of the river inside a turn
      subgame (fewer sizes deeper keep the turn's 48 river subtrees small).
    - ``safe``: re-solve with the resolve gadget against the blueprint (:mod:`holdem.search.safe`;
      one-street subgames only: the river, the flop, the turn when depth-limited) instead of
      unsafe nested search.
    - ``depth_limited_turn``: end turn subgames at the river like flop ones instead of solving the
      48 rivers (far faster, leaf values from the blueprint); ``leaf_groups``, ``leaf_deals``: the
      groups that hands are cut into for depth-limit leaves and the deals played out per pair of
      groups (:func:`~holdem.search.depth_limit.holdem_leaf_values`; their time counts in the
      budget, but the solve always gets at least half of it).
    - ``play``: the solve's strategy the agent plays, the ``"final"`` iterate (as Pluribus did) or
      the ``"average"`` strategy (the one whose exploitability ``target_pct`` measures).
    - ``opponent_floor``: the smallest likelihood one of the opponent's actions gives a hand in his
      range (:mod:`holdem.search.beliefs`; higher reads him less strictly as the blueprint).  The
      default 0.1 took local best response fc-1234's winnings against river search from about
      1,000 mbb/hand (at 0.001, the agent's floor for its own actions) to about 0 (docs/search.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    budget: float = Field(default=0.5, ge=0.0)
    threads: int = Field(default=1, ge=0)
    target_pct: float = Field(default=0.3, gt=0.0)
    algorithm: Literal[ALGORITHMS] = "dcfr"
    first_street: Literal["flop", "turn", "river"] = "river"
    sizing: BetSizing = Field(default_factory=_search_sizing)
    later_river: list[list[float]] = [[1.0]]
    safe: bool = False
    depth_limited_turn: bool = False
    leaf_groups: int = Field(default=8, ge=1, le=64)
    leaf_deals: int = Field(default=24, ge=1)
    play: Literal["final", "average"] = "final"
    opponent_floor: float = Field(default=0.1, gt=0.0, le=1.0)

    @model_validator(mode="after")
    def _safe_on_one_street(self) -> SearchConfig:
        if self.safe and self.first_street != "river" and not self.depth_limited_turn:
            raise ValueError("safe resolving is built for one-street subgames: with safe, search the turn "
                             "depth-limited (depth_limited_turn) or start on the river")
        return self

    def sizing_from(self, street: Street) -> BetSizing:
        """The action abstraction of a subgame rooted on ``street``."""
        if street == Street.RIVER:
            return self.sizing
        return self.sizing.model_copy(update={"river": self.later_river})


@dataclass(frozen=True)
class Solved:
    """One solved public state: the subgame, its solver and what the solve did."""

    subgame: Subgame
    solver: RangeSolver
    stats: SolveStats

    @cached_property
    def nbytes(self) -> int:
        """Bytes its solver's arrays take (what the agent's memo of solves counts)."""
        return self.solver.memory_bytes()

    def strategy(self, average: bool = False) -> np.ndarray:
        """float64 ``(children, 1326)`` of the node the real history reached: the final iterate,
        or the average strategy."""
        node = self.subgame.real_node
        return self.solver.average_strategy(node) if average else self.solver.current_strategy(node)

    def probability(self, decision: Decision, rows: np.ndarray, average: bool = False) -> np.ndarray:
        """float64 ``(K,)``: the probability of ``decision`` with each of the hands ``rows`` of
        :data:`HOLES` (0 for a decision the subgame does not offer there)."""
        out = np.zeros(len(rows))
        strategy = self.strategy(average)
        for child, option in enumerate(self.decisions()):
            if option == decision:
                out += strategy[child, rows]
        return out

    def decisions(self) -> list[Decision]:
        """The real decision of each child of the reached node."""
        return self.subgame.decisions(self.subgame.real_node)


def _public_key(view: SeatView) -> tuple:
    return view.rules, view.actions, view.board


class SearchAgent(PolicyAgent):
    """Plays ``blueprint`` before ``config.first_street`` and searches from there on, heads-up (see
    the module docstring).  ``solve_seconds`` lists the wall time of every solve."""

    name = "search"

    def __init__(self, blueprint: BlueprintAgent, config: SearchConfig = SearchConfig(), seed: int = 0,
                 name: str = "search") -> None:
        super().__init__(seed)
        self.blueprint = blueprint
        self.config = config
        self.name = name
        self.solve_seconds: list[float] = []
        self._solved: dict[tuple, Solved] = {}
        self._leaves: dict[tuple, LeafValues] = {}

    @classmethod
    def load(cls, path: str | Path, config: SearchConfig = SearchConfig(), seed: int = 0,
             name: str | None = None) -> SearchAgent:
        """A search agent on the blueprint of ``path`` (a blueprint file or run directory)."""
        return cls(BlueprintAgent.load(path, seed), config, seed, name or f"search:{Path(path).name}")

    def spec(self) -> AgentSpec:
        """The spec that rebuilds this agent in a worker process."""
        source = getattr(self.blueprint.blueprint, "source", None)
        if source is None:
            raise TypeError(f"search agent {self.name!r} has a blueprint not loaded from a file; use one worker")
        options = (("budget", self.config.budget), ("threads", self.config.threads),
                   ("target_pct", self.config.target_pct), ("first_street", self.config.first_street),
                   ("safe", self.config.safe), ("depth_limited_turn", self.config.depth_limited_turn),
                   ("leaf_groups", self.config.leaf_groups),
                   ("leaf_deals", self.config.leaf_deals), ("play", self.config.play),
                   ("opponent_floor", self.config.opponent_floor))
        return AgentSpec("search", path=str(source), name=self.name, options=options)

    @property
    def rules(self) -> Rules:
        """The table the blueprint was trained for."""
        return self.blueprint.rules

    def searches(self, view: SeatView) -> bool:
        """Whether the agent searches at ``view`` (heads-up, from the first search street on, with a
        positive budget)."""
        first = {"flop": Street.FLOP, "turn": Street.TURN, "river": Street.RIVER}[self.config.first_street]
        return view.rules.num_players == 2 and view.street >= first and self.config.budget > 0

    # ------------------------------------------------------------------ solving

    def _likelihood(self, index: int, seen: SeatView, decision: Decision, holes: np.ndarray) -> np.ndarray:
        """Probability of ``decision`` at ``seen`` with each row of ``holes``: the average strategy
        of this agent's own search there, else the blueprint's."""
        solved = self._solved.get(_public_key(seen))
        if solved is None:
            return self.blueprint.likelihoods(seen, decision, holes)
        return solved.probability(decision, _rows(holes), average=True)

    def solve(self, view: SeatView) -> Solved:
        """The solved subgame of ``view``'s public state (memoized)."""
        key = _public_key(view)
        solved = self._solved.get(key)
        if solved is None:
            started = time.perf_counter()
            start = street_start(view, self._likelihood, self.config.opponent_floor)
            limited = view.street == Street.FLOP or (view.street == Street.TURN and self.config.depth_limited_turn)
            subgame = holdem_subgame(start.state, self.config.sizing_from(view.street), start.actions,
                                     depth_limited=limited)
            leaves = self._leaf_values(view, subgame, start.state) if limited else None
            gadget = None
            if self.config.safe:
                gadget = blueprint_gadget(subgame, start.state, start.ranges, view.seat, self.blueprint.likelihoods,
                                          leaves)
            solver = RangeSolver(subgame, start.ranges, self.config.algorithm, self.config.threads, gadget=gadget,
                                 leaves=leaves)
            self._freeze_own_actions(view, start.actions, subgame, solver)
            left = self.config.budget - (time.perf_counter() - started)
            stats = solver.solve(seconds=max(left, self.config.budget / 2), target_pct=self.config.target_pct)
            solved = Solved(subgame, solver, stats)
            _keep(self._solved, key, solved, lambda kept: kept.nbytes)
            self.solve_seconds.append(time.perf_counter() - started)
        return solved

    def _leaf_values(self, view: SeatView, subgame: Subgame, state) -> LeafValues:
        """The leaf values of a depth-limited ``subgame`` rooted at ``state`` (memoized per tree and
        public state: the street's later decisions reuse them)."""
        key = (view.rules, view.board, tuple(state.actions), tuple(subgame.labels))
        leaves = self._leaves.get(key)
        if leaves is None:
            leaves = holdem_leaf_values(subgame, state, self.blueprint.blueprint, groups=self.config.leaf_groups,
                                        deals=self.config.leaf_deals, threads=self.config.threads)
            _keep(self._leaves, key, leaves)
        return leaves

    def _freeze_own_actions(self, view: SeatView, actions: tuple, subgame: Subgame, solver: RangeSolver) -> None:
        """Fix the strategy at each node of this street where the seat of ``view`` already acted to the
        one it acted from: the average strategy of its solve of that public state (the one its own
        range was updated with), so a re-solve after the opponent answers cannot rewrite what it did."""
        path = subgame.path(subgame.real_node)
        before = len(view.actions) - len(actions)
        for i, action in enumerate(actions):
            if action.seat != view.seat:
                continue
            earlier = self._solved.get(_public_key(view._replace(actions=view.actions[:before + i])))
            if earlier is None:
                continue
            played = earlier.strategy(average=True)
            options = earlier.decisions()
            node = path[i]
            strategy = np.zeros((len(subgame.children(node)), subgame.num_hands))
            for child, decision in enumerate(subgame.decisions(node)):
                if decision in options:
                    strategy[child] = played[options.index(decision)]
            solver.freeze(node, strategy)

    # ------------------------------------------------------------------ policy

    def action_probabilities(self, view: SeatView) -> Distribution:
        if not self.searches(view):
            return self.blueprint.action_probabilities(view)
        solved = self.solve(view)
        column = solved.strategy(self._plays_average)[:, _rows(np.array([view.hole]))[0]]
        return [(d, float(p)) for d, p in zip(solved.decisions(), column) if p > 0.0]

    def likelihoods(self, view: SeatView, decision: Decision, holes: np.ndarray) -> np.ndarray:
        """(K,) float64: the probability of ``decision`` at ``view`` with each row of ``holes`` (K, 2),
        all read from one solve of the public state."""
        if not self.searches(view):
            return self.blueprint.likelihoods(view, decision, holes)
        return self.solve(view).probability(decision, _rows(holes), self._plays_average)

    @property
    def _plays_average(self) -> bool:
        return self.config.play == "average"


BUILDERS["search"] = lambda spec: SearchAgent.load(spec.path, SearchConfig(**dict(spec.options)), spec.seed,
                                                   spec.name)
