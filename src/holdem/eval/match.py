"""Matches between agents on the rules engine: heads-up or multiway, duplicate dealing, workers.

Seats are fixed (the button is the last seat) and agents move between them: in rotation ``r``
agent ``i`` sits in seat ``(i + r) % n``.  With *duplicate dealing* every deal is played ``n``
times, once per cyclic rotation, so each agent holds every seat's cards in every position and
card luck cancels; the sample unit is then the deal and its value the mean over its
rotations.  Without it every deal is played once, in rotation ``deal % n``, and the unit is
the hand.  Results are mbb/hand with a 95% normal-approximation interval over those units
(:mod:`holdem.eval.stats`).

A *paired* match (``control=C``; common random numbers, a control variate) plays every hand twice:
once as above (agent 0, the policy ``P``, against the others ``O``) and once with ``C`` in
``P``'s seat, with the same cards, and with ``P`` and ``C`` (and every ``O``) reseeded identically
before each of the two plays.  Its estimate is the per-unit difference ``value(P vs O) -
value(C vs O)``: unbiased for ``P``'s gain over ``C`` against ``O`` whatever the agents, and for
``P``'s edge over ``O`` itself when ``C`` plays ``O``'s strategy, since ``value(C vs O)`` then has
expectation exactly 0 under duplicate dealing.  Hands in which ``P`` and ``C`` take the same
decisions (a search agent before its first searched street, ``C`` its blueprint) give exactly the
same result twice and add nothing to the difference's variance.

A heads-up match may also be *luck-adjusted* (``luck=True``, :mod:`holdem.eval.luck`): each hand of
agent 0 is also scored as its chips less the luck of the cards and of the opponent's actions where
the opponent's mixed strategy is known (``has_policy``): the same expectation, a smaller variance.
With a control both plays are adjusted, and so is their difference.  With ``exact_river=True``
(:mod:`holdem.eval.river`; every agent with a policy) agent 0's river is also valued exactly with
the players' own strategies: the luck of the private cards at its first river decision and of
every later known mixed action taken out.  Where agent 0 and its control part on the river (a
search agent and its blueprint), that removes most of a paired match's variance.

Work is split into chunks of deals; chunk ``c`` draws its cards from ``derive_seed(seed, c)``
and reseeds agent ``i`` with ``derive_seed(seed, c, i, 2)``, so a match replays exactly from its
seed with any number of workers.  A paired match instead reseeds before every hand: agent ``i``
(and the control, in agent 0's place) with ``derive_seed(seed, c, k, r, i, 1)`` for deal ``k`` of
chunk ``c`` in rotation ``r``.  With several workers every agent travels as its
:class:`~holdem.agents.spec.AgentSpec` and each worker process builds its own copies
(:mod:`holdem.eval.parallel`).

>>> from holdem.agents import FoldAgent, RaiseAgent
>>> result = play_match([FoldAgent(), RaiseAgent()], hands=100, seed=1)
>>> result.hands, result.estimate(0).mbb_per_hand, result.estimate(0).ci95
(100, -750.0, (-750.0, -750.0))
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from holdem.agents.base import Agent
from holdem.agents.spec import AgentSpec, build, name_of, spec_of
from holdem.agents.view import SeatView
from holdem.engine import Deal, Rules, State, Street
from holdem.eval.luck import LuckLedger
from holdem.eval.parallel import derive_seed, map_chunks
from holdem.eval.phh import hand_history, join_histories
from holdem.eval.river import RiverLedger
from holdem.eval.stats import Estimate, mbb_estimate

DEFAULT_STACK_BB = 100
DEFAULT_BLINDS = (50, 100)
#: last parts of the agents' seeds, a paired match's per-hand ones and an unpaired match's per-chunk
#: ones: ``derive_seed`` ignores trailing zeros within four words, so without its tag agent 0 of an
#: unpaired match would get its chunk's card seed, and draw the same numbers as the shuffle
_HAND_STREAM, _AGENT_STREAM = 1, 2

#: what :func:`play_hand` charges every action to
Ledger = LuckLedger | RiverLedger


def table_rules(players: int = 2, *, stack: int = DEFAULT_STACK_BB * DEFAULT_BLINDS[1],
                small_blind: int = DEFAULT_BLINDS[0], big_blind: int = DEFAULT_BLINDS[1], ante: int = 0) -> Rules:
    """Equal stacks, the button on the last seat (default: 100 big blinds, blinds 50/100, as Pluribus)."""
    return Rules((stack,) * players, small_blind, big_blind, ante, button=players - 1)


def play_hand(rules: Rules, deal: Deal, seat_agents: Sequence[Agent], ledgers: Sequence[Ledger] = ()) -> State:
    """Play one hand to the end with ``seat_agents[s]`` deciding for seat ``s``.  Every action is
    charged to each of ``ledgers`` (of this deal; :class:`~holdem.eval.luck.LuckLedger`,
    :class:`~holdem.eval.river.RiverLedger`) with the acting agent's mixed action where it has a
    policy, so that ``ledger.adjusted(state)`` is its seat's adjusted result."""
    state = State(rules, deal)
    while not state.is_over:
        view = SeatView.of(state)
        agent = seat_agents[view.seat]
        decision = agent.act(view)
        before = state.copy() if ledgers else state
        decision.apply(state)
        if ledgers:
            distribution = agent.action_probabilities(view) if agent.has_policy else None
            for ledger in ledgers:
                ledger.charge(before, decision, distribution, state)
    return state


