"""How much real-time search adds to a blueprint: local best response (Lisy & Bowling 2017) against the
blueprint alone and against the blueprint with search, for the paper's fcpa-34 and fc-1234 settings,
and a paired duplicate match of the two, in mbb/hand with 95% intervals.

Run ``python benchmarks/search_strength.py [--policy RUN] [--budget 0.2] [--lbr-hands 2000]``. Build
first: a heads-up blueprint for ``--policy`` (default ``runs/quickstart``; for the published figures
the named 10-minute run: ``python -m holdem.cli.train_blueprint --config configs/heads_up_10min.yaml
--logdir runs/hu10``). The search agent searches with ``--budget`` seconds per public state on one
thread, from ``--first-street`` on (default the river; from the flop, turn subgames are
depth-limited too), with any other :class:`~holdem.search.SearchConfig` settings given in
``--search-options`` (``key=value&...`` as in a ``search:`` agent spec). LBR against the blueprint
alone is cheap, so it plays ``--blueprint-factor`` times as many hands. Each LBR row also has its
luck-adjusted estimate (``adjusted``, :mod:`holdem.eval.luck`: the same expectation, a smaller
interval). Act1, the strongest bot of the 2016 competition that Lisy & Bowling measured, lost 407
(fc-1234) and 2,597 (fcpa-34) mbb/hand to LBR. The head-to-head is paired (``holdem.eval.match``):
every hand of search against the blueprint is replayed with the search agent's own blueprint in its
place on the same cards and random numbers, and the estimate is the per-deal difference, unbiased
for search's edge over the blueprint (the replay against itself has expectation 0) and free of the
variance of the hands that end before the river, where both play the blueprint; the same hands'
plain duplicate estimate is reported beside it, its luck-adjusted one (``adjusted``: both plays
adjusted, the cards and the blueprint opponent's actions charged their luck) and the one with exact
river values (``river``, :mod:`holdem.eval.river`: the river valued by both players' own
strategies, the same expectation with far less variance; ``search_beats_blueprint_river``). Prints
a table, then one JSON line. Hours of work at the defaults on 2 cores; ``--workers`` spreads it over processes.
"""

from __future__ import annotations

import time
from pathlib import Path

from _common import add_search_arguments, load_average, parser, report, require, search_config

from holdem.agents import BlueprintAgent
from holdem.eval.lbr import LBRConfig, local_best_response
from holdem.eval.match import play_match
from holdem.eval.stats import Estimate
from holdem.search import SearchAgent

ACT1 = {"fc-1234": 407.0, "fcpa-34": 2597.0}
"""Act1 (2016) against LBR, mbb/hand (Lisy & Bowling 2017, Table 3)."""


def _row(estimate: Estimate, hands: int) -> dict:
    low, high = estimate.ci95
    return {"mbb_per_hand": round(estimate.mbb_per_hand, 1), "ci95": [round(low, 1), round(high, 1)], "hands": hands}


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--policy", type=Path, default=Path("runs/quickstart"), help="a heads-up blueprint run")
    add_search_arguments(p, budget=0.2)
    p.add_argument("--lbr-hands", type=int, default=2000, help="LBR hands against blueprint+search, per variant")
    p.add_argument("--blueprint-factor", type=int, default=3, help="times as many LBR hands against the blueprint")
    p.add_argument("--match-hands", type=int, default=6000,
                   help="paired duplicate hands of search against the blueprint")
    p.add_argument("--workers", type=int, default=1, help="processes for each measurement")
    p.add_argument("--seed", type=int, default=2)
    args = p.parse_args()
    require(args.policy, "blueprint", "python -m holdem.cli.train_blueprint --config configs/heads_up_10min.yaml "
                                      f"--logdir {args.policy}")
    blueprint = BlueprintAgent.load(args.policy, seed=args.seed)
    settings = search_config(args)
    search = SearchAgent.load(args.policy, settings, seed=args.seed)
    play_match([search, blueprint], 20, rules=blueprint.rules, seed=1)  # compile the kernels outside the timing
    load_start, started = load_average(), time.perf_counter()
    results: dict[str, dict] = {}
    for variant in ("fcpa-34", "fc-1234"):
        config = LBRConfig.variant(variant)
        for name, agent, hands in (("blueprint", blueprint, args.lbr_hands * args.blueprint_factor),
                                   ("search", search, args.lbr_hands)):
            lbr = local_best_response(agent, hands, rules=blueprint.rules, config=config, seed=args.seed,
                                      workers=args.workers)
            results[f"lbr_{variant}_{name}"] = {**_row(lbr.estimate(), lbr.hands),
                                                 "adjusted": _row(lbr.adjusted_estimate(), lbr.hands)}
            print(f"LBR {variant} against {name}: {results[f'lbr_{variant}_{name}']}", flush=True)
    match = play_match([search, blueprint], args.match_hands, rules=blueprint.rules, seed=args.seed,
                       workers=args.workers, control=search.blueprint, luck=True, exact_river=True)
    results["search_vs_blueprint"] = {**_row(match.paired_estimate(0), match.hands), "paired": True,
                                      "adjusted": _row(match.adjusted_estimate(), match.hands),
                                      "river": _row(match.river_estimate(), match.hands),
                                      "river_deals": round(match.reached()[0], 3)}
    results["search_vs_blueprint_unpaired"] = _row(match.estimate(0), match.hands)
    results["search_beats_blueprint"] = results["search_vs_blueprint"]["ci95"][0] > 0
    for estimate in ("adjusted", "river"):
        results[f"search_beats_blueprint_{estimate}"] = results["search_vs_blueprint"][estimate]["ci95"][0] > 0
    for key in ("search_vs_blueprint", "search_vs_blueprint_unpaired"):
        print(f"{key.replace('_', ' ')} (duplicate): {results[key]}")
    for variant, act1 in ACT1.items():
        alone, searched = results[f"lbr_{variant}_blueprint"], results[f"lbr_{variant}_search"]
        results[f"lbr_{variant}_ratio"] = round(searched["mbb_per_hand"] / alone["mbb_per_hand"], 3) \
            if alone["mbb_per_hand"] else None
        results[f"lbr_{variant}_intervals_apart"] = searched["ci95"][1] < alone["ci95"][0]
        adjusted_apart = searched["adjusted"]["ci95"][1] < alone["adjusted"]["ci95"][0]
        results[f"lbr_{variant}_adjusted_intervals_apart"] = adjusted_apart
        results[f"lbr_{variant}_below_act1"] = searched["mbb_per_hand"] < act1
    report({**results, "search": settings.model_dump(exclude={"sizing"}), "policy": str(args.policy),
            "minutes": round((time.perf_counter() - started) / 60, 1)}, load_start)


if __name__ == "__main__":
    main()
