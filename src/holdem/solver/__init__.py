"""CFR-family solvers: numba kernels over flat tables, thin classes at the edge.

``make_solver(name, tree, ...)`` builds any algorithm of :data:`ALGORITHMS` by name.
"""

from __future__ import annotations

from holdem.games.compiled import GameTree

from .base import Solver
from .cfr import VARIANTS, CFRVariant, VectorCFR
from .mccfr import MCCFR, MCCFRConfig
from .policy import Strategy
from .schedule import MCCFRSchedule
from .tables import Tables
from .workers import WorkerError

MCCFR_ALGORITHMS = {"es-mccfr": "external", "os-mccfr": "outcome"}
ALGORITHMS = tuple(VARIANTS) + tuple(MCCFR_ALGORITHMS)


def make_solver(name: str, tree: GameTree, **options) -> Solver:
    """Solver ``name`` (one of :data:`ALGORITHMS`) on ``tree``; MCCFR takes :class:`MCCFRConfig` fields
    as ``options``, the full-tree variants none."""
    if name in MCCFR_ALGORITHMS:
        return MCCFR(tree, MCCFRConfig(sampling=MCCFR_ALGORITHMS[name], **options))
    if name not in VARIANTS:
        raise ValueError(f"unknown algorithm {name!r}; choose from {', '.join(ALGORITHMS)}")
    if options:
        raise ValueError(f"{name} is full-tree and single-threaded: it takes no workers or options")
    return VectorCFR(tree, name)


__all__ = ["ALGORITHMS", "CFRVariant", "MCCFR", "MCCFR_ALGORITHMS", "MCCFRConfig", "MCCFRSchedule", "Solver",
           "Strategy", "Tables", "VectorCFR", "WorkerError", "make_solver"]
