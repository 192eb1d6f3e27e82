"""Weighted k-means: the GEMM assignment against brute force, weights, cumulative features."""

import numpy as np

from holdem.abstraction import kmeans as km


def test_assign_equals_brute_force_nearest_centre():
    rng = np.random.default_rng(0)
    X = rng.random((5000, 7))
    C = rng.random((13, 7))
    F = km.features(X, cumulative=False)
    labels = np.empty(len(F), dtype=np.int32)
    dists = np.empty(len(F))
    km.assign(F, np.einsum("ij,ij->i", F, F), C, labels, dists)
    brute = ((X[:, None, :] - C[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(labels, brute.argmin(axis=1))
    np.testing.assert_allclose(dists, brute.min(axis=1), atol=1e-12)


def test_cumulative_features_are_normalized_cdfs():
    hist = np.array([[1, 0, 3], [0, 2, 2]], dtype=np.uint8)
    np.testing.assert_allclose(km.features(hist, cumulative=True), [[0.25, 0.25, 1.0], [0.0, 0.5, 1.0]])
    assert km.features(hist, cumulative=True).dtype == np.float32


def test_weighted_kmeans_finds_separated_clusters_and_honours_weights():
    rng = np.random.default_rng(1)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X = np.concatenate([c + rng.normal(0, 0.1, (300, 2)) for c in centres])
    truth = np.repeat(np.arange(3), 300)
    fit = km.weighted_kmeans(X, np.ones(len(X)), 3, seed=2, n_init=2, sample_size=500)
    assert len(np.unique(fit.labels)) == 3
    for c in range(3):
        assert len(np.unique(fit.labels[truth == c])) == 1
    # a single heavy point pulls the one centre onto itself
    X1 = np.array([[0.0], [1.0]])
    fit = km.weighted_kmeans(X1, np.array([1.0, 99.0]), 1, seed=0, n_init=1)
    assert abs(fit.centers[0, 0] - 0.99) < 1e-12
