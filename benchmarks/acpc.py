"""ACPC match throughput: hands per second of the local dealer with two blueprint clients.

The dealer runs in this process; each client is a ``python -m holdem.cli.acpc connect`` process
playing the blueprint (seeds 1 and 2), as a user would run them, so every hand pays for the
protocol: MATCHSTATE lines over TCP, parsed and replayed by each client, answers checked by the
dealer.  The clock runs from the first deal to the end of the last hand (client start-up and
blueprint loading excluded); a 500-hand warm-up match runs first, so the kernels are compiled and
cached.  The CPU time each process spends per hand of the measured match is reported too (the
dealer's thread from its handshakes to the end, each client's process from the first deal to its
exit; Linux's ``/proc``), as the processes take turns and their sum, not one of them, bounds the
speed.  The peer, measured in the same run: the same blueprint playing itself in one process
through the match loop (``play_match``, no protocol).  The game is the shipped
``holdem.nolimit.2p.reverse_blinds.game``.  The last line printed is one JSON object: ``hands_per_s``
(over the protocol), ``in_process_hands_per_s`` and their ratio.

Build first: a blueprint (``python -m holdem.cli.train_blueprint --config configs/quickstart.yaml
--logdir runs/quickstart``).

    python benchmarks/acpc.py [--policy runs/quickstart] [--hands 20000]
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from _common import fail, load_average, parser, report, require

from holdem.acpc.dealer import Dealer
from holdem.acpc.gamedef import SHIPPED, GameDef
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.eval.match import play_match


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system, every thread) process ``pid`` has used so far, from
    ``/proc/<pid>/stat`` (clock ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def acpc_match(game: GameDef, policy: str, hands: int, seed: int) -> tuple[float, int, list[float]]:
    """Seconds and hands of a match between two client processes playing ``policy``, and the CPU
    seconds of the dealer's thread and of each client over the match."""
    dealer = Dealer(game, "bench", hands, seed, ["one", "two"])
    ports = dealer.listen()
    clients = [subprocess.Popen([sys.executable, "-m", "holdem.cli.acpc", "connect", "127.0.0.1", str(port),
                                 "--policy", policy, "--seed", str(i + 1)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for i, port in enumerate(ports)]
    at_start: list[float] = []

    def watch() -> None:  # the clients' CPU once they have loaded their agents and the dealing starts
        while not dealer.log:
            time.sleep(0.001)
        at_start.extend(cpu_seconds(client.pid) for client in clients)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    cpu = time.thread_time()
    result = dealer.run()
    cpus = [time.thread_time() - cpu]
    watcher.join(timeout=1.0)
    for client in clients:
        _, status, usage = os.wait4(client.pid, 0)
        client.returncode = os.waitstatus_to_exitcode(status)
        err = client.stderr.read()
        client.stderr.close()
        if client.returncode != 0:
            fail(f"a client failed (exit status {client.returncode}): {err.strip().splitlines()[-1:]}")
        cpus.append(usage.ru_utime + usage.ru_stime)
    if result.stopped is not None:
        fail(f"the match stopped: {result.stopped}")
    if len(at_start) != len(clients):
        fail("the match ended before the clients' CPU time could be read")
    return result.seconds, result.hands, [cpus[0]] + [end - start for end, start in zip(cpus[1:], at_start)]


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--policy", default="runs/quickstart", help="blueprint file or run directory")
    p.add_argument("--hands", type=int, default=20000, help="hands in the measured match")
    args = p.parse_args()
    load_start = load_average()
    require(Path(args.policy), "blueprint", "python -m holdem.cli.train_blueprint --config configs/quickstart.yaml "
                                            "--logdir runs/quickstart (then pass --policy runs/quickstart)")
    game = GameDef.load(SHIPPED)
    acpc_match(game, args.policy, 500, 1)
    seconds, hands, cpus = acpc_match(game, args.policy, args.hands, 2)
    rate = hands / seconds
    cpu_ms = [round(c / hands * 1000, 3) for c in cpus]
    print(f"over the protocol: {hands} hands in {seconds:.2f} s, {rate:,.0f} hands/s; CPU per hand "
          f"{cpu_ms[0]:.3f} ms dealer, {cpu_ms[1]:.3f} and {cpu_ms[2]:.3f} ms clients ({sum(cpu_ms):.3f} ms in all)")
    agents = [BlueprintAgent.load(args.policy, seed=1), BlueprintAgent.load(args.policy, seed=2)]
    rules = game.rules()
    play_match(agents, 500, rules=rules, seed=1)
    agents = [BlueprintAgent.load(args.policy, seed=1), BlueprintAgent.load(args.policy, seed=2)]
    local = play_match(agents, args.hands, rules=rules, seed=2)
    print(f"in one process (play_match): {local.hands} hands in {local.seconds:.2f} s, "
          f"{local.hands_per_second:,.0f} hands/s")
    report({"policy": args.policy, "hands": hands, "hands_per_s": round(rate, 1),
            "cpu_ms_per_hand": {"dealer": cpu_ms[0], "clients": cpu_ms[1:], "sum": round(sum(cpu_ms), 3)},
            "in_process_hands_per_s": round(local.hands_per_second, 1),
            "ratio_to_in_process": round(rate / local.hands_per_second, 3),
            "processes": 3, "affinity_cpus": len(os.sched_getaffinity(0))}, load_start)


if __name__ == "__main__":
    main()
