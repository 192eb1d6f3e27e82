"""``holdem play`` and multiway ``eval_blueprint`` on freshly trained tiny blueprints (heads-up and
three-handed).  Slow: training needs the cached tiny card abstraction, which a fresh machine builds."""

import io
import json
import subprocess
import sys

import pytest
from pokerkit import HandHistory
from rich.console import Console

from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.cli import eval_blueprint
from holdem.play import Session, Terminal
from test_play_terminal import command_env

pytestmark = pytest.mark.slow


def _train(path, players):
    subprocess.run([sys.executable, "-m", "holdem.cli.train_blueprint", "--iters", "2000", "--num-workers", "1",
                    "--num-players", str(players), "--no-tensorboard", "--no-progress", "--logdir", str(path)],
                   check=True, capture_output=True)
    return path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A directory holding ``runs/quickstart`` (heads-up) and ``runs/three`` (three-handed)."""
    root = tmp_path_factory.mktemp("play")
    _train(root / "runs" / "quickstart", 2)
    _train(root / "runs" / "three", 3)
    return root


def _play(workdir, *args, entries="f\n" * 40):
    return subprocess.run([sys.executable, "-m", "holdem.cli.play", *args], cwd=workdir, input=entries,
                          capture_output=True, text=True, timeout=300, env=command_env())


def test_the_quickstart_run_is_the_default_policy(workdir):
    done = _play(workdir, "--hands", "3", "--seed", "1", "--phh", "s.phhs", entries="c\n" * 60)
    assert done.returncode == 0, done.stderr
    assert "you against quickstart: 2-handed, stacks 100 bb" in done.stdout
    assert "result: 3 hands" in done.stdout
    assert len(list(HandHistory.loads_all((workdir / "s.phhs").read_text()))) == 3


@pytest.mark.parametrize("args, message", [
    (["--players", "3"], "the blueprint plays 2-handed; give --players 2"),
    (["--policy", "runs/three", "--opponent", "search"], "the search agent plays heads-up only"),
    (["--seat", "2"], "--seat: must be < 2"),
    (["--opponent", "nobody:x"], "unknown agent 'nobody'"),
])
def test_play_errors_are_one_line(workdir, args, message):
    done = _play(workdir, *args)
    assert done.returncode == 2 and done.stderr.startswith("holdem play: error: ") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_person_plays_three_handed_against_blueprint_bots(workdir, tmp_path):
    bot = BlueprintAgent.load(workdir / "runs" / "three")
    lines = iter(["c", "x", "b 2/3", "a", "f"] * 40)
    out = io.StringIO()
    terminal = Terminal(Console(file=out, width=100, color_system=None), lambda prompt: next(lines))
    result = Session(terminal, bot.rules, bot, me=1, seed=2, bot_name="three", phh=tmp_path / "s.phhs").run(8)
    assert result.hands == 8 and "three 2" in out.getvalue()
    assert len(list(HandHistory.loads_all((tmp_path / "s.phhs").read_text()))) == 8


def test_eval_blueprint_measures_a_three_handed_blueprint(workdir, tmp_path):
    out = tmp_path / "report.json"
    run = str(workdir / "runs" / "three")
    assert eval_blueprint.main(["--policy", run, "--opponents", "call,random", "--vs", run, "--episodes", "300",
                                "--duplicate", "--seed", "1", "--num-workers", "2", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["players"] == 3
    assert [row["opponent"] for row in report["results"]] == ["call", "random", f"vs:{run}"]
    low, high = report["results"][2]["ci95"]
    assert low < 0 < high  # against copies of itself
    assert eval_blueprint.main(["--policy", run, "--vs", str(workdir / "runs" / "quickstart"),
                                "--opponents", ""]) == 2
