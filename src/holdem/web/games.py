"""Games of the browser table: a person against bots, one game per browser tab, kept in memory.

A :class:`WebGame` is the play session of :mod:`holdem.play` driven by requests instead of a
terminal: the person acts with :meth:`WebGame.act` (an entry checked by the same parser and
engine as at the terminal), each bot decision is one :meth:`WebGame.bot_step` (so a page shows
the bots' actions as they come and says who is thinking), and :meth:`WebGame.next_hand` deals on.
Every change bumps ``version``; a request made against another version is stale and refused, so a
second click after the hand moved on changes nothing.  :meth:`WebGame.state` is everything the
person may see, as JSON-ready data.

A :class:`GameStore` holds the games: at most ``max_games`` (the least recently used goes first),
each dropped after ``ttl`` idle seconds, each at most :data:`MAX_HANDS` hands long, so the
server's memory is bounded.
"""

from __future__ import annotations

import math
import random
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from holdem.abstraction.actions import raise_to_for_fraction
from holdem.agents.base import Agent
from holdem.agents.view import SeatView
from holdem.cards import format_card
from holdem.engine import Deal, Rules, State
from holdem.eval.parallel import derive_seed
from holdem.eval.phh import hand_history, join_histories
from holdem.play.entry import EntryError, parse_entry
from holdem.play.session import SessionResult, hand_rules, seat_names
from holdem.play.table import action_text, positions, result_lines, street_line

#: hands one game may hold; after that it only offers its hand history and a new game
MAX_HANDS = 1000
#: the pot-size buttons offered with a bet or raise: label and fraction of the pot after calling
POT_SIZES = (("1/3 pot", 1 / 3), ("1/2 pot", 0.5), ("2/3 pot", 2 / 3), ("pot", 1.0))
#: what the person may send, as the terminal entry it stands for
ENTRIES = {"fold": "f", "check": "x", "call": "c", "allin": "a"}


