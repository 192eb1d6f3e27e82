"""Hand histories in the Poker Hand History format (PHH, Kim 2024; the format pokerkit reads).

A finished hand becomes one PHH document (TOML): variant ``NT`` (no-limit Texas hold'em),
antes, blinds, starting stacks and the action list (``d dh`` hole deals, ``d db`` board deals,
``f`` / ``cc`` / ``cbr`` player actions, ``sm`` showdowns), plus the hand number, the players'
names and the finishing stacks.  PHH players ``p1..pn`` are listed from the seat left of the
button (heads-up: the big blind, then the button), so ``p{i+1}`` is seat
``rules.seat_order[i]``.  Several hands go in one ``.phhs`` file as ``[1]``, ``[2]``, ...
tables, which ``pokerkit.HandHistory.loads_all`` reads back.

>>> from holdem.engine import Deal, Rules, State
>>> state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10, button=1),
...               Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
>>> _ = state.bet_or_raise_to(30); _ = state.fold()
>>> print(hand_history(state, hand=1, players=("call", "raise")))
variant = 'NT'
ante_trimming_status = true
antes = [0, 0]
blinds_or_straddles = [5, 10]
min_bet = 10
starting_stacks = [1000, 1000]
actions = ['d dh p1 AsAd', 'd dh p2 KhQh', 'p2 cbr 30', 'p1 f']
hand = 1
players = ['call', 'raise']
finishing_stacks = [990, 1010]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from holdem.cards import format_card
from holdem.engine import ActionKind, State, Street


def _cards(cards: Iterable[int]) -> str:
    return "".join(format_card(c) for c in cards)


def _board_deal(state: State, street: int) -> str:
    board = state.deal.board
    return "d db " + _cards(board[Street(street - 1).board_size:Street(street).board_size])


def phh_actions(state: State) -> list[str]:
    """The PHH action list of ``state`` (a finished hand, or one in progress)."""
    order = state.rules.seat_order
    player = {seat: f"p{i + 1}" for i, seat in enumerate(order)}
    out = [f"d dh {player[seat]} {_cards(state.deal.hole_cards[seat])}" for seat in order]
    street = Street.PREFLOP
    for action in state.actions:
        while street < action.street:
            street = Street(street + 1)
            out.append(_board_deal(state, street))
        who = player[action.seat]
        if action.kind == ActionKind.FOLD:
            out.append(f"{who} f")
        elif action.kind in (ActionKind.CHECK, ActionKind.CALL):
            out.append(f"{who} cc")
        else:
            out.append(f"{who} cbr {action.amount}")
    if state.went_to_showdown:
        out.extend(f"{player[seat]} sm {_cards(state.deal.hole_cards[seat])}" for seat in order if state.live[seat])
        while street < Street.RIVER:
            street = Street(street + 1)
            out.append(_board_deal(state, street))
    return out


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "") + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def hand_history(state: State, *, hand: int | None = None, players: Sequence[str] | None = None) -> str:
    """The PHH document of ``state``; ``players`` are names per seat (``0..n-1``)."""
    rules = state.rules
    order = rules.seat_order
    n = rules.num_players
    fields: list[tuple[str, object]] = [
        ("variant", "NT"),
        ("ante_trimming_status", True),
        ("antes", [rules.ante] * n),
        ("blinds_or_straddles", [rules.small_blind, rules.big_blind] + [0] * (n - 2)),
        ("min_bet", rules.big_blind),
        ("starting_stacks", [rules.stacks[s] for s in order]),
        ("actions", phh_actions(state)),
    ]
    if hand is not None:
        fields.append(("hand", hand))
    if players is not None:
        fields.append(("players", [players[s] for s in order]))
    if state.is_over:
        fields.append(("finishing_stacks", [state.stacks[s] for s in order]))
    return "\n".join(f"{key} = {_toml(value)}" for key, value in fields)


def join_histories(documents: Iterable[str], first: int = 1) -> str:
    """Several PHH documents as one ``.phhs`` text, tables ``[first]``, ``[first + 1]``, ..."""
    return "\n\n".join(f"[{first + i}]\n{doc}" for i, doc in enumerate(documents))


def write_histories(path: str | Path, documents: Iterable[str]) -> None:
    """Write PHH documents to a ``.phhs`` file."""
    Path(path).write_text(join_histories(documents) + "\n")
