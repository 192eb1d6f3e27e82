"""A strategy in the terminal (rich): the range's action mix, one coloured 13x13 grid per action
(frequencies in per cent on :func:`~holdem.views.charts.cell_colour` backgrounds) and, where
the agent has buckets and the board is out, a table per bucket; optionally one row per hand."""

from __future__ import annotations

import math

import numpy as np
from rich.columns import Columns
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from holdem.agents.equity import HOLES
from holdem.cards import RANKS, format_cards

from .charts import action_colours, cell_colour
from .hands import CLASS_NAMES, HOLE_CLASS
from .strategy import NodeStrategy


def _rgb(colour) -> str:
    return "rgb({},{},{})".format(*(round(255 * c) for c in colour))


def grid_text(frequencies: np.ndarray, colour) -> Text:
    """A 13x13 grid of per-cent frequencies (169,) with rank headers, each cell on its colour."""
    text = Text("   " + "".join(f"{r:>3} " for r in reversed(RANKS)) + "\n")
    for row in range(13):
        text.append(f" {RANKS[12 - row]} ")
        for col in range(13):
            f = float(frequencies[row * 13 + col])
            cell = " -- " if math.isnan(f) else f"{100 * f:>3.0f} "
            text.append(cell, style=f"black on {_rgb(cell_colour(colour, f))}")
        text.append("\n")
    return text


def _percent_cells(probs) -> list[str]:
    return [f"{100 * p:.1f}" for p in probs]


def mix_table(strategy: NodeStrategy) -> Table:
    """The range's frequency of each action and the reach-weighted hands that take it."""
    table = Table(title="the range's action mix")
    for column, justify in (("action", "left"), ("token", "left"), ("% of the range", "right"),
                            ("hands", "right")):
        table.add_column(column, justify=justify)
    mix, hands = strategy.mix(), strategy.reach.sum()
    for token, label, f in zip(strategy.tokens, strategy.labels, mix):
        table.add_row(label, token, f"{100 * f:.1f}", f"{f * hands:.1f}")
    return table


def bucket_table(strategy: NodeStrategy) -> Table:
    """Per bucket: hands on this board, reach-weighted hands, % per action."""
    table = Table(title=f"per bucket on {format_cards(strategy.board)} (% per action)")
    for column in ("bucket", "hands", "in range", *strategy.tokens):
        table.add_column(column, justify="right")
    for bucket, hands, weight, probs in strategy.bucket_table():
        table.add_row(str(bucket), str(hands), f"{weight:.1f}", *_percent_cells(probs))
    return table


def hand_table(strategy: NodeStrategy) -> Table:
    """One row per hand the player can hold here (reach > 0), in grid order."""
    table = Table(title="per hand (% per action)")
    columns = ("hand", "class", *(["bucket"] if strategy.buckets is not None else []), "reach", *strategy.tokens)
    for column in columns:
        table.add_column(column, justify="left" if column in ("hand", "class") else "right")
    order = np.lexsort((np.arange(len(HOLES)), HOLE_CLASS))
    for i in order[strategy.reach[order] > 0].tolist():
        bucket = [str(int(strategy.buckets[i]))] if strategy.buckets is not None else []
        table.add_row(format_cards(HOLES[i].tolist()), CLASS_NAMES[HOLE_CLASS[i]], *bucket,
                      f"{strategy.reach[i]:.3f}", *_percent_cells(strategy.probs[i]))
    return table


def render(strategy: NodeStrategy, console: Console, hands: bool = False) -> None:
    """Print the mix, the grids (side by side where the terminal is wide enough), the bucket table
    (postflop, for an agent with buckets) and, with ``hands``, the per-hand table."""
    console.print(strategy.title, style="bold")
    console.print(mix_table(strategy))
    probs = strategy.class_probs()
    grids = [Group(Text(f"{label} ({token})", style="bold"), grid_text(probs[:, k], colour))
             for k, (token, label, colour) in enumerate(zip(strategy.tokens, strategy.labels,
                                                             action_colours(strategy.tokens)))]
    console.print(Columns(grids, padding=(0, 3)))
    if strategy.board and strategy.buckets is not None:
        console.print(bucket_table(strategy))
    if hands:
        console.print(hand_table(strategy))
