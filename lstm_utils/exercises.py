"""Workshop exercises with instant feedback: the exercise registry and ``check(exercise_id, answer)``.

Every expected answer is computed from the counting core (:func:`lstm_utils.count_params`,
:func:`lstm_utils.param_table`, :func:`lstm_utils.output_shapes`, :func:`lstm_utils.gate_order`) when
the exercise is checked, never typed in; the few conceptual answers (a yes/no, a word) name the
notebook and the test that verify them against the installed framework.

``check`` never raises on an answer: a missing one (``None``, ``...``, ``""``) is "not answered yet",
an unreadable or wrong one is "not quite" with a hint that points to a notebook section. Equivalent
forms are accepted: ``365568``, ``"365,568"``, ``"365 568"``, ``365568.0``; ``(100, 1024)``,
``[100, 1024]``, ``"100x1024"``, ``"100-by-1024"``; gate names in any case, as names or symbols.
An unknown ``exercise_id`` is a mistake in the notebook, not in the learner's answer: it raises
``ValueError`` naming the id, the closest valid id and all valid ids.
"""

from __future__ import annotations

import html
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lstm_utils._table import html_table, text_table
from lstm_utils._validate import check_choice
from lstm_utils.counting import count_params, param_table
from lstm_utils.gates import gate_order
from lstm_utils.shapes import output_shapes

#: The three exercise notebooks, in order, and the topics they cover.
NOTEBOOKS = {
    "01_counting": "counting by hand, then checked",
    "02_shapes_and_gates": "shapes and gate order",
    "03_conversions_and_mistakes": "framework conversions and misconceptions",
}
DIFFICULTIES = ("easy", "medium", "hard")

NOT_ANSWERED, CORRECT, WRONG = "not answered yet", "correct", "not quite"


class _Unreadable(ValueError):
    """An answer that cannot be read as the kind the exercise expects (becomes feedback, not an error)."""


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
        raise _Unreadable(f"{answer!r} is a yes/no, not a number")
    if isinstance(answer, float) or type(answer).__name__.startswith("float"):
        if float(answer).is_integer():
            return int(answer)
        raise _Unreadable(f"{answer!r} is not a whole number")
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
    raise _Unreadable(f"could not read {answer!r} as a whole number (write it like 640 or '640')")


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
        except _Unreadable:
            pass
    elif not isinstance(answer, bool | float):
        try:
            return (operator.index(answer),)
        except TypeError:
            pass
    raise _Unreadable(f"could not read {answer!r} as a shape (write it like (100, 1024) or '100x1024')")


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
        raise _Unreadable(f"could not read {answer!r} as a list of gates (write it like "
                          "['input', 'forget', 'candidate', 'output'] or 'i, f, g, o')")
    roles = []
    for token in tokens:
        if not isinstance(token, str) or not token.strip():
            continue
        word = re.sub(r"\b(the|gate|gates|activation)\b|[_$()]|\b(\w)_t\b", r"\2", token.lower()).strip()
        word = re.sub(r"\s+", " ", word)
        if word not in lookup:
            known = sorted(lookup)
            raise _Unreadable(f"{token!r} is not a gate name I know; use one of {known}")
        roles.append(lookup[word])
    if not roles:
        raise _Unreadable(f"could not read {answer!r} as a list of gates")
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
    raise _Unreadable(f"could not read {answer!r} as yes or no (write True or False)")


def _as_word(answer: object) -> str:
    if not isinstance(answer, str):
        raise _Unreadable(f"could not read {answer!r} as a word (write it as a string, like 'units')")
    return re.sub(r"\s+", " ", answer.strip().lower().replace("`", "").replace("_", " "))


