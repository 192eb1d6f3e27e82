"""Bad input on the wire: 10,000 random and mutated MATCHSTATE lines to the client, random bytes
and illegal actions to the dealer.  Nothing escapes as an exception, every refusal names its line,
and the dealer finishes its match with a log that replays in the engine."""

import random
import socket
import threading

import pytest

from holdem.acpc.client import Client, connect
from holdem.acpc.dealer import Dealer
from holdem.acpc.gamedef import SHIPPED, GameDef
from holdem.acpc.log import read_log
from holdem.acpc.matchstate import (
    MAX_LINE, Follower, MatchState, ProtocolError, WireHand, fixed_action, wire_action,
)
from holdem.acpc.wire import AcpcError, LineReader
from holdem.agents import CallAgent, RandomAgent, SeatView
from holdem.engine import Deal

GAME = GameDef.load(SHIPPED)
RULES = GAME.rules()
ALPHABET = "0123456789fcr/|:MATCHSTE23456789TJQKAcdhsx- \t\r"


def _valid_lines(rng, count):
    """MATCHSTATE lines of random hands, as both seats receive them, in order."""
    lines, agents, hand = [], [RandomAgent(1), RandomAgent(2)], 0
    while len(lines) < count:
        wire = WireHand(RULES, Deal.shuffled(2, rng), hand)
        lines += [wire.line(0), wire.line(1)]
        while not wire.state.is_over:
            view = SeatView.of(wire.state)
            wire.play(wire_action(view, agents[view.seat].act(view)))
            lines += [wire.line(0), wire.line(1)]
        hand += 1
    return lines[:count]


def _mutate(line, rng):
    """``line`` with one random edit: a character deleted, inserted or replaced, a field dropped or
    doubled, a number changed, or the line cut."""
    i = rng.randrange(len(line) + 1)
    kind = rng.randrange(7)
    if kind == 0 and line:
        return line[:i] + line[i + 1:]
    if kind == 1:
        return line[:i] + rng.choice(ALPHABET) + line[i:]
    if kind == 2 and i < len(line):
        return line[:i] + rng.choice(ALPHABET) + line[i + 1:]
    fields = line.split(":")
    if kind == 3:
        j = rng.randrange(len(fields))
        return ":".join(fields[:j] + fields[j + 1:] if rng.random() < 0.5 else fields[:j] + [fields[j]] + fields[j:])
    if kind == 4:
        return line.replace("r", f"r{rng.randrange(10 ** rng.randrange(1, 12))}", 1) if "r" in line[11:] else line + "r1"
    if kind == 5:
        return line[:i]
    return line.replace("c", "f", 1) if rng.random() < 0.5 else line + rng.choice(["c", "f", "/", "|", "r200"])


def _garbage(rng):
    """Random bytes without a newline, now and then longer than a line may be."""
    size = rng.choice([0, 1, 5, 40, 200, MAX_LINE + 100])
    return bytes(b for b in rng.randbytes(size) if b != 10)


def _run(target, errors):
    def body():
        try:
            target()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            errors.append(e)
    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread


def _names_line(message, lines, start):
    """Index of the first of ``lines`` from ``start`` that ``message`` quotes, or None."""
    for k in range(start, len(lines)):
        if repr(lines[k][:120]) in message:
            return k
    return None


def test_client_survives_10000_random_and_mutated_lines():
    rng = random.Random(12)
    valid = _valid_lines(rng, 4000)
    sent: list[str] = []
    for k in range(10_000):
        roll = rng.random()
        if roll < 0.4:
            sent.append(valid[k % len(valid)])
        elif roll < 0.85:
            sent.append(_mutate(valid[rng.randrange(len(valid))], rng))
        else:
            sent.append(_garbage(rng).decode("latin-1").replace("\r", ""))
    listener = socket.create_server(("127.0.0.1", 0))
    warnings: list[str] = []
    errors: list[BaseException] = []
    client = Client(RandomAgent(7), GAME, warn=warnings.append)
    player = _run(lambda: client.play(connect("127.0.0.1", listener.getsockname()[1])), errors)
    sock, _ = listener.accept()
    reader = LineReader(sock, timeout=60)
    assert reader.readline() == "VERSION:2.0.0"
    replies: list[str] = []

    def read_replies():
        while (line := reader.readline()) is not None:
            replies.append(line)
    replying = _run(read_replies, errors)
    for k in range(0, len(sent), 100):
        sock.sendall(b"".join(line.encode("latin-1") + b"\r\n" for line in sent[k:k + 100]))
    sock.shutdown(socket.SHUT_WR)
    player.join(120)
    replying.join(30)
    sock.close()
    listener.close()
    assert not player.is_alive() and not errors, errors
    # every line the engine refuses (replayed from scratch) was refused, and each refusal names it
    refused, answered = [], []
    for line in sent:
        if not line or line[0] in "#;":
            continue
        try:
            if len(line) > MAX_LINE:
                raise ProtocolError("too long")
            seen = MatchState.parse(line, 2)
            state = seen.state(RULES)
        except ProtocolError:
            refused.append(line)
            continue
        if not state.is_over and state.actor == seen.position:
            answered.append((line, state))
    assert client.rejected == len(refused) == len(warnings) and len(refused) > 3000
    start = 0
    for message in warnings:
        k = _names_line(message, refused, start)
        assert k is not None, message
        start = k + 1
    assert len(replies) == len(answered) > 1000
    for reply, (line, state) in zip(replies, answered):
        assert reply.startswith(line + ":")
        assert fixed_action(state, reply[len(line) + 1:])[1] is None  # legal as it is


