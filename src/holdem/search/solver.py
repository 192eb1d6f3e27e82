"""The range-vs-range solver: vector CFR (DCFR by default) on a :class:`~holdem.search.public_tree.Subgame`.

Each iteration makes one traversal per player (alternating updates) that updates every hand of
that player at once (:mod:`holdem.search.kernels`).  With ``threads > 1`` a turn subgame's river
subtrees, the children of its chance nodes, are shared out between threads running the ``nogil``
kernels; each subtree's result is computed alone and summed in a fixed order, so the result does
not depend on the thread count.  A subgame without chance nodes (a river subgame, Leduc's second
round) runs on one thread.

Safe resolving uses the resolve gadget (Burch, Johanson & Bowling 2014, "Solving Imperfect
Information Games Using Decomposition"): before the subgame the opponent picks, hand by hand,
between entering it and taking the value his best response earned against the blueprint there
(:class:`Gadget`).  The gadget deals the opponent's hands by card removal alone, whatever his
range: his own reach is replaced by his choice to enter, so a hand the ranges think he rarely
holds is guarded as well as any other.  The re-solved player's strategy then gives no opponent
hand more than the blueprint did, up to how well the gadget game is solved, so replacing the
blueprint by it never makes him more exploitable; unsafe resolving (no gadget) may, but usually
plays better.

>>> from holdem.search.public_tree import leduc_round2_subgame
>>> solver = RangeSolver(leduc_round2_subgame(board_card=4, contributions=(3, 3)), np.ones((2, 6)))
>>> stats = solver.solve(target_pct=0.05, max_iterations=2000)
>>> stats.stopped, stats.exploitability_pct <= 0.05
('target', True)
"""

from __future__ import annotations

import math
import mmap
import os
import time
from dataclasses import dataclass

import numpy as np

from holdem.solver.cfr import VARIANTS
from holdem.solver.workers import run_workers

from .kernels import (MODE_BEST_RESPONSE, MODE_CFR, MODE_EVALUATE, NUM_CARD_SLOTS, STAGE_COLLECT, STAGE_FINISH,
                      STAGE_FULL, Leaves, Scratch, Tables, copy_swapped, fold_values, no_leaves, solve_items,
                      traverse)
from .public_tree import Subgame, live_hands, river_suit_swaps

ALGORITHMS = ("dcfr", "cfr+", "linear-cfr", "cfr")
_TABLE_DTYPE = np.float32


