"""The checker: the registry built from the banks, ``check``, ``get``, ``catalogue``, ``formats``."""

from __future__ import annotations

import html
import importlib
from dataclasses import dataclass, replace

from lstm_utils._table import Column, html_table, text_table
from lstm_utils._validate import check_choice
from lstm_utils.exercises.answers import FORMATS, Unreadable
from lstm_utils.exercises.exercise import Exercise

#: The exercise notebooks, in order, and the topics they cover; each has its bank ``bank_<notebook>``.
NOTEBOOKS = {
    "01_counting": "counting by hand, then checked",
    "02_shapes_and_gates": "shapes and gate order",
    "03_conversions_and_mistakes": "framework conversions and misconceptions",
    "04_how_the_lstm_learns": "vanishing gradients, gates and backpropagation through time",
    "05_variable_length_sequences": "padding, masking and packing",
    "06_lstm_variants": "the LSTM variants, counted",
}
DIFFICULTIES = ("easy", "medium", "hard")

NOT_ANSWERED, CORRECT, WRONG = "not answered yet", "correct", "not quite"


def _registry() -> dict[str, Exercise]:
    """Every bank's entries, numbered "notebook.entry" (1.1, 1.2, ... 2.1, ...), by id."""
    registry: dict[str, Exercise] = {}
    for k, notebook in enumerate(NOTEBOOKS, start=1):
        bank = importlib.import_module(f"lstm_utils.exercises.bank_{notebook}")
        for j, entry in enumerate(bank.EXERCISES, start=1):
            if entry.id in registry:
                raise ValueError(f"exercise id {entry.id!r} of {notebook} is already used")
            registry[entry.id] = replace(entry, number=f"{k}.{j}", notebook=notebook,
                                         question=entry.question.strip())
    return registry


@dataclass(frozen=True)
class Feedback:
    """What :func:`check` says: ``ok`` is True (correct), False (not quite) or None (not answered yet)."""

    exercise_id: str
    ok: bool | None
    message: str

    @property
    def status(self) -> str:
        return {True: CORRECT, False: WRONG, None: NOT_ANSWERED}[self.ok]

    def __str__(self) -> str:
        return f"[{self.status}] {self.exercise_id}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {True: "#1b7f3b", False: "#b00020", None: "#555555"}[self.ok]
        return (f"<div style='border-left:4px solid {colour};padding:2px 8px'>"
                f"<b style='color:{colour}'>{self.status}</b> · <code>{html.escape(self.exercise_id)}</code>"
                f"<br>{html.escape(self.message)}</div>")


_REGISTRY = _registry()


# --- public functions ---------------------------------------------------------------------------------

def get(exercise_id: str) -> Exercise:
    """The :class:`Exercise` with this id.

    Raises
    ------
    ValueError
        An unknown id (a mistake in the notebook, not the learner's): the message names it, the
        closest valid id and all valid ids.
    """
    return _REGISTRY[check_choice("exercise_id", exercise_id, _REGISTRY)]


