"""The ``holdem`` console script: ``holdem <command> [args]`` runs ``python -m holdem.cli.<command>``.

Each command is a module of this package with a ``main(argv: list[str] | None) -> int`` function.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import holdem.cli


def available_commands() -> list[str]:
    """Names of the command modules in ``holdem.cli`` (those defining ``main``)."""
    return sorted(m.name for m in pkgutil.iter_modules(holdem.cli.__path__) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``argv[0]`` to its command module; print the command list on ``-h`` or a bad name."""
    argv = sys.argv[1:] if argv is None else argv
    commands = available_commands()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: holdem <command> [args]\n\ncommands:\n  " + "\n  ".join(commands))
        return 0 if argv else 2
    name = argv[0].replace("-", "_")
    if name not in commands:
        print(f"holdem: unknown command {argv[0]!r}; choose from: {', '.join(commands)}", file=sys.stderr)
        return 2
    return importlib.import_module(f"holdem.cli.{name}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
