"""Reading a learner's answer: counts, numbers, shapes, gates, yes/no and words in their equivalent forms.

A parser returns the answer in its normal form or raises :class:`Unreadable`, which :func:`check`
turns into feedback (never into an error). A number is read with the digits it was given
(:class:`Reading`), so that an answer rounded to fewer digits can still be recognised: a "number"
answer is right when it lies within the exercise's tolerance of the answer, or when it equals the
answer rounded to the digits the learner gave (decimal places of a decimal; significant digits of
``1.6e-7`` or ``1.6 × 10^-7``), provided those are at least two significant digits and no typical wrong
answer rounds to the same number (:meth:`Exercise.agrees <lstm_utils.exercises.Exercise.agrees>`).
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
#: (``lu.exercises.formats()``). No example answers an exercise, nor is one of its typical wrong
#: answers: tests/test_exercises.py checks each against every exercise of its kind in every bank (for a
#: number: not within the tolerance, nor the answer rounded to the example's digits), and that its
#: kind's parser reads it. The gates are two, a list no exercise asks for (one gate, or the three or
#: four of an order). A yes/no has only its two values, so it has no examples. The "number" note in
#: ``common.toml`` says how precisely a number may be given: to two or more significant digits, which
#: the answer must round to (:class:`Reading`).
FORMATS = (
    AnswerFormat("count", (12345, "12,345", "12 345")),
    AnswerFormat("number", (0.625, "5/8", "6.25e-1")),
    AnswerFormat("shape", ((12, 34), [12, 34], "12x34")),
    AnswerFormat("gates", ("Output, Input", "o, i")),
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


_NUMBER = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+))(?:e([+-]?\d+))?(?:[x×*·]10(?:\^|\*\*)([+-]?\d+))?")
_FRACTION = re.compile(r"([+-]?\d+)/(\d+)")


class Reading(float):
    """A number as a learner gave it: its value, and the digits it was given with.

    ``place`` is the power of ten of its last digit (``0.17`` -> -2, ``1.6e-7`` -> -8, ``1200`` -> 0) and
    ``digits`` its significant digits (2, 2, 4); both are None for an exact value (``"1/6"``, a
    ``Fraction``). ``round_to(value)`` says whether ``value`` rounds to this reading at its own digits:
    ``0.17`` is 1/6 rounded to two decimal places, ``0.2`` is 1/6 rounded to one.

    Examples
    --------
    >>> r = as_number("0.17")
    >>> r, r.place, r.digits, r.round_to(1 / 6), r.round_to(0.18)
    (0.17, -2, 2, True, False)
    >>> as_number("1.6 × 10^-7").place, as_number("1/6").digits
    (-8, None)
    """

    place: int | None
    digits: int | None

    def __new__(cls, value: float, place: int | None = None, digits: int | None = None) -> Reading:
        reading = super().__new__(cls, value)
        reading.place, reading.digits = place, digits
        return reading

    def round_to(self, value: float) -> bool:
        """Whether ``value`` rounded to this reading's last digit is this reading (ties either way)."""
        if self.place is None:
            return False
        half = 0.5 * 10.0 ** self.place
        return abs(float(value) - float(self)) <= half * (1 + 1e-9)


