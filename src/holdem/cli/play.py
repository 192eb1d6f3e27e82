"""Play hold'em against the bot in the terminal: a blueprint, the search agent or a baseline.

``python -m holdem.cli.play [--policy RUN|FILE] [--opponent SPEC] [--players 2..6] [--stack BB]
[--hands N] [--seed S] [--seat K] [--phh FILE]``

``--policy`` is the blueprint the bots play (default: ``runs/quickstart``, the run the README's
first command trains, when it exists).  ``--opponent`` is any agent spec: ``blueprint`` (the
default: the policy itself), ``search`` or ``search?budget=2&threads=2`` (real-time search on
top of the policy, heads-up), ``search:RUN?...`` or a blueprint path for another run, or a
baseline (``heuristic``, ``call``, ``random``, ``raise``, ``fold``).  Every seat but yours gets a
copy of it.  ``--players`` defaults to the blueprint's table (2 for a baseline), ``--stack`` to
the blueprint's stacks in big blinds (100 for a baseline); stacks start full every hand and
the button moves each hand.  Type ``?`` at the table for the entries (f, x, c, b 300, b 2/3,
b 75%, a, q).  The hands are written to ``--phh`` (default ``hands/play-<UTC time>.phhs``) as
they finish.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console

from holdem.agents import BASELINES, Agent, AgentSpec
from holdem.agents.spec import BLUEPRINT, BUILDERS
from holdem.cli.common import Parser, UsageError, load_settings
from holdem.engine import Rules
from holdem.eval.match import DEFAULT_BLINDS, DEFAULT_STACK_BB, table_rules
from holdem.play import Session, Terminal
from holdem.search import SearchAgent

#: the run the README's quickstart trains; the default policy when it exists
QUICKSTART = Path("runs/quickstart")
GET_ONE = ("train one in a minute with 'python -m holdem.cli.train_blueprint --config configs/quickstart.yaml "
           "--logdir runs/quickstart', give --policy RUN, or play a baseline: --opponent heuristic")


class Settings(BaseModel):
    """Who plays and how."""

    model_config = ConfigDict(extra="forbid")

    policy: str | None = None
    opponent: str = BLUEPRINT
    players: int | None = Field(default=None, ge=2, le=6)
    stack: float | None = Field(default=None, gt=0)
    hands: int | None = Field(default=None, ge=1)
    seed: int | None = None
    seat: int = Field(default=0, ge=0)
    phh: Path | None = None


def _parser() -> Parser:
    parser = Parser("play", __doc__.splitlines()[0], Settings)
    parser.add_argument("--policy", metavar="RUN|FILE",
                        help=f"blueprint run directory or file (default {QUICKSTART} when it exists)")
    parser.add_argument("--opponent", metavar="SPEC",
                        help="agent spec: blueprint, search[?budget=S&threads=N], search:RUN, a blueprint path, "
                             f"or one of {', '.join(BASELINES)} (default blueprint: the policy)")
    parser.add_argument("--players", type=int, help="players at the table, you included, 2..6 "
                                                    "(default: the blueprint's, or 2)")
    parser.add_argument("--stack", type=float, metavar="BB", help="starting stack in big blinds "
                                                                  "(default: the blueprint's, or 100)")
    parser.add_argument("--hands", type=int, metavar="N", help="hands to play (default: until you quit)")
    parser.add_argument("--seed", type=int, help="seed of the deals and the bots (default: a fresh one, printed)")
    parser.add_argument("--seat", type=int, metavar="K", help="your seat, 0..players-1")
    parser.add_argument("--phh", type=Path, metavar="FILE", help="hand history file (default "
                                                                 "hands/play-<UTC time>.phhs)")
    return parser


def opponent_spec(text: str, policy: str | None, seed: int) -> AgentSpec:
    """The spec of the bots: ``text`` with the policy filled in where it names a kind without a path
    (``blueprint``, ``search?budget=2``); a blueprint or search spec must name an existing path."""
    head, sep, query = text.partition("?")
    kind = head.removesuffix(":")
    if kind == BLUEPRINT or kind in BUILDERS:
        if policy is None:
            raise UsageError(f"no blueprint to play against (no --policy, and no {QUICKSTART / 'blueprint.npz'}): "
                             + GET_ONE)
        text = f"{kind}:{policy}{sep}{query}"
    try:
        spec = AgentSpec.parse(text, seed)
    except ValueError as error:
        raise UsageError(f"--opponent {text!r}: {error}") from None
    if spec.kind in BASELINES:
        return spec
    if spec.kind != BLUEPRINT and spec.kind not in BUILDERS:
        raise UsageError(f"--opponent: unknown agent {spec.kind!r}; choose from "
                         f"{', '.join([BLUEPRINT, *BUILDERS, *BASELINES])}")
    if not Path(str(spec.path)).exists():
        raise UsageError(f"no such blueprint file or run directory: {spec.path}")
    return spec


def build_bot(spec: AgentSpec) -> Agent:
    """The agent of ``spec`` (a blueprint loads from its file)."""
    try:
        return spec.build()
    except (OSError, ValueError, TypeError) as error:
        raise UsageError(f"cannot load {spec.kind} {spec.path}: {error}") from None


def table_of(s: Settings, bot: Agent) -> Rules:
    """The session's rules: the bot's table (a blueprint's game) unless the flags say otherwise."""
    base: Rules | None = getattr(bot, "rules", None)
    players = s.players or (base.num_players if base is not None else 2)
    if base is not None and players != base.num_players:
        raise UsageError(f"the blueprint plays {base.num_players}-handed; give --players {base.num_players} "
                         "or a blueprint trained for that table")
    if isinstance(bot, SearchAgent) and players != 2:
        raise UsageError("the search agent plays heads-up only; use --players 2 or --opponent blueprint")
    small, big = (base.small_blind, base.big_blind) if base is not None else DEFAULT_BLINDS
    stack = round(s.stack * big) if s.stack is not None else base.stacks[0] if base is not None \
        else DEFAULT_STACK_BB * big
    if stack < 1:
        raise UsageError(f"--stack: {s.stack} big blinds is less than a chip")
    if s.seat >= players:
        raise UsageError(f"--seat: must be < {players} (seats 0..{players - 1}), got {s.seat}")
    return table_rules(players, stack=stack, small_blind=small, big_blind=big,
                       ante=base.ante if base is not None else 0)


def _main(args: argparse.Namespace) -> None:
    s = load_settings(Settings, args, args.config)
    seed = s.seed if s.seed is not None else random.SystemRandom().randrange(1 << 31)
    policy = s.policy if s.policy is not None else str(QUICKSTART) if (QUICKSTART / "blueprint.npz").exists() \
        else None
    spec = opponent_spec(s.opponent, policy, seed)
    console = Console(highlight=False)
    if spec.path is not None:
        console.print(f"loading {spec.path} ...")
    bot = build_bot(spec)
    rules = table_of(s, bot)
    phh = s.phh or Path("hands") / f"play-{datetime.now(UTC):%Y%m%d-%H%M%S}.phhs"
    n, big = rules.num_players, rules.big_blind
    copies = f"{n - 1} copies of {spec.label}" if n > 2 else spec.label
    console.print(f"[bold]you against {copies}[/bold]: {n}-handed, stacks {rules.stacks[0] / big:g} bb "
                  f"(blinds {rules.small_blind}/{big}), seed {seed}; type ? for help, q to quit")
    session = Session(Terminal(console), rules, bot, me=s.seat, seed=seed, bot_name=spec.label, phh=phh)
    # Ctrl-C ends the session even when started with SIGINT ignored (a shell's background job)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    session.run(s.hands)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv)


if __name__ == "__main__":
    sys.exit(main())
