"""Public-state subgames for the range solver: hold'em turn/river subgames and Leduc's second round.

A subgame is a heads-up :class:`~holdem.search.kernels.PublicTree` (betting, chance and terminal
nodes over public information only) plus the private hands both players may hold and their
showdown strength on each board (:class:`~holdem.search.kernels.HandTables`).

Hold'em subgames are built by driving the rules engine (:class:`holdem.engine.State`) from the
start of a street with the search action abstraction (:func:`holdem.tree.abstract_actions`), so
legality, all-ins, minimum raises and uncalled bets are the engine's.  A turn subgame ends its
turn betting in a chance node that deals every card not on the board, each followed by a copy of
the river betting (the betting never depends on the cards); once a player is all-in the hand
goes to the chance node or the showdown directly.  Actions already taken this street are
inserted exactly as made (an off-tree amount becomes an extra child), and
:attr:`Subgame.real_node` is where they lead.

>>> sub = leduc_round2_subgame(board_card=4, contributions=(3, 3))
>>> sub.num_hands, sub.tree.node_kind.shape[0], [sub.label(c) for c in sub.children(0)]
(6, 15, ['check', 'bet 4'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from holdem.abstraction.actions import BetSizing
from holdem.agents.equity import HOLES
from holdem.agents.view import Decision
from holdem.cards import NUM_CARDS, format_cards
from holdem.engine import Action, ActionKind, State, Street
from holdem.tree import CALL, FOLD, RAISE, abstract_actions, apply_abstract

from .kernels import CHANCE, DECISION, FOLD_END, LEAF, NO_CARD, SHOWDOWN, HandTables, PublicTree, board_strengths

NO_BOARD = -1
_KIND_NAMES = {DECISION: "decision", FOLD_END: "fold", SHOWDOWN: "showdown", CHANCE: "chance", LEAF: "leaf"}


@dataclass(frozen=True)
class Subgame:
    """A public tree with its hands: ``hands.hand_cards`` int64 ``(H, 2)``, ``hands.strength`` int64
    ``(B, H)`` on ``boards`` int64 ``(B, board size)``; ``root_board`` the public cards at the root,
    ``root_contributions`` the chips each player had put in by then (``root_pot`` their sum),
    ``first_player`` the player to act at the root, ``labels`` one text per node (the action or card
    leading into it) and ``real_node`` the node that the actions already taken lead to."""

    tree: PublicTree
    hands: HandTables
    boards: np.ndarray
    root_board: tuple[int, ...]
    root_contributions: tuple[float, float]
    first_player: int
    labels: list[str]
    real_node: int = 0

    @property
    def num_nodes(self) -> int:
        return int(self.tree.node_kind.shape[0])

    @property
    def num_hands(self) -> int:
        return int(self.hands.hand_cards.shape[0])

    @property
    def num_rows(self) -> int:
        """Rows of the per-action tables (one per action of every decision node)."""
        return int(np.count_nonzero(self.tree.node_row >= 0))

    @property
    def root_pot(self) -> float:
        return float(sum(self.root_contributions))

    @property
    def num_leaves(self) -> int:
        """Depth-limit leaves (``LEAF`` nodes) of the tree."""
        return int(np.count_nonzero(self.tree.node_leaf >= 0))

    @property
    def max_depth(self) -> int:
        """Edges on the longest path from the root."""
        depth = np.zeros(self.num_nodes, np.int64)
        parent = self.tree.node_parent
        for n in range(1, self.num_nodes):  # parents come before their children
            depth[n] = depth[parent[n]] + 1
        return int(depth.max())

    @property
    def max_children(self) -> int:
        return int(self.tree.node_num_children.max(initial=1))

    def children(self, node: int) -> range:
        first = int(self.tree.node_first_child[node])
        return range(first, first + int(self.tree.node_num_children[node]))

    def decisions(self, node: int) -> list[Decision]:
        """The real decision leading into each child of decision ``node``."""
        kinds, amounts = self.tree.node_action, self.tree.node_amount
        return [Decision.fold() if kinds[c] == FOLD else Decision.check_call() if kinds[c] == CALL
                else Decision.raise_to(int(amounts[c])) for c in self.children(node)]

    def label(self, node: int) -> str:
        return self.labels[node]

    def path(self, node: int) -> list[int]:
        """The nodes from the root down to ``node`` (both included)."""
        out = [node]
        while out[-1] != 0:
            out.append(int(self.tree.node_parent[out[-1]]))
        return out[::-1]

    def describe(self, node: int) -> str:
        """One line: the path of labels and what the node is, e.g. ``'check / bet 300: player 0 acts'``."""
        t = self.tree
        kind = int(t.node_kind[node])
        what = _KIND_NAMES[kind]
        if kind == DECISION:
            what = f"player {int(t.node_player[node])} acts"
        elif kind == FOLD_END:
            what = f"player {int(t.node_player[node])} folded"
        return " / ".join(self.labels[n] for n in self.path(node)[1:]) + f": {what}"


class _Nodes:
    """Growing node lists; children of a node are allocated together, so they are contiguous."""

    def __init__(self) -> None:
        self.kind: list[int] = []
        self.player: list[int] = []
        self.parent: list[int] = []
        self.first: list[int] = []
        self.num: list[int] = []
        self.contrib: list[tuple[float, float]] = []
        self.card: list[int] = []
        self.board: list[int] = []
        self.action: list[int] = []
        self.amount: list[int] = []
        self.weight: list[float] = []
        self.labels: list[str] = []

    def __len__(self) -> int:
        return len(self.kind)

    def allocate(self, parent: int, count: int) -> int:
        """Append ``count`` blank children of ``parent``; return the first id."""
        first = len(self.kind)
        for lst, value in ((self.kind, DECISION), (self.player, -1), (self.parent, parent), (self.first, 0),
                           (self.num, 0), (self.contrib, (0.0, 0.0)), (self.card, -1), (self.board, NO_BOARD),
                           (self.action, -1), (self.amount, 0), (self.weight, 0.0), (self.labels, "")):
            lst.extend([value] * count)
        if parent >= 0:
            self.first[parent], self.num[parent] = first, count
        return first

    def graft(self, template: _Nodes, root: int, board: int, card: int, label: str) -> None:
        """Copy ``template`` (a tree rooted at its node 0) onto the blank node ``root``, its other nodes
        appended in order, every node's board set to ``board``; the root records the dealt ``card``."""
        offset = len(self.kind) - 1
        t = template
        for j in range(len(t)):
            first = offset + t.first[j] if t.num[j] else 0
            if j == 0:
                self.kind[root], self.player[root], self.first[root], self.num[root] = t.kind[0], t.player[0], first, t.num[0]
                self.contrib[root], self.board[root], self.card[root], self.labels[root] = t.contrib[0], board, card, label
                continue
            self.kind.append(t.kind[j])
            self.player.append(t.player[j])
            self.parent.append(root if t.parent[j] == 0 else offset + t.parent[j])
            self.first.append(first)
            self.num.append(t.num[j])
            self.contrib.append(t.contrib[j])
            self.card.append(-1)
            self.board.append(board)
            self.action.append(t.action[j])
            self.amount.append(t.amount[j])
            self.weight.append(t.weight[j])
            self.labels.append(t.labels[j])

    def arrays(self) -> PublicTree:
        kind = np.array(self.kind, np.int8)
        parent = np.array(self.parent, np.int32)
        under_decision = np.zeros(len(kind), bool)
        under_decision[1:] = kind[parent[1:]] == DECISION
        under_chance = np.zeros(len(kind), bool)
        under_chance[1:] = kind[parent[1:]] == CHANCE
        return PublicTree(
            node_kind=kind, node_player=np.array(self.player, np.int8), node_parent=parent,
            node_first_child=np.array(self.first, np.int32), node_num_children=np.array(self.num, np.int32),
            node_contrib=np.array(self.contrib, np.float64).reshape(-1, 2), node_card=np.array(self.card, np.int32),
            node_board=np.array(self.board, np.int32), node_row=_running_index(under_decision),
            node_action=np.array(self.action, np.int8), node_amount=np.array(self.amount, np.int32),
            node_chance=_running_index(kind == CHANCE), node_item=_running_index(under_chance),
            node_chance_weight=np.array(self.weight, np.float64), node_leaf=_running_index(kind == LEAF))


