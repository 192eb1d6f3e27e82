"""Lines over a TCP socket, as the protocol sends them: ASCII, ending in ``\\r\\n`` (a bare ``\\n`` is
accepted), at most :data:`~holdem.acpc.matchstate.MAX_LINE` characters."""

from __future__ import annotations

import gc
import socket
import struct
from collections.abc import Iterator
from contextlib import contextmanager

from holdem.acpc.matchstate import MAX_LINE, quote

VERSION = "VERSION:2.0.0"


class AcpcError(Exception):
    """A match that cannot go on (a refused connection, a player gone, a bad handshake)."""


class LineTooLong(ValueError):
    """A line over the length limit (the rest of it, up to its newline, is skipped)."""


class LineReader:
    """Reads the lines of ``sock`` one at a time; with ``timeout`` (seconds), a wait for data longer
    than that raises ``TimeoutError``.  The socket stays blocking (the kernel bounds each wait), so
    reading and writing cost no extra system calls."""

    def __init__(self, sock: socket.socket, max_line: int = MAX_LINE, timeout: float | None = None) -> None:
        self.sock = sock
        self.max_line = max_line
        self.timeout = timeout
        self._buffer = bytearray()
        self._skipping = False
        sock.settimeout(None)
        if timeout is not None:
            seconds = int(timeout)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                            struct.pack("ll", seconds, max(int((timeout - seconds) * 1e6), 1 if not seconds else 0)))

    def readline(self) -> str | None:
        """The next line without its line end (bytes as latin-1 characters), or None once the peer
        closed the connection.  ``TimeoutError`` after waiting ``timeout`` seconds for data;
        :class:`LineTooLong` for a line over the limit; ``OSError`` when the connection breaks."""
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
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:  # the receive timeout passed (EAGAIN)
                raise TimeoutError(f"no data within {self.timeout:g} s") from None
            if not chunk:
                return None
            self._buffer += chunk


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Run the block with the objects alive at its start (modules, the agent and its blueprint) moved
    out of the garbage collector's reach (``gc.freeze``), back in at its end: a match makes many
    short-lived objects, whose collections would otherwise walk everything loaded again and again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def send_line(sock: socket.socket, line: str) -> None:
    """Send ``line`` with the protocol's line end."""
    sock.sendall(line.encode("latin-1") + b"\r\n")