# --- the registry -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Exercise:
    """One exercise: where it lives, how hard it is, what it asks and how its answer is read.

    ``expected`` is computed on access from the counting core; ``traps`` maps typical wrong answers
    (also computed) to a targeted explanation.
    """

    id: str
    number: str
    notebook: str
    topic: str
    difficulty: str
    minutes: int
    title: str
    question: str
    kind: str  # "count", "shape", "gates", "bool", "word"
    compute: Callable[[], object] = field(repr=False)
    see: tuple[tuple[str, str], ...] = ()  # (notebook, section heading) to reread
    explanation: str = ""
    cell: str = "lstm"
    words: Mapping[str, str] = field(default_factory=dict, repr=False)  # "word": accepted -> canonical
    traps: Callable[[], Mapping[object, str]] | None = field(default=None, repr=False)

    @property
    def hint(self) -> str:
        """Where to read again: "see 02_example_13x5_to_10, section 'One gate, by hand'"."""
        return "see " + "; ".join(f"{notebook}, section '{section}'" for notebook, section in self.see)

    @property
    def expected(self) -> object:
        """The answer, computed now from the counting core, in its normal form."""
        return self.normalise(self.compute())

    def normalise(self, answer: object) -> object:
        """``answer`` in the exercise's normal form; raises ``_Unreadable`` if it cannot be read."""
        if self.kind == "count":
            return as_count(answer)
        if self.kind == "shape":
            return as_shape(answer)
        if self.kind == "gates":
            return as_gates(answer, self.cell)
        if self.kind == "bool":
            return as_bool(answer)
        word = _as_word(answer)
        return self.words.get(word, word)


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


_REGISTRY: dict[str, Exercise] = {}


def _add(notebook: str, topic: str, difficulty: str, minutes: int, id: str, title: str, question: str,
         kind: str, compute: Callable[[], object], see: tuple, explanation: str = "", **extra) -> None:
    number = f"{list(NOTEBOOKS).index(notebook) + 1}." \
             f"{sum(e.notebook == notebook for e in _REGISTRY.values()) + 1}"
    _REGISTRY[id] = Exercise(id, number, notebook, topic, difficulty, minutes, title, question.strip(), kind,
                             compute, see, explanation, **extra)


def _count_traps(n: int, m: int, framework: str = "keras", steps: int = 0) -> Callable[[], dict]:
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


# Sizes used by several exercises.
_N, _M = 100, 256
_SEED = {"batch": 64, "seq_len": 3, "input_size": 3, "hidden_size": 12, "num_layers": 6}

# --- 01_counting --------------------------------------------------------------------------------------
_c = ("01_counting", "counting")
_add(*_c, "easy", 3, "count-one-gate", "One gate of LSTM(10) on 5 features", """
A Keras `LSTM(10)` reads sequences with 5 features per time step. How many parameters does **one**
gate (for example the forget gate) own? Count its weights on `[h_{t-1}, x_t]` and its bias.
""", "count", lambda: count_params(5, 10) // len(gate_order("keras")),
     (("02_example_13x5_to_10", "One gate, by hand"),),
     "m*(n+m) + m with n = 5, m = 10.", traps=lambda: {count_params(5, 10): "that is all four gates."})
_add(*_c, "easy", 2, "count-keras-13x5-10", "The whole LSTM(10) on 5 features", """
Same layer: Keras `LSTM(10)` on inputs of shape (13, 5) — 13 time steps, 5 features. How many
trainable parameters does the layer have in total?
""", "count", lambda: count_params(5, 10), (("02_example_13x5_to_10", "The general formula"),),
     "4(m(n+m) + m) = 4 gates of m(n+m) + m.", traps=_count_traps(5, 10, steps=13))
_add(*_c, "easy", 3, "count-pytorch-13x5-10", "The same layer in PyTorch", """
Now build the same layer in PyTorch: `nn.LSTM(input_size=5, hidden_size=10)`. How many parameters
does `sum(p.numel() for p in lstm.parameters())` report?
""", "count", lambda: count_params(5, 10, framework="pytorch"),
     (("02_example_13x5_to_10", "Referee 3: PyTorch disagrees"),),
     "PyTorch adds a second bias vector (bias_hh) of 4m.", traps=_count_traps(5, 10, "pytorch"))
_add(*_c, "easy", 3, "count-2-to-3", "x_t of size 2, h_t of size 3", """
An LSTM has inputs x_t of size 2 and a hidden state h_t of size 3. How many parameters does it have
(Keras or MATLAB: one bias per gate)?
""", "count", lambda: count_params(2, 3), (("03_example_2_to_3", "Part 1: n = 2, m = 3"),),
     "per gate 3x(3+2) weights + 3 biases, times four gates.", traps=_count_traps(2, 3))
