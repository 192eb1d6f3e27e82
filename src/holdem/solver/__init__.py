"""CFR-family solvers: numba kernels over flat tables, thin classes at the edge.

``make_solver(name, tree, ...)`` builds any algorithm of :data:`ALGORITHMS` by name.
"""

from __future__ import annotations

from holdem.games.tree import GameTree

from .base import Solver
from .cfr import VARIANTS, CFRVariant, VectorCFR
from .mccfr import MCCFR, MCCFRConfig
from .policy import Strategy
from .tables import Tables
from .workers import WorkerError

MCCFR_ALGORITHMS = {"es-mccfr": "external", "os-mccfr": "outcome"}
ALGORITHMS = tuple(VARIANTS) + tuple(MCCFR_ALGORITHMS)


def make_solver(name: str, tree: GameTree, workers: int = 1, seed: int = 0, **options) -> Solver:
    """Solver ``name`` (one of :data:`ALGORITHMS`) on ``tree``. MCCFR takes ``workers``, ``seed`` and
    :class:`MCCFRConfig` fields as ``options``; the deterministic full-tree variants take none."""
    if name in MCCFR_ALGORITHMS:
        return MCCFR(tree, MCCFRConfig(sampling=MCCFR_ALGORITHMS[name], workers=workers, seed=seed, **options))
    if name not in VARIANTS:
        raise ValueError(f"unknown algorithm {name!r}; choose from {', '.join(ALGORITHMS)}")
    if workers != 1 or options:
        raise ValueError(f"{name} is full-tree and single-threaded: it takes no workers or options")
    return VectorCFR(tree, name)


__all__ = ["ALGORITHMS", "CFRVariant", "MCCFR", "MCCFR_ALGORITHMS", "MCCFRConfig", "Solver", "Strategy", "Tables",
           "VectorCFR", "WorkerError", "make_solver"]
