"""The library's import arrows point one way: no circles, and no package imports one above it.

Read from the source with ``ast`` (every import, including those inside functions), so a deferred
import cannot hide an arrow pointing the wrong way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parents[1] / "validator"

# The foundations: read by everything, importing only each other.
FOUNDATION = {"version", "standard", "periods", "publication", "addresses", "catalogue", "arrow"}

# What each part of the library may import, besides itself. A part is a top-level module or a
# sub-package; the order is the walk of a return: read it, check it, report it, then the things
# built on that (what officers get back, the reference pages, the generator, the figures).
MAY_IMPORT: dict[str, set[str]] = {
    "addresses": set(),
    "arrow": set(),
    "version": set(),
    "catalogue": set(),
    "periods": set(),
    "standard_cache": set(),
    "standard": {"standard_cache"},
    "publication": {"standard"},
    "readers": FOUNDATION,
    "report": FOUNDATION,
    "checks": FOUNDATION | {"readers", "report"},
    "engine": FOUNDATION | {"readers", "report", "checks"},
    "excel": FOUNDATION | {"readers", "report", "engine"},
    "docgen": FOUNDATION | {"report"},
    "synthetic": FOUNDATION,
    "figures": FOUNDATION | {"report"},
    "stock": FOUNDATION,
    "startup": set(),
    "cli": FOUNDATION
    | {
        "readers",
        "report",
        "checks",
        "engine",
        "excel",
        "docgen",
        "synthetic",
        "figures",
        "startup",
    },
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = list(path.relative_to(LIBRARY.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The library modules ``name`` imports (a name imported from a package counts as the
    package's module when it is a module, else as the package face)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "validator"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "validator":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in MODULES else target)
    out.discard(name)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_part_of_the_library_has_its_place_in_the_order():
    parts = {_part(m) for m in MODULES} - {"__init__"}
    assert parts == set(MAY_IMPORT), "add the new part to MAY_IMPORT (and docs/architecture.md)"


def wrong_arrows(module: str, targets: set[str]) -> list[str]:
    """The imports of ``module`` that point up or sideways, with the reason."""
    part = _part(module)
    wrong = []
    for target in sorted(targets):
        other = _part(target)
        if target == "validator":
            wrong.append(f"{target} (the package face: import the module that defines it)")
        elif other != part and other not in MAY_IMPORT[part]:
            wrong.append(f"{target} (not below {part})")
        elif other != part and target == f"validator.{other}" and other in {"readers", "report"}:
            # inside the library, import the module that defines a name, not a sub-package's
            # face, so that a face can never close a circle
            wrong.append(f"{target} (a package face)")
    return wrong


def find_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle of imports found by a depth-first walk, as the path that closes it."""
    state: dict[str, int] = {}  # 1: on the current path; 2: done
    circles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if target not in graph:
                continue
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return circles


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "validator"))
def test_imports_point_down_the_pipeline(module):
    assert not wrong_arrows(module, GRAPH[module])


def test_no_circle_of_imports():
    assert not find_circles(GRAPH)


def test_the_rules_can_fail():
    """Guard: an upward import, an import of the package face and a circle are each caught."""
    assert wrong_arrows("validator.readers.csv", {"validator.checks.structure"})
    assert wrong_arrows("validator.checks.rules", {"validator"})
    assert wrong_arrows("validator.checks.rules", {"validator.report"})
    assert not wrong_arrows("validator.checks.rules", {"validator.report.collector"})
    circle = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_circles(circle) == [["a", "b", "c", "a"]]
    assert not find_circles({"a": {"b"}, "b": set()})
