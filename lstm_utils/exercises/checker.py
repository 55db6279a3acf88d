"""The checker: the registry built from the banks and their words, ``check``, ``get``, ``catalogue``,
``formats``, ``hint`` and ``set_language`` (``check``, ``get``, ``catalogue`` and ``hint`` hand the
coding labs to :mod:`lstm_utils.exercises.labs`, imported only then)."""

from __future__ import annotations

import importlib
from dataclasses import replace
from functools import cache

from lstm_utils._table import Column, html_table, text_table
from lstm_utils._validate import check_choice
from lstm_utils.exercises import text
from lstm_utils.exercises.answers import FORMATS, Unreadable
from lstm_utils.exercises.exercise import Exercise
from lstm_utils.exercises.text import Feedback, render

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

#: The exercise notebooks of the banks in course order; each has its bank ``bank_<notebook>.py`` (the
#: answers) and ``bank_<notebook>.toml`` (the words). Their exercises are numbered from the notebook's
#: number, "8.1" in 08_...: the coding labs' notebook (07) lies between 06 and 08 and has no bank.
COURSE_ORDER = ("01_counting", "02_shapes_and_gates", "03_conversions_and_mistakes",
                "04_how_the_lstm_learns", "05_variable_length_sequences", "06_lstm_variants",
                "08_language_model")
#: The exercise notebooks, in order, and the topics they cover (each bank file's ``title``, in English).
#: The ids of the coding labs (lstm_utils.exercises.labs) start with this; their answer is a function.
LAB_PREFIX = "lab-"
#: The exercise notebook of the coding labs (lstm_utils.exercises.labs), after the banks' notebooks.
LAB_NOTEBOOK = "07_coding_labs"
NOTEBOOKS = {notebook: text.load(f"bank_{notebook}")["title"] for notebook in COURSE_ORDER}

_LANGUAGE = text.LANGUAGE  # the language check, get and catalogue speak: set_language changes it


@cache
def _registry(language: str) -> dict[str, Exercise]:
    """Every bank's entries with their words in ``language``, numbered "notebook.entry" (the number of
    the notebook's file name: 8.1 is the first entry of 08_language_model), by id.

    Raises
    ------
    ValueError
        Two entries with one id; a bank file whose exercises are not its bank's, in its order; or an
        exercise's trap key that ``common.toml``'s ``[traps]`` also has (one key, one message).
    """
    common = text.load("common", language)["traps"]
    registry: dict[str, Exercise] = {}
    for notebook in NOTEBOOKS:
        k = int(notebook[:2])
        bank = importlib.import_module(f"lstm_utils.exercises.bank_{notebook}")
        words = text.load(f"bank_{notebook}", language)["exercises"]
        ids = [entry.id for entry in bank.EXERCISES]
        if list(words) != ids:
            raise ValueError(f"bank_{notebook}.toml: its exercises {list(words)} must be the bank's, in its "
                             f"order: {ids}.")
        for j, entry in enumerate(bank.EXERCISES, start=1):
            if entry.id in registry:
                raise ValueError(f"exercise id {entry.id!r} of {notebook} is already used")
            said = words[entry.id]
            if shared := sorted(set(said["traps"]) & set(common)):
                raise ValueError(f"bank_{notebook}.toml: exercise {entry.id!r}: trap key(s) {shared} are "
                                 "common.toml's [traps] too; give them other names.")
            registry[entry.id] = replace(
                entry, number=f"{k}.{j}", notebook=notebook, language=language, title=said["title"],
                question=said["question"], see=said["see"], explanation=said["explanation"],
                messages={**common, **said["traps"]})
    return registry


_registry(text.ENGLISH)  # read and check every bank and its words now, at import, not at a learner's check


def set_language(language: str) -> None:
    """Say the exercises' words in ``language`` from now on: "en", or a language with a translation file.

    Its files are read and checked at once; a message a translation leaves out stays English.

    Raises
    ------
    ValueError
        A language without translation files: the message names it and the available ones.

    Examples
    --------
    >>> set_language("en")
    >>> set_language("klingon")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: Unknown value for language: 'klingon'. Possible values are: ('en',...
    """
    language = check_choice("language", language, text.languages())
    _registry(language)
    _LANGUAGE[0] = language


def _common() -> dict:
    return text.load("common", _LANGUAGE[0])


# --- public functions ---------------------------------------------------------------------------------

