"""13x13 charts of a strategy as a PNG (matplotlib, drawn off-screen without pyplot).

The first panel is the solver-style strategy chart: each class's cell is split left to right into
its actions' frequencies in the actions' colours, filled from the bottom up to the class's reach
(relative to the most reached class), so the range and its play show at once.  Then one panel per
action: each cell is :func:`cell_colour` of the action's colour and the class's frequency (white
at 0, the full colour at 1) with the frequency in per cent.  Colours: fold blue, check/call green,
bets and raises from orange (smallest) to dark red (largest).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from holdem import files
from holdem.cards import RANKS

from .hands import CLASS_NAMES
from .strategy import NodeStrategy

FOLD_COLOUR = (0.23, 0.44, 0.78)
CALL_COLOUR = (0.22, 0.62, 0.30)
_RAISE_LIGHT, _RAISE_DARK = np.array((0.97, 0.60, 0.20)), np.array((0.60, 0.05, 0.10))
BLOCKED_COLOUR = (0.85, 0.85, 0.85)
#: inches per panel (width, height) and dots per inch of the PNG
PANEL_SIZE = (4.0, 4.4)
DPI = 100
PANELS_PER_ROW = 3
_GRID_LABELS = list(reversed(RANKS))


def action_colours(tokens: tuple[str, ...]) -> list[tuple[float, float, float]]:
    """RGB in [0, 1] of each action token (``f``, ``c``, ``r<N>``; raises in increasing order)."""
    raises = [t for t in tokens if t.startswith("r")]
    out = []
    for token in tokens:
        if token == "f":
            out.append(FOLD_COLOUR)
        elif token == "c":
            out.append(CALL_COLOUR)
        else:
            x = raises.index(token) / max(len(raises) - 1, 1)
            out.append(tuple(float(v) for v in (1 - x) * _RAISE_LIGHT + x * _RAISE_DARK))
    return out


def cell_colour(colour: tuple[float, float, float], frequency: float) -> tuple[float, float, float]:
    """The cell colour of an action played with ``frequency``: white blended toward ``colour``."""
    if math.isnan(frequency):
        return BLOCKED_COLOUR
    return tuple(1.0 - frequency * (1.0 - c) for c in colour)


def _grid_axes(ax, title: str) -> None:
    ax.set_xlim(0, 13)
    ax.set_ylim(13, 0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(13) + 0.5, _GRID_LABELS, fontsize=7)
    ax.set_yticks(np.arange(13) + 0.5, _GRID_LABELS, fontsize=7)
    ax.tick_params(length=0)
    ax.set_title(title, fontsize=9)
    for x in range(14):
        ax.axvline(x, color="white", linewidth=0.6)
        ax.axhline(x, color="white", linewidth=0.6)


def _text_colour(rgb) -> str:
    return "black" if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 0.55 else "white"


def _action_panel(ax, frequencies: np.ndarray, colour, title: str) -> None:
    image = np.array([cell_colour(colour, float(f)) for f in frequencies]).reshape(13, 13, 3)
    ax.imshow(image, extent=(0, 13, 13, 0), interpolation="nearest")
    for cell, f in enumerate(frequencies):
        row, col = divmod(cell, 13)
        ink = _text_colour(image[row, col])
        ax.text(col + 0.5, row + 0.36, CLASS_NAMES[cell], ha="center", va="center", fontsize=5.5, color=ink)
        if not math.isnan(f):
            ax.text(col + 0.5, row + 0.74, f"{100 * f:.0f}", ha="center", va="center", fontsize=5, color=ink)
    _grid_axes(ax, title)


def _strategy_panel(ax, probs: np.ndarray, reach: np.ndarray, colours) -> None:
    top = np.nanmax(reach) if np.any(reach > 0) else 1.0
    ax.add_patch(Rectangle((0, 0), 13, 13, color=(0.95, 0.95, 0.95)))
    for cell in range(169):
        row, col = divmod(cell, 13)
        if np.isnan(probs[cell, 0]):
            ax.add_patch(Rectangle((col, row), 1, 1, color=BLOCKED_COLOUR))
            continue
        height = float(reach[cell] / top) if top > 0 else 0.0
        x = float(col)
        for p, colour in zip(probs[cell], colours):
            if p > 0 and height > 0:
                ax.add_patch(Rectangle((x, row + 1 - height), float(p), height, color=colour, linewidth=0))
            x += float(p)
        ax.text(col + 0.5, row + 0.5, CLASS_NAMES[cell], ha="center", va="center", fontsize=5.5, color="black")
    _grid_axes(ax, "strategy (cell height: reach)")


def draw(strategy: NodeStrategy) -> Figure:
    """The figure: a strategy panel, then one panel per action, :data:`PANELS_PER_ROW` to a row;
    each action panel's axes is labelled with its token (``ax.get_label()``)."""
    probs, reach = strategy.class_probs(), strategy.class_reach()
    colours = action_colours(strategy.tokens)
    mix = strategy.mix()
    panels = 1 + len(strategy.tokens)
    cols = min(PANELS_PER_ROW, panels)
    rows = -(-panels // cols)
    fig = Figure(figsize=(PANEL_SIZE[0] * cols, PANEL_SIZE[1] * rows + 0.5), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    _strategy_panel(axes[0], probs, reach, colours)
    for k, (token, label) in enumerate(zip(strategy.tokens, strategy.labels)):
        ax = axes[k + 1]
        ax.set_label(token)
        _action_panel(ax, probs[:, k], colours[k], f"{label} ({token}): {100 * mix[k]:.1f}% of the range")
    for ax in axes[panels:]:
        ax.set_axis_off()
    fig.suptitle(strategy.title, fontsize=11)
    fig.subplots_adjust(left=0.04, right=0.98, bottom=0.03, top=1 - 0.55 / (PANEL_SIZE[1] * rows + 0.5),
                        wspace=0.12, hspace=0.18)
    return fig


def save_png(fig: Figure, path: str | Path) -> None:
    """Write ``fig`` as a PNG of 256 palette colours (a third of the size of full colour for charts of
    flat cells), atomically."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    image = Image.open(buffer).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    files.atomic_write(Path(path), lambda f: image.save(f, format="png", optimize=True))


def write_png(strategy: NodeStrategy, path: str | Path) -> None:
    """Draw ``strategy`` (:func:`draw`) into the PNG file ``path``."""
    save_png(draw(strategy), path)
