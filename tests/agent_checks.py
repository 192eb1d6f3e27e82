"""Checks that tests of several agents share."""

from holdem.agents.view import DecisionKind


def assert_legal_distribution(view, distribution, tolerance=1e-9):
    """``distribution`` sums to 1 and every decision in it is legal at ``view``."""
    assert abs(sum(p for _, p in distribution) - 1.0) < tolerance
    for decision, _ in distribution:
        if decision.kind == DecisionKind.RAISE:
            assert view.legal.min_raise_to <= decision.amount <= view.legal.max_raise_to
        elif decision.kind == DecisionKind.FOLD:
            assert view.legal.can_fold
