"""What every solver exposes: incremental training and its strategies over a compiled tree."""

from __future__ import annotations

from abc import ABC, abstractmethod

from holdem.games.compiled import GameTree

from .policy import Strategy
from .tables import Tables


class Solver(ABC):
    """A regret minimiser over ``tree`` with one set of :class:`Tables`; ``iterations`` counts the
    iterations done so far (one iteration = one update of every player)."""

    def __init__(self, tree: GameTree, tables: Tables):
        self.tree = tree
        self.tables = tables
        self.iterations = 0

    @abstractmethod
    def run(self, iterations: int) -> None:
        """Train ``iterations`` more iterations, continuing where the last call stopped."""

    def average_strategy(self) -> Strategy:
        """The average strategy (the one that converges to equilibrium)."""
        return Strategy.for_tree(self.tree, self.tables.average_strategy())

    def current_strategy(self) -> Strategy:
        """The current (regret-matching) strategy of the last iteration."""
        return Strategy.for_tree(self.tree, self.tables.current_strategy())
