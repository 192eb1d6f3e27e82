"""Evaluation at 3-6 player tables: the policy in one seat, one opponent in all the others,
seats rotated and deals duplicated over the rotations."""

import json

import numpy as np
import pytest
from pokerkit import HandHistory

from holdem.agents import AgentSpec, CallAgent, HeuristicAgent, RandomAgent
from holdem.cli import eval_blueprint
from holdem.eval.match import play_match


def test_one_opponent_object_in_five_seats_replays_with_any_number_of_workers():
    policy, opponent = RandomAgent(), RandomAgent()
    one = play_match([policy] + [opponent] * 5, hands=120, seed=3, chunk_deals=5)
    two = play_match([policy] + [opponent] * 5, hands=120, seed=3, chunk_deals=5, workers=2)
    assert one.hands == 120 and one.values.shape == (20, 6)
    assert np.array_equal(one.values, two.values)
    assert np.allclose(one.values.sum(axis=1), 0)  # chips only change hands
    spec = AgentSpec("random")
    three = play_match([AgentSpec("random")] + [spec] * 5, hands=120, seed=3, chunk_deals=5, workers=2)
    assert np.array_equal(one.values, three.values)


def test_duplicate_rotations_give_every_agent_every_seat():
    # five identical always-call players: each deal's six rotations put the policy's hand
    # everywhere, so a policy that also always calls wins exactly zero on every deal
    result = play_match([CallAgent()] + [CallAgent()] * 5, hands=60, seed=1)
    assert np.allclose(result.values[:, 0], 0)
    assert result.estimate(0).mbb_per_hand == 0


def test_eval_blueprint_measures_a_six_handed_table(tmp_path):
    out = tmp_path / "report.json"
    code = eval_blueprint.main(["--policy", "heuristic", "--players", "6", "--opponents", "call,random",
                                "--episodes", "60", "--duplicate", "--seed", "2", "--out", str(out),
                                "--phh", str(tmp_path / "hands")])
    assert code == 0
    report = json.loads(out.read_text())
    assert report["players"] == 6 and [r["opponent"] for r in report["results"]] == ["call", "random"]
    for row in report["results"]:
        assert row["hands"] == 60 and row["ci95"][0] <= row["mbb_per_hand"] <= row["ci95"][1]
    histories = list(HandHistory.loads_all((tmp_path / "hands" / "call.phhs").read_text()))
    assert len(histories) == 60
    assert sorted(histories[0].players) == ["call 1", "call 2", "call 3", "call 4", "call 5", "heuristic"]


def test_the_heuristic_beats_five_callers():
    result = play_match([HeuristicAgent(samples=100)] + [CallAgent()] * 5, hands=600, seed=5)
    assert result.estimate(0).ci95[0] > 0


@pytest.mark.parametrize("args, message", [
    (["--policy", "call", "--players", "3", "--lbr"], "--lbr is heads-up only; the policy plays 3-handed"),
    (["--policy", "call", "--players", "7"], "--players: must be <= 6, got 7"),
    (["--policy", "call", "--players", "4", "--search"], "--search is heads-up only"),
    (["--policy", "call", "--players", "3", "--luck"], "--luck is heads-up only"),
])
def test_multiway_errors_are_one_line(args, message, cli_error):
    status, err = cli_error(eval_blueprint.main, args)
    assert status == 2 and err.startswith("holdem eval_blueprint: error: ")
    assert message in err and len(err.strip().splitlines()) == 1
