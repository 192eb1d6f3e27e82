"""The one exception the engine raises for a refused action."""


class IllegalActionError(ValueError):
    """An action the rules do not allow now; the message names the reason, e.g. ``raise to 250 is
    below the minimum raise to 300``."""
