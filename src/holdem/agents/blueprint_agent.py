"""The blueprint agent: plays a trained blueprint's action probabilities, sampled with its own RNG.

A real state is mapped into the tree by replaying its betting (:func:`locate`); a bet of any size
is split between its two neighbouring tree sizes by the pseudo-harmonic mapping of Ganzfried &
Sandholm (IJCAI 2013).  A state the tree cannot represent is answered with check/call.  The
answer depends on the cards only through the bucket, so it is memoized by ``(rules, actions,
bucket)``, and likelihoods over 1326 hands ask the blueprint once per distinct bucket.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
from numba import njit

from holdem.abstraction.actions import raise_to_for_fraction, translate_bet
from holdem.abstraction.buckets import lookup
from holdem.agents.base import Distribution, PolicyAgent, policy_table, probability_of
from holdem.agents.view import Decision, SeatView
from holdem.blueprint import Blueprint
from holdem.engine import Action, ActionKind, Deal, Rules, State
from holdem.tree import CALL, DECISION, FOLD, RAISE

_CACHE_LIMIT = 200_000
_BUCKETS_KEPT = 4096
#: probability mass below which a branch of the translated node distribution is dropped
_MIN_WEIGHT = 1e-9


@njit(cache=True, nogil=True)
def bucket_rows(preflop, flop, turn, river, holes, board, n_board):
    """Bucket (K,) int64 of every row of ``holes`` (K, 2) int64 with the first ``n_board`` cards of
    ``board`` (int64 (5,)); the four arrays are a buckets file's index -> bucket tables."""
    out = np.empty(holes.shape[0], np.int64)
    for k in range(holes.shape[0]):
        out[k] = lookup(preflop, flop, turn, river, holes[k, 0], holes[k, 1], board, n_board)
    return out


def _children(blueprint: Blueprint, node: int, kind: int) -> list[int]:
    t = blueprint.nodes
    first = t.first_child[node]
    return [c for c in range(first, first + t.num_children[node]) if t.action[c] == kind]


def _advance(blueprint: Blueprint, nodes: dict[int, float], state: State, action: Action) -> dict[int, float]:
    """The tree nodes (with probabilities) ``nodes`` lead to by real ``action``, played next in
    ``state`` (as it stands before the action; left unchanged)."""
    t = blueprint.nodes
    pot, highest = state.total_pot, max(state.bets)
    to_call = max(highest - state.bets[action.seat], 0)
    moved: dict[int, float] = defaultdict(float)
    for node, weight in nodes.items():
        if t.kind[node] != DECISION:
            moved[node] += weight
            continue
        if action.kind == ActionKind.FOLD:
            targets = _children(blueprint, node, FOLD) or _children(blueprint, node, CALL)
            moved[targets[0]] += weight
        elif action.kind in (ActionKind.CHECK, ActionKind.CALL):
            moved[_children(blueprint, node, CALL)[0]] += weight
        else:
            raises = _children(blueprint, node, RAISE)
            if not raises:
                moved[_children(blueprint, node, CALL)[0]] += weight
                continue
            x = (action.amount - highest) / max(pot + to_call, 1)
            lo, hi, p_lo = translate_bet(x, [t.fraction[c] for c in raises])
            moved[raises[lo]] += weight * p_lo
            if p_lo < 1.0:
                moved[raises[hi]] += weight * (1.0 - p_lo)
    return {node: w for node, w in moved.items() if w > _MIN_WEIGHT}


class TreeWalk:
    """:func:`locate` with memory: the nodes reached by each betting walked (and the betting
    replayed) are kept, up to ``limit`` of them, so a view whose betting extends one walked before
    (a later decision of the same hand, a line of play seen in an earlier hand) only walks the
    actions added since."""

    def __init__(self, blueprint: Blueprint, limit: int = 20_000) -> None:
        self.blueprint = blueprint
        self.limit = limit
        self._rules: Rules | None = None
        self._walked: dict[tuple[Action, ...], tuple[dict[int, float], State]] = {}

    def nodes(self, view: SeatView) -> dict[int, float]:
        """The tree nodes ``view``'s betting maps to, with their probabilities (see :func:`locate`;
        the dict is the walk's own: read it, never change it)."""
        actions, walked = view.actions, self._walked
        if view.rules is not self._rules or len(walked) >= self.limit:
            n = view.rules.num_players
            if n != self.blueprint.num_players:
                raise ValueError(f"the blueprint is for {self.blueprint.num_players} players, the game has {n}")
            any_cards = Deal(tuple((2 * s, 2 * s + 1) for s in range(n)), tuple(range(2 * n, 2 * n + 5)))
            self._rules = view.rules
            walked.clear()
            walked[()] = ({0: 1.0}, State(view.rules, any_cards))  # the walk needs only the betting
        done = walked.get(actions)
        if done is not None:
            return done[0]
        start = len(actions) - 1
        while actions[:start] not in walked:
            start -= 1
        nodes, state = walked[actions[:start]]
        state = state.copy()
        for action in actions[start:]:
            nodes = _advance(self.blueprint, nodes, state, action)
            state.apply(action)
        walked[actions] = nodes, state
        return nodes


def locate(blueprint: Blueprint, view: SeatView) -> dict[int, float]:
    """The tree nodes ``view``'s betting maps to, with their probabilities; nodes that are terminal or
    belong to another seat mean "off the tree"."""
    return TreeWalk(blueprint).nodes(view)


