"""The abstract betting tree of no-limit hold'em for 2 to 6 players, as flat arrays.

The tree is enumerated by driving the rules engine: every decision offers fold (when facing a
bet), check/call and the raises of the action abstraction clamped to the engine's legal bounds,
so betting legality, street ends, uncalled bets and all-in run-outs are exactly the engine's.
Cards play no part: an infoset is a pair ``(decision node, bucket of the actor on its street)``.
Seat 0 posts the small blind, seat 1 the big blind.  Nodes are numbered depth first with each
node's children contiguous (fold, check/call, raises by increasing amount).

>>> tree = build_tree(GameConfig(stack=400, sizing=BetSizing(preflop=[[1.0]], flop=[[1.0]],
...     turn=[[1.0]], river=[[1.0]], max_raises_per_street=2)))
>>> tree.num_nodes, tree.num_decisions, tree.max_depth
(178, 80, 10)
"""

from __future__ import annotations

import hashlib
import json
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from holdem import files
from holdem.abstraction.actions import BetSizing, abstract_raise_amounts
from holdem.engine import STREETS, ActionKind, Deal, Rules, State

DECISION, TERMINAL = 0, 1
TREE_FILE = "holdem-tree"
FOLD, CALL, RAISE = 0, 1, 2
MAX_PLAYERS = 6


class GameConfig(BaseModel):
    """The game the blueprint is trained for: players, equal starting stacks, blinds, ante, and the
    action abstraction.  Defaults are Pluribus's: 10,000-chip stacks with blinds 50/100."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    num_players: int = Field(default=2, ge=2, le=MAX_PLAYERS)
    stack: int = Field(default=10_000, ge=2)
    small_blind: int = Field(default=50, ge=1)
    big_blind: int = Field(default=100, ge=1)
    ante: int = Field(default=0, ge=0)
    sizing: BetSizing = Field(default_factory=BetSizing)

    @model_validator(mode="after")
    def _check_blinds(self) -> GameConfig:
        if self.small_blind > self.big_blind or self.big_blind >= self.stack:
            raise ValueError(f"need small_blind <= big_blind < stack, got {self.small_blind}/"
                             f"{self.big_blind} with stack {self.stack}")
        return self

    def rules(self) -> Rules:
        """Engine rules of the tree's game (seat 0 small blind, seat 1 big blind)."""
        n = self.num_players
        return Rules(stacks=(self.stack,) * n, small_blind=self.small_blind, big_blind=self.big_blind,
                     ante=self.ante, button=0 if n == 2 else n - 1)


class TreeArrays(NamedTuple):
    """What the kernels read (``N`` nodes, ``T`` terminals, ``P`` players).

    - ``node_kind``: int8 ``(N,)``, ``DECISION`` or ``TERMINAL``.
    - ``node_player``, ``node_street``: int8 ``(N,)``, actor seat and street (0..3) of a decision.
    - ``node_first_child``: int32 ``(N,)``; ``node_num_children``: int8 ``(N,)``.
    - ``node_action``: int8 ``(N,)``, the action leading into the node (``FOLD``/``CALL``/``RAISE``).
    - ``node_amount``: int32 ``(N,)``, its raise-to street total in chips (0 unless a raise).
    - ``node_fraction``: float32 ``(N,)``, that raise as a pot fraction (after calling), else 0.
    - ``node_all_in``: int8 ``(N,)``, 1 when that raise put the actor all-in.
    - ``node_terminal``: int32 ``(N,)``, row of a terminal in the tables below, -1 for decisions.
    - ``terminal_contrib``: int32 ``(T, P)``, chips each seat put in the pots by the end.
    - ``terminal_live``: int32 ``(T,)``, bitmask of the seats that did not fold.
    """

    node_kind: np.ndarray
    node_player: np.ndarray
    node_street: np.ndarray
    node_first_child: np.ndarray
    node_num_children: np.ndarray
    node_action: np.ndarray
    node_amount: np.ndarray
    node_fraction: np.ndarray
    node_all_in: np.ndarray
    node_terminal: np.ndarray
    terminal_contrib: np.ndarray
    terminal_live: np.ndarray


class TreeTooLarge(ValueError):
    """The betting tree has more nodes than allowed."""


