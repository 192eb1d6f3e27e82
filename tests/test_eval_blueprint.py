"""The eval_blueprint command: table, JSON report, chart, hand histories, one-line errors."""

import json
import subprocess
import sys

from pokerkit import HandHistory

from holdem.cli import eval_blueprint


def test_report_chart_and_histories(tmp_path, capsys):
    out = tmp_path / "report.json"
    code = eval_blueprint.main([
        "--policy", "heuristic", "--episodes", "200", "--duplicate", "--opponents", "call,fold",
        "--lbr", "--lbr-hands", "10", "--seed", "42", "--out", str(out), "--phh", str(tmp_path / "hands"),
    ])
    assert code == 0
    report = json.loads(out.read_text())
    assert report["policy"] == "heuristic" and report["seed"] == 42 and report["duplicate"] is True
    rows = {row["opponent"]: row for row in report["results"]}
    assert list(rows) == ["call", "fold", "lbr"]
    for row in rows.values():
        low, high = row["ci95"]
        assert low <= row["mbb_per_hand"] <= high
    assert rows["call"]["hands"] == 200 and rows["lbr"]["hands"] == 10
    assert rows["lbr"]["lbr_mbb_per_hand"] == -rows["lbr"]["mbb_per_hand"]
    assert rows["lbr"]["lbr_variant"] == "fcpa-34"
    assert rows["lbr"]["lbr_ci95"] == [-x for x in rows["lbr"]["ci95"][::-1]]
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(list(HandHistory.loads_all((tmp_path / "hands" / "call.phhs").read_text()))) == 200
    printed = capsys.readouterr().out
    assert "95% interval" in printed and "lbr" in printed


def test_chart_title_wraps_a_long_agent_spec():
    spec = "search:runs/hu10?budget=0.5&opponent_floor=0.1&first_street=turn&depth_limited_turn=true"
    lines = eval_blueprint.wrap_spec(spec, 52).split("\n")
    assert "".join(lines) == spec and len(lines) > 1
    assert all(len(line) <= 52 for line in lines)
    assert eval_blueprint.wrap_spec("runs/quickstart", 52) == "runs/quickstart"


def test_same_seed_same_report(tmp_path):
    reports = []
    for name in ("a.json", "b.json"):
        eval_blueprint.main(["--policy", "random", "--episodes", "100", "--opponents", "call,random",
                             "--seed", "7", "--out", str(tmp_path / name)])
        reports.append(json.loads((tmp_path / name).read_text()))
    assert reports[0] == reports[1]


def test_lbr_variant_and_workers(tmp_path):
    out = tmp_path / "report.json"
    args = ["--policy", "heuristic", "--opponents", "call", "--episodes", "100", "--lbr", "--lbr-hands", "20",
            "--lbr-variant", "fc-34", "--seed", "3", "--out", str(out)]
    assert eval_blueprint.main([*args, "--num-workers", "2"]) == 0
    two = json.loads(out.read_text())
    assert eval_blueprint.main(args) == 0
    one = json.loads(out.read_text())
    assert two["workers"] == 2 and two["results"][1]["lbr_variant"] == "fc-34"
    for a, b in zip(one["results"], two["results"]):
        assert (a["mbb_per_hand"], a["ci95"]) == (b["mbb_per_hand"], b["ci95"])


def test_bad_input_is_one_line_without_traceback(tmp_path, cli_error):
    """The first case runs the real command in its own process; the others call its entry point."""
    done = subprocess.run([sys.executable, "-m", "holdem.cli.eval_blueprint", "--policy", str(tmp_path / "missing")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("holdem eval_blueprint: error: ")
    assert "no such blueprint file or run directory" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    cases = [
        (["--policy", "call", "--opponents", "bogus"], "unknown opponent 'bogus'"),
        (["--policy", "call", "--episodes", "0", "--lbr-hands", "5"], "--episodes: must be >= 1, got 0"),
        (["--policy", "call", "--workers", "-1"], "--num-workers: must be >= 0, got -1"),
        (["--policy", "call", "--lbr-hands", "x"], "argument --lbr-hands: invalid int value: 'x'"),
        (["--episodes", "5"], "--policy: required"),
        (["--policy", "call", "--vs", str(tmp_path / "other")], "no such blueprint file or run directory"),
    ]
    for args, message in cases:
        status, err = cli_error(eval_blueprint.main, args)
        assert status == 2 and err.startswith("holdem eval_blueprint: error: ") and message in err, (args, err)
        assert len(err.strip().splitlines()) == 1
