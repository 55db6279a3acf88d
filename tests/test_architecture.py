"""The package's layers, derived from the modules: each declares ``LAYER``, ordered by ``lstm_utils.LAYERS``.

Every ``import`` statement counts, also those inside functions (that is how a lazy import can still
close a circle). A module is read with ast, not imported, so a new module without a ``LAYER`` fails
here before anything else runs it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import lstm_utils

PACKAGE = Path(lstm_utils.__file__).parent


def _declared_layer(path: Path) -> str | None:
    """The string a module assigns to ``LAYER`` at module level, or None."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["LAYER"]
                and isinstance(node.value, ast.Constant)):
            return node.value.value
    return None


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
#: Module -> its layer's rank (1 = lstm_utils.LAYERS[0]), from the modules' own declarations.
LAYERS = {name: lstm_utils.LAYERS.index(_declared_layer(path)) + 1
          for name, path in MODULES.items() if _declared_layer(path) in lstm_utils.LAYERS}
#: Third-party packages no first-layer module may import at module level.
HEAVY = {"numpy", "torch", "keras", "tensorflow", "jax", "flax", "matplotlib", "ipywidgets", "IPython"}



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
    return LAYERS[name]


def test_every_module_declares_a_layer():
    wrong = {n: _declared_layer(p) for n, p in MODULES.items() if n not in LAYERS}
    assert wrong == {}, f"set LAYER to one of {lstm_utils.LAYERS} in each of these modules"


def test_a_package_and_its_modules_share_a_layer():
    assert sorted(n for n in MODULES if "." in n and n.split(".")[0] in MODULES
                  and LAYERS.get(n) != LAYERS.get(n.split(".")[0])) == []


def test_the_layers_are_named_once_in_the_package():
    assert lstm_utils.LAYERS == ("facts", "computation", "presentation")
    assert ":data:`LAYERS`" in lstm_utils.__doc__ and "tests/test_architecture.py" in lstm_utils.__doc__


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


@pytest.mark.parametrize("name", [n for n in MODULES if LAYERS.get(n) == 1])
def test_the_first_layer_imports_no_numpy_and_no_framework(name):
    heavy = sorted({module.split(".")[0] for module, top in _imports(MODULES[name]) if top} & HEAVY)
    assert heavy == [], f"lstm_utils.{name} imports {heavy} at module level"
    lazily = sorted({module.split(".")[0] for module, top in _imports(MODULES[name]) if not top} & HEAVY)
    # The array checks of the validation module take NumPy arrays: they import NumPy when called.
    assert lazily == (["numpy"] if name == "_validate" else [])


def test_importing_the_first_layer_loads_no_numpy_and_no_framework():
    names = ", ".join(f"lstm_utils.{n}" for n in MODULES if LAYERS.get(n) == 1)
    code = f"import sys, {names}; print(sorted(set(sys.modules) & {set(HEAVY)!r}), end='')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]"
