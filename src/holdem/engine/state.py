"""The state of one no-limit hold'em hand, advanced by verified player actions (see :mod:`holdem.engine`).

A heads-up hand (seat 0 on the button posts the small blind and acts first
preflop):

>>> from holdem.engine import Deal, Rules, State
>>> rules = Rules(stacks=(1000, 1000), small_blind=5, big_blind=10, button=0)
>>> state = State(rules, Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
>>> state.legal_actions()
LegalActions(seat=0, can_fold=True, can_check=False, call_amount=5, can_raise=True, min_raise_to=20, max_raise_to=1000)
>>> state.bet_or_raise_to(30)
Action(seat=0, kind=<ActionKind.RAISE: 4>, amount=30, street=<Street.PREFLOP: 0>, all_in=False)
>>> state.bet_or_raise_to(40)
Traceback (most recent call last):
    ...
holdem.engine.errors.IllegalActionError: raise to 40 is below the minimum raise to 50
>>> _ = state.check_or_call()                    # seat 1 calls 20; the flop comes
>>> state.street.name, state.board_text
('FLOP', 'Ks 7h 2h')
>>> _ = state.check(); _ = state.bet_or_raise_to(45); _ = state.bet_or_raise_to(970)  # check-raise
>>> _ = state.call()                             # the button calls with aces
>>> state.is_over, state.board_text
(True, 'Ks 7h 2h 9c 3d')
>>> state.stacks, state.payoffs
([2000, 0], [1000, -1000])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from holdem.cards import format_cards
from holdem.engine.actions import Action, ActionKind, LegalActions, Street
from holdem.engine.deal import Deal
from holdem.engine.errors import IllegalActionError
from holdem.engine.pots import Pot, build_pots, showdown_winnings
from holdem.engine.rules import Rules
from holdem.engine.showdown import hand_strengths

_FOLD, _CHECK, _CALL, _BET, _RAISE = ActionKind
_STREETS = tuple(Street)


class State:
    """One hand in progress or finished.  Public attributes (read, never assign): ``rules``, ``deal``,
    ``stacks`` (chips behind), ``bets`` (this street), ``contributions`` (collected into the pots),
    ``live`` (not folded), ``street``, ``actions`` and ``winnings`` (0 until the hand is over)."""

    __slots__ = (
        "rules", "deal", "stacks", "bets", "contributions", "live", "street", "actions", "winnings",
        "is_over", "_order", "_queue", "_live_count", "_max_bet", "_increment", "_acted",
        "_short_sum", "_short_count", "_showdown",
    )

    def __init__(self, rules: Rules, deal: Deal) -> None:
        """Post the antes and blinds and stop at the first decision (or the end of the hand)."""
        n = rules.num_players
        if len(deal.hole_cards) != n:
            raise ValueError(f"the deal has hole cards for {len(deal.hole_cards)} seats, the table has {n}")
        self.rules = rules
        self.deal = deal
        self.stacks = list(rules.stacks)
        self.bets = [0] * n
        self.contributions = [0] * n
        self.live = [True] * n
        self.street = Street.PREFLOP
        self.actions: list[Action] = []
        self.winnings = [0] * n
        self.is_over = False
        self._order = rules.seat_order
        self._queue: list[int] = []
        self._live_count = n
        self._max_bet = 0
        self._increment = 0
        self._acted = 0
        self._short_sum = 0
        self._short_count = 0
        self._showdown = False
        self._post_forced_bets()
        self._start_street()

    @property
    def actor(self) -> int | None:
        """The seat to act, or None when the hand is over."""
        return self._queue[0] if self._queue else None

    @property
    def board(self) -> tuple[int, ...]:
        """Board cards visible now (all five once the hand went to showdown)."""
        if self._showdown:
            return self.deal.board
        return self.deal.board[: self.street.board_size]

    @property
    def board_text(self) -> str:
        """The visible board as text, e.g. ``'Ks 7h 2h'``."""
        return format_cards(self.board)

    @property
    def went_to_showdown(self) -> bool:
        """True once the hand ended with hands compared (not everyone else folding)."""
        return self._showdown

    @property
    def total_pot(self) -> int:
        """All chips in the middle: collected pots plus this street's bets."""
        return sum(self.contributions) + sum(self.bets)

    @property
    def payoffs(self) -> list[int]:
        """Net chips won (+) or lost (-) per seat: current stacks minus starting stacks."""
        return [s - s0 for s, s0 in zip(self.stacks, self.rules.stacks)]

    def copy(self, deal: Deal | None = None) -> State:
        """An independent copy of the hand as it stands, without replaying it; with ``deal``, the same
        betting on other cards (a hand not over yet, seen by a player as more cards show).

        >>> from holdem.engine import Deal, Rules
        >>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10),
        ...               Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
        >>> _ = state.bet_or_raise_to(30)
        >>> shove = state.copy()
        >>> _ = shove.bet_or_raise_to(1000)    # seat 1 moves all-in on the copy...
        >>> shove.bets, shove.actor
        ([30, 1000], 0)
        >>> state.bets, state.actor, len(state.actions)   # ...the original still faces 30
        ([30, 10], 1, 1)
        """
        if deal is not None and (self.is_over or len(deal.hole_cards) != len(self.stacks)):
            raise ValueError("another deal needs a hand not over and hole cards for every seat")
        twin = object.__new__(State)
        twin.rules, twin.deal, twin.street, twin.is_over = self.rules, deal or self.deal, self.street, self.is_over
        twin.stacks, twin.bets = self.stacks.copy(), self.bets.copy()
        twin.contributions, twin.live = self.contributions.copy(), self.live.copy()
        twin.actions, twin.winnings, twin._queue = self.actions.copy(), self.winnings.copy(), self._queue.copy()
        twin._order, twin._live_count, twin._max_bet = self._order, self._live_count, self._max_bet
        twin._increment, twin._acted, twin._showdown = self._increment, self._acted, self._showdown
        twin._short_sum, twin._short_count = self._short_sum, self._short_count
        return twin

    def pots(self) -> list[Pot]:
        """Main pot then side pots of the chips collected so far, with their eligible seats."""
        return build_pots(self.contributions, self.live, self._order)

    def legal_actions(self) -> LegalActions:
        """The options of the player to act; raises IllegalActionError when the hand is over."""
        seat = self._actor_or_raise(None)
        bet, stack = self.bets[seat], self.stacks[seat]
        owed = self._max_bet - bet
        call = owed if owed < stack else stack
        if self._raise_block(seat) is None:
            top = stack + bet
            low = self._max_bet + max(self._increment, self.rules.big_blind)
            return LegalActions(seat, owed > 0, owed <= 0, call, True, low if low < top else top, top)
        return LegalActions(seat, owed > 0, owed <= 0, call, False, 0, 0)

    def _actor_or_raise(self, seat: int | None) -> int:
        if not self._queue:
            raise IllegalActionError("the hand is over")
        actor = self._queue[0]
        if seat is not None and seat != actor:
            raise IllegalActionError(f"seat {seat} cannot act: it is seat {actor}'s turn")
        return actor

    def _raise_block(self, seat: int) -> str | None:
        """Why ``seat`` may not bet or raise at all, or None when it may."""
        bet, stack, max_bet = self.bets[seat], self.stacks[seat], self._max_bet
        if min(stack, max_bet - bet) < self._increment or (
            self._short_count and self._short_sum < self._increment and self._acted >> seat & 1
        ):
            return (f"seat {seat} cannot raise: the betting was not reopened "
                    "(an all-in for less than a full raise), so it may only call or fold")
        if stack <= max_bet - bet:
            return f"seat {seat} cannot raise: its stack of {stack} does not cover more than a call"
        for s in range(len(self.stacks)):
            if s != seat and self.live[s] and self.stacks[s] + self.bets[s] > max_bet:
                return None
        return f"seat {seat} cannot raise: every other player is all-in or folded"

    def verify_fold(self, seat: int | None = None) -> None:
        """Raise IllegalActionError unless the player to act (``seat``, if given) may fold."""
        actor = self._actor_or_raise(seat)
        if self.bets[actor] >= self._max_bet:
            raise IllegalActionError(f"seat {actor} cannot fold: there is no bet to face, check instead")

    def verify_check(self, seat: int | None = None) -> None:
        """Raise IllegalActionError unless the player to act may check."""
        actor = self._actor_or_raise(seat)
        owed = self._max_bet - self.bets[actor]
        if owed > 0:
            raise IllegalActionError(
                f"seat {actor} cannot check: facing a bet of {self._max_bet}, "
                f"calling costs {min(owed, self.stacks[actor])}")

    def verify_call(self, seat: int | None = None) -> None:
        """Raise IllegalActionError unless the player to act faces a bet to call."""
        actor = self._actor_or_raise(seat)
        if self.bets[actor] >= self._max_bet:
            raise IllegalActionError(f"seat {actor} cannot call: there is no bet to call, check instead")

    def verify_check_or_call(self, seat: int | None = None) -> None:
        """Raise IllegalActionError unless it is ``seat``'s turn (checking or calling is then legal)."""
        self._actor_or_raise(seat)

    def verify_bet_or_raise_to(self, amount: int, seat: int | None = None) -> None:
        """Raise IllegalActionError unless the player may make the street total ``amount``."""
        actor = self._actor_or_raise(seat)
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise IllegalActionError(f"a bet or raise needs an int amount, got {amount!r}")
        reason = self._raise_block(actor)
        if reason is not None:
            raise IllegalActionError(reason)
        word = "raise" if self._max_bet else "bet"
        top = self.stacks[actor] + self.bets[actor]
        low = min(top, self._max_bet + max(self._increment, self.rules.big_blind))
        if amount < low:
            raise IllegalActionError(f"{word} to {amount} is below the minimum {word} to {low}")
        if amount > top:
            raise IllegalActionError(f"{word} to {amount} is above the maximum {word} to {top} (all-in)")

    def can_fold(self, seat: int | None = None) -> bool:
        """True when :meth:`fold` would be accepted."""
        return _accepts(self.verify_fold, seat)

    def can_check(self, seat: int | None = None) -> bool:
        """True when :meth:`check` would be accepted."""
        return _accepts(self.verify_check, seat)

    def can_call(self, seat: int | None = None) -> bool:
        """True when :meth:`call` would be accepted."""
        return _accepts(self.verify_call, seat)

    def can_check_or_call(self, seat: int | None = None) -> bool:
        """True when :meth:`check_or_call` would be accepted."""
        return _accepts(self.verify_check_or_call, seat)

    def can_bet_or_raise_to(self, amount: int, seat: int | None = None) -> bool:
        """True when :meth:`bet_or_raise_to` with ``amount`` would be accepted."""
        return _accepts(self.verify_bet_or_raise_to, seat, amount)

    def fold(self, seat: int | None = None) -> Action:
        """Fold the hand of the player to act."""
        self.verify_fold(seat)
        actor = self._pop_actor()
        self.live[actor] = False
        self._live_count -= 1
        return self._record(Action(actor, _FOLD, 0, self.street, False))

    def check(self, seat: int | None = None) -> Action:
        """Check (no bet to face)."""
        self.verify_check(seat)
        return self._check_or_call()

    def call(self, seat: int | None = None) -> Action:
        """Call the bet faced, all-in for less when the stack is short."""
        self.verify_call(seat)
        return self._check_or_call()

    def check_or_call(self, seat: int | None = None) -> Action:
        """Check when there is no bet to face, otherwise call."""
        self.verify_check_or_call(seat)
        return self._check_or_call()

    def bet_or_raise_to(self, amount: int, seat: int | None = None) -> Action:
        """Bet or raise so that the player's total for this street is ``amount``."""
        self.verify_bet_or_raise_to(amount, seat)
        actor = self._pop_actor()
        bets, stacks = self.bets, self.stacks
        kind = _RAISE if self._max_bet else _BET
        increment = amount - self._max_bet
        stacks[actor] -= amount - bets[actor]
        bets[actor] = amount
        self._max_bet = amount
        n = len(stacks)
        live = self.live
        self._queue = [s % n for s in range(actor + 1, actor + n) if live[s % n] and stacks[s % n]]
        if increment >= self._increment:
            self._acted = 1 << actor
            self._increment = increment
        if stacks[actor]:
            self._short_sum = self._short_count = 0
        else:
            self._short_sum += increment
            self._short_count += 1
            if self._short_sum >= self._increment:
                self._short_sum = self._short_count = 0
        return self._record(Action(actor, kind, amount, self.street, not stacks[actor]))

    def apply(self, action: Action) -> Action:
        """Play a recorded action again (its seat, kind and amount), verified like any other."""
        if action.kind == _FOLD:
            return self.fold(action.seat)
        if action.kind == _CHECK:
            return self.check(action.seat)
        if action.kind == _CALL:
            return self.call(action.seat)
        return self.bet_or_raise_to(action.amount, action.seat)

    def _pop_actor(self) -> int:
        actor = self._queue.pop(0)
        self._acted |= 1 << actor
        return actor

    def _check_or_call(self) -> Action:
        actor = self._pop_actor()
        owed = self._max_bet - self.bets[actor]
        stack = self.stacks[actor]
        if owed <= 0:
            return self._record(Action(actor, _CHECK, 0, self.street, False))
        amount = owed if owed < stack else stack
        self.bets[actor] += amount
        self.stacks[actor] = stack - amount
        return self._record(Action(actor, _CALL, amount, self.street, amount == stack))

    def _record(self, action: Action) -> Action:
        self.actions.append(action)
        if not self._queue or self._live_count <= 1:
            self._end_street()
        return action

    def _post_forced_bets(self) -> None:
        """Antes first (the uncalled part returned), then blinds, in pokerkit's amounts."""
        rules, stacks, bets = self.rules, self.stacks, self.bets
        ante = rules.ante
        if ante:
            for seat, stack in enumerate(rules.stacks):
                posted = ante if ante < stack else stack
                stacks[seat] -= posted
                bets[seat] = posted
            self._collect_bets()
        for seat, blind in ((rules.small_blind_seat, rules.small_blind), (rules.big_blind_seat, rules.big_blind)):
            posted = min(blind, rules.stacks[seat] - min(ante, rules.stacks[seat]))
            stacks[seat] -= posted
            bets[seat] = posted

    def _start_street(self) -> None:
        """Open the betting of ``self.street`` (later streets left of the button, preflop after the poster
        of the largest blind, the later one on a tie); end it at once when nobody can act."""
        bets, stacks, live, order = self.bets, self.stacks, self.live, self._order
        opener = 0
        if self.street == Street.PREFLOP:
            rules = self.rules
            sb, bb = rules.small_blind_seat, rules.big_blind_seat
            last = sb if bets[sb] > bets[bb] or (bets[sb] == bets[bb] and sb == order[-1]) else bb
            if bets[last]:
                opener = order.index(last) + 1
            if opener == len(order):
                opener = 0
        self._max_bet = max_bet = max(bets)
        totals = sorted(bets[s] + stacks[s] for s in order if live[s])
        second = totals[-2]
        self._queue = queue = [
            s for s in order[opener:] + order[:opener] if live[s] and stacks[s] and bets[s] < second
        ]
        self._increment = self._acted = self._short_sum = self._short_count = 0
        if not queue or (len(queue) == 1 and bets[queue[0]] >= max_bet):
            self._end_street()

    def _collect_bets(self) -> None:
        """Return the part of the largest bet nobody matched, then move the bets into the pots."""
        bets, stacks, contributions = self.bets, self.stacks, self.contributions
        cutoff = sorted(bets)[-2]
        for seat, bet in enumerate(bets):
            if bet > cutoff:
                stacks[seat] += bet - cutoff
                bet = cutoff
            contributions[seat] += bet
            bets[seat] = 0

    def _end_street(self) -> None:
        self._queue = []
        self._collect_bets()
        if self._live_count == 1:
            self._award([sum(self.contributions) if alive else 0 for alive in self.live])
        elif self.street == Street.RIVER or sum(
            1 for s, alive in enumerate(self.live) if alive and self.stacks[s]
        ) <= 1:
            self._showdown = True
            strength = hand_strengths(self.deal.hole_cards, self.deal.board, self.live)
            self._award(showdown_winnings(self.contributions, self.live, self._order, strength))
        else:
            self.street = _STREETS[self.street + 1]
            self._start_street()

    def _award(self, winnings: list[int]) -> None:
        self.winnings = winnings
        for seat, chips in enumerate(winnings):
            self.stacks[seat] += chips
        self.is_over = True

    def __repr__(self) -> str:
        where = "over" if self.is_over else f"{self.street.name.lower()}, seat {self.actor} to act"
        return f"<State {self.rules.num_players} players, {where}, stacks {self.stacks}>"


def _accepts(verify: Callable[..., None], seat: int | None, *args: int) -> bool:
    try:
        verify(*args, seat=seat)
    except IllegalActionError:
        return False
    return True


def replay(rules: Rules, deal: Deal, actions: Sequence[Action]) -> State:
    """Rebuild a hand from its rules, deal and action records (each one verified again)."""
    state = State(rules, deal)
    for action in actions:
        state.apply(action)
    return state
