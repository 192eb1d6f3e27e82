import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from holdem.abstraction.actions import (
    BetSizing,
    pseudo_harmonic_low_probability,
    raise_to_for_fraction,
    translate_bet,
)


def test_unknown_key_rejected_by_name():
    with pytest.raises(ValidationError, match="flopp"):
        BetSizing.model_validate({"flopp": [[1.0]]})


@pytest.mark.parametrize("bad", [[], [[]], [[0.0]], [[1.0, 0.5]], [[-1.0]]])
def test_bad_sizes_rejected(bad):
    with pytest.raises(ValidationError, match="turn"):
        BetSizing(turn=bad)


def test_depth_repeats_last_entry_until_cap():
    s = BetSizing(river=[[0.5, 1.0], [2.0]], max_raises_per_street=3)
    assert s.fractions("river", 0) == (0.5, 1.0)
    assert s.fractions("river", 1) == (2.0,)
    assert s.fractions("river", 2) == (2.0,)
    assert s.fractions("river", 3) == ()
    with pytest.raises(ValueError, match="'showdown'"):
        s.fractions("showdown", 0)


def test_pot_raise_arithmetic():
    # Blinds 50/100, SB to act: pot 150, to call 50. A pot raise calls (pot becomes 200)
    # and raises by that pot: the SB's round total becomes 100 + 200 = 300.
    assert raise_to_for_fraction(1.0, pot=150, highest_bet=100, to_call=50) == 300
    # Unopened flop, pot 200: half-pot bet is 100.
    assert raise_to_for_fraction(0.5, pot=200, highest_bet=0, to_call=0) == 100


def test_pseudo_harmonic_endpoints_and_paper_value():
    assert pseudo_harmonic_low_probability(0.5, 0.5, 1.0) == 1.0
    assert pseudo_harmonic_low_probability(1.0, 0.5, 1.0) == 0.0
    # Ganzfried & Sandholm 2013, A = 0 (check), B = 1 (pot): f(x) = (1 - x) / (1 + x).
    assert pseudo_harmonic_low_probability(0.25, 0.0, 1.0) == pytest.approx(0.75 / 1.25)


@given(st.floats(0.0, 10.0), st.floats(0.01, 10.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_pseudo_harmonic_monotone_decreasing(low, width, t1, t2):
    high = low + width
    x1, x2 = sorted((low + t1 * width, low + t2 * width))
    p1 = pseudo_harmonic_low_probability(x1, low, high)
    p2 = pseudo_harmonic_low_probability(x2, low, high)
    assert 0.0 <= p2 <= p1 + 1e-12 <= 1.0 + 1e-12


def test_translate_exact_and_out_of_range():
    assert translate_bet(1.0, [0.5, 1.0, 2.0]) == (1, 1, 1.0)
    assert translate_bet(0.1, [0.5, 1.0, 2.0]) == (0, 0, 1.0)
    lo, hi, p = translate_bet(1.5, [0.5, 1.0, 2.0])
    assert (lo, hi) == (1, 2) and p == pytest.approx(0.5 * 2 / (1 * 2.5))
    with pytest.raises(ValueError):
        translate_bet(1.0, [1.0, 0.5])
