"""Project set-up: requirements as ranges, the course's versions in constraints.txt (and environment.yml),
and `import lstm_utils` is light."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _norm(name):
    return re.sub(r"[-_.]+", "-", name.strip().lower())


def _pins(requirements):
    pins = {}
    for req in requirements:
        name, _, version = req.partition("==")
        assert version, f"{req!r} is not pinned with =="
        pins[_norm(name)] = version.strip()
    return pins


def _constraints(section=None):
    """constraints.txt's pins: all of them, or those of the block under the comment naming ``section``."""
    text = (ROOT / "constraints.txt").read_text()
    if section:
        text = text.split(section, 1)[1].split("\n\n", 1)[0]
    return _pins(ln for ln in text.splitlines()[1 if section else 0:] if ln and not ln.startswith("#"))


def _direct_pins():
    return _constraints("# The direct requirements of pyproject.toml")


def _environment_pins():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = lines.index("  - pip:")
    reqs = [ln.strip()[2:] for ln in lines[start + 1:] if ln.strip().startswith("- ")]
    assert "-e ." in reqs, "environment.yml must install the course package itself (-e .)"
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in reqs, "torch from the CPU index"
    return _pins(r for r in reqs if r != "-e ." and not r.startswith("--"))


def _requirements():
    """Every requirement of pyproject.toml (dependencies and extras), as packaging Requirements."""
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [Requirement(r) for r in reqs if not r.startswith("lstm-course[")]


def test_environment_yml_matches_constraints():
    assert _environment_pins() == _direct_pins()


def test_requirements_are_ranges_the_course_versions_satisfy():
    direct = _direct_pins()
    for req in _requirements():
        if req.marker is not None and not req.marker.evaluate():
            continue                           # e.g. tensorflow (not -cpu) on macOS only
        assert "==" not in str(req.specifier), f"{req}: the package's requirements are ranges"
        assert _norm(req.name) in direct, f"{req.name} has no exact version in constraints.txt"
        assert req.specifier.contains(direct[_norm(req.name)]), \
            f"{req}: the course's version {direct[_norm(req.name)]} is outside the range"


def test_plain_and_numpy_layers_need_only_numpy_matplotlib_ipywidgets():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    from packaging.requirements import Requirement

    names = sorted(Requirement(r).name for r in project["dependencies"])
    assert names == ["ipywidgets", "matplotlib", "numpy"]
    assert {"torch", "tensorflow", "flax", "all", "dev", "grading"} <= set(project["optional-dependencies"])


def test_required_pins():
    pins = _direct_pins()
    assert pins["torch"] == "2.13.0"  # a CPU wheel lies on disk; anything else downloads CUDA
    assert pins["keras"].startswith("3.")
    assert pins["jupyterlab"].startswith("4.")
    assert pins["ipywidgets"].startswith("8.")
    assert "tensorflow-cpu" in pins and "tensorflow" not in _constraints()
    for name in ("numpy", "matplotlib", "nbval"):
        assert name in pins


@pytest.mark.skipif(os.environ.get("LSTM_FRAMEWORK_FREE") == "1", reason="the framework-free run "
                    "installs the package and NumPy only, not the course's environment")
def test_installed_versions_match_constraints():
    from importlib.metadata import PackageNotFoundError, version

    direct = _direct_pins()
    for name, pinned in _constraints().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            assert name not in direct, f"{name} is not installed"
            continue            # a package another platform's resolution pulls in
        assert installed.split("+")[0] == pinned, f"{name}: installed {installed}, constraints.txt {pinned}"


LAZY_CHECK = """
import sys
import lstm_utils
assert lstm_utils.count_params(5, 10) == 640
print(sorted(m for m in ("torch", "tensorflow", "keras", "numpy", "matplotlib") if m in sys.modules))
"""


def test_import_loads_no_framework():
    # How fast the import is depends on the machine's load: benchmarks/import_time.py measures it.
    out = subprocess.run([sys.executable, "-c", LAZY_CHECK], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", f"import lstm_utils loaded {out}"


def test_every_notebook_is_on_the_course_map():
    import json

    start = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text())
    text = "".join("".join(c["source"]) for c in start["cells"] if c["cell_type"] == "markdown")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"({path.name})" in text, f"{path.name} is missing from the map in 00_start_here"


def test_binder_installs_what_make_lab_installs_with_cpu_torch():
    binder = ROOT / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    lines = [ln.strip() for ln in (binder / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines == ["--extra-index-url https://download.pytorch.org/whl/cpu", "-c ../constraints.txt",
                     ".[all]"]
    start = (binder / "start").read_text()
    assert "TF_ENABLE_ONEDNN_OPTS=0" in start and 'exec "$@"' in start
    env = (ROOT / "environment.yml").read_text()
    assert "  - python=3.11\n" in env
    makefile = (ROOT / "Makefile").read_text()
    assert 'pip install -e ".[dev]" -c constraints.txt $$index' in makefile and "other-pythons" in makefile
    assert "TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu" in makefile
