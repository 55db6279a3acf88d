"""Every argument and array check of the package, and the closed sets they check against: one place.

The closed sets of ``framework=`` and their aliases are derived from the framework registry
(:data:`lstm_utils.frameworks.REGISTRY`); the cells are written here. Every other module imports them.
Array checks (:func:`as_float_array`, :func:`check_shape`) import NumPy inside the function, so this
module stays plain Python like the rest of the first layer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from lstm_utils.frameworks.registry import REGISTRY, aliases, counted, with_option

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

#: Frameworks whose layers the package counts and shapes (the records with ``param_rows``).
FRAMEWORKS = counted()
#: Every registered framework: the counted ones, and those known by gate order and weight layout (ONNX).
LAYOUTS = tuple(REGISTRY)
#: Every accepted spelling (lower case) of a counted framework -> its canonical name.
FRAMEWORK_ALIASES = aliases(FRAMEWORKS)
#: Every accepted spelling of every registered framework -> its canonical name.
LAYOUT_ALIASES = aliases()
#: The recurrent cells (the closed set of ``cell=``).
CELLS = ("lstm", "gru", "rnn")


def check_int(name: str, value: object, *, minimum: int = 1) -> int:
    """Return ``value`` if it is an int >= ``minimum``; raise a message naming ``name`` otherwise.

    ``bool`` is rejected even though it subclasses ``int``: ``True`` as a size is always a mistake.

    Examples
    --------
    >>> check_int("hidden_size", 10)
    10
    """
    if isinstance(value, bool) or not isinstance(value, int):
        kind = type(value).__name__
        raise TypeError(
            f"{name} must be an int >= {minimum}, got {value!r} (type {kind})."
        )
    if value < minimum:
        raise ValueError(f"{name} == {value!r}, must be an int >= {minimum}.")
    return value


def check_real(name: str, value: object, *, min_val: float | None = None, max_val: float | None = None,
               include_boundaries: str = "both") -> float:
    """Return ``value`` as a float if it is a finite real number within the bounds; raise naming ``name``.

    The form of scikit-learn's ``check_scalar``: ``min_val`` / ``max_val`` (None: unbounded) and
    ``include_boundaries`` one of "both", "left", "right", "neither". ``bool`` is rejected (``True``
    as a number is always a mistake); ints, floats and NumPy scalars are accepted.

    Examples
    --------
    >>> check_real("forget_bias", 1)
    1.0
    >>> check_real("val_fraction", 1.5, min_val=0, max_val=1, include_boundaries="neither")
    Traceback (most recent call last):
    ValueError: val_fraction == 1.5, must be a real number in (0, 1).
    """
    import math
    import numbers

    check_choice("include_boundaries", include_boundaries, ("both", "left", "right", "neither"))
    if min_val is not None and max_val is not None:
        left = "[" if include_boundaries in ("both", "left") else "("
        right = "]" if include_boundaries in ("both", "right") else ")"
        accepted = f"a real number in {left}{min_val:g}, {max_val:g}{right}"
    elif min_val is not None:
        accepted = f"a real number {'>=' if include_boundaries in ('both', 'left') else '>'} {min_val:g}"
    elif max_val is not None:
        accepted = f"a real number {'<=' if include_boundaries in ('both', 'right') else '<'} {max_val:g}"
    else:
        accepted = "a finite real number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {accepted}, got {value!r} (type {type(value).__name__}).")
    number = float(value)
    closed_low, closed_high = include_boundaries in ("both", "left"), include_boundaries in ("both", "right")
    low_ok = min_val is None or number > min_val or (number == min_val and closed_low)
    high_ok = max_val is None or number < max_val or (number == max_val and closed_high)
    if not (math.isfinite(number) and low_ok and high_ok):
        raise ValueError(f"{name} == {value!r}, must be {accepted}.")
    return number


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is a bool; raise a message naming ``name`` otherwise."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}.")
    return value


def closest(value: object, accepted: Iterable[str]) -> str | None:
    """The accepted name most like ``value``, if it is similar enough (difflib's default 0.6), else None.

    Examples
    --------
    >>> closest("pytroch", ("keras", "pytorch")), closest("caffe", ("keras", "pytorch", "tf.keras"))
    ('pytorch', None)
    """
    if not isinstance(value, str):
        return None
    lowered = {a.lower(): a for a in accepted}                       # compared in any case
    close = difflib.get_close_matches(value.lower(), tuple(lowered), n=1)
    return lowered[close[0]] if close else None


def unknown_value_hint(value: object, accepted: Sequence[str]) -> str:
    """The end of an unknown-value message: the accepted values, and the closest one if any."""
    close = closest(value, accepted)
    return f"Possible values are: {tuple(accepted)}." + (f" Did you mean {close!r}?" if close else "")


def check_choice(name: str, value: object, choices: Iterable[str], aliases: dict | None = None) -> str:
    """Return the canonical choice for ``value``; suggest the closest valid name if unknown.

    Examples
    --------
    >>> check_choice("framework", "TF", FRAMEWORKS, FRAMEWORK_ALIASES)
    'keras'
    >>> check_choice("variant", "cifg", ("V", "NP", "CIFG"))      # any case; the canonical name back
    'CIFG'
    """
    choices = tuple(choices)
    lookup = dict(aliases) if aliases else {c.lower(): c for c in choices}   # names: any case
    if isinstance(value, str) and value.lower() in lookup:
        return lookup[value.lower()]
    accepted = tuple(lookup) if aliases else choices
    raise ValueError(f"Unknown value for {name}: {value!r}. {unknown_value_hint(value, accepted)}")


def check_framework(value: object) -> str:
    """Canonical name of a framework the package counts and shapes: one of :data:`FRAMEWORKS`.

    An unknown name gets the one message of :func:`check_layout`; a registered framework that is not
    counted (ONNX) gets a message saying so.

    Examples
    --------
    >>> check_framework("torch")
    'pytorch'
    >>> check_framework("onnx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: framework == 'onnx': lstm_utils knows ONNX's gate order and weight layout but does not ...
    """
    name = check_layout(value)
    if not REGISTRY[name].counted:
        raise ValueError(f"framework == {value!r}: lstm_utils knows {REGISTRY[name].title}'s gate order and "
                         f"weight layout but does not count or shape its layers. "
                         f"Possible values are: {counted()}.")
    return name


def check_layout(value: object) -> str:
    """Canonical name of any registered framework (aliases accepted, any case): one of :data:`LAYOUTS`.

    This is the package's one unknown-framework message; the registry is read at each call.

    Examples
    --------
    >>> check_layout("TF.Keras")
    'keras'
    """
    return check_choice("framework", value, tuple(REGISTRY), aliases())


def check_cell(value: object) -> str:
    """Canonical cell name: 'lstm', 'gru' or 'rnn'."""
    return check_choice("cell", value, CELLS)


def check_proj_size(proj_size: object, hidden_size: int, *, cell: str = "lstm", framework: str) -> int:
    """``proj_size`` is 0, or ``0 < proj_size < hidden_size`` on an LSTM of a framework that takes it.

    The frameworks that take it are the records with "proj_size" in their ``options`` (PyTorch).

    Examples
    --------
    >>> check_proj_size(64, 256, framework="pytorch")
    64
    """
    proj_size = check_int("proj_size", proj_size, minimum=0)
    if not proj_size:
        return 0
    takers = with_option("proj_size")
    if cell != "lstm" or framework not in {r.name for r in takers}:
        titles = " or ".join(r.title for r in takers)
        raise ValueError(f"proj_size == {proj_size!r} applies only to a {titles} LSTM "
                         f"(got cell={cell!r}, framework={framework!r}); use proj_size=0.")
    if proj_size >= hidden_size:
        raise ValueError(f"proj_size == {proj_size!r}, must be < hidden_size ({hidden_size}); "
                         f"{REGISTRY[framework].title} accepts 0 <= proj_size < hidden_size.")
    return proj_size


def format_shape(shape: Sequence[object], framework: str = "") -> str:
    """A shape as ``framework`` writes it (its record's ``shape_style``): ``(40,)``, ``40-by-1``, ``[1, 40]``.

    Entries may be ints or labels (``(batch, input_size=3)``). No framework: Python's tuple form.

    Examples
    --------
    >>> format_shape((40,)), format_shape((40, 1), "matlab"), format_shape((1, 80), "onnx")
    ('(40,)', '40-by-1', '[1, 80]')
    """
    parts = [str(s) for s in shape]
    style = REGISTRY[check_layout(framework)].shape_style if framework else "python"
    return _SHAPE_STYLES[style](parts)


#: How each ``shape_style`` of a record writes a shape's parts.
_SHAPE_STYLES = {
    "python": lambda parts: "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")",
    "matlab": lambda parts: "-by-".join(parts),          # MATLAB writes sizes as rows-by-columns
    "onnx": lambda parts: "[" + ", ".join(parts) + "]",
}


def as_float_array(name: str, value: object, dtype: object = None):
    """``value`` as a floating ndarray (of ``dtype`` if given); TypeError naming ``name`` otherwise.

    Examples
    --------
    >>> as_float_array("x", [1, 2]).dtype.name
    'float64'
    """
    import numpy as np

    try:
        array = np.asarray(value)
    except Exception as exc:  # e.g. a torch tensor that requires grad
        raise TypeError(f"{name} must be array-like, got {type(value).__name__}: {exc}") from exc
    if array.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}.")
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    return array


def check_shape(name: str, array, expected: Sequence[object]) -> None:
    """Raise a ValueError naming ``name`` if ``array`` does not have the ``expected`` shape.

    ``expected`` holds ints (must match) and ``(label, size)`` pairs (size None: any size), so the
    message can say ``expected (batch, time, input_size=3), got (2, 5, 4)``.

    Examples
    --------
    >>> import numpy as np
    >>> check_shape("x", np.zeros((2, 4)), (("batch", None), ("input_size", 3)))
    Traceback (most recent call last):
    ValueError: x has shape (2, 4), expected (batch, input_size=3).
    """
    sizes = [e[1] if isinstance(e, tuple) else e for e in expected]
    labels = [
        (e[0] if e[1] is None else f"{e[0]}={e[1]}") if isinstance(e, tuple) else e for e in expected
    ]
    ok = array.ndim == len(sizes) and all(
        s is None or s == d for s, d in zip(sizes, array.shape, strict=True)
    )
    if not ok:
        raise ValueError(
            f"{name} has shape {format_shape(array.shape)}, expected {format_shape(labels)}."
        )


def check_lengths(lengths: object, batch: int, steps: int):
    """``lengths`` as an int64 array of shape (batch,), every entry in 1..steps; None stays None.

    The valid lengths of right-padded sequences (``lstm_forward(..., lengths=)``); a float, bool or
    out-of-range length gets a message naming ``lengths``, the value and what is accepted.

    Examples
    --------
    >>> check_lengths([3, 1], 2, 4).tolist()
    [3, 1]
    >>> check_lengths([3, 0], 2, 4)
    Traceback (most recent call last):
    ValueError: lengths[1] == 0, must be an integer array of shape (batch=2,) with every length in 1..time=4.
    """
    import numpy as np

    if lengths is None:
        return None
    accepted = f"an integer array of shape (batch={batch},) with every length in 1..time={steps}"
    try:
        array = np.asarray(lengths)
    except Exception as exc:  # e.g. a tensor on another device
        raise TypeError(f"lengths must be {accepted}, got {type(lengths).__name__}: {exc}") from exc
    if array.dtype.kind not in "iu":
        raise TypeError(f"lengths must be {accepted}, got an array of dtype {array.dtype}.")
    if array.shape != (batch,):
        raise ValueError(f"lengths has shape {format_shape(array.shape)}, expected {accepted}.")
    bad = (array < 1) | (array > steps)
    if bad.any():
        raise ValueError(f"lengths[{int(np.argmax(bad))}] == {int(array[bad][0])}, must be {accepted}.")
    return array.astype(np.int64)
