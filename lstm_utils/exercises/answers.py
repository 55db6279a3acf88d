"""Reading a learner's answer: counts, numbers, shapes, gates, yes/no and words in their equivalent forms.

A parser returns the answer in its normal form or raises :class:`Unreadable`, which :func:`check`
turns into feedback (never into an error).
"""

from __future__ import annotations

import math
import numbers
import operator
import re
from fractions import Fraction
from typing import NamedTuple

from lstm_utils.exercises import text

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)


class Unreadable(ValueError):
    """An answer that cannot be read as the kind the exercise expects (becomes feedback, not an error).

    It carries the key of its message in ``common.toml``'s ``[answers]`` and the message's parameters,
    so that :func:`~lstm_utils.exercises.check` can say it in the learner's language; ``str()`` is the
    English message.
    """

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params

    def message(self, language: str = text.ENGLISH) -> str:
        """The message in ``language`` (English by default)."""
        return text.render(text.load("common", language)["answers"][self.key], self.params)

    def __str__(self) -> str:
        return self.message()


class AnswerFormat(NamedTuple):
    """How one kind of answer (an :attr:`Exercise.kind <lstm_utils.exercises.Exercise>`) may be written:
    its examples here, its name and note in ``common.toml``'s ``[formats]``."""

    kind: str
    examples: tuple[object, ...]


#: How each kind of answer may be written, with examples of the form that the exercise notebooks show
#: (``lu.exercises.formats()``). No example answers an exercise: tests/test_exercises.py checks each
#: against every exercise of every bank, and that its kind's parser reads it. A yes/no has only its
#: two values, so it has no examples.
FORMATS = (
    AnswerFormat("count", (12345, "12,345", "12 345")),
    AnswerFormat("number", (0.25, "1/4", "2.5e-1")),
    AnswerFormat("shape", ((12, 34), [12, 34], "12x34")),
    AnswerFormat("gates", ("Output", "o", "o, i")),
    AnswerFormat("bool", ()),
    AnswerFormat("word", ("tanh",)),
)
#: The kinds of answer, the closed set of :attr:`Exercise.kind <lstm_utils.exercises.Exercise>`: one
#: parser each below, one format above.
KINDS = tuple(f.kind for f in FORMATS)


# --- normalising answers ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[,_'\s\u2009\u202f]")


def as_count(answer: object) -> int:
    """Read a whole number: 365568, "365,568", "365 568", "365_568", 365568.0, "365568 parameters".

    Examples
    --------
    >>> as_count("365,568"), as_count(365568.0), as_count("1 024 parameters")
    (365568, 365568, 1024)
    """
    if isinstance(answer, bool):
        raise Unreadable("yes-no-not-number", answer=repr(answer))
    if isinstance(answer, float) or type(answer).__name__.startswith("float"):
        if float(answer).is_integer():
            return int(answer)
        raise Unreadable("not-whole", answer=repr(answer))
    try:
        return operator.index(answer)  # int, NumPy integers
    except TypeError:
        pass
    if isinstance(answer, str):
        text = re.sub(r"\s*(parameters|params|numbers)\s*$", "", answer.strip().lower())
        text = _SEPARATORS.sub("", text)
        match = re.fullmatch(r"(\d+)(\.0*)?", text)
        if match:
            return int(match.group(1))
    raise Unreadable("not-count", answer=repr(answer))


def as_shape(answer: object) -> tuple[int, ...]:
    """Read a shape: (100, 1024), [100, 1024], "100x1024", "100 × 1024", "100-by-1024", torch.Size.

    Examples
    --------
    >>> as_shape("100x1024"), as_shape([100, 1024]), as_shape("1024-by-100"), as_shape("(40,)")
    ((100, 1024), (100, 1024), (1024, 100), (40,))
    """
    if isinstance(answer, str):
        numbers = re.findall(r"\d+", answer)
        if numbers and re.fullmatch(r"[\s\d()\[\],xX×*by\-:]*", answer):
            return tuple(int(s) for s in numbers)
    elif isinstance(answer, tuple | list) or type(answer).__name__ == "Size":
        try:
            return tuple(as_count(s) for s in answer)
        except Unreadable:
            pass
    elif not isinstance(answer, bool | float):
        try:
            return (operator.index(answer),)
        except TypeError:
            pass
    raise Unreadable("not-shape", answer=repr(answer))


_NUMBER = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(?:[x×*·]10(?:\^|\*\*)([+-]?\d+))?")
_FRACTION = re.compile(r"([+-]?\d+)/(\d+)")


