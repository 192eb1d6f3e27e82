"""Imports run down the pipeline only: no module imports from a later stage, and no cycles.

Every import in every module counts, lazy ones inside functions included.  The stages, in order:
cards (and the file container) < evaluator < engine < games, abstraction < tree < solver < training
< policy (blueprint) < agents < search < eval < play, acpc, views, distributed < web < cli.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "holdem"
STAGES = {"files": 0, "cards": 0, "_evaluator_tables": 1, "evaluator": 1, "engine": 2, "games": 3,
          "abstraction": 3, "tree": 4, "solver": 5, "training": 6, "blueprint": 7, "agents": 8, "search": 9,
          "eval": 10, "play": 11, "acpc": 11, "views": 11, "distributed": 11, "web": 12,
          "cli": 13}


def _unit(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Top-level units of ``holdem`` that ``path`` imports."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if path.name == "__init__.py":
        package = package + ("__init__",)
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:-node.level]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "holdem" and len(parts) > 1 and parts[1] in STAGES:
                found.add(parts[1])
    return found


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.parent == PACKAGE and path.name in ("__init__.py", "__main__.py"):
            continue
        edges.setdefault(_unit(path), set()).update(_imports(path) - {_unit(path)})
    return edges


def test_every_unit_has_a_stage():
    units = {_unit(p) for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")
             or p.parent != PACKAGE}
    assert units <= set(STAGES), f"give these a pipeline stage: {sorted(units - set(STAGES))}"


def test_imports_run_down_the_pipeline():
    upward = sorted(f"{unit} imports {other}" for unit, others in _edges().items() for other in others
                    if STAGES[other] > STAGES[unit])
    assert not upward, "imports from a later stage: " + "; ".join(upward)


def test_no_import_cycles():
    edges = _edges()
    for start in edges:
        seen, stack = set(), [start]
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                assert nxt != start, f"import cycle through {start} and {nxt}"
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
