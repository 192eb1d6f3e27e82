"""Play over the ACPC protocol 2.0.0: an agent at a dealer's port, or a local dealer for programs that speak it.

``python -m holdem.cli.acpc connect HOST PORT --policy runs/<name> [--game FILE] [--seed N]`` plays the
policy (a blueprint file or run directory, a baseline name such as ``heuristic``, or an agent spec
such as ``search:runs/x?budget=0.5``) at the dealer's port until the dealer closes the connection,
then prints the hands played and the policy's result in mbb/hand with a 95% interval.

``python -m holdem.cli.acpc dealer MATCHNAME GAMEFILE HANDS SEED NAME1 NAME2 ...`` prints the ports it
listens on (one per player, in order, on one line), deals the match from SEED, writes the
official log to ``MATCHNAME.log`` (``--log-dir``) and prints the ``SCORE`` line and each player's
result.  GAMEFILE is a game definition file or the name of one shipped with holdem
(``holdem.nolimit.2p.reverse_blinds.game``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.table import Table

import holdem.search  # noqa: F401 - registers the "search" agent spec
from holdem.acpc.client import Client, connect
from holdem.acpc.dealer import Dealer
from holdem.acpc.gamedef import SHIPPED, GameDef, GameDefError
from holdem.acpc.wire import AcpcError
from holdem.agents import BASELINES, Agent, AgentSpec
from holdem.cli.common import Parser, UsageError, load_settings
from holdem.eval.stats import mbb_cells, mbb_estimate

DEFAULT_POLICY = "runs/quickstart"
_TRAIN = "python -m holdem.cli.train_blueprint --config configs/quickstart.yaml --logdir runs/quickstart"


class ConnectSettings(BaseModel):
    """An agent playing at a dealer's port."""

    model_config = ConfigDict(extra="forbid")

    host: str
    port: int = Field(ge=1, le=65535)
    policy: str = DEFAULT_POLICY
    game: str = SHIPPED
    seed: int = 0


class DealerSettings(BaseModel):
    """A local match."""

    model_config = ConfigDict(extra="forbid")

    match_name: str = Field(pattern=r"^[\w.-]+$")
    game: str
    hands: int = Field(ge=1)
    seed: int = Field(ge=0)
    names: list[str]
    ports: list[int] = []
    bind: str = "127.0.0.1"
    t_response: float = Field(default=600.0, gt=0)
    start_timeout: float | None = Field(default=None, gt=0)
    log_dir: Path = Path(".")


def _whole(low: int, high: int | None = None):
    """An argparse type: an int in ``low..high`` (argparse names the argument in its error)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {low}..{high}, got {value}" if high is not None
                                             else f"must be >= {low}, got {value}")
        return value
    return parse


def _ports(text: str) -> list[int]:
    try:
        ports = [int(p) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of ports: {text!r}") from None
    if not all(0 <= p <= 65535 for p in ports):
        raise argparse.ArgumentTypeError(f"ports are 0..65535 (0: any free port), got {text!r}")
    return ports


def _subparser(*, prog: str, description: str | None = None, model: type[BaseModel] | None = None,
               **kwargs) -> Parser:
    """A subcommand's parser: a :class:`Parser` (one-line errors) named ``holdem acpc <subcommand>``."""
    return Parser(prog.removeprefix("holdem "), description, model, **kwargs)


def _parser() -> Parser:
    parser = Parser("acpc", __doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="{connect,dealer}",
                                     parser_class=_subparser)
    client = commands.add_parser("connect", help="play an agent at a dealer's port", model=ConnectSettings,
                                 description="Play an agent at an ACPC dealer's port until the match ends.")
    client.add_argument("host", help="the dealer's host name or address")
    client.add_argument("port", type=_whole(1, 65535), help="the port the dealer gave this player")
    client.add_argument("--policy", help="blueprint file or run directory, baseline name, or agent spec")
    client.add_argument("--game", metavar="FILE", help="game definition file, or the name of a shipped one")
    client.add_argument("--seed", type=int, help="the agent's random seed")
    dealer = commands.add_parser("dealer", help="run a local match between protocol players", model=DealerSettings,
                                 description="Deal a match between programs that speak the ACPC protocol.")
    dealer.add_argument("match_name", metavar="MATCHNAME", help="the match's name (the log is MATCHNAME.log)")
    dealer.add_argument("game", metavar="GAMEFILE", help="game definition file, or the name of a shipped one")
    dealer.add_argument("hands", metavar="HANDS", type=_whole(1), help="hands to deal")
    dealer.add_argument("seed", metavar="SEED", type=_whole(0), help="the seed of the cards")
    dealer.add_argument("names", metavar="NAME", nargs="+", help="the players' names, one per seat of the game")
    dealer.add_argument("--ports", type=_ports, metavar="P1,P2,...", help="ports to listen on (default: free ones)")
    dealer.add_argument("--bind", metavar="ADDRESS", help="address to listen on (0.0.0.0: every interface)")
    dealer.add_argument("--t-response", type=float, metavar="SECONDS",
                        help="time a player has to answer; a silent player folds (or checks)")
    dealer.add_argument("--start-timeout", type=float, metavar="SECONDS",
                        help="time the players have to connect (default: no limit)")
    dealer.add_argument("--log-dir", type=Path, metavar="DIR", help="directory of MATCHNAME.log")
    return parser


