"""Test sessions keep their caches to themselves: a temporary directory, not the user's cache.

holdem keeps computed tables (equity, histograms, betting trees) in ``$HOLDEM_CACHE_DIR``
(default ``~/.cache/holdem``) and compiled numba kernels in its ``numba/`` folder, which
``holdem/__init__.py`` derives into ``NUMBA_CACHE_DIR`` when the package is imported.  This file
sits at the repository root so that pytest loads it first in every session, whatever paths it
is given (``tests/`` or the doctests of ``src/holdem``), before any test module or doctest
imports holdem.  It points ``HOLDEM_CACHE_DIR`` at a fresh temporary directory, removed when
the session ends, and drops any ``NUMBA_CACHE_DIR`` so that holdem derives it from there: a
test run neither fills the user's cache nor reads stale files from it, and subprocesses the
tests start inherit both settings.

The price is compiling every kernel a test calls once per session.  To keep the caches across
runs instead (in CI, with the directory itself cached between jobs), name a directory of its
own for the tests::

    HOLDEM_TEST_CACHE_DIR=.cache/holdem-tests python -m pytest

Compiled kernels are keyed by a hash of the package sources there too, so an edit never runs
stale code.
"""

import os
import shutil
import tempfile

_KEEP = os.environ.get("HOLDEM_TEST_CACHE_DIR")
_CACHE = os.path.abspath(_KEEP) if _KEEP else tempfile.mkdtemp(prefix="holdem-tests-")
os.environ["HOLDEM_CACHE_DIR"] = _CACHE
os.environ.pop("NUMBA_CACHE_DIR", None)


def pytest_unconfigure(config):
    """Remove the session's temporary cache (a kept ``HOLDEM_TEST_CACHE_DIR`` stays)."""
    if not _KEEP:
        shutil.rmtree(_CACHE, ignore_errors=True)
