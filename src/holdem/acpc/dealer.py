"""A local dealer: a match between programs that speak the ACPC protocol, judged by the engine.

The dealer listens on one port per player (printed when listening), waits for each player to
connect to its own port and send ``VERSION:2.<minor>.<revision>``, then deals ``hands`` hands from
``seed``, player ``p`` (the ``p``-th port) sitting in seat ``(p - hand) % players`` (the seats rotate
every hand).  After
every action each player receives the MATCHSTATE of its seat; the player to act answers it.  A
player not to act gets its lines together with the next line it must answer (or at the end of
the match): the same lines in the same order, in fewer writes.

What a player sends never stops the dealer, which reads it as the official dealer does: a line
that does not answer the state just sent (a stale or garbled line, random bytes) is reported and
ignored; an answer whose action does not read, or that the rules forbid, is fixed (see
:func:`~holdem.acpc.matchstate.fixed_action`) and reported.  Unlike the official dealer, which
ends the match, a player silent for ``response_timeout`` seconds folds (checks when it may), and
a player that closes its connection ends the match with a log of the hands played to the end.
The cards are the official dealer's for the same seed (:func:`official_deals`).

The log is the official one: ``STATE:<hand>:<betting>:<every seat's cards>:<chips won per seat>:
<names per seat>`` per hand and a closing ``SCORE:<total per player>:<names>``, after ``#``
comment lines naming the match.
"""

from __future__ import annotations

import random
import re
import socket
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from holdem.acpc.gamedef import GameDef
from holdem.acpc.matchstate import WireHand, cards_text, fixed_action, just_dealt, quote
from holdem.acpc.wire import AcpcError, LineReader, LineTooLong, frozen_heap
from holdem.engine import Deal, State
from holdem.files import atomic_write

_VERSION = re.compile(r"VERSION:(\d+)\.(\d+)\.(\d+)")
_NAME = re.compile(r"[^\s:|]+")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def official_deals(seed: int, num_players: int) -> Iterator[Deal]:
    """The deals of a match, hand after hand, as the official dealer deals them for ``seed``: a
    Mersenne Twister (MT19937) seeded with ``init_genrand(seed)``, a deck ordered by suit then rank,
    each card ``deck[genrand_int32() % left]``, replaced by the deck's last; two cards per seat in
    seat order, then five board cards.

    >>> next(official_deals(0, 2)).board == next(official_deals(0, 2)).board
    True
    """
    words = [seed & 0xFFFFFFFF]
    for i in range(1, 624):
        words.append((1812433253 * (words[-1] ^ (words[-1] >> 30)) + i) & 0xFFFFFFFF)
    rng = random.Random()
    rng.setstate((3, (*words, 624), None))  # Python's generator is MT19937 too: this is init_genrand
    draw = rng.getrandbits
    while True:
        deck = [rank * 4 + suit for suit in range(4) for rank in range(13)]
        cards = []
        for left in range(len(deck), len(deck) - 2 * num_players - 5, -1):
            i = draw(32) % left
            cards.append(deck[i])
            deck[i] = deck[left - 1]
        yield Deal(tuple(zip(cards[0:2 * num_players:2], cards[1:2 * num_players:2])), tuple(cards[2 * num_players:]))


class _PlayerGone(Exception):
    """A player's connection closed or broke."""


@dataclass
class _Player:
    name: str
    listener: socket.socket
    sock: socket.socket | None = None
    reader: LineReader | None = None
    queue: list[str] = field(default_factory=list)  # lines not sent yet

    def flush(self) -> None:
        """Send the queued lines in one write."""
        try:
            self.sock.sendall("".join(line + "\r\n" for line in self.queue).encode("latin-1"))
        except OSError as e:
            raise _PlayerGone(f"{self.name}'s connection broke ({e.strerror or e})") from None
        self.queue.clear()


@dataclass
class MatchResult:
    """What a match came to: ``values[h][p]`` is player ``p``'s chips won in hand ``h`` (player
    order, not seats), ``seconds`` the time from the first deal to the end of the last hand and
    ``stopped`` why the match ended early (None when every hand was played)."""

    names: list[str]
    values: list[list[int]] = field(default_factory=list)
    seconds: float = 0.0
    stopped: str | None = None

    @property
    def hands(self) -> int:
        """Hands played to the end."""
        return len(self.values)

    @property
    def totals(self) -> list[int]:
        """Chips won per player over the match."""
        return [sum(hand[p] for hand in self.values) for p in range(len(self.names))]

    @property
    def score_line(self) -> str:
        """The log's closing line: ``SCORE:<totals>:<names>``, in player order."""
        return f"SCORE:{'|'.join(map(str, self.totals))}:{'|'.join(self.names)}"


