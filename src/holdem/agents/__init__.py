"""Agents: one protocol, ``act(view) -> Decision``, for blueprint, baseline, human and remote players."""

from holdem.agents.view import Decision, DecisionKind, SeatView

__all__ = ["Decision", "DecisionKind", "SeatView"]
