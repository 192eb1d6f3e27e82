"""Evaluation of policies: exact best response, NashConv and exploitability."""

from .exploitability import exploitability, game_values, nash_conv, uniform_policy

__all__ = ["exploitability", "game_values", "nash_conv", "uniform_policy"]
