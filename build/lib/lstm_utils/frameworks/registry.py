"""The registry: every framework's record, in the order of the side-by-side table's columns.

To add a framework: write ``lstm_utils/frameworks/<name>.py`` exporting one ``RECORD``
(:class:`~lstm_utils.frameworks.base.Framework`) and add it to :data:`REGISTRY` below; the closed sets
of ``framework=``, counting, shapes, gate order, the side-by-side table, the explorer, the CLI and
``explain`` loop over it. ``tests/test_registry.py`` checks that every record is complete.

This list lives apart from the package's ``__init__`` because :mod:`lstm_utils._validate` derives its
closed sets from it, while the package's :func:`~lstm_utils.frameworks.get` raises ``_validate``'s
message: this module imports no ``lstm_utils`` module but the records, so there is no circle.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from lstm_utils.frameworks import flax, keras, matlab, onnx, pytorch
from lstm_utils.frameworks.base import Framework

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

#: Canonical name -> record, in column order.
REGISTRY: dict[str, Framework] = {
    record.name: record for record in (keras.RECORD, pytorch.RECORD, matlab.RECORD, onnx.RECORD, flax.RECORD)
}


def counted() -> tuple[str, ...]:
    """Names of the frameworks whose layers the package counts and shapes (records with ``param_rows``).

    Examples
    --------
    >>> counted()[:3]
    ('keras', 'pytorch', 'matlab')
    """
    return tuple(name for name, record in REGISTRY.items() if record.counted)


def aliases(names: tuple[str, ...] | None = None) -> dict[str, str]:
    """Every accepted spelling (lower case) -> its canonical name, for ``names`` (default: all records).

    Each record contributes its name, then its aliases, in registry order.

    Examples
    --------
    >>> aliases(("pytorch",))
    {'pytorch': 'pytorch', 'torch': 'pytorch'}
    """
    chosen = tuple(REGISTRY) if names is None else names
    return {spelling: name for name in chosen
            for spelling in (name, *REGISTRY[name].aliases)}


def with_option(option: str) -> tuple[Framework, ...]:
    """The records whose layers take ``option`` (a key of ``base.OPTIONS``: "proj_size", "reset_after")."""
    return tuple(record for record in REGISTRY.values() if option in record.options)


def resolve(target: str) -> Any:
    """The object a ``"module:function"`` string names (a converter or an ``explain`` walker).

    Examples
    --------
    >>> resolve("lstm_utils.counting:count_params")(2, 3)
    72
    """
    module, _, attribute = target.partition(":")
    return getattr(import_module(module), attribute)
