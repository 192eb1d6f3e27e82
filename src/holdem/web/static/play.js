// The play page: a person against bots at one table of holdem serve.
//
// The server's engine checks everything; this page only shows the GameState it answers and sends
// the person's clicks with the state's version.  While a bot is to act the page asks /bot for one
// decision at a time (so each bot action shows as it happens) until it is the person's turn or
// the hand is over.  Every error answer is shown in #message and the state is fetched again.
"use strict";

const $ = (id) => document.getElementById(id);
/** Pause before each bot decision, ms, so a person sees the actions one by one (?pace=0: none). */
const PACE_MS = Number(new URLSearchParams(location.search).get("pace") ?? 400);
const GAME_KEY = "holdem-game";  // sessionStorage: each browser tab keeps its own game

let info = null;   // /api/info
let game = null;   // the last GameState
let busy = false;  // a request or the bots' turn is under way: the person's buttons wait

// -- requests ---------------------------------------------------------------------------------

/** Run `request` (an async function answering a GameState) with the buttons held, show its state
 * and let the bots play on; an error answer is shown and the state fetched again. */
async function send(request) {
  if (busy) return;
  busy = true;
  showMessage($("message"), "");
  render();
  try {
    show(await request());
    await playBots();
  } catch (error) {
    await recover(error);
  } finally {
    busy = false;
    render();
  }
}

/** One bot decision per request until the person is to act or the hand is over. */
async function playBots() {
  while (game && game.bot_to_act) {
    render();
    if (PACE_MS > 0) await new Promise((done) => setTimeout(done, PACE_MS));
    show(await api("POST", `/api/games/${game.id}/bot`, {version: game.version}));
  }
}

/** Show the server's message for `error`; a 404 means the game is gone (offer a new one), any
 * other error re-fetches the state, which the refused request did not change. */
async function recover(error) {
  const box = $("message");
  showMessage(box, error.message);
  if (error.status === 404) {
    sessionStorage.removeItem(GAME_KEY);
    game = null;
    const again = el("button", "btn primary small", "New game");
    again.type = "button";
    again.addEventListener("click", () => $("new-game").requestSubmit());
    box.append(again);
    return;
  }
  if (!game) return;
  try {
    show(await api("GET", `/api/games/${game.id}`));
  } catch (second) {
    if (second.status === 404) return recover(second);
    showMessage(box, `${error.message} (and the game could not be fetched again: ${second.message})`);
    return;
  }
  if (game.bot_to_act) {
    const retry = el("button", "btn small", `Let ${game.thinking} act`);
    retry.id = "bot-retry";
    retry.addEventListener("click", () => send(async () => game));
    box.append(retry);
  }
}

function act(action, amount = null) {
  if (!game) return;
  send(() => api("POST", `/api/games/${game.id}/action`, {version: game.version, action, amount}));
}

function startGame(event) {
  event.preventDefault();
  const body = {opponent: $("opponent").value, players: Number($("players").value),
                seat: Number($("seat").value), seed: null};
  send(() => api("POST", "/api/games", body));
}

// -- drawing ----------------------------------------------------------------------------------

/** Take `state` as the game and draw it. */
function show(state) {
  game = state;
  sessionStorage.setItem(GAME_KEY, state.id);
  render();
}

function render() {
  $("start-game").disabled = busy;
  drawTable();
  drawActions();
  drawResult();
  drawSide();
}

function drawTable() {
  const table = $("table");
  table.querySelectorAll(".seat").forEach((node) => node.remove());
  const board = $("board");
  board.replaceChildren();
  if (!game) {
    $("pot").textContent = "no game yet";
    $("thinking").textContent = "";
    return;
  }
  const n = game.players;
  for (const seat of game.seats) {
    const angle = Math.PI / 2 + (2 * Math.PI * ((seat.seat - game.me + n) % n)) / n;
    const node = seatEl(seat);
    node.style.left = `${50 + 42 * Math.cos(angle)}%`;
    node.style.top = `${50 + 39 * Math.sin(angle)}%`;
    if (seat.bet > 0) {
      node.append(el("div", `bet ${Math.sin(angle) > 0.1 ? "above" : "below"}`, chips(seat.bet)));
    }
    table.append(node);
  }
  for (let i = 0; i < 5; i++) board.append(i < game.board.length ? cardEl(game.board[i]) : el("div", "card empty"));
  $("pot").textContent = `Pot ${chips(game.pot)}`;
  $("thinking").textContent = game.bot_to_act ? `${game.thinking} is thinking...`
    : game.your_turn ? "Your turn" : "";
}

