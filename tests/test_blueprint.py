"""Blueprint: loading, action probabilities for real states, bet translation, and learning.

Learning is shown with duplicate heads-up matches (every deal played twice with the seats
swapped) on a small game: the trained blueprint beats an always-call player, a random player and
an earlier snapshot of itself by a margin whose 95% interval excludes zero.
"""

import random
import shutil

import numpy as np
import pytest

from agent_checks import assert_legal_distribution

from holdem import files
from holdem.abstraction.presets import tiny_buckets
from holdem.agents.blueprint_agent import locate, tree_probabilities
from holdem.agents.view import Decision, SeatView
from holdem.blueprint import Blueprint
from holdem.engine import Deal, State
from holdem.training.checkpoint import Checkpoint
from holdem.training.config import TrainConfig
from holdem.training.trainer import Trainer
from holdem.tree import RAISE

SETTINGS = {"stack": 2000, "sizing": {"preflop": [[1.0]], "flop": [[1.0]], "turn": [[1.0]], "river": [[1.0]],
                                      "max_raises_per_street": 2},
            "tensorboard": False, "batch_size": 5000, "discount_interval": 10_000, "discount_until": 200_000,
            "prune_after": 100_000, "seed": 11}


def _train(logdir, buckets, iterations, resume=None):
    config = TrainConfig.model_validate({**SETTINGS, "iterations": iterations})
    Trainer(config, buckets, logdir, None if resume is None else Checkpoint.load(resume)).run()


@pytest.fixture(scope="module")
def blueprints(tmp_path_factory):
    """(early, late) blueprints of one run: after 1,000 and after 300,000 iterations."""
    buckets = tiny_buckets(2)
    logdir = tmp_path_factory.mktemp("run")
    _train(logdir, buckets, 1000)
    shutil.copy(logdir / "blueprint.npz", logdir / "early.npz")
    _train(logdir, buckets, 299_000, resume=logdir)
    return Blueprint.load(logdir / "early.npz"), Blueprint.load(logdir)


def _policy(blueprint):
    return lambda view: tree_probabilities(blueprint, view)


def _rules(blueprint):
    return blueprint.tree.game.rules()


def _call(view):
    return [(Decision.check_call(), 1.0)]


def _random(view):
    options = [Decision.check_call()]
    if view.legal.can_fold:
        options.append(Decision.fold())
    if view.legal.can_raise:
        options.append(Decision.raise_to(view.legal.min_raise_to))
        options.append(Decision.raise_to(view.legal.max_raise_to))
    return [(d, 1.0 / len(options)) for d in options]


def _duplicate(policy_a, policy_b, rules, deals, seed):
    """Chips won by ``policy_a`` per deal pair (both seatings of each deal): float64 ``(deals,)``."""
    rng = random.Random(seed)
    out = np.zeros(deals)
    for d in range(deals):
        deal = Deal.shuffled(2, seed=rng)
        for a_seat in (0, 1):
            state = State(rules, deal)
            while not state.is_over:
                view = SeatView.of(state)
                policy = policy_a if view.seat == a_seat else policy_b
                decisions, probs = zip(*policy(view))
                rng_choice = rng.choices(range(len(decisions)), weights=probs)[0]
                decisions[rng_choice].apply(state)
            out[d] += state.payoffs[a_seat]
    return out


def _assert_wins(results):
    mean = results.mean()
    half = 1.96 * results.std(ddof=1) / np.sqrt(len(results))
    assert mean - half > 0, f"{mean:.1f} +- {half:.1f} chips per deal pair"


def test_beats_always_call(blueprints):
    _, late = blueprints
    _assert_wins(_duplicate(_policy(late), _call, _rules(late), 600, seed=1))


def test_beats_random(blueprints):
    _, late = blueprints
    _assert_wins(_duplicate(_policy(late), _random, _rules(late), 600, seed=2))


def test_later_snapshot_beats_earlier(blueprints):
    early, late = blueprints
    _assert_wins(_duplicate(_policy(late), _policy(early), _rules(late), 1500, seed=3))


def test_probabilities_are_legal_distributions(blueprints):
    _, bp = blueprints
    rng = random.Random(5)
    for _ in range(200):
        state = State(_rules(bp), Deal.shuffled(2, seed=rng))
        while not state.is_over:
            view = SeatView.of(state)
            dist = tree_probabilities(bp, view)
            assert_legal_distribution(view, dist)
            decisions, probs = zip(*dist)
            decisions[rng.choices(range(len(dist)), weights=probs)[0]].apply(state)


def test_off_tree_bet_is_translated_between_neighbours(blueprints):
    _, bp = blueprints
    state = State(_rules(bp), Deal.parse(["As Ad", "7c 2d"], "Ks 7h 2h 9c 3d"))
    state.bet_or_raise_to(600)          # the tree has a pot raise (to 300) and all-in (2000)
    view = SeatView.of(state)
    nodes = locate(bp, view)
    assert len(nodes) == 2 and abs(sum(nodes.values()) - 1.0) < 1e-12
    a = bp.tree.arrays
    assert all(a.node_action[n] == RAISE for n in nodes)
    assert max(nodes.values()) < 1.0


def test_blueprint_refuses_another_player_count(blueprints):
    _, bp = blueprints
    from holdem.engine import Rules
    state = State(Rules(stacks=(2000,) * 3, small_blind=50, big_blind=100), Deal.shuffled(3, seed=1))
    with pytest.raises(ValueError, match="for 2 players"):
        tree_probabilities(bp, SeatView.of(state))


def test_tampered_blueprint_is_refused(tmp_path, blueprints):
    _, bp = blueprints
    raw = bytearray((bp.source).read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (tmp_path / "bp.npz").write_bytes(bytes(raw))
    with pytest.raises(files.FileFormatError):
        Blueprint.load(tmp_path / "bp.npz")