def _running_index(mask: np.ndarray) -> np.ndarray:
    """int32: ``0, 1, 2 ..`` over the True entries of ``mask``, -1 elsewhere."""
    return np.where(mask, np.cumsum(mask) - 1, -1).astype(np.int32)


def hand_tables(hand_cards: np.ndarray, strength: np.ndarray) -> HandTables:
    """:class:`HandTables` of ``hand_cards`` (int64 ``(H, 2)``) with ``strength`` (int64 ``(B, H)``,
    -1 for a hand holding a board card): hands sorted by strength per board, valid ones first."""
    hand_cards = np.ascontiguousarray(hand_cards, np.int64)
    key = np.where(strength < 0, np.iinfo(np.int64).max, strength)
    order = np.argsort(key, axis=1, kind="stable")
    sorted_key = np.take_along_axis(key, order, axis=1)
    positions = np.arange(key.shape[1])
    last = np.ones(key.shape, bool)
    last[:, :-1] = sorted_key[:, 1:] != sorted_key[:, :-1]
    group_end = np.minimum.accumulate(np.where(last, positions + 1, key.shape[1])[:, ::-1], axis=1)[:, ::-1]
    sorted_cards = np.where(hand_cards[order] < 0, NO_CARD, hand_cards[order]).astype(np.uint8)
    return HandTables(hand_cards, np.ascontiguousarray(strength, np.int64), order.astype(np.int16),
                      np.count_nonzero(strength >= 0, axis=1).astype(np.int32), sorted_cards,
                      np.ascontiguousarray(group_end, np.int16))