function seatEl(seat) {
  const node = el("div", "seat");
  node.dataset.seat = seat.seat;
  node.classList.toggle("me", seat.seat === game.me);
  node.classList.toggle("folded", seat.folded);
  node.classList.toggle("to-act", seat.seat === game.to_act);
  const name = el("div", "name", seat.name);
  if (seat.position) name.append(el("span", "position", seat.position));
  const cards = el("div", "cards");
  if (seat.cards) seat.cards.forEach((card) => cards.append(cardEl(card)));
  else if (!seat.folded) cards.append(cardEl(null), cardEl(null));
  node.append(name, el("div", "stack", chips(seat.stack)), cards);
  if (seat.all_in) node.append(el("div", "mark all-in", "ALL-IN"));
  else if (seat.folded) node.append(el("div", "mark folded", "FOLDED"));
  const net = game.result ? game.result.net[seat.seat] : 0;
  if (net !== 0) node.append(el("div", `mark ${net > 0 ? "win" : "loss"}`, signed(net, 0)));
  return node;
}

function drawActions() {
  const legal = game && game.your_turn ? game.legal : null;
  $("actions").classList.toggle("hidden", !legal);
  if (!legal) return;
  const buttons = ["act-fold", "act-check", "act-call", "act-raise", "act-allin"].map($);
  buttons.forEach((button) => { button.disabled = busy; });
  if (busy) return;
  $("act-fold").classList.toggle("hidden", !legal.fold);
  $("act-check").classList.toggle("hidden", !legal.check);
  $("act-call").classList.toggle("hidden", legal.check);
  $("act-call").textContent = `Call ${chips(legal.call)}${legal.call_all_in ? " (all-in)" : ""}`;
  const raise = legal.raise;
  const sized = raise !== null && raise.min < raise.max;
  $("act-raise").classList.toggle("hidden", !sized);
  $("raise-row").classList.toggle("hidden", !sized);
  $("act-allin").classList.toggle("hidden", raise === null);
  if (raise === null) return;
  $("act-allin").textContent = `All-in ${chips(raise.max)}`;
  if (!sized || $("raise-to").dataset.version === String(game.version)) return;
  $("raise-to").dataset.version = game.version;  // a fresh decision: start at the minimum
  for (const field of [$("raise-slider"), $("raise-to")]) {
    field.min = raise.min;
    field.max = raise.max;
    field.value = raise.min;
  }
  const sizes = $("pot-sizes");
  sizes.replaceChildren();
  for (const size of legal.pot_sizes) {
    const button = el("button", "btn small pot-size", size.label);
    button.dataset.to = size.to;
    button.title = `${raiseWord()} ${chips(size.to)}`;
    button.addEventListener("click", () => setRaise(size.to));
    sizes.append(button);
  }
  labelRaise();
}

/** "Bet" when nobody has chips in this street yet, else "Raise to". */
function raiseWord() {
  return game.seats.some((seat) => seat.bet > 0) ? "Raise to" : "Bet";
}

function setRaise(to) {
  $("raise-to").value = to;
  $("raise-slider").value = to;
  labelRaise();
}

function labelRaise() {
  const to = $("raise-to").value;
  $("act-raise").textContent = `${raiseWord()} ${to === "" ? "..." : chips(to)}`;
}

function drawResult() {
  const result = game && game.hand_over ? game.result : null;
  $("result").classList.toggle("hidden", !result);
  if (!result) return;
  const net = $("result-net");
  net.textContent = result.you > 0 ? `You won ${chips(result.you)}` : result.you < 0
    ? `You lost ${chips(-result.you)}` : "You broke even";
  net.className = `net ${result.you > 0 ? "win" : result.you < 0 ? "loss" : ""}`;
  $("result-lines").replaceChildren(...result.lines.map((line) => el("li", "", line)));
  $("next-hand").classList.toggle("hidden", game.session_full);
  $("next-hand").disabled = busy;
  if (game.session_full && !busy) {
    showMessage($("message"), "This game has played all its hands: download its hand history and start a new game.",
                "info");
  }
}

