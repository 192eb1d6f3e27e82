"""The web app's API through an in-process client: every kind of hand, bad and stale requests,
expiry, the strategy nodes (the same as ``holdem export``) and the runs."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient
from pokerkit import HandHistory

from holdem.cli import export
from holdem.web.app import ServerConfig, create_app
from holdem.web.games import GameStore


def _client(**config) -> TestClient:
    return TestClient(create_app(ServerConfig(seed=0, **config)))


@pytest.fixture(scope="module")
def client():
    return _client()


@pytest.fixture(scope="module")
def policy_client(small_run):
    return _client(policy=small_run, runs=(small_run,))


def _new(client, **body):
    response = client.post("/api/games", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _post(client, state, path, **body):
    response = client.post(f"/api/games/{state['id']}/{path}", json={"version": state["version"], **body})
    assert response.status_code == 200, response.text
    return response.json()


def _bots(client, state):
    """Let the bots act until it is the person's turn or the hand is over."""
    while state["bot_to_act"]:
        assert state["thinking"] == state["seats"][state["to_act"]]["name"]
        state = _post(client, state, "bot")
    return state


def _act(client, state, action, amount=None):
    body = {"action": action} if amount is None else {"action": action, "amount": amount}
    return _bots(client, _post(client, state, "action", **body))


def _check_down(client, state):
    """Check or call until the hand ends."""
    state = _bots(client, state)
    while not state["hand_over"]:
        state = _act(client, state, "check" if state["legal"]["check"] else "call")
    return state


def _phh(client, state):
    text = client.get(f"/api/games/{state['id']}/phh").text
    return [HandHistory.loads(doc.split("\n", 1)[1]) for doc in text.strip().split("\n\n")]


def _final_stacks(history):
    for final in history:
        pass
    return list(final.stacks)


def test_fold_preflop(client):
    state = _new(client, opponent="call", seat=1, seed=1)
    assert state["your_turn"] and state["seats"][1]["position"] == "BTN/SB" and state["seats"][1]["cards"]
    assert state["seats"][0]["cards"] is None and state["legal"]["fold"] and state["legal"]["call"] == 50
    state = _act(client, state, "fold")
    assert state["hand_over"] and state["result"]["you"] == -50 and state["result"]["net"] == [50, -50]
    assert state["seats"][0]["cards"] is None  # no showdown: the bot's cards stay hidden
    assert state["score"]["hands"] == 1 and state["score"]["big_blinds"] == -0.5 and state["score"]["ci95"] is None
    assert state["log"][-1]["text"] == "you fold" and state["legal"] is None
    (history,) = _phh(client, state)
    assert _final_stacks(history) == [10050, 9950]


def test_all_in_and_showdown(client):
    state = _new(client, opponent="call", seat=1, seed=2)
    assert state["legal"]["raise"]["max"] == 10000
    state = _act(client, state, "allin")
    assert state["hand_over"] and len(state["board"]) == 5
    assert all(seat["cards"] for seat in state["seats"])  # both hands shown down
    assert any("show" in line for line in state["result"]["lines"])
    assert sum(state["result"]["net"]) == 0 and abs(state["result"]["you"]) in (0, 10000)
    assert sum(seat["stack"] for seat in state["seats"]) == 20000
    assert [e["text"] for e in state["log"]] == ["you raise to 10000 (all-in)", "call calls 9900 (all-in)"]
    (history,) = _phh(client, state)
    assert _final_stacks(history) == [s["stack"] for s in state["seats"]]


def test_split_pot_and_a_running_score(client):
    state = _new(client, opponent="call", seed=3)
    nets = []
    for _ in range(200):
        state = _check_down(client, state)
        nets.append(state["result"]["you"])
        if state["result"]["net"] == [0, 0]:
            break
        state = _post(client, state, "next")
    assert state["result"]["net"] == [0, 0], "no split pot in 200 checked-down hands"
    assert sum(line.endswith("wins 100") or line.endswith("win 100") for line in state["result"]["lines"]) == 2
    score = state["score"]
    assert score["hands"] == len(nets) and score["big_blinds"] == sum(nets) / 100
    if len(nets) > 1:
        low, high = score["ci95"]
        assert low <= score["mbb_per_hand"] <= high
    assert len(_phh(client, state)) == len(nets)


