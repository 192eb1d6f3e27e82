"""Matches through the local dealer: ``holdem acpc connect`` clients (a tiny blueprint, trained once
on 20-big-blind stacks, against the equity heuristic in the shipped 200-big-blind game), seeded
clients in threads, three players.  The log is the official format, every hand of it replays in
the engine to the logged result, and one seed gives one log.
"""

import re
import subprocess
import sys
import threading

import pytest

from holdem.abstraction.presets import tiny_buckets
from holdem.acpc.client import Client, connect
from holdem.acpc.dealer import Dealer
from holdem.acpc.gamedef import SHIPPED, GameDef
from holdem.acpc.log import read_log
from holdem.agents import CallAgent, RandomAgent
from holdem.cli import acpc
from holdem.training.config import TrainConfig
from holdem.training.trainer import Trainer

RULES = GameDef.load(SHIPPED).rules()
THREE = "GAMEDEF\nnolimit\nnumPlayers = 3\nnumRounds = 4\nstack = 20000 20000 20000\nblind = 50 100 0\n" \
        "firstPlayer = 3 1 1 1\nnumSuits = 4\nnumRanks = 13\nnumHoleCards = 2\nnumBoardCards = 0 3 1 1\nEND GAMEDEF\n"
SETTINGS = {"iterations": 2000, "tensorboard": False, "batch_size": 100, "stack": 2000,
            "sizing": {"preflop": [[1.0]], "flop": [[1.0]], "turn": [[1.0]], "river": [[1.0]]}}


