"""The lines of the ACPC protocol 2.0.0 and the engine hands they describe.

The dealer sends ``MATCHSTATE:<position>:<hand>:<betting>:<cards>`` to every player after each
action; the player to act answers with the same line plus ``:<action>``.  Betting is ``f``
(fold), ``c`` (check or call) and ``r<N>`` (raise), rounds separated by ``/``, where ``N`` is the
total the raiser has put in over the whole hand, blinds included (the engine's raises count this
street only).  Cards are the hole cards per seat, ``|``-separated and empty where unknown, then
``/`` and the board cards dealt in each later round.  ``position`` is the receiver's seat in this
hand; seats are the game definition's (heads-up with reverse blinds, seat 0 posts the big blind).

>>> from holdem.acpc.gamedef import GameDef, SHIPPED
>>> game = GameDef.load(SHIPPED)
>>> line = "MATCHSTATE:0:30:r300c/:9s8h|/8c8d5c"
>>> seen = MatchState.parse(line, game.num_players)
>>> state = seen.state(game.rules())
>>> state.street.name, state.actor, state.contributions
('FLOP', 0, [300, 300])
>>> wire_action(SeatView.of(state), Decision.raise_to(400))    # 400 on the flop is 700 over the hand
'r700'
>>> matchstate_line(state, 0, 30) == line
True
>>> _ = state.bet_or_raise_to(400); _ = state.bet_or_raise_to(19700)   # all-in, called: run it out
>>> _ = state.call()
>>> betting_text(state)
'r300c/r700r20000c//'
"""

from __future__ import annotations

import re
from typing import NamedTuple

from holdem.agents import Decision, DecisionKind, SeatView, normalize
from holdem.cards import RANKS, SUITS
from holdem.engine import ActionKind, Deal, IllegalActionError, Rules, State

PREFIX = "MATCHSTATE:"
#: the longest line read from the wire (longer ones are refused)
MAX_LINE = 4096
_CARDS = {r + s: 4 * i + j for i, r in enumerate(RANKS) for j, s in enumerate(SUITS)}
_NAMES = {card: name for name, card in _CARDS.items()}
_FIELDS = re.compile(r"MATCHSTATE:(\d{1,9}):(\d{1,10}):([fcr0-9/]*):([2-9TJQKAcdhs|/]*)")
_ACTION = re.compile(r"[fc]|r\d{1,9}")
_TOKENS = re.compile(r"[fc]|r\d*|\d+")
_RESPONSE = re.compile(r"([fFcCkK])|[rRbB]\s*([-+]?\d+)")
_NUM_ROUNDS = 4
_BOARD_CUTS = (0, 3, 4, 5)
_FOLD, _CHECK, _CALL = ActionKind.FOLD, ActionKind.CHECK, ActionKind.CALL
#: betting added to a line that needs no parsing: nothing, or one check/call or fold
_SIMPLE_BETTING = {"": ((),), "c": (("c",),), "f": (("f",),)}


class ProtocolError(ValueError):
    """A line that breaks the protocol or the rules; the message quotes the line."""


def quote(line: str) -> str:
    """``line`` as messages name it: its repr, cut to 120 characters."""
    return repr(line) if len(line) <= 120 else f"{line[:120]!r}... ({len(line)} characters)"


class MatchState(NamedTuple):
    """One parsed MATCHSTATE line: the receiver's ``position``, the ``hand`` number, the betting as
    actions per round (``'f'``, ``'c'``, ``'r<N>'``), the hole cards per seat (``()`` when unknown)
    and the board cards dealt in each round after the first."""

    line: str
    position: int
    hand: int
    rounds: tuple[tuple[str, ...], ...]
    holes: tuple[tuple[int, ...], ...]
    boards: tuple[tuple[int, ...], ...]

    @classmethod
    def parse(cls, line: str, num_players: int) -> MatchState:
        """The state of ``line`` for a game of ``num_players`` (:class:`ProtocolError` naming the line
        when it is not a well-formed MATCHSTATE of such a game)."""
        match = _FIELDS.fullmatch(line)
        if match is None:
            raise ProtocolError(f"not a MATCHSTATE line: {quote(line)}")
        position, hand = int(match.group(1)), int(match.group(2))
        if position >= num_players:
            raise ProtocolError(f"position {position} is not a seat of a {num_players}-player game in {quote(line)}")
        try:
            rounds = parse_betting(match.group(3))
            holes, boards = parse_cards(match.group(4), num_players, len(rounds))
        except ProtocolError as e:
            raise ProtocolError(f"{e} in {quote(line)}") from None
        if not holes[position]:
            raise ProtocolError(f"the receiver's hole cards are missing in {quote(line)}")
        return cls(line, position, hand, rounds, holes, boards)

    def state(self, rules: Rules) -> State:
        """The engine's hand: the betting replayed on ``rules`` (unknown cards filled with unseen
        ones); :class:`ProtocolError` naming the line when the rules forbid it."""
        try:
            return replay_betting(rules, self.rounds, self.holes, self.boards)
        except ProtocolError as e:
            raise ProtocolError(f"{e} in {quote(self.line)}") from None


