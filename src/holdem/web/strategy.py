"""The strategy page's data: one decision of a policy, per hand class, as JSON the page draws.

The node is the one ``holdem show`` and ``holdem export`` name with the same ``history`` and
``board`` (:func:`holdem.views.parse_history`), computed by :func:`holdem.views.node_strategy`;
its exports are byte for byte those of ``holdem export`` for that node.  Each action comes with
the history its click leads to and how many board cards the next street needs, so the page can
walk the betting tree without knowing the rules.  Nodes are computed once per spelling of their
history and board and kept as the JSON they are sent as (least recently used first out), since
a page goes back and forth over the same few.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

import numpy as np

from holdem.agents.base import Agent
from holdem.cards import format_card, parse_cards
from holdem.engine import Rules
from holdem.views.charts import action_colours
from holdem.views.export import BY, node_record, to_csv, to_json
from holdem.views.hands import CLASS_NAMES, COMBOS
from holdem.views.history import HistoryError, parse_history, play_token
from holdem.views.strategy import NodeStrategy, node_strategy

FORMATS = ("json", "csv")


class StrategyError(ValueError):
    """A node that cannot be shown (a bad history or board); the message says which and why."""


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgb)


def _floats(values: np.ndarray) -> list[float | None]:
    return [None if np.isnan(v) else round(float(v), 6) for v in values]


class StrategyPages:
    """Nodes of ``agent`` (with a policy) playing ``rules``, keeping the last ``cache_size`` of them."""

    def __init__(self, agent: Agent, rules: Rules, cache_size: int = 256) -> None:
        if not agent.has_policy:
            raise ValueError(f"{agent.name} only samples its actions: it has no strategy to show")
        self.agent, self.rules, self.cache_size = agent, rules, cache_size
        self._nodes: OrderedDict[tuple[str, str], tuple[NodeStrategy, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def _node(self, history: str, board: str) -> tuple[NodeStrategy, bytes]:
        with self._lock:
            found = self._nodes.get((history, board))
            if found is not None:
                self._nodes.move_to_end((history, board))
                return found
        try:
            cards = parse_cards(board) if board.strip() else []
        except ValueError as error:
            raise StrategyError(f"board {board!r}: {error}") from None
        try:
            state, tokens = parse_history(self.rules, history, cards)
        except HistoryError as error:
            value = board if error.setting == "board" else history
            raise StrategyError(f"{error.setting} {value!r}: {error}") from None
        with self._lock:
            strategy = node_strategy(self.agent, state, "".join(tokens))
            entry = (strategy, json.dumps(self._page(strategy, state), separators=(",", ":")).encode())
            self._nodes[(history, board)] = entry
            while len(self._nodes) > self.cache_size:
                self._nodes.popitem(last=False)
            return entry

    @staticmethod
    def _page(strategy: NodeStrategy, state) -> dict:
        record = node_record(strategy)
        actions = []
        for action, colour in zip(record["actions"], action_colours(strategy.tokens)):
            child = state.copy()
            play_token(child, action["token"])
            ends_street = not child.is_over and child.street != state.street
            actions.append({**action, "colour": _hex(colour),
                            "next": {"history": strategy.history + action["token"] + ("/" if ends_street else ""),
                                     "terminal": child.is_over,
                                     "board_cards": child.street.board_size - len(state.board) if ends_street else 0}})
        probs = strategy.class_probs()
        return {"history": strategy.history, "title": strategy.title, "player": strategy.position,
                "seat": strategy.seat, "street": record["street"], "board": [format_card(c) for c in strategy.board],
                "pot": strategy.pot, "to_call": strategy.to_call, "actions": actions, "classes": list(CLASS_NAMES),
                "reach": _floats(strategy.class_reach()), "probs": [_floats(column) for column in probs.T],
                "combos": (COMBOS & strategy.live[None, :]).sum(axis=1).tolist()}

    def page(self, history: str = "", board: str = "") -> bytes:
        """The node ``history`` and ``board`` lead to, for the page, as JSON (see ``docs/web.md``);
        raises :class:`StrategyError` for a bad history or board."""
        return self._node(history, board)[1]

    def export(self, history: str = "", board: str = "", fmt: str = "json", by: str = "class") -> str:
        """The node as ``holdem export`` writes it, in format ``fmt`` grouped ``by``."""
        if fmt not in FORMATS:
            raise StrategyError(f"format {fmt!r}: choose from {', '.join(FORMATS)}")
        if by not in BY:
            raise StrategyError(f"by {by!r}: choose from {', '.join(BY)}")
        strategy = self._node(history, board)[0]
        if by == "bucket" and strategy.buckets is None:
            raise StrategyError("by 'bucket': this policy has no buckets; export by class or by hand")
        return (to_json if fmt == "json" else to_csv)([strategy], by)