@dataclass(frozen=True)
class MatchResult:
    """Per-unit results of a match.  ``values`` is float64 ``(units, n)``: chips per hand won by
    agent ``i`` in each sample unit (a deal under duplicate dealing, else a hand); ``streets`` is
    int8 ``(units, hands per unit)``: the street (:class:`~holdem.engine.Street`) of each hand's
    last decision (0 for a hand without one).  In a paired match ``control`` names the control
    and ``control_values`` (``(units, n)``) holds the same units with the control in agent 0's
    place; ``hands`` counts the match proper's hands, ``seconds`` the control's time too.  A
    luck-adjusted match has agent 0's luck-adjusted chips per unit in ``adjusted`` (``(units,)``)
    and, paired, the control's in ``control_adjusted``; a match with exact river values has them in
    ``river_adjusted`` and ``control_river_adjusted``."""

    names: tuple[str, ...]
    hands: int
    duplicate: bool
    big_blind: int
    values: np.ndarray
    streets: np.ndarray
    seconds: float
    control: str | None = None
    control_values: np.ndarray | None = None
    adjusted: np.ndarray | None = None
    control_adjusted: np.ndarray | None = None
    river_adjusted: np.ndarray | None = None
    control_river_adjusted: np.ndarray | None = None

    def estimate(self, agent: int = 0) -> Estimate:
        """mbb/hand of ``agent`` (its index in the match's agent list) with a 95% interval."""
        return mbb_estimate(self.values[:, agent], self.big_blind)

    def paired_estimate(self, agent: int = 0) -> Estimate:
        """mbb/hand of ``value(agent) - value(agent with the control in agent 0's place)`` per unit,
        with a 95% interval (a paired match only: ``ValueError`` otherwise)."""
        if self.control_values is None:
            raise ValueError("not a paired match: play it with a control")
        return mbb_estimate(self.values[:, agent] - self.control_values[:, agent], self.big_blind)

    def adjusted_estimate(self) -> Estimate:
        """Agent 0's luck-adjusted mbb/hand with a 95% interval; paired, minus the control's (a
        luck-adjusted match only: ``ValueError`` otherwise)."""
        if self.adjusted is None:
            raise ValueError("not a luck-adjusted match: play it with luck=True")
        return self._adjusted(self.adjusted, self.control_adjusted)

    def river_estimate(self) -> Estimate:
        """Agent 0's mbb/hand with exact river values (:mod:`holdem.eval.river`) with a 95% interval;
        paired, minus the control's (``ValueError`` unless played with ``exact_river=True``)."""
        if self.river_adjusted is None:
            raise ValueError("not a match with exact river values: play it with exact_river=True")
        return self._adjusted(self.river_adjusted, self.control_river_adjusted)

    def _adjusted(self, values: np.ndarray, control: np.ndarray | None) -> Estimate:
        return mbb_estimate(values if control is None else values - control, self.big_blind)

    def reached(self, street: Street = Street.RIVER) -> tuple[float, float]:
        """Fractions of the units and of the hands with a decision on ``street`` or later."""
        hands = self.streets >= street
        return float(hands.any(axis=1).mean()), float(hands.mean())

    @property
    def hands_per_second(self) -> float:
        """Hands played per wall-clock second (all workers together)."""
        return self.hands / self.seconds if self.seconds > 0 else math.inf