def parse_betting(text: str) -> tuple[tuple[str, ...], ...]:
    """The actions of each round of betting ``text`` (``'r300c/cr900'`` -> ``(('r300', 'c'), ('c', 'r900'))``)."""
    rounds = text.split("/")
    if len(rounds) > _NUM_ROUNDS:
        raise ProtocolError(f"betting {text!r} has {len(rounds)} rounds; hold'em has {_NUM_ROUNDS}")
    out = []
    for r in rounds:
        actions = _TOKENS.findall(r)
        bad = next((a for a in actions if not _ACTION.fullmatch(a)), None)
        if bad is not None:
            raise ProtocolError(f"bad action {bad!r} in betting {text!r}")
        out.append(tuple(actions))
    return tuple(out)


def parse_cards(text: str, num_players: int, num_rounds: int) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]:
    """``(holes, boards)`` of cards ``text`` at round ``num_rounds - 1``: two cards or none per seat,
    and the board cards of each later round (3, 1, 1)."""
    parts = text.split("/")
    seats = parts[0].split("|")
    if len(seats) != num_players:
        raise ProtocolError(f"cards {text!r} show {len(seats)} seats, the game has {num_players}")
    if len(parts) != num_rounds:
        raise ProtocolError(f"cards {text!r} show {len(parts)} rounds, the betting {num_rounds}")
    holes = tuple(_cards(s, text) for s in seats)
    if any(len(h) not in (0, 2) for h in holes):
        raise ProtocolError(f"cards {text!r}: a seat shows other than two hole cards")
    boards = tuple(_cards(b, text) for b in parts[1:])
    check_boards(text, holes, boards)
    return holes, boards


def check_boards(text: str, holes: tuple[tuple[int, ...], ...], boards: tuple[tuple[int, ...], ...]) -> None:
    """:class:`ProtocolError` unless each round of ``boards`` deals its number of cards and no card of
    cards ``text`` (parsed as ``holes`` and ``boards``) is dealt twice."""
    for r, board in enumerate(boards, 1):
        if len(board) != _BOARD_CUTS[r] - _BOARD_CUTS[r - 1]:
            raise ProtocolError(f"cards {text!r}: round {r + 1} deals {_BOARD_CUTS[r] - _BOARD_CUTS[r - 1]} "
                                f"board cards, not {len(board)}")
    every = [c for h in holes for c in h] + [c for b in boards for c in b]
    if len(set(every)) != len(every):
        raise ProtocolError(f"cards {text!r} deal a card twice")


def _cards(text: str, whole: str) -> tuple[int, ...]:
    if len(text) % 2:
        raise ProtocolError(f"cards {whole!r}: {text!r} is not a run of two-character cards")
    try:
        return tuple(_CARDS[text[i:i + 2]] for i in range(0, len(text), 2))
    except KeyError:
        raise ProtocolError(f"cards {whole!r}: {text!r} is not a run of cards such as 'As7d'") from None


def deal_of(holes: tuple[tuple[int, ...], ...], boards: tuple[tuple[int, ...], ...]) -> Deal:
    """A whole deal with these cards, the unknown ones (hole cards not shown, the board to come)
    filled with the lowest cards not seen."""
    board = [c for b in boards for c in b]
    seen = set(board)
    for h in holes:
        seen.update(h)
    fill = []
    missing = 5 - len(board) + 2 * sum(1 for h in holes if not h)
    card = 0
    while len(fill) < missing:
        if card not in seen:
            fill.append(card)
        card += 1
    unseen = iter(fill)
    board += [next(unseen) for _ in range(5 - len(board))]
    return Deal(tuple(h if h else (next(unseen), next(unseen)) for h in holes), tuple(board))


def just_dealt(rules: Rules) -> State | None:
    """A hand of ``rules`` just dealt (the lowest cards), for :meth:`State.copy` to give other cards
    faster than dealing anew; None when the blinds end the hand at once (deal it anew)."""
    state = State(rules, deal_of(((),) * rules.num_players, ()))
    return None if state.is_over else state