def live_hands(subgame: Subgame) -> tuple[np.ndarray, HandTables]:
    """The hands of ``subgame`` that hold no root board card (int64 indices into its hands) and
    their :class:`HandTables`: the only hands that can be dealt, over which the solver runs."""
    live = np.flatnonzero(~np.isin(subgame.hands.hand_cards, subgame.root_board).any(axis=1))
    if len(live) == subgame.num_hands:
        return live, subgame.hands
    hands = subgame.hands
    return live, hand_tables(hands.hand_cards[live], hands.strength[:, live])


class RiverSuitSwaps(NamedTuple):
    """Rivers that are equivalent under a swap of two suits absent from a turn subgame's board.

    Swapping suit ``s`` with the first absent suit ``s0`` maps the board onto itself, so when both
    players' reach is unchanged by the swap, the river subtree after a card of suit ``s`` is that
    after the same rank of suit ``s0`` with every hand swapped (``P`` swaps, ``I`` chance
    children, ``H`` hands, ``L`` live hands):

    - ``source``: int64 ``(I,)``: the child whose subtree each child's is a copy of (itself for
      the children that are solved);
    - ``swap_of``: int64 ``(I,)``: the swap that maps it there, -1 for the solved children;
    - ``hands``: int64 ``(P, H)``: the hand each hand becomes under each swap;
    - ``live``: int64 ``(P, L)``: the same over the live hands (positions in ``live``).
    """

    source: np.ndarray
    swap_of: np.ndarray
    hands: np.ndarray
    live: np.ndarray


