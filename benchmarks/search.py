"""Range-solver speed on heads-up 100 big blind subgames: a river and a turn subgame solved to a
target exploitability, the gain from a second thread, and peak memory.

Run ``python benchmarks/search.py``.  The hand: stacks 10,000, blinds 50/100, a raise to 300
called, a 300 flop bet called (pot 1,200 at the turn); search sizes: first bets of 0.33, 0.75 and
1.5 pots plus all-in, raises of a pot plus all-in, at most three bets/raises per street (a bet
and two raises).  Ranges are uniform over the 1,326 hands (a blueprint's ranges will replace
them).  Kernels are compiled (or loaded from the cache) on a small subgame before any timing.
Seconds include building the subgame.  Prints a few lines, then one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import time

import numpy as np

from holdem.abstraction.actions import BetSizing
from holdem.engine import Deal, Rules, State
from holdem.search import RangeSolver, holdem_subgame

SIZING = BetSizing(turn=[[0.33, 0.75, 1.5], [1.0]], river=[[0.33, 0.75, 1.5], [1.0]], max_raises_per_street=3)
WARM_SIZING = BetSizing(turn=[[1.0]], river=[[1.0]], allow_all_in=False, max_raises_per_street=1)
THREADS = 2
RIVER_TARGET, TURN_TARGET = 0.3, 0.5
MAX_TURN_SECONDS = 300.0
RATIO_ITERATIONS = 3


def turn_start() -> State:
    """The benchmark hand at the start of the turn."""
    state = State(Rules(stacks=(10_000, 10_000), small_blind=50, big_blind=100), Deal.shuffled(2, seed=1))
    state.bet_or_raise_to(300)
    state.check_or_call()
    state.check_or_call()
    state.bet_or_raise_to(300)
    state.check_or_call()
    return state


def solve_to(state: State, target: float, threads: int, seconds: float | None = None) -> dict:
    """Build the subgame at ``state`` and solve it to ``target`` % of the pot; what it took."""
    start = time.perf_counter()
    sub = holdem_subgame(state, SIZING)
    built = time.perf_counter() - start
    solver = RangeSolver(sub, np.ones((2, sub.num_hands)), threads=threads)
    stats = solver.solve(seconds=seconds, target_pct=target, check_every=10)
    return {"seconds": time.perf_counter() - start, "build_seconds": built, "iterations": stats.iterations,
            "exploitability_pct": stats.exploitability_pct, "reached": stats.stopped == "target",
            "nodes": sub.num_nodes, "memory_gb": solver.memory_bytes() / 1e9}


def iterations_per_second(state: State, threads: int) -> float:
    solver = RangeSolver(holdem_subgame(state, SIZING), np.ones((2, 1326)), threads=threads)
    solver.run(1)
    start = time.perf_counter()
    solver.run(RATIO_ITERATIONS)
    return RATIO_ITERATIONS / (time.perf_counter() - start)


def main() -> None:
    turn = turn_start()
    river = turn.copy()
    river.check_or_call()
    river.check_or_call()
    warm = RangeSolver(holdem_subgame(turn, WARM_SIZING), np.ones((2, 1326)), threads=THREADS)
    warm.solve(max_iterations=2, target_pct=0.0)
    load_before = os.getloadavg()
    river_result = solve_to(river, RIVER_TARGET, THREADS)
    print(f"river: {river_result}")
    turn_result = solve_to(turn, TURN_TARGET, THREADS, seconds=MAX_TURN_SECONDS)
    print(f"turn:  {turn_result}")
    one, two = iterations_per_second(turn, 1), iterations_per_second(turn, THREADS)
    print(f"turn iterations/s: 1 thread {one:.2f}, {THREADS} threads {two:.2f}")
    print(json.dumps({
        "river_seconds_to_0.3pct": round(river_result["seconds"], 3) if river_result["reached"] else None,
        "turn_seconds_to_0.5pct": round(turn_result["seconds"], 3) if turn_result["reached"] else None,
        "river_iterations": river_result["iterations"], "turn_iterations": turn_result["iterations"],
        "turn_exploitability_pct": round(turn_result["exploitability_pct"], 4),
        "river_nodes": river_result["nodes"], "turn_nodes": turn_result["nodes"],
        "turn_build_seconds": round(turn_result["build_seconds"], 3),
        "turn_iterations_per_second_1_thread": round(one, 3),
        "thread_ratio": round(two / one, 3),
        "threads": THREADS,
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 3),
        "ranges": "uniform",
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
