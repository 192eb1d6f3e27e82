// Helpers shared by the pages of holdem serve: JSON requests, messages, cards, the top bar.
"use strict";

/** An error answer of the server: its one-line message and HTTP status. */
class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** The JSON answer of `method url` with `body` (sent as JSON); throws ApiError with the server's
 * {"error": ...} line (or, for an answer without one, the status text). */
async function api(method, url, body) {
  const options = {method, headers: {Accept: "application/json"}};
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new ApiError(`the server does not answer (${error.message}); is holdem serve still running?`, 0);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const line = data && typeof data.error === "string" ? data.error : `${response.status} ${response.statusText}`;
    throw new ApiError(line, response.status);
  }
  return data;
}

/** An element `tag` with class names `cls` and text `text` (either may be empty). */
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Show `text` in the message area `box` (#message); `kind` "error" or "info"; empty text hides it. */
function showMessage(box, text, kind = "error") {
  box.replaceChildren();
  box.classList.toggle("info", kind === "info");
  if (text) box.append(el("span", "", text));
}

const SUITS = {s: "\u2660", h: "\u2665", d: "\u2666", c: "\u2663"};

/** A card element for "As", "Td" (rank then suit letter); null draws a face-down card. */
function cardEl(card) {
  if (card === null) return el("div", "card back");
  const node = el("div", `card ${card[1]}`);
  node.dataset.card = card;
  node.append(el("span", "rank", card[0] === "T" ? "10" : card[0]), el("span", "suit", SUITS[card[1]]));
  return node;
}

/** Chips as text with thousands separators: 10000 -> "10,000". */
function chips(n) {
  return Number(n).toLocaleString("en-US");
}

/** /api/info, with the top bar's policy label filled in (ApiError when it fails). */
async function loadInfo() {
  const label = document.getElementById("policy");
  try {
    const info = await api("GET", "/api/info");
    label.textContent = info.policy ? `policy: ${info.policy}` : "no policy loaded";
    return info;
  } catch (error) {
    label.textContent = "server not answering";
    throw error;
  }
}