def check(exercise_id: str, answer: object) -> Feedback:
    """Immediate feedback on an answer: correct, not quite (with a hint), or not answered yet.

    Parameters
    ----------
    exercise_id : str
        One of the ids in :func:`catalogue`.
    answer : object
        The learner's answer. ``None``, ``...`` or ``""`` mean "not answered yet". Numbers may be
        written 365568, "365,568", "365 568" or 365568.0; shapes (100, 1024), [100, 1024] or
        "100x1024"; other numbers 0.1667, "1/6" or "1.6e-7"; gates by name or symbol in any case;
        yes/no as True/False.

    Returns
    -------
    Feedback
        ``ok`` True, False or None, and a message; shows as coloured text in a notebook.

    Raises
    ------
    ValueError
        Only for an unknown ``exercise_id`` (see :func:`get`). A wrong, missing or unreadable
        answer never raises.

    Examples
    --------
    >>> check("count-keras-13x5-10", "640").ok
    True
    >>> print(check("count-pytorch-13x5-10", 640))  # doctest: +ELLIPSIS
    [not quite] count-pytorch-13x5-10: you answered 640: that is the Keras/MATLAB count: ...
    >>> check("count-keras-13x5-10", None).status
    'not answered yet'
    """
    exercise = get(exercise_id)
    if answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip()):
        return Feedback(exercise.id, None,
                        "replace None with your answer and run the cell.")
    try:
        given = exercise.normalise(answer)
    except Unreadable as exc:
        return Feedback(exercise.id, False, f"{exc}. Hint: {exercise.hint}.")
    if exercise.agrees(given, exercise.expected):
        return Feedback(exercise.id, True, f"{_show(given)} is right: {exercise.explanation}".strip())
    traps = exercise.traps().items() if exercise.traps else ()
    why = next((v for k, v in traps if exercise.agrees(given, exercise.normalise(k))), "that is not it yet.")
    shown = repr(answer.strip()) if exercise.kind == "word" else _show(given)
    return Feedback(exercise.id, False, f"you answered {shown}: {why} Hint: {exercise.hint}.")


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return repr(value) if isinstance(value, str) else str(value)


class Catalogue(tuple):
    """The exercises in workshop order; prints as a table, renders as HTML, knows the total time."""

    columns = ("number", "id", "notebook", "topic", "difficulty", "minutes", "title")

    @property
    def total_minutes(self) -> int:
        return sum(e.minutes for e in self)

    def _rows(self) -> list[tuple[str, ...]]:
        return [tuple(str(getattr(e, c)) for c in self.columns) for e in self]

    def _summary(self) -> str:
        return f"{len(self)} exercises, about {self.total_minutes} minutes"

    def __str__(self) -> str:
        return text_table(self.columns, self._rows(), footer=[self._summary()])

    def __repr__(self) -> str:
        return f"<Catalogue: {len(self)} exercises, about {self.total_minutes} minutes>"

    def _repr_html_(self) -> str:
        return html_table(self.columns, self._rows(), after=f"<p>{self._summary()}</p>")


def catalogue(notebook: str | None = None) -> Catalogue:
    """Every exercise (or those of one notebook) with its difficulty and estimated minutes.

    Examples
    --------
    >>> cat = catalogue("01_counting")
    >>> cat[0].id, cat[0].difficulty, cat[0].minutes
    ('count-one-gate', 'easy', 3)
    """
    if notebook is not None:
        notebook = check_choice("notebook", notebook, NOTEBOOKS)
    return Catalogue(e for e in _REGISTRY.values() if notebook in (None, e.notebook))


def _written(example: object) -> str:
    """An example as a learner types it: strings in double quotes, as in the notebooks' cells."""
    return f'"{example}"' if isinstance(example, str) else repr(example)


class Formats(tuple):
    """How each kind of answer may be written (:data:`~lstm_utils.exercises.answers.FORMATS`); prints as
    a table, renders as HTML."""

    columns = ("answer", Column("write it like", code=True), "note")

    _after = "examples of the form only: none of them answers an exercise"

    def _rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for f in self:
            if f.examples:
                rows.append((f.label, ", ".join(_written(e) for e in f.examples), f.note))
            else:  # a yes/no: the note names its only two values
                rows.append((f.label, f.note, ""))
        return rows

    def __str__(self) -> str:
        return text_table(self.columns, self._rows(), footer=[f"({self._after})"])

    def __repr__(self) -> str:
        return f"<Formats: {len(self)} kinds of answer>"

    def _repr_html_(self) -> str:
        return html_table(self.columns, self._rows(), after=f"<p>({self._after})</p>")


def formats() -> Formats:
    """How each kind of answer may be written, with examples of the form that answer no exercise.

    Examples
    --------
    >>> print(formats())  # doctest: +ELLIPSIS
    answer                    write it like                note
    ------------------------  ---------------------------  ---------------------------------
    whole number              12345, "12,345", "12 345"
    ...
    yes/no                    True or False
    word                      "tanh"                       as a string
    (examples of the form only: none of them answers an exercise)
    """
    return Formats(FORMATS)