def load_game(text: str) -> GameDef:
    """The game definition named by ``--game``/GAMEFILE; any defect is a :class:`UsageError`."""
    try:
        game = GameDef.load(text)
        game.rules()
    except GameDefError as e:
        raise UsageError(str(e)) from None
    return game


def load_agent(text: str, seed: int, game: GameDef) -> Agent:
    """The agent ``--policy`` names, checked against ``game``'s number of players."""
    spec = AgentSpec.parse(text, seed)
    if spec.kind not in BASELINES:
        if not Path(str(spec.path)).exists():
            hint = f" (train one with: {_TRAIN})" if text == DEFAULT_POLICY else ""
            raise UsageError(f"--policy: no such blueprint file or run directory: {spec.path}{hint}")
        try:
            agent = spec.build()
        except (OSError, ValueError) as e:
            raise UsageError(f"--policy: cannot load {spec.kind} {spec.path}: {e}") from None
        trained = agent.rules
        if trained.num_players != game.num_players:
            raise UsageError(f"--policy: {text} plays {trained.num_players}-handed; "
                             f"{game.source} seats {game.num_players}")
        depth, played = max(trained.stacks) / trained.big_blind, max(game.rules().stacks) / game.rules().big_blind
        if depth != played:
            print(f"note: {text} was trained with {depth:g} big blinds, {game.source} deals {played:g}",
                  file=sys.stderr)
        return agent
    return spec.build()


def _estimate(chips: list[int], big_blind: int) -> str:
    if len(chips) < 2:
        return ""
    est = mbb_estimate(chips, big_blind)
    return " ".join(mbb_cells(est.mbb_per_hand, est.ci95))


def _connect(s: ConnectSettings) -> None:
    game = load_game(s.game)
    client = Client(load_agent(s.policy, s.seed, game), game)
    sock = connect(s.host, s.port)
    try:
        client.play(sock)
    finally:
        sock.close()
        chips = list(client.results.values())
        print(f"{len(chips)} hands, {sum(chips):+d} chips, mbb/hand (95% interval) "
              f"{_estimate(chips, game.rules().big_blind) or 'n/a'}; {client.rejected} lines rejected")


def _dealer(s: DealerSettings) -> None:
    game = load_game(s.game)
    try:
        dealer = Dealer(game, s.match_name, s.hands, s.seed, s.names, ports=s.ports, host=s.bind,
                        response_timeout=s.t_response, start_timeout=s.start_timeout)
    except ValueError as e:
        raise UsageError(str(e)) from None
    print(" ".join(map(str, dealer.listen())), flush=True)
    result = dealer.run()
    log = s.log_dir / f"{s.match_name}.log"
    dealer.write_log(log)
    print(result.score_line)
    table = Table(title=f"{s.match_name}: {result.hands:,} hands in {result.seconds:.1f} s, log {log}")
    for column in ("player", "chips", "mbb/hand (95% interval)"):
        table.add_column(column, justify="left" if column == "player" else "right")
    for p, name in enumerate(result.names):
        chips = [hand[p] for hand in result.values]
        table.add_row(name, f"{sum(chips):+,d}", _estimate(chips, dealer.rules.big_blind))
    Console().print(table)
    if result.stopped is not None:
        raise AcpcError(result.stopped)


def _main(args: argparse.Namespace) -> None:
    if args.command == "connect":
        _connect(load_settings(ConnectSettings, args, args.config))
    else:
        _dealer(load_settings(DealerSettings, args, args.config))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input or a broken match, printed as one line)."""
    return _parser().main(_main, argv, AcpcError)


if __name__ == "__main__":
    sys.exit(main())
