"""A session at the table: a person and bots play hands until the person leaves or the hands run out.

Every hand starts from the same stacks (the session's ``rules``); the button moves one seat
clockwise each hand.  Bots act through the agents protocol and say they are thinking when a
decision takes longer than half a second.  After each hand the table shows the showdown, who
won what and the person's result so far: big blinds won and mbb/hand with a 95% interval over
the hands (:func:`holdem.eval.stats.mbb_estimate`).  Every finished hand is written at once to
the session's PHH file (rewritten atomically, so Ctrl-C leaves a whole file); ``q``, end of
input or Ctrl-C end the session with its summary, an unfinished hand not counted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.markup import escape
from rich.text import Text

from holdem.agents.base import Agent
from holdem.agents.view import SeatView
from holdem.engine import Deal, Rules, State
from holdem.eval.parallel import derive_seed
from holdem.eval.phh import hand_history, join_histories
from holdem.eval.stats import Estimate, mbb_estimate
from holdem.files import atomic_write
from holdem.play.human import HumanAgent, Quit, Terminal
from holdem.play.table import YOU, action_text, cards_text, positions, result_lines, street_line


@dataclass
class SessionResult:
    """The person's net chips per finished hand (``payoffs``) at big blind ``big_blind``."""

    big_blind: int
    payoffs: list[int] = field(default_factory=list)

    @property
    def hands(self) -> int:
        return len(self.payoffs)

    @property
    def big_blinds(self) -> float:
        """Net big blinds won over the session."""
        return sum(self.payoffs) / self.big_blind

    def estimate(self) -> Estimate:
        """mbb/hand with its 95% interval (infinite below two hands)."""
        return mbb_estimate(self.payoffs, self.big_blind)

    def line(self) -> str:
        """``12 hands, you +3.5 bb, +291 mbb/hand (95% interval [-512, +1094])``."""
        if not self.payoffs:
            return "no hand finished"
        est = self.estimate()
        low, high = est.ci95
        interval = f"95% interval [{low:+.0f}, {high:+.0f}]" if self.hands > 1 else "95% interval after 2 hands"
        return (f"{self.hands} hand{'s' if self.hands > 1 else ''}, {YOU} {self.big_blinds:+.1f} bb, "
                f"{est.mbb_per_hand:+.0f} mbb/hand ({interval})")


def seat_names(players: int, me: int, bot_name: str) -> list[str]:
    """The name of each seat: ``you`` in seat ``me``, ``bot_name`` in the other seat heads-up, else
    ``bot_name 1``, ``bot_name 2``, ... in seat order."""
    others = [s for s in range(players) if s != me]
    return [YOU if s == me else bot_name if players == 2 else f"{bot_name} {others.index(s) + 1}"
            for s in range(players)]


def hand_rules(rules: Rules, hand: int) -> Rules:
    """The rules of hand ``hand`` (1, 2, ...) of a session that starts at ``rules``: the button moves
    one seat clockwise per hand."""
    return replace(rules, button=(rules.button + hand - 1) % rules.num_players)


class Session:
    """The person in seat ``me`` of ``rules`` (its button is where the first hand's is) against
    ``bot`` in every other seat (one agent for all of them: agents decide from the view alone),
    shown as ``bot_name`` (numbered when there are several); hands are dealt from ``seed`` and
    written to ``phh`` as they finish."""

    def __init__(self, terminal: Terminal, rules: Rules, bot: Agent, *, me: int = 0, seed: int = 0,
                 bot_name: str = "bot", phh: Path | None = None) -> None:
        n = rules.num_players
        if not 0 <= me < n:
            raise ValueError(f"seat {me} is not a seat of a {n}-player table")
        self.terminal, self.rules, self.bot, self.me, self.phh = terminal, rules, bot, me, phh
        self.names = seat_names(n, me, bot_name)
        self.human = HumanAgent(terminal)
        self.deals = random.Random(derive_seed(seed, 0))
        bot.reseed(derive_seed(seed, 1))
        self.documents: list[str] = []
        self.written = 0
        self.result = SessionResult(rules.big_blind)
        terminal.names, terminal.me = self.names, me

    def play_hand(self, number: int) -> State:
        """Deal and play hand ``number`` to the end, telling the person what happens."""
        rules = hand_rules(self.rules, number)
        state = State(rules, Deal.shuffled(rules.num_players, self.deals))
        say, names = self.terminal.say, self.names
        seats = positions(rules)
        say("", Text(f"── hand {number} ── you are seat {self.me} ({seats.get(self.me, 'no blind')}), "
                     f"button {names[rules.button]} (seat {rules.button})", style="bold"))
        self.terminal.title = f"hand {number}"
        line = Text("your cards: ")
        say(line.append_text(cards_text(state.deal.hole_cards[self.me])))
        street = state.street
        while not state.is_over:
            view = SeatView.of(state)
            if view.seat == self.me:
                decision = self.human.act(view)
            else:
                with self.terminal.thinking(names[view.seat]):
                    decision = self.bot.act(view)
            action = decision.apply(state)
            say(escape(action_text(action, names)))
            if not state.is_over and state.street != street:
                street = state.street
                say(street_line(street, state.board, state.total_pot))
        say(*result_lines(state, names))
        return state

    def _write(self) -> None:
        """Rewrite the PHH file with every finished hand, unless it already holds them all."""
        if self.phh is not None and self.written < len(self.documents):
            count, text = len(self.documents), join_histories(self.documents) + "\n"
            atomic_write(self.phh, lambda f: f.write(text.encode()))
            self.written = count

    def run(self, hands: int | None = None) -> SessionResult:
        """Play ``hands`` hands (None: until the person quits); returns the person's results."""
        say = self.terminal.say
        if self.phh is not None:
            say(f"hands are written to {escape(str(self.phh))}")
        try:
            while hands is None or self.result.hands < hands:
                number = self.result.hands + 1
                state = self.play_hand(number)
                self.documents.append(hand_history(state, hand=number, players=self.names))
                self.result.payoffs.append(state.payoffs[self.me])
                self._write()
                say(Text("session: " + self.result.line(), style="bold"))
        except (Quit, EOFError, KeyboardInterrupt) as stop:
            why = {Quit: "you quit", EOFError: "end of input"}.get(type(stop), "interrupted")
            say("", f"[bold]session over[/bold] ({why}); hand {self.result.hands + 1} was not finished "
                    "and does not count")
            self._write()  # in case the interruption came while the last hand was being written
        say(Text("result: " + self.result.line(), style="bold"))
        if self.phh is not None and self.documents:
            count = len(self.documents)
            say(f"{count} hand{'s' if count > 1 else ''} in {escape(str(self.phh))}")
        return self.result