/** x with its sign and `digits` decimals: +1.5, -6,000. */
function signed(x, digits) {
  const text = Math.abs(x).toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  return /[1-9]/.test(text) ? `${x > 0 ? "+" : "-"}${text}` : text;
}

function drawSide() {
  $("hand-number").textContent = game ? game.hand : "";
  const log = $("log");
  log.replaceChildren(...(game ? game.log : []).map((line) => {
    const cls = line.seat === null ? "street" : line.seat === game.me ? "mine" : "";
    return el("li", cls, line.text);
  }));
  log.scrollTop = log.scrollHeight;
  const score = $("score");
  const s = game ? game.score : null;
  if (s && s.hands > 0) {
    const big = el("div", `big ${s.big_blinds > 0 ? "win" : s.big_blinds < 0 ? "loss" : ""}`,
                   `${signed(s.big_blinds, 1)} bb`);
    let detail = `${s.hands} hand${s.hands === 1 ? "" : "s"}, ${signed(s.mbb_per_hand, 0)} mbb/hand`;
    if (s.ci95) detail += ` (95% interval ${signed(s.ci95[0], 0)} to ${signed(s.ci95[1], 0)})`;
    score.replaceChildren(big, el("div", "detail", detail));
    score.title = s.line;
  } else {
    score.replaceChildren(el("div", "muted", "no hands played yet"));
  }
  const link = $("phh-link");
  const ready = game && game.score.hands > 0;
  link.classList.toggle("disabled", !ready);
  if (ready) link.href = `/api/games/${game.id}/phh`;
  else link.removeAttribute("href");
}

// -- the new game form ------------------------------------------------------------------------

function fillSeats() {
  const players = Number($("players").value);
  const seat = $("seat");
  const keep = Math.min(Number(seat.value) || 0, players - 1);
  seat.replaceChildren(...Array.from({length: players}, (_, i) => new Option(`seat ${i}`, i)));
  seat.value = keep;
}

function fillPlayers() {
  const opponent = $("opponent").value;
  const t = info.table;
  // the policy's bots play its own table size (search heads-up only); the baselines any size
  const policy = opponent === "blueprint" || opponent === "search";
  const sizes = opponent === "search" ? [info.search_players] : policy ? [t.players]
    : Array.from({length: info.max_players - 1}, (_, i) => i + 2);
  const players = $("players");
  const keep = Number(players.value) || t.players;
  players.replaceChildren(...sizes.map((n) => new Option(`${n}`, n)));
  players.value = sizes.includes(keep) ? keep : sizes[0];
  $("opponent-note").textContent = `Stacks ${chips(t.stack)}, blinds ${chips(t.small_blind)}/${chips(t.big_blind)}`
    + (policy ? `; ${opponent === "search" ? "search on " : ""}the ${info.policy} blueprint plays `
                + `${players.value}-handed only` : "");
  fillSeats();
}

async function init() {
  $("new-game").addEventListener("submit", startGame);
  $("opponent").addEventListener("change", fillPlayers);
  $("players").addEventListener("change", fillSeats);
  $("act-fold").addEventListener("click", () => act("fold"));
  $("act-check").addEventListener("click", () => act("check"));
  $("act-call").addEventListener("click", () => act("call"));
  $("act-allin").addEventListener("click", () => act("allin"));
  const raise = () => {
    const to = $("raise-to").value.trim();
    act("raise", to === "" || !Number.isFinite(Number(to)) ? null : Number(to));
  };
  $("act-raise").addEventListener("click", raise);
  $("raise-to").addEventListener("keydown", (event) => { if (event.key === "Enter") raise(); });
  $("raise-to").addEventListener("input", () => {
    $("raise-slider").value = $("raise-to").value;
    labelRaise();
  });
  $("raise-slider").addEventListener("input", () => setRaise($("raise-slider").value));
  $("next-hand").addEventListener("click", () => {
    if (game) send(() => api("POST", `/api/games/${game.id}/next`, {version: game.version}));
  });
  try {
    info = await loadInfo();
  } catch (error) {
    showMessage($("message"), error.message);
    return;
  }
  $("opponent").replaceChildren(...info.opponents.map((name) => new Option(name, name)));
  fillPlayers();
  const saved = sessionStorage.getItem(GAME_KEY);
  if (saved) {
    send(() => api("GET", `/api/games/${saved}`));  // this tab's game, if it has not expired
  } else {
    render();
  }
}

init();
