"""Betting histories as text, in the style of the ACPC protocol's betting string.

Tokens, spaces optional: ``f`` folds, ``c`` checks or calls, ``x`` checks (only where nothing is
to be called), ``r<N>`` bets or raises so that the player has put ``N`` chips in the hand in all
(the ACPC convention: the total over the whole hand, blinds included, not this street's), and
``/`` ends a betting round (required, as in ACPC, before the next street's first action).  With
blinds 50/100, ``r250c/`` is: the small blind raises to 250, the big blind calls, the flop comes;
``r250c/r400`` adds a big blind bet of 150 on the flop (250 + 150 = 400 in the hand).

Every token is played on the rules engine, so an illegal one is refused with the engine's reason,
and the error names the first bad token and its position:

>>> from holdem.cards import parse_cards
>>> from holdem.engine import Rules
>>> rules = Rules(stacks=(10000, 10000), small_blind=50, big_blind=100)
>>> state, tokens = parse_history(rules, "r250 c / r400", parse_cards("Ks 7h 2h"))
>>> tokens, state.street.name, state.bets, state.actor
(['r250', 'c', '/', 'r400'], 'FLOP', [0, 150], 0)
>>> parse_history(rules, "r250 c / q")
Traceback (most recent call last):
...
holdem.views.history.HistoryError: token 4 'q': unknown (use f, c, x, r<N> or /)
>>> parse_history(rules, "r150")
Traceback (most recent call last):
...
holdem.views.history.HistoryError: token 1 'r150': raise to 150 is below the minimum raise to 200
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from holdem.engine import Deal, IllegalActionError, Rules, State, Street

_TOKEN = re.compile(r"r\d+|[fcx/]|r\S*|\S")


class HistoryError(ValueError):
    """A history that cannot be played; the message names the first bad token (``setting`` is
    ``"board"`` when the history is fine but the board given does not fit it)."""

    def __init__(self, message: str, setting: str = "history"):
        super().__init__(message)
        self.setting = setting


def play_token(state: State, token: str) -> None:
    """Apply one action token (not ``/``) to ``state``; raises ``IllegalActionError``."""
    if token == "f":
        state.fold()
    elif token == "c":
        state.check_or_call()
    elif token == "x":
        state.check()
    else:
        actor = state.actor
        if actor is None:
            raise IllegalActionError("the hand is over")
        total = int(token[1:])
        street_total = total - state.contributions[actor]
        try:
            state.verify_bet_or_raise_to(street_total)
        except IllegalActionError as error:
            legal = state.legal_actions()
            if not legal.can_raise or state.contributions[actor] == 0:
                raise
            low, high = legal.min_raise_to + state.contributions[actor], legal.max_raise_to + state.contributions[actor]
            raise IllegalActionError(f"{error} (this street's total; in hand totals r{low} to r{high})") from None
        state.bet_or_raise_to(street_total)


def parse_history(rules: Rules, text: str, board: Sequence[int] = ()) -> tuple[State, list[str]]:
    """Play the betting ``text`` (see the module docstring) from the start of a hand of ``rules``;
    returns the state after it and its tokens.  ``board`` (card ints) is the board so far: it must
    hold exactly the cards of the street the history ends on.  Hole cards are drawn at random
    (seed 0) from the rest of the deck; only the betting and the board are meaningful."""
    if len(set(board)) != len(board) or len(board) > 5:
        raise HistoryError(f"the board needs up to 5 distinct cards, got {len(board)}", "board")
    state = State(rules, Deal.shuffled(rules.num_players, seed=0, board=list(board)))
    tokens = _TOKEN.findall(text)
    street = Street.PREFLOP
    for position, token in enumerate(tokens, start=1):
        where = f"token {position} {token!r}"
        if token == "/":
            if state.is_over:
                raise HistoryError(f"{where}: the hand is over")
            if state.street == street:
                raise HistoryError(f"{where}: the {street.name.lower()} betting is not over")
            street = Street(street + 1)
            continue
        if not re.fullmatch(r"r\d+|[fcx]", token):
            raise HistoryError(f"{where}: unknown (use f, c, x, r<N> or /)")
        if not state.is_over and state.street != street:
            raise HistoryError(f"{where}: the {street.name.lower()} betting is over, '/' comes first")
        try:
            play_token(state, token)
        except IllegalActionError as error:
            raise HistoryError(f"{where}: {error}") from None
    if state.is_over:
        raise HistoryError(f"the hand is over after {' '.join(tokens)!r}: there is no decision to show")
    if state.street != street:
        raise HistoryError(f"the {street.name.lower()} betting is over after {' '.join(tokens)!r}: "
                           "end the history with '/'")
    need = state.street.board_size
    if len(board) != need:
        raise HistoryError(f"the history ends on the {state.street.name.lower()}, which needs {need} board "
                           f"cards, got {len(board)}", "board")
    return state, tokens


def hand_total_token(state: State, kind: str, street_total: int = 0) -> str:
    """The token of an action at ``state``: ``kind`` ``"f"`` or ``"c"``, or ``"r"`` with the raise's
    ``street_total`` turned into the hand total (``r<N>``) of the player to act."""
    if kind != "r":
        return kind
    return f"r{street_total + state.contributions[state.actor]}"
