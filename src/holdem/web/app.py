"""The ``holdem serve`` web app: the play, strategy and runs pages and their JSON API (FastAPI).

:func:`create_app` builds the app from a :class:`ServerConfig`: the policy (a blueprint run or
file, loaded once and shared by every game and the strategy page) and the run directories the
runs page may show, both fixed at start, so a request can never name a file.  The pages are
static files shipped in the package (``static/``); everything they show comes from the API
below, whose every error is one line of JSON, ``{"error": "..."}``:

=============================  ====================================================================
``GET  /api/info``             the policy, the opponents on offer, the table
``POST /api/games``            a new game (``opponent``, ``players``, ``seat``, ``seed``)
``GET  /api/games/{id}``       the game as the person sees it
``POST /api/games/{id}/action``  the person's action at ``version`` (400 illegal, 409 stale)
``POST /api/games/{id}/bot``   one bot decision
``POST /api/games/{id}/next``  the next hand
``GET  /api/games/{id}/phh``   the finished hands as a PHH file
``GET  /api/strategy``         one decision of the policy per hand class (``history``, ``board``)
``GET  /api/strategy/export``  that node as ``holdem export`` writes it (``format``, ``by``)
``GET  /api/runs``, ``/api/runs/{name}``  training curves and strength of the runs
=============================  ====================================================================

``docs/web.md`` describes every field.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from holdem.agents.base import Agent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.agents.spec import BASELINES
from holdem.engine import Rules
from holdem.eval.match import table_rules
from holdem.search import SearchAgent, SearchConfig

from .games import GameError, GameStore, WebGame
from .runs import RunIndex
from .strategy import StrategyError, StrategyPages

STATIC = Path(__file__).parent / "static"
PAGES = {"/": "play.html", "/strategy": "strategy.html", "/runs": "runs.html"}
#: the opponents a page may choose, policy-based first; ``search`` plays heads-up only
POLICY_OPPONENTS = ("blueprint", "search")
BASELINE_OPPONENTS = ("heuristic", "call", "random")
MAX_PLAYERS = 6


@dataclass(frozen=True)
class ServerConfig:
    """What a server offers: the blueprint ``policy`` (file or run directory, or None: baselines
    only), the run directories ``runs`` of the runs page, the search opponent's ``search_budget``
    seconds per decision, and the game store's limits."""

    policy: Path | None = None
    runs: tuple[Path, ...] = ()
    search_budget: float = 1.0
    max_games: int = 32
    idle_minutes: float = 30.0
    seed: int | None = None


class NewGame(BaseModel):
    """A new game's table."""

    model_config = ConfigDict(extra="forbid")

    opponent: str = "blueprint"
    players: int = Field(default=2, ge=2, le=MAX_PLAYERS)
    seat: int = Field(default=0, ge=0, lt=MAX_PLAYERS)
    seed: int | None = Field(default=None, ge=0, lt=1 << 63)


class Step(BaseModel):
    """A request that changes a game, made against the game's ``version``."""

    model_config = ConfigDict(extra="forbid")

    version: int


