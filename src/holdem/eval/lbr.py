"""Local best response (LBR) against a heads-up agent: a lower bound on its exploitability.

Lisy & Bowling 2017, "Equilibrium Approximation Quality of Current No-Limit Poker Bots"
(AAAI-17 Workshop on Computer Poker and Imperfect Information Games; arXiv:1612.07547).
LBR plays against the agent while tracking the agent's range, a weight per hole pair (1326,)
float64: every observed action multiplies each hand's weight by the probability that the
agent, holding that hand, takes that exact action, raise size included (Bayes' rule over
``agent.likelihoods``); hands that share a card with LBR's hole or the board get weight 0.
At each of its decisions LBR computes its equity ``wp`` against the range with the board run
out and no further betting (:func:`holdem.agents.equity.range_equity`: exact from the flop on,
sampled preflop), and values each action relative to folding (0), with ``pot`` every chip in
the middle and ``to_call`` what LBR must add to call::

    call:   wp * pot - (1 - wp) * to_call
    raise:  fp * pot + (1 - fp) * (wp' * (pot + x - to_call) - (1 - wp') * x)

for a raise adding ``x`` chips (the opponent calls ``x - to_call`` more), where ``fp`` is the
range-weighted probability that the agent folds to it and ``wp'`` is LBR's equity against the
hands that do not fold (the range times each hand's probability of not folding, as in the
paper's pseudocode).  LBR plays the best action if its value is positive and folds (checks
if free) otherwise.

The paper's variants (its Table 3) differ in LBR's raise sizes and in the rounds where the
rule is used; before ``LBRConfig.first_street`` LBR only checks or calls.  :data:`VARIANTS`
holds them by name; the default is the paper's "fcpa, rounds 3-4" (check/call preflop and on
the flop; fold, call, pot raise or all-in on the turn and river), its strongest on-tree
setting: Slumbot 2016 lost 4020 +- 115 mbb/hand to it, 522 +- 50 to "fc, rounds 1-4".

Whatever LBR's choices, its win rate is a real win rate against the agent, so the estimate
(mbb/hand with a 95% interval over duplicate deals, LBR playing both seats of each deal) is
a lower bound on the agent's exploitability up to sampling error.  Each hand's luck-adjusted
result (:mod:`holdem.eval.luck`) gives a second estimate of the same win rate with a narrower
interval.  An agent that only samples
its actions (no ``action_probabilities``) reveals nothing about its range: LBR then keeps the
range uniform over the unblocked hands (narrowed by card removal only) and assumes the agent
never folds to a raise.  Always-fold loses 750 mbb/hand (the blinds) to every variant that
raises.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from holdem.agents.base import Agent, normalize, pot_raise_to
from holdem.agents.equity import HOLE_MASKS, HOLES, NUM_HOLES, range_equity
from holdem.agents.view import Decision, SeatView
from holdem.cards import mask_of
from holdem.agents.spec import AgentSpec, build, name_of, spec_of
from holdem.engine import Deal, Rules, State, Street
from holdem.eval.luck import LuckLedger
from holdem.eval.match import table_rules
from holdem.eval.parallel import derive_seed, map_chunks
from holdem.eval.stats import Estimate, mbb_estimate

#: last parts of the hands' and the opponent's seeds, so that no two of a chunk's seeds are equal
#: (``derive_seed`` ignores trailing zeros within four words: untagged, the first hand's seed was the
#: chunk's card seed and the opponent's the second hand's, though each fed another kind of generator)
_HAND_STREAM, _OPPONENT_STREAM = 1, 2
_FOLD = Decision.fold()
_CALL = Decision.check_call()


@dataclass(frozen=True)
class LBRConfig:
    """LBR's actions: raises of ``pot_fractions`` of the pot after calling plus all-in (when
    ``all_in``), from ``first_street`` on (check/call before it); preflop equity samples."""

    pot_fractions: tuple[float, ...] = (1.0,)
    all_in: bool = True
    first_street: Street = Street.TURN
    preflop_samples: int = 1000

    def __post_init__(self) -> None:
        if any(f <= 0 for f in self.pot_fractions) or self.preflop_samples < 1:
            raise ValueError(f"pot fractions and preflop samples must be positive, got {self}")

    @classmethod
    def variant(cls, name: str, preflop_samples: int = 1000) -> LBRConfig:
        """One of the paper's settings by name (:data:`VARIANTS`)."""
        try:
            fractions, all_in, first = VARIANTS[name]
        except KeyError:
            raise ValueError(f"unknown LBR variant {name!r}; choose from {', '.join(VARIANTS)}") from None
        return cls(fractions, all_in, first, preflop_samples)


