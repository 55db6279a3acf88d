"""What to install for an optional module: the package's extras (pyproject.toml), in one place.

``import lstm_utils`` and the counting API need nothing; the NumPy layer needs numpy, the plots and the
explorer matplotlib and ipywidgets; each framework is an extra of the package. :func:`install_hint`
turns the name of a missing module into the pip command that installs it from PyPI, for every message
that says so (``lu.exercises.check`` among them).
"""

from __future__ import annotations

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["PACKAGES", "install_hint"]

#: An import name -> the packages on PyPI that provide it (the course's extras of pyproject.toml name the
#: same; lstm-course itself is installed from its repository, not from PyPI).
PACKAGES = {"torch": "torch", "keras": "tensorflow keras", "tensorflow": "tensorflow keras",
            "jax": "jax flax", "flax": "jax flax", "otter": "otter-grader", "yaml": "PyYAML", "PIL": "pillow",
            "sklearn": "scikit-learn"}


def install_hint(module: str) -> str:
    """The pip command that installs ``module`` for this course.

    >>> install_hint("keras")
    'pip install tensorflow keras'
    >>> install_hint("numpy.linalg")
    'pip install numpy'
    """
    top = str(module).split(".")[0]
    return f"pip install {PACKAGES.get(top, top)}"
