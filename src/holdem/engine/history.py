"""A readable history of a hand: rules, cards, forced bets, actions by street, result."""

from __future__ import annotations

from holdem.cards import format_cards
from holdem.engine.showdown import describe_hand
from holdem.engine.state import State


def _seat_list(values: list[str]) -> str:
    return ", ".join(f"seat {seat} {text}" for seat, text in enumerate(values))


def format_history(state: State) -> str:
    """Text of the hand so far, one event per line (doctest in ``holdem.engine``)."""
    rules, deal = state.rules, state.deal
    ante = f", ante {rules.ante}" if rules.ante else ""
    start = State(rules, deal)
    lines = [
        f"Rules: {rules.num_players} players, blinds {rules.small_blind}/{rules.big_blind}{ante}, "
        f"button seat {rules.button}",
        "Stacks: " + _seat_list([str(s) for s in rules.stacks]),
        "Hole cards: " + _seat_list([format_cards(cards) for cards in deal.hole_cards]),
    ]
    if rules.ante:
        lines.append("Antes: " + _seat_list([str(c) for c in start.contributions]))
    lines.append(f"seat {rules.small_blind_seat} posts small blind {start.bets[rules.small_blind_seat]}")
    lines.append(f"seat {rules.big_blind_seat} posts big blind {start.bets[rules.big_blind_seat]}")
    street = None
    for action in state.actions:
        if action.street != street:
            street = action.street
            board = deal.board[: street.board_size]
            lines.append(f"{street.name.capitalize()}" + (f": {format_cards(board)}" if board else ""))
        lines.append(f"  {action}")
    if not state.is_over:
        lines.append(f"seat {state.actor} to act")
        return "\n".join(lines)
    if state.went_to_showdown:
        lines.append(f"Board: {format_cards(deal.board)}")
        shown = [
            f"seat {seat} {format_cards(cards)} ({describe_hand(cards, deal.board)})"
            for seat, cards in enumerate(deal.hole_cards) if state.live[seat]
        ]
        lines.append("Showdown: " + ", ".join(shown))
    lines.append("Pots: " + ", ".join(
        f"{pot.amount} (seats {', '.join(map(str, pot.eligible))})" for pot in state.pots()))
    lines.append("Won: " + ", ".join(
        f"seat {seat} {chips}" for seat, chips in enumerate(state.winnings) if chips))
    lines.append("Result: " + ", ".join(
        f"seat {seat} {net:+d}" for seat, net in enumerate(state.payoffs)))
    return "\n".join(lines)