def as_number(answer: object) -> float:
    """Read a real number: 0.1667, "0.1667", "1/6", "1.6e-7", "1.6 × 10^-7", "1.6*10**-7", NumPy floats.

    For answers that are not whole numbers (a product of gates, an error); the exercise says how close
    the answer must be (its ``tolerance``). A comma is not read as a decimal point.

    Examples
    --------
    >>> as_number("1/6"), as_number("1.6 × 10^-7"), as_number(" 0.25 ")
    (0.16666666666666666, 1.6e-07, 0.25)
    """
    if isinstance(answer, bool):
        raise Unreadable("yes-no-not-number", answer=repr(answer))
    value = None
    if isinstance(answer, numbers.Real):  # int, float, Fraction, NumPy numbers
        try:
            value = float(answer)
        except OverflowError:
            value = math.inf
    elif isinstance(answer, str):
        text = re.sub(r"[\s_\u2009\u202f]", "", answer.lower()).replace("\u2212", "-")  # U+2212 minus
        try:
            if (match := _NUMBER.fullmatch(text)) is not None:
                value = float(match.group(1)) * 10.0 ** int(match.group(2) or 0)
            elif (match := _FRACTION.fullmatch(text)) is not None and int(match.group(2)) > 0:
                value = float(Fraction(int(match.group(1)), int(match.group(2))))
        except OverflowError:
            value = math.inf
    if value is None or not math.isfinite(value):
        raise Unreadable("not-number", answer=repr(answer))
    return value


_GATE_WORDS = {
    "lstm": {"input": ("i", "input"), "forget": ("f", "forget"), "output": ("o", "output"),
             "candidate": ("g", "c", "c~", "cell", "candidate", "cell candidate", "cell gate")},
    "gru": {"update": ("z", "u", "update"), "reset": ("r", "reset"),
            "candidate": ("h", "n", "h~", "new", "candidate", "hidden", "new gate", "candidate state")},
}


def as_gates(answer: object, cell: str = "lstm") -> tuple[str, ...]:
    """Read gates by name or symbol, any case: ["Input", "forget", "cell", "o"], "i, f, g, o", "ifgo".

    Returns the neutral role names (:data:`lstm_utils.GATE_ORDER` for an LSTM).

    Examples
    --------
    >>> as_gates("I, F, G, O")
    ('input', 'forget', 'candidate', 'output')
    >>> as_gates(["forget gate", "Input gate", "cell candidate", "output"])
    ('forget', 'input', 'candidate', 'output')
    >>> as_gates("the forget gate")
    ('forget',)
    """
    lookup = {word: role for role, words in _GATE_WORDS[cell].items() for word in words}
    if isinstance(answer, str):
        text = answer.strip()
        if re.search(r"[,;>|/]", text):
            tokens = re.split(r"\s*(?:->|[,;>|/])\s*", text)
        elif " " not in text and len(text) > 1 and all(ch.lower() in lookup for ch in text):
            tokens = list(text)  # "ifgo"
        else:
            tokens = text.split()
    elif isinstance(answer, list | tuple):
        tokens = list(answer)
    else:
        raise Unreadable("not-gates", answer=repr(answer))
    roles = []
    for token in tokens:
        if not isinstance(token, str) or not token.strip():
            continue
        word = re.sub(r"\b(the|gate|gates|activation)\b|[_$()]|\b(\w)_t\b", r"\2", token.lower()).strip()
        word = re.sub(r"\s+", " ", word)
        if not word:  # "the", "gate": filler around a name ("the forget gate")
            continue
        if word not in lookup:
            known = sorted(lookup)
            raise Unreadable("unknown-gate", token=repr(token), known=known)
        roles.append(lookup[word])
    if not roles:
        raise Unreadable("no-gates", answer=repr(answer))
    return tuple(roles)


_YES = {"yes", "y", "true", "t", "1", "oui", "是", "对"}
_NO = {"no", "n", "false", "f", "0", "non", "否", "不"}


def as_bool(answer: object) -> bool:
    """Read a yes/no: True, False, "yes", "No", "true".

    Examples
    --------
    >>> as_bool("No"), as_bool(True)
    (False, True)
    """
    if isinstance(answer, bool):
        return answer
    if type(answer).__name__ == "bool_":  # NumPy's bool
        return bool(answer)
    if isinstance(answer, str) and answer.strip().lower() in _YES | _NO:
        return answer.strip().lower() in _YES
    raise Unreadable("not-bool", answer=repr(answer))


def as_word(answer: object) -> str:
    if not isinstance(answer, str):
        raise Unreadable("not-word", answer=repr(answer))
    return re.sub(r"\s+", " ", answer.strip().lower().replace("`", "").replace("_", " "))
