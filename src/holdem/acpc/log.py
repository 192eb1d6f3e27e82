"""Match logs in the official dealer's format, read back and replayed in the engine.

A log holds ``#`` comment lines, one ``STATE:<hand>:<betting>:<cards>:<values>:<names>`` line per
hand (every seat's cards; values and names per seat) and a closing ``SCORE:<totals>:<names>`` line
(player order).  :func:`read_log` replays every hand, so a log from any dealer can be checked
against the engine's rules and results.

>>> from holdem.acpc.gamedef import GameDef, SHIPPED
>>> rules = GameDef.load(SHIPPED).rules()
>>> [hand] = read_log("STATE:3:r300c/cr900f:Ah2c|KdKs/Qs7h2d:-300|300:alice|bob", rules)
>>> hand.number, hand.values, hand.state.payoffs, hand.names
(3, (-300, 300), [-300, 300], ('alice', 'bob'))
"""

from __future__ import annotations

import re
from typing import NamedTuple

from holdem.acpc.matchstate import ProtocolError, parse_betting, parse_cards, quote, replay_betting
from holdem.engine import Rules, State

_STATE = re.compile(r"STATE:(\d{1,10}):([fcr0-9/]*):([2-9TJQKAcdhs|/]*):([-0-9.|]+):(.+)")


class LoggedHand(NamedTuple):
    """One ``STATE`` line: the hand number, the values and names it logs per seat, and the engine's
    replay of its betting and cards."""

    number: int
    values: tuple[float | int, ...]
    names: tuple[str, ...]
    state: State


def read_log(text: str, rules: Rules) -> list[LoggedHand]:
    """Every hand of log ``text`` replayed on ``rules``; :class:`ProtocolError` naming the line that
    does not parse or that the rules forbid."""
    hands = []
    n = rules.num_players
    for line in text.splitlines():
        if not line.startswith("STATE:"):
            continue
        match = _STATE.fullmatch(line)
        try:
            if match is None:
                raise ProtocolError("not a STATE line")
            values = tuple(_number(v) for v in match.group(4).split("|"))
            names = tuple(match.group(5).split("|"))
            if len(values) != n or len(names) != n:
                raise ProtocolError(f"{len(values)} values and {len(names)} names for {n} seats")
            rounds = parse_betting(match.group(2))
            holes, boards = parse_cards(match.group(3), n, len(rounds))
            if not all(holes):
                raise ProtocolError("a seat's hole cards are missing")
            state = replay_betting(rules, rounds, holes, boards)
            if not state.is_over:
                raise ProtocolError("the hand is not over")
        except ProtocolError as e:
            raise ProtocolError(f"{e} in {quote(line)}") from None
        hands.append(LoggedHand(int(match.group(1)), values, names, state))
    return hands


def _number(text: str) -> float | int:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        raise ProtocolError(f"{text!r} is not a number") from None
