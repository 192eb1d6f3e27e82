"""Blueprint training: external-sampling MCCFR on real hold'em over the card and action abstraction.

Kernels in :mod:`.kernels`, tables in :mod:`.tables`, files in :mod:`.files`, the run loop in
:mod:`.trainer`; the command line is :mod:`holdem.cli.train_blueprint`.
"""