class Dealer:
    """Deals a match of ``hands`` hands of ``game`` from ``seed`` between players ``names`` (one
    per seat of the game): :meth:`listen`, then :meth:`run`, then :meth:`write_log`."""

    def __init__(self, game: GameDef, match_name: str, hands: int, seed: int, names: Sequence[str], *,
                 ports: Sequence[int] | None = None, host: str = "127.0.0.1", response_timeout: float = 600.0,
                 start_timeout: float | None = None, warn: Callable[[str], None] = _stderr) -> None:
        self.rules = game.rules()
        if len(names) != game.num_players:
            raise ValueError(f"{game.source} seats {game.num_players} players, got {len(names)} names")
        bad = next((name for name in names if not _NAME.fullmatch(name)), None)
        if bad is not None:
            raise ValueError(f"player name {bad!r} must be non-empty, without spaces, ':' or '|'")
        ports = list(ports) if ports else [0] * len(names)
        if len(ports) != len(names):
            raise ValueError(f"{len(ports)} ports for {len(names)} players")
        if hands < 1 or response_timeout <= 0:
            raise ValueError(f"a match needs hands >= 1 and a response timeout > 0, got {hands} and {response_timeout}")
        self.game, self.match_name, self.hands, self.seed = game, match_name, hands, seed
        self.names = list(names)
        self.host, self.response_timeout, self.start_timeout = host, response_timeout, start_timeout
        self.warn = warn
        self._wanted_ports = ports
        self._players: list[_Player] = []
        self._dealt = just_dealt(self.rules)
        self._ended: tuple[WireHand, list[_Player]] | None = None  # the hand played last, until logged
        self.log: list[str] = []
        self.result = MatchResult(self.names)

    def listen(self) -> list[int]:
        """Open one listening socket per player; their ports, in player order."""
        try:
            for name, port in zip(self.names, self._wanted_ports):
                listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                self._players.append(_Player(name, listener))
                listener.bind((self.host, port))
                listener.listen(1)
        except OSError as e:
            self.close()
            raise AcpcError(f"cannot listen on {self.host}:{port} for {name}: {e.strerror or e}") from None
        return [p.listener.getsockname()[1] for p in self._players]

    def run(self) -> MatchResult:
        """Wait for the players, play the match and close every connection; the result (also kept as
        ``result``, the log lines as ``log``).  :class:`AcpcError` when a player does not connect or
        fails the handshake."""
        if not self._players:
            self.listen()
        try:
            for player in self._players:
                self._accept(player)
            self.log = [f"# name/game/hands/seed {self.match_name} {self.game.source} {self.hands} {self.seed}",
                        f"#--t_response {round(self.response_timeout * 1000)}"]
            start = time.perf_counter()
            deals = official_deals(self.seed, self.rules.num_players)
            deal = next(deals)
            with frozen_heap():
                self._play_hands(deals, deal)
            self._log_ended()
            self.result.seconds = time.perf_counter() - start
            self.log.append(self.result.score_line)
        finally:
            self.close()
        return self.result

    def _play_hands(self, deals: Iterator[Deal], deal: Deal) -> None:
        """Play the match's hands, the first on ``deal``, the others on the next ``deals``, until the
        last or a player is gone (``result.stopped`` says which)."""
        for hand in range(self.hands):
            try:
                deal = self._play_hand(hand, deal, deals)
                if hand + 1 == self.hands:
                    for player in self._players:
                        player.flush()
            except _PlayerGone as gone:
                self.result.stopped = f"{gone} in hand {hand}; the match ends after {hand} hands"
                return
            except KeyboardInterrupt:
                self.result.stopped = f"interrupted in hand {hand}; the match ends after {hand} hands"
                return

    def _accept(self, player: _Player) -> None:
        player.listener.settimeout(self.start_timeout)
        try:
            sock, _ = player.listener.accept()
        except TimeoutError:
            raise AcpcError(f"{player.name} did not connect within {self.start_timeout:g} s") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        player.sock, player.reader = sock, LineReader(sock, timeout=self.response_timeout)
        try:
            line = player.reader.readline()
        except (OSError, LineTooLong) as e:
            raise AcpcError(f"{player.name} sent no version line: {e}") from None
        version = _VERSION.match(line) if line is not None else None
        if version is None:
            got = "nothing" if line is None else quote(line)
            raise AcpcError(f"{player.name} sent {got} instead of VERSION:2.0.0")
        if version.group(1) != "2" or version.group(2) != "0":
            self.warn(f"{player.name} speaks {quote(line)}; this dealer speaks VERSION:2.0.0")

    def _play_hand(self, hand: int, deal: Deal, deals: Iterator[Deal]) -> Deal:
        """Play hand number ``hand`` on ``deal``; the next deal, drawn from ``deals``.  The hand before
        is logged and the next deal drawn while the first player to act thinks; this hand is logged
        by the next one (or :meth:`_log_ended` at the end of the match)."""
        n = self.rules.num_players
        at_seat = [self._players[(seat + hand) % n] for seat in range(n)]
        wire = WireHand(self.rules, deal, hand, self._dealt)
        state = wire.state
        sent = self._deliver(wire, at_seat)
        self._log_ended()
        deal = next(deals)
        while not state.is_over:
            wire.play(self._action(at_seat[state.actor], sent, state))
            sent = self._deliver(wire, at_seat)
        self._ended = wire, at_seat
        return deal

    def _log_ended(self) -> None:
        """Log the hand played to the end last, unless logged: its ``STATE`` line and its values."""
        if self._ended is None:
            return
        (wire, at_seat), self._ended = self._ended, None
        state, n = wire.state, len(at_seat)
        values = state.payoffs
        self.log.append(f"STATE:{wire.hand}:{wire.betting}:{cards_text(state)}:{'|'.join(map(str, values))}:"
                        f"{'|'.join(p.name for p in at_seat)}")
        self.result.values.append([values[(p - wire.hand) % n] for p in range(n)])

    def _deliver(self, wire: WireHand, at_seat: list[_Player]) -> str:
        """Queue every seat's line for ``wire`` as it stands and send the seat to act its queue (first,
        so it can think while the others' lines are made); the line it must answer ("" once the hand
        is over)."""
        actor = wire.state.actor
        answer = ""
        if actor is not None:
            answer = wire.line(actor)
            at_seat[actor].queue.append(answer)
            at_seat[actor].flush()
        for seat, player in enumerate(at_seat):
            if seat != actor:
                player.queue.append(wire.line(seat))
        return answer

    def _action(self, player: _Player, sent: str, state: State) -> str:
        """The wire action of ``player`` (to act) answering ``sent``, read and fixed as the official
        dealer does (see :func:`~holdem.acpc.matchstate.fixed_action`)."""
        deadline = time.monotonic() + self.response_timeout
        while True:
            try:
                if time.monotonic() > deadline:
                    raise TimeoutError
                line = player.reader.readline()
            except LineTooLong as e:
                self.warn(f"{player.name}: ignored {e}")
                continue
            except TimeoutError:
                action = "f" if state.can_fold() else "c"
                self.warn(f"{player.name}: no answer within {self.response_timeout:g} s to {quote(sent)}: '{action}'")
                return action
            except OSError as e:
                raise _PlayerGone(f"{player.name}'s connection broke ({e.strerror or e})") from None
            if line is None:
                raise _PlayerGone(f"{player.name} closed the connection")
            if line[:1] in ("#", ";"):
                continue
            if not line.startswith(sent):
                self.warn(f"{player.name}: ignored {quote(line)}, not an answer to {quote(sent)}")
                continue
            action, why = fixed_action(state, line[len(sent) + 1:] if line[len(sent):len(sent) + 1] == ":" else "")
            if why is not None:
                self.warn(f"{player.name}: {quote(line)}: {why}")
            return action

    def close(self) -> None:
        """Close every socket (the players see the end of the match)."""
        for player in self._players:
            for sock in (player.sock, player.listener):
                if sock is not None:
                    sock.close()

    def write_log(self, path: Path) -> None:
        """Write the log (comment lines, one ``STATE`` line per hand, ``SCORE``) to ``path``, atomically."""
        atomic_write(Path(path), lambda f: f.write("".join(line + "\n" for line in self.log).encode()))
