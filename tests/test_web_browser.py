"""The pages of ``holdem serve`` in a real headless Chromium, driven by Selenium.

The server runs in a thread (uvicorn on a free port of 127.0.0.1) with the small blueprint of the
``small_run`` fixture (20-big-blind stacks, blinds 50/100).  A person plays three hands by
clicking (a raise typed into the field, an all-in), sees the score change after each and
downloads the hand history, which pokerkit reads back; an illegal amount shows the server's
message and changes nothing; the strategy page's SB opening grid has the colours of ``holdem
export``'s numbers; the runs page draws its curves.  Each test saves a screenshot of its page in
``$HOLDEM_SCREENSHOTS`` when set (``docs/images`` holds the committed ones), else in its tmp_path.

Needs Debian's ``chromium`` and ``chromium-driver``; skipped with the reason when they are missing.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("selenium")
import uvicorn  # noqa: E402
from pokerkit import HandHistory  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from holdem.cli import export  # noqa: E402
from holdem.views.charts import action_colours, cell_colour  # noqa: E402
from holdem.web.app import ServerConfig, create_app  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                                reason="needs a headless Chromium: apt-get install chromium chromium-driver")
WINDOW = (1280, 900)
WAIT = 20  # seconds an explicit wait may take before the test fails
STACK, BIG_BLIND = 2000, 100  # the small_run fixture's table
TYPED = 237  # the typed raise of the first hand: no button offers it


@pytest.fixture(scope="module")
def base(small_run):
    """The address of a server of ``small_run`` (its policy and its run), running for the module."""
    app = create_app(ServerConfig(policy=small_run, runs=(small_run,), seed=11))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(WAIT)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, its viewport ``WINDOW``."""
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})
    yield driver
    driver.quit()


def _screenshot(driver, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HOLDEM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"web-{name}.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
    return path


def _wait(driver, condition, message: str):
    return WebDriverWait(driver, WAIT, poll_frequency=0.05).until(condition, message)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# -- the play page ---------------------------------------------------------------------------

def _shown(driver, element_id: str):
    """The element ``element_id`` when it is displayed and enabled, else None."""
    element = driver.find_element(By.ID, element_id)
    return element if element.is_displayed() and element.is_enabled() else None


def _settled(driver) -> str | bool:
    """"over" when the hand is over, "turn" when the person is to act, False while anything runs."""
    if _shown(driver, "next-hand"):
        return "over"
    if _shown(driver, "act-check") or _shown(driver, "act-call"):
        return "turn"
    return False


def _new_game(driver, base: str, seat: int) -> None:
    """Open the play page (no pause between bot actions) and deal a heads-up game against the
    blueprint with the person in ``seat``."""
    driver.get(f"{base}/?pace=0")
    _wait(driver, lambda d: _shown(d, "start-game") and d.find_elements(By.CSS_SELECTOR, "#opponent option"),
          "the new game form is not ready")
    driver.find_element(By.CSS_SELECTOR, "#opponent option[value=blueprint]").click()
    driver.find_element(By.CSS_SELECTOR, f"#seat option[value='{seat}']").click()
    driver.find_element(By.ID, "start-game").click()
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f".seat.me[data-seat='{seat}']") and _settled(d),
          "the first hand did not come to the person")


def _passive(driver) -> None:
    """Check or call."""
    (_shown(driver, "act-check") or _shown(driver, "act-call")).click()


def _play_hand(driver, first_move, look) -> int:
    """Play one hand: ``first_move`` at the person's first decision, then check or call to the end,
    calling ``look(driver)`` before each; returns the person's net chips as the page says it."""
    move = first_move
    while _wait(driver, _settled, "the hand got stuck") == "turn":
        look(driver)
        move(driver)
        move = _passive
    text = driver.find_element(By.ID, "result-net").text
    amount = int(re.sub(r"\D", "", text) or 0)
    return amount if text.startswith("You won") else -amount if text.startswith("You lost") else 0


def _typed_raise(driver) -> None:
    """Type the raise :data:`TYPED` into the field and click Raise."""
    field = driver.find_element(By.ID, "raise-to")
    assert int(field.get_attribute("min")) < TYPED < int(field.get_attribute("max"))
    assert TYPED not in {int(b.get_attribute("data-to")) for b in driver.find_elements(By.CSS_SELECTOR, ".pot-size")}
    field.clear()
    field.send_keys(str(TYPED))
    button = driver.find_element(By.ID, "act-raise")
    assert button.text == f"Raise to {TYPED}"
    button.click()


