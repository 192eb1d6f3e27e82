"""ACPC game definitions and MATCHSTATE lines: parsing, the engine hands they map to, and back."""

import random
import re

import pytest

from holdem.acpc.dealer import official_deals
from holdem.acpc.gamedef import SHIPPED, GameDef, GameDefError
from holdem.acpc.matchstate import (
    Follower, MatchState, ProtocolError, WireHand, betting_text, fixed_action, matchstate_line, wire_action,
)
from holdem.agents import Decision, RandomAgent, SeatView, decision_of
from holdem.engine import Deal, State, Street

GAME = GameDef.load(SHIPPED)
RULES = GAME.rules()
THREE = """# three players, the button on seat 2
GAMEDEF
nolimit
numPlayers = 3
numRounds = 4
stack = 20000 20000 20000
blind = 50 100 0
firstPlayer = 3 1 1 1
numSuits = 4
numRanks = 13
numHoleCards = 2
numBoardCards = 0 3 1 1
END GAMEDEF
"""


def test_shipped_game_is_heads_up_no_limit_with_reverse_blinds():
    assert (GAME.betting, GAME.num_players, GAME.num_rounds, GAME.stacks, GAME.blinds) == \
        ("nolimit", 2, 4, (20000, 20000), (100, 50))
    assert (GAME.first_player, GAME.num_suits, GAME.num_ranks, GAME.num_hole_cards, GAME.num_board_cards) == \
        ((1, 0, 0, 0), 4, 13, 2, (0, 3, 1, 1))
    assert (RULES.stacks, RULES.small_blind, RULES.big_blind, RULES.button) == ((20000, 20000), 50, 100, 1)
    state = State(RULES, Deal.shuffled(2, seed=0))
    assert state.actor == 1 and state.bets == [100, 50]       # seat 1 posts the small blind and opens
    state.check_or_call()
    state.check_or_call()
    assert state.street == Street.FLOP and state.actor == 0   # the big blind opens later rounds


def test_three_players_and_keys_in_any_case(tmp_path):
    path = tmp_path / "three.game"
    path.write_text(THREE.replace("numPlayers", "NUMPLAYERS").replace("nolimit", "NoLimit"))
    game = GameDef.load(path)
    rules = game.rules()
    assert (rules.small_blind_seat, rules.big_blind_seat, rules.button) == (0, 1, 2)
    assert State(rules, Deal.shuffled(3, seed=1)).actor == 2


@pytest.mark.parametrize("change, message", [
    (("numRanks = 13", "numRanks = 13\nante = 5"), "line 11: unknown key 'ante' in 'ante = 5'"),
    (("stack = 20000 20000 20000", "stack = 20000 20000"), "stack needs 3 values (one per player), got 2"),
    (("numPlayers = 3", "numPlayers = x"), "line 4: numPlayers needs whole numbers after '='"),
    (("END GAMEDEF", ""), "no END GAMEDEF"),
    (("GAMEDEF\n", "hello\n"), "line 2: expected GAMEDEF before 'hello'"),
    (("firstPlayer = 3 1 1 1", "firstPlayer = 4 1 1 1"), "firstPlayer counts seats from 1 to 3"),
    (("blind = 50 100 0\n", ""), "missing blind"),
    (("nolimit\n", "nolimit\nlimit\n"), "line 4: a second betting type"),
    (("numBoardCards = 0 3 1 1", "numBoardCards = 0 30 10 10"), "56 cards are dealt from a deck of 52"),
])
def test_bad_definitions_name_the_line(change, message):
    with pytest.raises(GameDefError, match=None) as error:
        GameDef.parse(THREE.replace(*change), "three.game")
    assert str(error.value).startswith("three.game") and message in str(error.value)


@pytest.mark.parametrize("change, message", [
    (("nolimit", "limit\nraiseSize = 100 100 200 200"), "limit betting (only nolimit)"),
    (("firstPlayer = 3 1 1 1", "firstPlayer = 1 1 1 1"), "firstPlayer 1 1 1 1 (these blinds open with seats 3 1 1 1)"),
    (("blind = 50 100 0", "blind = 100 50 0"), "blind 100 50 0"),
    (("numHoleCards = 2", "numHoleCards = 3"), "numHoleCards 3 (hold'em has 2)"),
    (("numRanks = 13", "numRanks = 13\nmaxRaises = 3 3 3 3"), "maxRaises 3 3 3 3"),
    (("stack = 20000 20000 20000", "stack = 20000 10000 20000"), "stack 20000 10000 20000 (equal stacks only)"),
])
def test_games_the_engine_does_not_play_are_refused(change, message):
    game = GameDef.parse(THREE.replace(*change), "three.game")
    with pytest.raises(GameDefError) as error:
        game.rules()
    assert str(error.value).startswith("three.game: the engine does not play this game:") and message in str(error.value)