_add(*_c, "medium", 5, "count-100-to-256", "x_t of size 100, h_t of size 256", """
The question from the source material: x_t has 100 features, h_t has 256 units. How many parameters
do W, U and b of all four gates hold together (Keras)?
""", "count", lambda: count_params(_N, _M), (("04_example_100_to_256", "The tensors of one gate"),),
     "W: 4x256x100, U: 4x256x256, b: 4x256.", traps=_count_traps(_N, _M))
_add(*_c, "medium", 5, "count-small-model", "LSTM(4) + Dense(2)", """
The Keras model `Sequential([Input((5, 3)), LSTM(4), Dense(2, activation="sigmoid")])`: how many
trainable parameters does `model.summary()` report in total?
""", "count", lambda: count_params(3, 4) + (4 * 2 + 2),
     (("03_example_2_to_3", "Part 2: a small model, `LSTM(4)` + `Dense(2)`"),),
     "the LSTM on 3 features with 4 units, plus Dense: 4 inputs x 2 units + 2 biases.",
     traps=lambda: {count_params(5, 4) + 10: "the LSTM sees 3 features per step; 5 is the number of steps.",
                    count_params(3, 4): "that is the LSTM alone; add the Dense layer."})
_add(*_c, "medium", 6, "count-gru-keras", "A Keras GRU", """
Keras `GRU(64)` on 32 features, with the default `reset_after=True`. How many parameters?
""", "count", lambda: count_params(32, 64, cell="gru"),
     (('11_gru_and_simple_rnn', "2 · The seed's 2 → 3, for all three cells"),),
     "three gates; reset_after=True keeps an input bias and a recurrent bias: 3(m(n+m) + 2m).",
     traps=lambda: {count_params(32, 64, cell="gru", reset_after=False):
                    "that is reset_after=False; the default keeps a second (recurrent) bias.",
                    count_params(32, 64): "that is an LSTM (four gates); a GRU has three."})
_add(*_c, "hard", 8, "count-stacked-pytorch", "Two stacked layers in PyTorch", """
`nn.LSTM(input_size=300, hidden_size=512, num_layers=2)`. How many parameters? Remember what the
second layer receives as its input.
""", "count", lambda: count_params(300, 512, framework="pytorch", num_layers=2),
     (("10_stacked_bidirectional_projection", "2. Stacking: the second layer reads m features"),),
     "layer 0: 300 -> 512; layer 1: 512 -> 512; each with PyTorch's two biases.",
     traps=lambda: {2 * count_params(300, 512, framework="pytorch"):
                    "the second layer reads the first layer's 512-wide h, not the 300 input features.",
                    count_params(300, 512, num_layers=2): "that is one bias per gate; this is PyTorch."})
_add(*_c, "medium", 5, "count-bidirectional-keras", "A bidirectional Keras layer", """
`Bidirectional(LSTM(32))` on 16 features per step (Keras). How many parameters?
""", "count", lambda: count_params(16, 32, bidirectional=True),
     (
         ("10_stacked_bidirectional_projection", "3. Bidirectional: the second layer reads 2m features"),
         ("06_keras_lstm", "6. Bidirectional and stacked layers"),
     ),
     "two independent LSTMs, one per direction, each 16 -> 32.",
     traps=lambda: {count_params(16, 32): "that is one direction; Bidirectional holds two copies."})
_add(*_c, "hard", 8, "count-projection", "PyTorch's projection", """
`nn.LSTM(input_size=100, hidden_size=256, proj_size=64)`. How many parameters? (With a projection,
h_t has 64 numbers, and the recurrent weights act on that h.)
""", "count", lambda: count_params(_N, _M, framework="pytorch", proj_size=64),
     (
         ("10_stacked_bidirectional_projection",
          "4. Projection (PyTorch only): `proj_size` shrinks h and adds `weight_hr`"),
     ),
     "weight_ih (1024, 100), weight_hh (1024, 64), two biases (1024,), weight_hr (64, 256).",
     traps=lambda: {count_params(_N, _M, framework="pytorch") + 64 * 256:
                    "weight_hh shrinks too: it acts on the projected h of size 64, so it is (1024, 64)."})