def _fresh_zeros(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """A zeroed array in its own anonymous memory map, i.e. in pages of the system's default size:
    ``np.zeros`` asks for transparent huge pages for large arrays, and on virtual machines faulting
    those in the first time they are written can cost seconds for a turn subgame's tables (about
    1.4 s per 120 MB measured against 0.23 s in ordinary pages), more than the solve itself."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if size == 0:
        return np.zeros(shape, dtype)
    return np.frombuffer(mmap.mmap(-1, size), dtype).reshape(shape)


@dataclass(frozen=True)
class Gadget:
    """Safe re-solving of ``player``'s strategy with the resolve gadget: ``values`` float64 ``(H,)``
    are the opponent's counterfactual best-response values at the root against the blueprint
    (per opponent hand, the sum over ``player``'s card-compatible hands of their root weight times
    the opponent's best-response chips: :meth:`RangeSolver.best_response` of a solver that plays
    the blueprint, see :meth:`RangeSolver.set_average_strategy`)."""

    player: int
    values: np.ndarray


@dataclass(frozen=True)
class LeafValues:
    """What the depth-limit leaves of a subgame are worth (``L`` = :attr:`Subgame.num_leaves`, in
    node order): ``values`` float64 ``(L, K0, K1, G, G)``, player 0's expected net chips over the
    whole hand when he holds a hand of group ``g0`` and plays his continuation strategy ``i`` and
    player 1 holds one of group ``g1`` and plays ``j`` (``values[l, i, j, g0, g1]``; ``K0``, ``K1``
    the continuation strategies each player chooses from), and ``group`` int64 ``(H,)``, the
    group of each of the subgame's hands (see :mod:`holdem.search.depth_limit`)."""

    values: np.ndarray
    group: np.ndarray


@dataclass(frozen=True)
class SolveStats:
    """What :meth:`RangeSolver.solve` did: ``iterations`` run by this call (``total_iterations`` in
    all), wall-clock ``seconds``, the last measured exploitability (chips and % of the root pot;
    None when no target was asked for) and why it stopped (``"time"``, ``"target"`` or
    ``"iterations"``)."""

    iterations: int
    total_iterations: int
    seconds: float
    exploitability: float | None
    exploitability_pct: float | None
    stopped: str


def next_check_gap(checks: list[tuple[int, float]], target_pct: float, least: int) -> int:
    """Iterations to run before the next exploitability check, from the ``checks`` so far
    (``(total iterations, exploitability %)``, oldest first, all above ``target_pct``).

    CFR's average strategies come down roughly as a power of the iterations, ``e ~ t ** -k``
    (``k`` about 1 to 2 for DCFR on hold'em subgames): ``k`` is read from the last two checks (1
    with one), and the gap is 80% of the way to the predicted crossing of the target, at least
    ``least`` and at most half the iterations so far (so a bad prediction overshoots the crossing
    by at most half)."""
    t, e = checks[-1]
    k = 1.0
    if len(checks) > 1:
        t0, e0 = checks[-2]
        if e0 > e > 0.0 and t > t0:
            k = min(3.0, max(0.5, math.log(e0 / e) / math.log(t / t0)))
    crossing = t * (e / target_pct) ** (1.0 / k) if target_pct > 0.0 else math.inf
    return int(max(least, min(t / 2, 0.8 * (crossing - t))))


class RangeSolver:
    """Solves ``subgame`` for root ``ranges`` (float64 ``(2, H)``, each player's weight on each of the
    subgame's hands, not necessarily normalised; hands holding a root board card are ignored).

    The kernels run over the hands that hold no root board card only (on the turn 1,128 of
    hold'em's 1,326): per-hand results come back over all ``H`` hands, 0 for values and uniform
    strategies for the others.  On a turn board that leaves two or more suits out, while the
    ranges (and the gadget's values, and any strategy set at a turn node) are unchanged by swapping
    two of those suits, the rivers of the other absent suits are not solved but copied, suits
    swapped, from those of the first (:func:`~holdem.search.public_tree.river_suit_swaps`): the
    same strategies and values up to rounding, with 13 of 48 rivers fewer per missing suit.

    ``algorithm``: ``"dcfr"`` (Brown & Sandholm 2019, alpha 1.5, beta 0, gamma 2), ``"cfr+"``,
    ``"linear-cfr"`` or ``"cfr"``.  ``threads``: threads sharing a turn subgame's river subtrees
    (0 = every core).  ``max_memory_bytes`` refuses a subgame whose tables would need more.
    ``gadget``: safe re-solving of one player's strategy (:class:`Gadget`); the solve and
    :meth:`exploitability` are then those of the gadget game, where the other player's root
    weights are 1 for every hand the board leaves (his row of ``ranges`` is not read).
    ``leaves``: the values of a depth-limited subgame's leaves (:class:`LeafValues`; required
    exactly when the subgame has leaves), where each player's choice of continuation strategy is
    solved along with the rest.
    """

    def __init__(self, subgame: Subgame, ranges: np.ndarray, algorithm: str = "dcfr", threads: int = 1,
                 max_memory_bytes: int | None = None, gadget: Gadget | None = None,
                 leaves: LeafValues | None = None):
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown search algorithm {algorithm!r}; choose from {', '.join(ALGORITHMS)}")
        if threads < 0:
            raise ValueError(f"threads must be >= 0 (0 = every core), got {threads}")
        ranges = np.array(ranges, np.float64)
        if ranges.shape != (2, subgame.num_hands):
            raise ValueError(f"ranges must have shape (2, {subgame.num_hands}), got {ranges.shape}")
        if not np.all(np.isfinite(ranges)) or np.any(ranges < 0):
            raise ValueError("ranges must be finite and non-negative")
        self.subgame = subgame
        self.variant = VARIANTS[algorithm]
        tree = subgame.tree
        self._item_node = np.flatnonzero(tree.node_item >= 0).astype(np.int64)
        self.threads = max(1, min(threads or os.cpu_count() or 1, len(self._item_node) or 1))
        self._live, self._hands = live_hands(subgame)
        self._leaves = self._leaf_tables(leaves)
        need = self.memory_bytes()
        if max_memory_bytes is not None and need > max_memory_bytes:
            raise ValueError(f"the subgame needs {need / 2**20:,.0f} MiB for its tables, more than the "
                             f"{max_memory_bytes / 2**20:,.0f} MiB allowed; use fewer bet sizes or raises")
        if gadget is not None:
            values = np.asarray(gadget.values, np.float64)
            if gadget.player not in (0, 1) or values.shape != (subgame.num_hands,) or not np.all(np.isfinite(values)):
                raise ValueError(f"a gadget is a player (0 or 1) and finite values of shape ({subgame.num_hands},)")
            gadget = Gadget(gadget.player, values)
            ranges[1 - gadget.player] = 1.0  # the gadget deals the chooser's hands by card removal alone
        self.gadget = gadget
        live = np.zeros(subgame.num_hands, bool)
        live[self._live] = True
        ranges[:, ~live] = 0.0
        self.ranges = ranges
        self._ranges = np.ascontiguousarray(ranges[:, self._live])
        num_live = len(self._live)
        shape = (self._num_table_rows, num_live)
        self.tables = Tables(_fresh_zeros(shape, _TABLE_DTYPE), _fresh_zeros(shape, _TABLE_DTYPE),
                             np.zeros(shape[0], np.bool_))
        self._scratch = [self._new_scratch() for _ in range(self.threads)]
        self._chance_reach = np.zeros((int(np.count_nonzero(tree.node_chance >= 0)), num_live))
        self._item_values = _fresh_zeros((len(self._item_node), num_live), np.float64)
        self._out = np.zeros(num_live)
        compatible = np.zeros(num_live)
        fold_values(self._hands.hand_cards, self._ranges[1], 1.0, self._scratch[0].cards, compatible)
        self._pair_weight = float(self._ranges[0] @ compatible)
        if self._pair_weight <= 0.0:
            raise ValueError("the ranges hold no pair of hands that can meet (empty after card removal)")
        self._gadget_values = None if gadget is None else gadget.values[self._live]
        self._gadget_regrets = np.zeros((2, num_live))  # rows: enter, take the value
        self._gadget_sum = np.zeros((2, num_live))
        self.iterations = 0
        self._item_of: np.ndarray | None = None
        self._swaps = river_suit_swaps(subgame, self._live)
        if self._swaps is not None and not (self._swap_invariant(self._ranges) and (
                gadget is None or self._swap_invariant(self._gadget_values))):
            self._swaps = None
        self._solved_items = np.arange(len(self._item_node), dtype=np.int64)
        if self._swaps is not None:
            self._solved_items = np.flatnonzero(self._swaps.swap_of < 0)

    # ------------------------------------------------------------------ equivalent rivers

    @property
    def copied_rivers(self) -> int:
        """How many chance children are copied, suits swapped, rather than solved (0 when none is)."""
        return 0 if self._swaps is None else int(np.count_nonzero(self._swaps.swap_of >= 0))

    def _swap_invariant(self, values: np.ndarray) -> bool:
        """Whether ``values`` (``(..., live hands)``) are unchanged by every suit swap."""
        return all(np.array_equal(values[..., swap], values) for swap in self._swaps.live)

    def _item_of_node(self) -> np.ndarray:
        """int64 ``(N,)``: the chance child each node is in or below, -1 above the chance nodes."""
        if self._item_of is None:
            tree = self.subgame.tree
            item = tree.node_item.astype(np.int64)
            for n in range(1, len(item)):  # parents come before their children
                if item[n] < 0:
                    item[n] = item[tree.node_parent[n]]
            self._item_of = item
        return self._item_of

    def _copied_from(self, node: int) -> tuple[int, int]:
        """``(node, swap)``: where a node of a copied river subtree is solved and the swap that maps
        it there; ``(node, -1)`` for every other node."""
        if self._swaps is None:
            return node, -1
        item = int(self._item_of_node()[node])
        if item < 0 or self._swaps.swap_of[item] < 0:
            return node, -1
        tree = self.subgame.tree
        root, source = int(self._item_node[item]), int(self._item_node[self._swaps.source[item]])
        swap = int(self._swaps.swap_of[item])
        if node == root:
            return source, swap
        return node + int(tree.node_first_child[source]) - int(tree.node_first_child[root]), swap

    def _keep_swaps_for(self, node: int, strategy: np.ndarray) -> None:
        """Stop copying rivers unless ``node`` is above the chance nodes and ``strategy`` (live hands'
        columns) is unchanged by the swaps; the copied subtrees' tables are written out first."""
        if self._swaps is None or (self._item_of_node()[node] < 0 and self._swap_invariant(strategy)):
            return
        tree, item_of, swaps = self.subgame.tree, self._item_of_node(), self._swaps
        has_row = tree.node_row >= 0
        for item in np.flatnonzero(swaps.swap_of >= 0):
            rows, source_rows = (tree.node_row[(item_of == i) & has_row] for i in (item, swaps.source[item]))
            for table in (self.tables.regrets, self.tables.strategy_sum):
                table[rows] = table[source_rows][:, swaps.live[swaps.swap_of[item]]]
        self._swaps = None
        self._solved_items = np.arange(len(self._item_node), dtype=np.int64)

    def traversed_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The action rows of the tables that each traversal visits, int64 ``(n,)`` in tree order (every
        decision's rows but those in copied rivers; depth-limit choice rows are not included), and the
        player acting at each, int8 ``(n,)``."""
        tree = self.subgame.tree
        nodes = np.flatnonzero(tree.node_row >= 0)
        if self._swaps is not None:
            item = self._item_of_node()[nodes]
            nodes = nodes[(item < 0) | (self._swaps.swap_of[np.maximum(item, 0)] < 0)]
        return tree.node_row[nodes].astype(np.int64), tree.node_player[tree.node_parent[nodes]].astype(np.int8)

    # ------------------------------------------------------------------ depth-limit leaves

    def _leaf_tables(self, leaves: LeafValues | None) -> Leaves:
        """The kernels' :class:`~holdem.search.kernels.Leaves` over the live hands, each player's
        choice rows placed after the subgame's action rows (``_num_table_rows`` counts them all)."""
        sub = self.subgame
        if leaves is None:
            if sub.num_leaves:
                raise ValueError(f"the subgame is depth-limited ({sub.num_leaves} leaves): pass its leaf values")
            return no_leaves(len(self._live))
        values, group = np.asarray(leaves.values, np.float64), np.asarray(leaves.group, np.int64)
        if values.ndim != 5 or values.shape[0] != sub.num_leaves or values.shape[3] != values.shape[4] or \
                min(values.shape[1:]) < 1 or not np.all(np.isfinite(values)):
            raise ValueError(f"leaf values must be finite, of shape ({sub.num_leaves}, K0, K1, G, G), "
                             f"got {values.shape}")
        if group.shape != (sub.num_hands,) or group.min(initial=0) < 0 or group.max(initial=0) >= values.shape[3]:
            raise ValueError(f"leaf groups must be ({sub.num_hands},) ints in 0..{values.shape[3] - 1}")
        per_leaf = values.shape[1] + values.shape[2]
        first = sub.num_rows + per_leaf * np.arange(sub.num_leaves, dtype=np.int64)
        rows = np.stack([first, first + values.shape[1]], axis=1)
        return Leaves(np.ascontiguousarray(values), np.ascontiguousarray(group[self._live]), rows)

    @property
    def _num_table_rows(self) -> int:
        """Rows of the tables: the subgame's action rows, then each leaf's choice rows."""
        values = self._leaves.values
        return self.subgame.num_rows + len(self._leaves.rows) * (values.shape[1] + values.shape[2])

    def _leaf_rows(self, leaf: int, player: int) -> slice:
        """The table rows of ``player``'s continuation choices at depth-limit leaf ``leaf``."""
        if not 0 <= leaf < len(self._leaves.rows) or player not in (0, 1):
            raise ValueError(f"no leaf {leaf} for player {player}: the subgame has {len(self._leaves.rows)} leaves")
        first = int(self._leaves.rows[leaf, player])
        return slice(first, first + self._leaves.values.shape[1 + player])

    def leaf_strategy(self, leaf: int, player: int, average: bool = True) -> np.ndarray:
        """float64 ``(K, H)``: how often each hand of ``player`` takes each of his continuation
        strategies at depth-limit leaf ``leaf`` (averaged, or the current iterate)."""
        rows = self._leaf_rows(leaf, player)
        return self._strategy((self.tables.strategy_sum if average else self.tables.regrets)[rows])

    def set_leaf_strategy(self, leaf: int, player: int, strategy: np.ndarray) -> None:
        """Make ``strategy`` (float64 ``(K, H)``, each hand's weights on ``player``'s continuation
        strategies) his average choice at depth-limit leaf ``leaf``, e.g. to play the blueprint's own
        continuation for :meth:`best_response`."""
        rows = self._leaf_rows(leaf, player)
        self.tables.strategy_sum[rows] = self._live_columns(strategy, rows.stop - rows.start,
                                                            f"leaf {leaf} of player {player}")

    # ------------------------------------------------------------------ memory

    def memory_bytes(self) -> int:
        """Bytes this solver's arrays take: the two tables plus per-thread and chance work space."""
        sub = self.subgame
        h = len(self._live)
        rows = self._num_table_rows
        tables = 2 * rows * h * np.dtype(_TABLE_DTYPE).itemsize + rows
        leaf = self._leaf_scratch_shapes()
        per_thread = ((sub.max_depth + 1) * (2 * sub.max_children + 2) * h + 4 * h + 3 * NUM_CARD_SLOTS
                      + int(np.prod(leaf[0])) + int(np.prod(leaf[1])))
        chance = (int(np.count_nonzero(sub.tree.node_chance >= 0)) + len(self._item_node)) * h * 8
        return tables + self.threads * per_thread * 8 + chance

    def _leaf_scratch_shapes(self) -> tuple[tuple[int, int], tuple[int, int, int]]:
        """Shapes of :class:`~holdem.search.kernels.Scratch`'s ``leaf`` and ``leaf_sums``."""
        values = self._leaves.values
        choices = max(values.shape[1], values.shape[2])
        return (3 * choices + 1, len(self._live)), (choices, values.shape[3], NUM_CARD_SLOTS + 1)

    def _new_scratch(self) -> Scratch:
        sub, h = self.subgame, len(self._live)
        leaf, leaf_sums = self._leaf_scratch_shapes()
        return Scratch(_fresh_zeros((sub.max_depth + 1, 2 * sub.max_children + 2, h), np.float64),
                       np.zeros((3, NUM_CARD_SLOTS)), np.zeros((3, h)), np.zeros(h), np.zeros(leaf),
                       np.zeros(leaf_sums))

    # ------------------------------------------------------------------ passes

    def _gadget_strategy(self, current: bool) -> np.ndarray:
        """float64 ``(2, live hands)``: the opponent's gadget choice per hand (enter, take the value),
        by regret matching (``current``) or averaged."""
        if current:
            return self._normalised(self._gadget_regrets)
        return self._normalised(self._gadget_sum)

    def _opponent_reach(self, player: int, mode: int) -> np.ndarray:
        """float64 ``(live hands,)``: the reach of ``player``'s opponent at the root (through the
        gadget's "enter" when the opponent is the gadget's chooser)."""
        reach = self._ranges[1 - player]
        if self.gadget is None or player != self.gadget.player:
            return reach
        return reach * self._gadget_strategy(mode == MODE_CFR)[0]

    def _update_gadget(self, enter_values: np.ndarray, pos: float, neg: float, plus: bool) -> None:
        """The chooser's gadget regrets after his traversal: entering is worth ``enter_values``."""
        strategy = self._gadget_strategy(True)
        action_values = np.stack([enter_values, self._gadget_values])
        value = (strategy * action_values).sum(axis=0)
        r = self._gadget_regrets
        r *= np.where(r > 0.0, pos, neg)
        r += action_values - value
        if plus:
            np.maximum(r, 0.0, out=r)

    def _pass(self, player: int, mode: int, pos: float = 1.0, neg: float = 1.0, decay: float = 1.0,
              plus: bool = False) -> np.ndarray:
        """One traversal for ``player`` (see :func:`holdem.search.kernels.traverse`); returns his root
        values over the live hands, float64 ``(live hands,)`` (for the gadget's chooser: the values
        of entering the subgame)."""
        sub, hands, tables, out = self.subgame, self._hands, self.tables, self._out
        reach = self._opponent_reach(player, mode)
        main = self._scratch[0]
        args = (pos, neg, decay, plus, self._chance_reach, self._item_values)
        if not len(self._item_node):
            traverse(sub.tree, hands, self._leaves, tables, main, 0, player, reach, out, mode, STAGE_FULL, *args)
            return out.copy()
        traverse(sub.tree, hands, self._leaves, tables, main, 0, player, reach, out, mode, STAGE_COLLECT, *args)
        items = self._solved_items

        def body(w: int) -> None:
            solve_items(sub.tree, hands, self._leaves, tables, self._scratch[w], items[w::self.threads],
                        self._item_node, player, mode, pos, neg, decay, plus, self._chance_reach, self._item_values)

        if self.threads == 1:
            body(0)
        else:
            run_workers([lambda w=w: body(w) for w in range(self.threads)], np.zeros(1, np.int64))
        if self._swaps is not None:
            swaps = self._swaps
            copy_swapped(self._item_values, np.flatnonzero(swaps.swap_of >= 0), swaps.source, swaps.swap_of,
                         swaps.live)
        traverse(sub.tree, hands, self._leaves, tables, main, 0, player, reach, out, mode, STAGE_FINISH, *args)
        return out.copy()

    def run(self, iterations: int) -> None:
        """Run ``iterations`` more iterations (one traversal per player each)."""
        v = self.variant
        for _ in range(iterations):
            t = self.iterations + 1.0
            s = t - 1.0
            pos = s ** v.alpha / (s ** v.alpha + 1.0) if v.discount_regrets else 1.0
            neg = s ** v.beta / (s ** v.beta + 1.0) if v.discount_regrets else 1.0
            decay = (s / t) ** v.gamma
            for player in (0, 1):
                values = self._pass(player, MODE_CFR, pos, neg, decay, v.plus)
                if self.gadget is not None and player == 1 - self.gadget.player:
                    self._update_gadget(values, pos, neg, v.plus)
                elif self.gadget is not None:
                    self._gadget_sum *= decay
                    self._gadget_sum += self._gadget_strategy(True) * self._ranges[1 - player]
            self.iterations += 1

    def solve(self, seconds: float | None = None, target_pct: float | None = None,
              max_iterations: int | None = None, check_every: int = 10) -> SolveStats:
        """Iterate until the first of: ``seconds`` of wall-clock time, an exploitability of at most
        ``target_pct`` % of the root pot, or ``max_iterations`` iterations.  A budget of 0 seconds
        or 0 iterations runs nothing (the strategies stay as they are: uniform before any
        iteration); any other time budget runs one iteration alone first, to time it, and then none
        it expects to end past the budget.  Raises ``ValueError`` when no limit is given.

        Exploitability is measured (two best-response passes, about an iteration's work) after
        ``check_every`` iterations and then at the gaps :func:`next_check_gap` predicts from the
        checks so far: at most half the iterations run so far, never fewer than ``check_every``
        (a time budget that runs out first ends the solve without a last check)."""
        if seconds is None and target_pct is None and max_iterations is None:
            raise ValueError("solve needs a time budget, a target exploitability or an iteration cap")
        if check_every < 1:
            raise ValueError(f"check_every must be >= 1, got {check_every}")
        start = time.perf_counter()
        done, per_iteration, expl, next_check = 0, 0.0, None, check_every
        checks: list[tuple[int, float]] = []
        stopped = "time" if seconds is not None and seconds <= 0 else "iterations"
        while not (seconds is not None and seconds <= 0) and (max_iterations is None or done < max_iterations):
            chunk = min(check_every, next_check - done) if target_pct is not None else check_every
            if max_iterations is not None:
                chunk = min(chunk, max_iterations - done)
            timing = seconds is not None and per_iteration == 0.0  # one iteration first, to time it
            if timing:
                chunk = 1
            elif seconds is not None:
                left = seconds - (time.perf_counter() - start)
                chunk = min(chunk, int(left / per_iteration))
                if chunk < 1:
                    stopped = "time"
                    break
            tick = time.perf_counter()
            self.run(chunk)
            per_iteration = (time.perf_counter() - tick) / chunk
            done += chunk
            if target_pct is not None and done >= next_check:
                expl = self.exploitability()
                pct = self._pct(expl)
                if pct <= target_pct:
                    stopped = "target"
                    break
                checks.append((self.iterations, pct))
                next_check = done + next_check_gap(checks, target_pct, check_every)
        return SolveStats(done, self.iterations, time.perf_counter() - start, expl,
                          None if expl is None else self._pct(expl), stopped)

    # ------------------------------------------------------------------ results

    @property
    def pair_weight(self) -> float:
        """The sum over card-compatible pairs of hands of the product of their root weights (the
        divisor that turns a range's counterfactual values into an expectation per hand)."""
        return self._pair_weight

    def _pct(self, chips: float) -> float:
        return 100.0 * chips / self.subgame.root_pot

    def best_response(self, player: int) -> np.ndarray:
        """float64 ``(H,)``: the counterfactual values of ``player``'s hands at the root when he best
        responds to the other's average strategy (per hand, the sum over the other's card-compatible
        hands of their root weight times the chips won); with a gadget, those of entering.  0 for
        hands holding a root board card."""
        return self._full(self._pass(player, MODE_BEST_RESPONSE))

    def _full(self, live_values: np.ndarray) -> np.ndarray:
        """float64 ``(H,)``: per-hand ``live_values`` (over the live hands) with 0 for the others."""
        out = np.zeros(self.subgame.num_hands)
        out[self._live] = live_values
        return out

    def best_response_values(self) -> np.ndarray:
        """float64 ``(2,)``: each player's expected payoff (net chips) from a best response to the
        other's average strategy at the root ranges (in the gadget game when there is one)."""
        ranges = self._ranges
        best = [self._pass(p, MODE_BEST_RESPONSE) for p in (0, 1)]
        gains = [float(ranges[p] @ best[p]) for p in (0, 1)]
        if self.gadget is not None:
            chooser, values = 1 - self.gadget.player, self._gadget_values
            enter, take = self._gadget_strategy(False)
            gains[chooser] = float(ranges[chooser] @ np.maximum(best[chooser], values))
            gains[1 - chooser] -= float(ranges[chooser] @ (take * values))
        return np.array(gains) / self._pair_weight

    def exploitability(self) -> float:
        """Exact exploitability of the average strategies at the root ranges, in chips per hand:
        the mean of the two players' best-response gains (NashConv / 2; the payoffs are zero-sum)."""
        return float(self.best_response_values().sum()) / 2.0

    def exploitability_pct(self) -> float:
        """:meth:`exploitability` as a percentage of the pot at the root."""
        return self._pct(self.exploitability())

    def root_values(self) -> np.ndarray:
        """float64 ``(2, H)``: counterfactual values of each player's hands at the root when both play
        their average strategies, i.e. the sum over the opponent's card-compatible hands of his root
        weight times the expected net chips; divide by that weight sum for a per-hand expectation."""
        return np.stack([self._full(self._pass(p, MODE_EVALUATE)) for p in (0, 1)])

    def _rows(self, node: int) -> slice:
        tree = self.subgame.tree
        if tree.node_kind[node] != 0:
            raise ValueError(f"node {node} is not a decision node")
        first = tree.node_row[tree.node_first_child[node]]
        return slice(int(first), int(first + tree.node_num_children[node]))

    @staticmethod
    def _normalised(weights: np.ndarray) -> np.ndarray:
        weights = np.maximum(weights.astype(np.float64), 0.0)
        total = weights.sum(axis=0)
        uniform = np.full_like(weights, 1.0 / weights.shape[0])
        return np.where(total > 0, weights / np.where(total > 0, total, 1.0), uniform)

    def _strategy(self, weights: np.ndarray) -> np.ndarray:
        """float64 ``(k, H)``: ``weights`` (``(k, live hands)``) normalised per hand, uniform for the
        hands holding a root board card."""
        out = np.full((weights.shape[0], self.subgame.num_hands), 1.0 / weights.shape[0])
        out[:, self._live] = self._normalised(weights)
        return out

    def _table_strategy(self, node: int, average: bool) -> np.ndarray:
        """float64 ``(num_children, H)``: the average or current strategy at decision ``node`` (of the
        subtree it is copied from, hands swapped, in a copied river)."""
        self._rows(node)  # refuses a node that is not a decision
        solved, swap = self._copied_from(node)
        rows = self._rows(solved)
        frozen = self.tables.frozen[rows.start]
        strategy = self._strategy(self.tables.strategy_sum[rows] if average and not frozen else
                                  self.tables.regrets[rows])
        return strategy if swap < 0 else strategy[:, self._swaps.hands[swap]]

    def average_strategy(self, node: int) -> np.ndarray:
        """float64 ``(num_children, H)``: the average strategy of each hand at decision ``node``
        (uniform for a hand that never reached it; the fixed one at a frozen node)."""
        return self._table_strategy(node, average=True)

    def set_average_strategy(self, node: int, strategy: np.ndarray) -> None:
        """Make ``strategy`` (``(num_children, H)``, each hand's action probabilities) the average
        strategy at decision ``node``, e.g. to play a blueprint for :meth:`best_response`."""
        strategy = self._checked(node, strategy)
        self._keep_swaps_for(node, strategy)
        self.tables.strategy_sum[self._rows(node)] = strategy

    def _checked(self, node: int, strategy: np.ndarray) -> np.ndarray:
        """The live hands' columns of ``strategy`` as float64, refused unless it has one row per
        child of ``node`` and one column per hand and is finite and non-negative."""
        return self._live_columns(strategy, int(self.subgame.tree.node_num_children[node]), f"node {node}")

    def _live_columns(self, strategy: np.ndarray, rows: int, where: str) -> np.ndarray:
        """The live hands' columns of ``strategy`` as float64, refused unless it is finite,
        non-negative and of shape ``(rows, H)`` (``where`` names the place in the error)."""
        shape = (rows, self.subgame.num_hands)
        strategy = np.asarray(strategy, np.float64)
        if strategy.shape != shape or not np.all(np.isfinite(strategy)) or np.any(strategy < 0):
            raise ValueError(f"{where} needs a finite non-negative strategy of shape {shape}")
        return strategy[:, self._live]

    def freeze(self, node: int, strategy: np.ndarray) -> None:
        """Fix the strategy at decision ``node`` to ``strategy`` (``(num_children, H)``, each hand's
        action probabilities) for the rest of the solve: its regrets are no longer updated, best
        responses and evaluations play it too (the searcher's own earlier actions on this street)."""
        rows = self._rows(node)
        strategy = self._checked(node, strategy)
        self._keep_swaps_for(node, strategy)
        self.tables.regrets[rows] = strategy
        self.tables.strategy_sum[rows] = strategy
        self.tables.frozen[rows] = True

    def current_strategy(self, node: int) -> np.ndarray:
        """float64 ``(num_children, H)``: the regret-matching strategy of the next iteration."""
        return self._table_strategy(node, average=False)
