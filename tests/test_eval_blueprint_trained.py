"""The blueprint agent and eval_blueprint on a freshly trained (tiny) blueprint run.

Slow: training needs the cached tiny card abstraction, which a fresh machine builds first.
"""

import json
import random
import subprocess
import sys

import numpy as np
import pytest

from holdem.agents import AgentSpec, CallAgent, PolicyAgent, SeatView
from holdem.agents.base import probability_of
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.equity import HOLES
from holdem.cli import eval_blueprint
from holdem.engine import Deal, State
from holdem.eval.lbr import LBRConfig, local_best_response
from holdem.eval.match import play_match

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("blueprint") / "run"
    subprocess.run([sys.executable, "-m", "holdem.cli.train_blueprint", "--iters", "2000", "--num-workers", "1",
                    "--no-tensorboard", "--logdir", str(path)], check=True, capture_output=True)
    return path


@pytest.fixture(scope="module")
def agent(run_dir):
    return BlueprintAgent.load(run_dir, seed=1)


def test_blueprint_agent_plays_legal_decisions_from_its_policy(agent):
    rules = agent.rules
    rng = random.Random(0)
    for _ in range(200):
        state = State(rules, Deal.shuffled(2, rng))
        while not state.is_over:
            view = SeatView.of(state)
            probs = agent.action_probabilities(view)
            assert sum(p for _, p in probs) == pytest.approx(1.0)
            decision = agent.act(view)
            assert probability_of(probs, decision, view.legal) > 0
            decision.apply(state)


def test_bucketed_likelihoods_equal_the_per_hand_computation(agent):
    rules = agent.rules
    state = State(rules, Deal.shuffled(2, random.Random(3)))
    state.check_or_call()
    view = SeatView.of(state)
    rows = HOLES[::7]
    for decision, _ in agent.action_probabilities(view):
        fast = agent.likelihoods(view, decision, rows)
        slow = PolicyAgent.likelihoods(agent, view, decision, rows)
        assert np.allclose(fast, slow)


def test_matches_and_lbr_run_against_the_blueprint(agent):
    rules = agent.rules
    other = BlueprintAgent(agent.blueprint, seed=2, name="copy")
    result = play_match([agent, other], hands=200, rules=rules, seed=1, workers=2)
    low, high = result.estimate(0).ci95
    assert low < 0 < high and np.allclose(result.values.sum(axis=1), 0)
    lbr = local_best_response(agent, hands=20, rules=rules, config=LBRConfig(preflop_samples=200), seed=1)
    assert lbr.hands == 20 and np.isfinite(lbr.estimate().mbb_per_hand)


def test_spawned_workers_load_the_blueprint_and_replay_the_one_worker_results(agent, run_dir):
    rules = agent.rules
    spec = AgentSpec("blueprint", path=str(run_dir))
    one = play_match([agent, CallAgent()], hands=200, rules=rules, seed=4, chunk_deals=25)
    two = play_match([spec, CallAgent()], hands=200, rules=rules, seed=4, chunk_deals=25, workers=2,
                     start_method="spawn")
    assert np.array_equal(one.values, two.values) and one.names == two.names
    config = LBRConfig(preflop_samples=200)
    lbr_one = local_best_response(agent, hands=40, rules=rules, config=config, seed=2, chunk_deals=5)
    lbr_two = local_best_response(spec, hands=40, rules=rules, config=config, seed=2, chunk_deals=5, workers=2,
                                  start_method="spawn")
    assert np.array_equal(lbr_one.values, lbr_two.values)


def test_eval_blueprint_on_a_run_directory(run_dir, tmp_path):
    out = tmp_path / "report.json"
    code = eval_blueprint.main(["--policy", str(run_dir), "--episodes", "200", "--duplicate", "--opponents",
                                "random,call,raise,heuristic", "--vs", str(run_dir), "--lbr", "--lbr-hands", "10",
                                "--seed", "42", "--out", str(out)])
    assert code == 0
    report = json.loads(out.read_text())
    assert [row["opponent"] for row in report["results"]] == ["random", "call", "raise", "heuristic",
                                                              f"vs:{run_dir}", "lbr"]
    assert (tmp_path / "report.png").exists()


def test_corrupt_blueprint_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a blueprint")
    done = subprocess.run([sys.executable, "-m", "holdem.cli.eval_blueprint", "--policy", str(bad)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "cannot load blueprint" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