def _read_decimal(text: str) -> Reading | None:
    """A decimal or scientific number written as text ("0.17", "1.6e-7", "1.6x10^-7"), with its digits."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    mantissa, exponent = match.group(1), int(match.group(2) or 0) + int(match.group(3) or 0)
    places = len(mantissa.partition(".")[2])
    digits = len(mantissa.lstrip("+-").replace(".", "").lstrip("0"))
    return Reading(float(mantissa) * 10.0 ** exponent, exponent - places, digits)


def as_number(answer: object) -> Reading:
    """Read a real number: 0.1667, "0.1667", "1/6", "1.6e-7", "1.6 × 10^-7", "1.6*10**-7", NumPy floats.

    For answers that are not whole numbers (a product of gates, an error). The result is a
    :class:`Reading`, a float that remembers the digits it was given: an answer is right when it lies
    within the exercise's ``tolerance`` of the answer, or when it is the answer rounded to those digits
    (at least two significant ones, and no typical wrong answer rounding to the same). A comma is not read
    as a decimal point.

    Examples
    --------
    >>> as_number("1/6"), as_number("1.6 × 10^-7"), as_number(" 0.25 ")
    (0.16666666666666666, 1.6e-07, 0.25)
    """
    if isinstance(answer, bool):
        raise Unreadable("yes-no-not-number", answer=repr(answer))
    value = None
    try:
        if isinstance(answer, numbers.Integral):  # int, NumPy integers: exact to the unit
            value = Reading(float(answer), 0, len(str(abs(int(answer))).lstrip("0")))
        elif isinstance(answer, numbers.Real):  # float, Fraction, NumPy floats
            value = Reading(float(answer))
            if not isinstance(answer, numbers.Rational):  # a float: the digits it prints with
                value = _read_decimal(str(answer).lower()) or value
        elif isinstance(answer, str):
            text = re.sub(r"[\s_\u2009\u202f]", "", answer.lower()).replace("\u2212", "-")  # U+2212 minus
            value = _read_decimal(text)
            if value is None and (match := _FRACTION.fullmatch(text)) is not None and int(match.group(2)) > 0:
                value = Reading(float(Fraction(int(match.group(1)), int(match.group(2)))))
    except OverflowError:
        value = None
    if value is None or not math.isfinite(value):
        raise Unreadable("not-number", answer=repr(answer))
    return value


_GATE_WORDS = {
    "lstm": {"input": ("i", "input", "输入门", "输入"),
             "forget": ("f", "forget", "遗忘门", "遗忘", "忘记门"),
             "output": ("o", "output", "输出门", "输出"),
             "candidate": ("g", "c", "c~", "cell", "candidate", "cell candidate", "cell gate",
                           "候选细胞状态", "候选值", "候选", "候选记忆", "细胞候选")},
    "gru": {"update": ("z", "u", "update", "更新门", "更新"), "reset": ("r", "reset", "重置门", "重置"),
            "candidate": ("h", "n", "h~", "new", "candidate", "hidden", "new gate", "candidate state",
                          "候选隐藏状态", "候选值", "候选")},
}
#: Chinese words a learner may answer with where an exercise asks for a word (kind "word"): each is read
#: as the English word after it, which the exercise's own ``words`` then map (the Chinese edition asks in
#: Chinese; lu.exercises.set_language). Gate names are in _GATE_WORDS.
CHINESE_WORDS = {
    "相加": "add", "加起来": "add", "求和": "sum", "之和": "the sum", "两者之和": "the sum",
    "拼接": "concat", "连接": "concatenation", "平均": "mean", "取平均": "mean", "平均值": "the average",
    "最后一步": "last step", "最后一个时间步": "last step", "只有最后一步": "the last",
    "隐藏单元数": "hidden units", "隐藏单元": "hidden units", "单元数": "units", "单元": "units",
    "时间步": "time steps", "时间步数": "time steps", "特征": "features", "特征数": "features",
    "前面": "before", "前": "before", "开头": "start", "序列前面": "at the front", "左边": "left",
    "后面": "after", "后": "after", "末尾": "end", "序列后面": "at the end", "右边": "right",
    "零": "zero", "全零": "zeros", "零向量": "zeros", "最后一个输出": "last output",
    "最后一个有效输出": "last valid output", "重复": "repeated", "照常计算": "computed", "计算": "computed",
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
        if re.search(r"[,;>|/，、；→]", text):
            tokens = re.split(r"\s*(?:->|[,;>|/，、；→])\s*", text)
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
    """Read a word answer: stripped, lower case, backticks and underscores gone; full-width brackets and
    a Chinese word of :data:`CHINESE_WORDS` read as their English forms.

    Examples
    --------
    >>> as_word(" Global_Clipnorm "), as_word("相加"), as_word("（b）")
    ('global clipnorm', 'add', '(b)')
    """
    if not isinstance(answer, str):
        raise Unreadable("not-word", answer=repr(answer))
    word = answer.strip().translate(_FULL_WIDTH).strip("。.")
    word = CHINESE_WORDS.get(word, word)
    return re.sub(r"\s+", " ", word.lower().replace("`", "").replace("_", " "))


_FULL_WIDTH = str.maketrans("（）：，", "():,")