def test_missing_file_is_one_message(tmp_path):
    with pytest.raises(GameDefError, match="cannot read game definition .*missing.game"):
        GameDef.load(tmp_path / "missing.game")


def test_reference_example_and_raises_as_hand_totals():
    seen = MatchState.parse("MATCHSTATE:0:30:cc/:9s8h|/8c8d5c", 2)
    assert (seen.position, seen.hand, seen.rounds) == (0, 30, (("c", "c"), ()))
    state = seen.state(RULES)
    assert state.street == Street.FLOP and state.actor == 0 and state.contributions == [100, 100]
    assert SeatView.of(state).board == state.board and len(state.board) == 3
    state = MatchState.parse("MATCHSTATE:1:2:r250r500c/r1000:|As2c/Kd7h2s", 2).state(RULES)
    assert state.bets == [500, 0] and state.contributions == [500, 500]   # r1000: 500 more on the flop
    assert wire_action(SeatView.of(state), Decision.raise_to(2000)) == "r2500"
    assert wire_action(SeatView.of(state), Decision.raise_to(99999)) == "r20000"       # clipped to all-in
    assert wire_action(SeatView.of(state), Decision.fold()) == "f"


@pytest.mark.parametrize("line, message", [
    ("MATCHSTATE:0:1::|", "the receiver's hole cards are missing"),
    ("MATCHSTATE:0:1::", "show 1 seats, the game has 2"),
    ("MATCHSTATE:2:1::Ah2c|", "position 2 is not a seat of a 2-player game"),
    ("MATCHSTATE:0:1:x:Ah2c|", "not a MATCHSTATE line"),
    ("MATCHSTATE:0:1:c/:Ah2c|/2s3s4s", "round 1 ends before its betting is over"),
    ("MATCHSTATE:0:1:cc:Ah2c|", "the betting shows round 1, the hand is in round 2"),
    ("MATCHSTATE:0:1:cc/:Ah2c|/KdKd2s", "deal a card twice"),
    ("MATCHSTATE:0:1:cc/:Ah2c|/Kd7h", "round 2 deals 3 board cards, not 2"),
    ("MATCHSTATE:0:1:cc/:Ah2c|", "show 1 rounds, the betting 2"),
    ("MATCHSTATE:0:1:r50:Ah2c|", "action 1 of round 1 ('r50') is illegal: raise to 50 is below the minimum"),
    ("MATCHSTATE:0:1:r20001:Ah2c|", "above the maximum raise to 20000"),
    ("MATCHSTATE:0:1:cf:Ah2c|", "cannot fold: there is no bet to face"),
    ("MATCHSTATE:0:1:fc:Ah2c|", "action 'c' after the end of the hand"),
    ("MATCHSTATE:0:1:cc/cc/cc/cc/:Ah2c|/2s3s4s/5s/6s/", "has 5 rounds"),
    ("MATCHSTATE:0:1:cc/cc/cc/cc:Ah2c|/2s3s4s/5s/6s", "a showdown without the hole cards"),
    ("MATCHSTATE:0:1:r:Ah2c|", "bad action 'r'"),
    ("MATCHSTATE:0:1::AH2c|", "not a MATCHSTATE line"),
    ("MATCHSTATE:0:1::A|", "not a run of two-character cards"),
])
def test_bad_lines_are_refused_naming_the_line(line, message):
    with pytest.raises(ProtocolError) as error:
        MatchState.parse(line, 2).state(RULES)
    assert message in str(error.value) and repr(line) in str(error.value)
    with pytest.raises(ProtocolError) as again:
        Follower(RULES).read(line)
    assert str(again.value) == str(error.value)


def _random_hands(rules, count, seed):
    """Every state of ``count`` hands of random play (raises of every size the agent picks)."""
    rng = random.Random(seed)
    agents = [RandomAgent(seed + s) for s in range(rules.num_players)]
    for _ in range(count):
        state = State(rules, Deal.shuffled(rules.num_players, rng))
        states = [state.copy()]
        while not state.is_over:
            view = SeatView.of(state)
            agents[view.seat].act(view).apply(state)
            states.append(state.copy())
        yield states


@pytest.mark.parametrize("text", [None, THREE])
def test_engine_states_round_trip_through_the_wire(text):
    rules = RULES if text is None else GameDef.parse(text).rules()
    n = rules.num_players
    followers = [Follower(rules) for _ in range(n)]
    for number, states in enumerate(_random_hands(rules, 150, 3)):
        wire = WireHand(rules, states[0].deal, number)
        for i, state in enumerate(states):
            if i:
                wire.play(wire_action(SeatView.of(wire.state), decision_of(state.actions[-1])))
            for seat in range(n):
                line = matchstate_line(state, seat, number)
                assert wire.line(seat) == line
                back = MatchState.parse(line, n).state(rules)
                assert back.actions == state.actions and back.board == state.board and back.actor == state.actor
                assert back.payoffs == state.payoffs and back.is_over == state.is_over
                position, hand, followed = followers[seat].read(line)
                assert (position, hand) == (seat, number)
                assert followed.actions == state.actions and followed.board == state.board
                assert followed.payoffs == state.payoffs
        assert wire.betting == betting_text(states[-1])


