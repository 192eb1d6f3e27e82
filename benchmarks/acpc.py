"""ACPC match throughput: hands per second of the local dealer with two blueprint clients.

The dealer runs in this process; each client is a ``python -m holdem.cli.acpc connect`` process
playing the blueprint (seeds 1 and 2), as a user would run them, so every hand pays for the
protocol: MATCHSTATE lines over TCP, parsed and replayed by each client, answers checked by the
dealer.  The clock runs from the first deal to the end of the last hand (client start-up and
blueprint loading excluded); a 500-hand warm-up match runs first, so the kernels are compiled and
cached.  The peer, measured in the same run: the same blueprint playing itself in one process
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
from pathlib import Path

from _common import fail, load_average, parser, report, require

from holdem.acpc.dealer import Dealer
from holdem.acpc.gamedef import SHIPPED, GameDef
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.eval.match import play_match


def acpc_match(game: GameDef, policy: str, hands: int, seed: int) -> tuple[float, int]:
    """Seconds and hands of a match between two client processes playing ``policy``."""
    dealer = Dealer(game, "bench", hands, seed, ["one", "two"])
    ports = dealer.listen()
    clients = [subprocess.Popen([sys.executable, "-m", "holdem.cli.acpc", "connect", "127.0.0.1", str(port),
                                 "--policy", policy, "--seed", str(i + 1)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for i, port in enumerate(ports)]
    result = dealer.run()
    for client in clients:
        _, err = client.communicate()
        if client.returncode != 0:
            fail(f"a client failed (exit status {client.returncode}): {err.strip().splitlines()[-1:]}")
    if result.stopped is not None:
        fail(f"the match stopped: {result.stopped}")
    return result.seconds, result.hands


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
    seconds, hands = acpc_match(game, args.policy, args.hands, 2)
    rate = hands / seconds
    print(f"over the protocol: {hands} hands in {seconds:.2f} s, {rate:,.0f} hands/s")
    agents = [BlueprintAgent.load(args.policy, seed=1), BlueprintAgent.load(args.policy, seed=2)]
    rules = game.rules()
    play_match(agents, 500, rules=rules, seed=1)
    agents = [BlueprintAgent.load(args.policy, seed=1), BlueprintAgent.load(args.policy, seed=2)]
    local = play_match(agents, args.hands, rules=rules, seed=2)
    print(f"in one process (play_match): {local.hands} hands in {local.seconds:.2f} s, "
          f"{local.hands_per_second:,.0f} hands/s")
    report({"policy": args.policy, "hands": hands, "hands_per_s": round(rate, 1),
            "in_process_hands_per_s": round(local.hands_per_second, 1),
            "ratio_to_in_process": round(rate / local.hands_per_second, 3),
            "processes": 3, "affinity_cpus": len(os.sched_getaffinity(0))}, load_start)


if __name__ == "__main__":
    main()
