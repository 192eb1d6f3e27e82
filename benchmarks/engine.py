"""Hands per second of the rules engine against pokerkit, heads-up and 6-max.

Both engines play random hands: 1000-chip stacks, blinds 5/10, fresh shuffled
cards, and at every decision a random legal action (fold when facing a bet,
check or call, or a bet/raise to the minimum, the maximum or in between),
until the hand ends by folds or at showdown.  Each engine and format plays
for a second before its timing, so the showdown's numba evaluator is compiled
(or loaded from numba's cache) outside it.  The last line printed is one JSON
object with the overall and per-format rates.

Build first: nothing (pokerkit, the peer, comes with ``pip install -e '.[test]'``).

    python benchmarks/engine.py [--seconds 5]
"""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Callable

from _common import load_average, parser, report
from pokerkit import Automation, NoLimitTexasHoldem

from holdem.engine import Deal, Rules, State

STACK, SMALL_BLIND, BIG_BLIND = 1000, 5, 10
FORMATS = {"heads_up": 2, "six_max": 6}
WARM_UP_SECONDS = 1.0


def pick(rng: random.Random, can_fold: bool, can_raise: bool, low: int, high: int) -> tuple[str, int]:
    """The random policy shared by both engines."""
    roll = rng.random()
    if can_fold and roll < 0.25:
        return "fold", 0
    if can_raise and roll > 0.75:
        return "raise", (low, high, rng.randint(low, high))[rng.randrange(3)]
    return "call", 0


RULES = {n: Rules((STACK,) * n, SMALL_BLIND, BIG_BLIND, button=n - 1) for n in FORMATS.values()}


def play_engine(n: int, rng: random.Random) -> None:
    """One random hand with this engine (cards shuffled by the same generator)."""
    state = State(RULES[n], Deal.shuffled(n, rng))
    while not state.is_over:
        legal = state.legal_actions()
        kind, amount = pick(rng, legal.can_fold, legal.can_raise, legal.min_raise_to, legal.max_raise_to)
        if kind == "fold":
            state.fold()
        elif kind == "raise":
            state.bet_or_raise_to(amount)
        else:
            state.check_or_call()


PK_AUTOMATIONS = (
    Automation.ANTE_POSTING, Automation.BET_COLLECTION, Automation.BLIND_OR_STRADDLE_POSTING,
    Automation.CARD_BURNING, Automation.HOLE_DEALING, Automation.BOARD_DEALING,
    Automation.HOLE_CARDS_SHOWING_OR_MUCKING, Automation.HAND_KILLING,
    Automation.CHIPS_PUSHING, Automation.CHIPS_PULLING,
)


def play_pokerkit(n: int, rng: random.Random) -> None:
    """One random hand with pokerkit (it deals its own shuffled cards)."""
    state = NoLimitTexasHoldem.create_state(
        PK_AUTOMATIONS, True, 0, (SMALL_BLIND, BIG_BLIND), BIG_BLIND, STACK, n)
    while state.status:
        can_raise = state.can_complete_bet_or_raise_to()
        low = state.min_completion_betting_or_raising_to_amount if can_raise else 0
        high = state.max_completion_betting_or_raising_to_amount if can_raise else 0
        kind, amount = pick(rng, state.can_fold(), can_raise, low or 0, high or 0)
        if kind == "fold":
            state.fold()
        elif kind == "raise":
            state.complete_bet_or_raise_to(amount)
        else:
            state.check_or_call()


def rate(play: Callable[[int, random.Random], None], n: int, seconds: float) -> float:
    """Hands per second of ``play`` over about ``seconds`` of wall time, after WARM_UP_SECONDS of it
    (thousands of hands, showdowns among them)."""
    rng = random.Random(12345)
    start = time.perf_counter()
    while time.perf_counter() - start < WARM_UP_SECONDS:
        play(n, rng)
    hands, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(10):
            play(n, rng)
        hands += 10
    return hands / elapsed


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--seconds", type=float, default=5.0, help="timing per engine and format")
    args = p.parse_args()
    load_start = load_average()
    warnings.simplefilter("ignore")
    result: dict[str, float] = {}
    print(f"{'format':<10}{'engine hands/s':>16}{'pokerkit hands/s':>18}{'ratio':>8}")
    for name, n in FORMATS.items():
        ours = rate(play_engine, n, args.seconds)
        theirs = rate(play_pokerkit, n, args.seconds)
        result[f"{name}_hands_per_s"] = round(ours, 1)
        result[f"{name}_pokerkit_hands_per_s"] = round(theirs, 1)
        result[f"{name}_ratio"] = round(ours / theirs, 2)
        print(f"{name:<10}{ours:>16,.0f}{theirs:>18,.0f}{ours / theirs:>8.1f}")
    # Overall: the mean time per hand over the formats, as a rate.
    ours = len(FORMATS) / sum(1 / result[f"{name}_hands_per_s"] for name in FORMATS)
    theirs = len(FORMATS) / sum(1 / result[f"{name}_pokerkit_hands_per_s"] for name in FORMATS)
    report({"hands_per_s": round(ours, 1), "pokerkit_hands_per_s": round(theirs, 1),
            "ratio": round(ours / theirs, 2), **result}, load_start)


if __name__ == "__main__":
    main()