def test_an_illegal_amount_changes_nothing(client):
    state = _new(client, opponent="call", seat=1, seed=4)
    before = client.get(f"/api/games/{state['id']}").json()
    for amount, reason in ((150, "below the minimum raise to 200"), (20000, "above")):
        response = client.post(f"/api/games/{state['id']}/action",
                               json={"version": state["version"], "action": "raise", "amount": amount})
        assert response.status_code == 400 and reason in response.json()["error"]
    response = client.post(f"/api/games/{state['id']}/action", json={"version": state["version"], "action": "check"})
    assert response.status_code == 400 and "cannot check" in response.json()["error"]
    assert client.get(f"/api/games/{state['id']}").json() == before
    pot = state["legal"]["pot_sizes"]
    # a third of the pot (100 + 200 / 3) is below the minimum raise: not offered
    assert [(p["label"], p["to"]) for p in pot] == [("1/2 pot", 200), ("2/3 pot", 233), ("pot", 300)]
    state = _act(client, state, "raise", pot[0]["to"])
    assert state["log"][0]["text"] == "you raise to 200"


def test_a_stale_click_is_refused(client):
    state = _new(client, opponent="call", seat=1, seed=5)
    after = _act(client, state, "call")
    response = client.post(f"/api/games/{state['id']}/action", json={"version": state["version"], "action": "fold"})
    assert response.status_code == 409 and "stale request" in response.json()["error"]
    assert client.get(f"/api/games/{state['id']}").json() == after
    for path, message in (("next", "not over"), ("bot", "your turn")):
        response = client.post(f"/api/games/{state['id']}/{path}", json={"version": after["version"]})
        assert response.status_code == 400 and message in response.json()["error"]


def test_games_expire_and_are_bounded():
    now = [0.0]
    client = TestClient(create_app(ServerConfig(seed=0), GameStore(max_games=2, ttl=60, clock=lambda: now[0])))
    first, second = _new(client, opponent="call"), _new(client, opponent="random")
    now[0] = 50.0
    assert client.get(f"/api/games/{first['id']}").status_code == 200
    now[0] = 100.0  # the second game has been idle for 100 s, the first for 50 s
    response = client.get(f"/api/games/{second['id']}")
    assert response.status_code == 404 and "expired" in response.json()["error"]
    third, fourth = _new(client, opponent="call"), _new(client, opponent="call")
    assert client.get(f"/api/games/{first['id']}").status_code == 404  # the least recently used made way
    assert {client.get(f"/api/games/{g['id']}").status_code for g in (third, fourth)} == {200}
    response = client.post(f"/api/games/{first['id']}/action", json={"version": 1, "action": "call"})
    assert response.status_code == 404


@pytest.mark.parametrize("path, body, status, message", [
    ("/api/games", {"opponent": "call", "players": 7}, 422, "players: Input should be less than or equal to 6"),
    ("/api/games", {"opponent": "call", "colour": "red"}, 422, "colour: Extra inputs are not permitted"),
    ("/api/games", {"opponent": "shark"}, 400, "unknown opponent 'shark'; choose from heuristic, call, random"),
    ("/api/games", {"opponent": "blueprint"}, 400, "unknown opponent 'blueprint'"),
    ("/api/games", {"opponent": "call", "players": 3, "seat": 3}, 400, "seat 3 is not a seat of a 3-player table"),
])
def test_bad_requests_get_one_line(client, path, body, status, message):
    response = client.post(path, json=body)
    assert response.status_code == status and message in response.json()["error"]
    assert "\n" not in response.json()["error"]


def test_bad_moves_get_one_line(client):
    state = _new(client, opponent="call", seat=1, seed=6)
    for body, message in (({"action": "raise"}, "a raise needs an amount"), ({"action": "fold", "amount": 5},
                                                                             "fold takes no amount")):
        response = client.post(f"/api/games/{state['id']}/action", json={"version": state["version"], **body})
        assert response.status_code == 400 and message in response.json()["error"]
    response = client.post(f"/api/games/{state['id']}/action", json={"version": state["version"], "action": "jump"})
    assert response.status_code == 422 and response.json()["error"].startswith("action: Input should be 'fold'")


def test_six_handed_against_random_bots(client):
    state = _new(client, opponent="random", players=6, seat=2, seed=7)
    assert [s["name"] for s in state["seats"]] == ["random 1", "random 2", "you", "random 3", "random 4", "random 5"]
    for _ in range(3):
        state = _check_down(client, state)
        assert sum(s["stack"] for s in state["seats"]) == 6 * 10000 and sum(state["result"]["net"]) == 0
        state = _post(client, state, "next")
    assert state["hand"] == 4 and [s["position"] for s in state["seats"]].index("BTN") == 2
    assert len(_phh(client, state)) == 3


