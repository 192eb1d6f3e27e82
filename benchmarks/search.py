"""Real-time search speed: river and turn subgames solved to a target exploitability, the gain from a
second thread, peak memory, and a search agent's decision times over whole hands.

Run ``python benchmarks/search.py [--policy RUN] [--hands 1000] [--budget 0.5]``.  Build first: a
heads-up blueprint for ``--policy`` (default ``runs/quickstart``: ``python -m holdem.cli.train_blueprint
--config configs/quickstart.yaml --logdir runs/quickstart``); without one the subgames are solved
for uniform ranges and the agent part is skipped.

The subgames: stacks 10,000, blinds 50/100, a raise to 300 called, a 300 flop bet called (pot 1,200
at the turn), checked to the river for the river subgame; search sizes: first bets of 0.33, 0.75 and
1.5 pots plus all-in, raises of a pot plus all-in, at most a bet and two raises per street.  With a
blueprint, the ranges are its Bayes ranges for that history (:mod:`holdem.search.beliefs`).
Kernels are compiled (or loaded from the cache) on a small subgame before any timing; seconds
include building the subgame.  The turn board is 6c 3s 9s 9c: two suits left out, so 13 of its 48
rivers are copies of others (:class:`holdem.search.RangeSolver`).  The flop subgame (same hand, at
the flop, the same sizes) is depth-limited, its leaves valued from the blueprint (8 groups, 24
deals per pair; skipped without a blueprint): the seconds its leaf values take and the seconds
and iterations its solve takes to 1% of the pot, on one thread.  The turn solve runs on two
threads; its CPU seconds (all threads) are reported next to the wall-clock ones, and iterations per
wall-clock and per CPU second with one and two threads, as other work on the cores slows the wall
clock.  The turn's table floor is what its iterations cost in memory traffic alone on two threads
(:mod:`_table_traffic`: the bytes of its float32 tables that each iteration must read and write,
moved with no other work), per iteration and times the iterations the solve took: no solver with
these tables and alternating updates can be faster on this machine.  The agent part plays
``--hands`` hands of the search agent (``--budget`` seconds on two threads, from ``--first-street``
on, default the river, with any ``--search-options`` as in a ``search:`` agent spec) against its
blueprint and reports the median and 99th percentile of its decision times (a solve, with its
beliefs and any leaf values).
Prints a few lines, then one JSON line.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
from _common import add_search_arguments, load_average, parser, report, search_config
from _table_traffic import table_floor_seconds

from holdem.abstraction.actions import BetSizing
from holdem.agents import BlueprintAgent, SeatView
from holdem.engine import Deal, Rules, State
from holdem.eval.match import play_match
from holdem.search import RangeSolver, SearchAgent, SearchConfig, holdem_subgame
from holdem.search.beliefs import street_start
from holdem.search.depth_limit import holdem_leaf_values

SIZING = BetSizing(flop=[[0.33, 0.75, 1.5], [1.0]], turn=[[0.33, 0.75, 1.5], [1.0]], river=[[0.33, 0.75, 1.5], [1.0]],
                   max_raises_per_street=3)
WARM_SIZING = BetSizing(turn=[[1.0]], river=[[1.0]], allow_all_in=False, max_raises_per_street=1)
THREADS = 2
RIVER_TARGET, TURN_TARGET, FLOP_TARGET = 0.3, 0.5, 1.0
MAX_TURN_SECONDS = 300.0
RATIO_ITERATIONS = 3


def flop_start(rules: Rules) -> State:
    """The benchmark hand at the start of the flop."""
    state = State(rules, Deal.shuffled(2, seed=1))
    state.bet_or_raise_to(300)
    state.check_or_call()
    return state


def turn_start(rules: Rules) -> State:
    """The benchmark hand at the start of the turn."""
    state = flop_start(rules)
    state.check_or_call()
    state.bet_or_raise_to(300)
    state.check_or_call()
    return state


def ranges_at(state: State, blueprint: BlueprintAgent | None) -> np.ndarray:
    """(2, 1326) root ranges: the blueprint's Bayes ranges for ``state``'s history, else uniform."""
    if blueprint is None:
        return np.ones((2, 1326))
    return street_start(SeatView.of(state), lambda i, seen, d, holes: blueprint.likelihoods(seen, d, holes)).ranges


def solve_to(state: State, ranges: np.ndarray, target: float, threads: int, seconds: float | None = None) -> dict:
    """Build the subgame at ``state`` and solve it to ``target`` % of the pot; what it took (wall
    seconds, and the CPU seconds of all of this process's threads)."""
    start, cpu = time.perf_counter(), time.process_time()
    sub = holdem_subgame(state, SIZING)
    built = time.perf_counter() - start
    solver = RangeSolver(sub, ranges, threads=threads)
    stats = solver.solve(seconds=seconds, target_pct=target, check_every=10)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
            "build_seconds": built, "iterations": stats.iterations, "exploitability_pct": stats.exploitability_pct,
            "reached": stats.stopped == "target", "nodes": sub.num_nodes, "copied_rivers": solver.copied_rivers,
            "memory_gb": solver.memory_bytes() / 1e9}


