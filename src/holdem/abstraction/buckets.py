"""K-means card buckets per street, the buckets file, and O(1) bucket lookup.

Every canonical hand of a street (:mod:`holdem.abstraction.isomorphism`) is clustered, weighted
by the number of real hands it stands for, on one of two feature sets:

* ``"histogram"`` (default; Johanson et al. 2013, Ganzfried & Sandholm 2014): river-equity
  histograms (1-D EMD) preflop (lossless when ``k == 169``), on the flop and on the turn; the exact
  equity on the river (its 1,981 values, weighted).
* ``"strength"`` (coarse and fast): hand strength *now* on the flop and turn, histograms of the
  flop hand strength preflop: one per-board sweep per street instead of the histogram tables.

Bucket ids are ordered by mean equity (bucket 0 is weakest); features are equity against one
random hand whatever the number of players.  The buckets file is the :mod:`holdem.files` container
of the four index -> bucket arrays (uint8 when k <= 256, else uint16).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numba as nb
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

from holdem import files
from holdem.abstraction import equity
from holdem.abstraction import isomorphism as iso
from holdem.abstraction.kmeans import weighted_kmeans

FORMAT = "holdem-buckets"
STREETS = iso.STREETS
FEATURES = ("histogram", "strength")
_FEATURE_TEXT = {
    "histogram": {"preflop": "river-equity histogram, 50 bins, L2 on cumulative (lossless if k=169)",
                  "flop": "river-equity histogram, 50 bins, L2 on cumulative (EMD)",
                  "turn": "river-equity histogram, 50 bins, L2 on cumulative (EMD)",
                  "river": "exact equity vs one random hand"},
    "strength": {"preflop": "flop hand-strength histogram, 50 bins, L2 on cumulative (lossless if k=169)",
                 "flop": "exact hand strength on the flop vs one random hand",
                 "turn": "exact hand strength on the turn vs one random hand",
                 "river": "exact equity vs one random hand"},
}


class BucketsFileError(files.FileFormatError):
    """A buckets file that cannot be used: truncated, tampered, pickled, foreign or of another version."""


@intrinsic
def _prefetch(typingctx, array, index):
    """Hint the CPU to start loading ``array[index]`` into the cache (LLVM ``llvm.prefetch``,
    read, high locality); returns nothing and never faults.  Callable from numba kernels only."""
    sig = types.void(array, index)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [ptr.type, i32, i32, i32]),
                                            "llvm.prefetch.p0")
        builder.call(fn, [ptr, i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen


@nb.njit(cache=True, inline="always")
def lookup(preflop, flop, turn, river, h0, h1, board, n_board):
    """Bucket of hole ``(h0, h1)`` with the first ``n_board`` (0, 3, 4 or 5) cards of ``board``, from
    the index -> bucket arrays ``Buckets.arrays``; callable from other numba kernels."""
    index = iso.index_hand(h0, h1, board, n_board)
    if n_board == 0:
        return np.int64(preflop[index])
    if n_board == 3:
        return np.int64(flop[index])
    if n_board == 4:
        return np.int64(turn[index])
    return np.int64(river[index])


@nb.njit(cache=True)
def lookup_deal(preflop, flop, turn, river, h0, h1, board):
    """Buckets on all four streets of hole ``(h0, h1)`` with a 5-card ``board``: a tuple of four int64.
    The indices are all computed before the array reads, so the reads' cache misses overlap."""
    i0, i1, i2, i3 = iso.index_deal_cards(h0, h1, board[0], board[1], board[2], board[3], board[4])
    return np.int64(preflop[i0]), np.int64(flop[i1]), np.int64(turn[i2]), np.int64(river[i3])


