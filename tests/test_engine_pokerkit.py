"""Differential test: the engine against pokerkit on random hands.

Both engines get the same stacks, blinds, ante, button and cards; at every
decision they must offer the same options (fold allowed, call amount, whether
a raise is allowed and its minimum and maximum) and every hand must end with
the same stacks.  pokerkit lists players from the first seat left of the
button (heads-up: the big blind first, the button second), so pokerkit player
``i`` is our seat ``(button + 1 + i) % n``.  pokerkit runs in tournament mode
with ante trimming on, which is the engine's choice of rules.

Stacks go down to 1 chip: below the ante, below either blind, and exactly at
them.
"""

from __future__ import annotations

import random
import warnings

import pytest
from pokerkit import Automation, NoLimitTexasHoldem

from holdem.cards import format_cards
from holdem.engine import Deal, LegalActions, Rules, State

AUTOMATIONS = (
    Automation.ANTE_POSTING,
    Automation.BET_COLLECTION,
    Automation.BLIND_OR_STRADDLE_POSTING,
    Automation.HOLE_CARDS_SHOWING_OR_MUCKING,
    Automation.HAND_KILLING,
    Automation.CHIPS_PUSHING,
    Automation.CHIPS_PULLING,
)


def random_rules(rng: random.Random) -> Rules:
    """A table of 2..9 players with stacks from 1 chip to 200 big blinds."""
    n = rng.randint(2, 9)
    bb = rng.choice((2, 3, 10, 20, 100))
    sb = bb // 2 if rng.random() < 0.7 else rng.randint(1, bb)
    ante = 0 if rng.random() < 0.5 else rng.randint(1, bb)
    stacks = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.25:
            stacks.append(rng.randint(1, 3 * bb + ante))
        elif kind < 0.6:
            stacks.append(rng.randint(4 * bb, 40 * bb))
        else:
            stacks.append(rng.randint(50 * bb, 200 * bb))
    return Rules(tuple(stacks), sb, bb, ante, rng.randrange(n))


def random_choice(legal: LegalActions, rng: random.Random) -> tuple[str, int]:
    """A random legal action; raises are exactly the minimum, the maximum, or between."""
    options = ["call"] * 3
    if legal.can_fold:
        options += ["fold"] * 2
    if legal.can_raise:
        options += ["min", "max", "mid"]
    pick = rng.choice(options)
    if pick == "min":
        return "raise", legal.min_raise_to
    if pick == "max":
        return "raise", legal.max_raise_to
    if pick == "mid":
        return "raise", rng.randint(legal.min_raise_to, legal.max_raise_to)
    return pick, 0


def play_both(rules: Rules, deal: Deal, rng: random.Random) -> int:
    """Play one random hand in both engines, comparing at every step; returns the decisions made."""
    n = rules.num_players
    order = rules.seat_order
    pk = NoLimitTexasHoldem.create_state(
        AUTOMATIONS, True, rules.ante, (rules.small_blind, rules.big_blind), rules.big_blind,
        tuple(rules.stacks[seat] for seat in order), n,
    )
    state = State(rules, deal)
    board_dealt = 0
    decisions = 0
    while pk.status:
        if pk.can_deal_hole():
            pk.deal_hole(format_cards(deal.hole_cards[order[pk.hole_dealee_index]]))
        elif pk.can_burn_card():
            pk.burn_card("??")
        elif pk.can_deal_board():
            count = pk.board_dealing_count
            pk.deal_board(format_cards(deal.board[board_dealt:board_dealt + count]))
            board_dealt += count
        else:
            assert pk.actor_index is not None, "pokerkit stalled"
            seat = order[pk.actor_index]
            assert state.actor == seat, (state.actor, seat, state.actions)
            legal = state.legal_actions()
            can_raise = pk.can_complete_bet_or_raise_to()
            expected = LegalActions(
                seat, pk.can_fold(), pk.checking_or_calling_amount == 0, pk.checking_or_calling_amount,
                can_raise,
                pk.min_completion_betting_or_raising_to_amount if can_raise else 0,
                pk.max_completion_betting_or_raising_to_amount if can_raise else 0,
            )
            assert legal == expected, (legal, expected, rules, state.actions)
            kind, amount = random_choice(legal, rng)
            decisions += 1
            if kind == "fold":
                state.fold()
                pk.fold()
            elif kind == "call":
                state.check_or_call()
                pk.check_or_call()
            else:
                state.bet_or_raise_to(amount)
                pk.complete_bet_or_raise_to(amount)
    assert state.is_over, (rules, state.actions)
    expected_stacks = [0] * n
    for i, stack in enumerate(pk.stacks):
        expected_stacks[order[i]] = stack
    assert state.stacks == expected_stacks, (rules, deal, state.actions, state.stacks, expected_stacks)
    assert sum(state.stacks) == sum(rules.stacks)
    return decisions


def run_hands(seed: int, count: int) -> None:
    rng = random.Random(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(count):
            rules = random_rules(rng)
            play_both(rules, Deal.shuffled(rules.num_players, rng.randrange(2**32)), rng)


@pytest.mark.parametrize("seed", range(4))
def test_matches_pokerkit(seed: int) -> None:
    """A few thousand random hands (four chunks of 750)."""
    run_hands(seed, 750)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 120))
def test_matches_pokerkit_full(seed: int) -> None:
    """The full run: 20 chunks of 1,000 random hands."""
    run_hands(seed, 1000)
