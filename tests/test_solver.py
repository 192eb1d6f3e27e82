"""CFR-family solvers on Kuhn and Leduc: known values, OpenSpiel cross-checks, convergence bounds."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from holdem.eval import exploitability, game_values
from holdem.games import TERMINAL_PLAYER, load_tree
from holdem.solver import ALGORITHMS, MCCFR, MCCFRConfig, VectorCFR, WorkerError, make_solver
from holdem.solver.rng import seed_states, uniform
from holdem.solver.workers import run_workers
from openspiel_helpers import openspiel_exploitability_of

LEDUC = load_tree("leduc")


def _trained(name, iterations, tree=LEDUC, **options):
    solver = make_solver(name, tree, **options)
    solver.run(iterations)
    return solver


def _expl(solver):
    return exploitability(solver.tree, solver.average_strategy().probs)


def test_cfr_plus_kuhn_game_value():
    solver = _trained("cfr+", 1000, load_tree("kuhn"))
    assert game_values(solver.tree, solver.average_strategy().probs)[0] == pytest.approx(-1 / 18, abs=1e-3)
    assert _expl(solver) < 1e-3


@pytest.mark.parametrize("name, iterations, options", [
    ("cfr", 30, {}), ("cfr+", 30, {}), ("linear-cfr", 30, {}), ("dcfr", 30, {}),
    ("es-mccfr", 3000, {"seed": 3}), ("os-mccfr", 3000, {"seed": 4}),
])
def test_exploitability_matches_openspiel(name, iterations, options):
    strategy = _trained(name, iterations, **options).average_strategy()
    assert exploitability(LEDUC, strategy.probs) == pytest.approx(openspiel_exploitability_of(LEDUC, strategy.probs), abs=1e-9)


def test_current_strategy_matches_openspiel():
    strategy = _trained("cfr", 20).current_strategy()
    assert exploitability(LEDUC, strategy.probs) == pytest.approx(openspiel_exploitability_of(LEDUC, strategy.probs), abs=1e-9)


# Full-tree variants are deterministic: values after 1000 Leduc iterations are pinned with a small
# margin. OpenSpiel's C++ solvers reach 0.0118 (CFR) and 0.000257 (CFR+) after 1000 iterations.
@pytest.mark.parametrize("name, at_100, at_1000", [
    ("cfr", 0.096, 0.0119), ("cfr+", 0.0135, 0.000257), ("linear-cfr", 0.035, 0.0062), ("dcfr", 0.0078, 0.00018),
])
def test_full_tree_convergence(name, at_100, at_1000):
    solver = _trained(name, 100)
    first = _expl(solver)
    solver.run(900)
    last = _expl(solver)
    assert first < at_100 and last < at_1000 and last < first


def test_full_tree_incremental_runs_equal_one_run():
    one = _trained("dcfr", 40)
    split = _trained("dcfr", 15)
    split.run(25)
    assert np.array_equal(one.tables.regrets, split.tables.regrets)
    assert np.array_equal(one.tables.strategy_sum, split.tables.strategy_sum)


# Bounds for MCCFR on Leduc: max over 30 seeds (0..29, one run each) times 1.15, rounded up.
# Observed exploitability (max / mean over the 30 seeds):
#   es-mccfr  5k iterations: 0.458 / 0.373       20k: 0.189 / 0.162
#   es-mccfr 20k, 2 workers: 0.196 / 0.166 (same iterations in all, per-iteration parity)
#   es-mccfr 20k, int32 (1000 units per chip), Pluribus floor and threshold: 0.187 / 0.163
#   es-mccfr 20k, int32, floor -20 chips, pruning below -15 chips after 2k: 0.328 / 0.275
#   os-mccfr 20k iterations: 0.943 / 0.792       100k: 0.660 / 0.499
ES_5K, ES_20K, ES_20K_INT32, ES_20K_FLOOR, OS_20K, OS_100K = 0.53, 0.22, 0.22, 0.38, 1.09, 0.76


@pytest.mark.parametrize("seed", [100, 101])
def test_external_sampling_bounds_and_decrease(seed):
    solver = _trained("es-mccfr", 5000, seed=seed)
    early = _expl(solver)
    solver.run(15000)
    late = _expl(solver)
    assert early < ES_5K and late < ES_20K and late < early


@pytest.mark.parametrize("seed", [100, 101])
def test_outcome_sampling_bounds_and_decrease(seed):
    solver = _trained("os-mccfr", 20000, seed=seed)
    early = _expl(solver)
    solver.run(80000)
    late = _expl(solver)
    assert early < OS_20K and late < OS_100K and late < early


def test_int32_regrets():
    solver = _trained("es-mccfr", 20000, seed=100, regret_dtype="int32", regret_scale=1000.0)
    assert solver.tables.regrets.dtype == np.int32
    assert _expl(solver) < ES_20K_INT32


def test_int32_floor_binds_with_pruning():
    floor = -20000.0
    solver = _trained("es-mccfr", 20000, seed=100, regret_dtype="int32", regret_scale=1000.0, regret_floor=floor,
                      prune_threshold=-15000.0, prune_after=2000)
    assert floor <= solver.tables.regrets.min() < 0.9 * floor  # floored, then discounted up to 40k
    assert _expl(solver) < ES_20K_FLOOR


@pytest.mark.parametrize("seed", [100, 101])
def test_two_workers_converge_per_iteration(seed):
    """2 workers x 10k iterations do as well as the single-worker bound for 20k iterations."""
    solver = _trained("es-mccfr", 20000, seed=seed, num_workers=2)
    assert solver.iterations == 20000
    assert _expl(solver) < ES_20K


def _ends_game(tree):
    """For every (infoset, action): whether the action leads to a terminal node (bool ``(A,)``)."""
    t = tree.arrays
    ends = np.zeros(tree.num_actions, dtype=bool)
    for n in np.flatnonzero(t.node_player >= 0):
        offset = t.infoset_offset[t.node_infoset[n]]
        children = t.node_first_child[n] + np.arange(t.node_num_children[n])
        ends[offset:offset + len(children)] = t.node_player[children] == TERMINAL_PLAYER
    return ends


def test_pruning_never_skips_actions_that_end_the_game():
    """With every prunable action pruned on every iteration, only game-ending actions (and infosets
    with none, which are explored in full) still get regret updates."""
    solver = MCCFR(LEDUC, MCCFRConfig(seed=5, prune_threshold=np.inf, prune_probability=1.0, prune_after=200))
    solver.run(200)
    before = solver.tables.regrets.copy()
    solver.run(200)
    changed = solver.tables.regrets != before
    ends = _ends_game(LEDUC)
    infoset_has_end = np.repeat(np.add.reduceat(ends, LEDUC.arrays.infoset_offset[:-1]) > 0,
                                LEDUC.arrays.infoset_num_actions)
    assert not changed[infoset_has_end & ~ends].any()
    assert changed[ends].any() and changed[~infoset_has_end].any()


@pytest.mark.parametrize("name", ["es-mccfr", "os-mccfr"])
def test_same_seed_one_worker_is_bit_identical(name):
    one = _trained(name, 3000, seed=7, prune_threshold=-2.0, prune_after=1000)
    split = _trained(name, 1200, seed=7, prune_threshold=-2.0, prune_after=1000)
    split.run(1800)
    other = _trained(name, 3000, seed=8, prune_threshold=-2.0, prune_after=1000)
    assert np.array_equal(one.tables.regrets, split.tables.regrets)
    assert np.array_equal(one.tables.strategy_sum, split.tables.strategy_sum)
    assert not np.array_equal(one.tables.regrets, other.tables.regrets)


def test_rng_streams_differ_and_are_uniform():
    states = seed_states(42, 2)
    assert not np.array_equal(states[0], states[1])
    draws = np.array([uniform(states[0]) for _ in range(20000)])
    assert 0.0 <= draws.min() and draws.max() < 1.0 and abs(draws.mean() - 0.5) < 0.01
    assert np.array_equal(seed_states(42, 2), seed_states(42, 2))


def test_failing_worker_stops_the_others_and_raises():
    stop = np.zeros(1, dtype=np.int64)
    finished = threading.Event()

    def failing():
        raise ValueError("boom")

    def waiting():
        deadline = time.monotonic() + 10.0
        while stop[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        finished.set()
        return stop[0]

    with pytest.raises(WorkerError, match="worker 0 failed") as info:
        run_workers([failing, waiting], stop)
    assert isinstance(info.value.__cause__, ValueError) and info.value.__cause__.__traceback__ is not None
    assert finished.is_set() and stop[0] == 1


def test_make_solver_names_and_errors():
    assert set(ALGORITHMS) == {"cfr", "cfr+", "linear-cfr", "dcfr", "es-mccfr", "os-mccfr"}
    assert isinstance(make_solver("dcfr", LEDUC), VectorCFR)
    with pytest.raises(ValueError, match="unknown algorithm"):
        make_solver("nope", LEDUC)
    with pytest.raises(ValueError, match="single-threaded"):
        make_solver("cfr+", LEDUC, num_workers=2)
    with pytest.raises(ValueError, match="sampling"):
        MCCFRConfig(sampling="bogus")


def test_strategy_dict_has_keys_and_actions():
    strategy = _trained("cfr+", 5, load_tree("kuhn")).average_strategy().to_dict()
    assert set(strategy["1pb"]) == {0, 1} and sum(strategy["1pb"].values()) == pytest.approx(1.0)


def test_cli_solve_runs(capsys):
    from holdem.cli.solve import main

    assert main(["--game", "kuhn", "--algorithm", "es-mccfr", "--iterations", "2000", "--workers", "2",
                 "--checkpoints", "2"]) == 0
    out = capsys.readouterr().out
    assert "iteration       1000  exploitability" in out and "final: 2000 iterations" in out
