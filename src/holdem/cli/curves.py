"""Training curves of a run: speed, infosets, regret, entropy and, with --lbr, strength against time.

``python -m holdem.cli.curves runs/<name> [--out DIR] [--lbr] [--snapshots 5] [--lbr-hands 4000]
[--hands 10000] [--num-workers 2]``

Writes ``DIR/training.png`` (default ``DIR``: ``RUN/curves``) from the run's ``metrics.jsonl``:
iterations/s, infosets touched (all and per street), average positive regret and strategy entropy
per street, against training seconds.  With ``--lbr`` it also measures up to ``--snapshots`` of
the run's snapshots, evenly spaced: local best response against each (``--lbr-hands``, variant
``--lbr-variant``, see ``eval_blueprint``) and each against the run's final blueprint (``--hands``
duplicate hands), on the same deals for every snapshot, then writes ``DIR/strength.png`` (both
against training time, with 95% intervals) and ``DIR/strength.json``, and prints the numbers with
the change of LBR's win rate since the first snapshot, paired deal by deal.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from rich.console import Console
from rich.table import Table

from holdem import files
from holdem.blueprint import find
from holdem.cli.common import Parser, UsageError, load_settings
from holdem.eval.lbr import DEFAULT_VARIANT, VARIANTS, LBRConfig
from holdem.solver.workers import cores
from holdem.views.charts import save_png
from holdem.views.curves import Strength, draw_strength, draw_training, measure, pick_snapshots, read_metrics


class Settings(BaseModel):
    """Which run, what to measure, where to write."""

    model_config = ConfigDict(extra="forbid")

    run: Path
    out: Path | None = None
    lbr: bool = False
    snapshots: int = Field(default=5, ge=1)
    lbr_hands: int = Field(default=4000, ge=2)
    lbr_variant: Literal[tuple(VARIANTS)] = DEFAULT_VARIANT
    hands: int = Field(default=10000, ge=2)
    num_workers: int = Field(default=1, ge=0)
    seed: int = 0


def _parser() -> Parser:
    parser = Parser("curves", __doc__.splitlines()[0], Settings)
    parser.add_argument("run", type=Path, metavar="RUN", help="run directory (with metrics.jsonl and snapshots/)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="where the PNGs go (default RUN/curves)")
    parser.add_argument("--lbr", action="store_true", default=None, help="measure the snapshots' strength")
    parser.add_argument("--snapshots", type=int, metavar="N", help="snapshots to measure, evenly spaced")
    parser.add_argument("--lbr-hands", type=int, metavar="N", help="LBR hands per snapshot")
    parser.add_argument("--lbr-variant", choices=list(VARIANTS), help="LBR betting and rounds (Lisy & Bowling 2017)")
    parser.add_argument("--hands", type=int, metavar="N", help="duplicate hands per snapshot against the final blueprint")
    parser.add_argument("--num-workers", "--workers", type=int, metavar="N", help="worker processes, 0 = every core")
    parser.add_argument("--seed", type=int, help="seed of the deals (the same for every snapshot)")
    return parser


def strength_table(rows: list[Strength], variant: str) -> Table:
    """The numbers behind ``strength.png``: mbb/hand with the half width of the 95% interval."""
    table = Table(title=f"strength against training time (mbb/hand, 95% interval; LBR {variant})")
    for column in ("seconds", "iterations", "LBR wins", "LBR change (paired)", "snapshot vs final"):
        table.add_column(column, justify="right")
    for r in rows:
        change = r.lbr_change(rows[0])
        table.add_row(f"{r.elapsed:.0f}", f"{r.iterations:,}", f"{r.lbr.mbb_per_hand:+.0f} ± {r.lbr.half_width:.0f}",
                      f"{change.mbb_per_hand:+.0f} ± {change.half_width:.0f}" if r is not rows[0] else "",
                      f"{r.vs_final.mbb_per_hand:+.0f} ± {r.vs_final.half_width:.0f}")
    return table


def _strength(s: Settings, out: Path, console: Console) -> None:
    snapshots = files.numbered(s.run / "snapshots", "snapshot")
    if not snapshots:
        raise UsageError(f"--lbr: {s.run} has no snapshots")
    final = find(s.run)
    picked = pick_snapshots(snapshots, s.snapshots)
    workers, config = cores(s.num_workers), LBRConfig.variant(s.lbr_variant)
    rows = []
    with console.status("") as status:
        for k, path in enumerate(picked, start=1):
            def stage(what: str, k=k, path=path) -> None:
                status.update(f"snapshot {k}/{len(picked)} ({path.name}): {what}")

            rows.append(measure(path, final, lbr_hands=s.lbr_hands, hands=s.hands, lbr=config, seed=s.seed,
                                workers=workers, progress=stage))
    console.print(strength_table(rows, s.lbr_variant))
    report = {"run": str(s.run), "final": str(final), "lbr_variant": s.lbr_variant, "lbr_hands": s.lbr_hands,
              "hands": s.hands, "seed": s.seed, "snapshots": [r.record(rows[0]) for r in rows]}
    files.atomic_write(out / "strength.json", lambda f: f.write((json.dumps(report, indent=1) + "\n").encode()))
    save_png(draw_strength(rows, f"{s.run.name}: strength against training time", s.lbr_variant),
             out / "strength.png")
    console.print(f"strength: {out / 'strength.png'}  {out / 'strength.json'}")


def _main(args: argparse.Namespace) -> None:
    settings = load_settings(Settings, args, args.config)
    metrics_path = settings.run / "metrics.jsonl"
    if not metrics_path.exists():
        raise UsageError(f"{settings.run}: no metrics.jsonl (is it a run directory?)")
    out = settings.out if settings.out is not None else settings.run / "curves"
    console = Console()
    start = time.perf_counter()
    metrics = read_metrics(metrics_path)
    if not metrics:
        raise UsageError(f"{metrics_path}: no metrics lines yet")
    save_png(draw_training(metrics, f"{settings.run.name}: training"), out / "training.png")
    console.print(f"training: {out / 'training.png'} ({len(metrics)} metrics lines)")
    if settings.lbr:
        _strength(settings, out, console)
    console.print(f"done in {time.perf_counter() - start:.0f} s")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv, OSError, files.FileFormatError)


if __name__ == "__main__":
    sys.exit(main())
