"""Full-tree CFR variants: CFR, CFR+, linear CFR and discounted CFR (see :mod:`.cfr_kernels`)."""

from __future__ import annotations

from dataclasses import dataclass

from holdem.games.compiled import GameTree

from .base import Solver
from .cfr_kernels import cfr_iterations
from .tables import Tables


@dataclass(frozen=True)
class CFRVariant:
    """Discounting parameters (Brown & Sandholm 2019 notation) and the CFR+ regret floor."""

    discount_regrets: bool = False
    alpha: float = 1.0
    beta: float = 1.0
    gamma: float = 0.0
    plus: bool = False


VARIANTS = {
    "cfr": CFRVariant(),
    "cfr+": CFRVariant(gamma=1.0, plus=True),
    "linear-cfr": CFRVariant(discount_regrets=True, alpha=1.0, beta=1.0, gamma=1.0),
    "dcfr": CFRVariant(discount_regrets=True, alpha=1.5, beta=0.0, gamma=2.0),
}


class VectorCFR(Solver):
    """Full-tree CFR with alternating updates on float64 tables; single-threaded and deterministic.
    ``variant`` is a name of :data:`VARIANTS` or a :class:`CFRVariant`."""

    def __init__(self, tree: GameTree, variant: str | CFRVariant = "cfr+"):
        super().__init__(tree, Tables.zeros(tree.arrays.infoset_offset, "float64"))
        self.variant = VARIANTS[variant] if isinstance(variant, str) else variant

    def run(self, iterations: int) -> None:
        v = self.variant
        cfr_iterations(self.tree.arrays, self.tables.regrets, self.tables.strategy_sum, self.iterations,
                       iterations, v.discount_regrets, v.alpha, v.beta, v.gamma, v.plus)
        self.iterations += iterations