class GameError(ValueError):
    """A request a game refuses; ``status`` is the HTTP status that says why (400 illegal, 404 gone,
    409 stale)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class WebGame:
    """The person in seat ``me`` of ``rules`` (the first hand's button where ``rules`` has it)
    against ``bot`` in every other seat, shown as ``bot_name``; deals and bots follow ``seed``."""

    def __init__(self, game_id: str, rules: Rules, bot: Agent, *, me: int = 0, seed: int = 0,
                 bot_name: str = "bot") -> None:
        n = rules.num_players
        if not 0 <= me < n:
            raise GameError(f"seat {me} is not a seat of a {n}-player table (seats 0..{n - 1})")
        self.id, self.rules, self.bot, self.me, self.bot_name = game_id, rules, bot, me, bot_name
        self.names = seat_names(n, me, bot_name)
        self.deals = random.Random(derive_seed(seed, 0))
        bot.reseed(derive_seed(seed, 1))
        self.result = SessionResult(rules.big_blind)
        self.documents: list[str] = []
        self.lock = threading.Lock()
        self.version = 0
        self.hand = 0
        self._deal()

    # -- changes -------------------------------------------------------------------------------

    def _deal(self) -> None:
        self.hand += 1
        self.table = State(hand_rules(self.rules, self.hand), Deal.shuffled(self.rules.num_players, self.deals))
        self.log: list[dict] = []
        self.version += 1

    def _check_version(self, version: int) -> None:
        if version != self.version:
            raise GameError(f"stale request: it was made at version {version}, the game is at version "
                            f"{self.version} (the hand moved on); nothing was changed", 409)

    def _apply(self, decision) -> None:
        state = self.table
        street = state.street
        action = decision.apply(state)
        self.log.append({"street": street.name.lower(), "seat": action.seat, "text": action_text(action, self.names)})
        if state.is_over:
            self.documents.append(hand_history(state, hand=self.hand, players=self.names))
            self.result.payoffs.append(state.payoffs[self.me])
        elif state.street != street:
            self.log.append({"street": state.street.name.lower(), "seat": None,
                             "text": street_line(state.street, state.board, state.total_pot).plain})
        self.version += 1

    def act(self, version: int, action: str, amount: int | None = None) -> None:
        """The person's ``action`` (``fold``, ``check``, ``call``, ``raise`` to ``amount`` chips this
        street, ``allin``) made at ``version``; raises :class:`GameError` when it is stale, not the
        person's turn, or refused by the engine (its reason)."""
        self._check_version(version)
        if self.table.is_over:
            raise GameError("the hand is over: deal the next hand")
        if self.table.actor != self.me:
            raise GameError(f"it is {self.names[self.table.actor]}'s turn, not yours")
        if (action == "raise") != (amount is not None):
            raise GameError("a raise needs an amount (chips this street in all)" if action == "raise"
                            else f"{action} takes no amount")
        entry = f"b {amount}" if action == "raise" else ENTRIES.get(action)
        if entry is None:
            raise GameError(f"unknown action {action!r}; choose from fold, check, call, raise, allin")
        try:
            decision = parse_entry(entry, SeatView.of(self.table))
        except EntryError as error:
            raise GameError(str(error)) from None
        self._apply(decision)

    def bot_step(self, version: int) -> None:
        """One decision of the bot to act (it may think for its search budget)."""
        self._check_version(version)
        actor = self.table.actor
        if actor is None:
            raise GameError("the hand is over: deal the next hand")
        if actor == self.me:
            raise GameError("it is your turn, not a bot's")
        self._apply(self.bot.act(SeatView.of(self.table)))

    def next_hand(self, version: int) -> None:
        """Deal the next hand once this one is over."""
        self._check_version(version)
        if not self.table.is_over:
            raise GameError("the hand is not over yet")
        if self.result.hands >= MAX_HANDS:
            raise GameError(f"this game has played its {MAX_HANDS} hands: download its hand history and "
                            "start a new game")
        self._deal()

    # -- what the person sees ------------------------------------------------------------------

    def phh(self) -> str:
        """Every finished hand as one PHH ``.phhs`` text (empty before the first hand ends)."""
        return join_histories(self.documents) + "\n" if self.documents else ""

    def _legal(self, view: SeatView) -> dict:
        legal = view.legal
        stack = view.stacks[view.seat]
        out = {"fold": legal.can_fold, "check": legal.can_check, "call": 0 if legal.can_check else legal.call_amount,
               "call_all_in": not legal.can_check and legal.call_amount == stack, "raise": None, "pot_sizes": []}
        if legal.can_raise:
            low, high = legal.min_raise_to, legal.max_raise_to
            out["raise"] = {"min": low, "max": high}
            seen = set()
            for label, fraction in POT_SIZES:
                to = raise_to_for_fraction(fraction, view.pot, max(view.bets), legal.call_amount)
                if low <= to <= high and to not in seen:
                    seen.add(to)
                    out["pot_sizes"].append({"label": label, "to": to})
        return out

    def _score(self) -> dict:
        result = self.result
        if not result.hands:
            return {"hands": 0, "big_blinds": 0.0, "mbb_per_hand": None, "ci95": None, "line": result.line()}
        est = result.estimate()
        ci = [round(x, 1) for x in est.ci95] if all(map(math.isfinite, est.ci95)) else None
        return {"hands": result.hands, "big_blinds": result.big_blinds, "mbb_per_hand": round(est.mbb_per_hand, 1),
                "ci95": ci, "line": result.line()}

    def state(self) -> dict:
        """The game as the person sees it (see the module docstring and ``docs/web.md``)."""
        table, me = self.table, self.me
        over = table.is_over
        seats = positions(table.rules)
        showdown = over and table.went_to_showdown
        rows = []
        for seat, name in enumerate(self.names):
            shown = seat == me or (showdown and table.live[seat])
            rows.append({"seat": seat, "name": name, "position": seats.get(seat, ""), "stack": table.stacks[seat],
                         "bet": 0 if over else table.bets[seat], "folded": not table.live[seat],
                         "all_in": table.live[seat] and table.stacks[seat] == 0,
                         "cards": [format_card(c) for c in table.deal.hole_cards[seat]] if shown else None})
        actor = None if over else table.actor
        view = SeatView.of(table) if actor == me else None
        result = None
        if over:
            result = {"lines": [line.plain for line in result_lines(table, self.names)],
                      "net": list(table.payoffs), "you": table.payoffs[me]}
        return {
            "id": self.id, "version": self.version, "hand": self.hand, "players": self.rules.num_players, "me": me,
            "opponent": self.bot_name, "seats": rows, "street": table.street.name.lower(),
            "board": [format_card(c) for c in (table.deal.board if showdown else table.board)],
            "pot": table.total_pot, "to_act": actor, "your_turn": actor == me,
            "bot_to_act": actor is not None and actor != me,
            "thinking": self.names[actor] if actor is not None and actor != me else None,
            "legal": self._legal(view) if view is not None else None,
            "log": list(self.log), "hand_over": over, "result": result, "score": self._score(),
            "session_full": over and self.result.hands >= MAX_HANDS,
        }


class GameStore:
    """At most ``max_games`` games, each dropped after ``ttl`` seconds without a request (``clock``
    gives the time); making a game beyond the limit drops the least recently used one."""

    def __init__(self, max_games: int = 32, ttl: float = 1800.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_games < 1 or ttl <= 0:
            raise ValueError(f"a store needs max_games >= 1 and ttl > 0, got {max_games} and {ttl}")
        self.max_games, self.ttl, self.clock = max_games, ttl, clock
        self._games: OrderedDict[str, tuple[WebGame, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._games)

    def _expire(self, now: float) -> None:
        while self._games:
            oldest, (_, used) = next(iter(self._games.items()))
            if now - used <= self.ttl:
                break
            del self._games[oldest]

    def add(self, make: Callable[[str], WebGame]) -> WebGame:
        """A new game ``make(id)`` under a fresh unguessable id."""
        game = make(secrets.token_urlsafe(9))
        with self._lock:
            now = self.clock()
            self._expire(now)
            while len(self._games) >= self.max_games:
                self._games.popitem(last=False)
            self._games[game.id] = (game, now)
        return game

    def get(self, game_id: str) -> WebGame:
        """The game ``game_id``, marked as just used; :class:`GameError` (404) when it is unknown or
        expired."""
        with self._lock:
            now = self.clock()
            self._expire(now)
            entry = self._games.get(game_id)
            if entry is None:
                raise GameError(f"game {game_id!r} is not here: it expired after {self.ttl / 60:g} idle minutes, "
                                "or never existed; start a new game", 404)
            self._games[game_id] = (entry[0], now)
            self._games.move_to_end(game_id)
            return entry[0]