# --- 02_shapes_and_gates ------------------------------------------------------------------------------
_s = ("02_shapes_and_gates", "shapes")
_g = ("02_shapes_and_gates", "gate order")


def _shape_of(name: str, framework: str, **layer) -> tuple[int, ...]:
    return next(row.shape for row in param_table(_N, _M, framework=framework, **layer) if row.name == name)


def _transposed(shape: tuple[int, ...]) -> Callable[[], dict]:
    return lambda: {shape[::-1]: "the numbers are right but transposed: check which axis holds the 4m gates."}


_add(*_s, "easy", 2, "shape-keras-kernel", "Keras kernel", """
Keras `LSTM(256)` on 100 features. What is the shape of `layer.kernel` (the input weights of all
four gates)?
""", "shape", lambda: _shape_of("kernel", "keras"),
     (("04_example_100_to_256", "How Keras stores them"),),
     "Keras keeps inputs on the rows: (n, 4m).", traps=_transposed(_shape_of("kernel", "keras")))
_add(*_s, "easy", 2, "shape-pytorch-weight-hh", "PyTorch weight_hh_l0", """
`nn.LSTM(100, 256)`: what is the shape of `weight_hh_l0`?
""", "shape", lambda: _shape_of("weight_hh_l0", "pytorch"),
     (("04_example_100_to_256", "How PyTorch stores them"),),
     "PyTorch stacks the 4 gates along the rows: (4m, m).")
_add(*_s, "easy", 2, "shape-matlab-input-weights", "MATLAB InputWeights", """
MATLAB `lstmLayer(256)` on sequences with 100 features. What is the size of `InputWeights`?
(MATLAB writes sizes as rows-by-columns; give it as a pair.)
""", "shape", lambda: _shape_of("InputWeights", "matlab"),
     (("04_example_100_to_256", "How MATLAB stores them"),),
     "4*NumHiddenUnits-by-InputSize.", traps=_transposed(_shape_of("InputWeights", "matlab")))
_add(*_s, "medium", 4, "shape-pytorch-hn", "h_n of the source material's model", """
`nn.LSTM(input_size=3, hidden_size=12, num_layers=6)` receives a batch of 64 sequences of 3 time
steps (the default `batch_first=False`). What is the shape of `h_n`?
""", "shape", lambda: output_shapes("pytorch", **_SEED)["h_n"],
     (('07_pytorch_lstm', "3. The source material's configuration: output, h_n and c_n"),),
     "(num_layers * directions, batch, hidden_size): one final state per layer.",
     traps=lambda: {output_shapes("pytorch", **_SEED)["output"]: "that is `output` (every step of the last "
                                                                 "layer); h_n has one row per layer."})
_add(*_s, "medium", 3, "shape-pytorch-output-batch-first", "output with batch_first=True", """
The same layer with `batch_first=True`, fed a (64, 3, 3) tensor. What is the shape of `output`?
""", "shape", lambda: output_shapes("pytorch", batch_first=True, **_SEED)["output"],
     (("07_pytorch_lstm", "With `batch_first=True`"),),
     "(batch, seq, hidden_size): batch_first moves the batch axis of input and output only.")
_add(*_s, "medium", 4, "shape-pytorch-bidirectional-hn", "h_n of a bidirectional stack", """
The same six-layer layer with `bidirectional=True` (and `batch_first=False`). What is the shape of
`h_n` now?
""", "shape", lambda: output_shapes("pytorch", bidirectional=True, **_SEED)["h_n"],
     (
         ("07_pytorch_lstm", "With `bidirectional=True`"),
         ("10_stacked_bidirectional_projection", "5. The layout of `h_n` and `c_n`"),
     ),
     "one final state per layer and direction: (2 * num_layers, batch, hidden_size).",
     traps=lambda: {(6, 64, 24): "the directions are stacked on the first axis of h_n, not concatenated "
                                 "on the last (that is what `output` does)."})