def replay_betting(rules: Rules, rounds: tuple[tuple[str, ...], ...], holes: tuple[tuple[int, ...], ...],
                   boards: tuple[tuple[int, ...], ...]) -> State:
    """The engine hand with these cards (see :func:`deal_of`) after the betting ``rounds``;
    :class:`ProtocolError` when an action is out of turn or forbidden, a round ends where the betting
    does not, or a showdown lacks the cards of a live seat."""
    state = State(rules, deal_of(holes, boards))
    play_betting(state, rounds)
    check_shown(state, len(rounds), holes)
    return state


def play_betting(state: State, rounds: tuple[tuple[str, ...], ...], first: int = 0, done: int = 0) -> None:
    """Play the actions of ``rounds`` as rounds ``first``, ``first + 1``, ...; ``done`` actions of round
    ``first`` were played before (messages count on from them)."""
    for i, actions in enumerate(rounds):
        r = first + i
        play_round(state, r, actions, done if i == 0 else 0)
        if i + 1 < len(rounds) and not state.is_over and state.street == r:
            raise ProtocolError(f"round {r + 1} ends before its betting is over")


def play_round(state: State, r: int, actions: tuple[str, ...], first: int = 0) -> None:
    """Play wire ``actions`` (numbered from ``first`` in messages) as round ``r``'s betting;
    :class:`ProtocolError` when one is forbidden or comes after its round or the hand ended."""
    for i, text in enumerate(actions, first + 1):
        if state.is_over:
            raise ProtocolError(f"action {text!r} after the end of the hand")
        if state.street != r:
            raise ProtocolError(f"action {text!r} in round {r + 1} after the round ended (a '/' is missing)")
        try:
            apply_wire_action(state, text)
        except IllegalActionError as e:
            raise ProtocolError(f"action {i} of round {r + 1} ({text!r}) is illegal: {e}") from None


def shown_round(state: State) -> int:
    """The round (from 0) the wire shows for ``state``: the last one once a hand was run out."""
    return _NUM_ROUNDS - 1 if state.went_to_showdown else int(state.street)


def check_shown(state: State, num_rounds: int, holes: tuple[tuple[int, ...], ...]) -> None:
    """:class:`ProtocolError` unless betting of ``num_rounds`` rounds and cards ``holes`` show ``state``
    as the wire must: the round it is in, and at a showdown every live seat's cards."""
    shown = shown_round(state)
    if num_rounds - 1 != shown:
        raise ProtocolError(f"the betting shows round {num_rounds}, the hand is in round {shown + 1}")
    if state.went_to_showdown and any(alive and not h for alive, h in zip(state.live, holes)):
        raise ProtocolError("a showdown without the hole cards of every live seat")


class _Read(NamedTuple):
    """What a :class:`Follower` keeps of the line it read last (fields as on the wire where text)."""

    position: str
    hand: str
    betting: str
    cards: str
    holes: tuple[tuple[int, ...], ...]
    boards: tuple[tuple[int, ...], ...]
    shown: int          # rounds the betting shows
    done: int           # actions of the last of them
    state: State


