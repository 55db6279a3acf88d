"""Argument checks shared by every public function: one place, clear messages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

FRAMEWORK_ALIASES = {
    "keras": "keras",
    "tensorflow": "keras",
    "tf": "keras",
    "tf.keras": "keras",
    "pytorch": "pytorch",
    "torch": "pytorch",
    "matlab": "matlab",
}
FRAMEWORKS = ("keras", "pytorch", "matlab")
CELLS = ("lstm", "gru", "rnn")


def check_int(name: str, value: object, *, minimum: int = 1) -> int:
    """Return ``value`` if it is an int >= ``minimum``; raise a message naming ``name`` otherwise.

    ``bool`` is rejected even though it subclasses ``int``: ``True`` as a size is always a mistake.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        kind = type(value).__name__
        raise TypeError(
            f"{name} must be an int >= {minimum}, got {value!r} (type {kind})."
        )
    if value < minimum:
        raise ValueError(f"{name} == {value!r}, must be an int >= {minimum}.")
    return value


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is a bool; raise a message naming ``name`` otherwise."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}.")
    return value


def check_choice(name: str, value: object, choices: Iterable[str], aliases: dict | None = None) -> str:
    """Return the canonical choice for ``value``; suggest the closest valid name if unknown."""
    choices = tuple(choices)
    lookup = dict(aliases) if aliases else {c: c for c in choices}
    if isinstance(value, str) and value.lower() in lookup:
        return lookup[value.lower()]
    accepted = tuple(lookup)
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value.lower(), accepted, n=1, cutoff=0.0)
        if close:
            hint = f" Did you mean {close[0]!r}?"
    raise ValueError(
        f"Unknown value for {name}: {value!r}. Possible values are: {accepted}.{hint}"
    )


def check_framework(value: object) -> str:
    """Canonical framework name: 'keras', 'pytorch' or 'matlab' (aliases accepted)."""
    return check_choice("framework", value, FRAMEWORKS, FRAMEWORK_ALIASES)


def check_cell(value: object) -> str:
    """Canonical cell name: 'lstm', 'gru' or 'rnn'."""
    return check_choice("cell", value, CELLS)