def tree_probabilities(blueprint: Blueprint, view: SeatView, bucket: int | None = None,
                       walk: TreeWalk | None = None) -> Distribution:
    """The blueprint's mixed action for the seat to act in ``view``, as real decisions: tree raises
    become the same pot fraction of the real pot (all-in stays all-in), clipped to the legal range.
    ``bucket`` (the hole cards' at ``view``, looked up when None) and ``walk`` (a :class:`TreeWalk` kept
    between views, a new one when None) only save work."""
    t = blueprint.nodes
    legal = view.legal
    position = (view.seat - view.rules.small_blind_seat) % view.rules.num_players
    if bucket is None:
        bucket = blueprint.buckets.bucket(int(view.street), view.hole, view.board)
    pot, highest = view.pot, max(view.bets)
    mixed: dict[Decision, float] = defaultdict(float)
    for node, weight in (walk or TreeWalk(blueprint)).nodes(view).items():
        if t.kind[node] != DECISION or t.player[node] != position or t.street[node] != view.street:
            mixed[Decision.check_call()] += weight
            continue
        first = t.first_child[node]
        for c, p in enumerate(blueprint.node_strategy(node, bucket).tolist()):
            child = first + c
            kind = t.action[child]
            if kind == FOLD and legal.can_fold:
                decision = Decision.fold()
            elif kind == RAISE and legal.can_raise:
                amount = legal.max_raise_to if t.all_in[child] else raise_to_for_fraction(
                    t.fraction[child], pot, highest, legal.call_amount)
                decision = Decision.raise_to(min(max(amount, legal.min_raise_to), legal.max_raise_to))
            else:
                decision = Decision.check_call()
            mixed[decision] += weight * p
    total = sum(mixed.values())
    return [(d, p / total) for d, p in mixed.items() if p > 0.0]


class BlueprintAgent(PolicyAgent):
    """Samples :func:`tree_probabilities` of ``blueprint`` with the agent's seeded RNG."""

    name = "blueprint"

    def __init__(self, blueprint: Blueprint, seed: int = 0, name: str = "blueprint") -> None:
        super().__init__(seed)
        self.blueprint = blueprint
        self.name = name
        self._cache: dict[tuple, Distribution] = {}
        self._walk = TreeWalk(blueprint)
        self._buckets: dict[tuple, int] = {}
        self._arrays = getattr(blueprint.buckets, "arrays", None)  # None: an abstraction without tables

    @classmethod
    def load(cls, path: str | Path, seed: int = 0, name: str | None = None) -> BlueprintAgent:
        """Load a blueprint file or a run directory (its final blueprint) with ``holdem.blueprint``."""
        return cls(Blueprint.load(path), seed, name or Path(path).name)

    @property
    def rules(self) -> Rules:
        """The table the blueprint was trained for."""
        return self.blueprint.tree.game.rules()

    def _bucket(self, view: SeatView) -> int:
        """The bucket of ``view``'s hole cards and board (kept, up to ``_BUCKETS_KEPT`` of them)."""
        key = (view.street, view.hole, view.board)
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _BUCKETS_KEPT:
                self._buckets.clear()
            n = len(view.board)
            if self._arrays is None or n != view.street.board_size:  # the abstraction's own lookup (and checks)
                bucket = self.blueprint.buckets.bucket(int(view.street), view.hole, view.board)
            else:
                board = np.zeros(5, np.int64)
                board[:n] = view.board
                bucket = int(lookup(*self._arrays, view.hole[0], view.hole[1], board, n))
            self._buckets[key] = bucket
        return bucket

    def _answer(self, view: SeatView, bucket: int) -> Distribution:
        key = (view.rules, view.actions, bucket)
        answer = self._cache.get(key)
        if answer is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            answer = self._cache[key] = self.tree_probabilities(view)
        return answer

    def tree_probabilities(self, view: SeatView) -> Distribution:
        """The blueprint's answer for ``view`` (before memoization)."""
        return tree_probabilities(self.blueprint, view, self._bucket(view), self._walk)

    def action_probabilities(self, view: SeatView) -> Distribution:
        return self._answer(view, self._bucket(view))

    def _buckets_of(self, view: SeatView, holes: np.ndarray) -> np.ndarray:
        """Buckets (K,) int64 of ``holes`` (K, 2) at ``view``'s street and board."""
        arrays = self._arrays
        if arrays is None:  # a card abstraction without index tables: one call per row
            return np.array([self._bucket(view._replace(hole=(int(a), int(b)))) for a, b in holes], np.int64)
        board = np.zeros(5, np.int64)
        board[: len(view.board)] = view.board
        return bucket_rows(*arrays, holes, board, len(view.board))

    def _bucket_answers(self, view: SeatView, holes: np.ndarray) -> tuple[list[Distribution], np.ndarray]:
        """The blueprint's answer for each distinct bucket of ``holes`` (K, 2) int64 at ``view``, and
        the index (K,) of each row's answer."""
        buckets = self._buckets_of(view, holes)
        distinct, first, inverse = np.unique(buckets, return_index=True, return_inverse=True)
        answers = [self._answer(view._replace(hole=(int(holes[k, 0]), int(holes[k, 1]))), bucket)
                   for bucket, k in zip(distinct.tolist(), first.tolist())]
        return answers, inverse

    def policy_rows(self, view: SeatView, holes: np.ndarray) -> tuple[list[Decision], np.ndarray]:
        """As :meth:`Agent.policy_rows`, with one blueprint query per distinct bucket."""
        answers, inverse = self._bucket_answers(view, holes)
        order, probs = policy_table(answers, view.legal)
        return order, probs[inverse]

    def likelihoods(self, view: SeatView, decision: Decision, holes: np.ndarray) -> np.ndarray:
        """(K,) float64 over ``holes`` (K, 2) int64, one blueprint query per distinct bucket."""
        answers, inverse = self._bucket_answers(view, holes)
        return np.array([probability_of(answer, decision, view.legal) for answer in answers])[inverse]
