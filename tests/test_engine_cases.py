"""Hand-written hands whose outcomes are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from holdem.engine import (
    ActionKind, Deal, IllegalActionError, Pot, Rules, State, Street, format_history, replay,
)


def test_three_way_side_pots() -> None:
    # Seat 2 is the button; seat 0 (100 chips) posts the small blind 5, seat 1 (300) the big blind 10.
    rules = Rules(stacks=(100, 300, 1000), small_blind=5, big_blind=10, button=2)
    deal = Deal.parse(["As Ah", "Ks Kh", "Qs Qh"], "2c 7d 9h Tc 4s")
    state = State(rules, deal)
    state.bet_or_raise_to(30)    # button raises (increment 20)
    state.bet_or_raise_to(100)   # small blind all-in (a full raise: increment 70)
    state.bet_or_raise_to(300)   # big blind all-in (increment 200)
    state.call()                 # button calls 270 more
    # Contributions 100 / 300 / 300: main pot 3 x 100 = 300 for everyone, side pot 2 x 200 = 400
    # for seats 1 and 2.  Aces win the main pot, kings beat queens for the side pot.
    assert state.is_over and state.went_to_showdown
    assert state.pots() == [Pot(300, (0, 1, 2)), Pot(400, (1, 2))]
    assert state.winnings == [300, 400, 0]
    assert state.stacks == [300, 400, 700]
    assert state.payoffs == [200, 100, -300]


def test_split_pot_odd_chip_goes_left_of_the_button() -> None:
    # Button seat 0, small blind seat 1 (5), big blind seat 2 (10).
    rules = Rules(stacks=(1000, 1000, 1000), small_blind=5, big_blind=10, button=0)
    deal = Deal.parse(["2c 3d", "4h 5h", "2d 3c"], "As Ks Qs Js Ts")
    state = State(rules, deal)
    state.call()                 # button calls 10
    state.fold()                 # small blind folds: 5 dead
    state.check()                # big blind checks; pot 25
    for _ in range(3):           # flop, turn, river: seat 2 then seat 0 check
        state.check()
        state.check()
    # Both live players play the royal flush on the board: 25 splits 12 / 12 and the odd chip goes
    # to the first winner clockwise from the button, seat 2 (seat 1 folded).
    assert state.winnings == [12, 0, 13]
    assert state.payoffs == [2, -5, 3]


def test_short_all_in_does_not_reopen_betting() -> None:
    # Button seat 2 (150 chips); blinds 5/10 from seats 0 and 1.
    rules = Rules(stacks=(1000, 1000, 150), small_blind=5, big_blind=10, button=2)
    deal = Deal.parse(["Ah Kd", "Qc Jc", "9s 9d"], "2c 7d 8h 3s 4c")
    state = State(rules, deal)
    state.call()                 # button calls 10
    state.call()                 # small blind completes
    state.check()                # big blind checks; flop, seat 0 first
    assert state.street == Street.FLOP and state.actor == 0
    state.bet_or_raise_to(100)   # seat 0 bets 100 (increment 100)
    state.call()                 # seat 1 calls
    state.bet_or_raise_to(140)   # seat 2 all-in for 140: raises by 40 < 100, not a full raise
    legal = state.legal_actions()
    # Seat 0 already acted since the last full raise: call 40 or fold, no raise.
    assert (legal.seat, legal.can_raise, legal.call_amount, legal.can_fold) == (0, False, 40, True)
    with pytest.raises(IllegalActionError, match="not reopened"):
        state.bet_or_raise_to(300)
    state.call()
    assert not state.legal_actions().can_raise    # seat 1 likewise
    state.call()
    assert state.street == Street.TURN


def test_short_all_in_lets_players_who_have_not_acted_raise() -> None:
    # Seat 3 is the button; seat 0 SB 5, seat 1 BB 10, seat 2 first to act preflop.
    rules = Rules(stacks=(1000, 1000, 1000, 45), small_blind=5, big_blind=10, button=3)
    state = State(rules, Deal.shuffled(4, seed=1))
    state.bet_or_raise_to(30)    # seat 2 raises to 30 (increment 20)
    state.bet_or_raise_to(45)    # seat 3 all-in for 45, 15 more: short
    # The small blind has not acted: it may raise, at least to 45 + 20 = 65.
    assert state.legal_actions().min_raise_to == 65
    state.call()
    state.call()                 # big blind calls too
    # Seat 2 already acted and the short all-in did not reopen: call or fold.
    assert state.actor == 2 and not state.legal_actions().can_raise


def test_uncalled_bet_is_returned() -> None:
    # Heads-up, button seat 0 posts 5, seat 1 posts 10.
    rules = Rules(stacks=(1000, 400), small_blind=5, big_blind=10, button=0)
    deal = Deal.parse(["7c 2d", "As Ad"], "Kh 9s 4c 3d 8h")
    state = State(rules, deal)
    state.bet_or_raise_to(1000)  # the button shoves 1000
    state.call()                 # big blind calls all-in for 400
    # Only 400 of the shove is called: 600 goes back, the pot is 800 and the aces win it.
    assert state.pots() == [Pot(800, (1, 0))]
    assert state.stacks == [600, 800]


def test_fold_to_win_without_showdown() -> None:
    rules = Rules(stacks=(500, 500, 500), small_blind=5, big_blind=10, button=2)
    state = State(rules, Deal.shuffled(3, seed=4))
    state.bet_or_raise_to(30)    # button raises to 30
    state.fold()                 # small blind folds (5 dead)
    state.fold()                 # big blind folds (10 dead)
    # The 20 of the raise nobody called comes back; the button wins 10 + 5 + 10 = 25.
    assert state.is_over and not state.went_to_showdown
    assert state.winnings == [0, 0, 25]
    assert state.payoffs == [-5, -10, 15]
    assert state.board == ()


def test_heads_up_blind_and_action_order() -> None:
    rules = Rules(stacks=(500, 500), small_blind=5, big_blind=10, button=1)
    state = State(rules, Deal.shuffled(2, seed=2))
    assert (rules.small_blind_seat, rules.big_blind_seat) == (1, 0)
    assert state.bets == [10, 5]
    assert state.actor == 1                    # button (small blind) first preflop
    state.call()
    assert state.actor == 0 and state.legal_actions().can_check
    state.check()
    assert state.street == Street.FLOP and state.actor == 0   # big blind first after the flop
    state.check()
    assert state.actor == 1


def test_blinds_and_antes_larger_than_the_stack() -> None:
    # Seat 1 has 3 chips: ante 2, then only 1 chip left for its big blind of 10.
    rules = Rules(stacks=(500, 3, 500), small_blind=5, big_blind=10, ante=2, button=2)
    state = State(rules, Deal.parse(["2c 2d", "As Ad", "7h 8h"], "Kc Qd 5s 4h 9c"))
    assert state.contributions == [2, 2, 2] and state.bets == [5, 1, 0]
    # The button faces the small blind's 5, the largest posted blind; a raise must reach 5 + 10.
    assert state.actor == 2
    legal = state.legal_actions()
    assert (legal.call_amount, legal.min_raise_to) == (5, 15)
    state.call()
    state.check()                # small blind checks: nothing more to call
    while not state.is_over:     # seats 0 and 2 check it down
        state.check()
    # Contributions 7 / 3 / 7: main pot 3 x 3 = 9 for everyone, side pot 2 x 4 = 8 for seats 0
    # and 2.  Seat 1's aces take the main pot; seat 0's pair of twos beats seat 2's king high.
    assert state.pots() == [Pot(9, (0, 1, 2)), Pot(8, (0, 2))]
    assert state.winnings == [8, 9, 0]
    assert state.stacks == [501, 9, 493]


def test_error_messages() -> None:
    rules = Rules(stacks=(1000, 1000, 1000), small_blind=50, big_blind=100, button=0)
    state = State(rules, Deal.shuffled(3, seed=3))
    with pytest.raises(IllegalActionError, match="seat 1 cannot act: it is seat 0's turn"):
        state.fold(seat=1)
    state.bet_or_raise_to(300)   # seat 0 raises to 300 (increment 200)
    with pytest.raises(IllegalActionError, match="raise to 250 is below the minimum raise to 500"):
        state.bet_or_raise_to(250)
    with pytest.raises(IllegalActionError, match="raise to 1001 is above the maximum raise to 1000"):
        state.bet_or_raise_to(1001)
    with pytest.raises(IllegalActionError, match="cannot check: facing a bet of 300, calling costs 250"):
        state.check()
    state.call()
    state.call()
    with pytest.raises(IllegalActionError, match="cannot fold: there is no bet to face"):
        state.fold()
    with pytest.raises(IllegalActionError, match="cannot call: there is no bet to call"):
        state.call()
    with pytest.raises(IllegalActionError, match="bet to 50 is below the minimum bet to 100"):
        state.bet_or_raise_to(50)
    state.bet_or_raise_to(700)   # seat 1 shoves 700
    state.fold()
    state.fold()
    assert state.is_over
    with pytest.raises(IllegalActionError, match="the hand is over"):
        state.check_or_call()
    assert isinstance(IllegalActionError("x"), ValueError)


def test_invalid_setup_is_refused() -> None:
    with pytest.raises(ValueError, match="11 players"):
        Rules(stacks=(100,) * 11, small_blind=1, big_blind=2)
    with pytest.raises(ValueError, match="small blind <= big blind"):
        Rules(stacks=(100, 100), small_blind=3, big_blind=2)
    with pytest.raises(ValueError, match="dealt twice"):
        Deal.parse(["As Kd", "As Qc"], "2c 3c 4c 5c 6c")
    with pytest.raises(ValueError, match="hole cards for 2 seats"):
        State(Rules(stacks=(100,) * 3, small_blind=1, big_blind=2), Deal.shuffled(2, seed=0))


def test_replay_and_history() -> None:
    rules = Rules(stacks=(1000, 300, 1000), small_blind=10, big_blind=20, ante=5, button=2)
    deal = Deal.parse(["Ah Kh", "Qs Qd", "7c 7d"], "Kd 9h 4h 2c 2s")
    state = State(rules, deal)
    state.bet_or_raise_to(60)
    state.call()
    state.call()
    state.check()
    state.bet_or_raise_to(100)
    state.fold()
    state.call()
    while not state.is_over:
        state.check()
    again = replay(rules, deal, state.actions)
    assert again.stacks == state.stacks and again.actions == state.actions
    assert [a.kind for a in state.actions[:3]] == [ActionKind.RAISE, ActionKind.CALL, ActionKind.CALL]
    text = format_history(state)
    assert "Flop: Kd 9h 4h" in text and "  seat 1 bets 100" in text and "  seat 2 folds" in text
    assert text.splitlines()[-1] == "Result: " + ", ".join(
        f"seat {s} {p:+d}" for s, p in enumerate(state.payoffs))


def _slots(state: State) -> dict[str, object]:
    """Every slot of ``state`` (lists copied), so that a later comparison sees any change."""
    return {name: (value.copy() if isinstance(value, list) else value)
            for name in State.__slots__ for value in [getattr(state, name)]}


def _mid_hand_and_over() -> list[State]:
    """A hand after a short all-in (every counter of the betting round set) and one shown down."""
    rules = Rules(stacks=(1000, 1000, 150), small_blind=5, big_blind=10, ante=1, button=2)
    state = State(rules, Deal.parse(["Ah Kd", "Qc Jc", "9s 9d"], "2c 7d 8h 3s 4c"))
    for act in (state.call, state.call, state.check):
        act()
    state.bet_or_raise_to(100)
    state.call()
    state.bet_or_raise_to(139)   # seat 2 all-in short: 39 on top of 100
    over = state.copy()
    over.fold()
    over.call()                  # seat 1 calls; seat 2 all-in, seat 1 alone with chips: run out
    assert over.is_over and over.went_to_showdown and any(over.winnings)
    return [state, over]


@pytest.mark.parametrize("which", ["mid-hand", "over"])
@pytest.mark.parametrize("mutated", ["copy", "original"])
def test_copy_shares_no_mutable_slot(which: str, mutated: str) -> None:
    # Every slot is either a list of its own (changing one side's list leaves the other's alone)
    # or an immutable value (hashable: Rules, Deal, Street, ints, bools, tuples) safely shared.
    original = _mid_hand_and_over()[which == "over"]
    twin = original.copy()
    assert _slots(twin) == _slots(original)
    changed, kept = (twin, original) if mutated == "copy" else (original, twin)
    before = _slots(kept)
    for name in State.__slots__:
        value = getattr(changed, name)
        if isinstance(value, list):
            value.append(None)
        else:
            hash(value)
    assert _slots(kept) == before
