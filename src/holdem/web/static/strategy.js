// The strategy page: walk the policy's betting tree and see each decision as 13x13 grids.
//
// The node shown is the one /api/strategy gives for a history and a board (kept in the page's
// address, #history=...&board=..., so a node can be bookmarked).  Its actions say which history
// they lead to and how many board cards the next street needs; the page asks for those cards and
// lets the server judge them.  The trail of nodes above the current one is the breadcrumb.
"use strict";

const $ = (id) => document.getElementById(id);
const RANKS = "AKQJT98765432";
const BLOCKED = [0xd9, 0xd9, 0xd9];

let node = null;    // the /api/strategy answer shown
let trail = [];     // [{history, board, label}] from the first decision down to the node shown
let pending = null; // the action whose next street's cards the board picker asks for
let loading = false; // a node is being fetched: clicks wait

// -- colours ----------------------------------------------------------------------------------

/** [r, g, b] 0..255 of "#3b70c7". */
function rgbOf(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** The cell colour of an action of colour `hex` played with frequency `f` (null: blocked): each
 * channel 1 - f * (1 - c), white at 0 and the action's colour at 1, as the PNG charts draw it. */
function cellColour(hex, f) {
  if (f === null) return BLOCKED;
  return rgbOf(hex).map((c) => Math.round(255 * (1 - f * (1 - c / 255))));
}

function css(rgb) {
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}

/** Dark text on light cells, white on dark ones (the PNG charts' rule). */
function isDark(rgb) {
  return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255 <= 0.55;
}

function percent(f, digits = 0) {
  return `${(100 * f).toFixed(digits)}%`;
}

// -- navigation -------------------------------------------------------------------------------

function query(history, board) {
  return new URLSearchParams({history, board}).toString();
}

function fetchNode(history, board) {
  return api("GET", `/api/strategy?${query(history, board)}`);
}

/** Cards "Ks7h2h" as spans in their suits' colours. */
function cardSpans(board) {
  const out = el("span", "");
  for (let i = 0; i < board.length; i += 2) {
    const card = el("span", `suit-${board[i + 1]}`, `${board[i]}${SUITS[board[i + 1]]}`);
    out.append(card, " ");
  }
  return out;
}

function crumbLabel(parent, action, board) {
  const label = el("span", "", `${parent.player}: ${action.label}`);
  if (action.next.board_cards > 0) label.append(" \u2192 ", cardSpans(board.slice(parent.board.join("").length)));
  return label;
}

/** Show the node of `history` and `board`; `step` says how the page got there: {action} one
 * action down from the node shown, {back: i} up to the trail's i-th node, or nothing (then the
 * trail is rebuilt from the first decision).  An error is shown and changes nothing. */
async function go(history, board, step = {}) {
  if (loading) return false;
  loading = true;
  showMessage($("message"), "");
  $("node-title").textContent = `${node ? node.title : ""} (loading...)`;
  let failure = null;
  try {
    const found = await fetchNode(history, board);
    if (step.action) trail = [...trail, {history: found.history, board, label: crumbLabel(node, step.action, board)}];
    else if (step.back !== undefined) trail = trail.slice(0, step.back + 1);
    else trail = await walk(found.history, board);
    show(found);
  } catch (error) {
    failure = error;
  } finally {
    loading = false;
  }
  if (!failure) return true;
  if (node) $("node-title").textContent = node.title;
  else if (history !== "" || board !== "") await go("", "");  // a bad address: the first decision instead
  showMessage($("message"), failure.message);
  return false;
}

/** The trail from the first decision down to `history`: at each node, the action whose next
 * history starts `history` (a raise's digits must end there: "r20" is not a prefix of "r200"). */
async function walk(history, board) {
  const out = [{history: "", board: "", label: el("span", "", "first decision")}];
  let at = await fetchNode("", "");
  while (at.history !== history) {
    const action = at.actions.find((a) => a.next.history.length > at.history.length
      && history.startsWith(a.next.history) && !/^\d/.test(history.slice(a.next.history.length)));
    if (!action) break;
    const seen = at.board.length + action.next.board_cards;
    const cards = board.slice(0, 2 * seen);
    const label = crumbLabel(at, action, cards);
    at = await fetchNode(action.next.history, cards);
    out.push({history: at.history, board: cards, label});
  }
  return out;
}

function back(index) {
  go(trail[index].history, trail[index].board, {back: index});
}

function choose(action) {
  closePicker();
  const board = node.board.join("");
  if (action.next.board_cards > 0) openPicker(action);
  else go(action.next.history, board, {action});
}

// -- the board picker -------------------------------------------------------------------------

function openPicker(action) {
  pending = action;
  const street = {3: "flop", 1: node.board.length === 3 ? "turn" : "river"}[action.next.board_cards] || "board";
  $("picker-title").textContent = `After "${action.label}" the ${street} comes: pick ${action.next.board_cards} `
    + `card${action.next.board_cards === 1 ? "" : "s"} (click them or type them, like "Ks 7h 2h").`;
  $("board-input").value = "";
  drawDeck();
  $("board-picker").classList.remove("hidden");
  $("board-input").focus();
}

function closePicker() {
  pending = null;
  $("board-picker").classList.add("hidden");
}

function typedCards() {
  return $("board-input").value.trim().split(/[\s,]+/).filter((card) => card.length > 0);
}

function drawDeck() {
  const deck = $("deck");
  const used = new Set(node.board);
  const picked = new Set(typedCards());
  deck.replaceChildren();
  for (const suit of "shdc") {
    for (const rank of RANKS) {
      const card = rank + suit;
      const face = cardEl(card);
      face.classList.toggle("used", used.has(card));
      face.classList.toggle("picked", picked.has(card));
      if (!used.has(card)) face.addEventListener("click", () => togglePick(card));
      deck.append(face);
    }
  }
}

function togglePick(card) {
  let cards = typedCards();
  if (cards.includes(card)) cards = cards.filter((c) => c !== card);
  else if (cards.length < pending.next.board_cards) cards.push(card);
  $("board-input").value = cards.join(" ");
  drawDeck();
}

function randomPick() {
  const free = [];
  for (const suit of "shdc") for (const rank of RANKS) if (!node.board.includes(rank + suit)) free.push(rank + suit);
  const cards = [];
  while (cards.length < pending.next.board_cards) {
    cards.push(free.splice(Math.floor(Math.random() * free.length), 1)[0]);
  }
  $("board-input").value = cards.join(" ");
  drawDeck();
}

/** Go down the pending action with the typed cards; the server says what is wrong with them. */
async function dealPicked() {
  const action = pending;
  const board = node.board.join("") + typedCards().join("");
  if (await go(action.next.history, board, {action})) closePicker();
}

// -- drawing ----------------------------------------------------------------------------------

function show(found) {
  node = found;
  location.hash = query(found.history, found.board.join(""));
  $("node").classList.remove("hidden");
  drawTrail();
  $("node-title").textContent = found.title;
  $("node-facts").textContent = `pot ${chips(found.pot)}, to call ${chips(found.to_call)}`;
  drawExports();
  drawMix();
  drawActions();
  drawGrids();
}

function drawTrail() {
  const crumbs = $("breadcrumb");
  crumbs.replaceChildren();
  trail.forEach((step, i) => {
    if (i > 0) crumbs.append(el("span", "sep", "\u203a"));
    const button = el("button", "");
    button.append(step.label.cloneNode(true));
    button.disabled = i === trail.length - 1;
    button.dataset.history = step.history;
    button.addEventListener("click", () => back(i));
    crumbs.append(button);
  });
}

function drawExports() {
  const by = $("export-by").value;
  for (const format of ["json", "csv"]) {
    $(`export-${format}`).href = `/api/strategy/export?${query(node.history, node.board.join(""))}`
      + `&format=${format}&by=${by}`;
  }
}

function drawMix() {
  const mix = $("mix");
  mix.replaceChildren();
  for (const action of node.actions) {
    const part = el("div", "", action.frequency >= 0.06 ? `${action.label} ${percent(action.frequency)}` : "");
    part.style.width = percent(action.frequency, 3);
    part.style.background = action.colour;
    part.title = `${action.label}: ${percent(action.frequency, 2)} of the range`;
    mix.append(part);
  }
}

function drawActions() {
  const box = $("node-actions");
  box.replaceChildren();
  for (const action of node.actions) {
    const button = el("button", "btn action", `${action.label}  ${percent(action.frequency, 1)}`);
    button.dataset.token = action.token;
    button.style.setProperty("--swatch", action.colour);
    if (action.next.terminal) {
      button.disabled = true;
      button.title = "the hand ends here";
    } else {
      button.title = action.next.board_cards > 0 ? "ends the street: pick the next board cards" : "go down this action";
      button.addEventListener("click", () => choose(action));
    }
    box.append(button);
  }
}

function drawGrids() {
  const grids = $("grids");
  grids.replaceChildren(rangePanel());
  node.actions.forEach((action, a) => grids.append(actionPanel(action, a)));
}

function panel(title, swatch) {
  const box = el("div", "grid-panel");
  const head = el("h3", "");
  if (swatch) {
    const chip = el("span", "swatch");
    chip.style.background = swatch;
    head.append(chip);
  }
  head.append(title);
  const grid = el("div", "grid");
  box.append(head, grid);
  return [box, grid];
}

/** The range at a glance: each class's cell split by its actions, filled up to its reach. */
function rangePanel() {
  const [box, grid] = panel("strategy (cell height: reach)");
  const top = Math.max(...node.reach.filter((r) => r !== null), 0);
  node.classes.forEach((name, k) => {
    const cell = el("div", "rangecell");
    cell.dataset.class = name;
    if (node.reach[k] === null) {
      cell.classList.add("blocked");
    } else {
      const bars = el("div", "bars");
      bars.style.height = percent(top > 0 ? node.reach[k] / top : 0, 3);
      node.actions.forEach((action, a) => {
        const bar = el("div", "");
        bar.style.width = percent(node.probs[a][k], 3);
        bar.style.background = action.colour;
        bars.append(bar);
      });
      cell.append(bars);
    }
    cell.append(el("span", "", name));
    hover(cell, k);
    grid.append(cell);
  });
  return box;
}

function actionPanel(action, a) {
  const [box, grid] = panel(`${action.label}  ${percent(action.frequency, 1)}`, action.colour);
  box.dataset.action = action.token;
  node.classes.forEach((name, k) => {
    const f = node.probs[a][k];
    const rgb = cellColour(action.colour, f);
    const cell = el("div", `cell${isDark(rgb) ? " dark" : ""}`);
    cell.dataset.action = action.token;
    cell.dataset.class = name;
    cell.style.background = css(rgb);
    cell.append(el("span", "", name));
    if (f !== null) cell.append(el("span", "freq", Math.round(100 * f)));
    hover(cell, k);
    grid.append(cell);
  });
  return box;
}

// -- the tooltip ------------------------------------------------------------------------------

function hover(cell, k) {
  cell.addEventListener("mouseenter", () => tooltip(k));
  cell.addEventListener("mousemove", (event) => place(event));
  cell.addEventListener("mouseleave", () => $("tooltip").classList.add("hidden"));
}

function tooltip(k) {
  const tip = $("tooltip");
  tip.replaceChildren(el("strong", "", node.classes[k]));
  const facts = el("div", "muted");
  facts.textContent = node.reach[k] === null ? "blocked by the board"
    : `${node.combos[k]} combos, reach ${node.reach[k].toFixed(4)}`;
  tip.append(facts);
  if (node.reach[k] !== null) {
    const table = el("table", "");
    node.actions.forEach((action, a) => {
      const row = el("tr", "");
      const chip = el("span", "swatch");
      chip.style.background = action.colour;
      const name = el("td", "");
      name.append(chip, ` ${action.label}`);
      row.append(name, el("td", "num", percent(node.probs[a][k], 2)));
      table.append(row);
    });
    tip.append(table);
  }
  tip.classList.remove("hidden");
}

function place(event) {
  const tip = $("tooltip");
  const x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
  const y = Math.min(event.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
  tip.style.left = `${x}px`;
  tip.style.top = `${y}px`;
}

// -- start ------------------------------------------------------------------------------------

function fromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return [params.get("history") || "", params.get("board") || ""];
}

async function init() {
  $("export-by").addEventListener("change", () => node && drawExports());
  $("board-go").addEventListener("click", dealPicked);
  $("board-input").addEventListener("keydown", (event) => { if (event.key === "Enter") dealPicked(); });
  $("board-input").addEventListener("input", drawDeck);
  $("board-random").addEventListener("click", randomPick);
  $("board-cancel").addEventListener("click", closePicker);
  window.addEventListener("hashchange", () => {
    const [history, board] = fromHash();
    if (node && (history !== node.history || board !== node.board.join(""))) go(history, board);
  });
  let info;
  try {
    info = await loadInfo();
  } catch (error) {
    showMessage($("message"), error.message);
    return;
  }
  if (!info.strategy) {
    showMessage($("message"), "No policy loaded: start the server with holdem serve --policy RUN to see its strategy.",
                "info");
    return;
  }
  go(...fromHash());
}

init();
