"""The strategy of an agent at one decision, for every hand: what ``show`` draws and ``export`` writes.

Any agent with a policy (``action_probabilities``: a blueprint, a search agent) is asked once per
hand of the player to act, at the public state a history leads to.  The range comes with it: the
*reach* of a hand is the probability that the player, holding it, took its own actions of the
history (the product of ``agent.likelihoods`` over them), so 1 at the player's first decision.
Per-class figures are reach-weighted means over the class's hands that the board does not
block, as solvers show them; the range's action mix weights every hand by its reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.agents.base import Agent, decision_of
from holdem.agents.blueprint_agent import BlueprintAgent, bucket_rows
from holdem.agents.equity import HOLE_MASKS, HOLES, NUM_HOLES
from holdem.agents.view import Decision, DecisionKind, SeatView
from holdem.cards import format_cards, mask_of
from holdem.engine import State, Street

from .hands import HOLE_CLASS, class_average
from .history import hand_total_token


@dataclass(frozen=True)
class NodeStrategy:
    """One decision's strategy, per hand of :data:`~holdem.agents.equity.HOLES`.

    ``probs`` float64 (1326, A) gives each hand's probability of each action (columns as ``tokens``
    and ``labels``; NaN rows for hands that share a card with ``board``); ``reach`` float64 (1326,)
    is the player's probability of having played the history with each hand (0 for blocked
    hands); ``buckets`` int64 (1326,) are the blueprint's buckets of the hands (-1 blocked), or
    None for an agent without buckets.  ``position`` names the player to act ("small blind"...).
    """

    history: str
    seat: int
    position: str
    street: Street
    board: tuple[int, ...]
    pot: int
    to_call: int
    tokens: tuple[str, ...]
    labels: tuple[str, ...]
    probs: np.ndarray
    reach: np.ndarray
    buckets: np.ndarray | None

    @property
    def live(self) -> np.ndarray:
        """bool (1326,): hands the board does not block."""
        return ~np.isnan(self.probs[:, 0])

    def class_probs(self) -> np.ndarray:
        """float64 (169, A): reach-weighted action probabilities of each grid class; a class the player
        never reaches with gets the plain mean of its hands, a class the board removes NaN."""
        weighted = class_average(self.probs, self.reach)
        plain = class_average(self.probs, self.live.astype(np.float64))
        return np.where(np.isnan(weighted), plain, weighted)

    def class_reach(self) -> np.ndarray:
        """float64 (169,): mean reach of each class's unblocked hands (NaN if the board removes it)."""
        return class_average(self.reach, self.live.astype(np.float64))

    def mix(self) -> np.ndarray:
        """float64 (A,): the range's action frequencies, every hand weighted by its reach (every
        unblocked hand alike where the player never plays the history)."""
        weights = self.reach if self.reach.sum() > 0 else self.live.astype(np.float64)
        return weights @ np.nan_to_num(self.probs) / weights.sum()

    def bucket_table(self) -> list[tuple[int, int, float, np.ndarray]]:
        """``(bucket, hands, reach-weighted hands, probabilities (A,))`` per bucket with hands in it."""
        if self.buckets is None:
            return []
        rows = []
        for bucket in np.unique(self.buckets[self.buckets >= 0]).tolist():
            members = self.buckets == bucket
            weight = float(self.reach[members].sum())
            w = self.reach[members] if weight > 0 else np.ones(int(members.sum()))
            rows.append((bucket, int(members.sum()), weight, w @ self.probs[members] / w.sum()))
        return rows

    @property
    def title(self) -> str:
        """``"big blind to act, flop on Ks 7h 2h, after 'r250c/'"``-like description."""
        board = f" on {format_cards(self.board)}" if self.board else ""
        where = f"after '{self.history}'" if self.history else "the first decision"
        return f"{self.position} to act, {self.street.name.lower()}{board}, {where}"

    @classmethod
    def by_hand_class(cls, probs: np.ndarray, tokens: tuple[str, ...], labels: tuple[str, ...],
                      title: str = "") -> NodeStrategy:
        """A preflop strategy given per class, ``probs`` (169, A), every hand reached (for drawing a
        policy set by hand)."""
        return cls(title, 0, "small blind", Street.PREFLOP, (), 0, 0, tokens, labels,
                   np.asarray(probs, np.float64)[HOLE_CLASS], np.ones(NUM_HOLES), None)


def _label(decision: Decision, view: SeatView) -> str:
    legal = view.legal
    if decision.kind == DecisionKind.FOLD:
        return "fold"
    if decision.kind == DecisionKind.CHECK_CALL:
        return "check" if legal.call_amount == 0 else f"call {legal.call_amount}"
    if decision.amount == legal.max_raise_to:
        return f"all-in {decision.amount}"
    return f"{'raise to' if max(view.bets) else 'bet'} {decision.amount}"


def _position(state: State, seat: int) -> str:
    rules = state.rules
    if seat == rules.small_blind_seat:
        return "small blind"
    if seat == rules.big_blind_seat:
        return "big blind"
    return f"seat {seat}"


def reach_of(agent: Agent, state: State, holes: np.ndarray) -> np.ndarray:
    """float64 (K,): the probability that the player to act at ``state``, holding each row of
    ``holes`` (K, 2) int64, took its own actions of ``state``'s history under ``agent``."""
    seat = state.actor
    replay = State(state.rules, state.deal)
    reach = np.ones(len(holes))
    for action in state.actions:
        if action.seat == seat:
            reach *= agent.likelihoods(SeatView.of(replay), decision_of(action), holes)
        replay.apply(action)
    return reach


def node_strategy(agent: Agent, state: State, history: str = "") -> NodeStrategy:
    """The strategy of ``agent`` (which must have a policy) for the player to act at ``state``, for
    every hand the visible board does not block; ``history`` is the text shown as the node's name."""
    if not agent.has_policy:
        raise ValueError(f"{agent.name} only samples its actions: it has no strategy to show")
    view = SeatView.of(state)
    board_mask = mask_of(view.board)
    live = np.flatnonzero((HOLE_MASKS & board_mask) == 0)
    order, table = agent.policy_rows(view, HOLES[live])
    probs = np.full((NUM_HOLES, len(order)), np.nan)
    probs[live] = table
    reach = np.zeros(NUM_HOLES)
    reach[live] = reach_of(agent, state, HOLES[live])
    buckets = None
    if isinstance(agent, BlueprintAgent):
        board = np.zeros(5, np.int64)
        board[:len(view.board)] = view.board
        buckets = np.full(NUM_HOLES, -1, np.int64)
        buckets[live] = bucket_rows(*agent.blueprint.buckets.arrays, HOLES[live], board, len(view.board))
    kinds = {DecisionKind.FOLD: "f", DecisionKind.CHECK_CALL: "c", DecisionKind.RAISE: "r"}
    tokens = tuple(hand_total_token(state, kinds[d.kind], d.amount) for d in order)
    return NodeStrategy(history, view.seat, _position(state, view.seat), view.street, view.board, view.pot,
                        view.legal.call_amount, tokens, tuple(_label(d, view) for d in order), probs, reach, buckets)