_add(*_s, "easy", 3, "shape-keras-return-sequences", "Keras return_sequences=True", """
Keras `LSTM(10, return_sequences=True)` receives a batch of 32 samples, each 13 time steps of 5
features. What is the shape of its output?
""", "shape", lambda: output_shapes("keras", batch=32, seq_len=13, input_size=5, hidden_size=10,
                                    return_sequences=True)["output"],
     (("06_keras_lstm", "3. What comes back: `return_sequences` and `return_state`"),),
     "one h_t per time step: (batch, steps, units).",
     traps=lambda: {(32, 10): "that is return_sequences=False (the last step only)."})
_add(*_g, "easy", 3, "gates-pytorch-order", "PyTorch's gate order", """
In which order does PyTorch stack the four gate blocks inside `weight_ih_l0`? Give the four gates
as a list, from the first rows to the last (names or symbols).
""", "gates", lambda: [g.role for g in gate_order("pytorch")],
     (("07_pytorch_lstm", "2. Parameter names and shapes"), ("09_side_by_side", "1 · The table"),),
     "PyTorch: i, f, g, o (input, forget, cell candidate g, output).")
_add(*_g, "medium", 4, "gates-onnx-order", "ONNX's gate order", """
ONNX's LSTM operator stores the gates in a different order from Keras, PyTorch and MATLAB. Give its
order (first block to last).
""", "gates", lambda: [g.role for g in gate_order("onnx")],
     (('09_side_by_side', "4 · The same weights in MATLAB's and ONNX's layouts"),),
     "ONNX: i, o, f, c. Weights moved to ONNX must be re-ordered block by block.",
     traps=lambda: {tuple(g.role for g in gate_order("pytorch")): "that is PyTorch's (and Keras') order."})
_add(*_g, "medium", 4, "gates-keras-gru-order", "Keras' GRU gate order", """
A Keras `GRU` stacks three blocks in its `kernel`. Give their order (update, reset, candidate, in
some order).
""", "gates", lambda: [g.role for g in gate_order("keras", cell="gru")],
     (('11_gru_and_simple_rnn', "4 · The GRU's gate order"),),
     "Keras: z, r, h (update, reset, candidate); PyTorch and MATLAB put reset first.", cell="gru",
     traps=lambda: {tuple(g.role for g in gate_order("pytorch", cell="gru")):
                    "that is PyTorch's GRU order (r, z, n); Keras starts with the update gate."})


def _forget_rows() -> tuple[int, int]:
    k = [g.role for g in gate_order("pytorch")].index("forget")
    return (k * _M, (k + 1) * _M)


_add(*_g, "medium", 5, "gates-forget-rows", "Where the forget gate lives", """
`nn.LSTM(100, 256)`: which rows of `weight_ih_l0` belong to the forget gate? Give the start and the
stop of the Python slice, e.g. `(0, 10)` for rows 0 to 9.
""", "shape", _forget_rows, (
         ("07_pytorch_lstm", "2. Parameter names and shapes"),
         ("05_common_mistakes", "7 · Gate names swapped"),
     ),
     "the second block of 256 rows: weight_ih_l0[256:512].",
     traps=lambda: {(0, _M): "rows 0:256 are the input gate; the forget gate is the second block."})

# --- 03_conversions_and_mistakes ----------------------------------------------------------------------
_v = ("03_conversions_and_mistakes", "framework conversions")
_x = ("03_conversions_and_mistakes", "misconceptions")


def _torch_partner_of_kernel() -> str:
    kernel = _shape_of("kernel", "keras")
    return next(r.name for r in param_table(_N, _M, framework="pytorch") if r.shape == kernel[::-1])


_add(*_v, "easy", 3, "convert-kernel-to-pytorch", "Where the Keras kernel goes", """
You copy the weights of a Keras `LSTM(256)` on 100 features into `nn.LSTM(100, 256)`. Which PyTorch
parameter receives the (transposed) Keras `kernel`? Give its name.
""", "word", _torch_partner_of_kernel, (
         ("09_side_by_side", "3 · The proof: one weight set, three implementations"),
     ),
     "kernel (n, 4m) transposed is weight_ih_l0 (4m, n); recurrent_kernel goes to weight_hh_l0.",
     words={"weight ih l0": "weight_ih_l0", "weight ih": "weight_ih_l0", "lstm.weight ih l0": "weight_ih_l0"},
     traps=lambda: {"weight_hh_l0": "weight_hh_l0 takes recurrent_kernel (the weights on h_{t-1})."})
