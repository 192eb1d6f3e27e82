"""A person at the table: the terminal they read and type on, and the agent that asks them.

:class:`Terminal` owns the rich console and the input line; :class:`HumanAgent` is one more agent
on the agents protocol (``act(view) -> Decision``): it draws the table, reads entries until one
is playable (:func:`~holdem.play.entry.parse_entry`; a refused entry is answered with the reason)
and raises :class:`Quit` when the person quits.  End of input (Ctrl-D) and Ctrl-C propagate as
``EOFError`` and ``KeyboardInterrupt`` for the session to end on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape

from holdem.agents.base import Agent
from holdem.agents.view import Decision, SeatView
from holdem.play.entry import HELP, Command, EntryError, parse_entry
from holdem.play.table import YOU, options, seat_table

#: seconds a bot may think before the table says so
THINKING_AFTER = 0.5
PROMPT = "your action> "


class Quit(Exception):
    """The person asked to leave the table."""


class Terminal:
    """The console a person plays on: ``read`` is the input function (``input`` by default),
    ``names`` the players per seat and ``me`` the person's seat (set by the session)."""

    def __init__(self, console: Console | None = None, read: Callable[[str], str] = input) -> None:
        self.console = console or Console(highlight=False)
        self.read_line = read
        self.names: Sequence[str] = ()
        self.me = 0
        self.title = ""

    def say(self, *lines: object, style: str | None = None) -> None:
        """Print ``lines`` (strings are rich markup; ``Text`` and tables print as they are)."""
        for line in lines:
            self.console.print(line, style=style)

    def read(self) -> str:
        """One line typed by the person (``EOFError`` at the end of input)."""
        self.console.file.flush()
        return self.read_line(PROMPT)

    def show_turn(self, view: SeatView) -> None:
        """The table and the options of the person, whose turn it is."""
        self.say("", seat_table(view, self.names, self.me, self.title))
        self.say("[bold]you:[/bold] " + "  ".join(escape(o) for o in options(view)) + "  ? help  q quit")

    @contextmanager
    def thinking(self, name: str, after: float = THINKING_AFTER) -> Iterator[None]:
        """Say ``<name> is thinking...`` if the block runs longer than ``after`` seconds."""
        timer = threading.Timer(after, self.say, (f"[dim]{escape(name)} is thinking...[/dim]",))
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


class HumanAgent(Agent):
    """Asks the person at ``terminal`` for every decision (see the module docstring)."""

    name = YOU

    def __init__(self, terminal: Terminal, seed: int = 0) -> None:
        super().__init__(seed)
        self.terminal = terminal

    def act(self, view: SeatView) -> Decision:
        self.terminal.show_turn(view)
        while True:
            text = self.terminal.read()
            try:
                entry = parse_entry(text, view)
            except EntryError as error:
                self.terminal.say(f"[red]{escape(str(error))}[/red]")
                continue
            if entry is Command.QUIT:
                raise Quit
            if entry is Command.HELP:
                self.terminal.say(escape(HELP), "options now: " + escape("   ".join(options(view))))
                continue
            return entry
