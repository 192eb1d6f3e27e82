"""Small poker games behind the solver's game interface, and their compilation to flat arrays."""

from __future__ import annotations

from functools import lru_cache

from .base import CHANCE_PLAYER, TERMINAL_PLAYER, Game
from .kuhn import KuhnPoker
from .leduc import LeducPoker
from .compiled import FlatTree, GameTree, compile_game

GAMES: dict[str, type] = {"kuhn": KuhnPoker, "leduc": LeducPoker}


@lru_cache(maxsize=None)
def load_tree(name: str) -> GameTree:
    """The compiled tree of a game in :data:`GAMES` by name (cached; treat its arrays as read-only)."""
    if name not in GAMES:
        raise ValueError(f"unknown game {name!r}; choose from {sorted(GAMES)}")
    return compile_game(GAMES[name]())


__all__ = ["CHANCE_PLAYER", "TERMINAL_PLAYER", "Game", "KuhnPoker", "LeducPoker", "FlatTree", "GameTree",
           "compile_game", "load_tree", "GAMES"]
