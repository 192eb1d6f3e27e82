import pytest

from holdem import __version__
from holdem.cli.__main__ import main


def test_help_gives_one_line_per_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: holdem <command>" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert set(lines) == {"acpc", "build_buckets", "curves", "eval_blueprint", "export", "play", "pool", "serve",
                          "show", "solve", "train_blueprint"}
    assert "exploitability" in lines["solve"] and "independent" in lines["pool"] and "common" not in out


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"holdem {__version__}\n"


def test_unknown_command_named(capsys):
    assert main(["no-such-command"]) == 2
    assert capsys.readouterr().err.startswith("holdem: error: unknown command 'no-such-command'")


@pytest.mark.parametrize(("argv", "line"), [
    (["solve", "--iterations", "0"], "holdem solve: error: --iterations: must be >= 1, got 0"),
    (["solve", "--algorithm", "cfr+", "--workers", "2"],
     "holdem solve: error: cfr+ is full-tree and single-threaded: --num-workers and --regret-* are MCCFR only"),
    (["build-buckets", "--n-init", "0"], "holdem build_buckets: error: --n-init: must be >= 1, got 0"),
    (["eval_blueprint", "--policy", "call", "--lbr-hands", "0"],
     "holdem eval_blueprint: error: --lbr-hands: must be >= 1, got 0"),
])
def test_every_command_reports_errors_in_one_format(argv, line, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err == line + "\n"


def test_argparse_errors_share_the_format(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["solve", "--game", "chess"])
    assert exit.value.code == 2
    assert capsys.readouterr().err.startswith("holdem solve: error: argument --game: invalid choice: 'chess'")
