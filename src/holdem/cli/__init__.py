"""Command-line entry points: one thin module per command, ``python -m holdem.cli.<name>``."""
