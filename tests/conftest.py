"""Fixtures shared by test modules: one small heads-up blueprint run, trained once per session."""

import pytest

from holdem.abstraction.presets import tiny_buckets
from holdem.training.config import TrainConfig
from holdem.training.trainer import Trainer

SMALL_RUN = {"stack": 2000, "sizing": {"preflop": [[1.0]], "flop": [[1.0]], "turn": [[1.0]], "river": [[1.0]],
                                       "max_raises_per_street": 2},
             "tensorboard": False, "batch_size": 2000, "iterations": 20_000, "seed": 5,
             "metrics_interval": 0.01, "snapshot_interval": 0.01}
"""A pot-sized bet abstraction on 20-big-blind stacks, 20,000 iterations over the tiny buckets, with
metrics lines and snapshots as often as rounds allow."""


@pytest.fixture(scope="session")
def small_run(tmp_path_factory):
    """The run directory of :data:`SMALL_RUN` (read-only for tests)."""
    logdir = tmp_path_factory.mktemp("small_run")
    Trainer(TrainConfig.model_validate(SMALL_RUN), tiny_buckets(2), logdir).run()
    return logdir


@pytest.fixture
def cli_error(capsys):
    """``run(main, args)``: a command's exit status and standard error, run in this process (argparse's
    refusals exit, the command's own errors return 2; anything else raises, so a traceback fails)."""

    def run(main, args):
        try:
            status = main(list(args))
        except SystemExit as e:
            status = e.code
        return status, capsys.readouterr().err

    return run