#: 55 pot fractions 0.05 * 1.15^k, k = 0..54, the paper's "56 bets" with all-in
_BETS56 = tuple(round(0.05 * 1.15 ** k, 6) for k in range(55))
#: the paper's Table 3 settings: name -> (pot fractions, all-in, first street of the LBR rule);
#: "fc" is fold/call only, "fcpa" adds a pot raise and all-in; "-34" checks/calls in rounds 1-2
VARIANTS: dict[str, tuple[tuple[float, ...], bool, Street]] = {
    "fcpa-34": ((1.0,), True, Street.TURN),
    "fc-1234": ((), False, Street.PREFLOP),
    "fc-34": ((), False, Street.TURN),
    "56bets-1234": (_BETS56, True, Street.PREFLOP),
    "56bets-34": (_BETS56, True, Street.TURN),
}
DEFAULT_VARIANT = "fcpa-34"


class LocalBestResponse:
    """LBR's decision rule and range tracking against one agent (used by :func:`local_best_response`)."""

    def __init__(self, opponent: Agent, config: LBRConfig = LBRConfig()) -> None:
        self.opponent = opponent
        self.config = config
        self._board = np.zeros(5, np.int64)

    def _possible(self, weights: np.ndarray, known: int) -> np.ndarray:
        """Indices of range hands with weight that the known cards do not block."""
        return np.flatnonzero((weights > 0.0) & ((HOLE_MASKS & known) == 0))

    def observe(self, view: SeatView, decision: Decision, weights: np.ndarray, known: int) -> None:
        """Bayes update of ``weights`` (1326,) after the opponent played ``decision`` at ``view``;
        ``known`` is the mask of the cards LBR can see (hands they block get weight 0)."""
        weights[(HOLE_MASKS & known) != 0] = 0.0
        if not self.opponent.has_policy:
            return
        rows = self._possible(weights, known)
        weights[rows] *= self.opponent.likelihoods(view, normalize(decision, view.legal), HOLES[rows])
        total = weights[rows].sum()
        if total > 0.0:
            weights[rows] /= total
        else:  # the policy gives the observed action probability 0 everywhere: start over uniform
            weights[rows] = 1.0

    def _fold_likelihoods(self, state: State, raise_to: int, weights: np.ndarray,
                          known: int) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, folds)``: the possible range hands (indices) and the probability (float64) that
        the opponent holding each folds if LBR raises to ``raise_to`` now."""
        rows = self._possible(weights, known)
        if not self.opponent.has_policy:
            return rows, np.zeros(len(rows))
        after = state.copy()
        after.bet_or_raise_to(raise_to)
        return rows, self.opponent.likelihoods(SeatView.of(after), _FOLD, HOLES[rows])

    def fold_probability(self, state: State, raise_to: int, weights: np.ndarray, known: int) -> float:
        """Range-weighted probability that the opponent folds if LBR raises to ``raise_to`` now."""
        rows, folds = self._fold_likelihoods(state, raise_to, weights, known)
        return float(np.dot(weights[rows], folds) / weights[rows].sum())

    def _equity(self, view: SeatView, weights: np.ndarray, seed: int) -> float:
        board = self._board
        board[: len(view.board)] = view.board
        return range_equity(view.hole[0], view.hole[1], board, len(view.board), weights,
                            self.config.preflop_samples, seed)

    def action_values(self, state: State, view: SeatView, weights: np.ndarray, seed: int) -> dict[Decision, float]:
        """LBR's value (chips, relative to folding) of checking/calling and of each of its raises
        at ``view`` (its own seat to act) against the range ``weights`` (see the module docstring)."""
        legal = view.legal
        known = mask_of(view.hole) | mask_of(view.board)
        wp = self._equity(view, weights, seed)
        if np.isnan(wp):  # the board blocks every hand of the range: start over uniform
            weights[:] = 1.0
            wp = self._equity(view, weights, seed)
        pot, to_call = view.pot, legal.call_amount
        values = {_CALL: wp * pot - (1.0 - wp) * to_call}
        if legal.can_raise:
            amounts = {pot_raise_to(view, f) for f in self.config.pot_fractions}
            if self.config.all_in:
                amounts.add(legal.max_raise_to)
            for amount in sorted(amounts):
                x = amount - view.bets[view.seat]
                rows, folds = self._fold_likelihoods(state, amount, weights, known)
                calling = np.zeros(NUM_HOLES)
                calling[rows] = weights[rows] * (1.0 - folds)
                fp = 1.0 - calling.sum() / weights[rows].sum()
                u = fp * pot
                if calling.sum() > 0.0:
                    wc = self._equity(view, calling, seed)
                    u += (1.0 - fp) * (wc * (pot + x - to_call) - (1.0 - wc) * x)
                values[Decision.raise_to(amount)] = u
        return values

    def decide(self, state: State, view: SeatView, weights: np.ndarray, seed: int) -> Decision:
        """LBR's action at ``view`` (its own seat to act): check/call before ``config.first_street``,
        else the most valuable of :meth:`action_values` if positive, otherwise fold (check if free)."""
        if view.street < self.config.first_street:
            return _CALL
        values = self.action_values(state, view, weights, seed)
        best = max(values, key=values.__getitem__)
        return best if values[best] > 0.0 else _FOLD

    def play(self, rules: Rules, deal: Deal, seat: int, seed: int) -> tuple[int, float]:
        """Play one hand with LBR in ``seat``; returns LBR's net chips and their luck-adjusted value
        (:mod:`holdem.eval.luck`: the luck of the cards and of the opponent's mixed actions taken out)."""
        state = State(rules, deal)
        ledger = LuckLedger(deal, seat)
        weights = np.ones(NUM_HOLES)
        hole = deal.hole_cards[seat]
        while not state.is_over:
            view = SeatView.of(state)
            distribution = None
            if view.seat == seat:
                decision = self.decide(state, view, weights, seed)
            else:
                distribution = self.opponent.action_probabilities(view) if self.opponent.has_policy else None
                decision = self.opponent.act(view)
                self.observe(view, decision, weights, mask_of(hole) | mask_of(view.board))
            ledger.apply(state, decision, distribution)
        return state.payoffs[seat], ledger.adjusted(state)


@dataclass(frozen=True)
class LBRResult:
    """LBR's results per deal, float64 (deals,): ``values``, chips per hand won by LBR, and
    ``adjusted``, the same luck-adjusted (:mod:`holdem.eval.luck`)."""

    opponent: str
    hands: int
    big_blind: int
    values: np.ndarray
    adjusted: np.ndarray
    seconds: float

    def estimate(self) -> Estimate:
        """LBR's win rate in mbb/hand with a 95% interval over deals (the agent's is its negative)."""
        return mbb_estimate(self.values, self.big_blind)

    def adjusted_estimate(self) -> Estimate:
        """The same from the luck-adjusted results: the same expectation, a smaller variance."""
        return mbb_estimate(self.adjusted, self.big_blind)


@dataclass(frozen=True)
class _Job:
    """An LBR run's description; :meth:`build` makes the LBR player (once per process)."""

    opponent: Agent | AgentSpec
    config: LBRConfig
    rules: Rules
    seed: int

    def build(self) -> _Context:
        return _Context(LocalBestResponse(build(self.opponent), self.config), self.rules, self.seed)


@dataclass(frozen=True)
class _Context:
    lbr: LocalBestResponse
    rules: Rules
    seed: int


def _play_chunk(job: _Context, chunk: tuple[int, int]) -> np.ndarray:
    index, count = chunk
    job.lbr.opponent.reseed(derive_seed(job.seed, index, _OPPONENT_STREAM))
    deal_rng = random.Random(derive_seed(job.seed, index))
    values = np.zeros((count, 2))  # columns: chips won, luck-adjusted
    for k in range(count):
        deal = Deal.shuffled(2, deal_rng)
        hand_seed = derive_seed(job.seed, index, k, _HAND_STREAM)
        values[k] = np.add(job.lbr.play(job.rules, deal, 0, hand_seed), job.lbr.play(job.rules, deal, 1, hand_seed)) / 2
    return values


def local_best_response(
    opponent: Agent | AgentSpec,
    hands: int,
    *,
    rules: Rules | None = None,
    config: LBRConfig = LBRConfig(),
    seed: int = 0,
    workers: int = 1,
    chunk_deals: int = 25,
    progress: Callable[[int], None] | None = None,
    start_method: str | None = None,
) -> LBRResult:
    """Play ``hands`` hands (rounded up to whole deals, LBR in both seats of each) of LBR against
    a heads-up ``opponent``; ``progress(hands_done)`` is called as chunks finish.  With more than
    one worker the opponent travels as its :class:`~holdem.agents.spec.AgentSpec` and each worker
    process (started with ``start_method``, default the platform's) builds its own."""
    rules = table_rules(2) if rules is None else rules
    if rules.num_players != 2:
        raise ValueError(f"local best response is heads-up; the table has {rules.num_players} seats")
    if hands < 1 or chunk_deals < 1:
        raise ValueError(f"hands and chunk_deals must be positive, got {hands}, {chunk_deals}")
    deals = -(-hands // 2)
    chunks = [(c, min(chunk_deals, deals - first)) for c, first in enumerate(range(0, deals, chunk_deals))]
    played = 0

    def done(_: int, values: np.ndarray) -> None:
        nonlocal played
        played += 2 * len(values)
        if progress is not None:
            progress(played)

    job = _Job(opponent if workers == 1 else spec_of(opponent), config, rules, seed)
    start = time.perf_counter()
    results = map_chunks(_play_chunk, job, chunks, workers, done, start_method)
    seconds = time.perf_counter() - start
    results = np.concatenate(results)
    return LBRResult(name_of(opponent), 2 * deals, rules.big_blind, results[:, 0].copy(), results[:, 1].copy(),
                     seconds)