_add(*_v, "medium", 5, "convert-biases-to-keras", "Two biases into one", """
Going the other way, PyTorch to Keras: PyTorch has `bias_ih_l0` and `bias_hh_l0`, Keras has one
`bias`. What do you put in Keras' bias? Answer in one word: `"sum"`, `"bias_ih"`, `"bias_hh"` or
`"concatenate"`.
""", "word", lambda: "sum", (("07_pytorch_lstm", "5. Why two biases, and what they cost"),),
     "both vectors are added inside every gate, so only their sum matters: b = b_ih + b_hh "
     "(verified with PyTorch in tests/test_exercises.py).",
     words={"add": "sum", "add them": "sum", "the sum": "sum", "bias ih + bias hh": "sum",
            "b ih + b hh": "sum", "concat": "concatenate", "concatenation": "concatenate",
            "bias ih": "bias_ih", "bias hh": "bias_hh"},
     traps=lambda: {"concatenate": "Keras' bias has 4m numbers, not 8m: the two vectors must become one.",
                    "bias_ih": "that throws bias_hh away; the layer would compute different gates.",
                    "bias_hh": "that throws bias_ih away; the layer would compute different gates."})
_add(*_v, "easy", 3, "convert-pytorch-extra", "PyTorch's extra parameters", """
For x_t of size 100 and h_t of size 256, how many more parameters does PyTorch's `nn.LSTM` have than
Keras' `LSTM`?
""", "count", lambda: count_params(_N, _M, framework="pytorch") - count_params(_N, _M),
     (('05_common_mistakes', "5 · Forgetting PyTorch's second bias"),),
     "one extra bias vector of 4m.",
     traps=lambda: {_M: "that is one gate's share; the extra bias covers four."})
_add(*_v, "medium", 4, "convert-matlab-bilstm", "MATLAB's bilstmLayer", """
MATLAB `bilstmLayer(128)` on sequences with 40 features. What is the size of its `InputWeights`?
""", "shape", lambda: param_table(40, 128, framework="matlab", bidirectional=True)[0].shape,
     (("08_matlab_lstmlayer", "2 · `bilstmLayer`: both directions in one array"),),
     "both directions in one array: 8*NumHiddenUnits-by-InputSize.",
     traps=lambda: {(512, 40): "that is one direction; bilstmLayer stacks both in the same array."})
_add(*_x, "easy", 2, "mistake-time-steps", "Longer sequences, more parameters?", """
The Keras `LSTM(10)` on 5 features now reads sequences of 1,000 time steps instead of 13. How many
parameters does it have?
""", "count", lambda: count_params(5, 10),
     (("05_common_mistakes", "4 · Multiplying by the number of time steps"),),
     "the same weights are used at every step; the count does not depend on the length.",
     traps=_count_traps(5, 10, steps=1000))
_add(*_x, "easy", 2, "mistake-tensors-not-numbers", "Tensors are not parameters", """
One answer in the source material says an LSTM with x_t of size 100 and h_t of size 256 has "15
parameters". How many parameter **tensors** does a Keras `LSTM(256)` actually store? (`len(layer.weights)`)
""", "count", lambda: len(param_table(_N, _M)),
     (("05_common_mistakes", "1 · Counting tensors instead of numbers"),),
     "kernel, recurrent_kernel and bias: the four gates share each tensor.",
     traps=lambda: {12: "Keras does not keep one matrix per gate: the four gates share each tensor.",
                    15: "that is the wrong answer from the source material.",
                    len(param_table(_N, _M, framework="pytorch")): "that is PyTorch's number (two biases)."})
_add(*_x, "easy", 3, "mistake-forgot-bias", "Forgetting the biases", """
A learner counts 4·(m·n + m·m) for n = 100, m = 256. How many parameters of the Keras layer are
missing from that count?
""", "count", lambda: count_params(_N, _M) - count_params(_N, _M, bias=False),
     (("05_common_mistakes", "3 · Forgetting the biases"),), "one bias of m per gate: 4m.")
