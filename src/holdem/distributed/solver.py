"""ES/OS-MCCFR on the small games across Ray actors, merged as the blueprint's, measured exactly.

Each :class:`MCCFRActor` holds a :class:`~holdem.solver.mccfr.MCCFR` solver (its worker threads on its
own tables).  A round of ``sync_iterations`` (cut at the schedule's events) is split among the actors;
each starts from the master tables the driver published, returns its :class:`~.deltas.Delta`, and the
driver adds them in actor order, then applies the schedule at the global iteration count.  Rounds
are counted in iterations, not seconds, so a seed fixes the run.
"""

from __future__ import annotations

import numpy as np
import ray

from holdem.games import load_tree
from holdem.games.compiled import GameTree
from holdem.solver.base import Solver
from holdem.solver.mccfr import MCCFR, MCCFRConfig
from holdem.solver.rng import seed_states
from holdem.solver.tables import Tables
from holdem.solver.workers import split_evenly

from .cluster import ClusterError, connect, placements, source_sha256
from .deltas import Delta


class MCCFRActor:
    """One node's MCCFR solver on ``game`` with ``config`` (its ``num_workers`` threads)."""

    def __init__(self, game: str, config: MCCFRConfig, source_sha: str):
        self.ok = source_sha256() == source_sha
        self.solver = MCCFR(load_tree(game), config)
        t = self.solver.tables
        self.base = (t.regrets.copy(), t.strategy_sum.copy())

    def setup(self) -> str | None:
        """None when this node runs the driver's sources, else why not."""
        return None if self.ok else f"node {ray.util.get_node_ip_address()} runs other holdem sources than the " \
                                    "driver: install the same version on every node"

    def run(self, master: tuple[np.ndarray, np.ndarray], iterations: int, done: int, rng: np.ndarray) -> tuple:
        """``iterations`` iterations from the ``master`` tables (``done`` iterations behind the whole
        run) with RNG rows ``rng`` (uint64 ``(threads, 4)``): ``(delta, advanced rows)``."""
        s, t = self.solver, self.solver.tables
        for table, base, value in zip((t.regrets, t.strategy_sum), self.base, master):
            np.copyto(table, value)
            np.copyto(base, value)
        s.rng[:] = rng
        s.iterations = done
        s.run_round(iterations)
        return Delta.between(t.regrets, self.base[0], t.strategy_sum, self.base[1]), s.rng.copy()


RemoteMCCFRActor = ray.remote(MCCFRActor)


class DistributedMCCFR(Solver):
    """MCCFR on ``tree`` (the game named ``game``) by ``actors`` Ray actors of ``config.num_workers``
    threads each (0: the node's CPUs), merging every ``sync_iterations`` iterations."""

    def __init__(self, tree: GameTree, game: str, config: MCCFRConfig, actors: int, sync_iterations: int,
                 address: str = "auto"):
        super().__init__(tree, Tables.zeros(tree.arrays.infoset_offset, config.regret_dtype))
        connect(address)
        self.config, self.sync_iterations = config, sync_iterations
        slots = placements(actors, config.num_workers)
        bounds = np.cumsum([0] + [s.threads for s in slots])
        self.rows = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
        self.rng = seed_states(config.seed, int(bounds[-1]))
        sha = source_sha256()
        self.actors = [RemoteMCCFRActor.options(**slot.options()).remote(
            game, config.model_copy(update={"num_workers": slot.threads}), sha) for slot in slots]
        for why in ray.get([actor.setup.remote() for actor in self.actors]):
            if why is not None:
                self.close()
                raise ClusterError(why)

    def close(self) -> None:
        """Stop the actors."""
        for actor in self.actors:
            ray.kill(actor)
        self.actors = []

    def run(self, iterations: int) -> None:
        c, t = self.config, self.tables
        target = self.iterations + iterations
        while self.iterations < target:
            n = min(c.round_length(self.iterations, self.sync_iterations), target - self.iterations)
            master = ray.put((t.regrets, t.strategy_sum))
            shares = split_evenly(n, len(self.actors))
            calls = [(i, actor.run.remote(master, shares[i], self.iterations, self.rng[self.rows[i]]))
                     for i, actor in enumerate(self.actors) if shares[i] > 0]
            for i, call in calls:
                delta, rng = ray.get(call)
                delta.add_to(t.regrets, t.strategy_sum, c.regret_floor)
                self.rng[self.rows[i]] = rng
            self.iterations += n
            c.end_round(self.iterations, t)