def _all_in(driver) -> None:
    button = driver.find_element(By.ID, "act-allin")
    assert button.text == f"All-in {STACK:,}"
    button.click()


def test_a_person_plays_three_hands_and_downloads_them_as_phh(browser, base, tmp_path):
    # seat 1 has the button, and so acts first, in hands 1 and 3
    _new_game(browser, base, seat=1)
    score = browser.find_element(By.ID, "score")
    nets, scores, shots = [], [score.text], []

    def look(driver):  # the screenshot: the first decision after the flop, with the board out
        if not shots and driver.find_elements(By.CSS_SELECTOR, "#board .card[data-card]"):
            shots.append(_screenshot(driver, "play", tmp_path))

    for hand, first_move in enumerate((_typed_raise, _passive, _all_in), start=1):
        assert browser.find_element(By.ID, "hand-number").text == str(hand)
        nets.append(_play_hand(browser, first_move, look))
        log = browser.find_element(By.ID, "log").text
        if first_move is _typed_raise:
            assert f"you raise to {TYPED}" in log
        if first_move is _all_in:
            assert f"you raise to {STACK} (all-in)" in log
        _wait(browser, lambda d: d.find_element(By.ID, "score").text != scores[-1], "the score did not change")
        scores.append(score.text)
        assert f"{hand} hand" in scores[-1]
        if hand < 3:
            browser.find_element(By.ID, "next-hand").click()
            _wait(browser, lambda d: d.find_element(By.ID, "hand-number").text == str(hand + 1) and _settled(d),
                  "the next hand was not dealt")
    total = f"{sum(nets) / BIG_BLIND:+.1f}"
    assert f"{total if sum(nets) else total[1:]} bb" in scores[-1]
    if not shots:  # no hand saw a flop with the person to act: the last hand's end instead
        _screenshot(browser, "play", tmp_path)

    link = browser.find_element(By.ID, "phh-link").get_attribute("href")
    status, text = _get(link)
    assert status == 200
    histories = list(HandHistory.loads_all(text))
    assert [h.hand for h in histories] == [1, 2, 3]
    for history, net in zip(histories, nets):
        assert list(history.starting_stacks) == [STACK, STACK]
        state = None
        for state in history:
            pass
        assert list(state.stacks) == list(history.finishing_stacks)
        you = list(history.players).index("you")
        assert history.finishing_stacks[you] - history.starting_stacks[you] == net
    game = json.loads(_get(link.removesuffix("/phh"))[1])
    assert game["score"]["hands"] == 3 and game["score"]["big_blinds"] == pytest.approx(sum(nets) / BIG_BLIND)


def test_an_illegal_amount_shows_the_servers_message_and_changes_nothing(browser, base):
    _new_game(browser, base, seat=1)
    assert browser.find_element(By.ID, "phh-link").get_attribute("href") is None  # no hand finished yet
    game_id = browser.execute_script("return sessionStorage.getItem('holdem-game')")
    game_url = f"{base}/api/games/{game_id}"
    state = json.loads(_get(game_url)[1])
    before = {css: browser.find_element(By.CSS_SELECTOR, css).text for css in ("#table", "#log", "#score")}
    low = int(browser.find_element(By.ID, "raise-to").get_attribute("min"))
    field = browser.find_element(By.ID, "raise-to")
    field.clear()
    field.send_keys(str(low - 1))
    browser.find_element(By.ID, "act-raise").click()
    message = _wait(browser, lambda d: d.find_element(By.ID, "message").text, "no message was shown")
    _wait(browser, _settled, "the page did not come back to the person")
    assert {css: browser.find_element(By.CSS_SELECTOR, css).text for css in before} == before
    assert json.loads(_get(game_url)[1]) == state
    # the same request straight to the server: the same one-line refusal
    status, answer = _post(f"{game_url}/action", {"version": state["version"], "action": "raise", "amount": low - 1})
    assert status == 400 and answer["error"] == message


