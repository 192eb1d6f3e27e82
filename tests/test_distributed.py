"""Distributed training on a local Ray instance: exact merges, driver checkpoints, resume anywhere."""

import os
import signal
import threading
import time

import numpy as np
import pytest
import yaml

from holdem.abstraction.presets import tiny_buckets as build_tiny
from holdem.cli import solve, train_blueprint
from holdem.eval import exploitability
from holdem.games import load_tree
from holdem.solver import MCCFRConfig, make_solver
from holdem.training.checkpoint import Checkpoint
from holdem.training.config import TrainConfig
from holdem.training.trainer import Trainer

ray = pytest.importorskip("ray")

from holdem.distributed.blueprint import DistributedTrainer  # noqa: E402  (needs ray)
from holdem.distributed.config import ClusterConfig  # noqa: E402
from holdem.distributed.solver import DistributedMCCFR  # noqa: E402

SMALL = {"stack": 2000, "sizing": {"preflop": [[1.0]], "flop": [[1.0]], "turn": [[1.0]], "river": [[1.0]],
                                   "max_raises_per_street": 2},
         "tensorboard": False, "batch_size": 250, "discount_interval": 1000, "discount_until": 4000,
         "prune_after": 2000, "prune_probability": 0.5, "seed": 3}
TWO_ACTORS = ClusterConfig(nodes=2, threads_per_node=1, sync_interval=1.0)
ES_20K = 0.22  # the single-process bound of tests/test_solver.py: es-mccfr on Leduc, 20k iterations


@pytest.fixture(scope="module")
def tiny_buckets():
    return build_tiny(2)


@pytest.fixture(scope="module")
def local_ray(tiny_buckets, tmp_path_factory):
    """A local Ray instance of 2 CPUs; the kernels are compiled here first, so that actors load them."""
    Trainer(TrainConfig.model_validate({**SMALL, "iterations": 10}), tiny_buckets,
            tmp_path_factory.mktemp("warm")).run()
    make_solver("es-mccfr", load_tree("leduc")).run(10)
    ray.init(num_cpus=2, include_dashboard=False)
    yield
    ray.shutdown()


class Recording(DistributedTrainer):
    """Keeps every merge: the master before, the deltas in merge order, the master after."""

    def __init__(self, *args, **kwargs):
        self.merges = []
        super().__init__(*args, **kwargs)

    def _merge(self, results):
        t = self.tables.arrays
        before = (t.regrets.copy(), t.strategy_sum.copy())
        done = super()._merge(results)
        self.merges.append((before, [results[i]["delta"] for i in sorted(results)],
                            (t.regrets.copy(), t.strategy_sum.copy()), done))
        return done


@pytest.fixture(scope="module")
def two_actor_run(local_ray, tiny_buckets, tmp_path_factory):
    logdir = tmp_path_factory.mktemp("cluster")
    config = TrainConfig.model_validate({**SMALL, "iterations": 6000})
    trainer = Recording(config, TWO_ACTORS, tiny_buckets, logdir)
    try:
        trainer.run()
    finally:
        trainer.close()
    return trainer, logdir


def test_two_actors_train_a_blueprint(two_actor_run):
    trainer, logdir = two_actor_run
    assert trainer.iterations == 6000 and trainer.workers == 2 and trainer.lost_iterations == 0
    checkpoint = Checkpoint.load(logdir)
    assert checkpoint.iterations == 6000 and checkpoint.arrays["rng"].shape == (2, 4)
    assert np.count_nonzero(checkpoint.arrays["regrets"]) > 1000
    assert (logdir / "blueprint.npz").exists()
    assert all(len(deltas) == 2 for _, deltas, _, _ in trainer.merges)  # both actors trained every round
    assert sum(done for *_, done in trainer.merges) == 6000
    assert trainer.visits.min() > 0.3 * trainer.visits.max()


def test_merged_tables_are_the_sequential_replay_of_the_deltas(two_actor_run):
    trainer, _ = two_actor_run
    floor = int(np.rint(trainer.config.regret_floor))
    for (regrets, strategy_sum), deltas, (merged_regrets, merged_sum), _ in trainer.merges:
        replay, replay_sum = regrets.astype(np.int64), strategy_sum.copy()
        for delta in deltas:
            change = np.zeros(replay.size, np.int64)
            if delta.index is None:
                change[:] = delta.regrets
            else:
                change[delta.index] = delta.regrets
            replay = np.clip(replay + change, floor, np.iinfo(np.int32).max)
            replay_sum += delta.strategy_sum
        np.testing.assert_array_equal(replay.astype(np.int32), merged_regrets)
        np.testing.assert_array_equal(replay_sum, merged_sum)
    assert all(np.count_nonzero(d.regrets) for _, deltas, _, _ in trainer.merges for d in deltas)


