"""Leduc poker: this project's solvers against OpenSpiel's C++ solvers, side by side in one run.

Measures (wall time, training only; exploitability checks are excluded for both sides):

- external-sampling MCCFR: time to reach exploitability <= 0.065, median over seeds, ours with
  one worker against ``pyspiel.ExternalSamplingMCCFRSolver``; ``es_speedup`` = OpenSpiel / ours;
- CFR+ for 1000 iterations against ``pyspiel.CFRPlusSolver``: times and final exploitability;
- external-sampling iterations per second with 2 workers over 1 (``es_2worker_ratio``);
- first-call time of every kernel with numba's cache cold (a fresh temporary cache) and warm.

Every timing of ours follows an untimed run of the same solver (ES-MCCFR: one check interval,
discounting included; CFR+: one iteration), so no compilation is timed.  The machine's load
average is recorded, as other processes share its cores. The last line printed is one JSON
object with every figure.

Build first: nothing (OpenSpiel, the peer, comes with ``pip install -e '.[test]'``).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

import pyspiel
from _common import load_average, parser, report, run_child

from holdem.eval import exploitability
from holdem.games import load_tree
from holdem.solver import make_solver

TARGET = 0.065
CHECK_EVERY = 5_000
MAX_ITERATIONS = 400_000
SEEDS = (0, 1, 2)

FIRST_CALL = """
import time
from holdem.games import load_tree
from holdem.eval import exploitability
from holdem.solver import make_solver
tree = load_tree("leduc")
start = time.perf_counter()
for name in ("cfr+", "es-mccfr", "os-mccfr"):
    make_solver(name, tree).run(1)
make_solver("es-mccfr", tree, regret_dtype="int32").run(1)
exploitability(tree, make_solver("cfr", tree).average_strategy().probs)
print(time.perf_counter() - start)
"""


def first_call_seconds(cache_dir: str) -> float:
    """Seconds a fresh interpreter spends in the first call of every kernel, given a numba cache."""
    child = run_child("the first-call measurement", ["-c", FIRST_CALL], dict(os.environ, NUMBA_CACHE_DIR=cache_dir))
    return float(child.stdout.strip().splitlines()[-1])


def time_to_target(train, evaluate) -> tuple[float, int]:
    """Training seconds and iterations until ``evaluate()`` <= TARGET, checking every CHECK_EVERY."""
    elapsed, iterations = 0.0, 0
    while iterations < MAX_ITERATIONS:
        start = time.perf_counter()
        train(CHECK_EVERY)
        elapsed += time.perf_counter() - start
        iterations += CHECK_EVERY
        if evaluate() <= TARGET:
            return elapsed, iterations
    return float("inf"), iterations


def ours_es(tree, seed: int) -> tuple[float, int]:
    solver = make_solver("es-mccfr", tree, seed=seed)
    return time_to_target(solver.run, lambda: exploitability(tree, solver.average_strategy().probs))


def openspiel_es(game, seed: int) -> tuple[float, int]:
    solver = pyspiel.ExternalSamplingMCCFRSolver(game, seed=seed)

    def train(n):
        for _ in range(n):
            solver.run_iteration()

    return time_to_target(train, lambda: pyspiel.exploitability(game, solver.average_policy()))


def es_rate(tree, workers: int, iterations: int = 200_000) -> float:
    """Steady-state iterations/s: timed after the discounting phase, whose frequent short rounds
    (a discount every ``discount_interval`` iterations) would add a thread start-up per round."""
    solver = make_solver("es-mccfr", tree, num_workers=workers, round_size=iterations)
    solver.run(solver.config.discount_until)
    start = time.perf_counter()
    solver.run(iterations)
    return iterations / (time.perf_counter() - start)


def main() -> None:
    parser(__doc__).parse_args()
    load_start = load_average()
    with tempfile.TemporaryDirectory() as cache:
        cold = first_call_seconds(cache)
        warm = first_call_seconds(cache)
    print(f"first call of all kernels: cold cache {cold:.2f} s, warm cache {warm:.2f} s")

    tree = load_tree("leduc")
    game = pyspiel.load_game("leduc_poker")
    warm_up = make_solver("es-mccfr", tree)
    warm_up.run(CHECK_EVERY)  # every kernel time_to_target times, discounting included
    exploitability(tree, warm_up.average_strategy().probs)
    make_solver("cfr+", tree).run(1)

    ours = [ours_es(tree, seed) for seed in SEEDS]
    theirs = [openspiel_es(game, seed) for seed in SEEDS]
    for seed, (t_ours, n_ours), (t_theirs, n_theirs) in zip(SEEDS, ours, theirs):
        print(f"ES-MCCFR to <= {TARGET} (seed {seed}): ours {t_ours:.2f} s / {n_ours} it, "
              f"OpenSpiel {t_theirs:.2f} s / {n_theirs} it")
    es_ours = statistics.median(t for t, _ in ours)
    es_theirs = statistics.median(t for t, _ in theirs)

    start = time.perf_counter()
    solver = make_solver("cfr+", tree)
    solver.run(1000)
    cfr_ours = time.perf_counter() - start
    expl_ours = exploitability(tree, solver.average_strategy().probs)
    start = time.perf_counter()
    reference = pyspiel.CFRPlusSolver(game)
    for _ in range(1000):
        reference.evaluate_and_update_policy()
    cfr_theirs = time.perf_counter() - start
    expl_theirs = pyspiel.exploitability(game, reference.average_policy())
    print(f"CFR+ 1000 iterations: ours {cfr_ours:.3f} s -> {expl_ours:.6f}, "
          f"OpenSpiel {cfr_theirs:.2f} s -> {expl_theirs:.6f}")

    one, two = es_rate(tree, 1), es_rate(tree, 2)
    print(f"ES-MCCFR iterations/s: 1 worker {one:,.0f}, 2 workers {two:,.0f}")

    report({
        "es_target_exploitability": TARGET,
        "es_seconds_ours": round(es_ours, 3),
        "es_seconds_openspiel": round(es_theirs, 3),
        "es_speedup": round(es_theirs / es_ours, 2),
        "cfrplus_seconds_ours": round(cfr_ours, 3),
        "cfrplus_seconds_openspiel": round(cfr_theirs, 2),
        "cfrplus_speedup": round(cfr_theirs / cfr_ours, 1),
        "cfrplus_exploitability": round(expl_ours, 7),
        "cfrplus_exploitability_openspiel": round(expl_theirs, 7),
        "es_iterations_per_s_1worker": round(one),
        "es_iterations_per_s_2workers": round(two),
        "es_2worker_ratio": round(two / one, 2),
        "first_call_compile_s": {"cold": round(cold, 2), "warm": round(warm, 2)},
    }, load_start)


if __name__ == "__main__":
    main()
