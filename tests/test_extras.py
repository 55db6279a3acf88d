"""A missing optional module never becomes a traceback at a learner (issue: install where learners are)."""

import subprocess
import sys

from lstm_utils.extras import install_hint

BARE = """
import sys
for name in ("numpy", "torch", "keras", "tensorflow", "jax", "flax", "matplotlib", "ipywidgets", "scipy"):
    sys.modules[name] = None                     # as if not installed: importing it raises ImportError
import lstm_utils as lu
assert lu.count_params(5, 10) == 640 and lu.count_params(5, 10, framework="pytorch") == 680
assert lu.param_table(13, 10, framework="pytorch").total == 10 * 4 * (13 + 10 + 2)
from lstm_utils import exercises
said = [exercises.check(e.id, "1") for e in exercises.catalogue()]
lab = exercises.check("lab-step-forward", lambda *args: None)
missing = [f for f in said if f.ok is None]
print(len(said), len(missing), lab.ok)
print(missing[0].message)
print(lab.message)
"""


def test_nothing_installed_counting_works_and_check_names_what_to_install():
    out = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr               # no traceback for any exercise or lab
    counts, first, lab = out.stdout.splitlines()
    total, missing, lab_ok = counts.split()
    assert int(missing) > 0 and int(total) - int(missing) > 40 and lab_ok == "None"
    assert "not checked" in first and "pip install numpy in a terminal, or %pip install numpy" in first
    assert "pip install numpy" in lab


def test_install_hint_names_packages_on_pypi():
    assert install_hint("keras") == install_hint("tensorflow") == "pip install tensorflow keras"
    assert install_hint("flax.nnx") == "pip install jax flax"
    assert install_hint("matplotlib") == "pip install matplotlib"
