"""Suit-isomorphic canonical indices of hold'em hands (Waugh 2013), as numba kernels.

Hands that a permutation of the suits maps onto each other play identically: a hand maps to a
dense *canonical index* in ``0 .. size(layout) - 1`` and back to a representative hand.  Rounds are
hole | board, the board unordered: 169 / 1,286,792 / 13,960,050 / 123,156,254 classes, so a uint8
bucket table of all four streets takes 138 MB and the exact river equity table (uint16) 246 MB.
Perfect recall (hole | flop | turn | river) has 2,428,287,420 river classes (2.4 GB per uint8
table) and gains nothing for imperfect-recall buckets, which only see the current cards.

Waugh's algorithm ("A fast and optimal hand isomorphism algorithm", 2013): a suit's hole ranks
``H_s`` and board ranks ``B_s`` give its *descriptor*: the code ``(|H_s|, |B_s|)`` and the index
``colex(H_s) * C(13 - |H_s|, |B_s|) + colex(B_s without the ranks of H_s)``.  A hand is the multiset
of its four descriptors; sorted (descending), their codes are the *configuration*.  Suits sharing a
code form a group ranked as a multiset (combinatorial number system with repetition); groups
combine by mixed radix and configurations by offsets.  All of it is precomputed into flat arrays,
so the index kernel is branch-free apart from the suits of the turn and river cards
(:func:`index_deal_cards`: about 57 M indices/s per thread).

Layouts (``PREFLOP`` .. ``RIVER``, and the board alone ``FLOP_BOARD``, ``TURN_BOARD``,
``RIVER_BOARD``: 1,755 / 16,432 / 134,459 classes) are small ints passed to the kernels.
"""

from __future__ import annotations

import itertools
from math import comb

import numba as nb
import numpy as np

from holdem.cards import NUM_CARDS
from holdem.engine import STREETS

PREFLOP, FLOP, TURN, RIVER, RIVER_BOARD, FLOP_BOARD, TURN_BOARD = 0, 1, 2, 3, 4, 5, 6
#: (hole cards, board cards) per layout.
LAYOUTS = ((2, 0), (2, 3), (2, 4), (2, 5), (0, 5), (0, 3), (0, 4))
#: Board-only layout of each number of board cards.
BOARD_LAYOUT = {3: FLOP_BOARD, 4: TURN_BOARD, 5: RIVER_BOARD}
_NUM_CODES = 3 * 6  # code = h * 6 + b with h <= 2, b <= 5


def _colex_and_popcount() -> np.ndarray:
    """int16 (8192,): ``colex(mask) << 4 | popcount(mask)`` for every 13-bit rank mask (at most
    1716 << 4 | 13, so the 16 KB table stays in the L1 cache)."""
    out = np.zeros(1 << 13, dtype=np.int16)
    for mask in range(1 << 13):
        ranks = [r for r in range(13) if mask >> r & 1]
        out[mask] = sum(comb(r, j + 1) for j, r in enumerate(ranks)) << 4 | len(ranks)
    return out


def _configurations(n_hole: int, n_board: int) -> list[tuple[int, ...]]:
    """Sorted (descending) code tuples of every way to spread the cards over 4 suits."""
    per_suit = [(h, b) for h in range(n_hole + 1) for b in range(n_board + 1) if h + b <= 13]
    found = set()
    for combo in itertools.product(per_suit, repeat=4):
        if sum(h for h, _ in combo) == n_hole and sum(b for _, b in combo) == n_board:
            found.add(tuple(sorted((h * 6 + b for h, b in combo), reverse=True)))
    return sorted(found)


def _code_space(code: int) -> int:
    h, b = divmod(code, 6)
    return comb(13, h) * comb(13 - h, b)


def _config_key(codes: tuple[int, ...]) -> int:
    return codes[0] | codes[1] << 5 | codes[2] << 10 | codes[3] << 15