@nb.njit(cache=True)
def lookup_players(preflop, flop, turn, river, holes, board, out):
    """Buckets of every player of one deal on every street into ``out[p, street]`` (int64 (P, 4)),
    from ``holes`` int (P, 2) and ``board`` int (5,); allocates nothing.  Each player's slots are
    prefetched as soon as known, so their cache and TLB misses run during the next players' index
    computation."""
    b0, b1, b2, b3, b4 = board[0], board[1], board[2], board[3], board[4]
    for p in range(holes.shape[0]):
        i0, i1, i2, i3 = iso.index_deal_cards(holes[p, 0], holes[p, 1], b0, b1, b2, b3, b4)
        _prefetch(river, i3)
        _prefetch(turn, i2)
        _prefetch(flop, i1)
        out[p, 0], out[p, 1], out[p, 2], out[p, 3] = i0, i1, i2, i3
    for p in range(holes.shape[0]):
        out[p, 3] = river[out[p, 3]]
        out[p, 2] = turn[out[p, 2]]
        out[p, 1] = flop[out[p, 1]]
        out[p, 0] = preflop[out[p, 0]]


@dataclass
class Buckets:
    """Index -> bucket arrays per street (``arrays[street]``, shape (size(street),)) and the manifest."""

    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    manifest: dict

    def bucket(self, street: int | str, hole, board=()) -> int:
        """Bucket of a real hand, e.g. ``bucket("flop", [51, 47], [0, 4, 8])``."""
        street = STREETS.index(street) if isinstance(street, str) else street
        if len(board) != iso.LAYOUTS[street][1]:
            raise ValueError(f"{STREETS[street]} needs {iso.LAYOUTS[street][1]} board cards, got {len(board)}")
        return int(self.arrays[street][iso.canonical_index(list(hole), list(board))])

    @property
    def k(self) -> dict[str, int]:
        return dict(self.manifest["k"])


@dataclass
class StreetFeatures:
    """Clustering input of one street: points X (n, d), weights and equity float64 (n,), ``expand``
    uint16 (size(street),) from canonical index to point (None when points are the canonical hands)
    and whether X holds histograms."""

    X: np.ndarray
    weights: np.ndarray
    equity: np.ndarray
    expand: np.ndarray | None
    cumulative: bool


@nb.njit(cache=True, parallel=True)
def _histogram_means(hist):
    """float64 (n,): mean equity of histograms ``hist`` (n, NUM_BINS), taking bin centres."""
    n, d = hist.shape
    out = np.empty(n)
    for i in nb.prange(n):
        total = 0.0
        acc = 0.0
        for j in range(d):
            total += hist[i, j]
            acc += hist[i, j] * (j + 0.5)
        out[i] = acc / (total * d)
    return out


def _value_features(table: np.ndarray, mass: np.ndarray, denom: int) -> StreetFeatures:
    """1-D features: one point per possible numerator 0..denom, weighted by its real hands."""
    values = np.arange(denom + 1, dtype=np.float64)
    return StreetFeatures(values[:, None], mass.astype(np.float64), values / denom, table, False)


def street_features(street: int, tables: Mapping[str, np.ndarray], features: str = "histogram") -> StreetFeatures:
    """Features of ``street`` from the tables of :func:`equity_tables` for the same ``features``."""
    name = STREETS[street]
    if street == iso.RIVER or (features == "strength" and street != iso.PREFLOP):
        n_board = iso.LAYOUTS[street][1]
        return _value_features(tables[f"{name}_strength"], tables[f"{name}_strength_mass"],
                               equity.denominator(n_board))
    if street == iso.PREFLOP:
        flop = tables["flop"] if features == "histogram" else equity.one_hot_bins(
            tables["flop_strength"], equity.denominator(3))
        hist = equity.preflop_histograms(flop, iso.orbit_sizes(iso.FLOP).astype(np.float64))
    else:
        hist = tables[name]
    return StreetFeatures(hist, iso.orbit_sizes(street).astype(np.float64), _histogram_means(hist), None, True)


