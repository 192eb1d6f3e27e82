"""The browser app of ``holdem serve``: play the bot, walk its strategy, look at training runs.

:func:`~holdem.web.app.create_app` builds the FastAPI app; :mod:`holdem.web.games` holds the
games (one per tab, bounded and expiring), :mod:`holdem.web.strategy` the strategy page's nodes
and :mod:`holdem.web.runs` the runs page's curves.  The pages are static files in ``static/``.
"""
