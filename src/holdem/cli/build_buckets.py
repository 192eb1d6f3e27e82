"""Build a card abstraction: k-means buckets per street, written as a checksummed buckets file.

Computes (or reuses from the cache, ``$HOLDEM_CACHE_DIR`` or ``~/.cache/holdem``) the exact equity
tables of the chosen features, clusters every street with k-means and writes the buckets file (an
npz archive with a JSON manifest, never a pickle, even when its name ends in ``.pkl``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from holdem.abstraction import buckets as bk
from holdem.abstraction.presets import PRESETS, BucketsConfig
from holdem.cli.common import Parser, StageBars, UsageError, load_settings


class Settings(BucketsConfig):
    """A build and where its file goes."""

    out: Path = Path("assets/abstraction/precomputed_buckets.pkl")


def _parser() -> Parser:
    p = Parser("build_buckets", __doc__.split("\n\n")[1], Settings,
               epilog="Precedence: defaults < --preset < --config file < command-line flags.")
    for street in bk.STREETS:
        lossless = "; 169 = lossless" if street == "preflop" else ""
        p.add_argument(f"--k-{street}", type=int, metavar="K", help=f"buckets on the {street}{lossless}")
    p.add_argument("--num-players", type=int, help="players the abstraction is for (recorded in the manifest)")
    p.add_argument("--seed", type=int, help="random seed")
    p.add_argument("--out", type=Path, help="output file; npz content whatever the suffix")
    p.add_argument("--hands", type=int, metavar="N",
                   help="sampled mode: fit k-means on N hands per street, then label all hands "
                        "(default: exact, fitted over every canonical hand)")
    p.add_argument("--n-init", type=int, help="k-means++ restarts per street")
    p.add_argument("--max-iter", type=int, help="Lloyd iterations per fit")
    p.add_argument("--features", choices=("histogram", "strength"),
                   help="histogram: river-equity histograms on flop and turn (default, needs the turn "
                        "and flop histogram tables); strength: hand strength now on each street (fast, coarse)")
    p.add_argument("--preset", choices=sorted(PRESETS),
                   help="tiny: 8 buckets per street, strength features, sampled mode")
    p.add_argument("--save-config", type=Path, metavar="FILE", help="write the resolved settings as YAML")
    return p


def resolve(args: argparse.Namespace) -> Settings:
    """Settings from defaults, preset, config file and flags, validated."""
    return load_settings(Settings, args, args.config, PRESETS.get(args.preset), base_source=f"preset {args.preset}")


def _run(settings: Settings, console: Console) -> None:
    if settings.out.is_dir():
        raise UsageError(f"--out {settings.out} is a directory")
    started = time.perf_counter()
    with StageBars(console) as progress:
        buckets, reports = settings.build(progress)
    bk.save(buckets, settings.out)
    table = Table(title=f"buckets written to {settings.out} ({buckets.manifest['mode']}, "
                        f"{time.perf_counter() - started:.1f} s)")
    for column in ("street", "k", "canonical hands", "mean equity spread", "max equity spread", "time"):
        table.add_column(column, justify="right")
    for r in reports:
        table.add_row(r.street, str(r.k), f"{r.canonical_hands:,}", f"{r.mean_spread:.4f}",
                      f"{r.max_spread:.4f}", f"{r.seconds:.1f} s")
    console.print(table)


def _main(args: argparse.Namespace) -> None:
    settings = resolve(args)
    if args.save_config:
        args.save_config.write_text(yaml.safe_dump(settings.model_dump(mode="json"), sort_keys=False))
    _run(settings, Console(stderr=True))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv, OSError, ValueError)


if __name__ == "__main__":
    sys.exit(main())
