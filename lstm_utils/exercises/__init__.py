"""Workshop exercises with instant feedback: the exercise banks and ``check(exercise_id, answer)``.

Every expected answer is computed from the counting core (:func:`lstm_utils.count_params`,
:func:`lstm_utils.param_table`, :func:`lstm_utils.output_shapes`, :func:`lstm_utils.gate_order`) or,
for the later notebooks, from :mod:`lstm_utils.cost`, :mod:`lstm_utils.tasks`,
:mod:`lstm_utils.variants` and the NumPy reference, when the exercise is checked, never typed in; the
few conceptual answers (a yes/no, a word) name the notebook and the test that verify them against the
installed framework.

``check`` never raises on an answer: a missing one (``None``, ``...``, ``""``) is "not answered yet",
an unreadable or wrong one is "not quite" with a hint that points to a notebook section. Equivalent
forms are accepted: ``365568``, ``"365,568"``, ``"365 568"``, ``365568.0``; ``(100, 1024)``,
``[100, 1024]``, ``"100x1024"``, ``"100-by-1024"``; gate names in any case, as names or symbols;
numbers that are not whole as ``0.1667``, ``"1/6"`` or ``"1.6e-7"``, within the exercise's tolerance.
An unknown ``exercise_id`` is a mistake in the notebook, not in the learner's answer: it raises
``ValueError`` naming the id, the closest valid id and all valid ids.

The package
-----------
``answers``
    The parsers that read a learner's answer (``as_count``, ``as_number``, ``as_shape``, ``as_gates``,
    ``as_bool``) and ``FORMATS``, how each kind of answer may be written, with examples that answer no
    exercise.
``exercise``
    :class:`Exercise`, what a bank entry is, and helpers several banks share (``count_traps``).
``bank_<notebook>``
    One module per exercise notebook: its ``EXERCISES``, each written with keywords, its answer
    (and its typical wrong answers, ``traps``) computed by a named function.
``checker``
    ``NOTEBOOKS``, the registry built from the banks, ``check``, ``get``, ``catalogue``, ``formats``,
    :class:`Feedback`, :class:`Catalogue` and :class:`Formats`.

Adding an exercise notebook (for example ``04_how_the_lstm_learns``)
--------------------------------------------------------------------
1. Write ``lstm_utils/exercises/bank_04_how_the_lstm_learns.py`` with ``EXERCISES: list[Exercise]``,
   like the existing banks: every field by keyword, ``compute=`` a named function.
2. Add ``"04_how_the_lstm_learns": "<its topics>"`` to :data:`NOTEBOOKS` in ``checker.py``, in
   course order; the exercises are numbered 4.1, 4.2, ... from their order in the bank.
3. In ``notebooks/exercises/04_how_the_lstm_learns.ipynb`` give each exercise a markdown cell
   ``### 4.1 · <title>``, ``*<difficulty>, about <minutes> min* · id `<id>```, a blank line and the
   question, then its ``check`` cell; ``tests/test_exercises.py`` checks that each notebook shows
   the bank's heading and question word for word.
"""

from lstm_utils.exercises.answers import as_bool, as_count, as_gates, as_number, as_shape
from lstm_utils.exercises.checker import (
    CORRECT,
    DIFFICULTIES,
    NOT_ANSWERED,
    NOTEBOOKS,
    WRONG,
    Catalogue,
    Feedback,
    Formats,
    catalogue,
    check,
    formats,
    get,
)
from lstm_utils.exercises.exercise import Exercise

__all__ = [
    "CORRECT", "DIFFICULTIES", "NOTEBOOKS", "NOT_ANSWERED", "WRONG", "Catalogue", "Exercise", "Feedback",
    "Formats", "as_bool", "as_count", "as_gates", "as_number", "as_shape", "catalogue", "check", "formats",
    "get",
]
