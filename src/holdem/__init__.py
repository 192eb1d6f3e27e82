"""holdem: a Texas Hold'em AI toolkit (evaluator, rules engine, CFR solvers, abstraction, training).

Importing the package points numba's on-disk cache (unless ``NUMBA_CACHE_DIR`` is set) at a
directory named by a hash of the package's sources: numba keys a cached kernel on its own file
only, so a kernel calling into a module edited since would otherwise keep running the old code.
"""

import hashlib
import os
import sys
from pathlib import Path

__version__ = "0.1.0"


def _numba_cache_dir() -> Path:
    """``$HOLDEM_CACHE_DIR`` (or ``~/.cache/holdem``) ``/numba/<sha256 of the sources, 16 hex>``."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    base = Path(os.environ.get("HOLDEM_CACHE_DIR") or Path.home() / ".cache" / "holdem")
    return base / "numba" / digest.hexdigest()[:16]


if not os.environ.get("NUMBA_CACHE_DIR"):
    os.environ["NUMBA_CACHE_DIR"] = str(_numba_cache_dir())
    if "numba" in sys.modules:  # numba read its settings at import: set the live one as well
        sys.modules["numba"].config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]