def river_suit_swaps(subgame: Subgame, live: np.ndarray) -> RiverSuitSwaps | None:
    """The equivalent rivers of a hold'em turn ``subgame`` (:class:`RiverSuitSwaps`; ``live`` the
    hands holding no board card, as :func:`live_hands` gives them), or None when its board leaves
    fewer than two suits out (or it deals no river)."""
    tree = subgame.tree
    items = np.flatnonzero(tree.node_item >= 0)
    if not len(items) or subgame.hands.hand_cards.shape != HOLES.shape:
        return None
    absent = [s for s in range(4) if all(c & 3 != s for c in subgame.root_board)]
    if len(absent) < 2:
        return None
    cards = subgame.hands.hand_cards
    index = np.full((NUM_CARDS, NUM_CARDS), -1, np.int64)
    index[cards[:, 0], cards[:, 1]] = index[cards[:, 1], cards[:, 0]] = np.arange(len(cards))
    ranks = np.arange(NUM_CARDS) & ~3
    swaps = []
    for s in absent[1:]:
        swap = np.arange(NUM_CARDS)
        swap[ranks + s], swap[ranks + absent[0]] = ranks + absent[0], ranks + s
        swaps.append(index[swap[cards[:, 0]], swap[cards[:, 1]]])
    full = np.array(swaps, np.int64)
    position = np.full(len(cards), -1, np.int64)
    position[live] = np.arange(len(live))
    item_of = {(int(tree.node_parent[n]), int(tree.node_card[n])): int(tree.node_item[n]) for n in items}
    source = np.arange(len(items), dtype=np.int64)
    swap_of = np.full(len(items), -1, np.int64)
    for n in items:
        card = int(tree.node_card[n])
        if card & 3 in absent[1:]:
            i = int(tree.node_item[n])
            source[i] = item_of[int(tree.node_parent[n]), card - (card & 3) + absent[0]]
            swap_of[i] = absent.index(card & 3) - 1
    return RiverSuitSwaps(source, swap_of, full, position[full[:, live]])


# ------------------------------------------------------------------------------------------ hold'em


def _action_label(action: Action) -> str:
    text = {ActionKind.FOLD: "fold", ActionKind.CHECK: "check", ActionKind.CALL: "call",
            ActionKind.BET: f"bet {action.amount}", ActionKind.RAISE: f"raise to {action.amount}"}[action.kind]
    return text + (" all-in" if action.all_in and action.kind >= ActionKind.BET else "")


def _abstract_of(action: Action) -> tuple[int, int]:
    """``(kind, raise-to amount)`` of an engine action in :mod:`holdem.tree`'s terms."""
    if action.kind == ActionKind.FOLD:
        return FOLD, 0
    if action.kind in (ActionKind.CHECK, ActionKind.CALL):
        return CALL, 0
    return RAISE, action.amount


class _HoldemBuilder:
    """Expands engine states street by street into a :class:`_Nodes`."""

    def __init__(self, sizing: BetSizing, root_street: Street, num_rivers: int, chance_weight: float,
                 depth_limited: bool = False):
        self.sizing = sizing
        self.root_street = root_street
        self.num_rivers = num_rivers
        self.chance_weight = chance_weight
        self.depth_limited = depth_limited
        self.river_cards: list[int] = []

    def street(self, nodes: _Nodes, root: int, state: State, board: int, history: Sequence[Action] = ()) -> int:
        """Expand the betting that starts at blank node ``root`` from ``state``; return the node
        reached by ``history`` (engine actions, inserted exactly as made)."""
        real = root
        stack: list[tuple[int, State, int]] = [(root, state, 0 if history else -1)]
        while stack:
            node, st, step = stack.pop()
            if step == len(history):
                real = node
            if st.is_over or st.street != state.street:
                self._end(nodes, node, st, board)
                continue
            options = abstract_actions(st, self.sizing)
            want = _abstract_of(history[step]) if 0 <= step < len(history) else None
            if want is not None and history[step].seat != st.actor:
                raise ValueError(f"action {step} of this street is by seat {history[step].seat}, "
                                 f"but seat {st.actor} is to act")
            if want is not None and not any((k, a) == want for k, a, _ in options):
                options = sorted(options + [(want[0], want[1], 0.0)], key=lambda o: (o[0], o[1]))
            first = nodes.allocate(node, len(options))
            nodes.kind[node], nodes.player[node], nodes.board[node] = DECISION, st.actor, board
            for c, (kind, amount, _) in enumerate(options):
                child = st.copy()
                apply_abstract(child, kind, amount)
                nodes.action[first + c], nodes.amount[first + c] = kind, amount if kind == RAISE else 0
                nodes.labels[first + c] = _action_label(child.actions[-1])
                stack.append((first + c, child, step + 1 if (kind, amount) == want else -1))
        return real

    def _end(self, nodes: _Nodes, node: int, state: State, board: int) -> None:
        """Fill the node where this street's betting ended: a terminal, or a chance node to the river."""
        nodes.contrib[node] = tuple(float(c) for c in state.contributions)
        if state.is_over and not state.went_to_showdown:
            nodes.kind[node], nodes.player[node] = FOLD_END, state.live.index(False)
            return
        if self.depth_limited:
            nodes.kind[node] = LEAF
            return
        if board != NO_BOARD:
            nodes.kind[node], nodes.board[node] = SHOWDOWN, board
            return
        nodes.kind[node] = CHANCE
        first = nodes.allocate(node, self.num_rivers)
        template = None
        if not state.is_over:
            template = _Nodes()
            template.allocate(-1, 1)
            self.street(template, 0, state, 0)
        for k, card in enumerate(self.river_cards):
            child = first + k
            nodes.weight[child] = self.chance_weight
            if template is None:
                nodes.kind[child], nodes.contrib[child], nodes.board[child] = SHOWDOWN, nodes.contrib[node], k
                nodes.card[child], nodes.labels[child] = card, format_cards([card])
            else:
                nodes.graft(template, child, k, card, format_cards([card]))


