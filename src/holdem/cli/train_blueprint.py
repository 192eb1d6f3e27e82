"""Train a blueprint with external-sampling MCCFR: ``python -m holdem.cli.train_blueprint``.

Settings come from the defaults, then ``--config`` (YAML; unknown keys are rejected by name), then
the flags given on the command line.  Without ``--buckets`` a tiny card abstraction is built on
first use and cached, so one command trains on a fresh machine.  See ``docs/training.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from rich.console import Console

from holdem.abstraction.cache import cache_dir
from holdem.cli import build_buckets
from holdem.training.config import ConfigError, load_yaml, parse_bytes, resolve
from holdem.training.trainer import RunError, Trainer, load_checkpoint

#: flag destination -> config key, for the flags that override config settings
_OVERRIDES = ("iters", "time_budget", "num_workers", "batch_size", "snapshot_interval", "checkpoint_interval",
              "num_players", "seed", "tensorboard", "max_memory")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m holdem.cli.train_blueprint", description=__doc__.split("\n\n")[1],
                                epilog="Precedence: defaults < checkpoint (on resume) < --config < flags.")
    p.add_argument("--config", type=Path, help="YAML settings (see configs/)")
    p.add_argument("--buckets", type=Path, help="buckets file from build_buckets (default: the cached tiny abstraction)")
    p.add_argument("--logdir", type=Path, default=Path("runs/blueprint"), help="run directory (default %(default)s)")
    p.add_argument("--iters", type=int, help="iterations to run now (one traversal per player each)")
    p.add_argument("--time-budget", type=float, metavar="SECONDS", help="seconds to run now")
    p.add_argument("--num-workers", type=int, metavar="N", help="worker threads sharing the tables; 0 = every core")
    p.add_argument("--batch-size", type=int, help="iterations per worker between metric/discount points")
    p.add_argument("--snapshot-interval", type=float, metavar="SECONDS", help="seconds between strategy snapshots")
    p.add_argument("--checkpoint-interval", type=float, metavar="SECONDS", help="seconds between checkpoints")
    p.add_argument("--resume-from", type=Path, metavar="PATH", help="checkpoint file or run directory to continue")
    p.add_argument("--num-players", type=int, help="players at the table (2..6)")
    p.add_argument("--seed", type=int, help="master seed of the workers' random streams")
    p.add_argument("--tensorboard", action=argparse.BooleanOptionalAction, default=None,
                   help="write TensorBoard event files (default on)")
    p.add_argument("--max-memory", help="memory limit, e.g. 8G (default: memory available now)")
    p.add_argument("--no-progress", action="store_true", help="no live progress bar")
    return p


def default_buckets(num_players: int, console: Console) -> Path:
    """The cached tiny abstraction for ``num_players``, built with build_buckets' tiny preset on first use.

    The file name carries a fingerprint of the preset's settings, so a changed preset is rebuilt
    rather than served stale from the cache.
    """
    preset = json.dumps(build_buckets.PRESETS["tiny"], sort_keys=True).encode()
    path = cache_dir() / f"tiny-buckets-{num_players}p-{hashlib.sha256(preset).hexdigest()[:12]}.npz"
    if not path.exists():
        console.print(f"no --buckets given: building the tiny abstraction once into {path}")
        if build_buckets.main(["--preset", "tiny", "--num-players", str(num_players), "--out", str(path)]) != 0:
            raise RunError("could not build the tiny abstraction (see above)")
    return path


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, reported in one line)."""
    args = _parser().parse_args(argv)
    console = Console(stderr=True, soft_wrap=True)
    try:
        settings: dict = {}
        source = "settings"
        if args.resume_from is not None:
            settings.update(load_checkpoint(args.resume_from)[1]["config"])
            for key in ("iters", "time_budget"):
                settings.pop(key, None)
        if args.config is not None:
            settings.update(load_yaml(args.config))
            source = f"config {args.config}"
        for key in _OVERRIDES:
            value = getattr(args, key)
            if value is not None:
                settings[key] = value
        if args.max_memory is not None:
            parse_bytes(args.max_memory)
        config = resolve(settings, source)
        buckets = args.buckets if args.buckets is not None else default_buckets(config.num_players, console)
        trainer = Trainer(config, buckets, args.logdir, args.resume_from, console, show_progress=not args.no_progress)
        line = trainer.run()
        console.print(f"last metrics: {line}")
    except (ConfigError, RunError, ValueError) as e:
        print(f"train_blueprint: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
