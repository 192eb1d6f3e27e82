"""Views without a trained policy: hand classes, the history notation, and the charts of a policy
whose frequencies are set by hand, checked pixel by pixel in the PNG and cell by cell in the terminal."""

import numpy as np
import pytest
from PIL import Image
from rich.console import Console

from holdem.agents.equity import HOLES
from holdem.cards import parse_cards
from holdem.engine import Rules, Street
from holdem.views import CLASS_INDEX, CLASS_NAMES, HistoryError, NodeStrategy, class_of, parse_history
from holdem.views.charts import DPI, PANEL_SIZE, action_colours, cell_colour, draw, save_png, write_png
from holdem.views.export import to_csv, to_json
from holdem.views.hands import COMBOS, HOLE_CLASS
from holdem.views.terminal import grid_text, render

RULES = Rules(stacks=(10_000, 10_000), small_blind=50, big_blind=100)


def test_grid_layout_and_combos():
    assert len(set(CLASS_NAMES)) == 169
    assert CLASS_INDEX["AA"] == 0 and CLASS_INDEX["AKs"] == 1 and CLASS_INDEX["AKo"] == 13
    assert CLASS_INDEX["22"] == 168 and CLASS_INDEX["32s"] == 12 * 13 - 1 and CLASS_INDEX["32o"] == 168 - 1
    counts = COMBOS.sum(axis=1)
    for cell, name in enumerate(CLASS_NAMES):
        assert counts[cell] == (6 if len(name) == 2 else 4 if name.endswith("s") else 12)
    assert class_of(*parse_cards("Td 9d")) == CLASS_INDEX["T9s"] == class_of(*parse_cards("9h Th"))
    assert class_of(*parse_cards("Td 9c")) == CLASS_INDEX["T9o"]
    assert all(CLASS_NAMES[HOLE_CLASS[k]] in ("AKs", "AKo") for k in np.flatnonzero(COMBOS[1] | COMBOS[13]))


def test_history_plays_acpc_hand_totals():
    state, tokens = parse_history(RULES, " r250 c/ r400", parse_cards("Ks 7h 2h"))
    assert tokens == ["r250", "c", "/", "r400"]
    assert state.street == Street.FLOP and state.bets == [0, 150] and state.actor == 0
    state, _ = parse_history(RULES, "cx/x", parse_cards("Ks 7h 2h"))
    assert state.actor == 0 and state.street == Street.FLOP


@pytest.mark.parametrize(("text", "board", "message"), [
    ("r250 c / q", "", "token 4 'q': unknown (use f, c, x, r<N> or /)"),
    ("r250 rx", "", "token 2 'rx': unknown"),
    ("r150", "", "token 1 'r150': raise to 150 is below the minimum raise to 200"),
    ("r250 x", "", "token 2 'x': seat 1 cannot check: facing a bet of 250"),
    ("c /", "", "token 2 '/': the preflop betting is not over"),
    ("c x c", "", "token 3 'c': the preflop betting is over, '/' comes first"),
    ("cx/r100000", "Ks 7h 2h", "token 4 'r100000': bet to 99900 is above the maximum bet to 9900 (all-in) "
     "(this street's total; in hand totals r200 to r10000)"),
    ("f", "", "the hand is over after 'f'"),
    ("f c", "", "token 2 'c': the hand is over"),
    ("cx", "", "the preflop betting is over after 'c x': end the history with '/'"),
])
def test_bad_history_names_the_first_bad_token(text, board, message):
    with pytest.raises(HistoryError) as error:
        parse_history(RULES, text, parse_cards(board) if board else [])
    assert str(error.value).startswith(message) and error.value.setting == "history"


def test_board_must_fit_the_street():
    for text, board in (("cx/", ""), ("", "Ks 7h 2h"), ("cx/", "Ks 7h 2h 3c")):
        with pytest.raises(HistoryError) as error:
            parse_history(RULES, text, parse_cards(board) if board else [])
        assert error.value.setting == "board" and "board cards" in str(error.value)


