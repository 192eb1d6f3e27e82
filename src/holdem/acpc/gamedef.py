"""ACPC game definition files (the format of project_acpc_server's ``game.c``) and the engine table
they describe.

A definition is a block from ``GAMEDEF`` to ``END GAMEDEF``: the betting type (``nolimit`` or
``limit``) and ``key = values`` lines, keys in any case (``numPlayers``, ``numRounds``, ``stack``,
``blind``, ``raiseSize``, ``firstPlayer``, ``maxRaises``, ``numSuits``, ``numRanks``,
``numHoleCards``, ``numBoardCards``); lines starting with ``#`` are comments.  Values per player
are in seat order; ``firstPlayer`` counts seats from 1 in the file and from 0 here.  As in
``game.c``, a game is limit unless it says ``nolimit`` and seat 1 acts first unless ``firstPlayer``
says otherwise; unlike it, an unknown key is an error rather than ignored.

>>> game = GameDef.load(SHIPPED)
>>> game.num_players, game.stacks, game.blinds, game.first_player
(2, (20000, 20000), (100, 50), (1, 0, 0, 0))
>>> rules = game.rules()           # reverse blinds: seat 1 is the button and posts the small blind
>>> rules.button, rules.small_blind_seat, rules.big_blind_seat, rules.big_blind
(1, 1, 0, 100)
>>> GameDef.parse("GAMEDEF\\nnolimit\\nnumPlayers = 2\\nante = 5\\n", "my.game")
Traceback (most recent call last):
    ...
holdem.acpc.gamedef.GameDefError: my.game, line 4: unknown key 'ante' in 'ante = 5'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from holdem.cards import NUM_RANKS
from holdem.engine import MAX_PLAYERS, Rules

#: the game definition shipped with holdem (heads-up no-limit, 200 big blinds, reverse blinds)
SHIPPED = "holdem.nolimit.2p.reverse_blinds.game"
MAX_ROUNDS = 4
_LINE = re.compile(r"([A-Za-z]+)\s*(?:=\s*(.*?))?\s*$")
# key (lower case) -> (field, how many values: "player" | "round" | "one")
_KEYS = {
    "numplayers": ("num_players", "one"), "numrounds": ("num_rounds", "one"), "stack": ("stacks", "player"),
    "blind": ("blinds", "player"), "raisesize": ("raise_sizes", "round"), "firstplayer": ("first_player", "round"),
    "maxraises": ("max_raises", "round"), "numsuits": ("num_suits", "one"), "numranks": ("num_ranks", "one"),
    "numholecards": ("num_hole_cards", "one"), "numboardcards": ("num_board_cards", "round"),
}
_REQUIRED = ("num_players", "num_rounds", "blinds", "num_suits", "num_ranks", "num_hole_cards", "num_board_cards")
#: what the engine deals: four rounds, a 52-card deck, two hole cards, a 3-1-1 board
_HOLDEM = {"num_rounds": 4, "num_suits": 4, "num_ranks": NUM_RANKS, "num_hole_cards": 2,
           "num_board_cards": (0, 3, 1, 1)}


class GameDefError(ValueError):
    """A game definition that cannot be read or played; the message names the file (and the line)."""


@dataclass(frozen=True)
class GameDef:
    """One ACPC game: ``betting`` is ``"nolimit"`` or ``"limit"``; per-seat ``stacks`` and ``blinds``;
    per-round ``first_player`` (seats from 0), ``raise_sizes`` (limit only), ``max_raises`` (None:
    no cap) and ``num_board_cards``; ``source`` names the file in messages."""

    source: str
    betting: str
    num_players: int
    num_rounds: int
    stacks: tuple[int, ...]
    blinds: tuple[int, ...]
    first_player: tuple[int, ...]
    num_suits: int
    num_ranks: int
    num_hole_cards: int
    num_board_cards: tuple[int, ...]
    raise_sizes: tuple[int, ...] | None = None
    max_raises: tuple[int, ...] | None = None

    @classmethod
    def load(cls, path: str | Path) -> GameDef:
        """Read a game definition file, or one shipped with holdem by its name (:data:`SHIPPED`)."""
        path = Path(path)
        if not path.exists() and path.name == str(path) and (shipped := _shipped(path.name)) is not None:
            return cls.parse(shipped, path.name)
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError as e:
            raise GameDefError(f"cannot read game definition {path}: {e.strerror or e}") from None
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, source: str = "<game definition>") -> GameDef:
        """The game of definition ``text``; any defect raises :class:`GameDefError` naming ``source``
        and the line at fault."""
        values: dict[str, object] = {}
        started = ended = False
        where = source
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{source}, line {number}"
            lower = " ".join(line.lower().split())
            if lower == "gamedef":
                started = True
                continue
            if not started:
                raise GameDefError(f"{where}: expected GAMEDEF before {raw!r}")
            if lower == "end gamedef":
                ended = True
                break
            if lower in ("nolimit", "limit"):
                if "betting" in values:
                    raise GameDefError(f"{where}: a second betting type in {raw!r}")
                values["betting"] = lower
                continue
            match = _LINE.fullmatch(line)
            key = match.group(1).lower() if match else ""
            if key not in _KEYS:
                what = f"unknown key {match.group(1)!r}" if match else "not a 'key = values' line"
                raise GameDefError(f"{where}: {what} in {raw!r}")
            if match.group(2) is None or not re.fullmatch(r"\d+(\s+\d+)*", match.group(2)):
                raise GameDefError(f"{where}: {match.group(1)} needs whole numbers after '=' in {raw!r}")
            field, count = _KEYS[key]
            numbers = tuple(int(v) for v in match.group(2).split())
            if count == "one" and len(numbers) != 1:
                raise GameDefError(f"{where}: {match.group(1)} takes one number in {raw!r}")
            values[field] = numbers[0] if count == "one" else numbers
        if not started:
            raise GameDefError(f"{source}: no GAMEDEF block")
        if not ended:
            raise GameDefError(f"{source}: the GAMEDEF block has no END GAMEDEF")
        return cls._checked(source, values)

    @classmethod
    def _checked(cls, source: str, values: dict[str, object]) -> GameDef:
        """The game of parsed ``values``, their counts and ranges checked (as ``game.c`` bounds them)."""
        values.setdefault("betting", "limit")  # game.c's defaults: limit betting, seat 1 first
        missing = [field for field in _REQUIRED if field not in values]
        if values.get("betting") == "nolimit" and "stacks" not in values:
            missing.append("stacks")
        if values.get("betting") == "limit" and "raise_sizes" not in values:
            missing.append("raise_sizes")
        if missing:
            raise GameDefError(f"{source}: missing {', '.join(_key_name(m) for m in missing)}")
        players, rounds = values["num_players"], values["num_rounds"]
        values.setdefault("first_player", (1,) * rounds)
        if not 2 <= players <= MAX_PLAYERS:
            raise GameDefError(f"{source}: numPlayers must be 2..{MAX_PLAYERS}, got {players}")
        if not 1 <= rounds <= MAX_ROUNDS:
            raise GameDefError(f"{source}: numRounds must be 1..{MAX_ROUNDS}, got {rounds}")
        for field, count in (fc for fc in _KEYS.values() if fc[1] != "one"):
            expected = players if count == "player" else rounds
            if field in values and len(values[field]) != expected:
                raise GameDefError(f"{source}: {_key_name(field)} needs {expected} values "
                                   f"(one per {count}), got {len(values[field])}")
        if not all(1 <= p <= players for p in values["first_player"]):
            raise GameDefError(f"{source}: firstPlayer counts seats from 1 to {players}, got {values['first_player']}")
        if not (1 <= values["num_suits"] <= 4 and 1 <= values["num_ranks"] <= NUM_RANKS):
            raise GameDefError(f"{source}: a deck has 1..4 suits and 1..{NUM_RANKS} ranks, got "
                               f"{values['num_suits']} and {values['num_ranks']}")
        dealt = players * values["num_hole_cards"] + sum(values["num_board_cards"])
        if dealt > values["num_suits"] * values["num_ranks"]:
            raise GameDefError(f"{source}: {dealt} cards are dealt from a deck of "
                               f"{values['num_suits'] * values['num_ranks']}")
        values["first_player"] = tuple(p - 1 for p in values["first_player"])
        return cls(source=source, **values)

    def rules(self) -> Rules:
        """The engine's table for this game (seats as the game's), or :class:`GameDefError` when the
        game is not the no-limit hold'em the engine plays: a 52-card deck, 2 hole cards, a 3-1-1 board,
        no raise cap, equal stacks, a small and a big blind on consecutive seats (heads-up: the big blind on the
        seat after the small blind's), and the first players the blinds imply."""
        refuse = f"{self.source}: the engine does not play this game:"
        if self.betting != "nolimit":
            raise GameDefError(f"{refuse} {self.betting} betting (only nolimit)")
        for field, wanted in _HOLDEM.items():
            if getattr(self, field) != wanted:
                raise GameDefError(f"{refuse} {_key_name(field)} {_text(getattr(self, field))} (hold'em has {_text(wanted)})")
        if self.max_raises is not None:
            raise GameDefError(f"{refuse} maxRaises {_text(self.max_raises)} (no-limit without a raise cap only)")
        if len(set(self.stacks)) > 1:  # with equal stacks the engine's rules are the official dealer's
            raise GameDefError(f"{refuse} stack {_text(self.stacks)} (equal stacks only)")
        n = self.num_players
        posting = [seat for seat, blind in enumerate(self.blinds) if blind]
        smalls = [s for s in posting if len(posting) == 2 and (s + 1) % n in posting
                  and self.blinds[s] <= self.blinds[(s + 1) % n]]
        if not smalls:
            raise GameDefError(f"{refuse} blind {_text(self.blinds)} (a small blind, then a big blind on the next seat)")
        tables = [(small, _openers(small, n)) for small in smalls]
        small, first = next((t for t in tables if t[1] == self.first_player), tables[0])
        if self.first_player != first:
            raise GameDefError(f"{refuse} firstPlayer {_text(p + 1 for p in self.first_player)} "
                               f"(these blinds open with seats {_text(p + 1 for p in first)})")
        big = (small + 1) % n
        button = small if n == 2 else (small - 1) % n
        return Rules(self.stacks, self.blinds[small], self.blinds[big], 0, button)


def _openers(small: int, n: int) -> tuple[int, ...]:
    """The first seat to act in each round when seat ``small`` posts the small blind (heads-up it is
    the button and opens preflop; otherwise the seat after the big blind opens preflop and the small
    blind later rounds)."""
    big = (small + 1) % n
    return (small if n == 2 else (big + 1) % n,) + ((big if n == 2 else small),) * 3


def _key_name(field: str) -> str:
    """The file's spelling of a field: ``num_board_cards`` -> ``numBoardCards``."""
    spelled = {"stacks": "stack", "blinds": "blind", "raise_sizes": "raiseSize"}
    if field in spelled:
        return spelled[field]
    head, *rest = field.split("_")
    return head + "".join(word.capitalize() for word in rest)


def _text(values: object) -> str:
    return " ".join(map(str, values)) if not isinstance(values, int) else str(values)


def _shipped(name: str) -> str | None:
    """The text of a game definition shipped in ``holdem/acpc/games``, or None."""
    entry = resources.files("holdem.acpc").joinpath("games", name)
    return entry.read_text() if entry.is_file() else None
