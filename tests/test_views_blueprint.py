"""show, export and curves on a small trained blueprint (pot-sized raises, 20-big-blind stacks).

The export of the first decision is checked against the blueprint's own table
(``Blueprint.node_strategy`` of each class's bucket, read through the tree's children), an
independent path from the agent's ``action_probabilities`` that the export goes through.
"""

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from holdem.agents import SeatView
from holdem.agents.base import Agent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.equity import HOLES
from holdem.cards import parse_cards
from holdem.cli import curves, export, show
from holdem.cli.__main__ import main as holdem
from holdem.tree import CALL, FOLD
from holdem.eval.stats import Estimate
from holdem.views import parse_history
from holdem.views.curves import Strength, pick_snapshots
from holdem.views.hands import CLASS_NAMES, HOLE_CLASS

@pytest.fixture(scope="module")
def run(small_run):
    return small_run


@pytest.fixture(scope="module")
def blueprint(run):
    return BlueprintAgent.load(run).blueprint


def _token(kind: int, amount: int) -> str:
    return "f" if kind == FOLD else "c" if kind == CALL else f"r{amount}"


def _table(blueprint, node: int, cell: int) -> dict[str, float]:
    """The blueprint's probabilities at tree ``node`` for the bucket of grid class ``cell`` (preflop,
    where the hand total of a raise is its street total), by action token."""
    hole = HOLES[np.flatnonzero(HOLE_CLASS == cell)[0]].tolist()
    probs = blueprint.node_strategy(node, blueprint.buckets.bucket(0, hole))
    return {_token(kind, amount): float(p) for (kind, amount, _), p in zip(blueprint.tree.child_actions(node), probs)}


def _export(run, tmp_path, *args) -> str:
    out = tmp_path / "export.out"
    assert export.main([str(run), *args, "--out", str(out)]) == 0
    return out.read_text()


def test_export_of_the_first_decision_reproduces_the_blueprint_for_all_169_classes(run, blueprint, tmp_path):
    document = json.loads(_export(run, tmp_path, "--format", "json"))
    (node,) = document["nodes"]
    assert node["player"] == "small blind" and node["street"] == "preflop" and node["history"] == ""
    rows = {row["hand"]: row for row in node["rows"]}
    assert sorted(rows) == sorted(CLASS_NAMES)
    for cell, name in enumerate(CLASS_NAMES):
        expected = _table(blueprint, 0, cell)
        got = {token: rows[name][token] for token in (a["token"] for a in node["actions"])}
        assert set(got) == set(expected)
        assert all(got[t] == pytest.approx(expected[t], abs=1e-6) for t in expected), name
        assert rows[name]["reach"] == 1.0
    table = list(csv.DictReader(io.StringIO(_export(run, tmp_path, "--format", "csv"))))
    assert [row["hand"] for row in table] == [row["hand"] for row in node["rows"]]
    assert all(float(row["c"]) == pytest.approx(rows[row["hand"]]["c"]) for row in table)


def test_reach_is_the_players_probability_of_its_own_actions(run, blueprint, tmp_path):
    limp = next(c for c, (kind, _, _) in enumerate(blueprint.tree.child_actions(0), start=int(
        blueprint.tree.arrays.node_first_child[0])) if blueprint.tree.arrays.node_action[c] == CALL)
    raise_to = max(amount for _, amount, _ in blueprint.tree.child_actions(limp))
    (node,) = json.loads(_export(run, tmp_path, "--history", f"c r{raise_to}"))["nodes"]
    assert node["player"] == "small blind" and node["to_call"] == raise_to - 100
    for row in node["rows"]:
        assert row["reach"] == pytest.approx(_table(blueprint, 0, CLASS_NAMES.index(row["hand"]))["c"], abs=1e-6)


def test_export_per_hand_per_bucket_and_a_subtree(run, tmp_path):
    hands = json.loads(_export(run, tmp_path, "--by", "hand"))["nodes"][0]["rows"]
    assert len(hands) == 1326 and {"hand", "class", "bucket", "reach"} <= set(hands[0])
    buckets = json.loads(_export(run, tmp_path, "--by", "bucket"))["nodes"][0]["rows"]
    assert sum(row["hands"] for row in buckets) == 1326
    nodes = json.loads(_export(run, tmp_path, "--depth", "1"))["nodes"]
    root = nodes[0]
    assert [n["history"] for n in nodes] == [""] + [a["token"] for a in root["actions"] if a["token"] != "f"]
    assert all(n["player"] == "big blind" for n in nodes[1:])
    flop = json.loads(_export(run, tmp_path, "--history", "c c /", "--board", "Ks 7h 2h", "--format", "json"))
    rows = flop["nodes"][0]["rows"]
    assert flop["nodes"][0]["board"] == "Ks 7h 2h" and sum(r["combos"] for r in rows) == 1176


