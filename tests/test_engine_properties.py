"""Property tests: chips are conserved, legal sequences apply, illegal actions are refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holdem.engine import Deal, IllegalActionError, LegalActions, Rules, State, replay


@st.composite
def tables(draw: st.DrawFn) -> tuple[Rules, Deal]:
    """Rules for 2..10 players (stacks from 1 chip up) and a deal."""
    n = draw(st.integers(2, 10))
    bb = draw(st.integers(1, 50))
    sb = draw(st.integers(1, bb))
    ante = draw(st.sampled_from((0, 0, 1, bb // 2, bb)))
    stacks = draw(st.lists(st.integers(1, 300 * bb), min_size=n, max_size=n))
    button = draw(st.integers(0, n - 1))
    return Rules(tuple(stacks), sb, bb, ante, button), Deal.shuffled(n, draw(st.integers(0, 2**32 - 1)))


def apply_choice(state: State, legal: LegalActions, choice: int) -> None:
    """Apply the legal action that ``choice`` selects (fold, check/call, min, max or a middle raise)."""
    pick = choice % 5
    if pick == 0 and legal.can_fold:
        state.fold()
    elif pick >= 2 and legal.can_raise:
        span = legal.max_raise_to - legal.min_raise_to
        amount = (legal.min_raise_to, legal.max_raise_to, legal.min_raise_to + choice % (span + 1))[pick - 2]
        state.bet_or_raise_to(amount)
    else:
        state.check_or_call()


def chips_in_play(state: State) -> int:
    return sum(state.stacks) + sum(state.bets) + sum(state.contributions) - sum(state.winnings)


@settings(max_examples=150, deadline=None)
@given(tables(), st.lists(st.integers(0, 10**6), min_size=60, max_size=60))
def test_legal_sequences_conserve_chips_and_replay(table: tuple[Rules, Deal], choices: list[int]) -> None:
    rules, deal = table
    total = sum(rules.stacks)
    state = State(rules, deal)
    for choice in choices:
        if state.is_over:
            break
        assert chips_in_play(state) == total
        apply_choice(state, state.legal_actions(), choice)
    while not state.is_over:
        state.check_or_call()
    assert sum(state.stacks) == total
    assert sum(state.winnings) == sum(state.contributions)
    assert sum(state.payoffs) == 0
    again = replay(rules, deal, state.actions)
    assert again.stacks == state.stacks and again.is_over


def snapshot(state: State) -> tuple[object, ...]:
    return (list(state.stacks), list(state.bets), list(state.contributions), list(state.live),
            state.street, len(state.actions), state.actor)


def refused(state: State, attempt: object, reason: str) -> None:
    """``attempt`` must raise IllegalActionError mentioning ``reason`` and leave the state unchanged."""
    before = snapshot(state)
    with pytest.raises(IllegalActionError, match=reason):
        attempt()  # type: ignore[operator]
    assert snapshot(state) == before


@settings(max_examples=150, deadline=None)
@given(tables(), st.lists(st.integers(0, 10**6), min_size=60, max_size=60))
def test_illegal_actions_are_refused(table: tuple[Rules, Deal], choices: list[int]) -> None:
    rules, deal = table
    state = State(rules, deal)
    for choice in choices:
        if state.is_over:
            break
        legal = state.legal_actions()
        seat = legal.seat
        other = (seat + 1 + choice % (rules.num_players - 1)) % rules.num_players
        refused(state, lambda: state.check_or_call(seat=other), "cannot act: it is seat")
        if legal.can_raise:
            refused(state, lambda: state.bet_or_raise_to(legal.min_raise_to - 1), "below the minimum")
            refused(state, lambda: state.bet_or_raise_to(legal.max_raise_to + 1), "above the maximum")
            assert state.can_bet_or_raise_to(legal.min_raise_to)
            assert state.can_bet_or_raise_to(legal.max_raise_to)
        else:
            refused(state, lambda: state.bet_or_raise_to(state.stacks[seat] + state.bets[seat]),
                    "cannot raise")
        if legal.can_check:
            refused(state, state.fold, "cannot fold")
            refused(state, state.call, "cannot call")
        else:
            refused(state, state.check, "cannot check: facing a bet")
        assert state.can_fold() == legal.can_fold and state.can_check() == legal.can_check
        apply_choice(state, legal, choice)
    while not state.is_over:
        state.check_or_call()
    for attempt in (state.fold, state.check, state.call, state.check_or_call,
                    lambda: state.bet_or_raise_to(rules.big_blind), state.legal_actions):
        refused(state, attempt, "the hand is over")


@settings(max_examples=150, deadline=None)
@given(tables(), st.lists(st.integers(0, 10**6), min_size=60, max_size=60), st.integers(0, 30))
def test_copy_then_continue_equals_replay(table: tuple[Rules, Deal], choices: list[int], split: int) -> None:
    """A copy taken anywhere in a hand plays on exactly as a replay of its actions, while the
    original plays on differently."""
    rules, deal = table
    state = State(rules, deal)
    for choice in choices[:split]:
        if state.is_over:
            break
        apply_choice(state, state.legal_actions(), choice)
    twin = state.copy()
    for hand, shift in ((twin, 0), (state, 1)):
        for choice in choices[split:]:
            if hand.is_over:
                break
            apply_choice(hand, hand.legal_actions(), choice + shift)
        while not hand.is_over:
            hand.check_or_call()
        again = replay(rules, deal, hand.actions)
        assert {name: getattr(hand, name) for name in State.__slots__} == {
            name: getattr(again, name) for name in State.__slots__}
