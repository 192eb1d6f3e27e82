"""Kuhn poker (Kuhn 1950) with OpenSpiel's ``kuhn_poker`` rules and information-state strings.

Three cards 0 < 1 < 2 (J, Q, K), ante 1, one card each, one betting round: pass (0) or bet (1)
of one chip.  State: ``(cards, history)``, ``history`` a string over ``"pb"``; the information-set
key is the own card then the history, e.g. ``"1pb"``.
"""

from __future__ import annotations

from .base import CHANCE_PLAYER, TERMINAL_PLAYER

_TERMINAL_HISTORIES = frozenset({"pp", "bp", "bb", "pbp", "pbb"})


class KuhnPoker:
    """Two-player Kuhn poker. Actions: 0 = pass/check/fold, 1 = bet/call."""

    name = "kuhn"
    num_players = 2

    def initial_state(self) -> tuple[tuple[int, ...], str]:
        return ((), "")

    def current_player(self, state: tuple[tuple[int, ...], str]) -> int:
        cards, history = state
        if len(cards) < 2:
            return CHANCE_PLAYER
        if history in _TERMINAL_HISTORIES:
            return TERMINAL_PLAYER
        return len(history) % 2

    def legal_actions(self, state: tuple[tuple[int, ...], str]) -> tuple[int, ...]:
        return (0, 1)

    def chance_outcomes(self, state: tuple[tuple[int, ...], str]) -> list[tuple[int, float]]:
        left = [c for c in range(3) if c not in state[0]]
        return [(c, 1.0 / len(left)) for c in left]

    def apply(self, state: tuple[tuple[int, ...], str], action: int) -> tuple[tuple[int, ...], str]:
        cards, history = state
        if len(cards) < 2:
            return (cards + (action,), history)
        return (cards, history + "pb"[action])

    def returns(self, state: tuple[tuple[int, ...], str]) -> tuple[float, float]:
        cards, history = state
        if history.endswith("bp"):  # the bettor wins the antes uncontested
            winner = (len(history) - 2) % 2
            stake = 1.0
        else:
            winner = 0 if cards[0] > cards[1] else 1
            stake = 2.0 if "b" in history else 1.0
        return (stake, -stake) if winner == 0 else (-stake, stake)

    def infoset_key(self, state: tuple[tuple[int, ...], str]) -> str:
        cards, history = state
        return f"{cards[len(history) % 2]}{history}"
