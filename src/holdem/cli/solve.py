"""Solve Kuhn or Leduc poker with any CFR-family algorithm and report exact exploitability.

``python -m holdem.cli.solve --game leduc --algorithm cfr+ --iterations 1000 [--num-workers N] [--seed S]``;
with ``--ray [ADDRESS]`` an MCCFR run is spread over ``--actors`` Ray actors (see ``docs/distributed.md``).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from holdem.cli.common import Parser, UsageError, load_settings
from holdem.eval import exploitability
from holdem.games import GAMES, load_tree
from holdem.solver import ALGORITHMS, MCCFR_ALGORITHMS, Tables, make_solver


class Settings(BaseModel):
    """A solver run."""

    model_config = ConfigDict(extra="forbid")

    game: Literal[tuple(GAMES)] = "leduc"
    algorithm: Literal[ALGORITHMS] = "cfr+"
    iterations: int = Field(default=1000, ge=1)
    num_workers: int = Field(default=1, ge=0)
    seed: int = 0
    checkpoints: int = Field(default=10, ge=1)
    regret_dtype: Literal["float64", "int32"] = "float64"
    regret_scale: float | None = Field(default=None, gt=0)
    ray: str | None = None
    actors: int = Field(default=2, ge=1)
    sync_iterations: int = Field(default=20, ge=1)

    @model_validator(mode="after")
    def _mccfr_only(self) -> Settings:
        if self.algorithm not in MCCFR_ALGORITHMS and (
                self.num_workers != 1 or self.regret_dtype != "float64" or self.regret_scale is not None):
            raise ValueError(f"{self.algorithm} is full-tree and single-threaded: "
                             "--num-workers and --regret-* are MCCFR only")
        if self.ray is not None and self.algorithm not in MCCFR_ALGORITHMS:
            raise ValueError(f"{self.algorithm} is full-tree: --ray is MCCFR only")
        if self.ray is None and (self.actors != 2 or self.sync_iterations != 20):
            raise ValueError("--actors and --sync-iterations need --ray")
        return self


def _parser() -> Parser:
    parser = Parser("solve", __doc__.splitlines()[0], Settings)
    parser.add_argument("--game", choices=sorted(GAMES), help="the game")
    parser.add_argument("--algorithm", choices=ALGORITHMS, help="the solver")
    parser.add_argument("--iterations", type=int, help="iterations (one update of every player each)")
    parser.add_argument("--num-workers", "--workers", type=int, metavar="N",
                        help="worker threads, 0 = every core (MCCFR only)")
    parser.add_argument("--seed", type=int, help="master seed (MCCFR only)")
    parser.add_argument("--checkpoints", type=int, help="exploitability reports during training")
    parser.add_argument("--regret-dtype", choices=("float64", "int32"), help="MCCFR only")
    parser.add_argument("--regret-scale", type=float,
                        help="MCCFR regret table units per chip (default 1, or 1000 with int32)")
    parser.add_argument("--ray", nargs="?", const="auto", metavar="ADDRESS",
                        help="MCCFR on the Ray cluster at ADDRESS (default auto: this machine's cluster, else a new "
                             "local one); needs holdem[distributed]")
    parser.add_argument("--actors", type=int, help="Ray actors of --num-workers threads each (with --ray)")
    parser.add_argument("--sync-iterations", type=int, help="iterations between merges of the actors' tables")
    return parser


def _distributed(s: Settings, tree, options: dict):
    """The MCCFR run of ``s`` on Ray actors."""
    try:
        from holdem.distributed.cluster import ClusterError
        from holdem.distributed.solver import DistributedMCCFR
        from holdem.solver import MCCFRConfig
    except ImportError as e:
        raise UsageError(f"--ray needs Ray ({e}): pip install 'holdem[distributed]'") from None
    config = MCCFRConfig(sampling=MCCFR_ALGORITHMS[s.algorithm], **options)
    try:
        return DistributedMCCFR(tree, s.game, config, s.actors, s.sync_iterations, s.ray)
    except ClusterError as e:
        raise UsageError(f"--ray: {e}") from None


def _main(args: argparse.Namespace) -> None:
    s = load_settings(Settings, args, args.config)
    console = Console()
    tree = load_tree(s.game)
    options = {}
    if s.algorithm in MCCFR_ALGORITHMS:
        scale = s.regret_scale if s.regret_scale is not None else (1000.0 if s.regret_dtype == "int32" else 1.0)
        options = dict(num_workers=s.num_workers, seed=s.seed, regret_dtype=s.regret_dtype, regret_scale=scale)
    if s.ray is None:
        _solve(s, tree, make_solver(s.algorithm, tree, **options), console)
        return
    solver = _distributed(s, tree, options)
    try:
        _solve(s, tree, solver, console)
    finally:
        solver.close()


def _solve(s: Settings, tree, solver, console: Console) -> None:
    """Train ``solver`` with a progress bar and exploitability reports."""
    memory = Tables.memory_bytes(tree.num_actions, s.regret_dtype)
    console.print(f"{s.algorithm} on {s.game}: {tree.num_nodes} nodes, {tree.num_infosets} infosets, "
                  f"tables {memory / 1024:.1f} KiB, {s.iterations} iterations")
    checkpoint = max(1, s.iterations // s.checkpoints)
    step = max(1, min(checkpoint, s.iterations // 100))
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:>9.0f} it/s"), TimeElapsedColumn())
    training = 0.0
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("training", total=s.iterations, rate=0.0)
        while solver.iterations < s.iterations:
            n = min(step, s.iterations - solver.iterations, checkpoint - solver.iterations % checkpoint)
            start = time.perf_counter()
            solver.run(n)
            training += time.perf_counter() - start
            progress.update(task, completed=solver.iterations, rate=solver.iterations / training)
            if solver.iterations % checkpoint == 0 and solver.iterations < s.iterations:
                value = exploitability(tree, solver.average_strategy().probs)
                progress.console.print(f"iteration {solver.iterations:>10}  exploitability {value:.6f}")
    value = exploitability(tree, solver.average_strategy().probs)
    console.print(f"final: {solver.iterations} iterations in {training:.2f} s, exploitability {value:.6f}")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input, printed as one line)."""
    return _parser().main(_main, argv, ValueError)


if __name__ == "__main__":
    sys.exit(main())
