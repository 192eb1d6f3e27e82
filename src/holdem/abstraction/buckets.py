"""K-means card buckets per street, the buckets file, and O(1) bucket lookup.

Every canonical hand of a street (see :mod:`holdem.abstraction.isomorphism`) is
clustered, weighted by the number of real hands it stands for (its orbit size):

* preflop: 169 classes, lossless when ``k == 169``; else k-means on their river-equity
  histograms (L2 over cumulative histograms, i.e. 1-D EMD);
* flop and turn: k-means on river-equity histograms with the same distance (Johanson
  et al. 2013; Ganzfried & Sandholm 2014);
* river: k-means on the exact equity (1-D; the 1,981 distinct values are clustered with
  the summed weights of the hands having them).

Bucket ids are ordered by the mean equity of their hands (bucket 0 is weakest).  The
features are equity against one random opponent hand whatever the number of players,
which is recorded in the manifest.

The buckets file is an uncompressed ``.npz`` archive written by numpy holding the four
index -> bucket arrays (uint8 when k <= 256, else uint16) and ``manifest``, a uint8 array
of UTF-8 JSON (format version, k per street, number of players, seed, features, mode,
creation time, sha256 of each array).  It is never a pickle, whatever its file name
(``.pkl`` included), is loaded with ``allow_pickle=False``, and is written atomically.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numba as nb
import numpy as np

from holdem.abstraction import cache, equity
from holdem.abstraction import isomorphism as iso
from holdem.abstraction.kmeans import weighted_kmeans

FORMAT = "holdem-buckets"
FORMAT_VERSION = 1
STREETS = iso.STREETS


class BucketsFileError(ValueError):
    """A buckets file that cannot be used: truncated, tampered, pickled, foreign or of another version."""


@nb.njit(cache=True, inline="always")
def lookup(preflop, flop, turn, river, h0, h1, board, n_board):
    """Bucket of hole ``(h0, h1)`` with the first ``n_board`` (0, 3, 4 or 5) cards of ``board``.

    ``preflop``/``flop``/``turn``/``river`` are the index -> bucket arrays of a
    :class:`Buckets` (``Buckets.arrays``); callable from other numba kernels.
    """
    index = iso.index_hand(h0, h1, board, n_board)
    if n_board == 0:
        return np.int64(preflop[index])
    if n_board == 3:
        return np.int64(flop[index])
    if n_board == 4:
        return np.int64(turn[index])
    return np.int64(river[index])


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


# ---------------------------------------------------------------- features


@dataclass
class StreetFeatures:
    """Clustering input of one street: points X (n, d), weights (n,), per-point equity (n,),
    ``expand`` int64 (size(street),) mapping each canonical index to its point (or None when
    points are the canonical hands themselves), and whether X holds histograms."""

    X: np.ndarray
    weights: np.ndarray
    equity: np.ndarray
    expand: np.ndarray | None
    cumulative: bool


def _histogram_mean(hist: np.ndarray) -> np.ndarray:
    """float64 (n,): mean equity of histograms (n, NUM_BINS), taking bin centres."""
    centres = (np.arange(equity.NUM_BINS) + 0.5) / equity.NUM_BINS
    h = hist.astype(np.float32)
    return (h @ centres.astype(np.float32) / h.sum(axis=1)).astype(np.float64)


def street_features(street: int, tables: Mapping[str, np.ndarray]) -> StreetFeatures:
    """Features of ``street`` from equity ``tables`` (keys river, turn, flop; see :mod:`equity`)."""
    weights = iso.orbit_sizes(street)
    if street == iso.RIVER:
        mass = np.bincount(tables["river"], weights=weights, minlength=equity.EQUITY_DENOM + 1)
        values = np.arange(equity.EQUITY_DENOM + 1, dtype=np.float64)
        keep = np.flatnonzero(mass)
        expand = np.searchsorted(keep, tables["river"])
        return StreetFeatures(values[keep, None], mass[keep], values[keep] / equity.EQUITY_DENOM, expand, False)
    if street == iso.PREFLOP:
        hist = equity.preflop_histograms(tables["flop"], iso.orbit_sizes(iso.FLOP).astype(np.float64))
    else:
        hist = tables[STREETS[street]]
    return StreetFeatures(hist, weights.astype(np.float64), _histogram_mean(hist), None, True)


def equity_tables(progress: Callable[[str, int, int], None] | None = None) -> dict[str, np.ndarray]:
    """The cached river/turn/flop tables; ``progress(stage, done, total)`` reports each chunk."""

    def stage(name: str, total: int):
        done = [0]

        def step(n: int) -> None:
            done[0] += n
            if progress is not None:
                progress(name, done[0], total)
        return step

    river = equity.river_table(stage("river equity", iso.size(iso.RIVER_BOARD)))
    turn = equity.turn_table(river, stage("turn histograms", iso.size(iso.TURN)))
    flop = equity.flop_table(turn, stage("flop histograms", iso.size(iso.FLOP)))
    return {"river": river, "turn": turn, "flop": flop}


# ---------------------------------------------------------------- clustering


@dataclass
class StreetReport:
    """Quality of one street's buckets: within-bucket equity spread (weighted standard
    deviation of member equity, hand-weighted mean and max over buckets) and build time."""

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


def _spread(labels: np.ndarray, k: int, eq: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    mass = np.bincount(labels, weights=w, minlength=k)
    m1 = np.bincount(labels, weights=w * eq, minlength=k)
    m2 = np.bincount(labels, weights=w * eq * eq, minlength=k)
    used = mass > 0
    var = np.maximum(m2[used] / mass[used] - (m1[used] / mass[used]) ** 2, 0.0)
    std = np.sqrt(var)
    return float(np.dot(std, mass[used]) / mass[used].sum()), float(std.max())


def cluster_street(street: int, k: int, feats: StreetFeatures, *, seed: int, hands: int | None,
                   n_init: int, max_iter: int, on_iter: Callable[[], None] | None = None
                   ) -> tuple[np.ndarray, StreetReport]:
    """Index -> bucket array (uint8/uint16, size(street)) of one street and its quality report.

    ``hands=None`` fits over every canonical hand (restarts on a weighted subsample of at most
    100,000 points, final Lloyd over all); ``hands=N`` fits on N hands sampled by weight and
    only labels the rest.
    """
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
    table = (labels if feats.expand is None else labels[feats.expand]).astype(dtype)
    report = StreetReport(STREETS[street], k, iso.size(street), mean_spread, max_spread,
                          time.perf_counter() - start)
    return table, report


def build(k: Mapping[str, int], *, num_players: int = 2, seed: int = 42, hands: int | None = None,
          n_init: int = 3, max_iter: int = 30,
          progress: Callable[[str, int, int], None] | None = None,
          on_street: Callable[[StreetReport], None] | None = None) -> tuple[Buckets, list[StreetReport]]:
    """Build buckets with ``k[street]`` clusters per street (see the module docstring).

    ``progress(stage, done, total)`` reports table building and Lloyd iterations;
    ``on_street`` is called with each street's report as it finishes.
    """
    for street in STREETS:
        if not 1 <= int(k[street]) <= 65535:
            raise ValueError(f"k for {street} must be in 1..65535, got {k[street]}")
    tables = equity_tables(progress)
    arrays, reports = [], []
    for street in range(4):
        feats = street_features(street, tables)
        counter = [0]

        def on_iter(name=STREETS[street]) -> None:
            counter[0] += 1
            if progress is not None:
                progress(f"k-means {name}", counter[0], n_init * max_iter + max_iter)

        table, report = cluster_street(street, int(k[STREETS[street]]), feats, seed=seed, hands=hands,
                                       n_init=n_init, max_iter=max_iter, on_iter=on_iter)
        arrays.append(table)
        reports.append(report)
        if on_street is not None:
            on_street(report)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "k": {r.street: r.k for r in reports}, "num_players": num_players, "seed": seed,
        "mode": "exact" if hands is None else f"sampled ({hands} hands per street)",
        "features": {"preflop": "river-equity histogram, 50 bins, L2 on cumulative (lossless if k=169)",
                     "flop": "river-equity histogram, 50 bins, L2 on cumulative (EMD)",
                     "turn": "river-equity histogram, 50 bins, L2 on cumulative (EMD)",
                     "river": "exact equity vs one random hand"},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return Buckets(tuple(arrays), manifest), reports


# ---------------------------------------------------------------- file format


def save(buckets: Buckets, path: str | Path) -> None:
    """Write ``buckets`` to ``path`` atomically as an uncompressed npz (never a pickle)."""
    manifest = dict(buckets.manifest)
    manifest["sha256"] = {s: cache.sha256_of(a) for s, a in zip(STREETS, buckets.arrays)}
    buckets.manifest = manifest
    payload = dict(zip(STREETS, buckets.arrays))
    payload["manifest"] = np.frombuffer(json.dumps(manifest, indent=1).encode(), dtype=np.uint8)
    cache.atomic_write(Path(path), lambda f: np.savez(f, **payload))


def load(path: str | Path) -> Buckets:
    """Read and validate a buckets file; any defect raises :class:`BucketsFileError` naming it."""
    path = Path(path)

    def fail(what: str) -> BucketsFileError:
        return BucketsFileError(f"{path}: {what}")

    try:
        raw = path.read_bytes()
    except OSError as e:
        raise fail(f"cannot read ({e.strerror or e})") from None
    if raw[:1] == b"\x80" or raw[:2] in (b"(d", b"(l"):
        raise fail("is a Python pickle; refusing to load it (buckets files are npz archives)")
    if raw[:4] != b"PK\x03\x04":
        raise fail("not a buckets file (not an npz archive)")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            if "manifest" not in npz.files:
                raise fail("not a holdem buckets file (no manifest)")
            data = {name: npz[name] for name in npz.files}
    except BucketsFileError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as e:
        raise fail(f"corrupt or truncated archive ({e})") from None
    try:
        manifest = json.loads(data.pop("manifest").tobytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise fail(f"manifest is not valid JSON ({e})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise fail("not a holdem buckets file (manifest has no 'format': 'holdem-buckets')")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise fail(f"format version {manifest.get('format_version')!r}, this program reads {FORMAT_VERSION}")
    arrays = []
    for street, name in enumerate(STREETS):
        if name not in data:
            raise fail(f"missing array {name!r}")
        a = data[name]
        if a.shape != (iso.size(street),) or a.dtype not in (np.uint8, np.uint16):
            raise fail(f"array {name!r} has shape {a.shape} and dtype {a.dtype}, "
                       f"expected ({iso.size(street)},) of uint8/uint16")
        if cache.sha256_of(a) != manifest.get("sha256", {}).get(name):
            raise fail(f"sha256 of array {name!r} does not match the manifest (file modified?)")
        k = manifest["k"][name]
        if a.size and int(a.max()) >= k:
            raise fail(f"array {name!r} holds bucket {int(a.max())} but k = {k}")
        arrays.append(a)
    return Buckets(tuple(arrays), manifest)