def test_the_blueprint_plays_and_the_table_is_its_own(policy_client):
    info = policy_client.get("/api/info").json()
    assert info["opponents"][:2] == ["blueprint", "search"] and info["strategy"] and info["table"]["stack"] == 2000
    response = policy_client.post("/api/games", json={"opponent": "blueprint", "players": 3})
    assert response.status_code == 400 and "plays 2-handed" in response.json()["error"]
    state = _new(policy_client, opponent="blueprint", seed=8)
    state = _check_down(policy_client, state)
    assert state["hand_over"] and state["opponent"] == state["seats"][1]["name"]
    assert sum(s["stack"] for s in state["seats"]) == 4000


def test_the_search_bot_plays_a_hand(small_run):
    client = _client(policy=small_run, search_budget=0.05)
    state = _check_down(client, _new(client, opponent="search", seed=9))
    assert state["opponent"].startswith("search:") and state["hand_over"]
    response = client.post("/api/games", json={"opponent": "search", "players": 3})
    assert response.status_code == 400


def test_strategy_nodes_are_those_of_export(policy_client, small_run, tmp_path):
    node = policy_client.get("/api/strategy").json()
    assert node["player"] == "small blind" and node["street"] == "preflop" and len(node["classes"]) == 169
    assert [a["token"] for a in node["actions"]][:2] == ["f", "c"] and node["actions"][0]["next"]["terminal"]
    for a, action in enumerate(node["actions"]):
        assert len(node["probs"][a]) == 169 and action["colour"].startswith("#")
    totals = [sum(node["probs"][a][k] for a in range(len(node["actions"]))) for k in range(169)]
    assert max(abs(t - 1) for t in totals) < 1e-5  # six decimals each
    for fmt in ("json", "csv"):
        out = tmp_path / f"node.{fmt}"
        assert export.main([str(small_run), "--format", fmt, "--out", str(out)]) == 0
        assert policy_client.get("/api/strategy/export", params={"format": fmt}).text == out.read_text()
    call = next(a for a in node["actions"] if a["token"] == "c")["next"]
    check = policy_client.get("/api/strategy", params={"history": call["history"]}).json()
    flop = next(a for a in check["actions"] if a["token"] == "c")["next"]
    assert flop["history"] == "cc/" and flop["board_cards"] == 3
    on_flop = policy_client.get("/api/strategy", params={"history": flop["history"], "board": "Ks 7h 2h"}).json()
    assert on_flop["board"] == ["Ks", "7h", "2h"] and on_flop["street"] == "flop"
    assert on_flop["combos"][0] == 6 and on_flop["combos"][14] == 3  # AA whole; KK without the Ks


@pytest.mark.parametrize("params, message", [
    ({"history": "r250c/q"}, "token 4 'q': unknown"),
    ({"history": "cc/", "board": "Ks 7h"}, "board 'Ks 7h': the history ends on the flop, which needs 3 board cards"),
    ({"history": "cc/", "board": "Ks Ks 2h"}, "board 'Ks Ks 2h'"),
    ({"format": "xml"}, "format 'xml': choose from json, csv"),
])
def test_bad_strategy_requests_get_one_line(policy_client, params, message):
    path = "/api/strategy/export" if "format" in params else "/api/strategy"
    response = policy_client.get(path, params=params)
    assert response.status_code == 400 and message in response.json()["error"]


def test_runs_are_named_never_pathed(policy_client, small_run, client):
    (listed,) = policy_client.get("/api/runs").json()
    assert listed == {"name": small_run.name, "metrics": True, "strength": False}
    run = policy_client.get(f"/api/runs/{small_run.name}").json()
    xs = [x for x, _ in run["series"]["iters_per_s"]]
    assert xs == sorted(xs) and "entropy_river" in run["series"] and run["strength"] is None
    for name in ("..", "etc", "%2Fetc"):
        assert policy_client.get(f"/api/runs/{name}").status_code == 404
    assert client.get("/api/strategy").status_code == 404
    assert "--policy" in client.get("/api/strategy").json()["error"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_over_http_and_refuses_a_busy_port(small_run):
    port = _free_port()
    command = [sys.executable, "-m", "holdem.cli.serve", "--policy", str(small_run), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/info", timeout=5) as reply:
                    assert reply.status == 200 and b'"strategy":true' in reply.read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stdout.read()
                time.sleep(0.2)
        busy = subprocess.run([sys.executable, "-m", "holdem.cli.serve", "--port", str(port)], capture_output=True,
                              text=True, timeout=60)
        assert busy.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"holdem is at http://127.0.0.1:{port}" in out