def _build_tables():
    """Flat per-configuration tables for every layout (see the module docstring)."""
    offsets, layout_start, layout_size = [], [0], []
    keys, codes_flat, j_flat, stride_flat = [], [], [], []
    for n_hole, n_board in LAYOUTS:
        total = 0
        for codes in _configurations(n_hole, n_board):
            groups = [(code, len(list(run))) for code, run in itertools.groupby(codes)]
            sizes = [comb(_code_space(code) + m - 1, m) for code, m in groups]
            strides = [int(np.prod(sizes[g + 1:], dtype=object)) for g in range(len(groups))]
            for (code, m), stride in zip(groups, strides):
                for t in range(m):  # descending within a group: ascending rank j = m - t
                    codes_flat.append(code)
                    j_flat.append(m - t)
                    stride_flat.append(stride)
            offsets.append(total)
            keys.append(_config_key(codes))
            total += int(np.prod(sizes, dtype=object))
        layout_start.append(len(offsets))
        layout_size.append(total)
    return tuple(np.array(values, dtype=np.int64)
                 for values in (offsets, layout_start, layout_size, keys, codes_flat, j_flat, stride_flat))


def _perfect_hash(keys: np.ndarray, bits: int = 11) -> tuple[int, np.ndarray]:
    """A multiplier ``m`` with ``(key * m mod 2**32) >> (32 - bits)`` injective on ``keys``."""
    for mult in range(0x9E3779B1, 0x9E3779B1 + 2 * 100_000, 2):
        slots = (keys.astype(np.uint64) * np.uint64(mult) & np.uint64(0xFFFFFFFF)) >> np.uint64(32 - bits)
        if len(np.unique(slots)) == len(keys):
            table = np.full(1 << bits, -1, dtype=np.int64)
            table[slots.astype(np.int64)] = np.arange(len(keys))
            return mult, table
    raise RuntimeError("no perfect hash multiplier found")  # pragma: no cover


_COLEX = _colex_and_popcount()
_BINOM = np.array([[comb(n, k) for k in range(14)] for n in range(14)], dtype=np.int64)
_SPACE = np.array([_code_space(c) for c in range(_NUM_CODES)], dtype=np.int64)
(_CFG_OFFSET, _LAYOUT_CFG_START, _LAYOUT_SIZE, _CFG_KEY,
 _CFG_CODE, _CFG_J, _CFG_STRIDE) = _build_tables()
_HASH_MULT, _HASH_TABLE = _perfect_hash(_CFG_KEY)
_HASH_SHIFT = 32 - 11
_INV3_MINUS_1 = (pow(3, -1, 1 << 64) - 1) - (1 << 64)  # int64 view of 3**-1 mod 2**64, minus 1


def size(layout: int) -> int:
    """Number of canonical indices of ``layout`` (e.g. ``size(RIVER) == 123_156_254``)."""
    return int(_LAYOUT_SIZE[layout])


@nb.njit(inline="always")
def _multichoose_term(x, j):
    """C(x + j - 1, j) for j in 1..4 and 0 <= x < 36036 (the largest descriptor space), int64.

    Branch-free (branches on ``j`` would be mispredicted): ``x (x + 1) ... (x + j - 1)`` with the
    factors beyond ``j`` set to 1, divided exactly by ``j!`` as a shift and, for ``j >= 3``, a
    wrapping multiplication by the inverse of 3 modulo 2**64."""
    g1 = np.int64(j > 1)
    g2 = np.int64(j > 2)
    g3 = np.int64(j > 3)
    num = x * (1 + g1 * x) * (1 + g2 * (x + 1)) * (1 + g3 * (x + 2))
    return (num >> (g1 + 2 * g3)) * (1 + g2 * _INV3_MINUS_1)


@nb.njit(inline="always")
def _card_bit(c):
    """Bit of card ``c`` in a packed mask: 16 bits per suit, bit ``rank`` in the suit's field."""
    return 1 << ((c & 3) << 4 | (c >> 2))


