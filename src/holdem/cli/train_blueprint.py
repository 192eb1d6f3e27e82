"""Train a blueprint with external-sampling MCCFR on every core you give it (Pluribus's recipe).

Without ``--buckets`` a resume uses the buckets file its checkpoint records, and a new run the tiny
card abstraction, built on first use and cached, so one command trains on a fresh machine.  With
``--ray`` (or a ``cluster:`` section in the config) the run trains on a Ray cluster, one actor per
node.  See ``docs/training.md`` and ``docs/distributed.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from holdem.abstraction.presets import tiny_buckets, tiny_buckets_path
from holdem.cli.common import Parser, StageBars, UsageError, flag, load_settings
from holdem.files import FileFormatError
from holdem.training.checkpoint import Checkpoint
from holdem.distributed.config import ClusterConfig, ClusterTrainConfig
from holdem.training.config import TrainConfig
from holdem.training.rundir import RunError
from holdem.training.trainer import Trainer

COMMAND = "train_blueprint"


def _parser() -> Parser:
    p = Parser(COMMAND, __doc__.split("\n\n")[1], ClusterTrainConfig,
               epilog="Precedence: defaults < checkpoint (on resume) < --config < flags.")
    p.add_argument("--buckets", type=Path, help="buckets file from build_buckets (default: the checkpoint's on "
                                                "resume, else the cached tiny abstraction)")
    p.add_argument("--logdir", type=Path, default=Path("runs/blueprint"), help="run directory (default %(default)s)")
    p.add_argument("--iterations", "--iters", type=int, help="iterations to run now (one traversal per player each)")
    p.add_argument("--time-budget", type=float, metavar="SECONDS", help="seconds to run now")
    p.add_argument("--num-workers", type=int, metavar="N", help="worker threads sharing the tables; 0 = every core")
    p.add_argument("--batch-size", type=int, help="iterations per worker between metric/discount points")
    p.add_argument("--snapshot-interval", type=float, metavar="SECONDS", help="seconds between strategy snapshots")
    p.add_argument("--checkpoint-interval", type=float, metavar="SECONDS", help="seconds between checkpoints")
    p.add_argument("--resume-from", type=Path, metavar="PATH", help="checkpoint file or run directory to continue")
    p.add_argument("--num-players", type=int, help="players at the table (2..6)")
    p.add_argument("--seed", type=int, help="master seed of the workers' random streams")
    p.add_argument("--tensorboard", action=argparse.BooleanOptionalAction, help="write TensorBoard event files")
    p.add_argument("--max-memory", help="memory limit, e.g. 8G (default: memory available now)")
    p.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                   help="train on the Ray cluster at ADDRESS (default: the config's cluster address, else auto: "
                        "the cluster this machine belongs to, or a new local one); needs holdem[distributed]")
    p.add_argument("--no-progress", action="store_true", help="no live progress bar")
    return p


def _train(args: argparse.Namespace) -> None:
    console = Console(stderr=True, soft_wrap=True)
    resume = None
    base: dict = {}
    if args.resume_from is not None:
        try:
            resume = Checkpoint.load(args.resume_from)
        except FileFormatError as e:
            raise UsageError(f"--resume-from {e}") from None
        base = {k: v for k, v in resume.config.items() if k not in ("iterations", "iters", "time_budget")}
    settings = load_settings(ClusterTrainConfig, args, args.config, base, base_source=f"checkpoint {args.resume_from}",
                             aliases={"iters": "iterations"})
    config, cluster = settings.split()
    if args.ray is not None:
        cluster = cluster or ClusterConfig()
        cluster = cluster.model_copy(update={"address": args.ray or cluster.address})
    buckets = args.buckets
    if buckets is None:
        if resume is not None:
            buckets = Path(resume.manifest["buckets_path"])
        else:
            if not tiny_buckets_path(config.num_players).exists():
                console.print(f"no --buckets given: building the tiny abstraction once into "
                              f"{tiny_buckets_path(config.num_players)}")
            with StageBars(console) as bars:
                buckets = tiny_buckets(config.num_players, bars)
    if cluster is None:
        trainer = Trainer(config, buckets, args.logdir, resume, say=console.print)
        _run(trainer, config, resume, args, console)
        return
    try:
        from holdem.distributed.blueprint import DistributedTrainer
        from holdem.distributed.cluster import ClusterError
    except ImportError as e:
        raise UsageError(f"--ray needs Ray ({e}): pip install 'holdem[distributed]'") from None
    try:
        trainer = DistributedTrainer(config, cluster, buckets, args.logdir, resume, say=console.print)
        try:
            _run(trainer, config, resume, args, console)
        finally:
            trainer.close()
    except ClusterError as e:
        raise UsageError(f"--ray: {e}") from None


def _run(trainer: Trainer, config: TrainConfig, resume: Checkpoint | None, args: argparse.Namespace,
         console: Console) -> None:
    """Train with a progress bar and say how it ended."""
    if resume is not None:
        console.print(f"resuming {args.logdir} from {resume.path.stem} ({resume.iterations:,} iterations)")
    columns = [TextColumn("[bold]training"), BarColumn(), TextColumn("{task.fields[its]:>12,} it"),
               TextColumn("{task.fields[rate]:>9,.0f} it/s"), TimeElapsedColumn(), TextColumn("left"),
               TimeRemainingColumn()]
    with Progress(*columns, console=console, disable=args.no_progress) as bar:
        task = bar.add_task("training", total=1.0 if (config.iterations or config.time_budget) else None,
                            its=trainer.iterations, rate=0.0)
        line = trainer.run(lambda its, rate, share: bar.update(task, its=its, rate=rate, completed=share))
    why = "interrupted" if trainer.interrupted else "budget reached"
    console.print(f"{why}: {trainer.iterations:,} iterations in {trainer.elapsed:,.0f} s of training "
                  f"({line.get('iters_per_s', 0):,.0f} it/s over the last interval, {trainer.workers} workers, "
                  f"{line.get('infosets_touched', 0):,} infosets touched)")
    console.print(f"blueprint: {trainer.run_dir.blueprint_path}   checkpoint: {trainer.checkpoint}")
    lbr = " --lbr" if trainer.config.num_players == 2 else ""  # local best response is heads-up
    console.print(f"next: python -m holdem.cli.eval_blueprint --policy {args.logdir} --duplicate{lbr}")
    console.print(f"      python -m holdem.cli.serve --policy {args.logdir}   (play it and see its strategy in a browser)")


def _blamed(error: RunError) -> UsageError:
    """A library error as a usage error naming the flag of the setting at fault."""
    prefix = f"{flag(error.setting)} " if error.setting in ("logdir", "resume_from", "buckets") else ""
    if error.setting == "max_memory":
        prefix = "--max-memory: "
    return UsageError(f"{prefix}{error}")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, reported in one line)."""

    def body(args: argparse.Namespace) -> None:
        try:
            _train(args)
        except RunError as e:
            raise _blamed(e) from None

    return _parser().main(body, argv)


if __name__ == "__main__":
    sys.exit(main())