def flop_solve(state: State, ranges: np.ndarray, blueprint: BlueprintAgent) -> dict:
    """Seconds of the depth-limited flop subgame's leaf values, then of its solve to ``FLOP_TARGET``."""
    start = time.perf_counter()
    sub = holdem_subgame(state, SIZING, depth_limited=True)
    leaves = holdem_leaf_values(sub, state, blueprint.blueprint, groups=8, deals=24)
    leaf_seconds = time.perf_counter() - start
    stats = RangeSolver(sub, ranges, leaves=leaves).solve(target_pct=FLOP_TARGET, seconds=60.0, check_every=5)
    return {"flop_leaves": sub.num_leaves, "flop_leaf_seconds": round(leaf_seconds, 3),
            "flop_seconds_to_1pct": round(stats.seconds, 3) if stats.stopped == "target" else None,
            "flop_iterations": stats.iterations}


def iteration_rates(state: State, ranges: np.ndarray, threads: int) -> tuple[float, float]:
    """Iterations per wall-clock second and per CPU second (all threads) of the turn subgame with
    ``threads`` threads, over ``RATIO_ITERATIONS`` iterations after a first one."""
    solver = RangeSolver(holdem_subgame(state, SIZING), ranges, threads=threads)
    solver.run(1)
    start, cpu = time.perf_counter(), time.process_time()
    solver.run(RATIO_ITERATIONS)
    return RATIO_ITERATIONS / (time.perf_counter() - start), RATIO_ITERATIONS / (time.process_time() - cpu)