class Move(Step):
    """The person's action; ``amount`` (with ``raise`` only) is the street total "to"."""

    action: Literal["fold", "check", "call", "raise", "allin"]
    amount: int | None = Field(default=None, ge=0, le=1 << 40)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _validation_line(error: RequestValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    return f"{where}: {first.get('msg', 'invalid')}"


class Tables:
    """Builds the games' bots and tables from one loaded blueprint (or none)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.blueprint = BlueprintAgent.load(config.policy) if config.policy is not None else None
        self.policy_name = Path(config.policy).resolve().name if config.policy is not None else None
        self.rng = random.Random(config.seed)

    @property
    def opponents(self) -> list[str]:
        """The opponents a game may have."""
        return [*(POLICY_OPPONENTS if self.blueprint is not None else ()), *BASELINE_OPPONENTS]

    @property
    def base_rules(self) -> Rules:
        """The blueprint's table, or 100 big blinds at the default blinds without one."""
        return self.blueprint.rules if self.blueprint is not None else table_rules(2)

    def rules(self, opponent: str, players: int) -> Rules:
        """The table of a game of ``players`` against ``opponent``: the base table's stacks and blinds,
        the button on the last seat."""
        base = self.base_rules
        if opponent in POLICY_OPPONENTS and players != base.num_players:
            raise GameError(f"the blueprint {self.policy_name} plays {base.num_players}-handed; choose "
                            f"{base.num_players} players or a baseline opponent")
        if opponent == "search" and players != 2:
            raise GameError("the search opponent plays heads-up only")
        return table_rules(players, stack=base.stacks[0], small_blind=base.small_blind, big_blind=base.big_blind,
                           ante=base.ante)

    def bot(self, opponent: str, seed: int) -> tuple[Agent, str]:
        """A fresh ``opponent`` seeded ``seed`` (sharing the loaded blueprint's tables) and its name."""
        if opponent not in self.opponents:
            raise GameError(f"unknown opponent {opponent!r}; choose from {', '.join(self.opponents)}")
        if opponent in BASELINES:
            return BASELINES[opponent](seed), opponent
        blueprint = BlueprintAgent(self.blueprint.blueprint, seed, self.policy_name)
        if opponent == "blueprint":
            return blueprint, self.policy_name
        name = f"search:{self.policy_name}"
        return SearchAgent(blueprint, SearchConfig(budget=self.config.search_budget), seed, name), name

    def game(self, request: NewGame) -> Callable[[str], WebGame]:
        """The maker of the game ``request`` asks for, given its id; :class:`GameError` when the
        table cannot be had."""
        rules = self.rules(request.opponent, request.players)
        if request.seat >= request.players:
            raise GameError(f"seat {request.seat} is not a seat of a {request.players}-player table "
                            f"(seats 0..{request.players - 1})")
        seed = request.seed if request.seed is not None else self.rng.randrange(1 << 31)
        bot, name = self.bot(request.opponent, seed)
        return lambda game_id: WebGame(game_id, rules, bot, me=request.seat, seed=seed, bot_name=name)


def create_app(config: ServerConfig = ServerConfig(), store: GameStore | None = None) -> FastAPI:
    """The web app serving ``config``'s policy and runs; ``store`` holds its games (by default at
    most ``config.max_games``, each expiring after ``config.idle_minutes`` idle)."""
    tables = Tables(config)
    games = store if store is not None else GameStore(config.max_games, config.idle_minutes * 60)
    strategy = StrategyPages(tables.blueprint, tables.base_rules) if tables.blueprint is not None else None
    runs = RunIndex(list(config.runs))
    app = FastAPI(title="holdem", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(GameError)
    def _game_error(_: Request, error: GameError) -> JSONResponse:
        return _error(error.status, str(error))

    @app.exception_handler(StrategyError)
    def _strategy_error(_: Request, error: StrategyError) -> JSONResponse:
        return _error(400, str(error))

    @app.exception_handler(RequestValidationError)
    def _invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_line(error))

    @app.exception_handler(HTTPException)
    def _http(_: Request, error: HTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail))

    for route, page in PAGES.items():
        app.add_api_route(route, lambda page=page: FileResponse(STATIC / page), methods=["GET"],
                          include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/info")
    def info() -> dict:
        base = tables.base_rules
        return {"policy": tables.policy_name, "opponents": tables.opponents, "max_players": MAX_PLAYERS,
                "search_players": 2,
                "table": {"players": base.num_players, "stack": base.stacks[0], "small_blind": base.small_blind,
                          "big_blind": base.big_blind},
                "strategy": strategy is not None, "runs": list(runs.paths)}

    @app.post("/api/games", status_code=201)
    def new_game(request: NewGame) -> dict:
        game = games.add(tables.game(request))
        with game.lock:
            return game.state()

    def _after(game_id: str, change: Callable[[WebGame], None]) -> dict:
        """The state of game ``game_id`` after ``change``, made under the game's lock."""
        game = games.get(game_id)
        with game.lock:
            change(game)
            return game.state()

    @app.get("/api/games/{game_id}")
    def get_game(game_id: str) -> dict:
        return _after(game_id, lambda game: None)

    @app.post("/api/games/{game_id}/action")
    def act(game_id: str, move: Move) -> dict:
        return _after(game_id, lambda game: game.act(move.version, move.action, move.amount))

    @app.post("/api/games/{game_id}/bot")
    def bot(game_id: str, step: Step) -> dict:
        return _after(game_id, lambda game: game.bot_step(step.version))

    @app.post("/api/games/{game_id}/next")
    def next_hand(game_id: str, step: Step) -> dict:
        return _after(game_id, lambda game: game.next_hand(step.version))

    @app.get("/api/games/{game_id}/phh")
    def phh(game_id: str) -> Response:
        game = games.get(game_id)
        with game.lock:
            text = game.phh()
        return PlainTextResponse(text, headers={"Content-Disposition": f'attachment; filename="holdem-{game_id}.phhs"'})

    def _strategy() -> StrategyPages:
        if strategy is None:
            raise HTTPException(404, "no policy loaded: start the server with --policy RUN to see a strategy")
        return strategy

    @app.get("/api/strategy")
    def strategy_node(history: str = Query("", max_length=2000), board: str = Query("", max_length=40)) -> Response:
        return Response(_strategy().page(history, board), media_type="application/json")

    @app.get("/api/strategy/export")
    def strategy_export(history: str = Query("", max_length=2000), board: str = Query("", max_length=40),
                        format: str = "json", by: str = "class") -> Response:
        text = _strategy().export(history, board, format, by)
        media = "application/json" if format == "json" else "text/csv"
        return Response(text, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="strategy.{format}"'})

    @app.get("/api/runs")
    def run_list() -> list[dict]:
        return runs.listing()

    @app.get("/api/runs/{name}")
    def run(name: str) -> dict:
        found = runs.run(name)
        if found is None:
            raise HTTPException(404, f"no run named {name!r}; the server shows {', '.join(runs.paths) or 'no runs'}")
        return found

    return app
