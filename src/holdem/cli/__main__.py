"""The ``holdem`` console script: ``holdem <command> [args]`` runs ``python -m holdem.cli.<command>``
(a module with ``main(argv: list[str] | None) -> int``; its docstring's first line is its help)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import holdem
import holdem.cli


def available_commands() -> dict[str, str]:
    """Command name -> the first line of its module's docstring, for the modules of ``holdem.cli``
    (read without importing them)."""
    commands = {}
    for m in pkgutil.iter_modules(holdem.cli.__path__):
        if not m.name.startswith("_") and m.name != "common":
            doc = ast.get_docstring(ast.parse((Path(m.module_finder.path) / f"{m.name}.py").read_text())) or ""
            commands[m.name] = doc.split("\n")[0]
    return dict(sorted(commands.items()))


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``argv[0]`` to its command module; ``--help`` lists the commands, ``--version`` the version."""
    argv = sys.argv[1:] if argv is None else argv
    commands = available_commands()
    if argv[:1] == ["--version"]:
        print(f"holdem {holdem.__version__}")
        return 0
    if not argv or argv[0] in ("-h", "--help"):
        width = max(map(len, commands))
        print("usage: holdem <command> [args]    (holdem <command> --help for its flags)\n\ncommands:")
        print("\n".join(f"  {name:<{width}}  {doc}" for name, doc in commands.items()))
        return 0 if argv else 2
    name = argv[0].replace("-", "_")
    if name not in commands:
        print(f"holdem: error: unknown command {argv[0]!r}; choose from: {', '.join(commands)}", file=sys.stderr)
        return 2
    return importlib.import_module(f"holdem.cli.{name}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
