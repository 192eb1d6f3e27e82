"""Files users keep (buckets, checkpoints, blueprints) and the table cache: one safe container.

A file is an uncompressed ``.npz`` archive of named arrays and ``manifest``, a uint8 array of UTF-8
JSON with the format name (``kind``) and version, the sha256 of every array and whatever the writer
adds.  Files are written atomically with the user's umask and read with ``allow_pickle=False``,
every sha256 checked: whatever the suffix (``.pkl`` included), a file is never a pickle.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

VERSION = 1


class FileFormatError(ValueError):
    """A file that cannot be used; the message names the file and the defect."""


def cache_dir() -> Path:
    """The cache directory, ``$HOLDEM_CACHE_DIR`` or ``~/.cache/holdem`` (created if needed)."""
    path = Path(os.environ.get("HOLDEM_CACHE_DIR") or Path.home() / ".cache" / "holdem")
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_of(array: np.ndarray) -> str:
    """Hex sha256 of an array's bytes (C order)."""
    return hashlib.sha256(np.ascontiguousarray(array).data).hexdigest()


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes (ties a checkpoint or blueprint to its buckets file)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, write: Callable[[object], None]) -> None:
    """Call ``write(file)`` on a temporary file next to ``path``, fsync it, set the umask's mode, rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fchmod(f.fileno(), 0o666 & ~_umask())
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def numbered(directory: Path, prefix: str) -> list[Path]:
    """The files ``<prefix>-<N>.npz`` of ``directory``, by increasing ``N`` (the newest last)."""
    found = [p for p in Path(directory).glob(f"{prefix}-*.npz") if p.stem.split("-")[-1].isdigit()]
    return sorted(found, key=lambda p: int(p.stem.split("-")[-1]))


def save(path: Path, kind: str, arrays: dict[str, np.ndarray], manifest: dict) -> None:
    """Write ``arrays`` and ``manifest`` (JSON-serialisable) as a ``kind`` file, atomically."""
    manifest = {"format": kind, "format_version": VERSION, **manifest,
                "sha256": {name: sha256_of(a) for name, a in arrays.items()}}
    payload = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    payload["manifest"] = np.frombuffer(json.dumps(manifest, indent=1).encode(), dtype=np.uint8)
    atomic_write(Path(path), lambda f: np.savez(f, **payload))


def load(path: Path, kind: str) -> tuple[dict[str, np.ndarray], dict]:
    """Read and verify a ``kind`` file: ``(arrays, manifest)``; any defect raises
    :class:`FileFormatError` naming the file."""
    path = Path(path)
    label = kind.removeprefix("holdem-")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FileFormatError(f"{path}: cannot read ({e.strerror or e})") from None
    if raw[:1] == b"\x80" or raw[:2] in (b"(d", b"(l"):
        raise FileFormatError(f"{path}: is a Python pickle; refusing to load it ({label} files are npz archives)")
    if raw[:4] != b"PK\x03\x04":
        raise FileFormatError(f"{path}: not a {label} file (not an npz archive)")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            if "manifest" not in npz.files:
                raise FileFormatError(f"{path}: not a holdem {label} file (no manifest)")
            arrays = {name: npz[name] for name in npz.files}
        manifest = json.loads(arrays.pop("manifest").tobytes().decode())
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, UnicodeDecodeError) as e:
        if isinstance(e, FileFormatError):
            raise
        raise FileFormatError(f"{path}: corrupt or truncated ({e})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != kind:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise FileFormatError(f"{path}: not a {label} file (format {found!r})")
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
