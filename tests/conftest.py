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


@pytest.fixture
def distinct_seeds(monkeypatch):
    """``watch(module)``: make ``module.derive_seed`` fail the test when two different lists of parts
    give one seed; returns the seeds it has given (seed: parts), filled as the module runs."""
    from holdem.eval.parallel import derive_seed

    seen: dict[int, tuple[int, ...]] = {}

    def recording(*parts: int) -> int:
        seed = derive_seed(*parts)
        assert seen.setdefault(seed, parts) == parts, f"{parts} and {seen[seed]} share a seed"
        return seed

    def watch(module):
        monkeypatch.setattr(module, "derive_seed", recording)
        return seen

    return watch
