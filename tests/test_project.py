"""Project set-up: environment.yml agrees with pyproject.toml, and `import lstm_utils` is light."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(requirements):
    pins = {}
    for req in requirements:
        name, _, version = req.partition("==")
        assert version, f"{req!r} is not pinned with =="
        pins[re.sub(r"[-_.]+", "-", name.strip().lower())] = version.strip()
    return pins


def _pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return _pins(project["dependencies"] + project["optional-dependencies"]["dev"])


def _environment_pins():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = lines.index("  - pip:")
    reqs = [ln.strip()[2:] for ln in lines[start + 1:] if ln.strip().startswith("- ")]
    assert "-e ." in reqs, "environment.yml must install the course package itself (-e .)"
    return _pins(r for r in reqs if r != "-e .")


def test_environment_yml_matches_pyproject():
    assert _environment_pins() == _pyproject_pins()


def test_required_pins():
    pins = _pyproject_pins()
    assert pins["torch"] == "2.13.0"  # a CPU wheel lies on disk; anything else downloads CUDA
    assert pins["keras"].startswith("3.")
    assert pins["jupyterlab"].startswith("4.")
    assert pins["ipywidgets"].startswith("8.")
    assert "tensorflow-cpu" in pins and "tensorflow" not in pins
    for name in ("numpy", "matplotlib", "nbval"):
        assert name in pins


def test_installed_versions_match_pins():
    from importlib.metadata import version

    for name, pinned in _pyproject_pins().items():
        installed = version(name)
        assert installed.split("+")[0] == pinned, f"{name}: installed {installed}, pinned {pinned}"


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
