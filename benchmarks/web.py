"""Web app latency: from a click's request to the bot's answer, and the strategy page's requests/s.

The server is ``python -m holdem.cli.serve --policy RUN`` in its own process, as a person runs
it; this script is the page, over one keep-alive HTTP connection.  A person's click is one
``POST /action`` (a seeded mix: mostly check/call, some pot-sized raises, a few folds); the bot's
answer is the ``POST /bot`` requests that follow until it is the person's turn again or the hand
is over, exactly what the play page sends.  The time of a click runs from sending the action to
receiving the last of those answers; ``--actions`` clicks are timed after a warm-up of 200 (the
kernels compiled, the blueprint's pages in memory).  The reference, measured in the same run: the
same clicks on the same game logic in this process without HTTP (``WebGame`` directly), so the
ratio is what the protocol and the server add.  Then the strategy page's JSON: ``GET
/api/strategy`` over the first decisions of the tree (each computed once, then served from the
server's cache), in requests/s, with the median cold computation of a node reported apart.  The last
line printed is one JSON object with ``p50_ms``, ``p99_ms`` and ``strategy_requests_per_s``.

Build first: a blueprint (``python -m holdem.cli.train_blueprint --config configs/quickstart.yaml
--logdir runs/quickstart``).

    python benchmarks/web.py [--policy runs/quickstart] [--actions 1000]
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
from _common import fail, load_average, parser, report, require

from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.web.games import WebGame

WARM_UP = 200


class Page:
    """The page's side: JSON requests over one keep-alive connection to ``port``."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
        reply = self.connection.getresponse()
        payload = json.loads(reply.read())
        if reply.status >= 300:
            fail(f"{method} {path} answered {reply.status}: {payload.get('error')}")
        return payload


def click(state: dict, rng: random.Random) -> tuple[str, int | None]:
    """The person's action at ``state``: check/call mostly, a pot-sized raise now and then, a fold rarely."""
    legal = state["legal"]
    roll = rng.random()
    if legal["fold"] and roll < 0.08:
        return "fold", None
    if legal["raise"] is not None and roll > 0.8:
        sizes = legal["pot_sizes"]
        return ("raise", rng.choice(sizes)["to"]) if sizes else ("allin", None)
    return ("check" if legal["check"] else "call"), None


class RemoteTable:
    """A new game against the blueprint over HTTP, played as the page plays it; ``state`` is the
    last GameState answered."""

    def __init__(self, page: Page, seed: int) -> None:
        self.page = page
        self.state = page.request("POST", "/api/games", {"opponent": "blueprint", "seed": seed})

    def _post(self, path: str, **body) -> None:
        self.state = self.page.request("POST", f"/api/games/{self.state['id']}/{path}",
                                       {"version": self.state["version"], **body})

    def act(self, action: str, amount: int | None) -> None:
        self._post("action", action=action, amount=amount)

    def bot(self) -> None:
        self._post("bot")

    def next_hand(self) -> None:
        self._post("next")


class LocalTable:
    """The same game logic in this process: a :class:`WebGame` of the blueprint at ``policy``, no HTTP."""

    def __init__(self, policy: str, seed: int) -> None:
        bot = BlueprintAgent.load(policy, seed)
        self.game = WebGame("bench", bot.rules, bot, seed=seed, bot_name="bot")
        self.state = self.game.state()

    def act(self, action: str, amount: int | None) -> None:
        self.game.act(self.game.version, action, amount)
        self.state = self.game.state()

    def bot(self) -> None:
        self.game.bot_step(self.game.version)
        self.state = self.game.state()

    def next_hand(self) -> None:
        self.game.next_hand(self.game.version)
        self.state = self.game.state()


