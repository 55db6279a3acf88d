"""What to install for an optional module: the package's extras (pyproject.toml), in one place.

``import lstm_utils`` and the counting API need nothing; the NumPy layer needs numpy, the plots and the
explorer matplotlib and ipywidgets; each framework is an extra of the package. :func:`install_hint`
turns the name of a missing module into the command that installs it, for every message that says so
(``lu.exercises.check`` among them).
"""

from __future__ import annotations

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["EXTRAS", "install_hint"]

#: A framework's import name -> the extra of lstm-course that installs it.
EXTRAS = {"torch": "torch", "keras": "tensorflow", "tensorflow": "tensorflow", "jax": "flax", "flax": "flax",
          "onnx": "notebooks", "onnxruntime": "notebooks", "nbgrader": "grading", "otter": "grading"}


def install_hint(module: str) -> str:
    """The pip command that installs ``module`` for this course.

    >>> install_hint("torch")
    'pip install "lstm-course[torch]"'
    >>> install_hint("numpy.linalg")
    'pip install numpy'
    """
    top = str(module).split(".")[0]
    if top in EXTRAS:
        return f'pip install "lstm-course[{EXTRAS[top]}]"'
    return f"pip install {top}"
