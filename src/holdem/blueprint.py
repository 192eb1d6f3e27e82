"""A trained blueprint: load it and ask for action probabilities in a real game state.

A blueprint file (``blueprint.npz`` of a run directory, or a snapshot) holds the abstract betting
tree, the action probabilities of every infoset reached in training (the average strategy where
it was kept, the final current strategy elsewhere, as in Pluribus) and a manifest with the game,
the player count and the sha256 of the buckets file it was trained with (see
:mod:`holdem.training.files` for the safe format).

A real state is mapped into the tree by replaying its betting: checks, calls and folds follow
the tree's children, and a bet or raise of any size is translated to the tree's sizes with the
pseudo-harmonic mapping of Ganzfried & Sandholm (IJCAI 2013), which splits an off-tree bet
between its two neighbouring sizes; the answer is the mixture over the tree nodes reached.  Seats
map to tree positions by their place relative to the small blind, chip amounts by big blinds.
A state the tree cannot represent (the abstract hand would already be over, e.g. after stacks
that differ from the training stacks) is answered with check/call.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from holdem.abstraction import buckets as bk
from holdem.abstraction.actions import raise_to_for_fraction, translate_bet
from holdem.agents.view import Decision, SeatView
from holdem.engine import ActionKind, Deal, State
from holdem.training import files
from holdem.training.kernels import policy
from holdem.tree import CALL, DECISION, FOLD, RAISE, BettingTree, GameConfig, TreeArrays

KIND = "holdem-blueprint"
#: probability mass below which a branch of the translated node distribution is dropped
_MIN_WEIGHT = 1e-9


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes (used to tie a blueprint or checkpoint to its buckets file)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def write(path: Path, tree: BettingTree, num_buckets: np.ndarray, offsets: np.ndarray, regrets: np.ndarray,
          avg_offset: np.ndarray, strategy_sum: np.ndarray, info: dict) -> None:
    """Write the blueprint of packed tables (``offsets``, ``regrets`` from
    :meth:`holdem.training.tables.Tables.packed`) atomically; ``info`` joins the manifest and must
    hold ``buckets_sha256`` and ``buckets_path``."""
    probs = policy(tree.arrays, num_buckets, offsets, regrets, avg_offset, strategy_sum)
    arrays = {f"tree_{name}": value for name, value in tree.arrays._asdict().items()}
    arrays.update(num_buckets=num_buckets, offsets=offsets, probs=probs)
    manifest = {"game": tree.game.model_dump(mode="json"), "num_players": tree.game.num_players,
                "max_depth": tree.max_depth, **info}
    files.save(Path(path), KIND, arrays, manifest)


def find(path: Path) -> Path:
    """The blueprint file of ``path``: itself, or in a run directory ``blueprint.npz`` or else the
    newest snapshot."""
    path = Path(path)
    if not path.is_dir():
        return path
    if (path / "blueprint.npz").exists():
        return path / "blueprint.npz"
    snapshots = sorted((path / "snapshots").glob("snapshot-*.npz"), key=lambda p: int(p.stem.split("-")[1]))
    if not snapshots:
        raise files.FileFormatError(f"{path}: no blueprint.npz and no snapshots in this run directory")
    return snapshots[-1]


@dataclass
class Blueprint:
    """A loaded blueprint: its tree, probabilities per infoset, the buckets it was trained with and
    the file it came from."""

    tree: BettingTree
    num_buckets: np.ndarray
    offsets: np.ndarray
    probs: np.ndarray
    buckets: bk.Buckets
    manifest: dict
    source: Path

    @classmethod
    def load(cls, path: str | Path, buckets: str | Path | bk.Buckets | None = None) -> Blueprint:
        """Load a blueprint file or run directory.  ``buckets`` defaults to the buckets file recorded
        in the manifest; a file whose sha256 differs from the recorded one is refused."""
        path = find(Path(path))
        arrays, manifest = files.load(path, KIND)
        try:
            tree_arrays = TreeArrays(**{name: arrays[f"tree_{name}"] for name in TreeArrays._fields})
            tree = BettingTree(GameConfig.model_validate(manifest["game"]), tree_arrays, int(manifest["max_depth"]))
        except (KeyError, ValueError, TypeError) as e:
            raise files.FileFormatError(f"{path}: incomplete blueprint ({e})") from None
        if not isinstance(buckets, bk.Buckets):
            buckets_path = Path(buckets if buckets is not None else manifest["buckets_path"])
            if not buckets_path.exists():
                raise files.FileFormatError(f"{path}: its buckets file {buckets_path} is missing (pass buckets=...)")
            if file_sha256(buckets_path) != manifest["buckets_sha256"]:
                raise files.FileFormatError(f"{path}: was trained with another buckets file than {buckets_path} "
                                            "(sha256 differs)")
            buckets = bk.load(buckets_path)
        if [buckets.k[s] for s in bk.STREETS] != arrays["num_buckets"].tolist():
            raise files.FileFormatError(f"{path}: trained with {arrays['num_buckets'].tolist()} buckets per street, "
                                        f"the buckets given have {[buckets.k[s] for s in bk.STREETS]}")
        return cls(tree, arrays["num_buckets"], arrays["offsets"], arrays["probs"], buckets, manifest, path)

    @property
    def num_players(self) -> int:
        return self.tree.game.num_players

    def node_strategy(self, node: int, bucket: int) -> np.ndarray:
        """float64 probabilities of ``node``'s children for ``bucket`` (uniform if never reached)."""
        k = int(self.tree.arrays.node_num_children[node])
        base = int(self.offsets[node])
        if base < 0:
            return np.full(k, 1.0 / k)
        return self.probs[base + bucket * k:base + (bucket + 1) * k].astype(np.float64)

    def _children(self, node: int, kind: int) -> list[int]:
        a = self.tree.arrays
        first = int(a.node_first_child[node])
        return [c for c in range(first, first + int(a.node_num_children[node])) if a.node_action[c] == kind]

    def locate(self, view: SeatView) -> dict[int, float]:
        """The tree nodes ``view``'s betting maps to, with their probabilities (translation of
        off-tree bets); nodes that are terminal or belong to another seat mean "off the tree"."""
        rules = view.rules
        n = rules.num_players
        if n != self.num_players:
            raise ValueError(f"the blueprint is for {self.num_players} players, the game has {n}")
        a = self.tree.arrays
        state = State(rules, Deal.shuffled(n, seed=0))
        nodes: dict[int, float] = {0: 1.0}
        for action in view.actions:
            pot, highest = state.total_pot, max(state.bets)
            to_call = max(highest - state.bets[action.seat], 0)
            moved: dict[int, float] = defaultdict(float)
            for node, weight in nodes.items():
                if a.node_kind[node] != DECISION:
                    moved[node] += weight
                    continue
                if action.kind == ActionKind.FOLD:
                    targets = self._children(node, FOLD) or self._children(node, CALL)
                    moved[targets[0]] += weight
                elif action.kind in (ActionKind.CHECK, ActionKind.CALL):
                    moved[self._children(node, CALL)[0]] += weight
                else:
                    raises = self._children(node, RAISE)
                    if not raises:
                        moved[self._children(node, CALL)[0]] += weight
                        continue
                    x = (action.amount - highest) / max(pot + to_call, 1)
                    lo, hi, p_lo = translate_bet(x, [float(a.node_fraction[c]) for c in raises])
                    moved[raises[lo]] += weight * p_lo
                    if p_lo < 1.0:
                        moved[raises[hi]] += weight * (1.0 - p_lo)
            nodes = {node: w for node, w in moved.items() if w > _MIN_WEIGHT}
            _replay(state, action)
        return nodes

    def action_probabilities(self, view: SeatView) -> list[tuple[Decision, float]]:
        """The blueprint's mixed action for the seat to act in ``view``, as real decisions.

        Tree raises become raises of the same pot fraction in the real pot (all-in stays all-in),
        clipped to the legal range; decisions that coincide are merged.
        """
        a = self.tree.arrays
        legal = view.legal
        position = (view.seat - view.rules.small_blind_seat) % view.rules.num_players
        bucket = self.buckets.bucket(int(view.street), view.hole, view.board)
        pot, highest = view.pot, max(view.bets)
        mixed: dict[Decision, float] = defaultdict(float)
        for node, weight in self.locate(view).items():
            if a.node_kind[node] != DECISION or a.node_player[node] != position or a.node_street[node] != view.street:
                mixed[Decision.check_call()] += weight
                continue
            first = int(a.node_first_child[node])
            for c, p in enumerate(self.node_strategy(node, bucket)):
                child = first + c
                kind = a.node_action[child]
                if kind == FOLD and legal.can_fold:
                    decision = Decision.fold()
                elif kind == RAISE and legal.can_raise:
                    amount = legal.max_raise_to if a.node_all_in[child] else raise_to_for_fraction(
                        float(a.node_fraction[child]), pot, highest, legal.call_amount)
                    decision = Decision.raise_to(min(max(amount, legal.min_raise_to), legal.max_raise_to))
                else:
                    decision = Decision.check_call()
                mixed[decision] += weight * float(p)
        total = sum(mixed.values())
        return [(d, p / total) for d, p in mixed.items() if p > 0.0]

    def describe(self) -> str:
        m = self.manifest
        return (f"blueprint: {self.num_players} players, {m.get('iterations', 0):,} iterations, "
                f"{self.tree.num_nodes:,} tree nodes, buckets {self.num_buckets.tolist()}")


def _replay(state: State, action) -> None:
    """Apply a recorded action to the shadow engine state used for pot arithmetic."""
    if action.kind == ActionKind.FOLD:
        state.fold()
    elif action.kind in (ActionKind.CHECK, ActionKind.CALL):
        state.check_or_call()
    else:
        state.bet_or_raise_to(action.amount)
