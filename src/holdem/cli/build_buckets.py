"""Build the card-abstraction buckets file: ``python -m holdem.cli.build_buckets``.

Computes (or reuses from the cache, ``$HOLDEM_CACHE_DIR`` or ``~/.cache/holdem``) the exact
equity tables of the chosen features, clusters every street with k-means and writes the buckets file.  The file is
an uncompressed npz archive with a JSON manifest, never a pickle, even when its name ends
in ``.pkl``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

DEFAULTS = {"k_preflop": 24, "k_flop": 80, "k_turn": 80, "k_river": 64, "num_players": 2, "seed": 42,
            "out": "assets/abstraction/precomputed_buckets.pkl", "hands": None, "n_init": 3, "max_iter": 30,
            "features": "histogram"}
#: ``--preset tiny``: a few buckets per street on hand-strength features (no turn/flop histogram
#: tables, so it builds from an empty cache in well under a minute), k-means fitted on 20,000
#: sampled hands per street.
PRESETS = {"tiny": {"k_preflop": 8, "k_flop": 8, "k_turn": 8, "k_river": 8, "hands": 20_000,
                    "n_init": 2, "max_iter": 10, "features": "strength"}}


class UsageError(Exception):
    """Bad input, reported as one line."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m holdem.cli.build_buckets", description=__doc__.split("\n\n")[1],
        epilog="Precedence: defaults < --preset < --config file < command-line flags.")
    for street in ("preflop", "flop", "turn", "river"):
        lossless = "; 169 = lossless" if street == "preflop" else ""
        p.add_argument(f"--k-{street}", type=int, metavar="K",
                       help=f"buckets on the {street} (default {DEFAULTS['k_' + street]}{lossless})")
    p.add_argument("--num-players", type=int, help="players the abstraction is for (recorded in the manifest)")
    p.add_argument("--seed", type=int, help="random seed (default 42)")
    p.add_argument("--out", help=f"output file (default {DEFAULTS['out']}); npz content whatever the suffix")
    p.add_argument("--hands", type=int, metavar="N",
                   help="sampled mode: fit k-means on N hands per street, then label all hands "
                        "(default: exact, fitted over every canonical hand)")
    p.add_argument("--n-init", type=int, help="k-means++ restarts per street (default 3)")
    p.add_argument("--max-iter", type=int, help="Lloyd iterations per fit (default 30)")
    p.add_argument("--features", choices=("histogram", "strength"),
                   help="histogram: river-equity histograms on flop and turn (default, needs the turn "
                        "and flop histogram tables); strength: hand strength now on each street (fast, coarse)")
    p.add_argument("--preset", choices=sorted(PRESETS), help="tiny: 8 buckets per street, strength features, sampled mode")
    p.add_argument("--config", type=Path, help="YAML file of settings (keys as the long flags, '_' or '-')")
    p.add_argument("--save-config", type=Path, metavar="FILE", help="write the resolved settings as YAML")
    return p


def resolve(args: argparse.Namespace) -> dict:
    """Settings from defaults, preset, config file and flags, validated."""
    settings = dict(DEFAULTS)
    if args.preset:
        settings.update(PRESETS[args.preset])
    if args.config:
        try:
            loaded = yaml.safe_load(args.config.read_text()) or {}
        except (OSError, yaml.YAMLError) as e:
            raise UsageError(f"cannot read config {args.config}: {e}".splitlines()[0]) from None
        if not isinstance(loaded, dict):
            raise UsageError(f"config {args.config} must be a mapping of settings")
        for key, value in loaded.items():
            name = str(key).replace("-", "_")
            if name not in DEFAULTS:
                raise UsageError(f"config {args.config}: unknown key {key!r} (known: {', '.join(sorted(DEFAULTS))})")
            settings[name] = value
    for name in DEFAULTS:
        if getattr(args, name, None) is not None:
            settings[name] = getattr(args, name)
    for name in ("k_preflop", "k_flop", "k_turn", "k_river", "num_players", "n_init", "max_iter"):
        if not isinstance(settings[name], int) or settings[name] < 1:
            raise UsageError(f"{name.replace('_', '-')} must be a positive integer, got {settings[name]!r}")
    if settings["k_preflop"] > 169:
        raise UsageError(f"k-preflop must be at most 169 (the number of preflop classes), got {settings['k_preflop']}")
    if max(settings[f"k_{s}"] for s in ("flop", "turn", "river")) > 65535:
        raise UsageError("k per street must be at most 65535")
    if not 2 <= settings["num_players"] <= 10:
        raise UsageError(f"num-players must be in 2..10, got {settings['num_players']}")
    if settings["hands"] is not None and (not isinstance(settings["hands"], int) or settings["hands"] < 100):
        raise UsageError(f"hands must be an integer >= 100, got {settings['hands']!r}")
    if settings["features"] not in ("histogram", "strength"):
        raise UsageError(f"features must be 'histogram' or 'strength', got {settings['features']!r}")
    if not isinstance(settings["seed"], int):
        raise UsageError(f"seed must be an integer, got {settings['seed']!r}")
    return settings


def _run(settings: dict, console: Console) -> None:
    from holdem.abstraction import buckets as bk

    out = Path(settings["out"])
    if out.is_dir():
        raise UsageError(f"--out {out} is a directory")
    started = time.perf_counter()
    reports = []
    columns = (TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, tuple[int, float]] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = (bar.add_task(stage, total=total, rate=""), time.perf_counter())
            task, t0 = tasks[stage]
            rate = done / max(time.perf_counter() - t0, 1e-9)
            bar.update(task, completed=min(done, total), rate=f"{rate:,.0f}/s")

        buckets, reports = bk.build(
            {s: settings[f"k_{s}"] for s in bk.STREETS}, num_players=settings["num_players"],
            seed=settings["seed"], hands=settings["hands"], n_init=settings["n_init"],
            max_iter=settings["max_iter"], features=settings["features"], progress=progress)
        for task, _ in tasks.values():
            bar.update(task, completed=bar.tasks[task].total)
    bk.save(buckets, out)
    table = Table(title=f"buckets written to {out} ({buckets.manifest['mode']}, "
                        f"{time.perf_counter() - started:.1f} s)")
    for column in ("street", "k", "canonical hands", "mean equity spread", "max equity spread", "time"):
        table.add_column(column, justify="right")
    for r in reports:
        table.add_row(r.street, str(r.k), f"{r.canonical_hands:,}", f"{r.mean_spread:.4f}",
                      f"{r.max_spread:.4f}", f"{r.seconds:.1f} s")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        settings = resolve(args)
        if args.save_config:
            args.save_config.write_text(yaml.safe_dump(settings, sort_keys=False))
        _run(settings, console)
    except (UsageError, OSError, ValueError) as e:
        print(f"build_buckets: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
