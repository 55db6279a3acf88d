"""The framework-free run's pytest plugin (make other-pythons: tests/other_pythons.sh loads it with
``-p framework_free``): Python 3.12 and 3.13 with the package and NumPy only. As a plugin, not a
conftest, it covers the doctests of lstm_utils/ too."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Set by tests/other_pythons.sh: only the package, NumPy and the test tools are installed.
FRAMEWORK_FREE = os.environ.get("LSTM_FRAMEWORK_FREE") == "1"
#: What the framework-free run may lack: a test that needs one of these is skipped there, with the name.
OPTIONAL = ("torch", "keras", "tensorflow", "jax", "flax", "matplotlib", "ipywidgets", "onnx",
            "onnxruntime", "yaml", "nbformat", "nbval", "playwright", "statsmodels", "torchinfo", "tqdm",
            "nbgrader", "otter", "jupyter_client", "ipykernel", "IPython", "PIL", "scipy", "pandas")


def _missing_optional(exc: BaseException | None) -> str | None:
    """The optional module an ImportError (possibly inside a doctest failure) names, if any."""
    import doctest

    for failure in getattr(exc, "failures", None) or [exc]:        # pytest's MultipleDoctestFailures
        if isinstance(failure, doctest.UnexpectedException):
            failure = failure.exc_info[1]
        if isinstance(failure, ImportError) and failure.name and failure.name.split(".")[0] in OPTIONAL:
            return failure.name.split(".")[0]
    return None


def _imports_missing(path: Path) -> str | None:
    """The first optional module that a test file or package module imports at its top and that is missing."""
    import ast
    import importlib.util

    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
        if isinstance(node, ast.ImportFrom) and node.module == "lstm_utils":   # from lstm_utils import plots
            names += [f"lstm_utils.{a.name}" for a in node.names]
        for name in names:
            top = name.split(".")[0]
            if top in OPTIONAL and importlib.util.find_spec(top) is None:
                return top
            own = ROOT / (name.replace(".", "/") + ".py")
            if top == "lstm_utils" and own.exists() and own != path:  # a package module imported at the top
                missing = _imports_missing(own)
                if missing:
                    return missing
    return None


def pytest_ignore_collect(collection_path, config):
    """In the framework-free run, a file importing a missing optional module at its top is not collected."""
    if FRAMEWORK_FREE and collection_path.suffix == ".py" and collection_path.name != "conftest.py":
        missing = _imports_missing(Path(collection_path))
        if missing:
            config._lstm_ignored = getattr(config, "_lstm_ignored", []) + [(collection_path.name, missing)]
            return True
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In the framework-free run, a test that fails only because an optional module is missing is skipped."""
    outcome = yield
    report = outcome.get_result()
    if FRAMEWORK_FREE and call.excinfo is not None and report.failed:
        missing = _missing_optional(call.excinfo.value)
        if missing:
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1] or 0, f"needs {missing} (framework-free run)")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    ignored = getattr(config, "_lstm_ignored", [])
    if ignored:
        terminalreporter.write_line(f"framework-free run: {len(ignored)} files not collected (their imports "
                                    "are missing): " + ", ".join(f"{n} ({m})" for n, m in ignored))
