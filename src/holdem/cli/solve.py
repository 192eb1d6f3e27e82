"""Solve Kuhn or Leduc poker with any CFR-family algorithm and report exact exploitability.

``python -m holdem.cli.solve --game leduc --algorithm cfr+ --iterations 1000 [--workers N] [--seed S]``
"""

from __future__ import annotations

import argparse
import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from holdem.eval import exploitability
from holdem.games import GAMES, load_tree
from holdem.solver import ALGORITHMS, MCCFR_ALGORITHMS, Tables, make_solver


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="holdem solve", description=__doc__.splitlines()[0])
    parser.add_argument("--game", choices=sorted(GAMES), default="leduc")
    parser.add_argument("--algorithm", choices=ALGORITHMS, default="cfr+")
    parser.add_argument("--iterations", type=int, default=1000, help="iterations (one update of every player each)")
    parser.add_argument("--workers", type=int, default=1, help="worker threads (MCCFR only)")
    parser.add_argument("--seed", type=int, default=0, help="master seed (MCCFR only)")
    parser.add_argument("--checkpoints", type=int, default=10, help="exploitability reports during training")
    parser.add_argument("--regret-dtype", choices=("float64", "int32"), default="float64", help="MCCFR only")
    parser.add_argument("--regret-scale", type=float, default=None,
                        help="MCCFR regret table units per chip (default 1, or 1000 with int32)")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.checkpoints < 1:
        parser.error("--iterations and --checkpoints must be positive")
    if args.algorithm not in MCCFR_ALGORITHMS and (
            args.workers != 1 or args.regret_dtype != "float64" or args.regret_scale is not None):
        parser.error(f"{args.algorithm} is full-tree and single-threaded: --workers and --regret-* are MCCFR only")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    tree = load_tree(args.game)
    options = {}
    if args.algorithm in MCCFR_ALGORITHMS:
        scale = args.regret_scale if args.regret_scale is not None else (1000.0 if args.regret_dtype == "int32" else 1.0)
        options = dict(num_workers=args.workers, seed=args.seed, regret_dtype=args.regret_dtype, regret_scale=scale)
    solver = make_solver(args.algorithm, tree, **options)
    memory = Tables.memory_bytes(tree.num_actions, args.regret_dtype)
    console.print(f"{args.algorithm} on {args.game}: {tree.num_nodes} nodes, {tree.num_infosets} infosets, "
                  f"tables {memory / 1024:.1f} KiB, {args.iterations} iterations")
    checkpoint = max(1, args.iterations // args.checkpoints)
    step = max(1, min(checkpoint, args.iterations // 100))
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:>9.0f} it/s"), TimeElapsedColumn())
    training = 0.0
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("training", total=args.iterations, rate=0.0)
        while solver.iterations < args.iterations:
            n = min(step, args.iterations - solver.iterations, checkpoint - solver.iterations % checkpoint)
            start = time.perf_counter()
            solver.run(n)
            training += time.perf_counter() - start
            progress.update(task, completed=solver.iterations, rate=solver.iterations / training)
            if solver.iterations % checkpoint == 0 and solver.iterations < args.iterations:
                value = exploitability(tree, solver.average_strategy().probs)
                progress.console.print(f"iteration {solver.iterations:>10}  exploitability {value:.6f}")
    value = exploitability(tree, solver.average_strategy().probs)
    console.print(f"final: {solver.iterations} iterations in {training:.2f} s, exploitability {value:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