@nb.njit(inline="always")
def _board_bit(c, hmask):
    """Bit of board card ``c`` with the hole ranks of its suit squeezed out (its rank minus
    the number of hole cards of its suit below it), as Waugh's second round sees it."""
    shift = (c & 3) << 4
    rank = c >> 2
    below = _COLEX[(hmask >> shift) & ((1 << rank) - 1)] & 15
    return 1 << (shift | (rank - below))


@nb.njit(inline="always")
def _suit_key(hole_mask, board_mask):
    """Descriptor ``code << 40 | index`` of one suit from its hole and (squeezed) board ranks."""
    ch = _COLEX[hole_mask]
    cb = _COLEX[board_mask]
    h = ch & 15
    b = cb & 15
    return (h * 6 + b) << 40 | ((ch >> 4) * _BINOM[13 - h, b] + (cb >> 4))


@nb.njit(inline="always")
def _sort4_desc(keys):
    """The four suit descriptors sorted in descending order (a 5-comparator network)."""
    a, b, c, d = keys
    if a < b:
        a, b = b, a
    if c < d:
        c, d = d, c
    if a < c:
        a, c = c, a
    if b < d:
        b, d = d, b
    if b < c:
        b, c = c, b
    return a, b, c, d


@nb.njit(inline="always")
def _index_from_keys(keys):
    """Canonical index of descending-sorted suit descriptors: configuration offset plus the
    mixed-radix combination of the multiset ranks of each group of equal codes."""
    k0, k1, k2, k3 = keys
    key = (k0 >> 40) | (k1 >> 40) << 5 | (k2 >> 40) << 10 | (k3 >> 40) << 15
    cfg = _HASH_TABLE[((key * _HASH_MULT) & 0xFFFFFFFF) >> _HASH_SHIFT]
    base = cfg * 4
    mask40 = (1 << 40) - 1
    return (_CFG_OFFSET[cfg]
            + _multichoose_term(k0 & mask40, _CFG_J[base]) * _CFG_STRIDE[base]
            + _multichoose_term(k1 & mask40, _CFG_J[base + 1]) * _CFG_STRIDE[base + 1]
            + _multichoose_term(k2 & mask40, _CFG_J[base + 2]) * _CFG_STRIDE[base + 2]
            + _multichoose_term(k3 & mask40, _CFG_J[base + 3]) * _CFG_STRIDE[base + 3])


@nb.njit(inline="always")
def _suit_keys(hmask, bmask):
    """The four suit descriptors (unsorted) of packed hole and squeezed board masks."""
    return (_suit_key(hmask & 0x1FFF, bmask & 0x1FFF), _suit_key(hmask >> 16 & 0x1FFF, bmask >> 16 & 0x1FFF),
            _suit_key(hmask >> 32 & 0x1FFF, bmask >> 32 & 0x1FFF), _suit_key(hmask >> 48 & 0x1FFF, bmask >> 48 & 0x1FFF))


@nb.njit(cache=True, inline="always")
def index_hand(h0, h1, board, n_board):
    """Canonical index (int64) of hole ``(h0, h1)`` (``-1, -1`` for the board-only layouts) with the
    first ``n_board`` cards of the int array ``board``; ``n_board`` implies the layout."""
    hmask = 0
    if h0 >= 0:
        hmask = _card_bit(h0) | _card_bit(h1)
    bmask = 0
    for i in range(n_board):
        bmask |= _board_bit(board[i], hmask)
    return _index_from_keys(_sort4_desc(_suit_keys(hmask, bmask)))


@nb.njit(inline="always")
def _with_card(keys, hmask, bmask, c):
    """Suit keys after adding board card ``c`` to ``bmask``: only the key of ``c``'s suit changes."""
    s = c & 3
    bmask |= _board_bit(c, hmask)
    new = _suit_key(hmask >> (s << 4) & 0x1FFF, bmask >> (s << 4) & 0x1FFF)
    k0, k1, k2, k3 = keys
    return ((new if s == 0 else k0, new if s == 1 else k1, new if s == 2 else k2, new if s == 3 else k3),
            bmask)


