"""The table as a person sees it, drawn with rich: seats, stacks, bets, pot, board, cards, options.

Everything here renders what one seat may know (a :class:`~holdem.agents.view.SeatView`) or a
finished hand; nothing decides anything.

>>> from holdem.engine import Deal, Rules, State
>>> from holdem.agents import SeatView
>>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10, button=1),
...               Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
>>> _ = state.bet_or_raise_to(30)
>>> options(SeatView.of(state))
['f fold', 'c call 20', 'r 50..1000 (raise to)', 'a all-in 1000']
>>> action_text(state.actions[0], ["you", "bot"])
'bot raises to 30'
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from holdem.agents.view import SeatView
from holdem.cards import format_card
from holdem.engine import Action, ActionKind, Rules, State, Street
from holdem.engine.showdown import describe_hand

#: the person's name at the table (verbs agree with it: "you call", "bot calls")
YOU = "you"
_VERBS = {ActionKind.FOLD: "folds", ActionKind.CHECK: "checks", ActionKind.CALL: "calls",
          ActionKind.BET: "bets", ActionKind.RAISE: "raises to"}
_SUIT_STYLE = {"h": "bold red", "d": "bold blue", "c": "bold green", "s": "bold"}


def cards_text(cards: Sequence[int]) -> Text:
    """Cards as ``As Kd`` with one colour per suit (plain text where the terminal has no colour)."""
    text = Text()
    for i, card in enumerate(cards):
        name = format_card(card)
        text.append((" " if i else "") + name, style=_SUIT_STYLE[name[1]])
    return text


def positions(rules: Rules) -> dict[int, str]:
    """Seat -> ``BTN``, ``SB``, ``BB`` (heads-up the button is the small blind: ``BTN/SB``)."""
    if rules.num_players == 2:
        return {rules.button: "BTN/SB", rules.big_blind_seat: "BB"}
    return {rules.button: "BTN", rules.small_blind_seat: "SB", rules.big_blind_seat: "BB"}


def options(view: SeatView) -> list[str]:
    """The legal actions of the seat to act with their amounts, as entries to type."""
    legal = view.legal
    stack = view.stacks[view.seat]
    out = ["f fold"] if legal.can_fold else []
    if legal.can_check:
        out.append("x check")
    else:
        out.append(f"c call {legal.call_amount}" + (" (all-in)" if legal.call_amount == stack else ""))
    if legal.can_raise:
        word, key = ("raise to", "r") if max(view.bets) else ("bet", "b")
        if legal.min_raise_to < legal.max_raise_to:
            out.append(f"{key} {legal.min_raise_to}..{legal.max_raise_to} ({word})")
        out.append(f"a all-in {legal.max_raise_to}")
    return out


def action_text(action: Action, names: Sequence[str]) -> str:
    """One action in words: ``bot raises to 300``, ``you call 200 (all-in)``, ``bot 2 folds``."""
    who = names[action.seat]
    verb = _VERBS[action.kind]
    if who == YOU:
        verb = {"folds": "fold", "checks": "check", "calls": "call", "bets": "bet", "raises to": "raise to"}[verb]
    text = f"{who} {verb}"
    if action.kind >= ActionKind.CALL:
        text += f" {action.amount}"
    return text + (" (all-in)" if action.all_in else "")


def street_line(street: Street, board: Sequence[int], pot: int) -> Text:
    """``Flop: Ks 7h 2h   pot 600`` for the start of a street."""
    line = Text(f"{street.name.capitalize()}: ", style="bold")
    line.append_text(cards_text(board))
    line.append(f"   pot {pot}")
    return line


def seat_table(view: SeatView, names: Sequence[str], me: int, title: str = "") -> Table:
    """The table at ``view`` as the person in seat ``me`` sees it (their own cards only)."""
    seats = positions(view.rules)
    table = Table(title=title or None, title_justify="left", show_edge=False, pad_edge=False,
                  caption_justify="left")
    for column, justify in (("", "left"), ("seat", "right"), ("player", "left"), ("", "left"),
                            ("stack", "right"), ("bet", "right"), ("cards", "left")):
        table.add_column(column, justify=justify)
    for seat, name in enumerate(names):
        if seat == me:
            cards = cards_text(view.hole)
        elif not view.live[seat]:
            cards = Text("folded", style="dim")
        else:
            cards = Text("?? ??", style="dim")
        stack = str(view.stacks[seat]) if view.stacks[seat] or not view.live[seat] else "all-in"
        table.add_row("▶" if seat == view.seat else "", str(seat), Text(name, style="bold" if seat == me else ""),
                      seats.get(seat, ""), stack, str(view.bets[seat] or ""), cards)
    caption = Text(f"{view.street.name.capitalize()}   pot {view.pot}   board ")
    caption.append_text(cards_text(view.board) if view.board else Text("-"))
    table.caption = caption
    return table


def result_lines(state: State, names: Sequence[str]) -> list[Text]:
    """A finished hand: the board and the hands shown down, who won what, and every seat's net."""
    lines = []
    deal = state.deal
    if state.went_to_showdown:
        board = Text("Board: ", style="bold")
        lines.append(board.append_text(cards_text(deal.board)))
        for seat, cards in enumerate(deal.hole_cards):
            if state.live[seat]:
                line = Text(f"  {names[seat]} {'show' if names[seat] == YOU else 'shows'} ")
                line.append_text(cards_text(cards)).append(f" ({describe_hand(cards, deal.board)})")
                lines.append(line)
    for seat, chips in enumerate(state.winnings):
        if chips:
            verb = "win" if names[seat] == YOU else "wins"
            lines.append(Text(f"{names[seat]} {verb} {chips}", style="bold"))
    lines.append(Text("net: " + ", ".join(f"{names[seat]} {net:+d}" for seat, net in enumerate(state.payoffs))))
    return lines
