"""Views of a trained strategy: 13x13 hand-class charts, strategy export, training curves."""

from .hands import CLASS_INDEX, CLASS_NAMES, class_of
from .history import HistoryError, parse_history
from .strategy import NodeStrategy, node_strategy

__all__ = ["CLASS_INDEX", "CLASS_NAMES", "HistoryError", "NodeStrategy", "class_of", "node_strategy",
           "parse_history"]