def test_a_distributed_checkpoint_resumes_on_one_machine(two_actor_run, tiny_buckets, tmp_path):
    _, logdir = two_actor_run
    checkpoint = Checkpoint.load(logdir)
    config = TrainConfig.model_validate({**checkpoint.config, "iterations": 1000})
    trainer = Trainer(config, tiny_buckets, tmp_path, checkpoint)
    assert trainer.iterations == 6000
    trainer.run()
    resumed = Checkpoint.load(tmp_path)
    assert resumed.iterations == 7000
    assert not np.array_equal(resumed.arrays["regrets"], checkpoint.arrays["regrets"])


def test_cluster_section_is_validated_by_name(tmp_path, capsys):
    config = tmp_path / "run.yaml"
    config.write_text("cluster: {backend: ray, nodez: 2}\n")
    assert train_blueprint.main(["--config", str(config), "--logdir", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("holdem train_blueprint: error: config") and "cluster.nodez" in err


def test_two_actor_leduc_meets_the_single_process_bound(local_ray):
    tree = load_tree("leduc")
    solver = DistributedMCCFR(tree, "leduc", MCCFRConfig(sampling="external", seed=100), 2, 20)
    try:
        solver.run(20000)
    finally:
        solver.close()
    assert solver.iterations == 20000
    assert exploitability(tree, solver.average_strategy().probs) < ES_20K


def test_solve_with_ray(local_ray, capsys):
    assert solve.main(["--game", "kuhn", "--algorithm", "es-mccfr", "--iterations", "2000", "--ray",
                       "--actors", "2", "--sync-iterations", "100", "--checkpoints", "1"]) == 0
    final = capsys.readouterr().out.strip().splitlines()[-1]
    assert final.startswith("final: 2000 iterations") and float(final.split()[-1]) < 0.05
    assert solve.main(["--game", "kuhn", "--algorithm", "cfr+", "--ray"]) == 2
    assert "--ray is MCCFR only" in capsys.readouterr().err


def test_a_one_machine_checkpoint_continues_on_the_cluster(local_ray, tiny_buckets, tmp_path, capsys):
    Trainer(TrainConfig.model_validate({**SMALL, "iterations": 2000}), tiny_buckets, tmp_path / "run").run()
    config = tmp_path / "cluster.yaml"
    config.write_text("cluster: {nodes: 2, threads_per_node: 1, sync_interval: 1}\n")
    assert train_blueprint.main(["--resume-from", str(tmp_path / "run"), "--config", str(config), "--ray",
                                 "--iterations", "2000", "--logdir", str(tmp_path / "run"), "--no-progress"]) == 0
    assert "cluster: 2 actors" in capsys.readouterr().err
    resumed = Checkpoint.load(tmp_path / "run")
    assert resumed.iterations == 4000 and resumed.arrays["rng"].shape == (2, 4)


def test_a_node_without_the_memory_is_refused_before_training(local_ray, tiny_buckets, tmp_path, capsys):
    assert train_blueprint.main(["--ray", "--buckets", str(tiny_buckets), "--logdir", str(tmp_path / "run"),
                                 "--max-memory", "200M", "--config", str(_small_config(tmp_path))]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("holdem train_blueprint: error: --ray: node ") and "cannot hold the tables" in err
    assert "max_memory 200.0 MiB" in err and not (tmp_path / "run").exists()


def _small_config(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump({**SMALL, "iterations": 1000,
                                    "cluster": {"nodes": 2, "threads_per_node": 1, "sync_interval": 1}}))
    return path


@pytest.mark.slow
def test_a_killed_actor_is_restarted_and_the_blueprint_still_wins(local_ray, tiny_buckets, tmp_path):
    from holdem.agents import CallAgent
    from holdem.agents.blueprint_agent import BlueprintAgent
    from holdem.eval.match import play_match

    lines = []
    config = TrainConfig.model_validate({**SMALL, "time_budget": 10.0})
    trainer = DistributedTrainer(config, ClusterConfig(nodes=2, threads_per_node=1, sync_interval=3.0),
                                 tiny_buckets, tmp_path, say=lines.append)
    pid = ray.get(trainer.actors[1].pid.remote())

    def kill_mid_round():
        """SIGKILL actor 1 once the driver has seen it 10,000 iterations into a round."""
        while trainer.progress_seen.get(1, 0) < 10000:
            time.sleep(0.01)
        os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_mid_round, daemon=True)
    killer.start()
    try:
        trainer.run()
    finally:
        trainer.close()
    died = [line for line in lines if "died" in line]
    print("\n".join(died))
    assert trainer.elapsed >= 10.0 and len(died) == 1 and trainer.lost_iterations > 0
    assert f"lost {trainer.lost_iterations:,} iterations" in died[0]
    agent = BlueprintAgent.load(tmp_path, seed=1)
    result = play_match([agent, CallAgent()], hands=2000, rules=agent.rules, seed=5)
    low, high = result.estimate(0).ci95
    print(f"blueprint vs always-call: {result.estimate(0).mbb_per_hand:.0f} mbb/hand, 95% [{low:.0f}, {high:.0f}]")
    assert low > 0
