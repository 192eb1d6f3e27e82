"""Weighted k-means (k-means++ seeding, restarts, Lloyd) as numba kernels.

Points are rows of raw features ``X`` (n, d) of any numeric dtype with weights ``w``
float64 (n,).  With ``cumulative=True`` a row is a histogram of counts and the distance is
L2 between its normalized cumulative histogram and a centre's; for 1-D histograms that is
the L2 form of the earth mover's distance used by Johanson et al. 2013 and Ganzfried &
Sandholm 2014.  With ``cumulative=False`` rows are used as they are.

Restarts (k-means++ seeding plus Lloyd) are scored on a weighted subsample when there are
more than ``sample_size`` points; the winning centres are then refined by Lloyd iterations
over *all* points, so the final clustering is fitted to every canonical hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numba as nb
import numpy as np

_CHUNKS = 64


@nb.njit(inline="always")
def _row(X, i, cumulative, buf):
    """Feature vector of point ``i`` into ``buf`` (float64 (d,))."""
    d = X.shape[1]
    if cumulative:
        total = 0.0
        for j in range(d):
            total += X[i, j]
        acc = 0.0
        for j in range(d):
            acc += X[i, j]
            buf[j] = acc / total
    else:
        for j in range(d):
            buf[j] = X[i, j]


@nb.njit(inline="always")
def _nearest(buf, C):
    best = np.inf
    arg = 0
    for c in range(C.shape[0]):
        dist = 0.0
        for j in range(C.shape[1]):
            diff = buf[j] - C[c, j]
            dist += diff * diff
        if dist < best:
            best = dist
            arg = c
    return arg, best


@nb.njit(cache=True, parallel=True, fastmath=True)
def assign(X, C, cumulative, labels, dists):
    """Nearest centre ``labels`` (int32 (n,)) and squared distance ``dists`` (float64 (n,)) of each point."""
    n = X.shape[0]
    for chunk in nb.prange(_CHUNKS):
        buf = np.empty(X.shape[1])
        for i in range(chunk * n // _CHUNKS, (chunk + 1) * n // _CHUNKS):
            _row(X, i, cumulative, buf)
            labels[i], dists[i] = _nearest(buf, C)


@nb.njit(cache=True, parallel=True, fastmath=True)
def _lloyd_step(X, w, C, cumulative, labels, dists):
    """One Lloyd iteration: assign, then new centres (weighted means). Returns (new C, inertia)."""
    n, d = X.shape
    k = C.shape[0]
    sums = np.zeros((_CHUNKS, k, d))
    mass = np.zeros((_CHUNKS, k))
    for chunk in nb.prange(_CHUNKS):
        buf = np.empty(d)
        for i in range(chunk * n // _CHUNKS, (chunk + 1) * n // _CHUNKS):
            _row(X, i, cumulative, buf)
            lab, dist = _nearest(buf, C)
            labels[i] = lab
            dists[i] = dist
            mass[chunk, lab] += w[i]
            for j in range(d):
                sums[chunk, lab, j] += w[i] * buf[j]
    total_sums = sums.sum(axis=0)
    total_mass = mass.sum(axis=0)
    out = C.copy()
    for c in range(k):
        if total_mass[c] > 0:
            out[c] = total_sums[c] / total_mass[c]
    inertia = 0.0
    for i in range(n):
        inertia += w[i] * dists[i]
    return out, inertia, total_mass


@nb.njit(cache=True)
def _kmeanspp(X, w, k, cumulative, seed):
    """k-means++ seeding (Arthur & Vassilvitskii 2007) with point weights: float64 (k, d) centres."""
    np.random.seed(seed)
    n, d = X.shape
    C = np.empty((k, d))
    buf = np.empty(d)
    cdf = np.cumsum(w)
    first = np.searchsorted(cdf, np.random.random() * cdf[-1], side="right")
    _row(X, min(first, n - 1), cumulative, C[0])
    closest = np.empty(n)
    for i in range(n):
        _row(X, i, cumulative, buf)
        closest[i] = ((buf - C[0]) ** 2).sum()
    for c in range(1, k):
        cdf = np.cumsum(w * closest)
        if cdf[-1] <= 0:  # fewer distinct points than centres: duplicate a centre
            C[c] = C[c - 1]
            continue
        pick = min(np.searchsorted(cdf, np.random.random() * cdf[-1], side="right"), n - 1)
        _row(X, pick, cumulative, C[c])
        for i in range(n):
            _row(X, i, cumulative, buf)
            dist = ((buf - C[c]) ** 2).sum()
            if dist < closest[i]:
                closest[i] = dist
    return C


def _lloyd(X, w, C, cumulative, max_iter, tol, on_iter):
    labels = np.empty(len(X), dtype=np.int32)
    dists = np.empty(len(X))
    inertia = np.inf
    for _ in range(max_iter):
        C_new, new_inertia, mass = _lloyd_step(X, w, C, cumulative, labels, dists)
        if (mass == 0).any():  # revive an empty centre at the worst-served point
            for c in np.flatnonzero(mass == 0):
                worst = int(np.argmax(w * dists))
                buf = np.empty(X.shape[1])
                C_new[c] = _feature(X, worst, cumulative, buf)
                dists[worst] = 0.0
        shift = float(((C_new - C) ** 2).sum())
        C = C_new
        if on_iter is not None:
            on_iter()
        done = inertia - new_inertia <= tol * max(new_inertia, 1e-300)
        inertia = new_inertia
        if done or shift == 0.0:
            break
    assign(X, C, cumulative, labels, dists)
    return C, labels, float(np.dot(w, dists))


@nb.njit(cache=True)
def _feature(X, i, cumulative, buf):
    _row(X, i, cumulative, buf)
    return buf.copy()


@dataclass
class KMeansResult:
    """Centres float64 (k, d), labels int32 (n,) and weighted inertia of the final fit."""

    centers: np.ndarray
    labels: np.ndarray
    inertia: float


def weighted_kmeans(X: np.ndarray, w: np.ndarray, k: int, *, seed: int, n_init: int = 4,
                    max_iter: int = 50, tol: float = 1e-5, cumulative: bool = False,
                    sample_size: int = 100_000, refine: bool = True,
                    on_iter: Callable[[], None] | None = None) -> KMeansResult:
    """Weighted k-means of points ``X`` (n, d) with weights ``w`` (n,) into ``k`` clusters.

    ``n_init`` k-means++ restarts are run on all points, or on a weighted subsample of
    ``sample_size`` points when there are more; the lowest-inertia centres are then refined
    with Lloyd over all points (``refine=True``) or only used to label all points
    (``refine=False``, the sampled mode).  ``on_iter()`` is called after every Lloyd iteration.
    """
    w = np.asarray(w, dtype=np.float64)
    rng = np.random.default_rng(seed)
    if len(X) > sample_size:
        picks, counts = np.unique(rng.choice(len(X), sample_size, p=w / w.sum()), return_counts=True)
        Xs, ws = X[picks], counts.astype(np.float64)
    else:
        Xs, ws = X, w
    best = None
    for restart in range(n_init):
        C = _kmeanspp(Xs, ws, k, cumulative, int(rng.integers(2**31)))
        fit = _lloyd(Xs, ws, C, cumulative, max_iter, tol, on_iter)
        if best is None or fit[2] < best[2]:
            best = fit
    if Xs is X:
        return KMeansResult(*best)
    if refine:
        return KMeansResult(*_lloyd(X, w, best[0], cumulative, max_iter, tol, on_iter))
    labels = np.empty(len(X), dtype=np.int32)
    dists = np.empty(len(X))
    assign(X, best[0], cumulative, labels, dists)
    return KMeansResult(best[0], labels, float(np.dot(w, dists)))
