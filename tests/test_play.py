"""The play package in-process: entries, the table, the human agent and sessions with scripted input."""

import io
import random
import string

import pytest
from pokerkit import HandHistory
from rich.console import Console

from holdem.agents import CallAgent, RandomAgent, SeatView
from holdem.agents.base import Agent
from holdem.engine import Deal, Rules, State
from holdem.eval.match import table_rules
from holdem.play import Command, EntryError, HumanAgent, Quit, Session, Terminal, parse_entry
from holdem.play.table import options, seat_table
from holdem.play.session import hand_rules


def _view(*moves, stacks=(10000, 10000), button=1):
    state = State(Rules(stacks, 50, 100, button=button), Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
    for move in moves:
        move(state)
    return state, SeatView.of(state)


def test_entries_become_the_decisions_they_name():
    state, view = _view()  # seat 0 is the big blind; the button (seat 1) faces 50 more
    assert view.seat == 1
    assert parse_entry("c", view).kind.name == "CHECK_CALL"
    assert parse_entry("FOLD", view).kind.name == "FOLD"
    assert parse_entry("r 300", view).amount == 300
    assert parse_entry("b300", view).amount == 300
    assert parse_entry("raise 1,000", view).amount == 1000
    assert parse_entry("b 1/2", view).amount == 100 + 100        # half of (150 + 50) on top of the 100
    assert parse_entry("b 100%", view).amount == 100 + 200
    assert parse_entry("b 1pot", view).amount == 300
    assert parse_entry("a", view).amount == 10000
    assert parse_entry(" ? ", view) is Command.HELP and parse_entry("Q", view) is Command.QUIT


@pytest.mark.parametrize("text, reason", [
    ("x", "cannot check: facing a bet of 100, calling costs 50"),
    ("k", "cannot check"),
    ("r 150", "raise to 150 is below the minimum raise to 200"),
    ("b 20000", "above the maximum raise to 10000 (all-in)"),
    ("b 1/10", "1/10 of the pot is 120: raise to 120 is below the minimum raise to 200"),
    ("b 0%", "must be positive"),
    ("b 1/0", "cannot divide by zero"),
    ("b", "a bet needs an amount"),
    ("b lots", "is not an amount"),
    ("f 100", "takes no amount"),
    ("", "type an action"),
    ("hello", "'hello' is not an action"),
])
def test_bad_entries_say_why(text, reason):
    _, view = _view()
    with pytest.raises(EntryError) as caught:
        parse_entry(text, view)
    assert reason in str(caught.value)


def test_fold_needs_a_bet_and_all_in_calls_when_it_cannot_raise():
    _, view = _view(lambda s: s.call())  # the big blind may check
    assert "cannot fold: there is no bet to face" in _reason("f", view)
    assert parse_entry("c", view) == parse_entry("x", view)  # c checks when there is nothing to call
    # a short stack facing a shove: all-in is a call
    _, view = _view(lambda s: s.bet_or_raise_to(3000), stacks=(1000, 3000))
    assert view.legal.call_amount == 900 and parse_entry("a", view).kind.name == "CHECK_CALL"


def _reason(text, view):
    with pytest.raises(EntryError) as caught:
        parse_entry(text, view)
    return str(caught.value)


def test_nothing_typed_escapes_as_anything_but_an_entry_error_and_decisions_are_legal():
    rng = random.Random(5)
    words = ["f", "x", "k", "c", "b", "r", "a", "?", "q", "bet", "raise", "1/0", "%", "-", "pot", "1e9", ".", "/"]
    agent = RandomAgent(5)
    for _ in range(300):
        n = rng.randint(2, 6)
        state = State(table_rules(n), Deal.shuffled(n, rng))
        for _ in range(rng.randint(0, 4)):
            if state.is_over:
                break
            agent.act(SeatView.of(state)).apply(state)
        if state.is_over:
            continue
        view = SeatView.of(state)
        for _ in range(20):
            pieces = [rng.choice(words), "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 6))),
                      str(rng.randint(-10, 30000)), f"{rng.randint(0, 9)}/{rng.randint(0, 9)}"]
            text = " ".join(rng.sample(pieces, rng.randint(1, 3)))
            try:
                entry = parse_entry(text, view)
            except EntryError:
                continue
            if isinstance(entry, Command):
                continue
            entry.apply(state.copy())  # the engine accepts every decision an entry produced


def test_table_shows_my_cards_only_and_the_options():
    _, view = _view()
    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(seat_table(view, ["bot", "you"], me=1, title="hand 1"))
    text = out.getvalue()
    assert "Kh Qh" in text and "As Ad" not in text and "?? ??" in text
    assert "pot 150" in text and "BTN/SB" in text and "BB" in text
    assert options(view) == ["f fold", "c call 50", "r 200..10000 (raise to)", "a all-in 10000"]


class Script:
    """Input lines for a terminal; the end of the script is the end of input (or a Ctrl-C)."""

    def __init__(self, lines, end=EOFError):
        self.lines, self.end = list(lines), end

    def __call__(self, prompt):
        if not self.lines:
            raise self.end
        return self.lines.pop(0)


def _terminal(lines, end=EOFError):
    out = io.StringIO()
    return Terminal(Console(file=out, width=100, color_system=None), Script(lines, end)), out


def test_human_agent_reprompts_until_an_entry_is_playable():
    terminal, out = _terminal(["nonsense", "x", "?", "r 10", "r 300"])
    _, view = _view()
    terminal.names, terminal.me = ["bot", "you"], 1
    assert HumanAgent(terminal).act(view).amount == 300
    text = out.getvalue()
    assert "'nonsense' is not an action" in text and "cannot check" in text and "all-in" in text
    assert "below the minimum raise to 200" in text
    terminal, _ = _terminal(["q"])
    terminal.names = ["bot", "you"]
    with pytest.raises(Quit):
        HumanAgent(terminal).act(view)


def _final_stacks(history):
    state = None
    for state in history:
        pass
    return list(state.stacks)


@pytest.mark.parametrize("players, end", [(2, EOFError), (6, KeyboardInterrupt)])
def test_session_writes_every_finished_hand_and_ends_cleanly(tmp_path, players, end):
    rng = random.Random(players)
    lines = [rng.choice(["c", "x", "f", "b 2/3", "b 75%", "a", "r 500", "junk"]) for _ in range(150)]
    terminal, out = _terminal(lines, end)
    phh = tmp_path / "s.phhs"
    rules = table_rules(players)
    session = Session(terminal, rules, RandomAgent(), me=players - 1, seed=3, bot_name="rnd", phh=phh)
    result = session.run()
    text = out.getvalue()
    assert result.hands >= 3 and "session over" in text and "was not finished" in text
    histories = list(HandHistory.loads_all(phh.read_text()))
    assert len(histories) == result.hands
    nets = []
    for number, history in enumerate(histories, 1):
        assert history.hand == number and list(history.starting_stacks) == [10000] * players
        assert _final_stacks(history) == list(history.finishing_stacks)
        you = list(history.players).index("you")
        nets.append(history.finishing_stacks[you] - history.starting_stacks[you])
    assert nets == result.payoffs
    assert f"result: {result.line()}" in " ".join(text.split())


def test_sessions_replay_from_their_seed_and_the_button_moves(tmp_path):
    texts = []
    for name in ("a", "b"):
        terminal, out = _terminal(["c", "x"] * 100)
        Session(terminal, table_rules(3), RandomAgent(), seed=9, phh=tmp_path / f"{name}.phhs").run(hands=4)
        texts.append((tmp_path / f"{name}.phhs").read_text())
    assert texts[0] == texts[1] and texts[0].count("hand = ") == 4
    assert [hand_rules(table_rules(3), h).button for h in (1, 2, 3, 4)] == [2, 0, 1, 2]


class Slow(Agent):
    """A bot that takes its time."""

    name = "slow"

    def act(self, view):
        import time
        time.sleep(0.8)
        return CallAgent().act(view)


def test_slow_bots_say_they_are_thinking():
    terminal, out = _terminal(["f"])
    Session(terminal, table_rules(2), Slow(), me=0).run(hands=1)
    assert "bot is thinking..." in out.getvalue()
    terminal, out = _terminal(["f"])
    Session(terminal, table_rules(2), CallAgent(), me=0).run(hands=1)
    assert "thinking" not in out.getvalue()


def test_without_a_blueprint_play_says_how_to_get_one(tmp_path, monkeypatch, capsys):
    from holdem.cli import play

    monkeypatch.chdir(tmp_path)
    assert play.main(["--hands", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("holdem play: error: no blueprint to play against")
    assert "--config configs/quickstart.yaml --logdir runs/quickstart" in err and len(err.splitlines()) == 1
