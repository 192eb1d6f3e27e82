"""Blueprint training: bit-for-bit resume, workers, lazy tables, signals and one-line input errors."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from holdem.abstraction import buckets as bk
from holdem.cli import train_blueprint
from holdem.training import files
from holdem.training.config import TrainConfig
from holdem.training.tables import estimate
from holdem.training.trainer import CHECKPOINT, RunError, Trainer, find_checkpoint

SMALL = {"stack": 2000, "sizing": {"preflop": [[1.0]], "flop": [[1.0]], "turn": [[1.0]], "river": [[1.0]],
                                   "max_raises_per_street": 2},
         "tensorboard": False, "batch_size": 500, "discount_interval": 1000, "discount_until": 4000,
         "prune_after": 2000, "prune_probability": 0.5, "seed": 3}


@pytest.fixture(scope="module")
def tiny_buckets():
    return train_blueprint.default_buckets(2, Console(stderr=True))


def _train(tmp, buckets, resume=None, **settings):
    config = TrainConfig.model_validate({**SMALL, **settings})
    trainer = Trainer(config, buckets, tmp, resume, Console(file=open(os.devnull, "w")), show_progress=False)
    trainer.run()
    return trainer


def _final_tables(logdir):
    arrays, manifest = files.load(find_checkpoint(logdir), CHECKPOINT)
    return arrays, manifest


def test_resume_is_bit_for_bit(tmp_path, tiny_buckets):
    _train(tmp_path / "straight", tiny_buckets, iters=5000)
    _train(tmp_path / "split", tiny_buckets, iters=2300)
    _train(tmp_path / "split", tiny_buckets, resume=tmp_path / "split", iters=2700)
    a, ma = _final_tables(tmp_path / "straight")
    b, mb = _final_tables(tmp_path / "split")
    assert ma["iterations"] == mb["iterations"] == 5000
    for name in ("offsets", "regrets", "strategy_sum", "rng"):
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    assert np.count_nonzero(a["regrets"]) > 1000


def test_two_workers_share_one_table(tmp_path, tiny_buckets):
    one = _train(tmp_path / "w1", tiny_buckets, iters=4000, num_workers=1)
    two = _train(tmp_path / "w2", tiny_buckets, iters=4000, num_workers=2)
    assert two.iterations == 4000 and two.rng.shape == (2, 4)
    assert two.tables.regrets.nbytes == one.tables.regrets.nbytes
    lines = (tmp_path / "w2" / "metrics.jsonl").read_text().splitlines()
    assert '"workers": 2' in lines[-1] and '"entropy_river"' in lines[-1]


def test_resume_with_other_worker_count(tmp_path, tiny_buckets):
    _train(tmp_path, tiny_buckets, iters=1000, num_workers=1)
    trainer = _train(tmp_path, tiny_buckets, resume=tmp_path, iters=1000, num_workers=2)
    assert trainer.iterations == 2000


def test_lazy_tables_allocate_on_visit_and_report_a_full_pool(tmp_path, tiny_buckets):
    lazy = _train(tmp_path / "lazy", tiny_buckets, iters=20, lazy="always", batch_size=10)
    assert lazy.tables.lazy and 0 < lazy.tables.allocated_entries() < lazy.tables.regrets.size
    assert 0 < int((lazy.tables.node_offset >= 0).sum()) < lazy.tree.num_decisions
    est = estimate(lazy.tree, lazy.num_buckets, ("preflop",), sum(a.nbytes for a in lazy.buckets.arrays))
    with pytest.raises(RunError, match="pool is full"):
        _train(tmp_path / "full", tiny_buckets, iters=2000, lazy="always", max_memory=est.fixed_bytes + 4000)
    assert list((tmp_path / "full" / "checkpoints").glob("*.npz"))


def test_resume_refuses_another_buckets_file(tmp_path, tiny_buckets):
    _train(tmp_path / "run", tiny_buckets, iters=500)
    other = bk.load(tiny_buckets)
    other.manifest["seed"] = 12345
    bk.save(other, tmp_path / "other.npz")
    with pytest.raises(RunError, match="another buckets file"):
        _train(tmp_path / "run", tmp_path / "other.npz", resume=tmp_path / "run", iters=10)


@pytest.mark.parametrize("args, message", [
    (["--buckets", "{tmp}/missing.npz"], "cannot read"),
    (["--buckets", "{tmp}/corrupt.npz"], "not a buckets file"),
    (["--num-players", "3"], "was built for 2 players"),
    (["--config", "{tmp}/bad.yaml"], "unknown key 'learning_rate'"),
    (["--time-budget", "-5"], "time_budget: Input should be greater than 0"),
    (["--logdir", "{tmp}/corrupt.npz/run"], "not writable"),
    (["--resume-from", "{tmp}/corrupt.npz"], "not a holdem-checkpoint file"),
    (["--max-memory", "1M"], "more than the 1.0 MiB allowed"),
    (["--max-memory", "1M", "--fresh-cache"], "more than the 1.0 MiB allowed"),
])
def test_bad_input_is_one_line(tmp_path, tiny_buckets, capsys, monkeypatch, args, message):
    if "--fresh-cache" in args:  # no cached betting tree: the limit stops the tree's construction
        args = [a for a in args if a != "--fresh-cache"]
        monkeypatch.setenv("HOLDEM_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "corrupt.npz").write_bytes(b"garbage")
    (tmp_path / "bad.yaml").write_text("iters: 10\nlearning_rate: 0.1\n")
    argv = [a.format(tmp=tmp_path) for a in args]
    if "--buckets" not in argv:
        argv += ["--buckets", str(tiny_buckets)]
    if "--logdir" not in argv:
        argv += ["--logdir", str(tmp_path / "run")]
    assert train_blueprint.main(argv + ["--iters", "10", "--no-progress"]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("train_blueprint: error:") and message in errors[0], err
    assert "Traceback" not in err


def test_sigint_writes_a_checkpoint_and_exits_cleanly(tmp_path, tiny_buckets):
    cmd = [sys.executable, "-m", "holdem.cli.train_blueprint", "--buckets", str(tiny_buckets), "--logdir",
           str(tmp_path), "--time-budget", "120", "--no-progress", "--no-tensorboard"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 90
    while not (tmp_path / "metrics.jsonl").exists() and time.time() < deadline:
        time.sleep(0.5)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "interrupted" in err and "Traceback" not in err
    checkpoint = find_checkpoint(tmp_path)
    _, manifest = files.load(checkpoint, CHECKPOINT)
    assert manifest["iterations"] > 0 and Path(tmp_path / "blueprint.npz").exists()


@pytest.mark.parametrize("name", ["blueprint_training_5h", "blueprint_training_5h_parallel", "6max_training",
                                  "quickstart"])
def test_shipped_configs_validate(name):
    from holdem.training.config import load_yaml, resolve
    root = Path(__file__).resolve().parents[1]
    config = resolve(load_yaml(root / "configs" / f"{name}.yaml"), name)
    assert config.time_budget and config.game().num_players == config.num_players


def test_flags_override_config_and_absent_flags_do_not(tmp_path, tiny_buckets):
    (tmp_path / "c.yaml").write_text("iters: 300\nseed: 9\nbatch-size: 100\ntensorboard: false\n")
    assert train_blueprint.main(["--config", str(tmp_path / "c.yaml"), "--buckets", str(tiny_buckets),
                                 "--logdir", str(tmp_path / "run"), "--iters", "200", "--no-progress"]) == 0
    written = (tmp_path / "run" / "config.yaml").read_text()
    assert "iters: 200" in written and "seed: 9" in written and "batch_size: 100" in written
    _, manifest = files.load(find_checkpoint(tmp_path / "run"), CHECKPOINT)
    assert manifest["iterations"] == 200


@pytest.mark.slow
def test_six_players_train_lazily(tmp_path):
    """The 6-max config end to end on the tiny 6-player abstraction, tables allocated lazily."""
    from holdem.training.config import load_yaml
    root = Path(__file__).resolve().parents[1]
    buckets = train_blueprint.default_buckets(6, Console(stderr=True))
    settings = {**load_yaml(root / "configs" / "6max_training.yaml"), "time_budget": None, "iters": 3000,
                "num_workers": 2, "lazy": "always", "tensorboard": False}
    trainer = Trainer(TrainConfig.model_validate(settings), buckets, tmp_path,
                      console=Console(file=open(os.devnull, "w")), show_progress=False)
    line = trainer.run()
    assert trainer.tables.lazy and line["infosets_touched"] > 0
    assert 0 < trainer.tables.allocated_entries() < trainer.tables.regrets.size


def test_kill_9_leaves_the_previous_checkpoint_intact(tmp_path, tiny_buckets):
    cmd = [sys.executable, "-m", "holdem.cli.train_blueprint", "--buckets", str(tiny_buckets), "--logdir",
           str(tmp_path), "--time-budget", "120", "--checkpoint-interval", "0.3", "--batch-size", "200",
           "--no-progress", "--no-tensorboard"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while len(list((tmp_path / "checkpoints").glob("checkpoint-*.npz"))) < 2 and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(1.3)
    proc.kill()
    proc.wait()
    found = list((tmp_path / "checkpoints").glob("checkpoint-*.npz"))
    assert found
    for path in found:
        files.load(path, CHECKPOINT)