def _fuzzer(port, rng, junk, stop_after=None):
    """A player that answers every state with random junk first (random bytes, lines that do not
    answer, illegal actions), then usually an action (legal or not), sometimes nothing."""
    sock = connect("127.0.0.1", port)
    sock.sendall(b"VERSION:2.0.0\r\n")
    reader, follower = LineReader(sock), Follower(RULES)
    while (line := reader.readline()) is not None:
        position, hand, state = follower.read(line)
        if stop_after is not None and hand == stop_after:
            sock.close()
            return
        if state.is_over or state.actor != position:
            continue
        burst = []
        for _ in range(rng.randrange(4)):
            roll = rng.random()
            if roll < 0.3:
                burst.append(_garbage(rng))
            elif roll < 0.6:
                burst.append(_mutate(line, rng).encode())
            else:
                burst.append(f"{line}:{rng.choice(['x', 'r', 'rr1', 'c c', '', 'k', 'b100', 'r-5'])}".encode())
        if rng.random() < 0.95:
            burst.append(f"{line}:{rng.choice(['f', 'c', 'r1', f'r{rng.randrange(30000)}', 'r99999999'])}".encode())
        junk += [b.decode("latin-1") for b in burst]
        sock.sendall(b"".join(b + b"\r\n" for b in burst))
    sock.close()


def test_dealer_survives_random_bytes_and_illegal_actions(tmp_path):
    warnings: list[str] = []
    errors: list[BaseException] = []
    junk: list[str] = []
    dealer = Dealer(GAME, "fuzz", 300, 5, ["honest", "fuzzer"], response_timeout=0.05, warn=warnings.append)
    ports = dealer.listen()
    honest = Client(CallAgent(), GAME)
    threads = [_run(lambda: honest.play(connect("127.0.0.1", ports[0])), errors),
               _run(lambda: _fuzzer(ports[1], random.Random(3), junk), errors)]
    result = dealer.run()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert result.stopped is None and result.hands == 300 and len(junk) > 500
    dealer.write_log(tmp_path / "fuzz.log")
    for hand in read_log((tmp_path / "fuzz.log").read_text(), RULES):
        assert list(hand.values) == hand.state.payoffs
    assert sum(honest.results.values()) == result.totals[0]
    timeouts = [w for w in warnings if "no answer within" in w]
    assert timeouts and all("MATCHSTATE:" in w for w in timeouts)
    start = 0
    for message in (w for w in warnings if w not in timeouts):
        k = _names_line(message, junk, start)
        assert k is not None, message
        start = k + 1


def test_dealer_ends_cleanly_when_a_player_leaves(tmp_path):
    errors: list[BaseException] = []
    dealer = Dealer(GAME, "gone", 100, 5, ["honest", "leaver"], response_timeout=0.5, warn=lambda m: None)
    ports = dealer.listen()
    honest = Client(CallAgent(), GAME)
    threads = [_run(lambda: honest.play(connect("127.0.0.1", ports[0])), errors),
               _run(lambda: _fuzzer(ports[1], random.Random(4), [], stop_after=20), errors)]
    result = dealer.run()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert result.hands == 20 and result.stopped.startswith("leaver closed the connection in hand 20")
    dealer.write_log(tmp_path / "gone.log")
    text = (tmp_path / "gone.log").read_text()
    assert len(read_log(text, RULES)) == 20 and text.splitlines()[-1] == result.score_line


@pytest.mark.parametrize("greeting", [b"VERSION:2.0\r\n", b"\xff\xfe hello\r\n", b""])
def test_dealer_refuses_a_bad_handshake_naming_it(greeting):
    dealer = Dealer(GAME, "hello", 5, 1, ["a", "b"], response_timeout=2, start_timeout=10, warn=lambda m: None)
    ports = dealer.listen()
    sock = socket.create_connection(("127.0.0.1", ports[0]))
    sock.sendall(greeting)
    if not greeting:
        sock.shutdown(socket.SHUT_WR)
    with pytest.raises(AcpcError) as error:
        dealer.run()
    sock.close()
    expected = "nothing" if not greeting else repr(greeting.decode("latin-1").removesuffix("\r\n"))
    assert str(error.value) == f"a sent {expected} instead of VERSION:2.0.0"


def test_a_line_too_long_is_forgotten_whichever_receive_it_arrives_in():
    """A line over the limit that arrives in two receives is refused by the reader before the
    follower sees it; the next line of the hand is still read from scratch, as when the long line
    arrives whole (it showed other cards: played on from the line before, it would be refused)."""
    mine, theirs = socket.socketpair()
    client = Client(CallAgent(), GAME, warn=lambda _: None)
    player = threading.Thread(target=client.play, args=(mine,))
    player.start()
    theirs.sendall(b"MATCHSTATE:0:0::AsKs|\r\n" + b"MATCHSTATE:0:0:" + b"c" * (MAX_LINE + 100))
    threading.Event().wait(0.2)  # the long line's end in a receive of its own
    theirs.sendall(b"c\r\nMATCHSTATE:0:0:c:QsQh|\r\n")
    theirs.shutdown(socket.SHUT_WR)
    player.join(30)
    theirs.close()
    mine.close()
    assert not player.is_alive() and client.rejected == 1