def holdem_subgame(state: State, sizing: BetSizing, history: Sequence[Action] = (),
                   depth_limited: bool = False) -> Subgame:
    """The heads-up subgame from ``state``, at the start of a postflop street, with the raise sizes of
    ``sizing`` and the actions ``history`` already taken this street (engine
    :class:`~holdem.engine.Action` records, amounts kept exactly).  Hands are the 1,326 rows of
    :data:`holdem.agents.equity.HOLES`.  A turn or river subgame goes to the end of the hand; a
    ``depth_limited`` one (flop or turn; the flop's must be) ends this street's betting in ``LEAF``
    nodes, also where a player is all-in (:mod:`holdem.search.depth_limit` values them).

    Raises ``ValueError`` when the state is not a heads-up postflop street start with a player to
    act, or when ``history`` is not playable from it (:class:`~holdem.engine.IllegalActionError`,
    a ``ValueError``, for an illegal amount).
    """
    if state.rules.num_players != 2:
        raise ValueError(f"search subgames are heads-up; this table has {state.rules.num_players} players")
    streets = (Street.FLOP, Street.TURN) if depth_limited else (Street.TURN, Street.RIVER)
    if state.is_over or state.street not in streets:
        where = "the flop or the turn" if depth_limited else "the turn or the river (the flop with depth_limited)"
        raise ValueError(f"a subgame starts on {where} with a player to act")
    if any(a.street == state.street for a in state.actions):
        raise ValueError("a subgame starts at the start of a street; pass this street's actions as history")
    board = tuple(state.board)
    if depth_limited:  # no showdown below: every hand not holding a board card is equally strong
        boards = np.array([board], np.int64)
        builder = _HoldemBuilder(sizing, state.street, 0, 0.0, depth_limited=True)
        root_board = 0
        strength = np.where(np.isin(HOLES, board).any(axis=1), -1, 0)[None, :]
    elif state.street == Street.RIVER:
        boards = np.array([board], np.int64)
        builder = _HoldemBuilder(sizing, state.street, 0, 0.0)
        root_board = 0
    else:
        rivers = [c for c in range(NUM_CARDS) if c not in board]
        boards = np.array([board + (c,) for c in rivers], np.int64)
        builder = _HoldemBuilder(sizing, state.street, len(rivers), 1.0 / (NUM_CARDS - len(board) - 4))
        builder.river_cards = rivers
        root_board = NO_BOARD
    if not depth_limited:
        strength = board_strengths(HOLES, boards)
    nodes = _Nodes()
    nodes.allocate(-1, 1)
    nodes.contrib[0] = tuple(float(c) for c in state.contributions)
    real = builder.street(nodes, 0, state, root_board, history)
    return Subgame(nodes.arrays(), hand_tables(HOLES, strength), boards, board, nodes.contrib[0], int(state.actor),
                   nodes.labels, real)


# ------------------------------------------------------------------------------------------- Leduc

LEDUC_CARDS = 6
LEDUC_BETS = (2, 4)
LEDUC_MAX_RAISES = 2


