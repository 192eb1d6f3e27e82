"""Pool the reports of independent evaluation runs into one estimate per policy and opponent.

``python -m holdem.cli.pool seed5.json seed6.json [...] [--out pooled.json]``

Each ``REPORT`` is the JSON that ``eval_blueprint --out`` writes.  Rows with the same policy,
opponent, LBR variant and kind of estimate (paired or not) are pooled, every estimate that all of
them carry (plain, luck-adjusted, exact-river, unpaired, LBR's own): the runs' means weighted by
the inverse of their variance, each run's standard error read back from its 95% interval
(:func:`holdem.eval.stats.pooled`).  Runs must be independent, so two reports of the same policy
and seed are refused.  Pooling runs of one agent spec on different training runs of the same
config (``runs/hu10`` retrained) estimates the config's mean, not one blueprint's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from rich.console import Console
from rich.table import Table

from holdem import files
from holdem.cli.common import Parser, UsageError, load_settings
from holdem.eval.stats import Estimate, mbb_cells, pooled

PREFIXES = {"": "the policy's", "adjusted_": "luck-adjusted", "river_": "exact river", "unpaired_": "unpaired",
            "lbr_": "LBR's", "lbr_adjusted_": "LBR's, luck-adjusted"}
"""Estimates a report row may carry, by the prefix of their ``mbb_per_hand`` and ``ci95`` keys -> how a
table names them."""


class Settings(BaseModel):
    """Which reports, where the pooled report goes."""

    model_config = ConfigDict(extra="forbid")

    reports: list[Path]
    out: Path | None = None


def _parser() -> Parser:
    parser = Parser("pool", __doc__.splitlines()[0], Settings)
    parser.add_argument("reports", type=Path, nargs="+", metavar="REPORT", help="eval_blueprint --out JSON files")
    parser.add_argument("--out", type=Path, help="write the pooled estimates to this JSON file")
    return parser


def read_report(path: Path) -> dict:
    """The report in ``path``, checked to have a policy, a seed and result rows that count their hands."""
    try:
        report = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UsageError(f"cannot read report {path}: {str(e).splitlines()[0]}") from None
    if not isinstance(report, dict) or not isinstance(report.get("results"), list) or "policy" not in report \
            or "seed" not in report \
            or not all(isinstance(row, dict) and isinstance(row.get("hands"), int) for row in report["results"]):
        raise UsageError(f"{path} is not an eval_blueprint report (no policy, seed, or result rows with hands)")
    return report


def _estimate(row: dict, prefix: str, path: Path) -> Estimate | None:
    """Row's estimate under ``prefix``, or ``None`` where it has none."""
    mean, ci = row.get(f"{prefix}mbb_per_hand"), row.get(f"{prefix}ci95")
    if mean is None or ci is None:
        return None
    try:
        return Estimate(float(mean), (float(ci[0]), float(ci[1])), row["hands"])
    except (TypeError, ValueError, IndexError):
        raise UsageError(f"{path}: {row.get('opponent')!r}: bad {prefix}mbb_per_hand/{prefix}ci95") from None


def pool_reports(reports: dict[Path, dict]) -> list[dict]:
    """Pooled rows of ``reports`` (path -> report), in the order their keys first appear: the key's
    fields, ``runs`` (report paths), ``seeds``, ``hands`` summed, and ``{prefix}mbb_per_hand`` and
    ``{prefix}ci95`` for every prefix of :data:`PREFIXES` that each pooled row carries."""
    groups: dict[tuple, list[tuple[Path, int, dict]]] = {}
    seen: dict[tuple, Path] = {}
    for path, report in reports.items():
        seed = report["seed"]
        for row in report["results"]:
            key = (report["policy"], row.get("opponent"), row.get("lbr_variant"), row.get("estimate"))
            if (key, seed) in seen:
                raise UsageError(f"{seen[key, seed]} and {path} are the same run of {key[0]} against {key[1]} "
                                 f"(seed {seed}): pooled runs must be independent")
            seen[key, seed] = path
            groups.setdefault(key, []).append((path, seed, row))
    pooled_rows = []
    for (policy, opponent, variant, kind), members in groups.items():
        out: dict = {"policy": policy, "opponent": opponent}
        out.update({"lbr_variant": variant} if variant else {})
        out.update({"estimate": kind} if kind else {})
        out.update(runs=[str(p) for p, _, _ in members], seeds=[s for _, s, _ in members],
                   hands=sum(row["hands"] for _, _, row in members))
        for prefix in PREFIXES:
            found = [_estimate(row, prefix, path) for path, _, row in members]
            if all(est is not None for est in found):
                try:
                    est = pooled(found)
                except ValueError as e:
                    raise UsageError(f"{policy} against {opponent}: {e}") from None
                out[f"{prefix}mbb_per_hand"] = round(est.mbb_per_hand, 3)
                out[f"{prefix}ci95"] = [round(est.ci95[0], 3), round(est.ci95[1], 3)]
        pooled_rows.append(out)
    return pooled_rows


def print_pooled(rows: list[dict], console: Console) -> None:
    """A table per policy, a line per pooled estimate: mbb/hand and the 95% interval."""
    for policy in dict.fromkeys(row["policy"] for row in rows):
        table = Table(title=f"{policy}: pooled over runs (mbb/hand, 95% interval; inverse-variance weights)")
        for column in ("opponent", "estimate", "runs", "hands", "mbb/hand", "95% interval"):
            table.add_column(column, justify="right" if column in ("runs", "hands", "mbb/hand") else "left")
        for row in (r for r in rows if r["policy"] == policy):
            who = row["opponent"] + (f" {row['lbr_variant']}" if "lbr_variant" in row else "")
            for prefix, name in PREFIXES.items():
                if f"{prefix}mbb_per_hand" in row:
                    name = row["estimate"] if not prefix and "estimate" in row else name
                    table.add_row(who, name, str(len(row["runs"])), f"{row['hands']:,}",
                                  *mbb_cells(row[f"{prefix}mbb_per_hand"], row[f"{prefix}ci95"]))
        console.print(table)


def _main(args: argparse.Namespace) -> None:
    settings = load_settings(Settings, args, args.config)
    if len(settings.reports) < 2:
        raise UsageError(f"pooling needs two reports or more, got {len(settings.reports)}")
    if len(set(settings.reports)) < len(settings.reports):
        raise UsageError("a report is given twice")
    rows = pool_reports({path: read_report(path) for path in settings.reports})
    print_pooled(rows, Console())
    if settings.out is not None:
        text = json.dumps({"method": "inverse-variance (fixed effect), standard errors read from the 95% intervals",
                           "pooled": rows}, indent=2) + "\n"
        files.atomic_write(settings.out, lambda f: f.write(text.encode()))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv, OSError)


if __name__ == "__main__":
    sys.exit(main())