@nb.njit(inline="always")
def _preflop_index(h0, h1):
    """Canonical preflop index of hole ``(h0, h1)`` in closed form, equal to the general algorithm's:
    pairs and offsuit hands rank as ``C(hi + 1, 2) + lo``, suited hands as ``91 + C(hi, 2) + lo``."""
    r0 = h0 >> 2
    r1 = h1 >> 2
    hi = max(r0, r1)
    lo = min(r0, r1)
    suited = np.int64((h0 & 3) == (h1 & 3))
    return (hi * (hi + 1) >> 1) + lo + suited * (91 - hi)


@nb.njit(cache=True)
def index_deal_cards(h0, h1, b0, b1, b2, b3, b4):
    """Canonical (preflop, flop, turn, river) indices of hole ``(h0, h1)`` with board cards
    ``b0..b4``: a tuple of four int64.  The streets share the per-suit descriptors (the turn and
    river recompute one suit each).  Scalars only, so a call from a parallel kernel touches no
    array reference count (shared atomics that would bounce between threads).
    """
    hmask = _card_bit(h0) | _card_bit(h1)
    pre = _preflop_index(h0, h1)
    bmask = _board_bit(b0, hmask) | _board_bit(b1, hmask) | _board_bit(b2, hmask)
    keys = _suit_keys(hmask, bmask)
    flop = _index_from_keys(_sort4_desc(keys))
    keys, bmask = _with_card(keys, hmask, bmask, b3)
    turn = _index_from_keys(_sort4_desc(keys))
    keys, bmask = _with_card(keys, hmask, bmask, b4)
    return pre, flop, turn, _index_from_keys(_sort4_desc(keys))


@nb.njit(cache=True)
def index_deal(h0, h1, board):
    """Canonical (preflop, flop, turn, river) indices of hole ``(h0, h1)`` with a 5-card ``board``
    (int array (>= 5,)): a tuple of four int64 (see :func:`index_deal_cards`)."""
    return index_deal_cards(h0, h1, board[0], board[1], board[2], board[3], board[4])


@nb.njit(inline="always")
def _unrank_colex(value, count):
    """13-bit mask with ``count`` bits whose colex rank is ``value``."""
    mask = 0
    for j in range(count, 0, -1):
        r = j - 1
        while r + 1 < 13 and _BINOM[r + 1, j] <= value:
            r += 1
        value -= _BINOM[r, j]
        mask |= 1 << r
    return mask


@nb.njit(inline="always")
def _expand(squeezed, hole_mask):
    """Inverse of squeezing the hole ranks out: put ``squeezed`` on the ranks not in ``hole_mask``."""
    out = 0
    src = 0
    for r in range(13):
        if not (hole_mask >> r & 1):
            if squeezed >> src & 1:
                out |= 1 << r
            src += 1
    return out


@nb.njit(cache=True)
def unindex_keys(layout, index, keys):
    """Fill ``keys`` (int64 (4,)) with the sorted suit descriptors of canonical ``index``."""
    lo = _LAYOUT_CFG_START[layout]
    hi = _LAYOUT_CFG_START[layout + 1] - 1
    while lo < hi:  # last configuration whose offset <= index
        mid = (lo + hi + 1) >> 1
        if _CFG_OFFSET[mid] <= index:
            lo = mid
        else:
            hi = mid - 1
    cfg = lo
    rem = index - _CFG_OFFSET[cfg]
    p = 0
    while p < 4:
        base = cfg * 4 + p
        code = _CFG_CODE[base]
        m = _CFG_J[base]
        g = rem // _CFG_STRIDE[base]
        rem -= g * _CFG_STRIDE[base]
        top = _SPACE[code] - 1
        for j in range(m, 0, -1):  # greedy multiset unranking, largest element first
            x = 0
            hi_x = top
            while x < hi_x:
                mid = (x + hi_x + 1) >> 1
                if _multichoose_term(mid, j) <= g:
                    x = mid
                else:
                    hi_x = mid - 1
            g -= _multichoose_term(x, j)
            keys[p + m - j] = code << 40 | x
            top = x
        p += m