def get(exercise_id: str, *, reveal: bool = False) -> Exercise:
    """The :class:`Exercise` with this id: its title, question, hint and kind, but not its answer.

    An id starting with :data:`LAB_PREFIX` gives the coding lab's
    :class:`~lstm_utils.exercises.labs.Lab` (its words, signature and hints; ``reveal`` changes nothing:
    a lab's answer is a function, which only the solutions notebook shows).

    ``get(id).expected`` raises :class:`~lstm_utils.exercises.exercise.AnswerHidden`;
    ``get(id, reveal=True).expected`` is the answer (the solutions notebook's way to show it).

    Raises
    ------
    ValueError
        An unknown id (a mistake in the notebook, not the learner's): the message names it, the
        closest valid id and all valid ids.
    """
    if isinstance(exercise_id, str) and exercise_id.startswith(LAB_PREFIX):
        from lstm_utils.exercises.labs import get_lab

        return get_lab(exercise_id)
    registry = _registry(_LANGUAGE[0])
    exercise = registry[check_choice("exercise_id", exercise_id, registry)]
    return replace(exercise, revealed=True) if reveal else exercise


def check(exercise_id: str, answer: object) -> Feedback:
    """Immediate feedback on an answer: correct, not quite (with a hint), or not answered yet.

    Parameters
    ----------
    exercise_id : str
        One of the ids in :func:`catalogue`.
    answer : object
        The learner's answer. ``None``, ``...`` or ``""`` mean "not answered yet". Numbers may be
        written 365568, "365,568", "365 568" or 365568.0; shapes (100, 1024), [100, 1024] or
        "100x1024"; other numbers 0.1667, "1/6" or "1.6e-7", within the exercise's tolerance or
        rounded to the digits given (0.17 for 1/6: at least two significant digits, and no typical
        wrong answer rounding to the same); gates by name or symbol in any case; an option of a
        lettered question by its letter ("b", "(b)", "B"). For a coding lab (an id starting with
        ``lab-``), the learner's function.

    Returns
    -------
    Feedback
        ``ok`` True, False or None, and a message; shows as coloured text in a notebook.

    Raises
    ------
    ValueError
        Only for an unknown ``exercise_id`` (see :func:`get`). A wrong, missing or unreadable
        answer never raises; nor does a kernel that lacks a module the answer is computed with (numpy,
        torch, keras, ...): ``ok`` is then None and the message names the command that installs it.

    Examples
    --------
    >>> check("count-keras-13x5-10", "640").ok
    True
    >>> print(check("count-pytorch-13x5-10", 640))  # doctest: +ELLIPSIS
    [not quite] count-pytorch-13x5-10: you answered 640: that is the Keras/MATLAB count: ...
    >>> check("count-keras-13x5-10", None).status
    'not answered yet'
    """
    if isinstance(exercise_id, str) and exercise_id.startswith(LAB_PREFIX):
        try:
            from lstm_utils.exercises.labs import check_lab  # the coding labs: answer is a function
        except ImportError as exc:                      # the labs run NumPy
            return _missing(exercise_id, exc, _LANGUAGE[0])
        return check_lab(exercise_id, answer)
    exercise = get(exercise_id)
    says = text.load("common", exercise.language)["check"]
    if answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip()):
        return Feedback(exercise.id, None, says["not-answered"], exercise.language)
    try:
        given = exercise.normalise(answer)
    except Unreadable as exc:
        return Feedback(exercise.id, False, render(says["unreadable"], {
            "reason": exc.message(exercise.language), "hint": exercise.hint}), exercise.language)
    try:
        expected = exercise.answer()
        traps = exercise.traps().items() if exercise.traps else ()
    except ImportError as exc:                  # an optional module the answer needs is not installed
        return _missing(exercise.id, exc, exercise.language)
    if exercise.agrees(given, expected):
        return Feedback(exercise.id, True, render(says["right"], {
            "answer": _show(given), "explanation": exercise.explanation}).strip(), exercise.language)
    why = next((exercise.said(trap) for value, trap in traps
                if exercise.agrees(given, exercise.normalise(value))), says["not-it-yet"])
    shown = repr(answer.strip()) if exercise.kind == "word" else _show(given)
    return Feedback(exercise.id, False, render(says["wrong"], {
        "answer": shown, "why": why, "hint": exercise.hint}), exercise.language)


