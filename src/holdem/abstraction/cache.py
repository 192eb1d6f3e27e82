"""On-disk cache of computed tables (in :func:`holdem.files.cache_dir`): one ``.npy`` per table plus
a JSON manifest with its sha256; a missing or mismatching table is recomputed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from holdem.files import atomic_write, cache_dir, sha256_of


def _manifest_path(name: str) -> Path:
    return cache_dir() / f"{name}.json"


def load(name: str, version: str) -> np.ndarray | None:
    """The cached table ``name`` if present, of this ``version`` and intact; else ``None``."""
    try:
        manifest = json.loads(_manifest_path(name).read_text())
        array = np.load(cache_dir() / f"{name}.npy", allow_pickle=False, mmap_mode=None)
    except (OSError, ValueError):
        return None
    if manifest.get("version") != version or manifest.get("sha256") != sha256_of(array):
        return None
    return array


def save(name: str, version: str, array: np.ndarray, **info: object) -> None:
    """Write table ``name`` and its manifest (version, shape, dtype, sha256, extra ``info``)."""
    atomic_write(cache_dir() / f"{name}.npy", lambda f: np.save(f, array, allow_pickle=False))
    manifest = {"version": version, "shape": list(array.shape), "dtype": str(array.dtype),
                "sha256": sha256_of(array), **info}
    atomic_write(_manifest_path(name), lambda f: f.write(json.dumps(manifest, indent=1).encode()))


def cached(name: str, version: str, compute: Callable[[], np.ndarray], **info: object) -> np.ndarray:
    """Load table ``name`` from the cache, or ``compute()`` it and store it."""
    array = load(name, version)
    if array is None:
        array = compute()
        save(name, version, array, **info)
    return array
