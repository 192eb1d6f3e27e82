"""``holdem play`` driven through a pseudo-terminal, as a person types: folding, checking, calling,
betting pot fractions, going all-in, typing nonsense, asking for help, quitting, Ctrl-C and
end of input; the session's PHH file read back by pokerkit with the same stacks."""

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from pokerkit import HandHistory

import holdem

PROMPT = "your action> "
WAIT = 60  # seconds: the first start compiles kernels on a busy machine


def command_env() -> dict[str, str]:
    """The environment for a command run in another directory: the holdem these tests import first
    on the path, and a terminal without colours."""
    source = str(Path(holdem.__file__).resolve().parents[1])
    return {**os.environ, "TERM": "dumb", "NO_COLOR": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))}


def _spawn(tmp_path, *args):
    return pexpect.spawn(sys.executable, ["-m", "holdem.cli.play", "--phh", str(tmp_path / "s.phhs"), *args],
                         cwd=str(tmp_path), env=command_env(), encoding="utf-8", timeout=WAIT, dimensions=(50, 120))


def _play(child, entry, *expected):
    """Wait for the prompt, type ``entry``, and wait for each of ``expected`` in turn."""
    child.expect_exact(PROMPT)
    child.sendline(entry)
    for text in expected:
        child.expect_exact(text)


def _final_stacks(history):
    state = None
    for state in history:
        pass
    return list(state.stacks)


def _read_back(path, players):
    histories = list(HandHistory.loads_all(path.read_text()))
    nets = []
    for history in histories:
        assert list(history.starting_stacks) == [10000] * players
        assert _final_stacks(history) == list(history.finishing_stacks)
        you = list(history.players).index("you")
        nets.append(history.finishing_stacks[you] - history.starting_stacks[you])
    return nets


def test_a_person_plays_heads_up_and_quits(tmp_path):
    child = _spawn(tmp_path, "--opponent", "call", "--seed", "7")
    child.expect_exact("you against call: 2-handed, stacks 100 bb (blinds 50/100), seed 7")
    # hand 1: you are the big blind, the button limps
    child.expect_exact("hand 1")
    child.expect_exact("call calls 50")
    _play(child, "hello", "'hello' is not an action")
    _play(child, "f", "cannot fold: there is no bet to face, check instead")
    _play(child, "b 2/3", "you raise to 233", "call calls 133", "Flop: ")       # 2/3 of a 200 pot
    _play(child, "?", "bet or raise 2/3 of the pot")
    _play(child, "b 75%", "you bet 350", "call calls 350", "Turn: ")            # 3/4 of 466
    _play(child, "a", "you bet 9417 (all-in)", "call calls 9417 (all-in)", "Board: ", "session: 1 hand,")
    # hand 2: you are the button and fold
    child.expect_exact("hand 2")
    _play(child, "f", "you fold", "call wins 100", "session: 2 hands,")
    # hand 3: check it down
    child.expect_exact("hand 3")
    for street in ("Flop: ", "Turn: ", "River: ", "Board: "):
        _play(child, "x", "you check", street)
    child.expect_exact("session: 3 hands,")
    # hand 4: call the big blind, then leave
    _play(child, "c", "you call 50")
    _play(child, "q", "session over (you quit); hand 4 was not finished and does not count")
    child.expect(r"result: 3 hands, you ([+-]\d+\.\d) bb, ([+-]\d+) mbb/hand \(95% interval \[([+-]\d+), "
                 r"([+-]\d+)\]\)")
    won_bb, mbb = float(child.match.group(1)), int(child.match.group(2))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    nets = _read_back(tmp_path / "s.phhs", 2)
    assert len(nets) == 3 and nets[1] == -50
    assert abs(nets[0]) == 10000  # the all-in was called: one of us doubled up (or a split pot)
    assert won_bb == pytest.approx(sum(nets) / 100, abs=0.05) and mbb == round(sum(nets) / 3 * 10)


def test_six_handed_ctrl_c_keeps_the_finished_hands(tmp_path):
    child = _spawn(tmp_path, "--players", "6", "--opponent", "call", "--seed", "3", "--seat", "2")
    child.expect_exact("you against 5 copies of call: 6-handed")
    child.expect_exact("hand 1")
    _play(child, "r 300", "you raise to 300")
    _play(child, "a", "(all-in)", "session: 1 hand,")
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect_exact("session over (interrupted); hand 2 was not finished")
    child.expect_exact("result: 1 hand, you")
    child.expect(pexpect.EOF)
    nets = _read_back(tmp_path / "s.phhs", 6)
    assert len(nets) == 1


def test_end_of_input_ends_the_session_and_bad_flags_are_one_line(tmp_path):
    child = _spawn(tmp_path, "--opponent", "call", "--seed", "1", "--hands", "5")
    child.expect_exact(PROMPT)
    child.sendeof()
    child.expect_exact("session over (end of input)")
    child.expect_exact("result: no hand finished")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not (tmp_path / "s.phhs").exists()
    child = _spawn(tmp_path, "--policy", str(tmp_path / "missing"))
    child.expect(pexpect.EOF)
    child.close()
    text = re.sub(r"\s+", " ", child.before)
    assert child.exitstatus == 2 and "holdem play: error: no such blueprint file or run directory" in text
