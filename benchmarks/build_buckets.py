"""Benchmark of the card abstraction; the last line printed is one JSON object.

* ``tiny_build_s``: ``--preset tiny`` through the command on a fresh machine (empty table
  cache and empty numba cache, so table building and compilation are included; target
  < 60 s); ``tiny_build_warm_s``: the same again with both caches warm.
* ``lookups_per_s_<street>``: bucket lookups (:func:`~holdem.abstraction.buckets.lookup`) of
  pre-generated random hands on one street inside a parallel numba loop;
  ``lookups_per_s_deal``: one player's four streets per deal through
  :func:`~holdem.abstraction.buckets.lookup_deal`; ``lookups_per_s``: the trainer's mix, every
  street of both players of a heads-up deal through
  :func:`~holdem.abstraction.buckets.lookup_players` (8 lookups per deal; target >= 50 M/s),
  and ``lookups_per_s_6max`` the same for 6 players (24 per deal);
  ``index_per_s``: the canonical index computation alone (index_deal, no table read), the
  compute ceiling; ``random_reads_per_s``: the memory ceiling, random uint8 reads at pre-generated indices
  into an array the size of the river table in the same kind of loop.  Compilation is
  excluded (a warm-up call first); ``threads`` is numba's thread count.
* ``river_equity_s``: the full river equity table, no cache (target <= 10 min), after the flop's
  table (the same kernel) untimed.
* ``default_build_s``, ``default_peak_rss_gb``: a 169/200/200/200 exact build through the
  command with the tables cached and the kernels compiled (targets <= 30 min, <= 8 GB): an
  untimed build of the same with one k-means restart of one iteration first (on a fresh machine
  it computes and caches the tables); and the per-street within-bucket equity spread from the
  file's manifest.

Pass ``--quick`` to skip the river table and the default build.

Build first: nothing (the default build's tables are computed and cached on the first run).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numba as nb
import numpy as np
from _common import Child, load_average, parser, report, run_child

from holdem.abstraction import buckets as bk
from holdem.abstraction import equity
from holdem.abstraction import isomorphism as iso

N_HANDS = 4_000_000


DEFAULT = ("--k-preflop", "169", "--k-flop", "200", "--k-turn", "200", "--k-river", "200")


def _build(out: Path, *args: str, env: dict | None = None) -> Child:
    """``python -m holdem.cli.build_buckets *args --out out``, its progress display dropped."""
    return run_child("build_buckets", ["-m", "holdem.cli.build_buckets", *args, "--out", str(out)], env, quiet=True)


@nb.njit(parallel=True, cache=True)
def _street_lookups(arrays, hands, n_board):
    total = 0
    for i in nb.prange(hands.shape[0]):
        total += bk.lookup(arrays[0], arrays[1], arrays[2], arrays[3], hands[i, 0], hands[i, 1], hands[i, 2:], n_board)
    return total


@nb.njit(parallel=True, cache=True)
def _deal_lookups(arrays, hands):
    total = 0
    for i in nb.prange(hands.shape[0]):
        deal = bk.lookup_deal(arrays[0], arrays[1], arrays[2], arrays[3], hands[i, 0], hands[i, 1], hands[i, 2:])
        total += deal[0] + deal[1] + deal[2] + deal[3]
    return total


@nb.njit(parallel=True, cache=True)
def _deal_indices(hands):
    n = hands.shape[0]
    chunks = 64
    total = 0
    for chunk in nb.prange(chunks):
        for i in range(chunk * n // chunks, (chunk + 1) * n // chunks):
            deal = iso.index_deal(hands[i, 0], hands[i, 1], hands[i, 2:])
            total += deal[0] + deal[1] + deal[2] + deal[3]
    return total


@nb.njit(parallel=True, cache=True)
def _players_lookups(arrays, holes, boards):
    n = holes.shape[0]
    chunks = 64
    total = 0
    for chunk in nb.prange(chunks):
        out = np.empty((holes.shape[1], 4), dtype=np.int64)
        for i in range(chunk * n // chunks, (chunk + 1) * n // chunks):
            bk.lookup_players(arrays[0], arrays[1], arrays[2], arrays[3], holes[i], boards[i], out)
            total += out.sum()
    return total


@nb.njit(parallel=True, cache=True)
def _random_reads(array, indices):
    total = 0
    for i in nb.prange(indices.shape[0]):
        total += array[indices[i]]
    return total


def _rate(count: int, run) -> float:
    start = time.perf_counter()
    run()
    return count / (time.perf_counter() - start)


def lookup_rates(buckets: bk.Buckets) -> dict[str, float]:
    """Lookups per second per street, for the per-deal mix, and the random-read ceiling."""
    rng = np.random.default_rng(0)
    hands = np.argsort(rng.random((N_HANDS, 52), dtype=np.float32), axis=1)[:, :7].astype(np.int64)
    arrays = buckets.arrays
    out = {}
    for street, n_board in zip(iso.STREETS, (0, 3, 4, 5)):
        _street_lookups(arrays, hands[:64], n_board)
        out[f"lookups_per_s_{street}"] = _rate(N_HANDS, lambda: _street_lookups(arrays, hands, n_board))
    _deal_lookups(arrays, hands[:64])
    out["lookups_per_s_deal"] = _rate(4 * N_HANDS, lambda: _deal_lookups(arrays, hands))
    _deal_indices(hands[:64])
    out["index_per_s"] = _rate(4 * N_HANDS, lambda: _deal_indices(hands))
    for players, name in ((2, "lookups_per_s"), (6, "lookups_per_s_6max")):
        deals = N_HANDS // players
        cards = np.argsort(rng.random((deals, 52), dtype=np.float32), axis=1)[:, :2 * players + 5].astype(np.int64)
        holes = np.ascontiguousarray(cards[:, :2 * players].reshape(deals, players, 2))
        boards = np.ascontiguousarray(cards[:, 2 * players:])
        _players_lookups(arrays, holes[:64], boards[:64])
        out[name] = _rate(4 * players * deals, lambda: _players_lookups(arrays, holes, boards))
    river_sized = np.zeros(iso.size(iso.RIVER), dtype=np.uint8)
    indices = rng.integers(0, len(river_sized), N_HANDS)
    _random_reads(river_sized, indices[:64])
    out["random_reads_per_s"] = _rate(N_HANDS, lambda: _random_reads(river_sized, indices))
    out["threads"] = nb.get_num_threads()
    return out


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--quick", action="store_true", help="skip the river table and the default build")
    quick = p.parse_args().quick
    load_start = load_average()
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tiny.pkl"
        env = {**os.environ, "HOLDEM_CACHE_DIR": f"{tmp}/tables", "NUMBA_CACHE_DIR": f"{tmp}/numba"}
        result["tiny_build_s"] = _build(out, "--preset", "tiny", env=env).seconds
        result["tiny_build_warm_s"] = _build(out, "--preset", "tiny", env=env).seconds
        result.update(lookup_rates(bk.load(out)))
        if not quick:
            equity.compute_strength_table(3)
            start = time.perf_counter()
            equity.compute_strength_table(5)
            result["river_equity_s"] = time.perf_counter() - start
            out = Path(tmp) / "default.pkl"
            _build(out, *DEFAULT, "--n-init", "1", "--max-iter", "1")
            default = _build(out, *DEFAULT)
            result["default_build_s"] = default.seconds
            result["default_peak_rss_gb"] = default.peak_rss_gb
            for street, q in bk.load(out).manifest["quality"].items():
                result[f"{street}_mean_spread"] = q["mean_equity_spread"]
                result[f"{street}_max_spread"] = q["max_equity_spread"]
    report({k: round(v, 5) if isinstance(v, float) else v for k, v in result.items()}, load_start)


if __name__ == "__main__":
    main()