class Follower:
    """The engine hands of the MATCHSTATE lines one receiver gets (the client's side).  A line that
    adds actions (and cards) to the line before in the same hand is played on from that line's
    hand; any other line is parsed and replayed from the start (a hand's first line, without
    betting, is a copy of a hand just dealt, with its cards).  :meth:`expect` plays the receiver's
    own answer ahead, so that the dealer's next line, which repeats it, only adds what came after."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._last: _Read | None = None
        self._expected: str | None = None  # the line showing the answer played ahead and nothing else
        self._dealt = just_dealt(rules)
        #: the cards and deal of a hand's first line (no betting), by its position and cards fields
        self._first: dict[tuple[str, str], tuple[tuple[tuple[int, ...], ...], Deal]] = {}

    def read(self, line: str) -> tuple[int, int, State]:
        """``(position, hand, state)`` of ``line``; :class:`ProtocolError` naming the line when it is
        malformed or the rules forbid it."""
        last, expected, self._expected = self._last, self._expected, None
        if line == expected:  # nothing to check or play
            return int(last.position), int(last.hand), last.state
        match = _FIELDS.fullmatch(line)
        self._last = None  # kept again once this line is read without error
        if match is None or last is None:
            return self._parse(line, match)
        position, hand, betting, cards = match.groups()
        suffix = betting[len(last.betting):]
        if position != last.position or hand != last.hand or not betting.startswith(last.betting) \
                or suffix[:1].isdigit():
            return self._parse(line, match)
        _, _, _, last_cards, holes, boards, shown, done, state = last
        try:
            new = _SIMPLE_BETTING.get(suffix) or parse_betting(suffix)
            rounds = shown + len(new) - 1
            if rounds > _NUM_ROUNDS:
                raise ProtocolError(f"betting {betting!r} has {rounds} rounds; hold'em has {_NUM_ROUNDS}")
            if cards != last_cards:
                if state.is_over:
                    raise ProtocolError("the cards change after the end of the hand")
                if cards.startswith(last_cards + "/"):  # board cards dealt: parse only those
                    boards += tuple(_cards(b, cards) for b in cards[len(last_cards) + 1:].split("/"))
                    if len(boards) + 1 != rounds:
                        raise ProtocolError(f"cards {cards!r} show {len(boards) + 1} rounds, the betting {rounds}")
                    check_boards(cards, holes, boards)
                else:
                    holes, boards = parse_cards(cards, self.rules.num_players, rounds)
                    if any(old and old != h for old, h in zip(last.holes, holes)) \
                            or boards[:len(last.boards)] != last.boards:
                        raise ProtocolError("cards shown before change")
                state = state.copy(deal_of(holes, boards))
            elif rounds != shown:
                raise ProtocolError(f"cards {cards!r} show {shown} rounds, the betting {rounds}")
            if suffix:
                play_betting(state, new, shown - 1, done)
            check_shown(state, rounds, holes)
        except ProtocolError as e:
            raise ProtocolError(f"{e} in {quote(line)}") from None
        done = len(new[-1]) + (done if len(new) == 1 else 0)
        self._last = _Read(position, hand, betting, cards, holes, boards, rounds, done, state)
        return int(position), int(hand), state

    def _parse(self, line: str, match: re.Match | None) -> tuple[int, int, State]:
        """:meth:`read` for a line not played on from the one before (``match``: its fields)."""
        if match is not None and not match.group(3) and self._dealt is not None:  # a hand's first line
            key = (match.group(1), match.group(4))
            first = self._first.get(key)
            if first is None:
                seen = MatchState.parse(line, self.rules.num_players)
                first = self._first[key] = seen.holes, deal_of(seen.holes, seen.boards)
            holes, deal = first
            state = self._dealt.copy(deal)
            self._last = _Read(*match.groups(), holes, (), 1, 0, state)
            return int(match.group(1)), int(match.group(2)), state
        seen = MatchState.parse(line, self.rules.num_players)
        state = seen.state(self.rules)
        self._last = _Read(*match.groups(), seen.holes, seen.boards, len(seen.rounds), len(seen.rounds[-1]), state)
        return seen.position, seen.hand, state

    def forget(self) -> None:
        """Read the next line from scratch, as after a line :meth:`read` refused (for a line refused
        before it got here: one over the length limit, whichever receive it arrived in)."""
        self._last = self._expected = None

    def expect(self, action: str) -> None:
        """Play wire ``action``, the receiver's answer to the line read last, ahead of the dealer's
        next line (which shows it); nothing when it ends the hand (the next line may show cards the
        showdown needs) or the rules forbid it.  Only speeds up :meth:`read`: its results are the same."""
        last = self._last
        if last is None or last.state.is_over:
            return
        state = last.state.copy()
        try:
            apply_wire_action(state, action)
        except IllegalActionError:
            return
        if not state.is_over:
            self._last = last._replace(betting=last.betting + action, done=last.done + 1, state=state)
            if state.street == last.state.street:
                self._expected = f"{PREFIX}{last.position}:{last.hand}:{last.betting}{action}:{last.cards}"


class WireHand:
    """A hand as the dealer sends it: the engine hand and its betting on the wire, kept up to date
    action by action (equal to :func:`matchstate_line` of the state, built in constant time).
    ``dealt``: :func:`just_dealt` of ``rules``, to copy instead of dealing anew."""

    def __init__(self, rules: Rules, deal: Deal, hand: int, dealt: State | None = None) -> None:
        self.state = State(rules, deal) if dealt is None else dealt.copy(deal)
        self.hand = hand
        self.betting = "/" * shown_round(self.state)
        self._cards: list[str | None] = [None] * rules.num_players

    def play(self, text: str) -> None:
        """Play wire action ``text`` for the seat to act (``IllegalActionError`` when forbidden)."""
        state = self.state
        before = shown_round(state)
        apply_wire_action(state, text)
        after = shown_round(state)
        self.betting += text + "/" * (after - before)
        if after != before or state.went_to_showdown:
            self._cards = [None] * len(self._cards)

    def line(self, seat: int) -> str:
        """The MATCHSTATE line of ``seat``."""
        cards = self._cards[seat]
        if cards is None:
            cards = self._cards[seat] = cards_text(self.state, seat)
        return f"{PREFIX}{seat}:{self.hand}:{self.betting}:{cards}"


def apply_wire_action(state: State, text: str) -> None:
    """Play wire action ``text`` (``f``, ``c`` or ``r<N>``, N the hand total) for the seat to act;
    ``IllegalActionError`` when the rules forbid it."""
    if text == "f":
        state.fold()
    elif text == "c":
        state.check_or_call()
    else:
        state.bet_or_raise_to(int(text[1:]) - state.contributions[state.actor])


def fixed_action(state: State, text: str) -> tuple[str, str | None]:
    """The wire action played for response ``text`` of the seat to act, read and fixed as the official
    dealer (``dealer.c``, ``game.c``) reads and fixes it: the first character is the action (``f``,
    ``c`` or ``k``, ``r`` or ``b``, either case), a raise followed by its total, anything after that
    ignored; an action that does not read is a call, and so is a fold with nothing to call or a
    raise when none is allowed; a raise out of bounds becomes the nearest bound.
    ``(action, why it was changed or None)``."""
    match = _RESPONSE.match(text)
    if match is None:
        return "c", "not an action (f, c or r<total>): calls instead"
    kind = (match.group(1) or "r").lower()
    if kind in "ck":
        return "c", None
    legal = state.legal_actions()
    if kind == "f":
        return ("f", None) if legal.can_fold else ("c", "nothing to call: calls (checks) instead")
    if not legal.can_raise:
        return "c", "no raise allowed: calls instead"
    paid = state.contributions[legal.seat]
    wanted = int(match.group(2))
    total = min(max(wanted, legal.min_raise_to + paid), legal.max_raise_to + paid)
    return f"r{total}", None if total == wanted else f"raise to {wanted} is out of bounds: r{total} instead"


def wire_action(view: SeatView, decision: Decision) -> str:
    """The wire action for ``decision`` of the seat to act in ``view``, made legal first (see ``normalize``)."""
    decision = normalize(decision, view.legal)
    if decision.kind == DecisionKind.FOLD:
        return "f"
    if decision.kind == DecisionKind.CHECK_CALL:
        return "c"
    return f"r{decision.amount + view.contributions[view.seat]}"


def betting_text(state: State) -> str:
    """The betting of ``state`` on the wire; a hand that was run out (everyone all-in) shows every round."""
    rules = state.rules
    parts: list[str] = []
    street = 0
    before = [0] * rules.num_players      # hand totals before this street
    bets = [0] * rules.num_players        # this street's totals
    for seat, blind in ((rules.small_blind_seat, rules.small_blind), (rules.big_blind_seat, rules.big_blind)):
        bets[seat] = min(blind, rules.stacks[seat])
    for action in state.actions:
        while street < action.street:
            parts.append("/")
            street += 1
            before = [b + s for b, s in zip(before, bets)]
            bets = [0] * rules.num_players
        if action.kind == _FOLD:
            parts.append("f")
        elif action.kind in (_CHECK, _CALL):
            parts.append("c")
            bets[action.seat] += action.amount
        else:
            parts.append(f"r{before[action.seat] + action.amount}")
            bets[action.seat] = action.amount
    last = _NUM_ROUNDS - 1 if state.went_to_showdown else int(state.street)
    parts.append("/" * (last - street))
    return "".join(parts)


def cards_text(state: State, viewer: int | None = None) -> str:
    """The cards of ``state`` on the wire as ``viewer`` sees them (None: every seat's, as logs show
    them): its own hole cards, the others' when they show down, the board up to the current round."""
    holes = state.deal.hole_cards
    showdown = state.went_to_showdown
    seats = "|".join(
        _NAMES[h[0]] + _NAMES[h[1]] if viewer is None or s == viewer or (showdown and state.live[s]) else ""
        for s, h in enumerate(holes))
    last = _NUM_ROUNDS - 1 if showdown else int(state.street)
    board = state.deal.board
    return seats + "".join("/" + "".join(_NAMES[c] for c in board[_BOARD_CUTS[r - 1]:_BOARD_CUTS[r]])
                           for r in range(1, last + 1))


def matchstate_line(state: State, position: int, hand: int) -> str:
    """The MATCHSTATE line the dealer sends to seat ``position`` in hand number ``hand``."""
    return f"{PREFIX}{position}:{hand}:{betting_text(state)}:{cards_text(state, position)}"