def equity_tables(progress: Callable[[str, int, int], None] | None = None,
                  features: str = "histogram") -> dict[str, np.ndarray]:
    """The cached tables for ``features``: ``river_strength`` and ``river_strength_mass``, then ``turn``
    and ``flop`` histograms or ``turn_strength``, ``flop_strength`` and their ``_mass``."""
    if features not in FEATURES:
        raise ValueError(f"features must be one of {', '.join(FEATURES)}, got {features!r}")
    tables = {}
    boards = (5, 4, 3) if features == "strength" else (5,)
    for n_board in boards:
        name = STREETS[iso.layout_of(n_board)]
        tables[f"{name}_strength"], tables[f"{name}_strength_mass"] = equity.strength_table(
            n_board, _stage(progress, f"{name} strength", iso.size(iso.BOARD_LAYOUT[n_board])))
    if features == "histogram":
        river = tables["river_strength"]
        tables["turn"] = equity.turn_table(river, _stage(progress, "turn histograms", iso.size(iso.TURN)))
        tables["flop"] = equity.flop_table(tables["turn"], _stage(progress, "flop histograms", iso.size(iso.FLOP)))
    return tables


def _stage(progress: Callable[[str, int, int], None] | None, name: str, total: int) -> Callable[[int], None]:
    """A ``step(n=1)`` callback that counts work done and reports ``progress(name, done, total)``."""
    done = 0

    def step(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(name, done, total)
    return step


@dataclass
class StreetReport:
    """Quality of one street's buckets: within-bucket spread of the feature equity (weighted standard
    deviation; hand-weighted mean and max over buckets) and build time."""

    street: str
    k: int
    canonical_hands: int
    mean_spread: float
    max_spread: float
    seconds: float


def _order_by_equity(labels: np.ndarray, k: int, eq: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Relabel so that bucket ids increase with the weighted mean equity of their points."""
    mass = np.bincount(labels, weights=w, minlength=k)
    mean = np.bincount(labels, weights=w * eq, minlength=k) / np.maximum(mass, 1e-300)
    mean[mass == 0] = np.inf
    rank = np.empty(k, dtype=np.int64)
    rank[np.argsort(mean, kind="stable")] = np.arange(k)
    return rank[labels]


@nb.njit(cache=True)
def _bucket_std(labels, k, eq, w):
    """float64 (k,) weighted standard deviation of ``eq`` within each bucket (two passes; exactly
    0 for a bucket whose members all have one value) and float64 (k,) bucket masses."""
    mass = np.zeros(k)
    m1 = np.zeros(k)
    lo = np.full(k, np.inf)
    hi = np.full(k, -np.inf)
    for i in range(labels.shape[0]):
        b = labels[i]
        mass[b] += w[i]
        m1[b] += w[i] * eq[i]
        lo[b] = min(lo[b], eq[i])
        hi[b] = max(hi[b], eq[i])
    m2 = np.zeros(k)
    for i in range(labels.shape[0]):
        b = labels[i]
        if hi[b] > lo[b]:
            dev = eq[i] - m1[b] / mass[b]
            m2[b] += w[i] * dev * dev
    std = np.zeros(k)
    for b in range(k):
        if mass[b] > 0:
            std[b] = np.sqrt(m2[b] / mass[b])
    return std, mass


def _spread(labels: np.ndarray, k: int, eq: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    std, mass = _bucket_std(labels, k, eq, w)
    return float(np.dot(std, mass) / mass.sum()), float(std.max())


def cluster_street(street: int, k: int, feats: StreetFeatures, *, seed: int, hands: int | None,
                   n_init: int, max_iter: int, on_iter: Callable[[], None] | None = None
                   ) -> tuple[np.ndarray, StreetReport]:
    """Index -> bucket array (uint8/uint16, size(street)) of one street and its quality report;
    ``hands=N`` fits on N hands sampled by weight and only labels the rest."""
    start = time.perf_counter()
    n_points = len(feats.X)
    if street == iso.PREFLOP and k >= n_points:
        labels = np.arange(n_points, dtype=np.int64)
        k = n_points
    else:
        fit = weighted_kmeans(feats.X, feats.weights, k, seed=seed + street, n_init=n_init,
                              max_iter=max_iter, cumulative=feats.cumulative,
                              sample_size=hands or 100_000, refine=hands is None, on_iter=on_iter)
        labels = fit.labels.astype(np.int64)
    labels = _order_by_equity(labels, k, feats.equity, feats.weights)
    mean_spread, max_spread = _spread(labels, k, feats.equity, feats.weights)
    dtype = np.uint8 if k <= 256 else np.uint16
    table = labels.astype(dtype) if feats.expand is None else labels.astype(dtype)[feats.expand]
    report = StreetReport(STREETS[street], k, iso.size(street), mean_spread, max_spread,
                          time.perf_counter() - start)
    return table, report


def build(k: Mapping[str, int], *, num_players: int = 2, seed: int = 42, hands: int | None = None,
          n_init: int = 3, max_iter: int = 30, features: str = "histogram",
          progress: Callable[[str, int, int], None] | None = None,
          on_street: Callable[[StreetReport], None] | None = None) -> tuple[Buckets, list[StreetReport]]:
    """Build buckets with ``k[street]`` clusters per street on ``features``.  ``progress(stage, done,
    total)`` reports table building and Lloyd iterations (short of ``total`` when k-means converges
    early); ``on_street`` gets each street's report as it finishes."""
    for street in STREETS:
        if not 1 <= int(k[street]) <= 65535:
            raise ValueError(f"k for {street} must be in 1..65535, got {k[street]}")
    tables = equity_tables(progress, features)
    arrays, reports = [], []
    for street in range(4):
        feats = street_features(street, tables, features)
        # at most max_iter Lloyd iterations per restart and in the refinement
        on_iter = _stage(progress, f"k-means {STREETS[street]}", (n_init + (hands is None)) * max_iter)
        on_iter(0)  # the stage starts now
        table, report = cluster_street(street, int(k[STREETS[street]]), feats, seed=seed, hands=hands,
                                       n_init=n_init, max_iter=max_iter, on_iter=on_iter)
        arrays.append(table)
        reports.append(report)
        if on_street is not None:
            on_street(report)
    manifest = {
        "k": {r.street: r.k for r in reports}, "num_players": num_players, "seed": seed,
        "mode": "exact" if hands is None else f"sampled ({hands} hands per street)",
        "features": {"set": features, **_FEATURE_TEXT[features]},
        "quality": {r.street: {"mean_equity_spread": round(r.mean_spread, 6),
                               "max_equity_spread": round(r.max_spread, 6), "seconds": round(r.seconds, 2)}
                    for r in reports},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return Buckets(tuple(arrays), manifest), reports


def save(buckets: Buckets, path: str | Path) -> None:
    """Write ``buckets`` to ``path`` atomically in the safe container of :mod:`holdem.files`."""
    manifest = {key: value for key, value in buckets.manifest.items()
                if key not in ("format", "format_version", "sha256")}
    files.save(Path(path), FORMAT, dict(zip(STREETS, buckets.arrays)), manifest)


def load(path: str | Path) -> Buckets:
    """Read and validate a buckets file; any defect raises :class:`BucketsFileError` naming it."""
    path = Path(path)
    try:
        data, manifest = files.load(path, FORMAT)
    except files.FileFormatError as e:
        raise BucketsFileError(str(e)) from None
    arrays = []
    for street, name in enumerate(STREETS):
        if name not in data:
            raise BucketsFileError(f"{path}: missing array {name!r}")
        a = data[name]
        if a.shape != (iso.size(street),) or a.dtype not in (np.uint8, np.uint16):
            raise BucketsFileError(f"{path}: array {name!r} has shape {a.shape} and dtype {a.dtype}, "
                                   f"expected ({iso.size(street)},) of uint8/uint16")
        k = manifest["k"][name]
        if a.size and int(a.max()) >= k:
            raise BucketsFileError(f"{path}: array {name!r} holds bucket {int(a.max())} but k = {k}")
        arrays.append(a)
    return Buckets(tuple(arrays), manifest)
