"""Serve the browser app: play the bot, walk its strategy and look at training runs in a page.

``python -m holdem.cli.serve [--policy RUN|FILE] [--port 8000] [--host 127.0.0.1] [--runs DIR ...]
[--search-budget S] [--max-games N] [--idle-minutes M]``

Open the address it prints (http://127.0.0.1:8000 by default).  ``--policy`` is the blueprint the
bots play and the strategy page shows (default: ``runs/quickstart`` when it exists; without one
the page offers the baseline bots only).  ``--runs`` are the run directories the runs page may
show (default: the policy's run directory); pages name runs, never paths.  The server listens
on this machine only unless ``--host`` says otherwise (then anyone who reaches the port can play
and read the strategy, and the log says so).  Games live in memory: at most ``--max-games`` at
once, each dropped after ``--idle-minutes`` without a request.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import socket
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console

from holdem.cli.common import Parser, UsageError, load_settings
from holdem.cli.play import QUICKSTART



class Settings(BaseModel):
    """What the server offers and where it listens."""

    model_config = ConfigDict(extra="forbid")

    policy: Path | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    runs: list[Path] | None = None
    search_budget: float = Field(default=1.0, gt=0, le=60)
    max_games: int = Field(default=32, ge=1, le=10000)
    idle_minutes: float = Field(default=30.0, gt=0)


def _parser() -> Parser:
    parser = Parser("serve", __doc__.splitlines()[0], Settings)
    parser.add_argument("--policy", type=Path, metavar="RUN|FILE",
                        help=f"blueprint run directory or file (default {QUICKSTART} when it exists)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, help="port to listen on")
    parser.add_argument("--runs", type=Path, nargs="+", metavar="DIR",
                        help="run directories the runs page shows (default: the policy's run directory)")
    parser.add_argument("--search-budget", type=float, metavar="S", help="seconds per decision of the search bot")
    parser.add_argument("--max-games", type=int, metavar="N", help="games kept at once (the least recently used "
                                                                   "goes first)")
    parser.add_argument("--idle-minutes", type=float, metavar="M", help="a game without requests this long is dropped")
    return parser


def local_only(host: str) -> bool:
    """True when ``host`` is an address of this machine's loopback (``localhost``, 127.x, ``::1``).

    >>> local_only("127.0.0.1"), local_only("localhost"), local_only("::1"), local_only("0.0.0.0")
    (True, True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    """Fail with one line now, rather than in the server's log, when ``host:port`` cannot be bound."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UsageError(f"--host {host!r}: {error}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise UsageError(f"cannot listen on {host}:{port} ({error.strerror}); choose another --port") from None


def _main(args: argparse.Namespace) -> None:
    s = load_settings(Settings, args, args.config)
    policy = s.policy if s.policy is not None else QUICKSTART if (QUICKSTART / "blueprint.npz").exists() else None
    if policy is not None and not policy.exists():
        raise UsageError(f"--policy: no such blueprint file or run directory: {policy}")
    runs = s.runs if s.runs is not None else [policy] if policy is not None and policy.is_dir() else []
    for run in runs:
        if not run.is_dir():
            raise UsageError(f"--runs: {run} is not a directory")
    _check_port(s.host, s.port)
    import uvicorn

    from holdem.web.app import ServerConfig, create_app

    console = Console(highlight=False)
    if policy is not None:
        console.print(f"loading {policy} ...")
    else:
        console.print(f"no blueprint (no --policy, and no {QUICKSTART / 'blueprint.npz'}): the page offers the "
                      "baseline bots only")
    try:
        app = create_app(ServerConfig(policy, tuple(runs), s.search_budget, s.max_games, s.idle_minutes))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot load {policy}: {error}") from None
    shown = f"[{s.host}]" if ":" in s.host else s.host
    console.print(f"[bold]holdem is at http://{shown}:{s.port}[/bold]  (play /, strategy /strategy, runs /runs; "
                  "Ctrl-C stops)")
    config = uvicorn.Config(app, host=s.host, port=s.port, log_level="info")  # sets up the server's log
    if not local_only(s.host):
        logging.getLogger("uvicorn.error").warning(
            "listening on %s, not only this machine: anyone who reaches port %d can play and read the strategy",
            s.host, s.port)
    uvicorn.Server(config).run()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv)


if __name__ == "__main__":
    sys.exit(main())
