"""Lines over a TCP socket, as the protocol sends them: ASCII, ending in ``\\r\\n`` (a bare ``\\n`` is
accepted), at most :data:`~holdem.acpc.matchstate.MAX_LINE` characters."""

from __future__ import annotations

import socket
import time

from holdem.acpc.matchstate import MAX_LINE, quote

VERSION = "VERSION:2.0.0"


class AcpcError(Exception):
    """A match that cannot go on (a refused connection, a player gone, a bad handshake)."""


class LineTooLong(ValueError):
    """A line over the length limit (the rest of it, up to its newline, is skipped)."""


class LineReader:
    """Reads the lines of ``sock`` one at a time, with an optional time limit per line."""

    def __init__(self, sock: socket.socket, max_line: int = MAX_LINE) -> None:
        self.sock = sock
        self.max_line = max_line
        self._buffer = bytearray()
        self._skipping = False

    def readline(self, timeout: float | None = None) -> str | None:
        """The next line without its line end (bytes as latin-1 characters), or None once the peer
        closed the connection.  ``TimeoutError`` after ``timeout`` seconds without a whole line;
        :class:`LineTooLong` for a line over the limit; ``OSError`` when the connection breaks."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                raw = bytes(self._buffer[:end])
                del self._buffer[:end + 1]
                if self._skipping:
                    self._skipping = False
                    continue
                return raw.removesuffix(b"\r").decode("latin-1")
            if len(self._buffer) > self.max_line:
                head = bytes(self._buffer[:self.max_line]).decode("latin-1")
                self._buffer.clear()
                if not self._skipping:
                    self._skipping = True
                    raise LineTooLong(f"a line over {self.max_line} characters: {quote(head)}")
            if deadline is None:
                if self.sock.gettimeout() is not None:
                    self.sock.settimeout(None)
            else:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no line within {timeout:g} s")
                self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk


def send_line(sock: socket.socket, line: str) -> None:
    """Send ``line`` with the protocol's line end."""
    sock.sendall(line.encode("latin-1") + b"\r\n")
