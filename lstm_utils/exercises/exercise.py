"""What a bank entry is (:class:`Exercise`) and the helpers several banks share."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lstm_utils.counting import count_params, param_table
from lstm_utils.exercises.answers import as_bool, as_count, as_gates, as_number, as_shape, as_word

#: Sizes used by several exercises: the source material's x_t of 100 features and h_t of 256 units.
N, M = 100, 256
#: The source material's PyTorch layer: nn.LSTM(3, 12, num_layers=6) on a batch of 64 sequences of 3 steps.
SEED = {"batch": 64, "seq_len": 3, "input_size": 3, "hidden_size": 12, "num_layers": 6}


@dataclass(frozen=True, kw_only=True)
class Exercise:
    """One exercise: where it lives, how hard it is, what it asks and how its answer is read.

    A bank writes every field by keyword except ``number`` and ``notebook``, which the registry
    fills in from the bank's place in ``NOTEBOOKS`` and the entry's place in the bank. ``compute``
    is a named function that computes the answer from the counting core when the exercise is
    checked; ``traps`` (optional) a named function returning typical wrong answers (also computed)
    with a targeted explanation of each. A ``"number"`` answer (not a whole number) is right when it
    lies within ``tolerance`` (relative) of the computed one; every other kind must be equal.
    """

    id: str
    topic: str
    difficulty: str
    minutes: int
    title: str
    question: str
    kind: str  # "count", "number", "shape", "gates", "bool", "word"
    compute: Callable[[], object] = field(repr=False)
    see: tuple[tuple[str, str], ...] = ()  # (notebook, section heading) to reread
    explanation: str = ""
    cell: str = "lstm"
    words: Mapping[str, str] = field(default_factory=dict, repr=False)  # "word": accepted -> canonical
    traps: Callable[[], Mapping[object, str]] | None = field(default=None, repr=False)
    tolerance: float = 0.0  # "number": the relative error accepted
    number: str = ""  # "1.3": set by the registry
    notebook: str = ""  # set by the registry

    @property
    def hint(self) -> str:
        """Where to read again: "see 02_example_13x5_to_10, section 'One gate, by hand'"."""
        return "see " + "; ".join(f"{notebook}, section '{section}'" for notebook, section in self.see)

    @property
    def markdown(self) -> str:
        """The exercise's markdown cell in its notebook: number, title, difficulty, minutes, id, question."""
        return (f"### {self.number} · {self.title}\n*{self.difficulty}, about {self.minutes} min* · "
                f"id `{self.id}`\n\n{self.question}")

    @property
    def expected(self) -> object:
        """The answer, computed now from the counting core, in its normal form."""
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
        word = as_word(answer)
        return self.words.get(word, word)

    def agrees(self, given: object, value: object) -> bool:
        """Whether two answers in normal form are the same: within ``tolerance`` for a "number"."""
        if self.kind == "number":
            return math.isclose(given, value, rel_tol=self.tolerance, abs_tol=0.0)
        return given == value


def count_traps(n: int, m: int, framework: str = "keras", steps: int = 0) -> Callable[[], dict]:
    """Wrong totals learners often give for an n -> m LSTM, each with what went wrong."""
    def traps():
        keras, torch = count_params(n, m), count_params(n, m, framework="pytorch")
        right = count_params(n, m, framework=framework)
        found = {
            count_params(n, m, framework=framework, bias=False): "that leaves out the biases.",
            right // 4: "that is one gate; the LSTM has four.",
            4 * n * m + 4 * m: "that leaves out the recurrent weights U, which act on h_{t-1} "
                               "(m x m per gate).",
        }
        if framework == "pytorch":
            found[keras] = ("that is the Keras/MATLAB count: PyTorch keeps two bias vectors, bias_ih "
                            "and bias_hh.")
        else:
            found[torch] = "that is PyTorch's count, with its second bias vector; this layer has one."
        if steps:
            found[right * steps] = "the same weights are used at every time step: the count does not grow " \
                                   "with the sequence length."
        return found
    return traps


def shape_of(name: str, framework: str, **layer) -> tuple[int, ...]:
    """Shape of the tensor ``name`` of the framework's N -> M layer, from :func:`lstm_utils.param_table`."""
    return next(row.shape for row in param_table(N, M, framework=framework, **layer) if row.name == name)