def test_a_game_that_is_gone_says_so_and_offers_a_new_one(browser, base):
    browser.get(f"{base}/static/style.css")  # the same origin, and so the same storage, without the page's own requests
    browser.execute_script("sessionStorage.setItem('holdem-game', 'gone')")
    browser.get(f"{base}/?pace=0")
    message = _wait(browser, lambda d: d.find_element(By.ID, "message").text, "no message was shown")
    status, answer = _get(f"{base}/api/games/gone")
    assert status == 404 and message.startswith(json.loads(answer)["error"])
    browser.find_element(By.CSS_SELECTOR, "#message button").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".seat.me") and _settled(d), "no new game")
    assert browser.find_element(By.ID, "message").text == ""


# -- the strategy page -----------------------------------------------------------------------

def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def test_the_strategy_grid_has_the_colours_of_holdem_export(browser, base, small_run, tmp_path):
    out = tmp_path / "node.json"
    assert export.main([str(small_run), "--format", "json", "--out", str(out)]) == 0
    (node,) = json.loads(out.read_text())["nodes"]
    assert node["player"] == "small blind" and node["history"] == ""
    tokens = tuple(a["token"] for a in node["actions"])
    colours = dict(zip(tokens, action_colours(tokens)))
    rows = {row["hand"]: row for row in node["rows"]}

    browser.get(f"{base}/strategy")
    _wait(browser, lambda d: d.execute_script("return document.querySelectorAll('.cell').length") == 169 * len(tokens),
          "the grids were not drawn")
    assert browser.find_element(By.ID, "node-title").text.startswith("small blind to act, preflop")
    for name in ("AA", "AKs", "72o", "T9s", "55"):
        for token in tokens:
            cell = browser.find_element(By.CSS_SELECTOR, f'.cell[data-action="{token}"][data-class="{name}"]')
            expected = [round(255 * c) for c in cell_colour(colours[token], rows[name][token])]
            got = _rgb(cell.value_of_css_property("background-color"))
            assert all(abs(g - e) <= 1 for g, e in zip(got, expected)), (name, token, got, expected)
            assert cell.text.split()[-1] == str(math.floor(100 * rows[name][token] + 0.5))
    raise_token = next(t for t in tokens if t.startswith("r"))
    ActionChains(browser).move_to_element(
        browser.find_element(By.CSS_SELECTOR, f'.cell[data-action="{raise_token}"][data-class="AKs"]')).perform()
    tip = _wait(browser, lambda d: _shown(d, "tooltip"), "no tooltip on hover")
    lines = tip.text.splitlines()
    assert lines[0] == "AKs" and lines[1] == f"{rows['AKs']['combos']} combos, reach {rows['AKs']['reach']:.4f}"
    for action, line in zip(node["actions"], lines[2:], strict=True):
        label, shown = line.rsplit(" ", 1)
        assert label.strip() == action["label"]
        assert float(shown.rstrip("%")) == pytest.approx(100 * rows["AKs"][action["token"]], abs=0.006)
    _screenshot(browser, "strategy", tmp_path)
    href = browser.find_element(By.ID, "export-json").get_attribute("href")
    assert _get(href) == (200, out.read_text())


# -- the runs page ---------------------------------------------------------------------------

#: each chart's first series colour, which only its curve is drawn in
CURVES = {"chart-speed": (0x4E, 0x9A, 0xF1), "chart-infosets": (0xE4, 0xE7, 0xEA),
          "chart-regret": (0xE0, 0x60, 0x7E), "chart-entropy": (0x4E, 0x9A, 0xF1)}
COUNT_COLOUR = """
const [canvas, r, g, b] = arguments;
const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
let n = 0;
for (let i = 0; i < data.length; i += 4) {
  if (Math.abs(data[i] - r) < 24 && Math.abs(data[i + 1] - g) < 24 && Math.abs(data[i + 2] - b) < 24) n++;
}
return n;
"""


def test_the_runs_page_draws_the_runs_curves(browser, base, small_run, tmp_path):
    browser.get(f"{base}/runs")
    _wait(browser, lambda d: d.find_element(By.ID, "run-facts").text, "the run was not loaded")
    assert browser.find_element(By.ID, "run").get_attribute("value") == small_run.name
    for chart, colour in CURVES.items():
        canvas = browser.find_element(By.ID, chart)
        assert canvas.size["width"] > 300 and canvas.size["height"] > 200
        assert browser.execute_script(COUNT_COLOUR, canvas, *colour) > 50, f"{chart} has no curve"
    _screenshot(browser, "runs", tmp_path)
