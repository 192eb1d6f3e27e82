"""The 169 preflop hand classes in the 13x13 grid convention of solvers, and the 1326 hands in each.

Row and column ``0..12`` run from ace down to two.  The diagonal holds the pairs, the cell above
it (row = higher rank) the suited hands and the cell below it (column = higher rank) the offsuit
hands, so ``AKs`` is at (0, 1) and ``AKo`` at (1, 0).  Class ``row * 13 + col`` is a cell index.

>>> CLASS_NAMES[0], CLASS_NAMES[1], CLASS_NAMES[13], CLASS_NAMES[168]
('AA', 'AKs', 'AKo', '22')
>>> from holdem.cards import parse_cards
>>> CLASS_NAMES[class_of(*parse_cards("7h 2c"))], int(COMBOS[CLASS_INDEX["72o"]].sum())
('72o', 12)
"""

from __future__ import annotations

import numpy as np

from holdem.agents.equity import HOLES, NUM_HOLES
from holdem.cards import NUM_RANKS, RANKS

NUM_CLASSES = NUM_RANKS * NUM_RANKS


def class_of(a: int, b: int) -> int:
    """Grid cell (``row * 13 + col``) of the hole cards ``a``, ``b`` (card ints)."""
    hi, lo = max(a >> 2, b >> 2), min(a >> 2, b >> 2)
    r_hi, r_lo = NUM_RANKS - 1 - hi, NUM_RANKS - 1 - lo
    if (a & 3) == (b & 3):
        return r_hi * NUM_RANKS + r_lo
    return r_lo * NUM_RANKS + r_hi


def _name(cell: int) -> str:
    row, col = divmod(cell, NUM_RANKS)
    high, low = RANKS[NUM_RANKS - 1 - min(row, col)], RANKS[NUM_RANKS - 1 - max(row, col)]
    return high + low + ("" if row == col else "s" if row < col else "o")


#: name of each grid cell (169,), ``AA``, ``AKs``, ``AKo``, ...
CLASS_NAMES = tuple(_name(cell) for cell in range(NUM_CLASSES))
#: cell of each class name
CLASS_INDEX = {name: cell for cell, name in enumerate(CLASS_NAMES)}
#: cell of each hand of :data:`HOLES` (1326,) int64
HOLE_CLASS = np.array([class_of(int(a), int(b)) for a, b in HOLES], dtype=np.int64)
#: bool (169, 1326): the hands of each class (6 per pair, 4 suited, 12 offsuit)
COMBOS = HOLE_CLASS[None, :] == np.arange(NUM_CLASSES)[:, None]


def class_average(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per-class weighted means (169, ...) of per-hand ``values`` (1326, ...) with ``weights`` (1326,)
    float64 (0 for hands to leave out); a class whose weights sum to 0 gets NaN."""
    w = COMBOS * weights[None, :]
    total = w.sum(axis=1)
    flat = values.reshape(NUM_HOLES, -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (w @ np.nan_to_num(flat)) / total[:, None]
    out[total <= 0] = np.nan
    return out.reshape((NUM_CLASSES,) + values.shape[1:])