@dataclass(frozen=True)
class BettingTree:
    """A built tree: its config, arrays and the longest path (in decisions)."""

    game: GameConfig
    arrays: TreeArrays
    max_depth: int

    @property
    def num_nodes(self) -> int:
        return int(self.arrays.node_kind.shape[0])

    @property
    def num_decisions(self) -> int:
        return int(np.count_nonzero(self.arrays.node_kind == DECISION))

    @property
    def num_terminals(self) -> int:
        return int(self.arrays.terminal_live.shape[0])

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays."""
        return sum(a.nbytes for a in self.arrays)

    def actions_per_street(self) -> list[int]:
        """Sum over the decision nodes of each street of their number of actions."""
        a = self.arrays
        mask = a.node_kind == DECISION
        return np.bincount(a.node_street[mask], weights=a.node_num_children[mask], minlength=4
                           ).astype(np.int64).tolist()

    def child_actions(self, node: int) -> list[tuple[int, int, float]]:
        """``(kind, raise-to amount, pot fraction)`` of each child of decision ``node``."""
        a = self.arrays
        first = int(a.node_first_child[node])
        return [(int(a.node_action[c]), int(a.node_amount[c]), float(a.node_fraction[c]))
                for c in range(first, first + int(a.node_num_children[node]))]


def abstract_actions(state: State, sizing: BetSizing) -> list[tuple[int, int, float]]:
    """``(kind, raise-to amount, pot fraction)`` of the abstract actions at an engine state."""
    legal = state.legal_actions()
    out = [(FOLD, 0, 0.0)] if legal.can_fold else []
    out.append((CALL, 0, 0.0))
    if legal.can_raise:
        street = state.street
        depth = sum(1 for act in state.actions
                    if act.street == street and act.kind in (ActionKind.BET, ActionKind.RAISE))
        pot, highest, to_call = state.total_pot, max(state.bets), legal.call_amount
        for amount in abstract_raise_amounts(sizing, STREETS[street], depth, pot, highest, to_call,
                                             legal.min_raise_to, legal.max_raise_to):
            out.append((RAISE, amount, (amount - highest) / (pot + to_call)))
    return out


def apply_abstract(state: State, kind: int, amount: int) -> None:
    """Play an abstract action on an engine state."""
    if kind == FOLD:
        state.fold()
    elif kind == CALL:
        state.check_or_call()
    else:
        state.bet_or_raise_to(amount)


def build_tree(game: GameConfig, max_nodes: int | None = None) -> BettingTree:
    """Enumerate the abstract betting tree of ``game``; :class:`TreeTooLarge` past ``max_nodes`` nodes."""
    n = game.num_players
    kind, player, street, nchild, action, all_in = (array("b") for _ in range(6))
    first, amount, term = array("i"), array("i"), array("i")
    fraction = array("f")
    contrib, live = array("i"), array("i")
    for arr in (kind, player, street, nchild, action, all_in, first, amount, term):
        arr.append(0)
    fraction.append(0.0)
    root = State(game.rules(), Deal.shuffled(n, seed=0))
    stack: list[tuple[int, State, int]] = [(0, root, 0)]
    max_depth = 0
    size = 1
    while stack:
        node, state, depth = stack.pop()
        if state.is_over:
            kind[node] = TERMINAL
            term[node] = len(live)
            contrib.extend(state.contributions)
            live.append(sum(1 << s for s in range(n) if state.live[s]))
            continue
        max_depth = max(max_depth, depth + 1)
        children = abstract_actions(state, game.sizing)
        kind[node], player[node], street[node] = DECISION, state.actor, state.street
        first[node], nchild[node], term[node] = size, len(children), -1
        size += len(children)
        if max_nodes is not None and size > max_nodes:
            raise TreeTooLarge(f"the betting tree exceeds {max_nodes:,} nodes (the memory limit allows no more); "
                               "use fewer bet sizes, a lower max_raises_per_street or fewer players")
        for arr in (kind, player, street, nchild, first, term):
            arr.extend([0] * len(children))
        for c, (k, amt, frac) in enumerate(children):
            action.append(k)
            amount.append(amt)
            fraction.append(frac)
            child = state.copy()
            apply_abstract(child, k, amt)
            all_in.append(int(k == RAISE and child.actions[-1].all_in))
            stack.append((size - len(children) + c, child, depth + 1))
    columns = (kind, player, street, first, nchild, action, amount, fraction, all_in, term, contrib, live)
    arrays = TreeArrays(*(np.array(column, dtype=column.typecode) for column in columns))
    return BettingTree(game, arrays._replace(terminal_contrib=arrays.terminal_contrib.reshape(-1, n)), max_depth)


def tree_arrays(tree: BettingTree) -> dict[str, np.ndarray]:
    """The tree's arrays named ``tree_<field>``, as checkpoint, blueprint and tree files store them."""
    return {f"tree_{name}": value for name, value in tree.arrays._asdict().items()}


def read_tree(game: GameConfig, arrays: dict[str, np.ndarray], max_depth: int) -> BettingTree:
    """The tree stored by :func:`tree_arrays` in ``arrays``; KeyError when one is missing."""
    return BettingTree(game, TreeArrays(**{name: arrays[f"tree_{name}"] for name in TreeArrays._fields}),
                       int(max_depth))


def cached_tree(game: GameConfig, max_nodes: int | None = None) -> tuple[BettingTree, Path | None]:
    """``(tree of game, cache file written or None if the tree came from the cache)``."""
    key = hashlib.sha256(json.dumps(game.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
    path = files.cache_dir() / f"tree-{key[:20]}.npz"
    try:
        arrays, manifest = files.load(path, TREE_FILE)
        return read_tree(game, arrays, manifest["max_depth"]), None
    except (files.FileFormatError, TypeError, KeyError):
        pass
    tree = build_tree(game, max_nodes)
    files.save(path, TREE_FILE, tree_arrays(tree), {"game": game.model_dump(mode="json"), "max_depth": tree.max_depth})
    return tree, path
