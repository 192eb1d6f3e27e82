"""Exact river values for heads-up matches: AIVAT on the river with the players' own strategies.

Burch, Schmid, Moravcik, Morrill & Bowling 2018, "AIVAT: A New Variance Reduction Technique for
Agent Evaluation in Imperfect Information Games" (AAAI-18).  The luck ledger of
:mod:`holdem.eval.luck` values a state by all-in equity, which knows nothing of the betting still
to come; a searching agent and its blueprint part on the river, so that ledger leaves a paired
match's variance almost whole.  :class:`RiverLedger` values the river exactly instead, when both
seats' mixed strategies are known (``has_policy``).  At the measured seat's first river decision
(public state ``s``, the measured seat holding ``x`` and the opponent ``y``) it

1. computes both seats' ranges at ``s`` by Bayes through the whole history with each seat's own
   likelihoods and no floor (:func:`~holdem.search.beliefs.street_start` with ``exact``): given
   ``s``, the pair ``(x, y)`` is distributed as those ranges, card removal included;
2. reads a strategy profile for the rest of the river, every hand at every node of one betting
   tree rooted at the street start: the measured seat's, if it is a
   :class:`~holdem.search.agent.SearchAgent` searching at ``s``, from the solve it plays
   (on that solve's tree), otherwise from :meth:`~holdem.agents.base.Agent.policy_rows` on the
   betting tree of a blueprint in the match (the opponent's always so, on the same tree);
3. values that profile: ``v(n; x, y)``, the measured seat's expected net chips for the hand at every
   node ``n`` below ``s`` with its real hand against every opponent hand, and ``C``, the mean of
   ``v(s; x', y')`` over the pairs of the ranges (the range solver's evaluation).

It charges the hand ``v(s; x, y) - C`` (the luck of the private cards given ``s``, mean 0), then,
at each later decision whose mixed action ``p`` is known, ``v(taken) - sum_a p(a) v(a)`` (AIVAT's
action term, mean 0 given the history), while the real betting can be followed.  An opponent's
option that the tree lacks (a blueprint's bet size that the search's tree does not have) is valued
in the tree of the measured seat's answer to it (for a search, the re-solve it would play, solved
then and kept in its memo for when the bet comes, its time listed in ``solve_seconds``), and the
betting is followed there when he takes it.  Each
charge has mean 0, so the adjusted result has the expectation of the chips won whatever the
profile; the closer the profile is to the strategies really played (a blueprint's exactly, a
search's up to its re-solves at later decisions), the smaller its variance.  A hand without a river
decision of the measured seat is charged nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from holdem.abstraction.actions import BetSizing
from holdem.agents.base import Agent, Distribution, normalize
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.equity import hole_index
from holdem.agents.view import Decision, SeatView
from holdem.engine import Deal, State, Street
from holdem.search.agent import SearchAgent
from holdem.search.beliefs import street_start
from holdem.search.kernels import DECISION, FOLD_END, SHOWDOWN
from holdem.search.public_tree import Subgame, holdem_subgame
from holdem.search.safe import node_states, node_strategy
from holdem.search.solver import RangeSolver


def pair_values(subgame: Subgame, strategies: dict[int, np.ndarray], seat: int, hand: int) -> np.ndarray:
    """float64 ``(N, H)``: ``seat``'s expected net chips over the whole hand at every node of a river
    ``subgame`` holding row ``hand`` of the subgame's hands against each opponent hand, both
    playing ``strategies`` (decision node -> float64 ``(children, H)``); 0 for an opponent hand
    that shares a card with ``hand`` or the board."""
    tree = subgame.tree
    if np.any((tree.node_kind != DECISION) & (tree.node_kind != FOLD_END) & (tree.node_kind != SHOWDOWN)):
        raise ValueError("pair values are computed on river subgames (no chance nodes or depth-limit leaves)")
    strength = subgame.hands.strength[0]
    cards = subgame.hands.hand_cards
    valid = (strength >= 0) & ~np.isin(cards, cards[hand]).any(axis=1)
    values = np.zeros((subgame.num_nodes, subgame.num_hands))
    for node in range(subgame.num_nodes - 1, -1, -1):  # children come after their parents
        kind = tree.node_kind[node]
        contrib = tree.node_contrib[node]
        if kind == FOLD_END:
            values[node] = -contrib[seat] if tree.node_player[node] == seat else contrib[1 - seat]
        elif kind == SHOWDOWN:
            share = np.where(strength[hand] > strength, 1.0, np.where(strength[hand] == strength, 0.5, 0.0))
            values[node] = share * (contrib[0] + contrib[1]) - contrib[seat]
        else:
            children = subgame.children(node)
            strategy = strategies[node]
            weights = strategy[:, hand:hand + 1] if tree.node_player[node] == seat else strategy
            values[node] = (weights * values[children.start:children.stop]).sum(axis=0)
    values[:, ~valid] = 0.0
    return values


def _sizing(agents: Sequence[Agent], seat: int) -> BetSizing:
    """The betting of the first blueprint among ``agents`` (``seat``'s first), else the default."""
    for agent in (agents[seat], agents[1 - seat]):
        blueprint = agent if isinstance(agent, BlueprintAgent) else getattr(agent, "blueprint", None)
        if isinstance(blueprint, BlueprintAgent):
            return blueprint.blueprint.tree.game.sizing
    return BetSizing()


class _Valued(NamedTuple):
    """A river betting tree and the measured seat's values at its nodes, float64 ``(N,)``, with both
    seats' real hands (:func:`pair_values`)."""

    subgame: Subgame | None
    values: np.ndarray


class RiverLedger:
    """The exact river luck of one heads-up hand (``deal``) for ``seat``, with ``agents[s]`` playing
    seat ``s`` (see the module docstring).  :meth:`charge` every action as it is played;
    :meth:`adjusted` gives the adjusted result of the finished hand.

    Once ``started`` (the seat's first river decision), ``expected`` is ``C``, the seat's expected
    net chips there over the two ranges, and ``exact`` says whether every later action was in the
    tree and charged (then, where the profile is what both seats played, the adjusted result is
    exactly ``expected``)."""

    def __init__(self, deal: Deal, seat: int, agents: Sequence[Agent]) -> None:
        if len(agents) != 2 or len(deal.hole_cards) != 2:
            raise ValueError(f"exact river values are heads-up; the hand has {len(agents)} seats")
        blind = [agent.name for agent in agents if not agent.has_policy]
        if blind:
            raise ValueError(f"exact river values need both seats' mixed strategies; {', '.join(blind)} only "
                             "samples its actions")
        self.seat = seat
        self.agents = tuple(agents)
        self.luck = 0.0
        self.started = False
        self.expected = 0.0
        self.exact = True
        self._hands = [int(hole_index(*sorted(deal.hole_cards[s]))) for s in (0, 1)]
        self._street_state: State | None = None  # the engine state at the start of the river
        self._tree = _Valued(None, np.zeros(0))
        self._node = -1  # the node of the real betting in ``_tree``; -1 once it left the tree

    def _profile(self, view: SeatView) -> tuple[Subgame, dict[int, np.ndarray]]:
        """The betting tree of the river of ``view`` (the measured seat to act) and the strategy of
        each of its decision nodes: the measured seat's from its solve of ``view`` where it searches."""
        agents, mine = self.agents, self.agents[self.seat]
        solved = mine.solve(view) if isinstance(mine, SearchAgent) and mine.searches(view) else None
        if solved is not None:
            subgame = solved.subgame
        else:
            actions = tuple(a for a in view.actions if a.street == view.street)
            subgame = holdem_subgame(self._street_state, _sizing(agents, self.seat), actions)
        strategies = {}
        for node, state in node_states(subgame, self._street_state).items():
            player = int(subgame.tree.node_player[node])
            if solved is not None and player == self.seat:
                average = mine.config.play == "average"
                strategy = solved.solver.average_strategy(node) if average else solved.solver.current_strategy(node)
            else:
                strategy = node_strategy(agents[player].likelihoods, SeatView.of(state), subgame.decisions(node))
            strategies[node] = strategy
        return subgame, strategies

    def _valued(self, subgame: Subgame, strategies: dict[int, np.ndarray]) -> _Valued:
        """``subgame`` with the measured seat's values against the opponent's real hand."""
        values = pair_values(subgame, strategies, self.seat, self._hands[self.seat])[:, self._hands[1 - self.seat]]
        return _Valued(subgame, values)

    def _start(self, view: SeatView) -> None:
        """Value the river at the measured seat's first decision there and charge the private cards."""
        self.started = True
        agents = self.agents
        start = street_start(view, lambda _, seen, d, holes: agents[seen.seat].likelihoods(seen, d, holes),
                             exact=True)
        self._street_state = start.state
        subgame, strategies = self._profile(view)
        real = subgame.real_node
        solver = RangeSolver(subgame, start.ranges)
        path = subgame.path(real)
        forced = dict(zip(path, path[1:]))  # the betting before ``view`` is given: the ranges hold it
        for node, strategy in strategies.items():
            if node in forced:
                strategy = np.zeros_like(strategy)
                strategy[forced[node] - subgame.children(node).start] = 1.0
            solver.set_average_strategy(node, strategy)
        self.expected = float(start.ranges[self.seat] @ solver.root_values()[self.seat]) / solver.pair_weight
        self._tree, self._node = self._valued(subgame, strategies), real
        self.luck += self._tree.values[real] - self.expected

    def _off_tree(self, before: State, decision: Decision) -> tuple[_Valued, int] | None:
        """The valued tree of the measured seat's answer to the opponent's ``decision`` at ``before``,
        which the current tree lacks (a search re-solves with it inserted), and the node it leads
        to; ``None`` unless the measured seat is to act next."""
        state = before.copy()
        decision.apply(state)
        if state.is_over or state.street != Street.RIVER or state.actor != self.seat:
            return None
        subgame, strategies = self._profile(SeatView.of(state))
        return self._valued(subgame, strategies), subgame.real_node

    def charge(self, before: State, decision: Decision, distribution: Distribution | None, after: State) -> None:
        """Charge ``decision``, played at ``before`` (leading to ``after``) by the seat to act there,
        whose mixed action there is ``distribution`` (``None``: unknown).  An opponent's option that
        the tree lacks is valued in the tree of the measured seat's answer to it, and the real
        betting moves there when he takes it."""
        if not self.started:
            if before.street != Street.RIVER or before.actor != self.seat:
                return
            self._start(SeatView.of(before))
        if self._node < 0:
            return
        legal = SeatView.of(before).legal
        tree = self._tree
        leads = {normalize(d, legal): (tree, c) for c, d in zip(tree.subgame.children(self._node),
                                                                 tree.subgame.decisions(self._node))}
        taken = normalize(decision, legal)
        options = [] if distribution is None else [(normalize(d, legal), p) for d, p in distribution if p > 0.0]
        if before.actor != self.seat:
            for option in sorted({taken, *(d for d, _ in options)} - leads.keys()):
                found = self._off_tree(before, option)
                if found is not None:
                    leads[option] = found
        if options and taken in leads and all(d in leads for d, _ in options):
            total = sum(p for _, p in options)
            value = {d: valued.values[node] for d, (valued, node) in leads.items()}
            self.luck += value[taken] - sum(p * value[d] for d, p in options) / total
        else:
            self.exact = False
        self._tree, self._node = leads.get(taken, (tree, -1))
        if self._node >= 0 and self._tree.subgame.tree.node_kind[self._node] != DECISION:
            self._node = -1

    def adjusted(self, state: State) -> float:
        """The adjusted result of the finished hand: ``seat``'s chips won less the luck charged."""
        return float(state.payoffs[self.seat]) - self.luck
