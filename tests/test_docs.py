"""Every code block of the README and the docs runs as written.

Shell blocks: every ``python -m holdem.cli.<command> ...`` line (continuations joined) is accepted
by that command's parser, so no documented flag is missing or misspelt.  Python blocks run, in a
directory where the run directories they name hold a small trained run.
"""

import importlib
import re
import shlex
from pathlib import Path

import pytest

from holdem.abstraction.presets import tiny_buckets
from holdem.training.config import TrainConfig
from holdem.training.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(kind: str) -> list[tuple[str, str]]:
    """``(file name, code)`` of every fenced block whose language is ``kind`` ("" = none given)."""
    found = []
    for path in DOCS:
        for lang, code in re.findall(r"```(\w*)\n(.*?)```", path.read_text(), flags=re.S):
            if (lang or "") in kind.split("|"):
                found.append((path.name, code))
    return found


def _command_lines() -> list[tuple[str, str, list[str]]]:
    lines = []
    for name, code in _blocks("bash|"):
        for line in code.replace("\\\n", " ").splitlines():
            line = line.split("#")[0].strip()
            words = shlex.split(line) if line else []
            for i, word in enumerate(words):
                if word.startswith("holdem.cli."):
                    end = next((j for j in range(i + 1, len(words)) if words[j] in ("&&", ";", "|")), len(words))
                    lines.append((name, word.removeprefix("holdem.cli."), words[i + 1:end]))
    return lines


@pytest.mark.parametrize("name, command, argv", _command_lines(), ids=lambda x: x if isinstance(x, str) else None)
def test_documented_command_lines_parse(name, command, argv):
    module = importlib.import_module(f"holdem.cli.{command}")
    module._parser().parse_args(argv)


def test_python_blocks_run(tmp_path, monkeypatch):
    blocks = _blocks("python")
    assert blocks, "the docs show no Python"
    config = TrainConfig.model_validate({"iterations": 200, "tensorboard": False, "batch_size": 100,
                                         "stack": 2000, "sizing": {"preflop": [[1.0]], "flop": [[1.0]],
                                                                   "turn": [[1.0]], "river": [[1.0]]}})
    for name, code in blocks:
        for run in set(re.findall(r'"(runs/[\w.-]+)"', code)):
            Trainer(config, tiny_buckets(2), tmp_path / run).run()
        monkeypatch.chdir(tmp_path)
        exec(compile(code, name, "exec"), {})