TOKENS, LABELS = ("f", "c", "r300"), ("fold", "call 50", "raise to 300")


def _hand_set() -> np.ndarray:
    """(169, 3): pairs raise, suited hands call or raise half and half, offsuit hands fold in steps
    of a quarter by row."""
    probs = np.zeros((169, 3))
    for cell in range(169):
        row, col = divmod(cell, 13)
        if row == col:
            probs[cell] = (0, 0, 1)
        elif row < col:
            probs[cell] = (0, 0.5, 0.5)
        else:
            fold = (row % 5) / 4
            probs[cell] = (fold, 1 - fold, 0)
    return probs


def test_png_cells_have_the_colours_of_their_frequencies(tmp_path):
    probs = _hand_set()
    strategy = NodeStrategy.by_hand_class(probs, TOKENS, LABELS, "hand-set")
    assert np.allclose(strategy.class_probs(), probs) and np.allclose(strategy.class_reach(), 1)
    fig = draw(strategy)
    path = tmp_path / "chart.png"
    save_png(fig, path)
    image = np.asarray(Image.open(path).convert("RGB")).astype(float) / 255
    cols, rows = 3, 2  # a strategy panel and three action panels, three to a row
    assert image.shape == (round(DPI * (PANEL_SIZE[1] * rows + 0.5)), DPI * PANEL_SIZE[0] * cols, 3)
    height = image.shape[0]
    colours = action_colours(TOKENS)
    panels = {ax.get_label(): ax for ax in fig.axes}
    for k, token in enumerate(TOKENS):
        to_pixels = panels[token].transData.transform
        for cell in range(169):
            row, col = divmod(cell, 13)
            x, y = to_pixels((col + 0.1, row + 0.9))  # bottom-left corner of the cell, clear of its text
            got = image[int(height - y), int(x)]
            assert np.allclose(got, cell_colour(colours[k], probs[cell, k]), atol=0.02), (token, CLASS_NAMES[cell])


def test_png_of_a_strategy_is_written(tmp_path):
    write_png(NodeStrategy.by_hand_class(_hand_set(), TOKENS, LABELS), tmp_path / "sub" / "chart.png")
    assert Image.open(tmp_path / "sub" / "chart.png").size == (1200, 930)


def test_terminal_grid_cells():
    probs = _hand_set()
    text = grid_text(probs[:, 2], action_colours(TOKENS)[2])
    lines = text.plain.splitlines()
    assert lines[0].split() == list("AKQJT98765432")
    assert lines[1].split() == ["A", "100"] + ["50"] * 12
    assert lines[2].split() == ["K", "0", "100"] + ["50"] * 11
    aa = next(span for span in text.spans if text.plain[span.start:span.end] == "100 ")
    assert str(aa.style) == "black on rgb({},{},{})".format(*(round(255 * c) for c in action_colours(TOKENS)[2]))
    console = Console(record=True, width=200)
    render(NodeStrategy.by_hand_class(probs, TOKENS, LABELS, "hand-set"), console)
    out = console.export_text()
    assert "raise to 300 (r300)" in out and "action mix" in out


def test_export_rows_per_class_and_per_hand():
    strategy = NodeStrategy.by_hand_class(_hand_set(), TOKENS, LABELS, "hand-set")
    csv_lines = to_csv([strategy]).splitlines()
    assert csv_lines[0] == "history,hand,combos,reach,f,c,r300"
    assert csv_lines[1] == "hand-set,AA,6,1.0,0.0,0.0,1.0" and len(csv_lines) == 170
    hands = to_csv([strategy], by="hand").splitlines()
    assert hands[0] == "history,hand,class,reach,f,c,r300" and len(hands) == 1 + len(HOLES)
    assert '"token": "r300"' in to_json([strategy])
