import pytest

from holdem.agents import Decision, SeatView
from holdem.engine import Deal, IllegalActionError, Rules, State


def _state():
    return State(Rules(stacks=(1000, 1000, 1000), small_blind=5, big_blind=10, button=0),
                 Deal.parse(["As Ad", "Kh Qh", "7c 2d"], "Ks 7h 2h 9c 3d"))


def test_view_hides_other_cards_and_future_board():
    state = _state()
    v = SeatView.of(state)
    assert v.seat == 0 and v.hole == state.deal.hole_cards[0]
    assert v.board == () and v.pot == 15
    Decision.check_call().apply(state)
    Decision.check_call().apply(state)
    Decision.check_call().apply(state)
    v = SeatView.of(state)
    assert len(v.board) == 3 and v.street.name == "FLOP"
    assert len(v.actions) == 3


def test_fold_without_bet_checks():
    state = _state()
    for _ in range(3):
        Decision.check_call().apply(state)
    assert Decision.fold().apply(state).kind.name == "CHECK"


def test_illegal_raise_reason():
    state = _state()
    with pytest.raises(IllegalActionError, match="below the minimum raise to 20"):
        Decision.raise_to(15).apply(state)
