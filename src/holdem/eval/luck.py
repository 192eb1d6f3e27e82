"""Luck-adjusted heads-up results: control variates for chance and for an opponent's known policy.

Burch, Schmid, Moravcik, Morrill & Bowling 2018, "AIVAT: A New Variance Reduction Technique for
Agent Evaluation in Imperfect Information Games" (AAAI-18).  Along a played hand, every event
whose probabilities are known is charged with its luck, the value ``v`` of what happened less the
expected value of what could have happened:

- a board card (or cards) dealt: ``v(after) - v(before)``, as ``v`` is the all-in equity value
  below, whose mean over the cards that can come is exactly ``v(before)``;
- an action of the opponent, whose mixed strategy at his real hand is known
  (:meth:`holdem.agents.base.Agent.action_probabilities`): ``v(taken) - sum_a p(a) v(a)``.

The luck-adjusted result, the chips won less the hand's total luck, has the same expectation as the
chips won whatever ``v`` is (each charge has mean 0 given everything before it), and a much smaller
variance when ``v`` predicts the result well.  Here ``v`` is the all-in equity value for the
player measured: with ``m`` the chips both players have matched (the smaller total put in), ``v =
e * 2m - m``, ``e`` his exact share of the pot at showdown against the opponent's real hand over
every runout of the board (:func:`holdem.agents.equity.heads_up_equity`); after a fold, the chips
the fold settles.  The player's own decisions are charged nothing: they are what is measured.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from holdem.agents.base import Distribution
from holdem.agents.equity import heads_up_equity
from holdem.agents.view import Decision
from holdem.engine import Deal, State


def _equity(mine: tuple[int, int], theirs: tuple[int, int], board: tuple[int, ...]) -> float:
    """Exact share of the pot of ``mine`` against ``theirs`` on ``board`` (the two seats of a duplicate
    deal share one computation: a preflop one enumerates 1.7 million boards)."""
    if mine > theirs:
        return 1.0 - _ordered_equity(theirs, mine, board)
    return _ordered_equity(mine, theirs, board)


@lru_cache(maxsize=4096)
def _ordered_equity(mine: tuple[int, int], theirs: tuple[int, int], board: tuple[int, ...]) -> float:
    cards = np.zeros(5, np.int64)
    cards[:len(board)] = board
    return float(heads_up_equity(mine[0], mine[1], theirs[0], theirs[1], cards, len(board)))


class LuckLedger:
    """The luck of one heads-up hand (``deal``) for ``seat``, charged as it is played (see the module
    docstring).

    Play every action (both seats') through :meth:`apply`, or :meth:`charge` it once played
    (:meth:`opponent_acts` for an opponent action whose distribution is known, then
    :meth:`after_action` for the cards it brings); :meth:`adjusted` gives the luck-adjusted result
    of the finished hand."""

    def __init__(self, deal: Deal, seat: int) -> None:
        holes = deal.hole_cards
        if len(holes) != 2:
            raise ValueError(f"luck adjustment is heads-up; the deal has {len(holes)} seats")
        self.seat = seat
        self.luck = 0.0
        self._mine, self._theirs = tuple(sorted(holes[seat])), tuple(sorted(holes[1 - seat]))

    def _showdown_value(self, state: State, board: tuple[int, ...]) -> float:
        """``e * 2m - m`` for the chips matched in ``state`` and ``e`` on ``board``."""
        matched = min(state.contributions[s] + state.bets[s] for s in (0, 1))
        return _equity(self._mine, self._theirs, tuple(board)) * 2 * matched - matched

    def _value(self, state: State, board: tuple[int, ...]) -> float:
        """``v`` after an action taken with ``board`` showing: the result of a fold, else the
        showdown value on ``board`` (later cards are charged to chance)."""
        if state.is_over and not state.went_to_showdown:
            return float(state.payoffs[self.seat])
        return self._showdown_value(state, board)

    def opponent_acts(self, state: State, distribution: Distribution, decision: Decision) -> None:
        """Charge the luck of the opponent playing ``decision`` at ``state`` (his turn, not yet
        applied) when he plays ``distribution`` there."""
        board = state.board
        total = sum(p for _, p in distribution)
        expected = 0.0
        for option, p in distribution:
            if p > 0.0:
                after = state.copy()
                option.apply(after)
                expected += p * self._value(after, board)
        after = state.copy()
        decision.apply(after)
        self.luck += self._value(after, board) - expected / total

    def after_action(self, board_before: tuple[int, ...], state: State) -> None:
        """Charge the cards that ``state`` shows beyond ``board_before`` (the board when the last
        action was taken), and at a showdown the rest of the runout."""
        if state.is_over and not state.went_to_showdown:
            return
        if len(state.board) == len(board_before) and not state.is_over:
            return
        before = self._showdown_value(state, board_before)
        after = float(state.payoffs[self.seat]) if state.is_over else self._showdown_value(state, state.board)
        self.luck += after - before

    def charge(self, before: State, decision: Decision, distribution: Distribution | None, after: State) -> None:
        """Charge ``decision``, played at ``before`` (leading to ``after``) by the seat to act there:
        the opponent's luck when ``distribution`` (his mixed action there) is given, and that of the
        cards it brings."""
        if distribution is not None and before.actor != self.seat:
            self.opponent_acts(before, distribution, decision)
        self.after_action(before.board, after)

    def apply(self, state: State, decision: Decision, distribution: Distribution | None = None) -> None:
        """Apply ``decision`` to ``state`` and :meth:`charge` it."""
        before = state.copy()
        decision.apply(state)
        self.charge(before, decision, distribution, state)

    def adjusted(self, state: State) -> float:
        """The luck-adjusted result of the finished hand: ``seat``'s chips won less the luck."""
        return float(state.payoffs[self.seat]) - self.luck
