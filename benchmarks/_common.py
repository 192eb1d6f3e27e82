"""What the benchmarks share: their command line, child processes, refusals and the closing JSON line.

Every benchmark times only calls whose kernels ran before (numba compiled them, or loaded them from
its cache, outside the timing), and records the load average it ran under, as other processes may
share the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple, NoReturn


def parser(doc: str) -> argparse.ArgumentParser:
    """An argument parser whose ``--help`` prints the benchmark's docstring ``doc`` (what it measures,
    what to build first)."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def add_search_arguments(p: argparse.ArgumentParser, budget: float) -> None:
    """The search agent's settings on a benchmark's command line: ``--budget`` (default ``budget``),
    ``--first-street`` and ``--search-options``; :func:`search_config` reads them back."""
    p.add_argument("--budget", type=float, default=budget, help="search seconds per public state")
    p.add_argument("--first-street", choices=("river", "turn", "flop"), default="river",
                   help="the first street searched (from the flop: the turn depth-limited too)")
    p.add_argument("--search-options", default="",
                   help="more search settings as in an agent spec, e.g. 'opponent_floor=0.1&play=average'")


def search_config(args: argparse.Namespace, **settings: object):
    """The :class:`holdem.search.SearchConfig` of :func:`add_search_arguments`' flags in ``args`` (any
    ``settings`` under them, the ``--search-options`` over all)."""
    from holdem.agents import AgentSpec
    from holdem.search import SearchConfig

    options = dict(AgentSpec.parse(f"search:x?{args.search_options}").options)
    return SearchConfig(**{**settings, "budget": args.budget, "first_street": args.first_street,
                           "depth_limited_turn": args.first_street == "flop", **options})


def fail(message: str) -> NoReturn:
    """End the benchmark with exit status 2 and one line on stderr: ``<script>: error: <message>``."""
    print(f"{Path(sys.argv[0]).name}: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def require(path: Path, what: str, command: str) -> Path:
    """``path`` if it exists; else :func:`fail`, naming ``command``, the one that makes the ``what``."""
    if not path.exists():
        fail(f"no {what} at {path}; build it first with: {command}")
    return path


class Child(NamedTuple):
    """What a child interpreter left: its standard output, wall seconds and peak resident memory
    (GiB, from ``wait4``; on Linux it counts the parent's resident memory when the child started)."""

    stdout: str
    seconds: float
    peak_rss_gb: float


def run_child(what: str, args: list[str], env: dict[str, str] | None = None, quiet: bool = False) -> Child:
    """Run ``python *args`` in a fresh interpreter with the environment ``env`` (default: this one),
    so it imports the same ``holdem`` as the benchmark; stderr is dropped when ``quiet``.  A failing
    child ends the benchmark through :func:`fail`, naming ``what`` it was doing."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True, env=env,
                            stderr=subprocess.DEVNULL if quiet else None)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    if proc.returncode != 0:
        fail(f"{what} failed (exit status {proc.returncode})")
    return Child(out, seconds, usage.ru_maxrss / (1 << 20))


def load_average() -> float:
    """The machine's 1-minute load average now."""
    return os.getloadavg()[0]


def report(result: dict, load_start: float) -> None:
    """Print ``result`` as the closing JSON line, adding ``load_average`` (the 1-minute load average
    at the start, ``load_start``, and now, at the end) and ``cpus``."""
    print(json.dumps({**result, "load_average": [round(load_start, 2), round(load_average(), 2)],
                      "cpus": os.cpu_count()}))
