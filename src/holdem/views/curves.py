"""Training curves of a run directory: speed, coverage, regret and entropy from ``metrics.jsonl``,
and strength against training time from its snapshots.

Strength is measured per snapshot with local best response (Lisy & Bowling 2017: LBR's win rate
is a lower bound on the snapshot's exploitability, up to sampling error) and head to head against
the run's final blueprint (duplicate dealing), both in mbb/hand with 95% intervals.  Every
snapshot is played on the same deals (one seed for all), so the differences between snapshots
carry less card noise than their intervals suggest.  When LBR stops falling, or the snapshots
stop losing to the final blueprint, more training of this abstraction no longer pays.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from holdem.agents.blueprint_agent import BlueprintAgent
from holdem.engine import STREETS
from holdem.eval.lbr import LBRConfig, local_best_response
from holdem.eval.match import play_match
from holdem.eval.stats import Estimate, mbb_estimate

from .charts import DPI



def read_metrics(path: str | Path) -> list[dict]:
    """The lines of a ``metrics.jsonl`` as dicts, in order; a line cut short by a kill is skipped."""
    out = []
    for line in Path(path).read_text().splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and "elapsed" in row:
            out.append(row)
    return out


def _series(metrics: list[dict], key: str) -> tuple[list[float], list[float]]:
    points = [(m["elapsed"], m[key]) for m in metrics if isinstance(m.get(key), int | float)]
    return [p[0] for p in points], [p[1] for p in points]


def draw_training(metrics: list[dict], title: str) -> Figure:
    """Four panels against training seconds: iterations/s, infosets touched (all and per street),
    average positive regret (log scale) and the current strategy's mean entropy per street."""
    fig = Figure(figsize=(11, 7.5), dpi=DPI)
    FigureCanvasAgg(fig)
    speed, touched, regret, entropy = fig.subplots(2, 2).ravel()
    speed.plot(*_series(metrics, "iters_per_s"), marker=".")
    speed.set_ylabel("iterations/s")
    touched.plot(*_series(metrics, "infosets_touched"), label="all", color="black")
    for street in STREETS:
        touched_key, entropy_key = f"infosets_touched_{street}", f"entropy_{street}"
        if any(touched_key in m for m in metrics):
            touched.plot(*_series(metrics, touched_key), label=street)
        if any(entropy_key in m for m in metrics):
            entropy.plot(*_series(metrics, entropy_key), label=street)
    touched.set_ylabel("infosets touched")
    touched.legend(fontsize=8)
    regret.plot(*_series(metrics, "avg_positive_regret"), color="tab:red")
    regret.set_yscale("log")
    regret.set_ylabel("average positive regret")
    entropy.set_ylabel("current strategy entropy (nats per infoset)")
    if entropy.lines:
        entropy.legend(fontsize=8)
    for ax in (speed, touched, regret, entropy):
        ax.set_xlabel("training time (s)")
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def pick_snapshots(snapshots: list[Path], count: int) -> list[Path]:
    """At most ``count`` of ``snapshots`` (oldest first), evenly spaced, the first and last included."""
    if len(snapshots) <= count:
        return list(snapshots)
    picks = np.unique(np.round(np.linspace(0, len(snapshots) - 1, count)).astype(int))
    return [snapshots[i] for i in picks.tolist()]


@dataclass(frozen=True)
class Strength:
    """One snapshot's measurements at ``elapsed`` training seconds: LBR's win rate against it, its
    own win rate against the final blueprint (mbb/hand with 95% intervals), and LBR's results per
    deal, float64 (deals,) in chips (the same deals for every snapshot of one measurement)."""

    snapshot: Path
    iterations: int
    elapsed: float
    lbr: Estimate
    vs_final: Estimate
    lbr_values: np.ndarray = field(repr=False)
    big_blind: int = 100

    def lbr_change(self, first: Strength) -> Estimate:
        """The change of LBR's win rate since ``first``, deal by deal on the shared deals (a paired
        estimate: the card luck the two measurements share cancels)."""
        return mbb_estimate(self.lbr_values - first.lbr_values, self.big_blind)

    def record(self, first: Strength) -> dict:
        """JSON-ready fields, with the LBR change since ``first``."""
        change = self.lbr_change(first)
        return {"snapshot": str(self.snapshot), "iterations": self.iterations, "elapsed": round(self.elapsed, 2),
                "lbr_mbb_per_hand": round(self.lbr.mbb_per_hand, 1), "lbr_ci95": [round(x, 1) for x in self.lbr.ci95],
                "lbr_change_since_first": round(change.mbb_per_hand, 1),
                "lbr_change_ci95": [round(x, 1) for x in change.ci95],
                "vs_final_mbb_per_hand": round(self.vs_final.mbb_per_hand, 1),
                "vs_final_ci95": [round(x, 1) for x in self.vs_final.ci95]}


def measure(snapshot: Path, final: Path, *, lbr_hands: int, hands: int, lbr: LBRConfig, seed: int,
            workers: int, progress: Callable[[str], None] | None = None) -> Strength:
    """LBR against ``snapshot`` for ``lbr_hands`` hands and ``hands`` duplicate hands of it against the
    blueprint ``final``, on the deals of ``seed``, in ``workers`` processes."""
    agent = BlueprintAgent.load(snapshot, seed=seed)
    rules = agent.rules
    if progress is not None:
        progress("lbr")
    lbr_result = local_best_response(agent, lbr_hands, rules=rules, config=lbr, seed=seed, workers=workers)
    if progress is not None:
        progress("vs final")
    match = play_match([agent, BlueprintAgent.load(final, seed=seed + 1, name="final")], hands, rules=rules,
                       duplicate=True, seed=seed, workers=workers)
    manifest = agent.blueprint.manifest
    return Strength(snapshot, int(manifest.get("iterations", 0)), float(manifest.get("elapsed", 0.0)),
                    lbr_result.estimate(), match.estimate(0), lbr_result.values, rules.big_blind)


def draw_strength(rows: list[Strength], title: str, lbr_name: str) -> Figure:
    """Two panels against training seconds, with 95% interval bars: LBR's win rate against each
    snapshot, and each snapshot's win rate against the final blueprint."""
    fig = Figure(figsize=(11, 4.6), dpi=DPI)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    x = [r.elapsed for r in rows]
    for ax, key, colour, label in ((left, "lbr", "tab:red", f"LBR ({lbr_name}) wins, mbb/hand"),
                                   (right, "vs_final", "tab:blue", "snapshot vs final blueprint, mbb/hand")):
        est = [getattr(r, key) for r in rows]
        mean = [e.mbb_per_hand for e in est]
        err = [[m - e.ci95[0] for m, e in zip(mean, est)], [e.ci95[1] - m for m, e in zip(mean, est)]]
        ax.errorbar(x, mean, yerr=err, marker="o", capsize=5, color=colour)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xlabel("training time (s)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    left.set_title("exploitability lower bound (lower is better)", fontsize=10)
    right.set_title("head to head (0 = as strong as the final)", fontsize=10)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
