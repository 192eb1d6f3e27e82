"""Measure a blueprint: duplicate matches against baselines, local best response, head-to-head.

``python -m holdem.cli.eval_blueprint --policy runs/<name>[/<blueprint>] --episodes 200000 --duplicate
--opponents random,call,raise,heuristic [--lbr] [--vs runs/<other>] --seed 42 --out report.json``

Prints a table (opponent, hands, the policy's mbb/hand and its 95% interval) and, with ``--out``,
writes the JSON report and a bar chart with interval whiskers beside it (``report.png``).  Every
row is from the policy's side: against ``lbr`` it is minus LBR's win rate, and the report also
gives LBR's win rate (a lower bound on the policy's exploitability) as ``lbr_mbb_per_hand``.
``--policy`` also accepts a baseline name (random, call, raise, fold, heuristic) to calibrate.
``--lbr-variant`` picks one of Lisy & Bowling's (2017) LBR settings (default ``fcpa-34``: check/call
preflop and on the flop, then fold, call, pot raise or all-in); ``--workers N`` plays in N
processes, each loading its own copy of the blueprints.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from holdem.agents import BASELINES, Agent, make_agent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.engine import Rules
from holdem.eval.lbr import DEFAULT_VARIANT, VARIANTS, LBRConfig, local_best_response
from holdem.eval.match import play_match, table_rules
from holdem.eval.parallel import derive_seed
from holdem.eval.stats import CI_METHOD, Estimate


class UsageError(Exception):
    """Bad input, reported as one line."""


class _Parser(argparse.ArgumentParser):
    """Reports bad arguments in one line (the usage is at ``--help``)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(prog="holdem eval_blueprint", description=__doc__.splitlines()[0])
    parser.add_argument("--policy", required=True, help="blueprint file, run directory, or a baseline name")
    parser.add_argument("--episodes", type=int, default=20000, help="hands per opponent (default 20000)")
    parser.add_argument("--duplicate", action="store_true", help="duplicate dealing: each deal played in both seats")
    parser.add_argument("--opponents", default="random,call,raise,heuristic",
                        help=f"comma-separated baselines from {', '.join(BASELINES)} (may be empty)")
    parser.add_argument("--lbr", action="store_true", help="also run local best response against the policy")
    parser.add_argument("--lbr-hands", type=int, default=2000, help="LBR hands (default 2000)")
    parser.add_argument("--lbr-variant", choices=list(VARIANTS), default=DEFAULT_VARIANT,
                        help=f"LBR betting and rounds, Lisy & Bowling 2017 Table 3 (default {DEFAULT_VARIANT})")
    parser.add_argument("--vs", action="append", default=[], metavar="PATH",
                        help="another blueprint (file or run directory) to play; repeatable")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--phh", type=Path, metavar="DIR", help="write every hand to DIR/<opponent>.phhs")
    parser.add_argument("--out", type=Path, help="JSON report path (a PNG chart is written beside it)")
    args = parser.parse_args(argv)
    args.opponent_names = [name.strip() for name in args.opponents.split(",") if name.strip()]
    for name in args.opponent_names:
        if name not in BASELINES:
            parser.error(f"unknown opponent {name!r}; choose from {', '.join(BASELINES)}")
    if args.episodes < 1 or args.lbr_hands < 1 or args.workers < 1:
        parser.error("--episodes, --lbr-hands and --workers must be positive")
    if not args.opponent_names and not args.vs and not args.lbr:
        parser.error("nothing to evaluate: give --opponents, --vs or --lbr")
    return args


def load_policy(spec: str, seed: int) -> tuple[Agent, Rules]:
    """The agent for ``spec`` (a baseline name or a blueprint path) and the table it plays on."""
    if spec in BASELINES:
        return make_agent(spec, seed), table_rules(2)
    if not Path(spec).exists():
        raise UsageError(f"no such blueprint file or run directory: {spec}")
    try:
        agent = BlueprintAgent.load(spec, seed)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot load blueprint {spec}: {error}") from None
    return agent, agent.blueprint.tree.game.rules()


def _row(opponent: str, hands: int, est: Estimate, **extra: object) -> dict:
    return {"opponent": opponent, "hands": hands, "mbb_per_hand": round(est.mbb_per_hand, 3),
            "ci95": [round(est.ci95[0], 3), round(est.ci95[1], 3)], **extra}


def evaluate(args: argparse.Namespace, console: Console) -> dict:
    """Play every requested evaluation; returns the report."""
    policy, rules = load_policy(args.policy, derive_seed(args.seed, 0))
    if rules.num_players != 2:
        raise UsageError(f"the policy plays {rules.num_players}-handed; evaluation is heads-up")
    jobs: list[tuple[str, Agent | None]] = [(name, make_agent(name, derive_seed(args.seed, 1))) for name in args.opponent_names]
    for path in args.vs:
        jobs.append((f"vs:{path}", load_policy(path, derive_seed(args.seed, 2))[0]))
    if args.lbr:
        jobs.append(("lbr", None))
    if args.phh is not None:
        args.phh.mkdir(parents=True, exist_ok=True)
    results = []
    columns = (TextColumn("[bold]{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("hands"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        for name, opponent in jobs:
            total = args.lbr_hands if opponent is None else args.episodes
            task = progress.add_task(name, total=total)

            def update(done: int, task=task) -> None:
                progress.update(task, completed=done)

            if opponent is None:
                config = LBRConfig.variant(args.lbr_variant)
                lbr = local_best_response(policy, args.lbr_hands, rules=rules, config=config, seed=args.seed,
                                          workers=args.workers, progress=update)
                est = lbr.estimate()
                mine = Estimate(-est.mbb_per_hand, (-est.ci95[1], -est.ci95[0]), est.units)
                results.append(_row(name, lbr.hands, mine, lbr_mbb_per_hand=round(est.mbb_per_hand, 3),
                                    lbr_ci95=[round(est.ci95[0], 3), round(est.ci95[1], 3)],
                                    lbr_variant=args.lbr_variant))
            else:
                phh = None if args.phh is None else args.phh / f"{name.replace('/', '_').replace(':', '_')}.phhs"
                match = play_match([policy, opponent], args.episodes, rules=rules, duplicate=args.duplicate,
                                   seed=args.seed, workers=args.workers, histories=phh,
                                   progress=update)
                results.append(_row(name, match.hands, match.estimate(0)))
            progress.update(task, completed=total)
    return {"policy": args.policy, "seed": args.seed, "duplicate": args.duplicate, "ci": CI_METHOD,
            "big_blind": rules.big_blind, "workers": args.workers, "results": results}


def print_table(report: dict, console: Console) -> None:
    table = Table(title=f"{report['policy']} (mbb/hand of the policy, 95% interval)")
    for column, justify in (("opponent", "left"), ("hands", "right"), ("mbb/hand", "right"), ("95% interval", "right")):
        table.add_column(column, justify=justify)
    for row in report["results"]:
        low, high = row["ci95"]
        table.add_row(row["opponent"], f"{row['hands']:,}", f"{row['mbb_per_hand']:+.1f}", f"[{low:+.1f}, {high:+.1f}]")
    console.print(table)


def write_chart(report: dict, path: Path) -> None:
    """Bar chart of mbb/hand per opponent with 95% interval whiskers (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = report["results"]
    means = [r["mbb_per_hand"] for r in rows]
    errors = [[m - r["ci95"][0] for m, r in zip(means, rows)], [r["ci95"][1] - m for m, r in zip(means, rows)]]
    fig, ax = plt.subplots(figsize=(1.6 + 1.4 * len(rows), 4.5))
    ax.bar([r["opponent"] for r in rows], means, yerr=errors, capsize=6,
           color=["tab:green" if m >= 0 else "tab:red" for m in means])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("mbb/hand (95% interval)")
    ax.set_title(Path(report["policy"]).name)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    try:
        report = evaluate(args, console)
    except UsageError as error:
        print(f"holdem eval_blueprint: error: {error}", file=sys.stderr)
        return 2
    print_table(report, console)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        chart = args.out.with_suffix(".png")
        write_chart(report, chart)
        console.print(f"report: {args.out}  chart: {chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
