"""Show a strategy at one decision: the range's action mix and a 13x13 chart per action.

``python -m holdem.cli.show runs/<name> [--history "r250c/"] [--board "Ks 7h 2h"] [--png chart.png] [--hands]``

``RUN`` is a blueprint file or run directory, or an agent spec such as
``search:runs/x?budget=0.5`` (any agent with a policy).  ``--history`` is the betting so far in
the ACPC style: ``f`` fold, ``c`` check/call, ``x`` check, ``r<N>`` bet or raise to ``N`` chips put
in the hand in all, ``/`` between streets (default: the first decision of the hand).  ``--board``
gives the cards of the street the history ends on.  The terminal shows the range's action mix,
one grid of the 169 hand classes per action (the class's frequency in per cent, reach-weighted
over its hands) and, on the flop and later, a table per bucket; ``--hands`` adds a row per hand,
``--png`` draws the charts into a PNG.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from rich.console import Console

from holdem.agents import Agent
from holdem.cards import parse_cards
from holdem.cli.common import Parser, UsageError, load_settings
from holdem.cli.eval_blueprint import load_policy
from holdem.engine import State
from holdem.views import HistoryError, node_strategy, parse_history
from holdem.views.charts import write_png
from holdem.views.terminal import render


class Node(BaseModel):
    """Which agent, and which decision of it."""

    model_config = ConfigDict(extra="forbid")

    run: str
    history: str = ""
    board: str = ""
    seed: int = 0


class Settings(Node):
    """What ``show`` draws."""

    png: Path | None = None
    hands: bool = False


def add_node_flags(parser: Parser) -> None:
    """The flags naming an agent and a decision (shared with ``export``)."""
    parser.add_argument("run", metavar="RUN", help="blueprint file, run directory or agent spec (search:RUN?budget=...)")
    parser.add_argument("--history", help="betting so far, ACPC style: f, c, x, r<N> (chips in the hand in all), "
                                          "/ between streets; default the first decision")
    parser.add_argument("--board", help="board cards of the street the history ends on, e.g. 'Ks 7h 2h'")
    parser.add_argument("--seed", type=int, help="the agent's seed (a search agent's solves)")


def load_node(node: Node) -> tuple[Agent, State, str]:
    """The agent of ``node.run``, the state its history and board lead to and the history written
    without spaces; bad input is a :class:`UsageError` naming the flag."""
    try:
        board = parse_cards(node.board) if node.board.strip() else []
    except ValueError as error:
        raise UsageError(f"--board: {error}") from None
    agent, rules = load_policy(node.run, node.seed)
    if not agent.has_policy:
        raise UsageError(f"{node.run}: {agent.name} only samples its actions; it has no strategy to show")
    try:
        state, tokens = parse_history(rules, node.history, board)
    except HistoryError as error:
        raise UsageError(f"--{error.setting} {getattr(node, error.setting)!r}: {error}") from None
    return agent, state, "".join(tokens)


def _parser() -> Parser:
    parser = Parser("show", __doc__.splitlines()[0], Settings)
    add_node_flags(parser)
    parser.add_argument("--png", type=Path, metavar="FILE", help="also draw the charts into this PNG")
    parser.add_argument("--hands", action="store_true", default=None, help="add a table with a row per hand")
    return parser


def _main(args: argparse.Namespace) -> None:
    settings = load_settings(Settings, args, args.config)
    agent, state, history = load_node(settings)
    strategy = node_strategy(agent, state, history)
    console = Console()
    render(strategy, console, hands=settings.hands)
    if settings.png is not None:
        write_png(strategy, settings.png)
        console.print(f"chart: {settings.png}")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv, OSError)


if __name__ == "__main__":
    sys.exit(main())
