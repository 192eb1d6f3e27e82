"""PHH hand histories read back by pokerkit with the same actions and finishing stacks."""

import random

import pytest
from pokerkit import HandHistory

from holdem.agents import CallAgent, RandomAgent, SeatView
from holdem.engine import Deal, Rules, State
from holdem.eval.match import play_match
from holdem.eval.phh import hand_history, join_histories


def _final_stacks(history):
    state = None
    for state in history:
        pass
    return list(state.stacks)


def test_random_hands_round_trip_through_pokerkit():
    rng = random.Random(7)
    agent = RandomAgent(7)
    for number in range(120):
        n = rng.randint(2, 6)
        stacks = tuple(rng.choice((rng.randint(1, 40), rng.randint(100, 3000))) for _ in range(n))
        rules = Rules(stacks, 5, 10, ante=rng.choice((0, 2)), button=rng.randrange(n))
        state = State(rules, Deal.shuffled(n, rng))
        while not state.is_over:
            agent.act(SeatView.of(state)).apply(state)
        text = hand_history(state, hand=number, players=[f"bot{s}" for s in range(n)])
        history = HandHistory.loads(text)
        assert history.hand == number
        assert list(history.players) == [f"bot{s}" for s in rules.seat_order]
        assert _final_stacks(history) == [state.stacks[s] for s in rules.seat_order]
        assert list(history.finishing_stacks) == _final_stacks(history)


def test_match_histories_file_loads_with_pokerkit(tmp_path):
    path = tmp_path / "hands.phhs"
    result = play_match([RandomAgent(1), CallAgent()], hands=40, seed=4, histories=path)
    with open(path, "rb") as fp:
        histories = list(HandHistory.load_all(fp))
    assert len(histories) == result.hands == 40
    # each deal's two hands (seats swapped) average to the duplicate result of the deal
    nets = [dict(zip(h.players, (f - s for f, s in zip(_final_stacks(h), h.starting_stacks)))) for h in histories]
    for deal in range(20):
        assert (nets[2 * deal]["random"] + nets[2 * deal + 1]["random"]) / 2 == result.values[deal, 0]
        assert (nets[2 * deal]["call"] + nets[2 * deal + 1]["call"]) / 2 == result.values[deal, 1]


def test_single_document_and_join():
    state = State(Rules(stacks=(1000, 1000), small_blind=5, big_blind=10, button=1),
                  Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
    state.bet_or_raise_to(1000)
    state.call()  # all-in preflop: shown down, then the board is dealt
    text = hand_history(state)
    assert "'p1 sm AsAd', 'p2 sm KhQh', 'd db Ks7h2h', 'd db 9c', 'd db 3d'" in text
    assert _final_stacks(HandHistory.loads(text)) == [2000, 0]
    both = join_histories([text, text])
    assert both.startswith("[1]\n") and "\n\n[2]\n" in both
    assert len(list(HandHistory.loads_all(both))) == 2


@pytest.mark.parametrize("players", [3, 6])
def test_multiway_match_histories(tmp_path, players):
    path = tmp_path / "multi.phhs"
    result = play_match([RandomAgent(i) for i in range(players)], hands=players * 5, seed=2, histories=path)
    histories = list(HandHistory.loads_all(path.read_text()))
    assert len(histories) == result.hands
    for history in histories:
        _final_stacks(history)
