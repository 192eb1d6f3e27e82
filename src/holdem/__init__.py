"""holdem: a Texas Hold'em AI toolkit (evaluator, rules engine, CFR solvers, abstraction)."""

__version__ = "0.1.0"
