"""What a bank entry is (:class:`Exercise`) and the helpers several banks share."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from lstm_utils._validate import FRAMEWORK_ALIASES, unknown_value_hint
from lstm_utils.counting import count_params, param_table
from lstm_utils.exercises import text
from lstm_utils.exercises.answers import KINDS, as_bool, as_count, as_gates, as_number, as_shape, as_word

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

#: What a bank's ``traps`` function gives for a wrong answer: a message key, or (key, its parameters).
Said = str | tuple[str, Mapping[str, object]]
#: Sizes used by several exercises: the source material's x_t of 100 features and h_t of 256 units.
N, M = 100, 256
#: The source material's PyTorch layer: nn.LSTM(3, 12, num_layers=6) on a batch of 64 sequences of 3 steps.
SEED = {"batch": 64, "seq_len": 3, "input_size": 3, "hidden_size": 12, "num_layers": 6}


class AnswerHidden(LookupError):
    """``Exercise.expected`` read on an exercise fetched without ``get(id, reveal=True)``."""


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """One exercise: where it lives, how hard it is, what it asks and how its answer is read.

    A bank writes the answer's fields by keyword: ``id``, ``topic``, ``difficulty``, ``minutes``,
    ``kind`` (one of :data:`~lstm_utils.exercises.answers.KINDS`), ``compute``, and where they apply
    ``traps``, ``words``, ``cell`` and ``tolerance``. The registry fills in the rest: ``number`` and
    ``notebook`` from the bank's place, and the words (``title``, ``question``, ``see``,
    ``explanation``, the trap ``messages``) from the bank's TOML file in the chosen ``language``
    (:mod:`lstm_utils.exercises.text`). ``compute`` is a named function that computes the answer from
    the counting core when the exercise is checked; ``traps`` (optional) a named function returning
    typical wrong answers (also computed), each with the key of its message, or ``(key, parameters)``
    when the message has placeholders. A ``"number"`` answer (not a whole number) is right when it lies
    within ``tolerance`` (relative) of the computed one, or when it is the computed one rounded to the
    digits the learner gave (decimal places of ``0.17``, significant digits of ``1.7e-1``), provided
    it has at least two significant digits and no trap rounds to the same number (:meth:`agrees`);
    every other kind must be equal. A question with lettered options is a ``"word"`` answered by a
    letter: its options are written in the question, ``words=choice_words("abcd")`` accepts ``"b"``,
    ``"(b)"``, ``"b)"`` and ``"B"``, and each wrong option is a trap with its own message.

    Raises
    ------
    ValueError
        A ``kind`` or ``difficulty`` outside its closed set, naming the exercise, the value and the
        accepted values (at import of the bank, not at a learner's check).
    """

    id: str
    topic: str
    difficulty: str
    minutes: int
    kind: str
    compute: Callable[[], object] = field(repr=False)
    cell: str = "lstm"
    words: Mapping[str, str] = field(default_factory=dict, repr=False)  # "word": accepted -> canonical
    traps: Callable[[], Mapping[object, Said]] | None = field(default=None, repr=False)
    tolerance: float = 0.0  # "number": the relative error accepted
    # set by the registry: the place, and the words from the bank's TOML file
    number: str = ""  # "1.3"
    notebook: str = ""
    language: str = text.ENGLISH
    title: str = ""
    question: str = ""
    see: tuple[tuple[str, str], ...] = ()  # (notebook, section heading) to reread
    explanation: str = ""
    messages: Mapping[str, str] = field(default_factory=dict, repr=False)  # trap key -> message
    revealed: bool = field(default=False, repr=False)  # set by get(..., reveal=True): expected may be read

    def __post_init__(self) -> None:
        for name, value, accepted in (("kind", self.kind, KINDS),
                                      ("difficulty", self.difficulty, text.DIFFICULTIES)):
            if value not in accepted:
                raise ValueError(f"Exercise {self.id!r}: unknown value for {name}: {value!r}. "
                                 f"{unknown_value_hint(value, accepted)}")

    @property
    def hint(self) -> str:
        """Where to read again: "see 02_example_13x5_to_10, section 'One gate, by hand'"."""
        return text.hint(self.see, self.language)

    @property
    def markdown(self) -> str:
        """The exercise's markdown cell in its notebook: number, title, difficulty, minutes, id, question."""
        return text.exercise_markdown(self)

    def said(self, trap: Said) -> str:
        """The message of a typical wrong answer: ``trap`` is its key, or ``(key, parameters)``."""
        key, params = (trap, {}) if isinstance(trap, str) else trap
        return text.render(self.messages[key], params)

    @property
    def expected(self) -> object:
        """The answer, computed now from the counting core, in its normal form; only on an exercise
        fetched with ``get(id, reveal=True)``, so that looking an exercise up never shows its answer.

        Raises
        ------
        AnswerHidden
            The exercise was fetched without ``reveal=True``.
        """
        if not self.revealed:
            raise AnswerHidden(text.render(text.load("common", self.language)["check"]["answer-hidden"],
                                           {"id": self.id}))
        return self.answer()

    def answer(self) -> object:
        """The answer in normal form, for the checker and the graders (not for a learner's eyes)."""
        return self.normalise(self.compute())

    def normalise(self, answer: object) -> object:
        """``answer`` in the exercise's normal form; raises :class:`Unreadable` if it cannot be read."""
        if self.kind == "count":
            return as_count(answer)
        if self.kind == "number":
            return as_number(answer)
        if self.kind == "shape":
            return as_shape(answer)
        if self.kind == "gates":
            return as_gates(answer, self.cell)
        if self.kind == "bool":
            return as_bool(answer)
        word = as_word(answer)  # "word", the last of KINDS
        return self.words.get(word, word)

    def agrees(self, given: object, value: object) -> bool:
        """Whether the learner's answer ``given`` and ``value`` (the answer or a trap), both in normal
        form, are the same.

        Every kind but "number" must be equal. A "number" agrees when it lies within ``tolerance``
        (relative) of ``value``, or when it is ``value`` rounded to the digits it was given with
        (:class:`~lstm_utils.exercises.answers.Reading`: 0.17 for 1/6, to two decimal places), provided
        those digits identify ``value``: at least two significant ones, and neither the answer nor any
        trap other than ``value`` rounding to the same number. So 0.17 and 0.167 are 1/6, 0.2 is not
        (one significant digit), and an answer rounded so coarsely that a trap rounds to it too is
        neither right nor that trap.
        """
        if self.kind != "number":
            return given == value
        if math.isclose(given, value, rel_tol=self.tolerance, abs_tol=0.0):
            return True
        if getattr(given, "digits", None) is None or given.digits < 2 or not given.round_to(value):
            return False
        others = [self.answer(), *(self.normalise(t) for t in (self.traps() if self.traps else ()))]
        return not any(given.round_to(other) for other in others if other != value)


def choice_words(options: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    """The ``words`` of a question with lettered options: each option's letter as a learner may write it
    ("b", "B", "(b)", "b)", "b.", read in lower case as a "word" is) -> the answer it stands for (the
    letter itself, or a word).

    Examples
    --------
    >>> choice_words("ab")["(b)"], choice_words({"a": "pre", "b": "post"})["a)"], len(choice_words("abc"))
    ('b', 'pre', 12)
    """
    meaning = dict(options) if isinstance(options, Mapping) else {letter: letter for letter in options}
    return {form: answer for letter, answer in meaning.items()
            for form in (letter, f"({letter})", f"{letter})", f"{letter}.")}


def framework_words() -> dict[str, str]:
    """The ``words`` of an exercise answered by a framework's name: every spelling
    :func:`lstm_utils._validate.check_framework` accepts, as a "word" answer is read, -> its name.

    Examples
    --------
    >>> framework_words()["tf.keras"], framework_words()["torch"]
    ('keras', 'pytorch')
    """
    return {as_word(alias): name for alias, name in FRAMEWORK_ALIASES.items()}


def count_traps(n: int, m: int, framework: str = "keras", steps: int = 0) -> Callable[[], dict]:
    """Wrong totals learners often give for an n -> m LSTM, each with the key of what went wrong
    (``common.toml``'s ``[traps]``)."""
    def traps():
        keras, torch = count_params(n, m), count_params(n, m, framework="pytorch")
        right = count_params(n, m, framework=framework)
        found = {
            count_params(n, m, framework=framework, bias=False): "no-biases",
            right // 4: "one-gate",
            4 * n * m + 4 * m: "no-recurrent-weights",  # W and b only: U, on h_{t-1}, left out
        }
        if framework == "pytorch":
            found[keras] = "keras-count"
        else:
            found[torch] = "pytorch-count"
        if steps:
            found[right * steps] = "times-steps"
        return found
    return traps


def shape_of(name: str, framework: str, **layer) -> tuple[int, ...]:
    """Shape of the tensor ``name`` of the framework's N -> M layer, from :func:`lstm_utils.param_table`."""
    return next(row.shape for row in param_table(N, M, framework=framework, **layer) if row.name == name)
