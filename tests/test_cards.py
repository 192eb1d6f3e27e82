import pytest

from holdem import cards
from holdem.cards import Deck, cards_of_mask, format_cards, mask_of, parse_card, parse_cards


def test_card_layout():
    assert parse_card("2c") == 0
    assert parse_card("2s") == 3
    assert parse_card("As") == 51
    assert cards.rank_of(parse_card("Kd")) == 11
    assert cards.suit_of(parse_card("Kd")) == 1


@pytest.mark.parametrize("text", ["as td 2C", "AS,TD,2c", "AsTd2c", "As 10d 2c", "  As   Td  2c "])
def test_parse_variants(text):
    assert parse_cards(text) == [51, 33, 0]


def test_round_trip_all():
    text = format_cards(range(52))
    assert parse_cards(text) == list(range(52))


@pytest.mark.parametrize("bad, token", [("1x", "1x"), ("Ahh", "Ahh"), ("As Zz", "Zz"), ("As 11c", "11c")])
def test_bad_token_quoted(bad, token):
    with pytest.raises(ValueError, match=repr(token)):
        parse_cards(bad)


def test_duplicate_quoted():
    with pytest.raises(ValueError, match="duplicate card 'As'"):
        parse_cards("As Kd As")


def test_masks():
    cs = parse_cards("As Td 2c")
    m = mask_of(cs)
    assert m == (1 << 51) | (1 << 33) | 1
    assert cards_of_mask(m) == sorted(cs)
    with pytest.raises(ValueError):
        mask_of([52])


def test_deck_seeded():
    a, b = Deck(seed=1), Deck(seed=1)
    assert a.deal(10) == b.deal(10)
    assert len(a) == 42
    d = Deck(seed=3, exclude=parse_cards("As Ks"))
    dealt = d.deal(50)
    assert sorted(dealt) == [c for c in range(52) if c not in (51, 47)]
    with pytest.raises(ValueError):
        d.deal(1)
