"""The shared command-line convention: settings from YAML and flags, one-line errors, stage bars."""

import argparse

import pytest
from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console

from holdem.cli.common import Parser, StageBars, UsageError, load_settings


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_budget: float = Field(default=60.0, gt=0)
    num_workers: int = Field(default=1, ge=0)
    seed: int = 0


def _load(tmp_path, yaml_text=None, base=None, **flags):
    config = None
    if yaml_text is not None:
        config = tmp_path / "c.yaml"
        config.write_text(yaml_text)
    return load_settings(Settings, argparse.Namespace(**flags), config, base, base_source="checkpoint x",
                         aliases={"workers": "num_workers"})


def test_precedence_base_yaml_flags(tmp_path):
    assert _load(tmp_path) == Settings()
    assert _load(tmp_path, "seed: 3\ntime-budget: 5\n", {"seed": 1, "num_workers": 4}, seed=7, time_budget=None) \
        == Settings(seed=7, time_budget=5.0, num_workers=4)


def test_alias_is_accepted(tmp_path):
    assert _load(tmp_path, "workers: 0\n").num_workers == 0


def test_unknown_yaml_key_named(tmp_path):
    with pytest.raises(UsageError, match=r"c\.yaml: unknown key 'sede' \(known: time_budget, num_workers, seed\)"):
        _load(tmp_path, "sede: 3\n")


@pytest.mark.parametrize(("yaml_text", "base", "flags", "message"), [
    ("time_budget: 5\n", None, {"time_budget": -5.0}, "--time-budget: must be > 0.0, got -5.0"),
    ("time-budget: -5\n", None, {"seed": 2}, "config {config}: time-budget: must be > 0.0, got -5"),
    (None, {"num_workers": -1}, {}, "checkpoint x: num_workers: must be >= 0, got -1"),
    ("seed: abc\n", None, {}, "config {config}: seed: input should be a valid integer"),
    ("[1, 2]\n", None, {}, "config {config} must be a mapping of settings"),
])
def test_bad_value_blamed_on_its_source(tmp_path, yaml_text, base, flags, message):
    with pytest.raises(UsageError) as error:
        _load(tmp_path, yaml_text, base, **flags)
    assert str(error.value).startswith(message.format(config=tmp_path / "c.yaml"))


def test_parser_defaults_help_and_error_line(capsys):
    parser = Parser("demo", "A demo.", Settings)
    parser.add_argument("--seed", type=int, help="master seed")
    parser.add_argument("--num-workers", "--workers", type=int, help="threads")
    assert parser.parse_args([]).seed is None and parser.parse_args(["--workers", "3"]).num_workers == 3
    assert "master seed (default 0)" in parser.format_help() and "--config FILE" in parser.format_help()

    def body(args):
        load_settings(Settings, args, args.config)

    assert parser.main(body, ["--workers", "-2"]) == 2
    assert capsys.readouterr().err == "holdem demo: error: --num-workers: must be >= 0, got -2\n"
    assert parser.main(body, [], OSError) == 0
    with pytest.raises(SystemExit) as exit:
        parser.main(body, ["--seed", "x"])
    assert exit.value.code == 2
    assert capsys.readouterr().err == "holdem demo: error: argument --seed: invalid int value: 'x'\n"


def test_stage_bars_time_each_stage_from_its_start(monkeypatch):
    now = [0.0]
    with StageBars(Console(quiet=True)) as progress:
        monkeypatch.setattr(progress.bar, "get_time", lambda: now[0])
        progress.last = 0.0
        for now[0], (stage, done, total) in [(1.0, ("flop strength", 1755, 1755)),  # one report after the work
                                             (5.0, ("k-means flop", 0, 30)),  # a stage that says when it starts
                                             (6.0, ("k-means flop", 12, 30)),  # converged after 12 of at most 30
                                             (6.5, ("k-means turn", 0, 30)), (9.0, ("k-means turn", 30, 30))]:
            progress(stage, done, total)
        now[0] = 20.0
        tasks = progress.bar.tasks
    assert [t.finished_time for t in tasks] == [1.0, 1.0, 2.5]
    assert (tasks[1].completed, tasks[1].total) == (12, 12)
    assert tasks[0].fields["rate"] == "1,755/s"
