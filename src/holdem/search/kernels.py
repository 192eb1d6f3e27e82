"""Range-vs-range vector CFR kernels over a public tree (numba, ``nogil``, free functions).

One traversal of the public tree updates every private hand of one player at once
(postflop-solver, DeepStack): it carries the opponent's reach of each of his ``H`` hands down
the tree and returns the traverser's counterfactual value of each of his own ``H`` hands,
i.e. ``value[h] = sum over opponent hands o (card-compatible with h and the board) of
reach[o] * chance weight * payoff(h, o)``.  Payoffs are the traverser's net chips over the
whole hand (:attr:`PublicTree.node_contrib` at the terminal).

- Showdowns cost ``O(H)`` per node: hands are pre-sorted by strength per board, one sweep
  accumulates the opponent's reach of weaker hands, and card removal subtracts per-card sums
  (inclusion-exclusion: the opponent hands that share a card with ``h`` are those holding
  ``h``'s first or second card, ``h`` itself counted twice).  Ties split the pot.
- Folds cost ``O(H)`` with the same per-card sums.
- Chance nodes deal each card: the opponent's hands holding it lose their reach, the
  traverser's hands holding it get no value, and children are weighted by
  :attr:`PublicTree.node_chance_weight` (one over the number of cards that can come given both
  private hands), which makes the sum over (hand, opponent hand, card) exact.

Tables are float32 ``(R, H)``: row ``node_row[c]`` holds the action into child ``c`` of a decision
node, so a node's actions are contiguous rows and each row is contiguous over hands.  Updates
are alternating (one traversal per player): the traverser's regrets are discounted and updated
at his nodes; the opponent's strategy sums are updated at the opponent's nodes with his own reach
(the reach the traversal carries), as postflop-solver does.

A turn subgame runs in three stages so that threads can share the river work: ``STAGE_COLLECT``
carries reach down to every chance node (no updates), the chance children ("items") are then
solved independently (:func:`solve_items`, one call per thread on disjoint items), and
``STAGE_FINISH`` walks the top of the tree again, reading the items' values at chance nodes.
A tree without chance nodes runs ``STAGE_FULL`` once.

A depth-limited subgame ends in ``LEAF`` nodes where the next street would start (Brown,
Sandholm & Amos 2018, "Depth-Limited Solving for Imperfect-Information Games"; Pluribus): there
each player picks, per hand, one of a few continuation strategies for the rest of the hand (the
blueprint and biased versions of it), and :class:`Leaves` gives player 0's expected payoff for
every pair of choices between groups of hands.  The choices are played by regret matching on rows
of their own in the same tables, so a leaf is solved like a decision of each player made without
seeing the other's (:func:`_leaf`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from holdem.evaluator import evaluate_7

DECISION, FOLD_END, SHOWDOWN, CHANCE, LEAF = 0, 1, 2, 3, 4
MODE_CFR, MODE_BEST_RESPONSE, MODE_EVALUATE = 0, 1, 2
STAGE_FULL, STAGE_COLLECT, STAGE_FINISH = 0, 1, 2
NUM_CARD_SLOTS = 64  # per-card accumulators (hold'em has 52 cards, Leduc 6)
NO_CARD = 255  # "no second card" in the unsigned card tables


class PublicTree(NamedTuple):
    """A heads-up public tree as flat arrays (``N`` nodes; children of a node are contiguous).

    - ``node_kind``: int8 ``(N,)``: ``DECISION``, ``FOLD_END``, ``SHOWDOWN``, ``CHANCE`` or ``LEAF``.
    - ``node_player``: int8 ``(N,)``: the actor of a decision, the player who folded at a
      ``FOLD_END``, -1 elsewhere.
    - ``node_parent``: int32 ``(N,)`` (-1 at the root).
    - ``node_first_child``, ``node_num_children``: int32 ``(N,)``.
    - ``node_contrib``: float64 ``(N, 2)``: chips each player has put in over the whole hand
      (at a terminal: by the end of the hand, uncalled bets returned).
    - ``node_card``: int32 ``(N,)``: the card a chance node dealt into this child, else -1.
    - ``node_board``: int32 ``(N,)``: row of the board in force in the hand tables (the
      strength of showdowns below), -1 above a chance node.
    - ``node_row``: int32 ``(N,)``: table row of the action leading into a decision's child, else -1.
    - ``node_action``: int8 ``(N,)``: kind of that action (0 fold, 1 check/call, 2 bet/raise), else -1.
    - ``node_amount``: int32 ``(N,)``: its raise-to street total in chips (0 unless a bet/raise).
    - ``node_chance``: int32 ``(N,)``: index of a chance node among chance nodes, else -1.
    - ``node_item``: int32 ``(N,)``: index of a chance node's child among all such children, else -1.
    - ``node_chance_weight``: float64 ``(N,)``: weight of each child of a chance node, else 0.
    - ``node_leaf``: int32 ``(N,)``: index of a ``LEAF`` among the leaves, else -1.
    """

    node_kind: np.ndarray
    node_player: np.ndarray
    node_parent: np.ndarray
    node_first_child: np.ndarray
    node_num_children: np.ndarray
    node_contrib: np.ndarray
    node_card: np.ndarray
    node_board: np.ndarray
    node_row: np.ndarray
    node_action: np.ndarray
    node_amount: np.ndarray
    node_chance: np.ndarray
    node_item: np.ndarray
    node_chance_weight: np.ndarray
    node_leaf: np.ndarray


class HandTables(NamedTuple):
    """Private hands and their showdown order (``H`` hands, ``B`` boards).

    - ``hand_cards``: int64 ``(H, 2)``: the cards of each hand, -1 for "no second card".
    - ``strength``: int64 ``(B, H)``: showdown strength on each board (higher wins), -1 for a
      hand that holds a board card.
    - ``order``: int16 ``(B, H)``: hands of each board by increasing strength, the first
      ``num_valid[b]`` entries being the hands that hold no board card.
    - ``num_valid``: int32 ``(B,)``.
    - ``sorted_cards``: uint8 ``(B, H, 2)``: ``hand_cards`` in that order, ``NO_CARD`` for -1.
    - ``group_end``: int16 ``(B, H)``: the position in ``order`` where the run of equally strong
      valid hands that holds each position ends (exclusive).

    The narrow integer types keep a board's showdown data small enough to stay in the first-level
    cache while the showdowns of that board run.
    """

    hand_cards: np.ndarray
    strength: np.ndarray
    order: np.ndarray
    num_valid: np.ndarray
    sorted_cards: np.ndarray
    group_end: np.ndarray


class Tables(NamedTuple):
    """Regrets and strategy sums, float32 ``(R, H)`` each, and ``frozen`` bool ``(R,)``: rows of
    decisions whose strategy is fixed (kept in ``regrets`` as probabilities, never updated)."""

    regrets: np.ndarray
    strategy_sum: np.ndarray
    frozen: np.ndarray


class Leaves(NamedTuple):
    """What the depth-limit leaves of a public tree are worth (``L`` leaves, ``K0`` and ``K1``
    continuation strategies of players 0 and 1, ``G`` groups of hands, ``H`` hands).

    - ``values``: float64 ``(L, K0, K1, G, G)``: player 0's expected net chips over the whole hand
      when he holds a hand of group ``g0`` and plays his continuation ``i`` and player 1 holds a
      hand of group ``g1`` and plays ``j`` (``values[l, i, j, g0, g1]``; player 1 gets the negative).
    - ``group``: int64 ``(H,)``: the group of each hand.
    - ``rows``: int64 ``(L, 2)``: the first table row of each player's choices at each leaf (his
      ``K0`` or ``K1`` rows follow it).

    A tree without leaves takes :func:`no_leaves`.
    """

    values: np.ndarray
    group: np.ndarray
    rows: np.ndarray


def no_leaves(num_hands: int) -> Leaves:
    """The :class:`Leaves` of a tree that has none."""
    return Leaves(np.zeros((0, 1, 1, 1, 1)), np.zeros(num_hands, np.int64), np.zeros((0, 2), np.int64))


class Scratch(NamedTuple):
    """One thread's work space: ``buf`` float64 ``(D, 2K + 2, H)`` (per depth: strategy rows
    ``0..K-1``, action values ``K..2K-1``, a child reach ``2K`` and a temporary ``2K + 1``;
    ``D`` the tree depth + 1, ``K`` the most children of a node), ``cards`` float64
    ``(3, NUM_CARD_SLOTS)`` per-card accumulators, ``sweep`` float64 ``(3, H)`` for showdowns,
    ``reach`` float64 ``(H,)``, and for leaves ``leaf`` float64 ``(3C + 1, H)`` (the traverser's
    choice strategy, the opponent's, the traverser's value of each choice and a temporary; ``C``
    the most continuation strategies of a player) and ``leaf_sums`` float64
    ``(C, G, NUM_CARD_SLOTS + 1)`` (the opponent's reach per choice and group, per card held and in
    all)."""

    buf: np.ndarray
    cards: np.ndarray
    sweep: np.ndarray
    reach: np.ndarray
    leaf: np.ndarray
    leaf_sums: np.ndarray


@njit(cache=True, nogil=True)
def board_strengths(hand_cards: np.ndarray, boards: np.ndarray) -> np.ndarray:
    """Hold'em showdown strength (int64 ``(B, H)``, :func:`holdem.evaluator.evaluate_7`, -1 for
    hands holding a board card) of two-card ``hand_cards`` (int64 ``(H, 2)``) on five-card
    ``boards`` (int64 ``(B, 5)``)."""
    out = np.empty((boards.shape[0], hand_cards.shape[0]), np.int64)
    for b in range(boards.shape[0]):
        bd = boards[b]
        for h in range(hand_cards.shape[0]):
            c1, c2 = hand_cards[h, 0], hand_cards[h, 1]
            clash = False
            for i in range(5):
                if bd[i] == c1 or bd[i] == c2:
                    clash = True
            out[b, h] = -1 if clash else evaluate_7(c1, c2, bd[0], bd[1], bd[2], bd[3], bd[4])
    return out


@njit(cache=True, nogil=True)
def _card_totals(hand_cards: np.ndarray, reach: np.ndarray, per_card: np.ndarray) -> float:
    """Fill ``per_card`` (float64 ``(NUM_CARD_SLOTS,)``) with the reach of the hands holding each
    card; return the total reach."""
    per_card[:] = 0.0
    total = 0.0
    for h in range(hand_cards.shape[0]):
        r = reach[h]
        if r != 0.0:
            total += r
            per_card[hand_cards[h, 0]] += r
            if hand_cards[h, 1] >= 0:
                per_card[hand_cards[h, 1]] += r
    return total


@njit(cache=True, nogil=True)
def fold_values(hand_cards: np.ndarray, reach: np.ndarray, payoff: float, cards: np.ndarray,
                out: np.ndarray) -> None:
    """``out[h] = payoff * (opponent reach of the hands sharing no card with h)`` (float64 ``(H,)``;
    ``reach`` float64 ``(H,)``; ``cards`` float64 ``(3, NUM_CARD_SLOTS)`` scratch)."""
    per_card = cards[0]
    total = _card_totals(hand_cards, reach, per_card)
    for h in range(hand_cards.shape[0]):
        c2 = hand_cards[h, 1]
        compatible = total - per_card[hand_cards[h, 0]]
        if c2 >= 0:
            compatible += reach[h] - per_card[c2]
        out[h] = payoff * compatible


@njit(cache=True, nogil=True)
def showdown_values(hands: HandTables, board: int, reach: np.ndarray, win: float, lose: float, tie: float,
                    cards: np.ndarray, sweep: np.ndarray, out: np.ndarray) -> None:
    """Showdown values on ``board``: ``out[h] = sum over card-compatible opponent hands o of
    reach[o] * (win, tie or lose as h beats, ties or loses to o)``; 0 for hands holding a board
    card (``reach``, ``out`` float64 ``(H,)``; scratch: ``cards`` float64 ``(3, NUM_CARD_SLOTS)``,
    ``sweep`` float64 ``(3, H)``, whose row 2 is left holding each hand's compatible total ``t``).

    One sweep upwards over the hands in strength order, a run of equally strong hands at a time,
    gives each hand the compatible reach of weaker hands ``w`` and of hands at most as strong
    ``u`` (``u - w`` its ties); the per-card sums it leaves give the compatible total ``t``, of
    which ``t - u`` is stronger, so ``out = (win - tie) w + (tie - lose) u + lose t``."""
    order, sorted_cards = hands.order[board], hands.sorted_cards[board]
    group_end = hands.group_end[board]
    n = hands.num_valid[board]
    per_card = cards[0]
    partial, sorted_reach = sweep[0], sweep[1]
    per_card[:] = 0.0
    pair = sorted_cards[0, 1] != NO_CARD  # two-card hands (hold'em), else one card (Leduc)
    below_tie, tie_lose = win - tie, tie - lose
    weaker = 0.0
    i = 0
    while i < n:
        j = group_end[i]
        for k in range(i, j):
            w = weaker - per_card[sorted_cards[k, 0]]
            if pair:
                w -= per_card[sorted_cards[k, 1]]
            partial[k] = w
        for k in range(i, j):
            r = reach[order[k]]
            sorted_reach[k] = r
            weaker += r
            per_card[sorted_cards[k, 0]] += r
            if pair:
                per_card[sorted_cards[k, 1]] += r
        for k in range(i, j):
            u = weaker - per_card[sorted_cards[k, 0]]
            if pair:
                u += sorted_reach[k] - per_card[sorted_cards[k, 1]]
            partial[k] = below_tie * partial[k] + tie_lose * u
        i = j
    compatible = sweep[2]
    for k in range(n):
        t = weaker - per_card[sorted_cards[k, 0]]
        if pair:
            t += sorted_reach[k] - per_card[sorted_cards[k, 1]]
        h = order[k]
        out[h] = partial[k] + lose * t
        compatible[h] = t
    for k in range(n, order.shape[0]):
        out[order[k]] = 0.0
        compatible[order[k]] = 0.0


@njit(cache=True, nogil=True)
def regret_matching(regrets: np.ndarray, row: int, k: int, strat: np.ndarray, total: np.ndarray) -> None:
    """Write into ``strat[:k]`` (float64 ``(K, H)``) each hand's strategy proportional to the positive
    regrets of rows ``row .. row + k - 1`` of ``regrets`` (``(R, H)``), uniform where none is
    positive; ``total`` float64 ``(H,)`` scratch.  Every loop runs along a row, so it vectorises."""
    num_hands = total.shape[0]
    total[:] = 0.0
    for a in range(k):
        src, dst = regrets[row + a], strat[a]
        for h in range(num_hands):
            x = max(np.float64(src[h]), 0.0)
            dst[h] = x
            total[h] += x
    for h in range(num_hands):
        t = total[h]
        total[h] = 1.0 / t if t > 0.0 else 0.0
    uniform = 1.0 / k
    for a in range(k):
        dst = strat[a]
        for h in range(num_hands):
            inv = total[h]
            dst[h] = dst[h] * inv if inv > 0.0 else uniform


@njit(cache=True, nogil=True)
def _terminal(tree: PublicTree, hands: HandTables, node: int, player: int, reach: np.ndarray,
              scratch: Scratch, out: np.ndarray) -> None:
    """Values of ``player``'s hands at a fold or showdown node.  When ``player`` folded and the next
    sibling, the call, is a showdown, that showdown ran just before with the same opponent reach
    (:func:`traverse` visits the traverser's children last first) and left the compatible totals
    the fold needs in ``scratch.sweep[2]``."""
    mine = tree.node_contrib[node, player]
    pot = tree.node_contrib[node, 0] + tree.node_contrib[node, 1]
    if tree.node_kind[node] == FOLD_END:
        if tree.node_player[node] == player:
            call = node + 1
            if call < tree.node_kind.shape[0] and tree.node_parent[call] == tree.node_parent[node] and \
                    tree.node_kind[call] == SHOWDOWN:
                compatible = scratch.sweep[2]
                for h in range(out.shape[0]):
                    out[h] = -mine * compatible[h]
                return
        payoff = -mine if tree.node_player[node] == player else pot - mine
        fold_values(hands.hand_cards, reach, payoff, scratch.cards, out)
    else:
        showdown_values(hands, tree.node_board[node], reach, pot - mine, -mine, 0.5 * pot - mine, scratch.cards,
                        scratch.sweep, out)


@njit(cache=True, nogil=True)
def mask_card(hand_cards: np.ndarray, card: int, src: np.ndarray, dst: np.ndarray) -> None:
    """``dst = src`` with 0 for the hands holding ``card`` (float64 ``(H,)``)."""
    for h in range(hand_cards.shape[0]):
        dst[h] = 0.0 if hand_cards[h, 0] == card or hand_cards[h, 1] == card else src[h]


@njit(cache=True, nogil=True)
def _finish_decision(tables: Tables, row: int, k: int, mine: bool, mode: int, strat: np.ndarray,
                     values: np.ndarray, reach: np.ndarray, out: np.ndarray, pos: float, neg: float, decay: float,
                     plus: bool) -> None:
    """A decision node's value ``out`` from its children's ``values`` (rows ``0..k-1``), and its table
    updates in ``MODE_CFR`` (see :func:`traverse`); ``mine``: the traverser acts here.  A frozen
    node plays its fixed strategy ``strat`` in every mode and has no regrets to update."""
    frozen = tables.frozen[row]
    num_hands = out.shape[0]
    if not mine:
        out[:] = values[0]
        for a in range(1, k):
            v = values[a]
            for h in range(num_hands):
                out[h] += v[h]
        if mode == MODE_CFR:
            for a in range(k):
                s = strat[a]
                dst = tables.strategy_sum[row + a]
                for h in range(num_hands):
                    dst[h] = dst[h] * decay + s[h] * reach[h]
        return
    if mode == MODE_BEST_RESPONSE and not frozen:
        out[:] = values[0]
        for a in range(1, k):
            v = values[a]
            for h in range(num_hands):
                if v[h] > out[h]:
                    out[h] = v[h]
        return
    out[:] = 0.0
    for a in range(k):
        s, v = strat[a], values[a]
        for h in range(num_hands):
            out[h] += s[h] * v[h]
    if mode == MODE_CFR and not frozen:
        for a in range(k):
            v = values[a]
            dst = tables.regrets[row + a]
            for h in range(num_hands):
                r = dst[h]
                r = r * (pos if r > 0.0 else neg) + (v[h] - out[h])
                dst[h] = 0.0 if plus and r < 0.0 else r


@njit(cache=True, nogil=True)
def _add_unless_holding(hand_cards: np.ndarray, card: int, src: np.ndarray, out: np.ndarray) -> None:
    """``out[h] += src[h]`` for the hands not holding ``card``."""
    for h in range(hand_cards.shape[0]):
        if hand_cards[h, 0] != card and hand_cards[h, 1] != card:
            out[h] += src[h]


@njit(cache=True, nogil=True)
def _leaf(tree: PublicTree, hands: HandTables, leaves: Leaves, tables: Tables, scratch: Scratch, node: int,
          player: int, reach: np.ndarray, out: np.ndarray, mode: int, pos: float, neg: float, decay: float,
          plus: bool) -> None:
    """Values ``out`` of ``player``'s hands at depth-limit leaf ``node``, and its table updates.

    Each player chooses a continuation strategy per hand on rows of his own (``leaves.rows``),
    without seeing the other's choice.  The opponent's reach is split by his choices (current
    strategy in ``MODE_CFR``, average otherwise) and summed per group of hands, per card held,
    so that the reach of the opponent hands compatible with a hand ``h`` in group ``g`` is the
    group's total less what holds either of ``h``'s cards (``h`` itself, subtracted twice, added
    back).  ``h``'s value of each of its choices is then the sum over the opponent's choices and
    groups of that reach times :attr:`Leaves.values`, and the choices are finished like the
    actions of a decision (:func:`_finish_decision`)."""
    leaf = tree.node_leaf[node]
    values = leaves.values[leaf]
    k_mine, k_theirs = values.shape[player], values.shape[1 - player]
    groups = values.shape[2]
    group, hand_cards = leaves.group, hands.hand_cards
    num_hands = out.shape[0]
    table = tables.regrets if mode == MODE_CFR else tables.strategy_sum
    kmax = (scratch.leaf.shape[0] - 1) // 3
    mine, theirs, choice_values, tmp = (scratch.leaf[:kmax], scratch.leaf[kmax:2 * kmax],
                                        scratch.leaf[2 * kmax:3 * kmax], scratch.leaf[3 * kmax])
    their_row = leaves.rows[leaf, 1 - player]
    regret_matching(table, their_row, k_theirs, theirs, tmp)
    sums = scratch.leaf_sums
    total = sums.shape[2] - 1
    sums[:k_theirs, :groups] = 0.0
    for o in range(num_hands):
        r = reach[o]
        if r == 0.0:
            continue
        g, c1, c2 = group[o], hand_cards[o, 0], hand_cards[o, 1]
        for j in range(k_theirs):
            x = r * theirs[j, o]
            sums[j, g, total] += x
            sums[j, g, c1] += x
            if c2 >= 0:
                sums[j, g, c2] += x
    for h in range(num_hands):
        gh, c1, c2 = group[h], hand_cards[h, 0], hand_cards[h, 1]
        for i in range(k_mine):
            choice_values[i, h] = 0.0
        for j in range(k_theirs):
            for g in range(groups):
                a = sums[j, g, total] - sums[j, g, c1]
                if c2 >= 0:
                    a -= sums[j, g, c2]
                    if g == gh:
                        a += reach[h] * theirs[j, h]
                if a == 0.0:
                    continue
                for i in range(k_mine):
                    if player == 0:
                        choice_values[i, h] += values[i, j, gh, g] * a
                    else:
                        choice_values[i, h] -= values[j, i, g, gh] * a
    my_row = leaves.rows[leaf, player]
    regret_matching(table, my_row, k_mine, mine, tmp)
    _finish_decision(tables, my_row, k_mine, True, mode, mine, choice_values, reach, out, pos, neg, decay, plus)
    if mode == MODE_CFR:
        for j in range(k_theirs):
            s, dst = theirs[j], tables.strategy_sum[their_row + j]
            for o in range(num_hands):
                dst[o] = dst[o] * decay + s[o] * reach[o]


@njit(cache=True, nogil=True)
def traverse(tree: PublicTree, hands: HandTables, leaves: Leaves, tables: Tables, scratch: Scratch, root: int,
             player: int, reach: np.ndarray, out: np.ndarray, mode: int, stage: int, pos: float, neg: float,
             decay: float, plus: bool, chance_reach: np.ndarray, item_values: np.ndarray) -> None:
    """Counterfactual values ``out`` (float64 ``(H,)``) of ``player``'s hands at ``root`` given the
    opponent's reach ``reach`` (float64 ``(H,)``) there, updating the tables on the way.

    ``mode``: ``MODE_CFR`` plays current strategies (regret matching), discounts ``player``'s
    regrets (positive ones times ``pos``, negative ones times ``neg``, floored at 0 when
    ``plus``) and adds this iteration's, and folds the opponent's strategy times his reach into
    his strategy sums after multiplying them by ``decay``; ``MODE_BEST_RESPONSE``: ``player``
    takes each hand's best action, the opponent plays his average strategy; ``MODE_EVALUATE``:
    both play their average strategies.  Nothing is updated outside ``MODE_CFR``.  Frozen rows
    (``tables.frozen``) play their fixed strategy in every mode.

    ``stage``: ``STAGE_FULL`` solves everything below; ``STAGE_COLLECT`` only records the reach
    arriving at each chance node in ``chance_reach`` (float64 ``(C, H)``); ``STAGE_FINISH``
    takes the values of chance children from ``item_values`` (float64 ``(I, H)``).

    The walk is depth first with an explicit stack (numba cannot cache recursive functions):
    the node at depth ``d`` keeps its strategy and its children's values in ``scratch.buf[d]``.
    """
    buf = scratch.buf
    kmax = (buf.shape[1] - 2) // 2
    hand_cards = hands.hand_cards
    num_hands = out.shape[0]
    depth_max = buf.shape[0] + 1
    node_at = np.empty(depth_max, np.int64)
    next_child = np.empty(depth_max, np.int64)
    reach_from = np.empty(depth_max, np.int64)  # -1: ``reach``; else the child-reach row of that depth
    out_row = np.empty(depth_max, np.int64)     # -1: ``out``; else that row of the parent's depth
    d = 0
    node_at[0], next_child[0], reach_from[0], out_row[0] = root, -1, -1, -1
    while d >= 0:
        node = node_at[d]
        r = reach if reach_from[d] < 0 else buf[reach_from[d], 2 * kmax]
        o = out if out_row[d] < 0 else buf[d - 1, out_row[d]]
        kind = tree.node_kind[node]
        first = tree.node_first_child[node]
        k = tree.node_num_children[node]
        a = next_child[d]
        if a < 0:
            if kind == LEAF:
                if stage != STAGE_COLLECT:
                    _leaf(tree, hands, leaves, tables, scratch, node, player, r, o, mode, pos, neg, decay, plus)
                d -= 1
                continue
            if kind == FOLD_END or kind == SHOWDOWN:
                if stage != STAGE_COLLECT:
                    _terminal(tree, hands, node, player, r, scratch, o)
                d -= 1
                continue
            if kind == CHANCE:
                if stage == STAGE_COLLECT:
                    chance_reach[tree.node_chance[node]] = r
                    d -= 1
                    continue
                o[:] = 0.0
                if stage == STAGE_FINISH:
                    for c in range(first, first + k):
                        _add_unless_holding(hand_cards, tree.node_card[c], item_values[tree.node_item[c]], o)
                    w = tree.node_chance_weight[first]
                    for h in range(num_hands):
                        o[h] *= w
                    d -= 1
                    continue
            elif mode == MODE_CFR or tables.frozen[tree.node_row[first]]:
                regret_matching(tables.regrets, tree.node_row[first], k, buf[d, :kmax], buf[d, 2 * kmax + 1])
            elif tree.node_player[node] != player or mode == MODE_EVALUATE:
                regret_matching(tables.strategy_sum, tree.node_row[first], k, buf[d, :kmax], buf[d, 2 * kmax + 1])
            a = 0
        elif kind == CHANCE:
            _add_unless_holding(hand_cards, tree.node_card[first + a - 1], buf[d, kmax], o)
        if a < k:
            next_child[d] = a + 1
            node_at[d + 1], next_child[d + 1] = first + a, -1
            if kind == CHANCE:
                mask_card(hand_cards, tree.node_card[first + a], r, buf[d, 2 * kmax])
                reach_from[d + 1], out_row[d + 1] = d, kmax
            elif tree.node_player[node] != player:
                s, cr = buf[d, a], buf[d, 2 * kmax]
                for h in range(num_hands):
                    cr[h] = r[h] * s[h]
                reach_from[d + 1], out_row[d + 1] = d, kmax + a
            else:  # the traverser's children, last first: a fold then follows its call's showdown
                node_at[d + 1] = first + k - 1 - a
                reach_from[d + 1], out_row[d + 1] = reach_from[d], kmax + k - 1 - a
            d += 1
            continue
        if kind == CHANCE:
            w = tree.node_chance_weight[first]
            for h in range(num_hands):
                o[h] *= w
        elif stage != STAGE_COLLECT:
            _finish_decision(tables, tree.node_row[first], k, tree.node_player[node] == player, mode,
                             buf[d, :kmax], buf[d, kmax:2 * kmax], r, o, pos, neg, decay, plus)
        d -= 1


@njit(cache=True, nogil=True)
def solve_items(tree: PublicTree, hands: HandTables, leaves: Leaves, tables: Tables, scratch: Scratch,
                items: np.ndarray, item_node: np.ndarray, player: int, mode: int, pos: float, neg: float,
                decay: float, plus: bool, chance_reach: np.ndarray, item_values: np.ndarray) -> None:
    """Solve the chance children ``item_node[i]`` for each ``i`` of ``items`` (int64 ``(n,)``) into
    ``item_values[i]``, each from the reach recorded at its chance node with the dealt card's
    hands removed (see :func:`traverse`).  Calls on disjoint ``items`` touch disjoint table rows,
    so threads may run them side by side."""
    reach = scratch.reach
    for i in items:
        child = item_node[i]
        parent = tree.node_parent[child]
        mask_card(hands.hand_cards, tree.node_card[child], chance_reach[tree.node_chance[parent]], reach)
        traverse(tree, hands, leaves, tables, scratch, child, player, reach, item_values[i], mode, STAGE_FULL,
                 pos, neg, decay, plus, chance_reach, item_values)


@njit(cache=True, nogil=True)
def copy_swapped(item_values: np.ndarray, items: np.ndarray, source: np.ndarray, swap_of: np.ndarray,
                 swaps: np.ndarray) -> None:
    """``item_values[i, h] = item_values[source[i], swaps[swap_of[i], h]]`` for each ``i`` of ``items``:
    the values of chance children whose subtrees are suit-swapped copies of solved ones
    (:class:`holdem.search.public_tree.RiverSuitSwaps`)."""
    for i in items:
        src, swap, dst = item_values[source[i]], swaps[swap_of[i]], item_values[i]
        for h in range(dst.shape[0]):
            dst[h] = src[swap[h]]
