"""Action abstraction: bet and raise sizes per street and raise depth, and off-tree bet translation.

Sizes are fractions of the pot *after the actor calls*; at depth ``d`` (bets/raises already made
on the street) ``sizes[street][d]`` are offered, the last entry repeating, up to
``max_raises_per_street``.  The defaults follow Pluribus's shape (Brown & Sandholm, Science 2019,
supplement): several sizes for the first bet of a street, fewer for re-raises, always all-in.

Off-tree bets are mapped onto the tree with the pseudo-harmonic mapping of Ganzfried & Sandholm,
"Action Translation in Extensive-Form Games with Large Action Spaces: Axioms, Paradoxes, and the
Pseudo-Harmonic Mapping" (IJCAI 2013).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from holdem.engine import STREETS

_PositiveFractions = list[list[float]]


class BetSizing(BaseModel):
    """Bet/raise sizes (pot fractions) per street and raise depth, validated on construction.

    >>> BetSizing().fractions("flop", depth=0)
    (0.33, 0.75, 1.25)
    >>> BetSizing().fractions("flop", depth=7)
    ()
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    preflop: _PositiveFractions = Field(default_factory=lambda: [[0.5, 1.0, 2.0], [0.75, 1.5], [1.0]])
    flop: _PositiveFractions = Field(default_factory=lambda: [[0.33, 0.75, 1.25], [0.75, 1.5], [1.0]])
    turn: _PositiveFractions = Field(default_factory=lambda: [[0.5, 1.0, 2.0], [1.0]])
    river: _PositiveFractions = Field(default_factory=lambda: [[0.5, 1.0, 2.0], [1.0]])
    allow_all_in: bool = True
    max_raises_per_street: int = Field(default=4, ge=1, le=16)

    @field_validator("preflop", "flop", "turn", "river")
    @classmethod
    def _check_sizes(cls, value: _PositiveFractions) -> _PositiveFractions:
        if not value:
            raise ValueError("needs at least one list of sizes (for the first bet of the street)")
        for depth, sizes in enumerate(value):
            if not sizes:
                raise ValueError(f"depth {depth}: empty list of sizes")
            if any(not 0 < f <= 100 for f in sizes):
                raise ValueError(f"depth {depth}: sizes must be pot fractions in (0, 100], got {sizes}")
            if sorted(set(sizes)) != list(sizes):
                raise ValueError(f"depth {depth}: sizes must be strictly increasing, got {sizes}")
        return value

    def fractions(self, street: str, depth: int) -> tuple[float, ...]:
        """Pot fractions offered at ``street`` after ``depth`` bets/raises; ``()`` past the cap."""
        if street not in STREETS:
            raise ValueError(f"unknown street {street!r}; expected one of {STREETS}")
        if depth >= self.max_raises_per_street:
            return ()
        table: _PositiveFractions = getattr(self, street)
        return tuple(table[min(depth, len(table) - 1)])


def raise_to_for_fraction(fraction: float, pot: int, highest_bet: int, to_call: int) -> int:
    """Total round commitment ("raise to") for a pot-fraction raise, in whole chips: ``pot`` counts
    every chip committed so far, ``highest_bet`` is the largest round commitment and ``to_call``
    what the actor needs to match it.  The caller clamps to ``[min_raise_to, max_raise_to]``.

    >>> raise_to_for_fraction(1.0, pot=150, highest_bet=100, to_call=50)  # pot raise facing 1bb
    300
    """
    return highest_bet + int(round(fraction * (pot + to_call)))


def pseudo_harmonic_low_probability(x: float, low: float, high: float) -> float:
    """Probability of mapping a bet of ``x`` (pot fraction) to the smaller size ``low``.

    ``f(x) = (high - x)(1 + low) / ((high - low)(1 + x))`` for ``low <= x <= high``
    (Ganzfried & Sandholm 2013); the bet maps to ``high`` with probability ``1 - f(x)``.

    >>> round(pseudo_harmonic_low_probability(0.75, 0.5, 1.0), 6)
    0.428571
    """
    if not 0 <= low < high:
        raise ValueError(f"need 0 <= low < high, got low={low}, high={high}")
    if not low <= x <= high:
        raise ValueError(f"bet fraction {x} outside [{low}, {high}]")
    return (high - x) * (1 + low) / ((high - low) * (1 + x))


def translate_bet(x: float, sizes: Sequence[float]) -> tuple[int, int, float]:
    """Map an off-tree bet ``x`` (pot fraction) onto sorted tree ``sizes``.

    Returns ``(low_index, high_index, p_low)``: the bet stands for ``sizes[low_index]`` with
    probability ``p_low`` and for ``sizes[high_index]`` otherwise.  Bets below the smallest or
    above the largest size map to that size with probability 1.

    >>> translate_bet(0.75, [0.5, 1.0, 2.0])[:2]
    (0, 1)
    >>> translate_bet(5.0, [0.5, 1.0, 2.0])
    (2, 2, 1.0)
    """
    if not sizes or list(sizes) != sorted(sizes):
        raise ValueError(f"tree sizes must be a non-empty increasing sequence, got {list(sizes)}")
    if x <= sizes[0]:
        return 0, 0, 1.0
    if x >= sizes[-1]:
        last = len(sizes) - 1
        return last, last, 1.0
    high = next(i for i, s in enumerate(sizes) if s >= x)
    if sizes[high] == x:
        return high, high, 1.0
    return high - 1, high, pseudo_harmonic_low_probability(x, sizes[high - 1], sizes[high])


def abstract_raise_amounts(sizing: BetSizing, street: str, depth: int, pot: int, highest_bet: int,
                           to_call: int, min_raise_to: int, max_raise_to: int) -> list[int]:
    """The raise-to amounts the abstraction offers at a decision, sorted and without duplicates:
    each fraction of ``sizing.fractions(street, depth)`` in chips, clamped to the legal
    ``[min_raise_to, max_raise_to]``, and all-in when ``sizing.allow_all_in``.

    >>> abstract_raise_amounts(BetSizing(), "preflop", 0, pot=150, highest_bet=100, to_call=50,
    ...                        min_raise_to=200, max_raise_to=10000)
    [200, 300, 500, 10000]
    """
    if depth >= sizing.max_raises_per_street:
        return []
    amounts = {min(max(raise_to_for_fraction(f, pot, highest_bet, to_call), min_raise_to), max_raise_to)
               for f in sizing.fractions(street, depth)}
    if sizing.allow_all_in:
        amounts.add(max_raise_to)
    return sorted(amounts)