def _missing(exercise_id: str, exc: ImportError, language: str) -> Feedback:
    """Feedback (ok None) naming the module this kernel lacks and the command that installs it."""
    from lstm_utils.extras import install_hint

    says = text.load("common", language)["check"]
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:    # present, but too old or broken
        return Feedback(exercise_id, None, render(says["broken"], {"error": str(exc)}), language)
    module = exc.name.split(".")[0]
    return Feedback(exercise_id, None, render(says["missing"], {"module": module,
                                                                "command": install_hint(module)}), language)


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

    #: The attributes each row shows; the headings are common.toml's [columns], in the chosen language.
    fields = ("number", "id", "notebook", "topic", "difficulty", "minutes", "title")

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(_common()["columns"][f] for f in self.fields)

    @property
    def total_minutes(self) -> int:
        return sum(e.minutes for e in self)

    def _rows(self) -> list[tuple[str, ...]]:
        difficulties = _common()["difficulties"]
        return [tuple(difficulties[e.difficulty] if f == "difficulty" else str(getattr(e, f))
                      for f in self.fields) for e in self]

    def _summary(self) -> str:
        return render(_common()["catalogue"]["summary"], {"count": len(self), "minutes": self.total_minutes})

    def __str__(self) -> str:
        return text_table(self.columns, self._rows(), footer=[self._summary()])

    def __repr__(self) -> str:
        return f"<Catalogue: {len(self)} exercises, about {self.total_minutes} minutes>"

    def _repr_html_(self) -> str:
        return html_table(self.columns, self._rows(), after=f"<p>{self._summary()}</p>")


def catalogue(notebook: str | None = None) -> Catalogue:
    """The exercises of the banks (or those of one notebook) with their difficulty and estimated minutes.

    ``catalogue()`` lists the banks' exercises, whose answers are values; the coding labs, whose answers
    are functions, are listed by ``catalogue(LAB_NOTEBOOK)`` ("07_coding_labs"): the same columns, each
    lab a :class:`~lstm_utils.exercises.labs.Lab`.

    Examples
    --------
    >>> cat = catalogue("01_counting")
    >>> cat[0].id, cat[0].difficulty, cat[0].minutes
    ('count-one-gate', 'easy', 3)
    >>> catalogue("07_coding_labs")[0].id
    'lab-step-forward'
    """
    if notebook is not None:
        notebook = check_choice("notebook", notebook, (*NOTEBOOKS, LAB_NOTEBOOK))
        if notebook == LAB_NOTEBOOK:
            from lstm_utils.exercises.labs import _labs  # NumPy and the reference: only when asked

            return Catalogue(_labs(_LANGUAGE[0]).values())
    return Catalogue(e for e in _registry(_LANGUAGE[0]).values() if notebook in (None, e.notebook))


def hint(lab_id: str, level: int = 0) -> str:
    """A coding lab's hints up to ``level`` (1, 2, ...; the last nearly the code); 0 says how many there
    are. See :func:`lstm_utils.exercises.labs.hint`.

    Examples
    --------
    >>> print(hint("lab-count-params", 2))  # doctest: +ELLIPSIS
    Hint 1 of 3: four blocks, ...
    <BLANKLINE>
    Hint 2 of 3: Keras, MATLAB and Flax keep one bias vector per block; ...
    """
    from lstm_utils.exercises.labs import hint as lab_hint

    return lab_hint(lab_id, level)


def _written(example: object) -> str:
    """An example as a learner types it: strings in double quotes, as in the notebooks' cells."""
    return f'"{example}"' if isinstance(example, str) else repr(example)


class Formats(tuple):
    """How each kind of answer may be written (:data:`~lstm_utils.exercises.answers.FORMATS`); prints as
    a table, renders as HTML, in the language of :func:`set_language`."""

    @property
    def columns(self) -> tuple:
        says = _common()["columns"]
        return (says["answer"], Column(says["write-it-like"], code=True), says["note"])

    def _rows(self) -> list[tuple[str, str, str]]:
        says = _common()["formats"]
        rows = []
        for f in self:
            label, note = says[f.kind], says[f"{f.kind}-note"]
            if f.examples:
                rows.append((label, ", ".join(_written(e) for e in f.examples), note))
            else:  # a yes/no: the note names its only two values
                rows.append((label, note, ""))
        return rows

    def __str__(self) -> str:
        return text_table(self.columns, self._rows(), footer=[f"({_common()['formats']['after']})"])

    def __repr__(self) -> str:
        return f"<Formats: {len(self)} kinds of answer>"

    def _repr_html_(self) -> str:
        return html_table(self.columns, self._rows(), after=f"<p>({_common()['formats']['after']})</p>")


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