@pytest.mark.parametrize("text", [None, THREE])
def test_playing_the_answer_ahead_reads_every_line_the_same(text):
    """A follower that plays the receiver's answers ahead (the one sent, or another, as when the
    dealer fixes an answer) reads every line, good or bad, as a follower that does not."""
    rules = RULES if text is None else GameDef.parse(text).rules()
    n = rules.num_players
    rng = random.Random(4)
    plain, ahead = [Follower(rules) for _ in range(n)], [Follower(rules) for _ in range(n)]
    played = 0
    for number, states in enumerate(_random_hands(rules, 150, 5)):
        lines = [[matchstate_line(state, seat, number) for seat in range(n)] for state in states]
        for i, state in enumerate(states):
            for seat in range(n):
                line = lines[i][seat]
                if rng.random() < 0.05:  # a bad line in between: both refuse it alike and start over
                    fields = line.split(":")
                    fields[3] += "r1"  # a raise below any minimum
                    bad = line.replace(":", "::", 1) if rng.random() < 0.2 else ":".join(fields)
                    with pytest.raises(ProtocolError) as refused:
                        plain[seat].read(bad)
                    with pytest.raises(ProtocolError, match=re.escape(str(refused.value))):
                        ahead[seat].read(bad)
                expected, got = plain[seat].read(line), ahead[seat].read(line)
                assert got[:2] == expected[:2]
                assert (got[2].actions, got[2].board, got[2].payoffs, got[2].actor) == \
                    (expected[2].actions, expected[2].board, expected[2].payoffs, expected[2].actor)
                if not state.is_over and state.actor == seat:
                    answer = betting_text(states[i + 1])[len(betting_text(state)):].rstrip("/")
                    if rng.random() < 0.2:
                        answer = rng.choice(["c", "f", "r1", f"r{rng.randrange(100, 20000)}"])
                    ahead[seat].expect(answer)
                    played += 1
    assert played > 500


def test_all_in_shows_every_round():
    state = State(RULES, Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
    state.bet_or_raise_to(20000)
    state.call()
    assert matchstate_line(state, 0, 7) == "MATCHSTATE:0:7:r20000c///:AsAd|KhQh/Ks7h2h/9c/3d"
    assert matchstate_line(state, 1, 7) == "MATCHSTATE:1:7:r20000c///:AsAd|KhQh/Ks7h2h/9c/3d"


def test_folded_cards_stay_hidden_and_the_dealer_fixes_actions():
    state = State(RULES, Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
    state.bet_or_raise_to(300)
    assert fixed_action(state, "r250") == ("r500", "raise to 250 is out of bounds: r500 instead")
    assert fixed_action(state, "r30000") == ("r20000", "raise to 30000 is out of bounds: r20000 instead")
    assert fixed_action(state, "f") == ("f", None) and fixed_action(state, "c") == ("c", None)
    state.fold()
    assert matchstate_line(state, 1, 0) == "MATCHSTATE:1:0:r300f:|KhQh"
    check = State(RULES, Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
    check.call()
    assert fixed_action(check, "f") == ("c", "nothing to call: calls (checks) instead")
    assert fixed_action(check, "K") == ("c", None) and fixed_action(check, "b 300junk") == ("r300", None)
    shove = State(RULES, Deal.parse(["As Ad", "Kh Qh"], "Ks 7h 2h 9c 3d"))
    shove.bet_or_raise_to(20000)
    assert fixed_action(shove, "r30000") == ("c", "no raise allowed: calls instead")
    assert fixed_action(shove, "x") == ("c", "not an action (f, c or r<total>): calls instead")
    assert fixed_action(shove, "r") == fixed_action(shove, "") == fixed_action(shove, "x")


def test_deals_follow_the_official_dealers_generator():
    # MT19937 seeded with init_genrand(5489) draws 3499211612, 581869302, 3890346734 (the reference)
    deck = [rank * 4 + suit for suit in range(4) for rank in range(13)]
    drawn = []
    for left, word in zip((52, 51, 50), (3499211612, 581869302, 3890346734)):
        drawn.append(deck[word % left])
        deck[word % left] = deck[left - 1]
    deals = official_deals(5489, 2)
    deal = next(deals)
    assert deal.hole_cards[0] == tuple(drawn[:2]) and deal.hole_cards[1][0] == drawn[2]
    assert next(deals) != deal and next(official_deals(5489, 2)) == deal
    assert len(next(official_deals(1, 6)).hole_cards) == 6
