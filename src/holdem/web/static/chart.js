// A small line chart on a canvas: series of (x, y) points, linear or log y axis, optional
// vertical error bars, a legend.  No library: the runs page's curves are few and simple.
"use strict";

const CHART_STYLE = {
  background: "#1c2228", grid: "#2d363f", axis: "#93a1ad", text: "#c9d1d9", font: "12px DejaVu Sans, sans-serif",
  margin: {left: 64, right: 16, top: 34, bottom: 42},
};

/** About `count` round tick values (1, 2 or 5 times a power of ten apart) covering lo..hi. */
function linearTicks(lo, hi, count = 5) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return out;
}

/** Ticks of a log axis over log10 values lo..hi: the powers of ten, with 2 and 5 between them when
 * the range spans less than two decades. */
function logTicks(lo, hi) {
  const out = [];
  const fine = hi - lo < 2;
  for (let p = Math.floor(lo); p <= Math.ceil(hi); p++) {
    for (const m of fine ? [1, 2, 5] : [1]) {
      const v = Math.log10(m) + p;
      if (v >= lo - 1e-9 && v <= hi + 1e-9) out.push(v);
    }
  }
  return out;
}

/** A tick label: 12k, 3.5M, 0.01, 1e-5. */
function tickLabel(v) {
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a >= 1e-3) return `${+v.toPrecision(3)}`;
  return v.toExponential(0);
}

/** Draw `series` ([{name, colour, points: [[x, y], ...], errors: [[lo, hi], ...] | undefined}])
 * on `canvas` at its displayed size, with `options` {xLabel, yLabel, log (y axis), zero (y axis
 * from 0)}.  Points a log axis cannot show (y <= 0) are left out. */
function lineChart(canvas, series, options = {}) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = CHART_STYLE.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = CHART_STYLE.font;
  const m = CHART_STYLE.margin;
  const plot = {x: m.left, y: m.top, w: width - m.left - m.right, h: height - m.top - m.bottom};
  const fy = options.log ? (y) => (y > 0 ? Math.log10(y) : NaN) : (y) => y;

  const shown = series.map((s) => ({
    ...s,
    points: s.points.map(([x, y], i) => [x, fy(y), s.errors ? s.errors[i].map(fy) : null])
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  })).filter((s) => s.points.length > 0);
  if (shown.length === 0) {
    ctx.fillStyle = CHART_STYLE.axis;
    ctx.textAlign = "center";
    ctx.fillText("no data", width / 2, height / 2);
    return;
  }
  const xs = shown.flatMap((s) => s.points.map((p) => p[0]));
  const ys = shown.flatMap((s) => s.points.flatMap((p) => [p[1], ...(p[2] || [])].filter(Number.isFinite)));
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (x0 > 0 && x0 < 0.25 * x1) x0 = 0;  // a time axis starts at 0 unless the points begin late
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (options.zero && !options.log) [y0, y1] = [Math.min(y0, 0), Math.max(y1, 0)];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  x1 += (x1 - x0) * 0.02;  // the last point's marker and error bar stay inside the plot
  if (y1 === y0) [y0, y1] = [y0 - (Math.abs(y0) || 1) * 0.1, y1 + (Math.abs(y1) || 1) * 0.1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - (options.zero && y0 === 0 ? 0 : pad), y1 + pad];
  const px = (x) => plot.x + ((x - x0) / (x1 - x0)) * plot.w;
  const py = (y) => plot.y + plot.h - ((y - y0) / (y1 - y0)) * plot.h;

  // grid and ticks
  ctx.strokeStyle = CHART_STYLE.grid;
  ctx.fillStyle = CHART_STYLE.axis;
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of options.log ? logTicks(y0, y1) : linearTicks(y0, y1)) {
    const y = Math.round(py(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(plot.x, y);
    ctx.lineTo(plot.x + plot.w, y);
    ctx.stroke();
    ctx.fillText(tickLabel(options.log ? 10 ** t : t), plot.x - 6, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of linearTicks(x0, x1, Math.max(2, Math.floor(plot.w / 90)))) {
    const x = Math.round(px(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, plot.y);
    ctx.lineTo(x, plot.y + plot.h);
    ctx.stroke();
    ctx.fillText(tickLabel(t), x, plot.y + plot.h + 6);
  }
  ctx.strokeStyle = CHART_STYLE.axis;
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w, plot.h);
  if (options.xLabel) ctx.fillText(options.xLabel, plot.x + plot.w / 2, plot.y + plot.h + 24);
  if (options.yLabel) {
    ctx.save();
    ctx.translate(14, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(options.yLabel + (options.log ? " (log)" : ""), 0, 0);
    ctx.restore();
  }

  // the series, clipped to the plot
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.w, plot.h);
  ctx.clip();
  for (const s of shown) {
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i ? ctx.lineTo(px(x), py(y)) : ctx.moveTo(px(x), py(y))));
    ctx.stroke();
    ctx.lineWidth = 1.5;
    for (const [x, y, error] of s.points) {
      if (s.points.length <= 40) {
        ctx.beginPath();
        ctx.arc(px(x), py(y), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
      if (error && error.every(Number.isFinite)) {
        const [top, bottom] = [py(error[1]), py(error[0])];
        ctx.beginPath();
        ctx.moveTo(px(x), top);
        ctx.lineTo(px(x), bottom);
        ctx.moveTo(px(x) - 4, top);
        ctx.lineTo(px(x) + 4, top);
        ctx.moveTo(px(x) - 4, bottom);
        ctx.lineTo(px(x) + 4, bottom);
        ctx.stroke();
      }
    }
  }
  ctx.restore();

  // legend, right-aligned above the plot
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  let x = plot.x + plot.w;
  for (const s of [...shown].reverse()) {
    x -= ctx.measureText(s.name).width + 28;
    ctx.fillStyle = s.colour;
    ctx.fillRect(x, m.top / 2 - 2, 14, 4);
    ctx.fillStyle = CHART_STYLE.text;
    ctx.fillText(s.name, x + 18, m.top / 2);
  }
}
