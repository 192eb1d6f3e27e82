"""Weighted k-means (k-means++ seeding, restarts, Lloyd) with a BLAS assignment step.

With ``cumulative=True`` a row of ``X`` is a histogram of counts and the distance is L2 between
normalized cumulative histograms: for 1-D histograms, the L2 form of the earth mover's distance
(Johanson et al. 2013; Ganzfried & Sandholm 2014).  The assignment step is a chunked GEMM,
``argmin_c ||x||^2 - 2 x.c + ||c||^2``, then a numba arg-min: on the turn (13,960,050 points x 50
bins, k = 200) one Lloyd iteration is one 279 GFLOP GEMM instead of a scalar distance loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numba as nb
import numpy as np

_CHUNKS = 64
_GEMM_ROWS = 8192


@nb.njit(cache=True, parallel=True)
def _cumulative_features(X, out):
    """Normalized cumulative histograms of the rows of ``X`` (n, d) into ``out`` (float32 (n, d))."""
    n, d = X.shape
    for i in nb.prange(n):
        total = 0.0
        for j in range(d):
            total += X[i, j]
        acc = 0.0
        for j in range(d):
            acc += X[i, j]
            out[i, j] = acc / total


def features(X: np.ndarray, cumulative: bool) -> np.ndarray:
    """Feature matrix of the rows of ``X``: float32 (n, d) cumulative histograms, or float64 ``X``."""
    if not cumulative:
        return np.ascontiguousarray(X, dtype=np.float64)
    out = np.empty(X.shape, dtype=np.float32)
    _cumulative_features(np.ascontiguousarray(X), out)
    return out


@nb.njit(cache=True)
def _argmin_rows(G, fnorm, labels, dists):
    """Per row of ``G`` (m, k) = ``||c||^2 - 2 x.c``: arg-min into ``labels`` and ``fnorm + min`` into ``dists``."""
    for i in range(G.shape[0]):
        best = G[i, 0]
        arg = 0
        for c in range(1, G.shape[1]):
            if G[i, c] < best:
                best = G[i, c]
                arg = c
        labels[i] = arg
        dists[i] = max(fnorm[i] + best, 0.0)


def assign(F: np.ndarray, fnorm: np.ndarray, C: np.ndarray, labels: np.ndarray, dists: np.ndarray) -> None:
    """Nearest centre ``labels`` (int32 (n,)) and squared distance ``dists`` (float64 (n,)) of each row of
    ``F``, given ``fnorm`` (n,) = ``||F[i]||^2`` and centres ``C`` (k, d), by chunked GEMM in ``F.dtype``."""
    Ct = np.ascontiguousarray(-2.0 * C.T, dtype=F.dtype)
    cnorm = (C * C).sum(axis=1).astype(F.dtype)
    G = np.empty((min(_GEMM_ROWS, len(F)), len(C)), dtype=F.dtype)
    for start in range(0, len(F), _GEMM_ROWS):
        stop = min(start + _GEMM_ROWS, len(F))
        g = G[:stop - start]
        np.matmul(F[start:stop], Ct, out=g)
        g += cnorm
        _argmin_rows(g, fnorm[start:stop], labels[start:stop], dists[start:stop])


@nb.njit(cache=True, parallel=True)
def _centre_sums(F, w, labels, k):
    """Weighted sums float64 (k, d) and masses float64 (k,) of the points of each label."""
    n, d = F.shape
    sums = np.zeros((_CHUNKS, k, d))
    mass = np.zeros((_CHUNKS, k))
    for chunk in nb.prange(_CHUNKS):
        for i in range(chunk * n // _CHUNKS, (chunk + 1) * n // _CHUNKS):
            lab = labels[i]
            mass[chunk, lab] += w[i]
            for j in range(d):
                sums[chunk, lab, j] += w[i] * F[i, j]
    return sums.sum(axis=0), mass.sum(axis=0)


@nb.njit(cache=True)
def _kmeanspp(F, w, k, seed):
    """k-means++ seeding (Arthur & Vassilvitskii 2007) with point weights: float64 (k, d) centres."""
    np.random.seed(seed)
    n, d = F.shape
    C = np.empty((k, d))
    cdf = np.cumsum(w)
    first = min(np.searchsorted(cdf, np.random.random() * cdf[-1], side="right"), n - 1)
    C[0] = F[first]
    closest = np.empty(n)
    for i in range(n):
        dist = 0.0
        for j in range(d):
            diff = F[i, j] - C[0, j]
            dist += diff * diff
        closest[i] = dist
    for c in range(1, k):
        cdf = np.cumsum(w * closest)
        if cdf[-1] <= 0:  # fewer distinct points than centres: duplicate a centre
            C[c] = C[c - 1]
            continue
        C[c] = F[min(np.searchsorted(cdf, np.random.random() * cdf[-1], side="right"), n - 1)]
        for i in range(n):
            dist = 0.0
            for j in range(d):
                diff = F[i, j] - C[c, j]
                dist += diff * diff
            if dist < closest[i]:
                closest[i] = dist
    return C


def _lloyd(F, fnorm, w, C, max_iter, tol, on_iter):
    labels = np.empty(len(F), dtype=np.int32)
    dists = np.empty(len(F))
    inertia = np.inf
    for _ in range(max_iter):
        assign(F, fnorm, C, labels, dists)
        new_inertia = float(np.dot(w, dists))
        sums, mass = _centre_sums(F, w, labels, len(C))
        C_new = C.copy()
        used = mass > 0
        C_new[used] = sums[used] / mass[used, None]
        for c in np.flatnonzero(~used):  # revive an empty centre at the worst-served point
            worst = int(np.argmax(w * dists))
            C_new[c] = F[worst]
            dists[worst] = 0.0
        shift = float(((C_new - C) ** 2).sum())
        C = C_new
        if on_iter is not None:
            on_iter()
        done = inertia - new_inertia <= tol * max(new_inertia, 1e-300)
        inertia = new_inertia
        if done or shift == 0.0:
            break
    assign(F, fnorm, C, labels, dists)
    return C, labels, float(np.dot(w, dists))


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

    ``n_init`` k-means++ restarts run on a weighted subsample of ``sample_size`` points when there are
    more; the best centres are then refined by Lloyd over all points (``refine=True``) or only label
    them.  ``on_iter()`` is called after every Lloyd iteration."""
    w = np.asarray(w, dtype=np.float64)
    rng = np.random.default_rng(seed)
    F = features(X, cumulative)
    fnorm = np.einsum("ij,ij->i", F, F)
    if len(F) > sample_size:
        picks, counts = np.unique(rng.choice(len(F), sample_size, p=w / w.sum()), return_counts=True)
        Fs, fs, ws = F[picks], fnorm[picks], counts.astype(np.float64)
    else:
        Fs, fs, ws = F, fnorm, w
    best = None
    for _ in range(n_init):
        C = _kmeanspp(Fs, ws, k, int(rng.integers(2**31)))
        fit = _lloyd(Fs, fs, ws, C, max_iter, tol, on_iter)
        if best is None or fit[2] < best[2]:
            best = fit
    if Fs is F:
        return KMeansResult(*best)
    if refine:
        return KMeansResult(*_lloyd(F, fnorm, w, best[0], max_iter, tol, on_iter))
    labels = np.empty(len(F), dtype=np.int32)
    dists = np.empty(len(F))
    assign(F, fnorm, best[0], labels, dists)
    return KMeansResult(best[0], labels, float(np.dot(w, dists)))
