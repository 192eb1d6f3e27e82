// The runs page: a training run's curves (metrics.jsonl) and, when measured, its snapshots'
// strength (curves/strength.json), drawn with chart.js from /api/runs/{name}.
"use strict";

const $ = (id) => document.getElementById(id);
const STREETS = ["preflop", "flop", "turn", "river"];
const STREET_COLOURS = {preflop: "#4e9af1", flop: "#f2a541", turn: "#5fd17a", river: "#e0607e"};
const ALL_COLOUR = "#e4e7ea";
const TIME = "training time (s)";

let run = null;  // the /api/runs/{name} answer shown

function streetSeries(series, prefix) {
  return STREETS.filter((street) => series[`${prefix}_${street}`])
    .map((street) => ({name: street, colour: STREET_COLOURS[street], points: series[`${prefix}_${street}`]}));
}

function draw() {
  if (!run) return;
  const s = run.series;
  lineChart($("chart-speed"), [{name: "iterations/s", colour: "#4e9af1", points: s.iters_per_s || []}],
            {xLabel: TIME, yLabel: "iterations/s", zero: true});
  lineChart($("chart-infosets"), [{name: "all", colour: ALL_COLOUR, points: s.infosets_touched || []},
                                  ...streetSeries(s, "infosets_touched")],
            {xLabel: TIME, yLabel: "infosets", zero: true});
  lineChart($("chart-regret"), [{name: "avg positive regret", colour: "#e0607e", points: s.avg_positive_regret || []}],
            {xLabel: TIME, yLabel: "regret", log: true});
  lineChart($("chart-entropy"), streetSeries(s, "entropy"), {xLabel: TIME, yLabel: "nats per infoset", zero: true});
  const rows = run.strength || [];
  $("strength").classList.toggle("hidden", rows.length === 0);
  if (rows.length === 0) return;
  lineChart($("chart-strength"), [
    {name: "LBR against the snapshot", colour: "#e0607e", points: rows.map((r) => [r.elapsed, r.lbr_mbb_per_hand]),
     errors: rows.map((r) => r.lbr_ci95)},
    {name: "snapshot against the final blueprint", colour: "#4e9af1",
     points: rows.map((r) => [r.elapsed, r.vs_final_mbb_per_hand]), errors: rows.map((r) => r.vs_final_ci95)},
  ], {xLabel: TIME, yLabel: "mbb/hand", zero: true});
}

function interval(ci) {
  return ci ? `[${ci[0].toFixed(0)}, ${ci[1].toFixed(0)}]` : "";
}

function strengthTable(rows) {
  const table = $("strength-table");
  const head = el("tr", "");
  for (const name of ["time (s)", "iterations", "LBR mbb/hand", "95%", "vs final mbb/hand", "95%"]) {
    head.append(el("th", "", name));
  }
  table.replaceChildren(head, ...rows.map((r) => {
    const row = el("tr", "");
    row.append(el("td", "", r.elapsed.toFixed(0)), el("td", "", r.iterations === undefined ? "" : chips(r.iterations)),
               el("td", "", r.lbr_mbb_per_hand.toFixed(0)), el("td", "muted", interval(r.lbr_ci95)),
               el("td", "", r.vs_final_mbb_per_hand.toFixed(0)), el("td", "muted", interval(r.vs_final_ci95)));
    return row;
  }));
}

async function show(name) {
  showMessage($("message"), "");
  try {
    run = await api("GET", `/api/runs/${encodeURIComponent(name)}`);
  } catch (error) {
    showMessage($("message"), error.message);
    return;
  }
  location.hash = new URLSearchParams({run: name}).toString();
  const iterations = run.series.iters_per_s ? run.series.iters_per_s.length : 0;
  const last = (key) => (run.series[key] || []).at(-1);
  const end = last("iterations");
  $("run-facts").textContent = iterations === 0 ? "no metrics.jsonl lines in this run"
    : `${iterations} metrics lines` + (end ? `, ${chips(end[1])} iterations in ${end[0].toFixed(0)} s` : "")
      + (run.strength ? `, ${run.strength.length} snapshots measured`
        : ", strength not measured (holdem curves --lbr)");
  strengthTable(run.strength || []);
  draw();
}

async function init() {
  let runs;
  try {
    await loadInfo();
    runs = await api("GET", "/api/runs");
  } catch (error) {
    showMessage($("message"), error.message);
    return;
  }
  if (runs.length === 0) {
    showMessage($("message"), "No runs to show: start the server with holdem serve --runs DIR ...", "info");
    return;
  }
  const select = $("run");
  select.replaceChildren(...runs.map((r) => new Option(r.name + (r.metrics ? "" : " (no metrics)"), r.name)));
  const wanted = new URLSearchParams(location.hash.slice(1)).get("run");
  select.value = runs.some((r) => r.name === wanted) ? wanted : runs[0].name;
  select.addEventListener("change", () => show(select.value));
  let pending = false;
  window.addEventListener("resize", () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  });
  show(select.value);
}

init();