@pytest.fixture(scope="module")
def blueprint(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("run")
    Trainer(TrainConfig.model_validate(SETTINGS), tiny_buckets(2), logdir).run()
    return str(logdir)


def _acpc(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "holdem.cli.acpc", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def play(directory, hands, seed, policies, match="match"):
    """Run the dealer and one ``connect`` client per policy; the log text, the dealer's output and
    the clients' outputs."""
    dealer = _acpc("dealer", match, SHIPPED, str(hands), str(seed), "first", "second", "--log-dir", str(directory))
    ports = dealer.stdout.readline().split()
    assert len(ports) == 2 and all(p.isdigit() for p in ports)
    clients = [_acpc("connect", "127.0.0.1", port, "--policy", policy, "--seed", str(i))
               for i, (port, policy) in enumerate(zip(ports, policies))]
    outputs = [client.communicate(timeout=600) for client in clients]
    out, err = dealer.communicate(timeout=600)
    assert dealer.returncode == 0, err
    assert all(client.returncode == 0 for client in clients), outputs
    return (directory / f"{match}.log").read_text(), out, outputs


def check_log(text, hands):
    """Every hand replays in the engine to its logged values; SCORE sums them per player."""
    lines = text.splitlines()
    assert lines[0].startswith("# name/game/hands/seed ") and lines[-1].startswith("SCORE:")
    logged = read_log(text, RULES)
    assert [hand.number for hand in logged] == list(range(hands))
    totals = {"first": 0, "second": 0}
    for hand in logged:
        assert list(hand.values) == hand.state.payoffs
        assert hand.names == (("first", "second") if hand.number % 2 == 0 else ("second", "first"))
        for name, value in zip(hand.names, hand.values):
            totals[name] += value
    assert lines[-1] == f"SCORE:{totals['first']}|{totals['second']}:first|second"
    return totals


def _client_result(output):
    """Hands and chips a client reports: ``N hands, +X chips, ...``."""
    hands, chips = re.match(r"(\d+) hands, ([-+]\d+) chips", output[0]).groups()
    return int(hands), int(chips)


def _match_checks(tmp_path, blueprint, hands, repeat):
    first, out, outputs = play(tmp_path / "a", hands, 11, [blueprint, "heuristic"])
    totals = check_log(first, hands)
    assert out.splitlines()[0] == f"SCORE:{totals['first']}|{totals['second']}:first|second"
    assert [_client_result(o) for o in outputs] == [(hands, totals["first"]), (hands, totals["second"])]
    assert "0 lines rejected" in outputs[0][0] and "0 lines rejected" in outputs[1][0]
    if repeat:
        again, _, _ = play(tmp_path / "b", hands, 11, [blueprint, "heuristic"])
        assert again == first


def test_blueprint_against_heuristic_through_the_dealer(tmp_path, blueprint):
    _match_checks(tmp_path, blueprint, 100, repeat=False)


@pytest.mark.slow
def test_two_thousand_hands_through_the_dealer_twice(tmp_path, blueprint):
    _match_checks(tmp_path, blueprint, 2000, repeat=True)


def _threaded_match(directory, seed, hands=200):
    """The log of a match between two seeded random agents, the clients in threads."""
    dealer = Dealer(GameDef.load(SHIPPED), "m", hands, seed, ["first", "second"], warn=lambda m: None)
    ports = dealer.listen()
    clients = [Client(RandomAgent(p), GameDef.load(SHIPPED)) for p in (1, 2)]
    threads = [threading.Thread(target=c.play, args=(connect("127.0.0.1", port),)) for c, port in zip(clients, ports)]
    for thread in threads:
        thread.start()
    dealer.run()
    for thread in threads:
        thread.join(30)
    dealer.write_log(directory / "m.log")
    return (directory / "m.log").read_text()


def test_one_seed_one_log(tmp_path):
    first = _threaded_match(tmp_path, 5)
    check_log(first, 200)
    assert _threaded_match(tmp_path, 5) == first
    assert _threaded_match(tmp_path, 6) != first


def test_bad_command_lines_are_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cases = [
        (["dealer", "m", str(tmp_path / "none.game"), "10", "1", "a", "b"], "cannot read game definition"),
        (["dealer", "m", SHIPPED, "10", "1", "a"], "seats 2 players, got 1 names"),
        (["dealer", "m", SHIPPED, "0", "1", "a", "b"], "argument HANDS: must be >= 1, got 0"),
        (["dealer", "m", SHIPPED, "10", "1", "a|x", "b"], "player name 'a|x'"),
        (["dealer", "m", SHIPPED, "10", "1", "a", "b", "--ports", "1,x"], "not a comma-separated list of ports"),
        (["connect", "127.0.0.1", "1", "--policy", "call"], "cannot connect to 127.0.0.1:1"),
        (["connect", "127.0.0.1", "0", "--policy", "call"], "argument port: must be 1..65535, got 0"),
        (["connect", "127.0.0.1", "9", "--policy", str(tmp_path / "run")], "no such blueprint file or run directory"),
        (["connect", "127.0.0.1", "9"], "runs/quickstart (train one with: python -m holdem.cli.train_blueprint"),
        (["connect", "127.0.0.1", "9", "--game", "nope.game"], "cannot read game definition nope.game"),
        (["bogus"], "invalid choice: 'bogus'"),
    ]
    for args, message in cases:
        try:
            code = acpc.main(args)
        except SystemExit as exit:
            code = exit.code
        err = capsys.readouterr().err
        assert code == 2, (args, err)
        assert err.startswith("holdem acpc") and ": error: " in err and message in err, (args, err)
        assert len(err.strip().splitlines()) == 1, err


def test_three_players_rotate_and_replay(tmp_path):
    game = GameDef.parse(THREE, "three.game")
    rules = game.rules()
    dealer = Dealer(game, "three", 60, 9, ["a", "b", "c"], warn=lambda m: None)
    ports = dealer.listen()
    clients = [Client(agent, game) for agent in (RandomAgent(1), CallAgent(), RandomAgent(2))]
    threads = [threading.Thread(target=c.play, args=(connect("127.0.0.1", port),)) for c, port in zip(clients, ports)]
    for thread in threads:
        thread.start()
    result = dealer.run()
    for thread in threads:
        thread.join(30)
    assert result.stopped is None and result.hands == 60
    dealer.write_log(tmp_path / "three.log")
    logged = read_log((tmp_path / "three.log").read_text(), rules)
    for hand in logged:
        assert list(hand.values) == hand.state.payoffs
        assert hand.names == tuple("abc"[(seat + hand.number) % 3] for seat in range(3))  # the official rotation
    assert [sum(c.results.values()) for c in clients] == result.totals and sum(result.totals) == 0
