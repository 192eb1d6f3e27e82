"""The blueprint agent's kept tree walk and bucket give the answers of a walk from the root.

The agent keeps the tree nodes its last view reached and the last bucket it looked up, so a later
view of the same hand walks only the new actions; views of interleaved hands (which restart the
walk) and off-tree bet sizes must not change a single probability.
"""

import random

from holdem.agents.blueprint_agent import BlueprintAgent, TreeWalk, locate, tree_probabilities
from holdem.agents.view import SeatView
from holdem.blueprint import Blueprint
from holdem.engine import Deal, State


def _random_action(state: State, rng: random.Random) -> None:
    legal = state.legal_actions()
    roll = rng.random()
    if legal.can_raise and roll < 0.35:
        state.bet_or_raise_to(rng.randint(legal.min_raise_to, legal.max_raise_to))
    elif legal.can_fold and roll < 0.45:
        state.fold()
    else:
        state.check_or_call()


def test_kept_walk_and_bucket_answer_as_a_walk_from_the_root(small_run):
    blueprint = Blueprint.load(small_run)
    rules = blueprint.tree.game.rules()
    agent = BlueprintAgent(blueprint, seed=3)
    walk = TreeWalk(blueprint)
    rng = random.Random(7)
    hands = [State(rules, Deal.shuffled(2, seed=rng)) for _ in range(3)]
    views = 0
    while views < 600:
        k = rng.randrange(len(hands))  # interleaved hands: the kept walk restarts between them
        state = hands[k]
        if state.is_over:
            hands[k] = State(rules, Deal.shuffled(2, seed=rng))
            continue
        view = SeatView.of(state)
        fresh = tree_probabilities(blueprint, view)
        assert agent.tree_probabilities(view) == fresh
        assert walk.nodes(view) == locate(blueprint, view)
        views += 1
        _random_action(state, rng)