@nb.njit(cache=True)
def unindex_hand(layout, index, out):
    """Representative hand of canonical ``index``: fills ``out`` (int64 ``(n_hole + n_board,)``, hole
    then board cards), suit 0 holding the largest descriptor."""
    keys = np.empty(4, dtype=np.int64)
    unindex_keys(layout, index, keys)
    n_hole_total = 0
    for p in range(4):
        n_hole_total += (keys[p] >> 40) // 6
    n_hole = 0
    n_board = 0
    for p in range(4):
        code = keys[p] >> 40
        h = code // 6
        b = code - h * 6
        idx = keys[p] & ((1 << 40) - 1)
        per = _BINOM[13 - h, b]
        hmask = _unrank_colex(idx // per, h)
        bmask = _expand(_unrank_colex(idx % per, b), hmask)
        for r in range(13):
            if hmask >> r & 1:
                out[n_hole] = r * 4 + p
                n_hole += 1
            if bmask >> r & 1:
                out[n_hole_total + n_board] = r * 4 + p
                n_board += 1


@nb.njit(cache=True)
def orbit_size(layout, index):
    """Number of real hands (ordered suits, unordered cards per round) in class ``index``: 24 over
    the product of the factorials of the multiplicities of equal suit descriptors."""
    keys = np.empty(4, dtype=np.int64)
    unindex_keys(layout, index, keys)
    stab = 1
    run = 1
    for p in range(1, 4):
        if keys[p] == keys[p - 1]:
            run += 1
            stab *= run
        else:
            run = 1
    return 24 // stab


@nb.njit(cache=True, parallel=True)
def orbit_sizes(layout):
    """uint8 (size(layout),): :func:`orbit_size` of every canonical index of ``layout``."""
    n = _LAYOUT_SIZE[layout]
    out = np.empty(n, dtype=np.uint8)
    for i in nb.prange(n):
        out[i] = orbit_size(layout, i)
    return out


def canonical_index(hole, board=()) -> int:
    """Canonical index of a hand given as card ints, e.g. ``canonical_index([51, 47], [0, 4, 8])``."""
    board_arr = np.asarray(list(board), dtype=np.int64)
    if len(hole) not in (0, 2) or len(board_arr) not in (0, 3, 4, 5) or (not hole and len(board_arr) < 3):
        raise ValueError(f"unsupported hand: {len(hole)} hole cards and {len(board_arr)} board cards")
    cards = [*hole, *board_arr.tolist()]
    if len(set(cards)) != len(cards) or not all(0 <= c < NUM_CARDS for c in cards):
        raise ValueError(f"cards must be distinct ints in 0..51, got {cards}")
    if not hole:
        return int(index_hand(-1, -1, board_arr, len(board_arr)))
    return int(index_hand(hole[0], hole[1], board_arr, len(board_arr)))


def representative(layout: int, index: int) -> tuple[list[int], list[int]]:
    """``(hole, board)`` card lists of the representative hand of canonical ``index``."""
    if not 0 <= index < size(layout):
        raise ValueError(f"index {index} out of range 0..{size(layout) - 1} for layout {layout}")
    n_hole, n_board = LAYOUTS[layout]
    out = np.empty(n_hole + n_board, dtype=np.int64)
    unindex_hand(layout, index, out)
    return out[:n_hole].tolist(), out[n_hole:].tolist()


def layout_of(n_board: int) -> int:
    """Layout of a hand with two hole cards and ``n_board`` board cards."""
    return {0: PREFLOP, 3: FLOP, 4: TURN, 5: RIVER}[n_board]


def total_hands(layout: int) -> int:
    """Number of real hands of ``layout``: C(52, hole) * C(52 - hole, board)."""
    n_hole, n_board = LAYOUTS[layout]
    return comb(NUM_CARDS, n_hole) * comb(NUM_CARDS - n_hole, n_board)