def agent_times(run: Path, hands: int, config: SearchConfig) -> dict:
    """Median and 99th percentile of a search agent's decision times over ``hands`` hands (each solve's wall time:
    beliefs, any leaf values and the solve)."""
    agent = SearchAgent.load(run, config, seed=1)
    blueprint = BlueprintAgent.load(run, seed=2)
    play_match([agent, blueprint], 20, rules=agent.rules, seed=7)  # compile the agent's kernels
    agent.solve_seconds.clear()
    play_match([agent, blueprint], hands, rules=agent.rules, seed=8)
    times = np.array(agent.solve_seconds)
    return {"decisions": len(times), "budget": config.budget, "first_street": config.first_street,
            "decision_seconds_median": round(float(np.median(times)), 3) if len(times) else None,
            "decision_seconds_p99": round(float(np.percentile(times, 99)), 3) if len(times) else None}


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--policy", type=Path, default=Path("runs/quickstart"), help="a heads-up blueprint run")
    p.add_argument("--hands", type=int, default=1000, help="hands for the agent's decision times")
    add_search_arguments(p, budget=0.5)
    args = p.parse_args()
    blueprint = BlueprintAgent.load(args.policy) if args.policy.exists() else None
    if blueprint is None:
        print(f"no blueprint at {args.policy}: uniform ranges, no agent measurement (see --help)")
    rules = blueprint.rules if blueprint is not None else Rules(stacks=(10_000, 10_000), small_blind=50,
                                                                 big_blind=100)
    turn = turn_start(rules)
    river = turn.copy()
    river.check_or_call()
    river.check_or_call()
    turn_ranges, river_ranges = ranges_at(turn, blueprint), ranges_at(river, blueprint)
    warm = RangeSolver(holdem_subgame(turn, WARM_SIZING), turn_ranges, threads=THREADS)
    warm.solve(max_iterations=2, target_pct=0.0)
    flop = flop_start(rules)
    if blueprint is not None:  # compiles the depth-limit kernels
        small = holdem_subgame(flop, WARM_SIZING, depth_limited=True)
        leaves = holdem_leaf_values(small, flop, blueprint.blueprint, groups=2, deals=1)
        RangeSolver(small, turn_ranges, leaves=leaves).solve(max_iterations=2, target_pct=0.0)
    load_start = load_average()
    river_result = solve_to(river, river_ranges, RIVER_TARGET, THREADS)
    print(f"river: {river_result}")
    turn_result = solve_to(turn, turn_ranges, TURN_TARGET, THREADS, seconds=MAX_TURN_SECONDS)
    print(f"turn:  {turn_result}")
    (one, one_cpu), (two, two_cpu) = iteration_rates(turn, turn_ranges, 1), iteration_rates(turn, turn_ranges, THREADS)
    print(f"turn iterations/s: 1 thread {one:.2f} ({one_cpu:.2f} per CPU second), "
          f"{THREADS} threads {two:.2f} ({two_cpu:.2f} per CPU second)")
    floor = table_floor_seconds(RangeSolver(holdem_subgame(turn, SIZING), turn_ranges, threads=THREADS))
    print(f"turn table traffic alone: {1e3 * floor:.1f} ms per iteration on {THREADS} threads, "
          f"{floor * turn_result['iterations']:.2f} s for the solve's {turn_result['iterations']} iterations")
    flop_result = flop_solve(flop, ranges_at(flop, blueprint), blueprint) if blueprint is not None else {}
    if flop_result:
        print(f"flop:  {flop_result}")
    agent = agent_times(args.policy, args.hands, search_config(args, threads=THREADS)) if blueprint is not None else {}
    if agent:
        print(f"agent: {agent}")
    report({
        "river_seconds_to_0.3pct": round(river_result["seconds"], 3) if river_result["reached"] else None,
        "turn_seconds_to_0.5pct": round(turn_result["seconds"], 3) if turn_result["reached"] else None,
        "river_iterations": river_result["iterations"], "turn_iterations": turn_result["iterations"],
        "turn_exploitability_pct": round(turn_result["exploitability_pct"], 4),
        "river_nodes": river_result["nodes"], "turn_nodes": turn_result["nodes"],
        "turn_cpu_seconds": round(turn_result["cpu_seconds"], 3),
        "turn_copied_rivers": turn_result["copied_rivers"],
        "turn_build_seconds": round(turn_result["build_seconds"], 3),
        "turn_iterations_per_second_1_thread": round(one, 3),
        "turn_iterations_per_cpu_second_1_thread": round(one_cpu, 3),
        "turn_iterations_per_second_2_threads": round(two, 3),
        "thread_ratio": round(two / one, 3), "threads": THREADS,
        "turn_table_floor_seconds_per_iteration": round(floor, 4),
        "turn_table_floor_seconds": round(floor * turn_result["iterations"], 3),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 3),
        "ranges": "uniform" if blueprint is None else f"blueprint {args.policy}", **flop_result, **agent,
    }, load_start)


if __name__ == "__main__":
    main()
