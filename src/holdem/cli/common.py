"""What every command shares: settings from YAML and flags on a pydantic model, one-line errors, stage bars.

Every error is one line on stderr, ``holdem <command>: error: <message>``, with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

M = TypeVar("M", bound=BaseModel)

_SHORT = {"greater_than": "must be > {gt}", "greater_than_equal": "must be >= {ge}",
          "less_than": "must be < {lt}", "less_than_equal": "must be <= {le}"}


class UsageError(Exception):
    """Bad input from the user, reported as one line."""


def flag(key: str) -> str:
    """The command-line flag of setting ``key``: ``num_workers`` -> ``--num-workers``."""
    return "--" + key.replace("_", "-")


def read_yaml(path: Path, model: type[BaseModel], aliases: Mapping[str, str] | None = None) -> dict[str, tuple]:
    """Setting name -> (value, key as written) of YAML file ``path``; keys may use '-' or '_' and the
    old spellings in ``aliases`` (old -> new); a key ``model`` lacks is a :class:`UsageError` naming it."""
    try:
        loaded = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as e:
        raise UsageError(f"cannot read config {path}: {str(e).splitlines()[0]}") from None
    if not isinstance(loaded, dict | None):
        raise UsageError(f"config {path} must be a mapping of settings")
    settings = {}
    for key, value in (loaded or {}).items():
        name = str(key).replace("-", "_")
        name = (aliases or {}).get(name, name)
        if name not in model.model_fields:
            raise UsageError(f"config {path}: unknown key {key!r} (known: {', '.join(model.model_fields)})")
        settings[name] = (value, key)
    return settings


def _explain(error: dict, blame: Mapping[str, str]) -> str:
    """One pydantic error as ``<where>: <what>, got <value>``."""
    key, *rest = error["loc"] or ("",)
    where = ".".join([blame.get(key, key), *map(str, rest)])
    if error["type"] == "missing":
        return f"{flag(key)}: required"
    if error["type"] == "value_error":
        what = str(error["ctx"]["error"])
    else:
        what = _SHORT[error["type"]].format(**error["ctx"]) if error["type"] in _SHORT else error["msg"]
        what = f"{what[0].lower()}{what[1:]}, got {error['input']!r}"
    return f"{where}: {what}" if where else what


def load_settings(model: type[M], flags: argparse.Namespace, config: Path | None = None,
                  base: Mapping[str, object] | None = None, *, base_source: str = "settings",
                  aliases: Mapping[str, str] | None = None) -> M:
    """``model`` validated from ``base`` (a preset, a checkpoint's settings) < YAML file ``config`` <
    the flags given (attributes of ``flags`` named as ``model``'s fields, not ``None``).  Any error is
    one :class:`UsageError` line blaming each bad value on its flag, YAML key or ``base_source``
    (``--episodes: must be >= 1, got 0``, ``config run.yaml: seed: ...``)."""
    settings = dict(base or {})
    blame = {key: f"{base_source}: {key}" for key in settings}
    for name, (value, key) in (read_yaml(config, model, aliases) if config is not None else {}).items():
        settings[name], blame[name] = value, f"config {config}: {key}"
    for name in model.model_fields:
        if getattr(flags, name, None) is not None:
            settings[name], blame[name] = getattr(flags, name), flag(name)
    try:
        return model.model_validate(settings)
    except ValidationError as e:
        raise UsageError("; ".join(_explain(error, blame) for error in e.errors())) from None


class Parser(argparse.ArgumentParser):
    """argparse for ``holdem <command>``, with one-line errors.  Given the command's settings
    ``model``, it adds ``--config`` and gives every flag of a setting the default ``None`` (so
    :func:`load_settings` knows which flags were given), its help showing the model's default."""

    def __init__(self, command: str, doc: str, model: type[BaseModel] | None = None, **kwargs) -> None:
        self.model = model  # before argparse adds --help through add_argument
        super().__init__(prog=f"holdem {command}", description=doc, **kwargs)
        if model is not None:
            self.add_argument("--config", type=Path, metavar="FILE",
                              help="YAML settings, keys as the long flags ('-' or '_'); flags given override them")

    def add_argument(self, *args, **kwargs) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        field = self.model.model_fields.get(action.dest) if self.model is not None else None
        if field is not None:
            action.default = None
            default = None if field.is_required() else field.get_default(call_default_factory=True)
            if action.help and action.nargs != 0 and "default" not in action.help and default not in (None, []):
                action.help += f" (default {default})"
        return action

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")

    def main(self, body: Callable[[argparse.Namespace], object], argv: list[str] | None,
             *errors: type[Exception]) -> int:
        """Parse ``argv`` and run ``body(args)``; a :class:`UsageError` or one of ``errors`` (the library
        errors the command expects) is printed as the one error line and returns status 2, else 0."""
        args = self.parse_args(argv)
        try:
            body(args)
        except (UsageError, *errors) as e:
            print(f"{self.prog}: error: {' '.join(str(e).split())}", file=sys.stderr)
            return 2
        return 0


class StageBars:
    """A ``progress(stage, done, total)`` callback drawing one bar per stage, one after another.

    A stage's clock starts at its first report if that says ``done = 0``, else at the report before
    (a report comes after a chunk of work), and stops at its last report; a stage short of ``total``
    when the next begins (k-means that converged) ends at what it did.
    """

    def __init__(self, console: Console) -> None:
        self.bar = Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=console)
        self.task, self.done = None, 0

    def __enter__(self) -> StageBars:
        self.bar.__enter__()
        self.last = self.bar.get_time()
        return self

    def __exit__(self, *exc) -> None:
        self._close()
        self.bar.__exit__(*exc)

    def _close(self) -> None:
        if self.task is not None and not self.task.finished:
            self.bar.update(self.task.id, total=self.done, completed=self.done)
            self.task.finished_time = self.last - self.task.start_time

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.bar.get_time()
        if self.task is None or stage != self.task.description:
            self._close()
            task_id = self.bar.add_task(stage, total=total, rate="")
            self.task = self.bar.tasks[task_id]
            self.task.start_time = now if done == 0 else self.last
        self.done, self.last = min(done, total), now
        elapsed = now - self.task.start_time
        self.bar.update(self.task.id, completed=self.done, rate=f"{done / elapsed:,.0f}/s" if elapsed >= 1 else "")
