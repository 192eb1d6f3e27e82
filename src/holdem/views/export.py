"""Strategies as JSON or CSV, per hand class (``AA``, ``AKs``, ``72o``), per hand or per bucket.

A JSON export is ``{"by": ..., "nodes": [node, ...]}``; a node gives its ``history`` (the betting
notation of :mod:`holdem.views.history`), ``player``, ``seat``, ``street``, ``board``, ``pot``,
``to_call``, its ``actions`` (``token``, ``label`` and the range's ``frequency``) and ``rows``.
A row holds its key (``hand`` and ``combos`` per class; ``hand``, ``class`` and ``bucket`` per
hand; ``bucket``, ``hands`` and ``in_range`` per bucket), the player's ``reach`` and one
probability per action token.  A CSV export has one line per row of every node, with the node's
``history`` first and a column per action token of any node (empty where a node lacks it).
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from holdem.agents.base import Agent
from holdem.agents.equity import HOLES
from holdem.cards import format_cards
from holdem.engine import State

from .hands import CLASS_NAMES, COMBOS, HOLE_CLASS
from .history import play_token
from .strategy import NodeStrategy, node_strategy

BY = ("class", "hand", "bucket")


def rows(strategy: NodeStrategy, by: str = "class") -> list[dict]:
    """The rows of ``strategy`` ``by`` class, hand or bucket (see the module docstring)."""
    tokens = strategy.tokens
    if by == "class":
        probs, reach = strategy.class_probs(), strategy.class_reach()
        combos = (COMBOS & strategy.live[None, :]).sum(axis=1)
        return [{"hand": CLASS_NAMES[c], "combos": int(combos[c]), "reach": float(reach[c]),
                 **dict(zip(tokens, map(float, probs[c])))} for c in range(len(CLASS_NAMES)) if combos[c]]
    if by == "hand":
        out = []
        for i in np.flatnonzero(strategy.live).tolist():
            row = {"hand": format_cards(HOLES[i].tolist()), "class": CLASS_NAMES[HOLE_CLASS[i]]}
            if strategy.buckets is not None:
                row["bucket"] = int(strategy.buckets[i])
            out.append({**row, "reach": float(strategy.reach[i]), **dict(zip(tokens, map(float, strategy.probs[i])))})
        return out
    if by == "bucket":
        if strategy.buckets is None:
            raise ValueError("this agent has no buckets: export by class or by hand")
        return [{"bucket": b, "hands": n, "in_range": w, **dict(zip(tokens, map(float, p)))}
                for b, n, w, p in strategy.bucket_table()]
    raise ValueError(f"unknown grouping {by!r}; choose from {', '.join(BY)}")


def node_record(strategy: NodeStrategy, by: str = "class") -> dict:
    """One node of a JSON export."""
    return {"history": strategy.history, "player": strategy.position, "seat": strategy.seat,
            "street": strategy.street.name.lower(), "board": format_cards(strategy.board), "pot": strategy.pot,
            "to_call": strategy.to_call,
            "actions": [{"token": t, "label": label, "frequency": float(f)}
                        for t, label, f in zip(strategy.tokens, strategy.labels, strategy.mix())],
            "rows": rows(strategy, by)}


def to_json(strategies: list[NodeStrategy], by: str = "class") -> str:
    """The JSON export of ``strategies``."""
    return json.dumps({"by": by, "nodes": [node_record(s, by) for s in strategies]}, indent=1) + "\n"


def to_csv(strategies: list[NodeStrategy], by: str = "class") -> str:
    """The CSV export of ``strategies``."""
    tables = [(s.history, rows(s, by)) for s in strategies]
    tokens = list(dict.fromkeys(t for s in strategies for t in s.tokens))
    keys = [k for k in tables[0][1][0] if k not in tokens] if tables and tables[0][1] else []
    out = io.StringIO()
    writer = csv.DictWriter(out, ["history", *keys, *tokens], restval="", lineterminator="\n")
    writer.writeheader()
    for history, table in tables:
        for row in table:
            writer.writerow({"history": history, **row})
    return out.getvalue()


def subtree(agent: Agent, state: State, history: str, depth: int) -> list[NodeStrategy]:
    """The strategy at ``state`` and, ``depth`` decisions deep, at every decision its actions lead
    to on the same street (the next street's cards are not known here), depth first."""
    node = node_strategy(agent, state, history)
    found = [node]
    if depth > 0:
        for token in node.tokens:
            child = state.copy()
            play_token(child, token)
            if not child.is_over and child.street == state.street:
                found += subtree(agent, child, history + token, depth - 1)
    return found
