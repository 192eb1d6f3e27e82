"""An agent at a dealer's table: the player side of the ACPC protocol.

The client sends ``VERSION:2.0.0``, then reads MATCHSTATE lines until the dealer closes the
connection.  Each line becomes an engine hand (:mod:`holdem.acpc.matchstate`); when the receiver
is to act, the agent decides on the hand as its seat sees it and the client answers with the
line plus ``:<action>``.  A line that does not parse or that the rules forbid is reported,
naming the line, and left unanswered; an agent that fails on a hand is reported and answered
with ``c`` (a check or call is always legal), so the match goes on.

>>> from holdem.agents import CallAgent
>>> from holdem.acpc.gamedef import GameDef, SHIPPED
>>> client = Client(CallAgent(), GameDef.load(SHIPPED), warn=print)
>>> client.respond("MATCHSTATE:1:0::|Ah2c")             # seat 1 posted the small blind: it acts
'MATCHSTATE:1:0::|Ah2c:c'
>>> client.respond("MATCHSTATE:1:0:c:|Ah2c") is None     # the big blind's turn
True
>>> client.respond("MATCHSTATE:1:0:cr300:|Ah2c")
'MATCHSTATE:1:0:cr300:|Ah2c:c'
>>> client.respond("MATCHSTATE:1:0:cr300c/:|Ah2c/Kd7s2h") is None
True
>>> client.respond("MATCHSTATE:1:0:cr300c/r900f:|Ah2c/Kd7s2h"), client.results    # 600 bet on the flop
(None, {0: -300})
>>> client.respond("MATCHSTATE:1:1:r50:|Ah2c")           # a raise below the big blind
rejected: action 1 of round 1 ('r50') is illegal: raise to 50 is below the minimum raise to 200 in 'MATCHSTATE:1:1:r50:|Ah2c'
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable

from holdem.acpc.gamedef import GameDef
from holdem.acpc.matchstate import Follower, ProtocolError, quote, wire_action
from holdem.acpc.wire import VERSION, AcpcError, LineReader, LineTooLong, frozen_heap, send_line
from holdem.agents import Agent, SeatView


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


class Client:
    """Plays ``agent`` in ``game``; ``results`` maps each finished hand's number to the chips the
    client won in it, ``rejected`` counts the lines refused; ``warn`` receives one line per refusal."""

    def __init__(self, agent: Agent, game: GameDef, warn: Callable[[str], None] = _stderr) -> None:
        self.agent = agent
        self.game = game
        self.rules = game.rules()
        self.warn = warn
        self.results: dict[int, int] = {}
        self.rejected = 0
        self._follower = Follower(self.rules)

    def respond(self, line: str) -> str | None:
        """The answer to one line from the dealer, or None when there is nothing to answer (not the
        receiver's turn, the hand is over, a comment, or a refused line)."""
        if not line or line[0] in "#;":
            return None
        try:
            position, hand, state = self._follower.read(line)
        except ProtocolError as e:
            self._refuse(str(e))
            return None
        if state.is_over:
            self.results[hand] = state.payoffs[position]
            return None
        if state.actor != position:
            return None
        try:
            view = SeatView.of(state)
            action = wire_action(view, self.agent.act(view))
        except Exception as e:  # noqa: BLE001 - an agent's failure must not end the match
            self.warn(f"the agent failed on {quote(line)} ({type(e).__name__}: {e}); answering 'c'")
            action = "c"
        return f"{line}:{action}"

    def _refuse(self, message: str) -> None:
        self.rejected += 1
        self.warn(f"rejected: {message}")

    def play(self, sock: socket.socket) -> None:
        """Play a match on connected ``sock`` until the dealer closes it; :class:`AcpcError` when the
        connection breaks first."""
        with frozen_heap():
            try:
                send_line(sock, VERSION)
                reader = LineReader(sock)
                while True:
                    try:
                        line = reader.readline()
                    except LineTooLong as e:
                        self._follower.forget()
                        self._refuse(str(e))
                        continue
                    if line is None:
                        return
                    reply = self.respond(line)
                    if reply is not None:
                        send_line(sock, reply)
                        self._follower.expect(reply[len(line) + 1:])  # while the dealer is busy with it
            except OSError as e:
                raise AcpcError(f"the connection to the dealer broke after {len(self.results)} hands: "
                                f"{e.strerror or e}") from None


def connect(host: str, port: int, timeout: float = 30.0) -> socket.socket:
    """A TCP connection to a dealer's port (no delay on small writes); :class:`AcpcError` when refused."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as e:
        raise AcpcError(f"cannot connect to {host}:{port}: {e.strerror or e}") from None
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock
