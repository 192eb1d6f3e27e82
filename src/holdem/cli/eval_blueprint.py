"""Measure a blueprint: duplicate matches against baselines, local best response, head-to-head.

``python -m holdem.cli.eval_blueprint --policy runs/<name>[/<blueprint>] --episodes 200000 --duplicate
--opponents random,call,raise,heuristic [--lbr] [--vs runs/<other>] --seed 42 --out report.json``

Prints a table (opponent, hands, the policy's mbb/hand and its 95% interval) and, with ``--out``,
writes the JSON report and a bar chart with interval whiskers beside it (``report.png``).  Every
row is from the policy's side: against ``lbr`` it is minus LBR's win rate, and the report also
gives LBR's win rate (a lower bound on the policy's exploitability) as ``lbr_mbb_per_hand``, and
the same luck-adjusted (``lbr_adjusted_mbb_per_hand``: the same expectation with a smaller interval,
see ``holdem.eval.luck``).
``--policy`` also accepts a baseline name (random, call, raise, fold, heuristic) to calibrate.
``--lbr-variant`` picks one of Lisy & Bowling's (2017) LBR settings (default ``fcpa-34``: check/call
preflop and on the flop, then fold, call, pot raise or all-in); ``--num-workers N`` plays in N
processes (0 = every core), each loading its own copy of the blueprints.  ``--search`` plays the
policy with real-time search on top (``--search-budget`` seconds per decision, ``--search-threads``,
``--search-from flop|turn|river``); ``--policy`` and ``--vs`` also take agent specs such as
``search:runs/x?budget=0.5&threads=2``.  ``--paired`` (with a searching policy, against ``--vs`` or
baseline opponents) plays every hand a second time with the control, the policy's blueprint without
search, in the policy's place, with the same cards and random numbers, and reports the per-deal
difference: the search's gain over its blueprint against that opponent, with a far narrower
interval (against the blueprint itself, search's edge over it; see ``holdem.eval.match``).
``--luck`` (heads-up) also scores every match luck-adjusted: the policy's chips less the luck of the
cards and of the opponent's actions where its strategy is known (a blueprint's), with the same
expectation and a narrower interval (``adjusted_mbb_per_hand``; paired, the difference of the
adjusted results; see ``holdem.eval.luck``).  ``--exact-river`` (heads-up, opponents with a known
strategy) also scores them with the river valued exactly by the players' own strategies
(``river_mbb_per_hand``: the same expectation; paired against a blueprint, most of the variance
that is left is gone; see ``holdem.eval.river``).

A blueprint trained for 3-6 players is measured at its own table: the policy in one seat and the
opponent (a baseline, or the ``--vs`` blueprint) in every other seat; ``--duplicate`` plays each
deal once per seat rotation, so the policy holds every seat's cards in every position.  Rows are
the policy's mbb/hand with a 95% interval over the deals.  ``--vs`` the policy's own run seats
copies of itself (zero in expectation: a check).  ``--players`` sets the table of a baseline
policy (a blueprint's is its own); LBR and search are heads-up only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from holdem.agents import BASELINES, Agent, AgentSpec, make_agent
from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.cli.common import Parser, UsageError, load_settings
from holdem.engine import Rules, Street
from holdem.eval.lbr import DEFAULT_VARIANT, VARIANTS, LBRConfig, local_best_response
from holdem.eval.match import play_match, table_rules
from holdem.eval.parallel import derive_seed
from holdem.eval.stats import CI_METHOD, Estimate, mbb_cells
from holdem.search import SearchAgent, SearchConfig
from holdem.solver.workers import cores

PAIRED_ESTIMATE = ("per deal: the policy's result minus the control's on the same cards with the same random "
                   "numbers (unbiased for the policy's gain over the control against the opponent)")


class Settings(BaseModel):
    """What to evaluate and how."""

    model_config = ConfigDict(extra="forbid")

    policy: str
    players: int | None = Field(default=None, ge=2, le=6)
    episodes: int = Field(default=20000, ge=1)
    duplicate: bool = False
    opponents: list[str] = ["random", "call", "raise", "heuristic"]
    lbr: bool = False
    lbr_hands: int = Field(default=2000, ge=1)
    lbr_variant: Literal[tuple(VARIANTS)] = DEFAULT_VARIANT
    vs: list[str] = []
    num_workers: int = Field(default=1, ge=0)
    search: bool = False
    search_budget: float = Field(default=0.5, ge=0.0)
    search_threads: int = Field(default=1, ge=0)
    search_from: Literal["flop", "turn", "river"] = "river"
    paired: bool = False
    luck: bool = False
    exact_river: bool = False
    seed: int = 0
    phh: Path | None = None
    out: Path | None = None

    @field_validator("opponents", mode="before")
    @classmethod
    def _opponents(cls, value: str | list[str]) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()] if isinstance(value, str) else value
        for name in names:
            if name not in BASELINES:
                raise ValueError(f"unknown opponent {name!r}; choose from {', '.join(BASELINES)}")
        return names

    @model_validator(mode="after")
    def _not_empty(self) -> Settings:
        if not self.opponents and not self.vs and not self.lbr:
            raise ValueError("nothing to evaluate: give --opponents, --vs or --lbr")
        return self


def _parser() -> Parser:
    parser = Parser("eval_blueprint", __doc__.splitlines()[0], Settings)
    parser.add_argument("--policy", help="blueprint file, run directory, or a baseline name")
    parser.add_argument("--players", type=int, help="table size for a baseline policy, 2..6 (default: the "
                                                    "blueprint's table, else 2)")
    parser.add_argument("--episodes", type=int, help="hands per opponent")
    parser.add_argument("--duplicate", action="store_true",
                        help="duplicate dealing: each deal played once per seat rotation")
    parser.add_argument("--opponents", help=f"comma-separated baselines from {', '.join(BASELINES)} (may be empty; "
                                            "default random,call,raise,heuristic)")
    parser.add_argument("--lbr", action="store_true", help="also run local best response against the policy")
    parser.add_argument("--lbr-hands", type=int, help="LBR hands")
    parser.add_argument("--lbr-variant", choices=list(VARIANTS),
                        help="LBR betting and rounds, Lisy & Bowling 2017 Table 3")
    parser.add_argument("--vs", action="append", metavar="PATH",
                        help="another blueprint (file or run directory) in every other seat; repeatable")
    parser.add_argument("--num-workers", "--workers", type=int, metavar="N", help="worker processes, 0 = every core")
    parser.add_argument("--search", action="store_true", default=None, help="play the policy with real-time search")
    parser.add_argument("--search-budget", type=float, metavar="SECONDS", help="search time per decision")
    parser.add_argument("--search-threads", type=int, metavar="N", help="threads per search, 0 = every core")
    parser.add_argument("--search-from", choices=("flop", "turn", "river"), help="the first street searched")
    parser.add_argument("--paired", action="store_true",
                        help="replay each hand with the policy's blueprint without search in its place (same cards "
                             "and random numbers) and report the difference")
    parser.add_argument("--luck", action="store_true",
                        help="heads-up: also score the matches luck-adjusted (same expectation, narrower interval)")
    parser.add_argument("--exact-river", action="store_true",
                        help="heads-up: also score the matches with the river valued exactly by both players' "
                             "strategies (same expectation, narrower interval)")
    parser.add_argument("--seed", type=int, help="master seed")
    parser.add_argument("--phh", type=Path, metavar="DIR", help="write every hand to DIR/<opponent>.phhs")
    parser.add_argument("--out", type=Path, help="JSON report path (a PNG chart is written beside it)")
    return parser


def load_policy(text: str, seed: int, search: SearchConfig | None = None,
                players: int | None = None) -> tuple[Agent, Rules]:
    """The agent for ``text`` (a baseline name, a blueprint path or an agent spec), with ``search``
    on top of a blueprint when given, and the table it plays on (``players`` seats for a baseline)."""
    spec = AgentSpec.parse(text, seed)
    if spec.kind in BASELINES:
        return spec.build(), table_rules(players or 2)
    if not Path(str(spec.path)).exists():
        raise UsageError(f"no such blueprint file or run directory: {spec.path}")
    try:
        agent = spec.build()
        if search is not None and isinstance(agent, BlueprintAgent):
            agent = SearchAgent(agent, search, seed, f"search:{Path(str(spec.path)).name}")
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot load {spec.kind} {spec.path}: {error}") from None
    if players is not None and players != agent.rules.num_players:
        raise UsageError(f"--players {players}: {spec.path} plays {agent.rules.num_players}-handed")
    return agent, agent.rules


def _control(policy: Agent, s: Settings) -> Agent | None:
    """The control of a ``--paired`` match: the searching policy's own blueprint (None unpaired)."""
    if not s.paired:
        return None
    if not isinstance(policy, SearchAgent):
        raise UsageError("--paired needs a searching policy (--search or a search: spec): its control is the "
                         "policy's blueprint without search")
    if not s.opponents and not s.vs:
        raise UsageError("--paired needs an opponent to play: give --vs or --opponents")
    return policy.blueprint


def _fields(est: Estimate, prefix: str = "") -> dict:
    """``{prefix}mbb_per_hand`` and ``{prefix}ci95`` of ``est``, rounded for the report."""
    return {f"{prefix}mbb_per_hand": round(est.mbb_per_hand, 3),
            f"{prefix}ci95": [round(est.ci95[0], 3), round(est.ci95[1], 3)]}


def _row(opponent: str, hands: int, est: Estimate, **extra: object) -> dict:
    return {"opponent": opponent, "hands": hands, **_fields(est), **extra}


def evaluate(s: Settings, console: Console) -> dict:
    """Play every evaluation ``s`` asks for; returns the report."""
    workers = cores(s.num_workers)
    search = SearchConfig(budget=s.search_budget, threads=s.search_threads, first_street=s.search_from) \
        if s.search else None
    policy, rules = load_policy(s.policy, derive_seed(s.seed, 0), search, s.players)
    n = rules.num_players
    if n > 2 and (s.lbr or s.search or s.luck or s.exact_river):
        flag = "--lbr" if s.lbr else "--search" if s.search else "--luck" if s.luck else "--exact-river"
        raise UsageError(f"{flag} is heads-up only; the policy plays {n}-handed")
    control = _control(policy, s)
    jobs: list[tuple[str, Agent | None]] = [(name, make_agent(name, derive_seed(s.seed, 1))) for name in s.opponents]
    for path in s.vs:
        other = load_policy(path, derive_seed(s.seed, 2))[0]
        table = getattr(other, "rules", None)  # a blueprint's table (baselines play any)
        if table is not None and table.num_players != n:
            raise UsageError(f"--vs {path} plays {table.num_players}-handed, the policy {n}-handed")
        jobs.append((f"vs:{path}", other))
    if s.exact_river:
        blind = [name for name, opponent in jobs if not opponent.has_policy]
        if blind:
            raise UsageError(f"--exact-river needs opponents whose strategy is known; {', '.join(blind)} only "
                             "samples its actions")
    if s.lbr:
        jobs.append(("lbr", None))
    if s.phh is not None:
        s.phh.mkdir(parents=True, exist_ok=True)
    results = []
    columns = (TextColumn("[bold]{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("hands"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        for name, opponent in jobs:
            total = s.lbr_hands if opponent is None else s.episodes
            task = progress.add_task(name, total=total)

            def update(done: int, task=task) -> None:
                progress.update(task, completed=done)

            if opponent is None:
                config = LBRConfig.variant(s.lbr_variant)
                lbr = local_best_response(policy, s.lbr_hands, rules=rules, config=config, seed=s.seed,
                                          workers=workers, progress=update)
                est, adjusted = lbr.estimate(), lbr.adjusted_estimate()
                mine = Estimate(-est.mbb_per_hand, (-est.ci95[1], -est.ci95[0]), est.units)
                results.append(_row(name, lbr.hands, mine, **_fields(est, "lbr_"), **_fields(adjusted, "lbr_adjusted_"),
                                    lbr_variant=s.lbr_variant))
            else:
                phh = None if s.phh is None else s.phh / f"{name.replace('/', '_').replace(':', '_')}.phhs"
                match = play_match([policy] + [opponent] * (n - 1), s.episodes, rules=rules, duplicate=s.duplicate,
                                   seed=s.seed, workers=workers, histories=phh, progress=update, control=control,
                                   luck=s.luck, exact_river=s.exact_river)
                extra = _fields(match.adjusted_estimate(), "adjusted_") if s.luck else {}
                if s.exact_river:
                    extra.update(_fields(match.river_estimate(), "river_"))
                if control is None:
                    results.append(_row(name, match.hands, match.estimate(0), **extra))
                else:
                    results.append(_row(name, match.hands, match.paired_estimate(0), estimate="paired",
                                        **_fields(match.estimate(0), "unpaired_"),
                                        river_deals=round(match.reached(Street.RIVER)[0], 4),
                                        seconds=round(match.seconds, 1), **extra))
            progress.update(task, completed=total)
    return {"policy": s.policy, "players": n, "seed": s.seed, "duplicate": s.duplicate,
            "paired": None if control is None else {"control": control.name, "estimate": PAIRED_ESTIMATE},
            "ci": CI_METHOD,
            "big_blind": rules.big_blind, "workers": workers, "results": results}


def print_table(report: dict, console: Console) -> None:
    seats = f", {report['players']}-handed: the opponent in the other seats" if report["players"] > 2 else ""
    paired = report.get("paired")
    caption = None if paired is None else (f"paired: the policy's mbb/hand minus its control's ({paired['control']}) "
                                           "on the same cards and random numbers; unpaired: the policy's alone")
    table = Table(title=f"{report['policy']} (mbb/hand of the policy, 95% interval{seats})", caption=caption)
    columns = [("opponent", "left"), ("hands", "right"), ("mbb/hand", "right"), ("95% interval", "right")]
    if paired is not None:
        columns += [("unpaired", "right"), ("unpaired interval", "right")]
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for row in report["results"]:
        cells = [row["opponent"] + (" (paired)" if row.get("estimate") == "paired" else ""), f"{row['hands']:,}",
                 *mbb_cells(row["mbb_per_hand"], row["ci95"])]
        if paired is not None:
            unpaired = "unpaired_ci95" in row
            cells += mbb_cells(row["unpaired_mbb_per_hand"], row["unpaired_ci95"]) if unpaired else ["", ""]
        table.add_row(*cells)
    console.print(table)
    for row in report["results"]:
        for prefix, scored in (("adjusted_", "luck-adjusted"), ("river_", "with exact river values")):
            if f"{prefix}ci95" in row:
                estimate = " ".join(mbb_cells(row[f"{prefix}mbb_per_hand"], row[f"{prefix}ci95"]))
                what = "minus the control's, both " if row.get("estimate") == "paired" else ""
                console.print(f"{row['opponent']}, {what}{scored} (same expectation, less variance): "
                              f"{estimate} mbb/hand")
        if "lbr_adjusted_ci95" in row:
            estimate = " ".join(mbb_cells(row["lbr_adjusted_mbb_per_hand"], row["lbr_adjusted_ci95"]))
            console.print(f"LBR {row['lbr_variant']}, luck-adjusted (same expectation, less variance): LBR wins "
                          f"{estimate} mbb/hand")


def wrap_spec(spec: str, width: int) -> str:
    """``spec`` (a policy path or agent spec) in lines of at most ``width`` characters where it can be,
    each broken after a ``/``, ``?`` or ``&``."""
    lines = [""]
    for part in re.split(r"(?<=[/?&])", spec):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)


def write_chart(report: dict, path: Path) -> None:
    """Bar chart of the policy's mbb/hand per opponent with 95% interval whiskers and the hands played
    (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = report["results"]
    means = [r["mbb_per_hand"] for r in rows]
    errors = [[m - r["ci95"][0] for m, r in zip(means, rows)], [r["ci95"][1] - m for m, r in zip(means, rows)]]
    lbr = "\n(its loss to LBR,\nminus LBR's win)"
    paired = "\n(paired: minus\nthe control's)"
    labels = [f"{r['opponent']}\n{r['hands']:,} hands" + (lbr if r["opponent"] == "lbr" else "")
              + (paired if r.get("estimate") == "paired" else "") for r in rows]
    fig, ax = plt.subplots(figsize=(max(4.8, 1.6 + 1.6 * len(rows)), 4.8))
    ax.bar(labels, means, yerr=errors, capsize=6, color=["tab:green" if m >= 0 else "tab:red" for m in means])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("the policy's mbb/hand (95% interval)")
    title = wrap_spec(report["policy"], int(11 * fig.get_figwidth()))  # about 11 characters an inch at size 10
    ax.set_title(f"{title}\nabove 0 the policy wins, below it loses", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _main(args: argparse.Namespace) -> None:
    settings = load_settings(Settings, args, args.config)
    console = Console()
    report = evaluate(settings, console)
    print_table(report, console)
    if settings.out is not None:
        settings.out.parent.mkdir(parents=True, exist_ok=True)
        settings.out.write_text(json.dumps(report, indent=2) + "\n")
        chart = settings.out.with_suffix(".png")
        write_chart(report, chart)
        console.print(f"report: {settings.out}  chart: {chart}")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv)


if __name__ == "__main__":
    sys.exit(main())
