"""Blueprint training: bit-for-bit resume, workers, lazy tables, signals and one-line input errors."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from holdem.abstraction import buckets as bk
from holdem.abstraction.presets import tiny_buckets as build_tiny
from holdem.cli import train_blueprint
from holdem.training.checkpoint import Checkpoint
from holdem.training.config import TrainConfig
from holdem.training.rundir import RunError
from holdem.training.tables import estimate
from holdem.training.trainer import Trainer

SMALL = {"stack": 2000, "sizing": {"preflop": [[1.0]], "flop": [[1.0]], "turn": [[1.0]], "river": [[1.0]],
                                   "max_raises_per_street": 2},
         "tensorboard": False, "batch_size": 500, "discount_interval": 1000, "discount_until": 4000,
         "prune_after": 2000, "prune_probability": 0.5, "seed": 3}


@pytest.fixture(scope="module")
def tiny_buckets():
    return build_tiny(2)


def _train(tmp, buckets, resume=None, **settings):
    config = TrainConfig.model_validate({**SMALL, **settings})
    trainer = Trainer(config, buckets, tmp, None if resume is None else Checkpoint.load(resume))
    trainer.run()
    return trainer


def _final_tables(logdir):
    checkpoint = Checkpoint.load(logdir)
    return checkpoint.arrays, checkpoint.manifest


def _metrics(logdir):
    return [json.loads(line) for line in (logdir / "metrics.jsonl").read_text().splitlines()]


def test_resume_is_bit_for_bit(tmp_path, tiny_buckets):
    _train(tmp_path / "straight", tiny_buckets, iterations=5000)
    _train(tmp_path / "split", tiny_buckets, iterations=2300)
    _train(tmp_path / "split", tiny_buckets, resume=tmp_path / "split", iterations=2700)
    a, ma = _final_tables(tmp_path / "straight")
    b, mb = _final_tables(tmp_path / "split")
    assert ma["iterations"] == mb["iterations"] == 5000
    for name in ("offsets", "regrets", "strategy_sum", "rng"):
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    assert np.count_nonzero(a["regrets"]) > 1000


def test_two_workers_share_one_table(tmp_path, tiny_buckets):
    one = _train(tmp_path / "w1", tiny_buckets, iterations=4000, num_workers=1)
    two = _train(tmp_path / "w2", tiny_buckets, iterations=4000, num_workers=2)
    assert two.iterations == 4000 and two.rng.shape == (2, 4)
    assert two.visits.min() > 0.4 * two.visits.max()  # both workers traversed, about equally
    assert two.tables.arrays.regrets.nbytes == one.tables.arrays.regrets.nbytes  # one table, not one per worker
    lines = _metrics(tmp_path / "w2")
    assert lines[-1]["workers"] == 2 and "entropy_river" in lines[-1]
    assert lines[-1]["infosets_touched"] > 0.9 * _metrics(tmp_path / "w1")[-1]["infosets_touched"]


def test_last_metrics_line_is_not_a_repeat(tmp_path, tiny_buckets):
    _train(tmp_path, tiny_buckets, iterations=3000, metrics_interval=1e-9)
    lines = _metrics(tmp_path)
    assert [line["iterations"] for line in lines] == sorted({line["iterations"] for line in lines})
    assert lines[-1]["iters_per_s"] > 0


def test_resume_with_other_worker_count(tmp_path, tiny_buckets):
    _train(tmp_path, tiny_buckets, iterations=1000, num_workers=1)
    trainer = _train(tmp_path, tiny_buckets, resume=tmp_path, iterations=1000, num_workers=2)
    assert trainer.iterations == 2000


def test_lazy_tables_allocate_on_visit_and_report_a_full_pool(tmp_path, tiny_buckets):
    lazy = _train(tmp_path / "lazy", tiny_buckets, iterations=20, lazy="always", batch_size=10)
    assert lazy.tables.lazy and 0 < lazy.tables.allocated_entries() < lazy.tables.arrays.regrets.size
    assert 0 < int((lazy.tables.arrays.node_offset >= 0).sum()) < lazy.tree.num_decisions
    est = estimate(lazy.tree, lazy.num_buckets, ("preflop",), sum(a.nbytes for a in lazy.buckets.arrays))
    with pytest.raises(RunError, match="pool is full"):
        _train(tmp_path / "full", tiny_buckets, iterations=2000, lazy="always", max_memory=est.fixed_bytes + 4000)
    assert list((tmp_path / "full" / "checkpoints").glob("*.npz"))


def test_resume_refuses_another_buckets_file_and_writes_nothing(tmp_path, tiny_buckets):
    run = tmp_path / "run"
    _train(run, tiny_buckets, iterations=500)
    other = bk.load(tiny_buckets)
    other.manifest["seed"] = 12345
    bk.save(other, tmp_path / "other.npz")
    before = {p: p.read_bytes() for p in run.rglob("*") if p.is_file()}
    with pytest.raises(RunError, match=f"{tiny_buckets}.*other.npz differs"):
        _train(run, tmp_path / "other.npz", resume=run, iterations=10, seed=77)
    assert {p: p.read_bytes() for p in run.rglob("*") if p.is_file()} == before


def test_resume_drops_metrics_past_the_checkpoint_and_uses_its_buckets(tmp_path, tiny_buckets, capsys):
    _train(tmp_path, tiny_buckets, iterations=1000, metrics_interval=1e-9)
    with open(tmp_path / "metrics.jsonl", "a") as f:  # lines a killed run wrote after its last checkpoint
        f.write(json.dumps({"iterations": 9000}) + "\n" + '{"iterations": 95')
    assert train_blueprint.main(["--resume-from", str(tmp_path), "--logdir", str(tmp_path), "--iterations", "500",
                                 "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert f"resuming {tmp_path} from checkpoint-1000 (1,000 iterations)" in err
    assert "dropped 2 lines" in err and "next: python -m holdem.cli.eval_blueprint" in err
    steps = [line["iterations"] for line in _metrics(tmp_path)]
    assert steps == sorted(steps) and steps[-1] == 1500
    assert Checkpoint.load(tmp_path).manifest["buckets_path"] == str(tiny_buckets.resolve())


def test_files_users_keep_follow_the_umask(tmp_path, tiny_buckets):
    old = os.umask(0o022)
    try:
        _train(tmp_path, tiny_buckets, iterations=100)
    finally:
        os.umask(old)
    for path in (tmp_path / "blueprint.npz", next((tmp_path / "checkpoints").iterdir())):
        assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("args, message", [
    (["--buckets", "{tmp}/missing.npz"],
     "--buckets {tmp}/missing.npz: no such file; build it first with: python -m holdem.cli.build_buckets "
     "--num-players 2 --out {tmp}/missing.npz"),
    (["--buckets", "{tmp}/corrupt.npz"], "not a buckets file"),
    (["--num-players", "3"], "was built for 2 players"),
    (["--config", "{tmp}/bad.yaml"], "unknown key 'learning_rate'"),
    (["--time-budget", "-5"], "--time-budget: must be > 0.0, got -5.0"),
    (["--config", "{tmp}/negative.yaml"], "config {tmp}/negative.yaml: batch-size: must be >= 1, got 0"),
    (["--logdir", "{tmp}/corrupt.npz/run"], "--logdir {tmp}/corrupt.npz/run: not writable"),
    (["--resume-from", "{tmp}/corrupt.npz"], "--resume-from {tmp}/corrupt.npz: not a checkpoint file"),
    (["--max-memory", "1M"], "more than the 1.0 MiB allowed"),
    (["--max-memory", "1M", "--fresh-cache"], "more than the 1.0 MiB allowed"),
])
def test_bad_input_is_one_line(tmp_path, tiny_buckets, capsys, monkeypatch, args, message):
    if "--fresh-cache" in args:  # no cached betting tree: the limit stops the tree's construction
        args = [a for a in args if a != "--fresh-cache"]
        monkeypatch.setenv("HOLDEM_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "corrupt.npz").write_bytes(b"garbage")
    (tmp_path / "bad.yaml").write_text("iters: 10\nlearning_rate: 0.1\n")
    (tmp_path / "negative.yaml").write_text("batch-size: 0\n")
    argv = [a.format(tmp=tmp_path) for a in args]
    message = message.format(tmp=tmp_path)
    if "--buckets" not in argv:
        argv += ["--buckets", str(tiny_buckets)]
    if "--logdir" not in argv:
        argv += ["--logdir", str(tmp_path / "run")]
    assert train_blueprint.main(argv + ["--iters", "10", "--no-progress"]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("holdem train_blueprint: error:") and message in errors[0], err
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
    assert Checkpoint.load(tmp_path).iterations > 0 and Path(tmp_path / "blueprint.npz").exists()


@pytest.mark.parametrize("name", ["blueprint_training_5h", "blueprint_training_5h_parallel", "6max_training",
                                  "quickstart", "heads_up_10min"])
def test_shipped_configs_validate(name):
    root = Path(__file__).resolve().parents[1]
    config = TrainConfig.model_validate(yaml.safe_load((root / "configs" / f"{name}.yaml").read_text()))
    assert config.time_budget and config.game().num_players == config.num_players


def test_flags_override_config_and_absent_flags_do_not(tmp_path, tiny_buckets):
    (tmp_path / "c.yaml").write_text("iters: 300\nseed: 9\nbatch-size: 100\ntensorboard: false\n")
    assert train_blueprint.main(["--config", str(tmp_path / "c.yaml"), "--buckets", str(tiny_buckets),
                                 "--logdir", str(tmp_path / "run"), "--iters", "200", "--no-progress"]) == 0
    written = (tmp_path / "run" / "config.yaml").read_text()
    assert "iterations: 200" in written and "seed: 9" in written and "batch_size: 100" in written
    assert Checkpoint.load(tmp_path / "run").iterations == 200


@pytest.mark.slow
def test_six_players_train_lazily(tmp_path):
    """The 6-max config end to end on the tiny 6-player abstraction, tables allocated lazily."""
    root = Path(__file__).resolve().parents[1]
    settings = {**yaml.safe_load((root / "configs" / "6max_training.yaml").read_text()), "time_budget": None,
                "iterations": 3000, "num_workers": 2, "lazy": "always", "tensorboard": False}
    trainer = Trainer(TrainConfig.model_validate(settings), build_tiny(6), tmp_path)
    line = trainer.run()
    assert trainer.tables.lazy and line["infosets_touched"] > 0
    assert 0 < trainer.tables.allocated_entries() < trainer.tables.arrays.regrets.size


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
        Checkpoint.load(path)
