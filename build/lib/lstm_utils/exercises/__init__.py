"""Workshop exercises with instant feedback: the exercise banks and ``check(exercise_id, answer)``.

Every expected answer is computed from the counting core (:func:`lstm_utils.count_params`,
:func:`lstm_utils.param_table`, :func:`lstm_utils.output_shapes`, :func:`lstm_utils.gate_order`) or,
for the later notebooks, from :mod:`lstm_utils.cost`, :mod:`lstm_utils.tasks`,
:mod:`lstm_utils.variants` and the NumPy reference, when the exercise is checked, never typed in; the
few conceptual answers (a word, or the letter of an option) name the notebook and the test that verify
them against the installed framework.

``check`` never raises on an answer: a missing one (``None``, ``...``, ``""``) is "not answered yet",
an unreadable or wrong one is "not quite" with a hint that points to a notebook section. Equivalent
forms are accepted: ``365568``, ``"365,568"``, ``"365 568"``, ``365568.0``; ``(100, 1024)``,
``[100, 1024]``, ``"100x1024"``, ``"100-by-1024"``; gate names in any case, as names or symbols;
numbers that are not whole as ``0.1667``, ``"1/6"`` or ``"1.6e-7"``, within the exercise's tolerance
or rounded to the digits given (``0.17`` for 1/6: two or more significant digits that no typical wrong
answer also rounds to); an option of a lettered question by its letter (``"b"``, ``"(b)"``).
An unknown ``exercise_id`` is a mistake in the notebook, not in the learner's answer: it raises
``ValueError`` naming the id, the closest valid id and all valid ids.

The package
-----------
``answers``
    The parsers that read a learner's answer (``as_count``, ``as_number``, ``as_shape``, ``as_gates``,
    ``as_bool``), ``KINDS``, the closed set of kinds of answer, and ``FORMATS``, how each kind may be
    written, with examples that answer no exercise.
``text``
    The words as data: reads each bank's TOML file and ``common.toml`` in a language, falls back to
    English message by message, and checks every file (``load``, ``untranslated``, ``languages``).
``exercise``
    :class:`Exercise`, what a bank entry is (a ``kind`` or ``difficulty`` outside its closed set is a
    ``ValueError`` naming the exercise), and helpers several banks share (``count_traps``,
    ``framework_words``).
``bank_<notebook>.py`` and ``bank_<notebook>.toml``
    One pair per exercise notebook: the ``.py`` file's ``EXERCISES``, each written with keywords, its
    answer (and its typical wrong answers, ``traps``, by message key) computed by a named function; the
    ``.toml`` file's words: the bank's title and each exercise's title, question, hint sections,
    explanation and trap messages. ``common.toml`` holds the words the banks share.
``checker``
    ``NOTEBOOKS``, the registry built from the banks and their words, ``check``, ``get``,
    ``catalogue``, ``formats``, ``hint``, ``set_language``, :class:`Feedback`, :class:`Catalogue` and
    :class:`Formats`.
``labs`` and ``labs.toml``
    The coding labs of notebooks/exercises/07_coding_labs.ipynb (:data:`LAB_NOTEBOOK`): the learner
    writes a function and ``check("lab-step-forward", fn)`` runs it on hidden random cases in float64
    against the package's reference (``lstm_utils.reference``, ``lstm_utils.backward``,
    ``count_params``); a wrong result is named as the first wrong array and its largest error, or as a
    classic mistake (a wrong gate order, the cell gradient without f, tanh' as 1 - tanh, ...) when it
    matches the reference under that mistake. ``hint(lab_id, level)`` gives the hints 1..level;
    ``labs.LABS``, ``Lab.cases()``, ``Lab.reference()`` and ``labs.grade(lab_id, fn)`` (cases passed,
    cases in all) serve class grading. The module imports NumPy, so it is imported on first use
    (``check``, ``get``, ``catalogue(LAB_NOTEBOOK)``, ``hint`` or ``lu.exercises.labs``). Every id
    starts with ``lab-``; ``catalogue()`` without a notebook lists the banks only.

Adding an exercise notebook (for example ``07_...``)
----------------------------------------------------
1. Write ``lstm_utils/exercises/bank_07_....py`` with ``EXERCISES: list[Exercise]``, like the existing
   banks: every field by keyword, ``compute=`` a named function, ``traps=`` one returning
   ``{wrong answer: message key}``.
2. Write ``bank_07_....toml`` beside it: ``title`` (the notebook's topics) and one
   ``[exercises.<id>]`` table per entry, in the bank's order, with ``title``, ``question``, ``see``,
   ``explanation`` and, under ``[exercises.<id>.traps]``, the message of each key its traps return.
3. Add the notebook to :data:`COURSE_ORDER` in ``checker.py``; the exercises are numbered 7.1, 7.2, ...
   from the notebook's file name and their order in the bank (08_language_model's are 8.1, 8.2, ...:
   07 is the coding labs, which have no bank).
4. In ``notebooks/exercises/07_....ipynb`` give each exercise its markdown cell
   (:attr:`Exercise.markdown`: ``### 7.1 · <title>``, ``*<difficulty>, about <minutes> min* · id
   `<id>```, a blank line and the question), then its ``check`` cell; ``tests/test_exercises.py``
   checks that each notebook shows the bank's heading and question word for word.

Translating
-----------
A translation is one more file per TOML file, the language before ``.toml``
(``bank_01_counting.zh_CN.toml``, ``common.zh_CN.toml``), holding any of the English keys; a notebook
calls ``lu.exercises.set_language("zh_CN")`` once, and every message the files leave out stays English
(``text.untranslated`` lists them).
"""

from lstm_utils.exercises.answers import KINDS, as_bool, as_count, as_gates, as_number, as_shape
from lstm_utils.exercises.checker import (
    COURSE_ORDER,
    LAB_NOTEBOOK,
    NOTEBOOKS,
    Catalogue,
    Formats,
    catalogue,
    check,
    formats,
    get,
    hint,
    set_language,
)
from lstm_utils.exercises.exercise import AnswerHidden, Exercise
from lstm_utils.exercises.text import CORRECT, DIFFICULTIES, NOT_ANSWERED, WRONG, Feedback

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = [
    "AnswerHidden", "CORRECT", "COURSE_ORDER", "DIFFICULTIES", "KINDS", "LAB_NOTEBOOK", "NOTEBOOKS",
    "NOT_ANSWERED", "WRONG", "Catalogue", "Exercise", "Feedback", "Formats", "as_bool", "as_count",
    "as_gates", "as_number", "as_shape", "catalogue", "check", "formats", "get", "hint", "set_language",
]


def __getattr__(name: str) -> object:
    """``lu.exercises.labs``, imported on first use (it imports NumPy and the reference)."""
    if name == "labs":
        import importlib

        return importlib.import_module("lstm_utils.exercises.labs")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
