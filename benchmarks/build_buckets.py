"""Benchmark of the card abstraction; the last line printed is one JSON object.

river_equity_s: the full river equity table (no cache); default_build_s and
default_peak_rss_gb: a 169/200/200/200 exact build with tables cached (targets <= 30 min,
<= 8 GB); lookups_per_s: bucket lookups of random river hands inside a parallel numba loop
(target >= 50 M/s); tiny_build_s: ``--preset tiny`` through the command (target < 60 s).
Pass ``--quick`` to skip the river table and the default build.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba as nb
import numpy as np

from holdem.abstraction import buckets as bk
from holdem.abstraction import equity


@nb.njit(parallel=True, cache=True)
def _lookups(arrays, hands, n_board):
    total = 0
    for i in nb.prange(hands.shape[0]):
        total += bk.lookup(arrays[0], arrays[1], arrays[2], arrays[3], hands[i, 0], hands[i, 1], hands[i, 2:], n_board)
    return total


def lookups_per_s(buckets: bk.Buckets, n: int = 4_000_000) -> float:
    rng = np.random.default_rng(0)
    hands = np.argsort(rng.random((n, 52), dtype=np.float32), axis=1)[:, :7].astype(np.int64)
    _lookups(buckets.arrays, hands[:10], 5)
    start = time.perf_counter()
    _lookups(buckets.arrays, hands, 5)
    return n / (time.perf_counter() - start)


def main() -> None:
    quick = "--quick" in sys.argv
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tiny.pkl"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "holdem.cli.build_buckets", "--preset", "tiny", "--out", str(out)],
                       check=True, stderr=subprocess.DEVNULL)
        result["tiny_build_s"] = time.perf_counter() - start
        result["lookups_per_s"] = lookups_per_s(bk.load(out))
    if not quick:
        start = time.perf_counter()
        equity.compute_river_table()
        result["river_equity_s"] = time.perf_counter() - start
        start = time.perf_counter()
        _, reports = bk.build({"preflop": 169, "flop": 200, "turn": 200, "river": 200})
        result["default_build_s"] = time.perf_counter() - start
        result["default_peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        for r in reports:
            result[f"{r.street}_mean_spread"] = round(r.mean_spread, 5)
            result[f"{r.street}_max_spread"] = round(r.max_spread, 5)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