def leduc_strength(board_card: int) -> np.ndarray:
    """Showdown strength (int64 ``(6,)``) of each Leduc card (rank ``c // 2``) with ``board_card``:
    a pair beats every other hand, then the higher rank wins; -1 for the board card itself."""
    ranks = np.arange(LEDUC_CARDS) // 2
    strength = ranks + 3 * (ranks == board_card // 2)
    strength[board_card] = -1
    return strength.astype(np.int64)


def _leduc_label(action: int, facing: bool, bet: int) -> str:
    if action == FOLD:
        return "fold"
    if action == CALL:
        return "call" if facing else "check"
    return f"{'raise' if facing else 'bet'} {bet}"


def _leduc_round(contributions: tuple[int, int], bet: int, end: int) -> _Nodes:
    """One Leduc betting round (OpenSpiel's ``leduc_poker``: player 0 opens, bets of ``bet`` chips, at
    most two raises) from ``contributions``; a round that ends in a call ends in an ``end`` node
    (``SHOWDOWN`` or ``LEAF``).  Node actions use Leduc's ids (0 fold, 1 check/call, 2 bet/raise)."""
    nodes = _Nodes()
    nodes.allocate(-1, 1)
    stack = [(0, (float(contributions[0]), float(contributions[1])), ())]
    while stack:
        node, contrib, actions = stack.pop()
        nodes.contrib[node] = contrib
        nodes.board[node] = 0
        player = len(actions) % 2
        if actions and actions[-1] == FOLD:
            nodes.kind[node], nodes.player[node] = FOLD_END, 1 - player
            continue
        if len(actions) >= 2 and actions[-1] == CALL:
            nodes.kind[node] = end
            continue
        nodes.kind[node], nodes.player[node] = DECISION, player
        facing = contrib[0] != contrib[1]
        options = ([FOLD] if facing else []) + [CALL] + ([RAISE] if actions.count(RAISE) < LEDUC_MAX_RAISES else [])
        first = nodes.allocate(node, len(options))
        for c, action in enumerate(options):
            after = list(contrib)
            if action != FOLD:
                after[player] = max(contrib) + (bet if action == RAISE else 0)
            nodes.action[first + c] = action
            nodes.amount[first + c] = int(after[player]) if action == RAISE else 0
            nodes.labels[first + c] = _leduc_label(action, facing, bet)
            stack.append((first + c, (after[0], after[1]), actions + (action,)))
    return nodes


def _leduc_hand_cards() -> np.ndarray:
    """int64 ``(6, 2)``: Leduc's hands, one card each (``(c, -1)``)."""
    return np.stack([np.arange(LEDUC_CARDS), -np.ones(LEDUC_CARDS, np.int64)], axis=1)


def leduc_round2_subgame(board_card: int, contributions: tuple[int, int]) -> Subgame:
    """Leduc's second betting round (bets of 4 chips, at most two raises) after ``board_card`` came,
    with ``contributions`` chips each put in so far.  Hands are the six single cards
    (``hand_cards[c] = (c, -1)``)."""
    if not 0 <= board_card < LEDUC_CARDS:
        raise ValueError(f"a Leduc card is 0..5, got {board_card}")
    nodes = _leduc_round(contributions, LEDUC_BETS[1], SHOWDOWN)
    hands = hand_tables(_leduc_hand_cards(), leduc_strength(board_card)[None, :])
    return Subgame(nodes.arrays(), hands, np.array([[board_card]], np.int64), (board_card,),
                   (float(contributions[0]), float(contributions[1])), 0, nodes.labels)


def leduc_round1_subgame() -> Subgame:
    """Leduc's first betting round from the antes (bets of 2 chips), depth-limited: a round that ends
    in a call ends in a ``LEAF`` where the second round would start (its values come from
    :mod:`holdem.search.depth_limit`)."""
    nodes = _leduc_round((1, 1), LEDUC_BETS[0], LEAF)
    hands = hand_tables(_leduc_hand_cards(), np.zeros((1, LEDUC_CARDS), np.int64))
    return Subgame(nodes.arrays(), hands, np.zeros((1, 0), np.int64), (), (1.0, 1.0), 0, nodes.labels)
