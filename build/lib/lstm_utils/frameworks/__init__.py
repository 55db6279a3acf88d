"""The frameworks: one module per framework, one record each, one registry that every consumer loops over.

``lstm_utils.frameworks.keras``, ``.pytorch``, ``.matlab`` and ``.onnx`` each export a ``RECORD``
(:class:`~lstm_utils.frameworks.base.Framework`): names and aliases, gate orders, the tensors a layer
stores, output shapes, the conventions of the side-by-side table, converters and the ``explain``
walker. :data:`REGISTRY` (in ``registry.py``) lists them in column order. To add a framework, write
its record module and add it to the registry's list; ``tests/test_registry.py`` checks the record.

The side-by-side table of notebook 09 (:func:`side_by_side`, :class:`SideBySide`, :class:`Convention`,
:class:`Row`, :func:`onnx_tensors`, :data:`FRAMEWORKS`) lives in ``table.py`` and is re-exported here
on first access. Where its facts come from: each record's ``sources`` (the Keras and PyTorch facts are
checked against the installed frameworks by ``tests/test_frameworks.py``); MATLAB's from MathWorks'
pages (nnet.cnn.layer.lstmlayer.html, nnet.cnn.layer.bilstmlayer.html, nnet.cnn.layer.grulayer.html,
trainingoptions.html), ONNX's from the operator pages (onnx__LSTM.html, onnx__GRU.html).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lstm_utils.frameworks.base import Framework
from lstm_utils.frameworks.registry import REGISTRY, aliases, counted, resolve, with_option

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = [
    "REGISTRY", "Framework", "aliases", "converter", "counted", "get", "resolve", "with_option",
    "FRAMEWORKS", "Convention", "Row", "SideBySide", "onnx_tensors", "side_by_side",
]

# The side-by-side table's names, loaded from table.py on first access: table.py imports counting,
# which imports _validate, which imports this package's registry; a module-level import here would
# run table.py while _validate is half done.
_TABLE = ("FRAMEWORKS", "Convention", "Row", "SideBySide", "onnx_tensors", "side_by_side")


def get(name: object) -> Framework:
    """The record of framework ``name`` (any accepted spelling, any case).

    Raises
    ------
    ValueError
        The package's one unknown-framework message, naming every accepted spelling.

    Examples
    --------
    >>> get("TF").title
    'Keras'
    >>> get("caffe")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: Unknown value for framework: 'caffe'. Possible values are: (...).
    """
    from lstm_utils._validate import check_layout  # _validate imports the registry: import on call

    return REGISTRY[check_layout(name)]


def converter(name: object, role: str) -> Callable[..., Any]:
    """The converter of framework ``name`` for ``role`` ("from", "into" or "to"), resolved.

    Examples
    --------
    >>> converter("torch", "from").__name__
    'from_torch'
    """
    from lstm_utils._validate import check_choice

    record = get(name)
    role = check_choice(f"role (the converters of {record.title})", role, tuple(record.converters))
    return resolve(record.converters[role])


def __getattr__(name: str) -> Any:
    if name in _TABLE:
        from lstm_utils.frameworks import table

        value = getattr(table, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lstm_utils.frameworks' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_TABLE))
