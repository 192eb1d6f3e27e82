"""Play: a person against bots at a terminal table, on the agents protocol.

:class:`Session` deals hands between a person (:class:`HumanAgent`, reading a :class:`Terminal`)
and bots, draws the table with rich, keeps the score in mbb/hand with a 95% interval and writes
the hands to a PHH file as they finish; :func:`parse_entry` turns what the person types into a
decision the engine accepts.  ``holdem play`` is the command.
"""

from holdem.play.entry import HELP, Command, EntryError, parse_entry
from holdem.play.human import HumanAgent, Quit, Terminal
from holdem.play.session import Session, SessionResult

__all__ = ["HELP", "Command", "EntryError", "HumanAgent", "Quit", "Session", "SessionResult", "Terminal",
           "parse_entry"]
