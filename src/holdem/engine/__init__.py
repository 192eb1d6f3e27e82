"""No-limit Texas hold'em rules engine for 2 to 10 players.

``Rules`` fixes stacks, blinds, ante and button; ``Deal`` fixes the cards; ``State`` runs the hand.
Player actions come in pokerkit's three forms (``verify_x`` raises :class:`IllegalActionError`
with the reason, ``can_x`` answers, ``x`` applies); forced bets, dealing and payouts happen by
themselves.  ``replay`` rebuilds a hand from its action records, ``State.copy`` forks one.

A three-handed hand with antes, a short all-in and a side pot (seat 2 is the
button, so seat 0 posts the small blind and seat 1 the big blind):

>>> from holdem.engine import Deal, Rules, State, format_history
>>> rules = Rules(stacks=(1000, 300, 1000), small_blind=10, big_blind=20, ante=5, button=2)
>>> deal = Deal.parse(["Ah Kh", "Qs Qd", "7c 7d"], "Kd 9h 4h 2c 2s")
>>> state = State(rules, deal)
>>> state.actor, state.legal_actions().min_raise_to
(2, 40)
>>> _ = state.bet_or_raise_to(60)      # the button raises
>>> _ = state.bet_or_raise_to(200)     # the small blind re-raises
>>> _ = state.bet_or_raise_to(295)     # the big blind is all-in for 295
>>> state.legal_actions().min_raise_to  # 95 more is short of a full raise (140), but the
435
>>> _ = state.fold()                   # button has not acted since: it may raise; it folds
>>> state.legal_actions()              # the small blind already acted: call or fold only
LegalActions(seat=0, can_fold=True, can_check=False, call_amount=95, can_raise=False, min_raise_to=0, max_raise_to=0)
>>> _ = state.call()
>>> state.is_over, state.pots()         # 300 + 300 + the button's 65
(True, [Pot(amount=665, eligible=(0, 1))])
>>> state.payoffs                      # kings and twos beat queens and twos
[365, -300, -65]
>>> print(format_history(state))  # doctest: +ELLIPSIS
Rules: 3 players, blinds 10/20, ante 5, button seat 2
Stacks: seat 0 1000, seat 1 300, seat 2 1000
...
Board: Kd 9h 4h 2c 2s
Showdown: seat 0 Ah Kh (two pair, kings and twos), seat 1 Qs Qd (two pair, queens and twos)
Pots: 665 (seats 0, 1)
Won: seat 0 665
Result: seat 0 +365, seat 1 -300, seat 2 -65

Rules, and where rulebooks differ the choice made (pokerkit 0.7.7's behaviour, which the
differential tests hold the engine to):

* Ante: every player posts the same ante (capped at the stack) before the blinds; antes count
  as contributions for side pots; an ante larger than every other is returned in part.  A
  player's blind is capped at the starting stack minus the ante.
* Heads-up the button posts the small blind, acts first preflop and last on later streets.
  Otherwise the first player left of the big blind opens preflop (the seat after the poster of
  the largest blind) and the first live player left of the button opens later streets.
* Minimum bet and raise: at least the largest increment of the street so far and at least one
  big blind (on every street); the blinds are not increments.  All-in for less is always allowed.
* Short all-in: an all-in raise smaller than the largest increment does not reopen the betting
  for players who already acted since the last full raise (they may only call or fold), unless
  consecutive short all-ins together reach a full increment.  A player whose call amount is
  smaller than the largest increment may not raise either.
* No raise when every other live player is all-in (or folded), or when the stack does not
  exceed the call; no fold when there is nothing to call.
* Uncalled bets: at the end of each street the part of the largest bet above the second largest
  is returned.  When everyone else folds the last live player takes all pots, no showdown; when
  at most one live player has chips behind, the board is run out and the hands shown down.
* Pots: one per contribution level, eligible to the live players who reached it.  At showdown
  the hands that can win nothing are mucked first and pots with the same eligible players
  merged; each pot is split evenly, the odd chip to the first winner clockwise from the button
  (heads-up: the big blind before the button).
"""

from holdem.engine.actions import STREETS, Action, ActionKind, LegalActions, Street
from holdem.engine.deal import Deal
from holdem.engine.errors import IllegalActionError
from holdem.engine.history import format_history
from holdem.engine.pots import Pot, build_pots, showdown_winnings
from holdem.engine.rules import MAX_PLAYERS, MIN_PLAYERS, Rules
from holdem.engine.state import State, replay

__all__ = [
    "MAX_PLAYERS", "MIN_PLAYERS", "Action", "ActionKind", "Deal", "IllegalActionError", "LegalActions", "Pot",
    "Rules", "State", "Street", "STREETS", "build_pots", "format_history", "replay", "showdown_winnings",
]