@dataclass(frozen=True)
class _Job:
    """A match's description; :meth:`build` turns agent specs into agents (once per process).
    ``agents`` are the distinct entrants, ``slots[i]`` the entrant playing as agent ``i`` and
    ``control`` the entrant that replays agent 0's seat in a paired match."""

    agents: tuple[Agent | AgentSpec, ...]
    slots: tuple[int, ...]
    control: int | None
    rules: Rules
    seed: int
    duplicate: bool
    histories: bool
    luck: bool = False
    exact_river: bool = False

    def build(self) -> _Job:
        return replace(self, agents=tuple(build(agent) for agent in self.agents))


def _distinct_names(names: Sequence[str]) -> list[str]:
    """``names`` with a repeated name numbered (``call 1``, ``call 2``), for hand histories."""
    return [f"{name} {names[:i].count(name) + 1}" if names.count(name) > 1 else name for i, name in enumerate(names)]


def _play_chunk(job: _Job, chunk: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Play deals ``first .. first + count - 1`` of chunk ``index``: (values (plays, count, n) with
    one play, or two in a paired match (the control's second), streets (count, rotations), PHH docs,
    agent 0's adjusted values (2, plays, count): luck-adjusted (zeros unless ``job.luck``) and with
    exact river values (zeros unless ``job.exact_river``))."""
    index, first, count = chunk
    rules = job.rules
    n = len(job.slots)
    control = () if job.control is None else (job.control,)
    plays = [job.slots, *((c, *job.slots[1:]) for c in control)]
    if not control:
        for u, agent in enumerate(job.agents):
            agent.reseed(derive_seed(job.seed, index, u, _AGENT_STREAM))
    names = _distinct_names([job.agents[u].name for u in (*job.slots, *control)])
    seat_names = [names[:n], *([names[n], *names[1:n]] for _ in control)]
    deal_rng = random.Random(derive_seed(job.seed, index))
    rotations_per_deal = n if job.duplicate else 1
    values = np.zeros((len(plays), count, n))
    adjusted = np.zeros((2, len(plays), count))
    streets = np.zeros((count, rotations_per_deal), np.int8)
    documents: list[str] = []
    for k in range(count):
        deal = Deal.shuffled(n, deal_rng)
        rotations = range(n) if job.duplicate else ((first + k) % n,)
        for j, r in enumerate(rotations):
            for p, entrants in enumerate(plays):
                agents = [job.agents[u] for u in entrants]
                if control:
                    for i, agent in enumerate(agents):
                        agent.reseed(derive_seed(job.seed, index, k, r, job.slots[i], _HAND_STREAM))
                seated = [agents[(s - r) % n] for s in range(n)]  # agent 0 sits in seat r
                ledgers = {0: LuckLedger(deal, r)} if job.luck else {}
                if job.exact_river:
                    ledgers[1] = RiverLedger(deal, r, seated)
                state = play_hand(rules, deal, seated, list(ledgers.values()))
                for kind, ledger in ledgers.items():
                    adjusted[kind, p, k] += ledger.adjusted(state)
                payoffs = state.payoffs
                for i in range(n):
                    values[p, k, i] += payoffs[(i + r) % n]
                if p == 0 and state.actions:
                    streets[k, j] = state.actions[-1].street
                if job.histories:
                    documents.append(hand_history(state, players=[seat_names[p][(s - r) % n] for s in range(n)]))
    if job.duplicate:
        values /= n
        adjusted /= n
    return values, streets, documents, adjusted


def play_match(
    agents: Sequence[Agent | AgentSpec],
    hands: int,
    *,
    rules: Rules | None = None,
    duplicate: bool = True,
    seed: int = 0,
    workers: int = 1,
    chunk_deals: int = 250,
    histories: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
    start_method: str | None = None,
    control: Agent | AgentSpec | None = None,
    luck: bool = False,
    exact_river: bool = False,
) -> MatchResult:
    """Play ``hands`` hands (rounded up to whole deals under duplicate dealing) between ``agents``.

    ``agents`` are agents or :class:`~holdem.agents.spec.AgentSpec`; with more than one worker every
    agent must be describable by a spec (``TypeError`` otherwise) and each worker builds its own.
    One object given several times (a baseline or blueprint in every seat but the policy's) stays
    one agent, in every worker too: it is built and loaded once, its random stream shared.
    ``rules`` default to :func:`table_rules` for ``len(agents)`` players.  ``histories`` is a
    ``.phhs`` path that receives every hand in PHH.  ``progress(hands_done)`` is called as
    chunks finish.  Worker processes start with ``start_method`` (default: the platform's).

    With a ``control`` the match is paired (see the module docstring): every hand is played again
    with ``control`` in agent 0's place, both plays from the same random numbers; the control may
    be agent 0 itself (every difference is then 0), but neither may sit in another seat
    (``ValueError``: give the opponents their own agent objects).  Its hands count in ``seconds``
    and are written to ``histories`` after the match proper's hand of the same cards.

    ``luck`` (heads-up only, ``ValueError`` otherwise) also scores agent 0's hands luck-adjusted
    (:meth:`MatchResult.adjusted_estimate`); ``exact_river`` (heads-up, every agent with a policy)
    with exact river values (:meth:`MatchResult.river_estimate`).
    """
    n = len(agents)
    rules = table_rules(n) if rules is None else rules
    if rules.num_players != n:
        raise ValueError(f"{n} agents for a {rules.num_players}-seat table")
    if (luck or exact_river) and n != 2:
        raise ValueError(f"luck adjustment is heads-up; this match has {n} agents")
    if hands < 1 or chunk_deals < 1:
        raise ValueError(f"hands and chunk_deals must be positive, got {hands}, {chunk_deals}")
    per_deal = n if duplicate else 1
    deals = -(-hands // per_deal)
    chunks = [(c, first, min(chunk_deals, deals - first)) for c, first in enumerate(range(0, deals, chunk_deals))]
    if control is not None and any(agent is control or agent is agents[0] for agent in agents[1:]):
        raise ValueError("a paired match needs agent 0 and its control in agent 0's seat alone; "
                         "give the other seats their own agent objects")
    distinct = list({id(agent): agent for agent in [*agents, *([] if control is None else [control])]}.values())

    def slot(agent: Agent | AgentSpec) -> int:
        return next(u for u, entrant in enumerate(distinct) if entrant is agent)

    entrants = tuple(distinct) if workers == 1 else tuple(spec_of(agent) for agent in distinct)
    job = _Job(entrants, tuple(slot(agent) for agent in agents), None if control is None else slot(control), rules,
               seed, duplicate, histories is not None, luck, exact_river)
    played = 0

    def done(_: int, result: tuple[np.ndarray, np.ndarray, list[str], np.ndarray]) -> None:
        nonlocal played
        played += result[0].shape[1] * per_deal
        if progress is not None:
            progress(played)

    start = time.perf_counter()
    results = map_chunks(_play_chunk, job, chunks, workers, done, start_method)
    seconds = time.perf_counter() - start
    if histories is not None:
        Path(histories).write_text(join_histories(doc for _, _, docs, _ in results for doc in docs) + "\n")
    values = np.concatenate([v for v, _, _, _ in results], axis=1)
    streets = np.concatenate([s for _, s, _, _ in results])
    adjusted = np.concatenate([a for _, _, _, a in results], axis=2)
    paired = control is not None
    luck_plays = adjusted[0] if luck else (None, None)
    river_plays = adjusted[1] if exact_river else (None, None)
    return MatchResult(tuple(name_of(a) for a in agents), deals * per_deal, duplicate, rules.big_blind, values[0],
                       streets, seconds, name_of(control) if paired else None, values[1] if paired else None,
                       luck_plays[0], luck_plays[1] if paired else None,
                       river_plays[0], river_plays[1] if paired else None)
