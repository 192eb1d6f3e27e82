"""Checkpoint and blueprint files: numpy arrays plus a JSON manifest, never a pickle.

A file is an uncompressed ``.npz`` archive holding named arrays and ``manifest``, a uint8 array
of UTF-8 JSON with the format name and version, the sha256 of every array, and whatever the
writer adds (player count, buckets file sha256, config, iterations).  Files are written to a
temporary name, fsynced and renamed, so a crash at any moment leaves the previous file intact;
they are read with ``allow_pickle=False`` and every array's sha256 is checked.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from holdem.abstraction.cache import atomic_write, sha256_of

VERSION = 1


class FileFormatError(ValueError):
    """A checkpoint or blueprint file that cannot be used; the message names the file and the defect."""


def save(path: Path, kind: str, arrays: dict[str, np.ndarray], manifest: dict) -> None:
    """Write ``arrays`` and ``manifest`` (JSON-serialisable) as a ``kind`` file, atomically."""
    manifest = {"format": kind, "format_version": VERSION, **manifest,
                "sha256": {name: sha256_of(a) for name, a in arrays.items()}}
    payload = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    payload["manifest"] = np.frombuffer(json.dumps(manifest, indent=1).encode(), dtype=np.uint8)
    atomic_write(Path(path), lambda f: np.savez(f, **payload))


def load(path: Path, kind: str) -> tuple[dict[str, np.ndarray], dict]:
    """Read and verify a ``kind`` file; any defect raises :class:`FileFormatError` naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FileFormatError(f"{path}: cannot read ({e.strerror or e})") from None
    if raw[:4] != b"PK\x03\x04":
        raise FileFormatError(f"{path}: not a {kind} file (not an npz archive)")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        manifest = json.loads(arrays.pop("manifest").tobytes().decode())
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, UnicodeDecodeError) as e:
        raise FileFormatError(f"{path}: corrupt or truncated ({e})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != kind:
        raise FileFormatError(f"{path}: not a {kind} file (format {manifest.get('format')!r})")
    if manifest.get("format_version") != VERSION:
        raise FileFormatError(f"{path}: format version {manifest.get('format_version')!r}, this program reads {VERSION}")
    sums = manifest.get("sha256", {})
    for name, array in arrays.items():
        if sums.get(name) != sha256_of(array):
            raise FileFormatError(f"{path}: sha256 of array {name!r} does not match the manifest (file modified?)")
    missing = sorted(set(sums) - set(arrays))
    if missing:
        raise FileFormatError(f"{path}: missing arrays {missing}")
    return arrays, manifest
