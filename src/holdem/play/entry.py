"""What a person types at the table, turned into a decision the engine accepts.

An entry is one line; case and surrounding spaces do not matter:

=================  ===========================================================================
``f``              fold
``x`` or ``k``     check
``c``              call (check when there is no bet to call, as the engine's ``check_or_call``)
``b 300``          bet or raise so that your total this street is 300 chips (``r 300`` alike)
``b 2/3``          bet or raise two thirds of the pot (the pot after your call); ``b 75%`` alike
``a``              all-in (a call when calling already puts your stack in)
``?``              help
``q``              quit the session
=================  ===========================================================================

The engine is the only rule book: an entry it refuses is reported with its reason, e.g.
``seat 0 cannot check: facing a bet of 100, calling costs 50``.

>>> from holdem.engine import Deal, Rules, State
>>> from holdem.agents import SeatView
>>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10),
...               Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
>>> view = SeatView.of(state)      # the button faces the big blind: pot 15, 5 to call
>>> parse_entry("r 40", view)
Decision(kind=<DecisionKind.RAISE: 2>, amount=40)
>>> parse_entry("b 1/2", view).amount     # half of the pot after calling: 10 + (15 + 5) / 2
20
>>> parse_entry(" A ", view).amount
1000
>>> parse_entry("x", view)
Traceback (most recent call last):
    ...
holdem.play.entry.EntryError: seat 0 cannot check: facing a bet of 10, calling costs 5
>>> parse_entry("?", view) is Command.HELP
True
"""

from __future__ import annotations

import math
import re
from enum import Enum

from holdem.abstraction.actions import raise_to_for_fraction
from holdem.agents.view import Decision, SeatView
from holdem.engine import Deal, IllegalActionError, State

HELP = """\
  f            fold
  x  or k      check
  c            call (or check, when there is no bet to call)
  b 300        bet or raise to 300 chips: your total for this street (r 300 is the same)
  b 2/3        bet or raise 2/3 of the pot, counted after your call (b 75% is 3/4 of it)
  a            all-in
  ?            this help
  q            quit (Ctrl-C or Ctrl-D too); the session summary is printed and the hands kept"""


class Command(Enum):
    """Entries that are not decisions."""

    HELP = "help"
    QUIT = "quit"


class EntryError(ValueError):
    """An entry that cannot be played; the message says why (the engine's reason when it refused)."""


_WORDS = {
    "f": "f", "fold": "f", "x": "x", "k": "x", "check": "x", "c": "c", "call": "c",
    "b": "b", "bet": "b", "r": "b", "raise": "b", "a": "a", "all": "a", "allin": "a", "all-in": "a", "shove": "a",
    "?": "?", "h": "?", "help": "?", "q": "q", "quit": "q", "exit": "q",
}
_AMOUNT = re.compile(r"(?P<chips>\d[\d,_]*)|(?P<num>\d+(?:\.\d*)?|\.\d+)\s*/\s*(?P<den>\d+(?:\.\d*)?)"
                     r"|(?P<pct>\d+(?:\.\d*)?|\.\d+)\s*%|(?P<pot>\d+(?:\.\d*)?|\.\d+)\s*(?:pots?|p)")


def betting(view: SeatView) -> State:
    """A state with ``view``'s rules and betting (the cards are stand-ins): the engine to ask."""
    state = State(view.rules, Deal.shuffled(view.rules.num_players, seed=0))
    for action in view.actions:
        state.apply(action)
    return state


def pot_fraction(text: str) -> float | None:
    """The pot fraction written ``text`` (``2/3``, ``75%``, ``0.5pot``), None for a chip amount."""
    m = _AMOUNT.fullmatch(text.strip().lower())
    if m is None:
        raise EntryError(f"{text.strip()!r} is not an amount: write chips (b 300), a fraction of the pot "
                         "(b 2/3) or a percentage of it (b 75%)")
    if m["chips"] is not None:
        return None
    if m["num"] is not None:
        numerator, denominator = float(m["num"]), float(m["den"])
        if denominator == 0:
            raise EntryError(f"{text.strip()!r}: a fraction of the pot cannot divide by zero")
        value = numerator / denominator
    else:
        value = float(m["pct"]) / 100 if m["pct"] is not None else float(m["pot"])
    if not math.isfinite(value) or value <= 0:
        raise EntryError(f"{text.strip()!r}: a fraction of the pot must be positive")
    return value


def raise_amount(text: str, view: SeatView) -> int:
    """The street total ("raise to") that amount ``text`` means at ``view``."""
    fraction = pot_fraction(text)
    if fraction is None:
        return int(re.sub(r"[,_]", "", text.strip()))
    return raise_to_for_fraction(fraction, view.pot, max(view.bets), view.legal.call_amount)


def parse_entry(text: str, view: SeatView) -> Decision | Command:
    """The decision (or command) that ``text`` means for the seat to act in ``view``; raises
    :class:`EntryError` with the reason when it is not an entry or the engine refuses it."""
    words = text.strip().split(None, 1)
    if not words:
        raise EntryError("type an action (f, x, c, b 300, b 2/3, a), ? for help or q to quit")
    word = _WORDS.get(words[0].lower())
    rest = words[1] if len(words) > 1 else ""
    if word is None:
        # "b300" and "r2/3" without the space
        m = re.fullmatch(r"([br])\s*(\S.*)", text.strip().lower())
        if m is None:
            raise EntryError(f"{text.strip()[:40]!r} is not an action; type ? for help")
        word, rest = "b", m[2]
    if word in ("?", "q"):
        return Command.HELP if word == "?" else Command.QUIT
    if word != "b" and rest:
        raise EntryError(f"{words[0]!r} takes no amount; type ? for help")
    state = betting(view)
    try:
        if word == "f":
            state.verify_fold()
            return Decision.fold()
        if word == "x":
            state.verify_check()
            return Decision.check_call()
        if word == "c":
            state.verify_check_or_call()
            return Decision.check_call()
        legal = view.legal
        if word == "a":
            if not legal.can_raise and legal.call_amount == view.stacks[view.seat]:
                return Decision.check_call()
            amount = legal.max_raise_to if legal.can_raise else view.stacks[view.seat] + view.bets[view.seat]
            state.verify_bet_or_raise_to(amount)
            return Decision.raise_to(amount)
        if not rest:
            raise EntryError("a bet needs an amount: b 300 (chips, your total this street), b 2/3 or b 75% "
                             "(of the pot)")
        amount = raise_amount(rest, view)
        try:
            state.verify_bet_or_raise_to(amount)
        except IllegalActionError as error:
            fraction = pot_fraction(rest)
            if fraction is not None:
                raise EntryError(f"{rest.strip()} of the pot is {amount}: {error}") from None
            raise
        return Decision.raise_to(amount)
    except IllegalActionError as error:
        raise EntryError(str(error)) from None
