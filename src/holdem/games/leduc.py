"""Leduc poker (Southey et al. 2005) with OpenSpiel's ``leduc_poker`` rules and information states.

Six cards, J Q K in two suits (card ``c`` has rank ``c // 2``), ante 1 chip each, one private card
each, then a public card after the first betting round. Fixed raises of 2 (round 1) and 4
(round 2), at most two raises per round, player 0 opens both rounds. Actions: 0 = fold (only when
facing a bet), 1 = check/call, 2 = bet/raise. Showdown: pairing the public card wins, then the
higher rank, equal ranks split. Information-set keys are OpenSpiel's ``information_state_string``.
State: ``(cards, round1_actions, round2_actions)``, tuples of ints.
"""

from __future__ import annotations

from .base import CHANCE_PLAYER, TERMINAL_PLAYER

FOLD, CALL, RAISE = 0, 1, 2
_RAISE_SIZES = (2, 4)
_MAX_RAISES = 2
_STARTING_MONEY = 100

LeducState = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def _contributions(state: LeducState) -> tuple[list[int], int]:
    """Chips each player has put in, and the player who folded (-1 if none)."""
    contrib = [1, 1]
    for rnd, actions in enumerate(state[1:]):
        player = 0
        for action in actions:
            if action == FOLD:
                return contrib, player
            contrib[player] = max(contrib) + (_RAISE_SIZES[rnd] if action == RAISE else 0)
            player = 1 - player
    return contrib, -1


def _round_over(actions: tuple[int, ...]) -> bool:
    return len(actions) >= 2 and actions[-1] == CALL


class LeducPoker:
    """Two-player Leduc hold'em, as OpenSpiel's ``leduc_poker`` with default parameters."""

    name = "leduc"
    num_players = 2

    def initial_state(self) -> LeducState:
        return ((), (), ())

    def _round(self, state: LeducState) -> int:
        return 0 if len(state[0]) < 3 else 1

    def current_player(self, state: LeducState) -> int:
        cards, round1, round2 = state
        if len(cards) < 2:
            return CHANCE_PLAYER
        if _contributions(state)[1] >= 0 or _round_over(round2):
            return TERMINAL_PLAYER
        if len(cards) == 2 and _round_over(round1):
            return CHANCE_PLAYER
        return len(state[1 + self._round(state)]) % 2

    def legal_actions(self, state: LeducState) -> tuple[int, ...]:
        contrib, _ = _contributions(state)
        actions = state[1 + self._round(state)]
        legal = (FOLD, CALL) if contrib[0] != contrib[1] else (CALL,)
        return legal + (RAISE,) if actions.count(RAISE) < _MAX_RAISES else legal

    def chance_outcomes(self, state: LeducState) -> list[tuple[int, float]]:
        left = [c for c in range(6) if c not in state[0]]
        return [(c, 1.0 / len(left)) for c in left]

    def apply(self, state: LeducState, action: int) -> LeducState:
        cards, round1, round2 = state
        if self.current_player(state) == CHANCE_PLAYER:
            return (cards + (action,), round1, round2)
        if self._round(state) == 0:
            return (cards, round1 + (action,), round2)
        return (cards, round1, round2 + (action,))

    def returns(self, state: LeducState) -> tuple[float, float]:
        cards = state[0]
        contrib, folder = _contributions(state)
        if folder >= 0:
            winner = 1 - folder
        else:
            public = cards[2] // 2
            strength = [(cards[p] // 2 == public, cards[p] // 2) for p in (0, 1)]
            if strength[0] == strength[1]:
                return (0.0, 0.0)
            winner = 0 if strength[0] > strength[1] else 1
        won = float(contrib[1 - winner])
        return (won, -won) if winner == 0 else (-won, won)

    def infoset_key(self, state: LeducState) -> str:
        cards, round1, round2 = state
        rnd = self._round(state)
        player = len(state[1 + rnd]) % 2
        contrib, _ = _contributions(state)
        public = f"[Public: {cards[2]}]" if rnd == 1 else ""
        return (
            f"[Observer: {player}][Private: {cards[player]}][Round {rnd + 1}][Player: {player}]"
            f"[Pot: {sum(contrib)}][Money: {_STARTING_MONEY - contrib[0]} {_STARTING_MONEY - contrib[1]}]"
            f"{public}[Round1: {' '.join(map(str, round1))}][Round2: {' '.join(map(str, round2))}]"
        )