_add(*_x, "easy", 2, "mistake-batch-first-hn", "Does batch_first change h_n?", """
In PyTorch, does `batch_first=True` change the shape of `h_n`? Answer True or False.
""", "bool", lambda: output_shapes("pytorch", batch_first=True, **_SEED)["h_n"]
     != output_shapes("pytorch", batch_first=False, **_SEED)["h_n"],
     (("05_common_mistakes", "9 · `batch_first` thought to change `h_n`"),),
     "batch_first applies to input and output only; h_n and c_n stay (layers*directions, batch, m).")
_add(*_x, "easy", 2, "mistake-units", "What does 10 count?", """
In `LSTM(10)` on inputs of shape (13, 5), what does 10 count? Answer `"time steps"`, `"features"` or
`"units"`.
""", "word", lambda: "units", (
         ("05_common_mistakes", "8 · `units` read as time steps or as features"),
         ("00_start_here", "Glossary (术语表)"),
     ),
     "10 is the size of h_t and c_t (hidden_size, NumHiddenUnits); 13 is the time steps, 5 the features.",
     words={"hidden units": "units", "hidden size": "units", "hidden_size": "units", "m": "units",
            "numhiddenunits": "units", "unit": "units", "timesteps": "time steps", "steps": "time steps",
            "time step": "time steps", "feature": "features"},
     traps=lambda: {"time steps": "13 is the number of time steps; the layer does not know it in advance.",
                    "features": "5 is the number of features per step."})
_add(*_x, "medium", 3, "mistake-dropout-one-layer", "dropout with one layer", """
`nn.LSTM(10, 20, num_layers=1, dropout=0.5)`, in training mode: does the `dropout` argument change
the outputs? Answer True or False.
""", "bool", lambda: False, (("05_common_mistakes", "11 · `dropout` with a single PyTorch layer"),),
     "PyTorch applies it between stacked layers only (not after the last), and warns when num_layers "
     "is 1 (verified in tests/test_exercises.py).")
_add(*_x, "hard", 6, "mistake-bidirectional-last-step", "output[:, -1] in a bidirectional layer", """
`nn.LSTM(4, 3, bidirectional=True, batch_first=True)`. Is `output[:, -1]` equal to
`torch.cat([h_n[0], h_n[1]], dim=1)` (the final states of both directions)? Answer True or False.
""", "bool", lambda: False, (
         ("05_common_mistakes", "10 · `output[:, -1]` taken for the final state of a bidirectional layer"),
     ),
     "the backward direction ends at t = 0, so its final state is output[:, 0, 3:], not output[:, -1, 3:] "
     "(verified in tests/test_exercises.py).")
_add(*_x, "easy", 3, "mistake-forget-bias-init", "The forget bias at the start", """
A fresh Keras `LSTM(10)` (default `unit_forget_bias=True`): what value does every entry of the
forget gate's slice of `bias` start at?
""", "count", lambda: 1, (
         ("06_keras_lstm", "`unit_forget_bias`: the forget slice starts at 1"),
         ("05_common_mistakes", "12 · Assuming both frameworks start the forget-gate bias alike"),
     ),
     "1, so that the cell starts by keeping its memory (verified in tests/test_exercises.py).",
     traps=lambda: {0: "0 is where the other gates' biases start; the forget slice is set to 1."})


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
        "100x1024"; gates by name or symbol in any case; yes/no as True/False.

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
    except _Unreadable as exc:
        return Feedback(exercise.id, False, f"{exc}. Hint: {exercise.hint}.")
    if given == exercise.expected:
        return Feedback(exercise.id, True, f"{_show(given)} is right: {exercise.explanation}".strip())
    traps = {exercise.normalise(k): v for k, v in exercise.traps().items()} if exercise.traps else {}
    why = traps.get(given, "that is not it yet.")
    shown = repr(answer.strip()) if exercise.kind == "word" else _show(given)
    return Feedback(exercise.id, False, f"you answered {shown}: {why} Hint: {exercise.hint}.")


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
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
