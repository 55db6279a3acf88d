"""The package's three layers (see lstm_utils/__init__.py): read from the source with ast, then checked.

Every ``import`` statement counts, also those inside functions (that is how a lazy import can still
close a circle). A new module must be given a layer below before these tests pass.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import lstm_utils

PACKAGE = Path(lstm_utils.__file__).parent

#: The layers of lstm_utils/__init__.py's docstring: 1 plain-Python facts, 2 NumPy reference and
#: conversions, 3 presentation. A package's submodules share its layer.
LAYERS = {
    "_validate": 1, "_table": 1, "gates": 1, "counting": 1, "shapes": 1, "cost": 1,
    "reference": 2, "convert": 2, "tasks": 2, "timeseries": 2, "backward": 2, "gradients": 2,
    "variants": 2, "published": 2, "seeding": 2,
    "explaining": 3, "frameworks": 3, "layer_docs": 3, "cell_svg": 3, "plots": 3, "widgets": 3,
    "exercises": 3, "cli": 3, "__main__": 3,
}
#: Third-party packages no first-layer module may import at module level.
HEAVY = {"numpy", "torch", "keras", "tensorflow", "matplotlib", "ipywidgets", "IPython"}


def _modules() -> dict[str, Path]:
    """Dotted name below lstm_utils (``"exercises.checker"``) -> file, for every module but the root."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts == ("__init__",):
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every import statement of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, id(node) in top))
            found += [(f"{node.module}.{alias.name}", id(node) in top) for alias in node.names]
    return found


def _internal(name: str) -> str | None:
    """The lstm_utils module ``name`` lies in, or None: ``lstm_utils.counting.param_table`` -> counting."""
    if not name.startswith("lstm_utils."):
        return None
    parts = name.split(".")[1:]
    while parts and ".".join(parts) not in MODULES:
        parts.pop()
    return ".".join(parts) or None


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        targets = {_internal(module) for module, _ in _imports(path)} - {None, name}
        graph[name] = {t for t in targets if not name.startswith(f"{t}.")}  # a package's own __init__
    return graph


def _layer(name: str) -> int:
    return LAYERS[name.split(".")[0]]


def test_every_module_has_a_layer():
    assert sorted(n for n in MODULES if n.split(".")[0] not in LAYERS) == []


def test_no_module_imports_a_module_of_a_higher_layer():
    wrong = [(name, target) for name, targets in _graph().items() for target in targets
             if _layer(target) > _layer(name)]
    assert wrong == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle a depth-first walk of ``graph`` meets, each as the path that closes it."""
    state, circles = {}, []

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                circles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return circles


def test_no_import_circle_anywhere_in_the_package():
    assert _circles(_graph()) == []


def test_the_circle_check_finds_circles():
    assert _circles({"cli": {"explaining"}, "explaining": {"cli"}}) == [["cli", "explaining", "cli"]]
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _circles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


@pytest.mark.parametrize("name", [n for n in MODULES if _layer(n) == 1])
def test_the_first_layer_imports_no_numpy_and_no_framework(name):
    heavy = sorted({module.split(".")[0] for module, top in _imports(MODULES[name]) if top} & HEAVY)
    assert heavy == [], f"lstm_utils.{name} imports {heavy} at module level"
    lazily = sorted({module.split(".")[0] for module, top in _imports(MODULES[name]) if not top} & HEAVY)
    # The array checks of the validation module take NumPy arrays: they import NumPy when called.
    assert lazily == (["numpy"] if name == "_validate" else [])


def test_importing_the_first_layer_loads_no_numpy_and_no_framework():
    names = ", ".join(f"lstm_utils.{n}" for n in MODULES if _layer(n) == 1)
    code = f"import sys, {names}; print(sorted(set(sys.modules) & {set(HEAVY)!r}), end='')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]"