def test_show_prints_grids_and_writes_a_png(run, tmp_path, capsys):
    png = tmp_path / "root.png"
    assert show.main([str(run), "--png", str(png)]) == 0
    out = capsys.readouterr().out
    assert "action mix" in out and "fold (f)" in out and out.count(" A ") >= 3
    width, height = Image.open(png).size
    assert width == 1200 and height in (480, 930, 1370)
    assert show.main([str(run), "--history", "cc/", "--board", "Ks7h2h", "--hands"]) == 0
    out = capsys.readouterr().out
    assert "per bucket on Ks 7h 2h" in out and "per hand" in out


@pytest.mark.parametrize(("argv", "line"), [
    (["--history", "r250 c / q"], "--history 'r250 c / q': token 4 'q': unknown (use f, c, x, r<N> or /)"),
    (["--history", "c c /"], "--board '': the history ends on the flop, which needs 3 board cards, got 0"),
    (["--board", "Kz"], "--board: "),
])
def test_bad_input_is_one_line(run, argv, line, capsys):
    assert holdem(["show", str(run), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"holdem show: error: {line}") and err.count("\n") == 1


def test_export_refuses_buckets_for_an_agent_without(tmp_path, capsys):
    assert holdem(["export", "call", "--by", "bucket"]) == 2
    assert "has no buckets" in capsys.readouterr().err


def test_curves_draws_training(run, tmp_path):
    out = tmp_path / "curves"
    assert curves.main([str(run), "--out", str(out)]) == 0
    assert Image.open(out / "training.png").size == (1100, 750) and not (out / "strength.png").exists()


@pytest.mark.slow
def test_curves_measures_snapshots(run, tmp_path, capsys):
    out = tmp_path / "curves"
    assert curves.main([str(run), "--out", str(out), "--lbr", "--snapshots", "2", "--lbr-hands", "20",
                        "--hands", "20"]) == 0
    assert Image.open(out / "strength.png").size == (1100, 460)
    report = json.loads((out / "strength.json").read_text())
    assert len(report["snapshots"]) == 2
    first, last = report["snapshots"]
    assert first["elapsed"] < last["elapsed"] and first["iterations"] < last["iterations"]
    assert first["lbr_change_since_first"] == 0 and first["lbr_change_ci95"] == [0, 0]
    assert "strength against training time" in capsys.readouterr().out


def test_lbr_change_is_paired_deal_by_deal():
    est = Estimate(0.0, (0.0, 0.0), 3)
    first = Strength(Path("a"), 1, 1.0, est, est, np.array([10.0, -5.0, 3.0]))
    later = Strength(Path("b"), 2, 2.0, est, est, np.array([9.0, -6.0, 2.0]))
    change = later.lbr_change(first)
    assert change.mbb_per_hand == pytest.approx(-10.0) and change.ci95 == pytest.approx((-10.0, -10.0))


def test_pick_snapshots_is_evenly_spaced():
    paths = [Path(f"snapshot-{k}.npz") for k in range(29)]
    assert [p.name for p in pick_snapshots(paths, 5)] == [f"snapshot-{k}.npz" for k in (0, 7, 14, 21, 28)]
    assert pick_snapshots(paths[:3], 5) == paths[:3]


def test_policy_rows_per_bucket_equal_the_hand_by_hand_answers(run):
    agent = BlueprintAgent.load(run)
    state, _ = parse_history(agent.rules, "r300c/", parse_cards("Ks 7h 2h"))
    view = SeatView.of(state)
    holes = HOLES[::7]
    holes = holes[~np.isin(holes, parse_cards("Ks 7h 2h")).any(axis=1)]
    fast, slow = agent.policy_rows(view, holes), Agent.policy_rows(agent, view, holes)
    assert fast[0] == slow[0] and len(fast[0]) >= 2
    np.testing.assert_array_equal(fast[1], slow[1])