def clicks(table: RemoteTable | LocalTable, count: int, seed: int) -> list[float]:
    """Seconds of ``count`` clicks at ``table``, each from the person's action to the bot's answer
    (the bots' decisions until the person's turn or the hand's end)."""
    rng = random.Random(seed)
    times = []
    while len(times) < count:
        if table.state["hand_over"]:
            table.next_hand()
        while table.state["bot_to_act"]:
            table.bot()
        if table.state["hand_over"]:
            continue
        action, amount = click(table.state, rng)
        start = time.perf_counter()
        table.act(action, amount)
        while table.state["bot_to_act"]:
            table.bot()
        times.append(time.perf_counter() - start)
    return times


def strategy_nodes(page: Page) -> tuple[list[str], float]:
    """The root and the decisions one and two actions deep on the preflop (the paths the page
    walks first), and the median seconds of a node's first (cold) request, the root's left out (it
    compiles the bucket kernels)."""
    root = page.request("GET", "/api/strategy")
    histories, cold = [""], []
    frontier = [a["next"]["history"] for a in root["actions"] if not a["next"]["terminal"]]
    for _ in range(2):
        children = []
        for history in frontier:
            start = time.perf_counter()
            node = page.request("GET", "/api/strategy?" + urlencode({"history": history}))
            cold.append(time.perf_counter() - start)
            children += [a["next"]["history"] for a in node["actions"]
                         if not a["next"]["terminal"] and a["next"]["board_cards"] == 0]
        histories += frontier
        frontier = children
    return histories, float(np.median(cold))


def start_server(policy: str) -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "holdem.cli.serve", "--policy", policy, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                fail("the server did not start (run python -m holdem.cli.serve --policy ... to see why)")
            time.sleep(0.2)


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--policy", default="runs/quickstart", help="blueprint file or run directory")
    p.add_argument("--actions", type=int, default=1000, help="timed clicks")
    p.add_argument("--strategy-requests", type=int, default=2000, help="timed strategy requests")
    args = p.parse_args()
    load_start = load_average()
    require(Path(args.policy), "blueprint", "python -m holdem.cli.train_blueprint --config configs/quickstart.yaml "
                                            "--logdir runs/quickstart (then pass --policy runs/quickstart)")
    server, port = start_server(args.policy)
    try:
        page = Page(port)
        clicks(RemoteTable(page, seed=1), WARM_UP, seed=1)
        ms = np.array(clicks(RemoteTable(page, seed=2), args.actions, seed=2)) * 1e3
        histories, cold = strategy_nodes(page)
        paths = ["/api/strategy?" + urlencode({"history": h}) for h in histories]
        start = time.perf_counter()
        for k in range(args.strategy_requests):
            page.request("GET", paths[k % len(paths)])
        per_s = args.strategy_requests / (time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)
    clicks(LocalTable(args.policy, seed=1), WARM_UP, seed=1)
    direct = np.array(clicks(LocalTable(args.policy, seed=2), args.actions, seed=2)) * 1e3
    p50, p99 = np.percentile(ms, [50, 99])
    d50, d99 = np.percentile(direct, [50, 99])
    print(f"clicks to the bot's answer over HTTP: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {ms.max():.2f} ms "
          f"({args.actions} clicks)")
    print(f"the same clicks in process (no HTTP): p50 {d50:.2f} ms, p99 {d99:.2f} ms")
    print(f"strategy page: {per_s:.0f} requests/s over {len(paths)} nodes "
          f"(a node's first request, median: {cold * 1e3:.0f} ms)")
    report({"actions": args.actions, "p50_ms": round(float(p50), 2), "p99_ms": round(float(p99), 2),
            "max_ms": round(float(ms.max()), 2), "in_process_p50_ms": round(float(d50), 3),
            "in_process_p99_ms": round(float(d99), 3), "ratio_p50_to_in_process": round(float(p50 / d50), 1),
            "strategy_requests_per_s": round(per_s, 1), "strategy_nodes": len(paths),
            "strategy_cold_ms": round(cold * 1e3, 1)}, load_start)


if __name__ == "__main__":
    main()
