"""The runs page's data: the training curves and strength measurements of run directories.

The runs are fixed when the server starts (:class:`RunIndex`); a page names them by name only,
never by path.  A run's series are every numeric key of its ``metrics.jsonl`` against training
seconds (what ``holdem curves`` draws into ``training.png``), and its strength rows are those of
``curves/strength.json`` (``holdem curves --lbr``), when it has been measured.
"""

from __future__ import annotations

import json
from pathlib import Path

from holdem.views.curves import read_metrics

METRICS = "metrics.jsonl"
STRENGTH = Path("curves") / "strength.json"


class RunIndex:
    """The run directories ``paths`` under their names (a repeated name gets ``-2``, ``-3``...)."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths: dict[str, Path] = {}
        for path in paths:
            name, k = path.resolve().name, 1
            while name in self.paths:
                k += 1
                name = f"{path.resolve().name}-{k}"
            self.paths[name] = path

    def listing(self) -> list[dict]:
        """``[{"name", "metrics", "strength"}]``: each run and which of its files exist."""
        return [{"name": name, "metrics": (path / METRICS).is_file(), "strength": (path / STRENGTH).is_file()}
                for name, path in self.paths.items()]

    def run(self, name: str) -> dict | None:
        """``{"name", "series": {key: [[elapsed, value], ...]}, "strength": rows | None}``, or None for
        a name that is not one of the runs."""
        path = self.paths.get(name)
        if path is None:
            return None
        metrics = read_metrics(path / METRICS) if (path / METRICS).is_file() else []
        series: dict[str, list[list[float]]] = {}
        for row in metrics:
            for key, value in row.items():
                if key != "elapsed" and isinstance(value, int | float) and not isinstance(value, bool):
                    series.setdefault(key, []).append([row["elapsed"], value])
        strength = None
        if (path / STRENGTH).is_file():
            try:
                strength = json.loads((path / STRENGTH).read_text()).get("snapshots")
            except (ValueError, AttributeError):
                strength = None
        return {"name": name, "series": series, "strength": strength}
