"""Heads-up match throughput: hands per second of a policy against always-call, 1 and 2 workers.

The policy is a blueprint (``--policy runs/<name>`` or a blueprint file) or, without one, the
equity heuristic; the JSON keys name the policy measured.  Duplicate dealing, 100 big blind
stacks (the blueprint's own game when a blueprint is given).  The last line printed is one
JSON object.

    python benchmarks/match_throughput.py [--policy PATH] [--hands 20000]
"""

from __future__ import annotations

import argparse
import json

from holdem.agents import CallAgent, HeuristicAgent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.eval.match import play_match, table_rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", help="blueprint file or run directory (default: the heuristic agent)")
    parser.add_argument("--hands", type=int, default=20000, help="hands per measurement")
    args = parser.parse_args()
    if args.policy:
        rules, label = BlueprintAgent.load(args.policy).blueprint.tree.game.rules(), "blueprint"
        make = lambda: BlueprintAgent.load(args.policy)  # noqa: E731
    else:
        rules, label, make = table_rules(2), "heuristic", HeuristicAgent
    play_match([make(), CallAgent()], 200, rules=rules, seed=1)  # compile the kernels
    report: dict[str, float | str] = {"policy": args.policy or "heuristic", "hands": args.hands}
    for workers in (1, 2):
        # a fresh agent each time: its memo starts empty
        result = play_match([make(), CallAgent()], args.hands, rules=rules, seed=2, workers=workers)
        rate = result.hands_per_second
        report[f"{label}_vs_call_hands_per_s_{workers}_worker{'s' if workers > 1 else ''}"] = round(rate, 1)
        print(f"{label} vs call, {workers} worker(s): {result.hands} hands in {result.seconds:.2f} s, "
              f"{rate:,.0f} hands/s")
    calls = play_match([CallAgent(), CallAgent()], args.hands, seed=2)
    report["call_vs_call_hands_per_s_1_worker"] = round(calls.hands_per_second, 1)
    print(f"call vs call, 1 worker: {calls.hands_per_second:,.0f} hands/s (engine and match loop alone)")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
