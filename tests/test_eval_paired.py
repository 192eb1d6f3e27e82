"""Paired (common random numbers) matches: the control replays every hand on the same cards with the
same random numbers, so identical play gives a difference of exactly 0 (see holdem.eval.match).

The search tests use the session's small blueprint (``small_run`` in conftest.py)."""

import json

import numpy as np
import pytest
from pokerkit import HandHistory

from holdem.agents import AgentSpec, BlueprintAgent, RandomAgent
from holdem.cli import eval_blueprint
from holdem.engine import Street
from holdem.eval.match import play_match, table_rules
from holdem.search import SearchAgent, SearchConfig


def _differences(result):
    return result.values[:, 0] - result.control_values[:, 0]


@pytest.mark.parametrize("duplicate", [True, False])
def test_a_control_that_plays_like_the_policy_gives_zero_on_every_deal(duplicate):
    # another object, seeded differently at construction: the per-hand reseed makes it play the same
    result = play_match([RandomAgent(1), RandomAgent(2)], 300, duplicate=duplicate, seed=4, chunk_deals=40,
                        control=RandomAgent(3))
    assert result.control == "random" and result.values.shape == result.control_values.shape
    assert np.all(_differences(result) == 0.0) and np.any(result.values[:, 0] != 0.0)
    estimate = result.paired_estimate()
    assert estimate.mbb_per_hand == 0.0 and estimate.ci95 == (0.0, 0.0) and estimate.units == len(result.values)


def test_luck_adjusted_differences_of_identical_play_are_zero():
    result = play_match([RandomAgent(1), RandomAgent(2)], 24, seed=4, control=RandomAgent(3), luck=True)
    assert np.all(result.adjusted == result.control_adjusted) and np.any(result.adjusted != 0.0)
    estimate = result.adjusted_estimate()
    assert estimate.mbb_per_hand == 0.0 and estimate.ci95 == (0.0, 0.0)


def test_the_policy_as_its_own_control_and_a_three_handed_table():
    policy = RandomAgent(1)
    result = play_match([policy, RandomAgent(2), RandomAgent(3)], 90, rules=table_rules(3), seed=2, control=policy)
    assert np.all(result.values == result.control_values)
    assert result.streets.shape == (30, 3)


def test_the_match_proper_replays_with_workers_and_its_hands_count_once():
    agents = [AgentSpec("random", seed=1), AgentSpec("heuristic", seed=2)]
    one = play_match(agents, 200, seed=9, chunk_deals=25, control=AgentSpec("call"))
    two = play_match(agents, 200, seed=9, chunk_deals=25, control=AgentSpec("call"), workers=2)
    assert one.hands == 200 and one.control == "call"
    np.testing.assert_array_equal(one.values, two.values)
    np.testing.assert_array_equal(one.control_values, two.control_values)
    np.testing.assert_array_equal(one.streets, two.streets)
    assert np.any(_differences(one) != 0.0)


def test_histories_hold_both_plays_of_every_hand(tmp_path):
    path = tmp_path / "hands.phhs"
    play_match([RandomAgent(1), RandomAgent(2)], 20, seed=3, histories=path, control=RandomAgent(4))
    hands = list(HandHistory.loads_all(path.read_text()))
    assert len(hands) == 40
    assert all(len(set(hand.players)) == 2 for hand in hands)


def test_the_control_may_not_sit_in_another_seat():
    policy, other = RandomAgent(1), RandomAgent(2)
    for agents, control in (([policy, other], other), ([policy, policy], other)):
        with pytest.raises(ValueError, match="paired match"):
            play_match(agents, 10, control=control)
    with pytest.raises(ValueError, match="not a paired match"):
        play_match([policy, other], 10).paired_estimate()


def test_search_against_its_blueprint_differs_only_in_hands_that_reach_the_river(small_run):
    search = SearchAgent.load(small_run, SearchConfig(budget=0.02, target_pct=1.0), seed=1)
    opponent = BlueprintAgent.load(small_run, seed=2)
    result = play_match([search, opponent], 120, rules=opponent.rules, seed=5, control=search.blueprint)
    river = result.streets == Street.RIVER
    assert 0 < river.any(axis=1).sum() < len(river)
    assert result.reached(Street.RIVER) == (float(river.any(axis=1).mean()), float(river.mean()))
    assert np.all(_differences(result)[~river.any(axis=1)] == 0.0)


def test_search_without_budget_against_its_blueprint_gives_zero_on_every_deal(small_run):
    search = SearchAgent.load(small_run, SearchConfig(budget=0.0), seed=1)
    opponent = BlueprintAgent.load(small_run, seed=2)
    result = play_match([search, opponent], 60, rules=opponent.rules, seed=6, control=search.blueprint)
    assert np.all(_differences(result) == 0.0) and np.any(result.streets == Street.RIVER)


def test_eval_blueprint_paired_report(small_run, tmp_path, capsys):
    out = tmp_path / "report.json"
    code = eval_blueprint.main(["--policy", str(small_run), "--search", "--search-budget", "0.02", "--vs",
                                str(small_run), "--opponents", "call", "--episodes", "40", "--duplicate", "--paired",
                                "--luck", "--exact-river", "--seed", "3", "--out", str(out)])
    assert code == 0
    report = json.loads(out.read_text())
    assert report["paired"]["control"] == BlueprintAgent.load(small_run).name
    for row in report["results"]:
        assert row["estimate"] == "paired" and row["hands"] == 40 and 0.0 <= row["river_deals"] <= 1.0
        assert row["ci95"][0] <= row["mbb_per_hand"] <= row["ci95"][1]
        assert row["unpaired_ci95"][0] <= row["unpaired_mbb_per_hand"] <= row["unpaired_ci95"][1]
        assert row["adjusted_ci95"][0] <= row["adjusted_mbb_per_hand"] <= row["adjusted_ci95"][1]
        assert row["river_ci95"][0] <= row["river_mbb_per_hand"] <= row["river_ci95"][1]
    printed = capsys.readouterr().out
    assert "paired" in printed and "unpaired" in printed and "minus the control's, both luck-adjusted" in printed
    assert "minus the control's, both with exact river values" in printed


@pytest.mark.parametrize(("args", "message"), [
    (["--policy", "call", "--opponents", "call", "--paired"], "--paired needs a searching policy"),
    (["--policy", "call", "--players", "3", "--opponents", "call", "--exact-river"], "--exact-river is heads-up only"),
])
def test_paired_without_search_is_a_one_line_error(args, message, capsys):
    assert eval_blueprint.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("holdem eval_blueprint: error: ") and message in err and len(err.strip().splitlines()) == 1


def test_paired_without_an_opponent_is_a_one_line_error(small_run, capsys):
    args = ["--policy", str(small_run), "--search", "--opponents", "", "--lbr", "--paired"]
    assert eval_blueprint.main(args) == 2
    err = capsys.readouterr().err
    assert "--paired needs an opponent to play" in err and len(err.strip().splitlines()) == 1
