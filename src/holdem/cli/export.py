"""Export a strategy as JSON or CSV: per hand class, hand or bucket, with the range's reach.

``python -m holdem.cli.export runs/<name> [--history "r250c/"] [--board "Ks 7h 2h"] --format json|csv
[--by class|hand|bucket] [--depth N] [--out FILE]``

Writes the strategy at the decision ``--history`` leads to (the first decision of the hand by
default; the notation and ``RUN`` are as for ``holdem show``) to standard output or ``--out``:
one row per hand class (``AA``, ``AKs``, ``72o``: reach-weighted over its hands), per hand or per
bucket, with the player's reach and a probability per action (``f``, ``c``, ``r<N>`` tokens that
``--history`` accepts).  ``--depth N`` adds the decisions up to N actions further on the same
street.  The JSON and CSV layouts are described in ``holdem.views.export``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Literal

from pydantic import Field

from holdem import files
from holdem.cli.common import Parser, UsageError, load_settings
from holdem.cli.show import Node, add_node_flags, load_node
from holdem.views.export import BY, subtree, to_csv, to_json


class Settings(Node):
    """What ``export`` writes, and where."""

    format: Literal["json", "csv"] = "json"
    by: Literal[BY] = "class"
    depth: int = Field(default=0, ge=0)
    out: Path | None = None


def _parser() -> Parser:
    parser = Parser("export", __doc__.splitlines()[0], Settings)
    add_node_flags(parser)
    parser.add_argument("--format", choices=("json", "csv"), help="output format")
    parser.add_argument("--by", choices=BY, help="one row per hand class, hand or bucket")
    parser.add_argument("--depth", type=int, metavar="N", help="also the decisions up to N actions on, same street")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here (atomically) instead of standard output")
    return parser


def _main(args: argparse.Namespace) -> None:
    settings = load_settings(Settings, args, args.config)
    agent, state, history = load_node(settings)
    strategies = subtree(agent, state, history, settings.depth)
    if settings.by == "bucket" and strategies[0].buckets is None:
        raise UsageError(f"--by bucket: {settings.run} has no buckets; use --by class or --by hand")
    text = (to_json if settings.format == "json" else to_csv)(strategies, settings.by)
    if settings.out is None:
        sys.stdout.write(text)
    else:
        files.atomic_write(settings.out, lambda f: f.write(text.encode()))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv, OSError)


if __name__ == "__main__":
    sys.exit(main())
