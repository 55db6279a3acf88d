"""One LSTM layer as Keras, PyTorch, MATLAB and ONNX describe it: the side-by-side table of notebook 09.

Each column of the table is a :class:`Convention`, the facts one framework fixes about an LSTM layer
of ``input_size`` n and ``hidden_size`` m: its tensor names and storage shapes, the order of the gate
blocks inside them, its name for the candidate (the textbook C~_t), how many bias vectors it keeps, the
pre-activation formula, the default activations, the default initialisation and the input layout.

Where the facts come from:

* tensor names and shapes: :func:`lstm_utils.param_table` (Keras, PyTorch, MATLAB) and
  :func:`onnx_tensors` (ONNX); gate order and names: :func:`lstm_utils.gate_order`.
* Keras and PyTorch defaults: written here, and checked by ``tests/test_frameworks.py`` against the
  installed frameworks (``inspect.signature(keras.layers.LSTM)``, ``torch.nn.RNNBase``), so the table
  cannot silently go stale when a framework changes a default.
* MATLAB (cannot run here): checked against MathWorks' documentation and the help text of the same
  functions: `lstmLayer <https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.lstmlayer.html>`_
  (InputWeights 4*NumHiddenUnits-by-InputSize, gates "input gate, forget gate, layer input [cell
  candidate], output gate"; StateActivationFunction "tanh", GateActivationFunction "sigmoid";
  InputWeightsInitializer "glorot", RecurrentWeightsInitializer "orthogonal", BiasInitializer
  "unit-forget-gate"), `bilstmLayer
  <https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.bilstmlayer.html>`_ (8*NumHiddenUnits
  rows, the forward gates on top of the backward ones), `gruLayer
  <https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.grulayer.html>`_ and `trainingOptions
  <https://www.mathworks.com/help/deeplearning/ref/trainingoptions.html>`_.
* ONNX: the LSTM layout is run in ONNX Runtime by ``tests/test_onnx_runtime.py``; the rest is checked
  against the operator pages `LSTM
  <https://onnx.ai/onnx/operators/onnx__LSTM.html>`_ and `GRU
  <https://onnx.ai/onnx/operators/onnx__GRU.html>`_ (W ``[num_directions, 4*hidden_size,
  input_size]``, R ``[num_directions, 4*hidden_size, hidden_size]``, B ``[num_directions,
  8*hidden_size]`` holding Wb and Rb, gates ``iofc``; "Default: f=Sigmoid, g=Tanh, h=Tanh"; X
  ``[seq_length, batch_size, input_size]`` with the default ``layout=0``). ONNX stores weights that an
  exporter wrote; the operator defines no initialisation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lstm_utils._table import Column, html_table, text_table
from lstm_utils._validate import LAYOUTS, check_choice, check_int, check_layout, format_shape
from lstm_utils.counting import param_table
from lstm_utils.gates import Gate, gate_order

#: The columns of the side-by-side table, in order.
FRAMEWORKS = LAYOUTS


@dataclass(frozen=True)
class Convention:
    """What one framework fixes about an LSTM layer of ``input_size`` n and ``hidden_size`` m.

    Attributes
    ----------
    framework : {"keras", "pytorch", "matlab", "onnx"}
    tensors : tuple of (name, shape)
        Every parameter tensor, named and shaped as the framework stores it.
    gates : tuple of Gate
        The gate blocks in the order they are stacked along the 4*m axis.
    bias_vectors : int
        Bias vectors per gate: 1 (Keras, MATLAB) or 2 (PyTorch ``bias_ih`` + ``bias_hh``, ONNX Wb + Rb).
    formula : str
        The pre-activation of all four gates, in the framework's own symbols.
    gate_activation, state_activation : str
        Default activations of the three gates and of the candidate / cell output.
    input_init, recurrent_init, bias_init : str
        Default initialisers of the input weights, the recurrent weights and the bias.
    forget_bias_one : bool or None
        Whether the default initialisation sets the forget-gate bias to 1 (None: ONNX has no
        initialisation).
    input_layout : tuple of str
        Axis names of the input tensor in the default layout.
    layout_note : str
        The framework's own words for the layout, and how to change it.
    """

    framework: str
    tensors: tuple[tuple[str, tuple[int, ...]], ...]
    gates: tuple[Gate, ...]
    bias_vectors: int
    formula: str
    gate_activation: str
    state_activation: str
    input_init: str
    recurrent_init: str
    bias_init: str
    forget_bias_one: bool | None
    input_layout: tuple[str, ...]
    layout_note: str

    @property
    def total(self) -> int:
        """Number of parameters: the sum over :attr:`tensors`."""
        total = 0
        for _, shape in self.tensors:
            size = 1
            for s in shape:
                size *= s
            total += size
        return total

    @property
    def candidate(self) -> Gate:
        """The gate whose role is the candidate C~_t (Keras c, PyTorch g, MATLAB g, ONNX c)."""
        return next(g for g in self.gates if g.role == "candidate")


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side table: an aspect and its text in each framework's column."""

    aspect: str
    cells: tuple[str, ...]  # in the order of FRAMEWORKS

    def __getitem__(self, framework: str) -> str:
        fw = check_layout(framework)
        return self.cells[FRAMEWORKS.index(fw)]


def onnx_tensors(input_size: int, hidden_size: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Names and shapes of the ONNX LSTM operator's weight inputs W, R and B (one direction).

    Parameters
    ----------
    input_size, hidden_size : int
        n and m, both >= 1.

    Returns
    -------
    tuple of (name, shape)
        W ``(1, 4m, n)``, R ``(1, 4m, m)``, B ``(1, 8m)``: the leading 1 is num_directions, B holds the
        input bias Wb and the recurrent bias Rb one after the other.

    Examples
    --------
    >>> onnx_tensors(5, 10)
    (('W', (1, 40, 5)), ('R', (1, 40, 10)), ('B', (1, 80)))
    """
    n = check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    return (("W", (1, 4 * m, n)), ("R", (1, 4 * m, m)), ("B", (1, 8 * m)))


def _tensors(framework: str, n: int, m: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    if framework == "onnx":
        return onnx_tensors(n, m)
    return tuple((row.name, row.shape) for row in param_table(n, m, framework=framework))


def _bias_vectors(framework: str, n: int, m: int) -> int:
    """Bias vectors per gate, read off the storage: total bias numbers divided by 4*m."""
    if framework == "onnx":
        return onnx_tensors(n, m)[2][1][1] // (4 * m)
    biases = [row for row in param_table(n, m, framework=framework) if row.kind == "bias"]
    return sum(row.count for row in biases) // (4 * m)


# The facts that are not shapes: one small function per framework.

def _keras(n: int, m: int) -> Convention:
    return Convention(
        "keras", _tensors("keras", n, m), gate_order("keras"), _bias_vectors("keras", n, m),
        formula="x_t @ kernel + h_{t-1} @ recurrent_kernel + bias",
        gate_activation="sigmoid", state_activation="tanh",
        input_init="glorot_uniform", recurrent_init="orthogonal", bias_init="zeros",
        forget_bias_one=True,
        input_layout=("batch", "time", "features"),
        layout_note="(batch, time, features); always batch first",
    )


def _pytorch(n: int, m: int) -> Convention:
    bound = "U(-1/sqrt(m), 1/sqrt(m))"
    return Convention(
        "pytorch", _tensors("pytorch", n, m), gate_order("pytorch"), _bias_vectors("pytorch", n, m),
        formula="W_ih x_t + b_ih + W_hh h_{t-1} + b_hh",
        gate_activation="sigmoid", state_activation="tanh",
        input_init=bound, recurrent_init=bound, bias_init=bound,
        forget_bias_one=False,
        input_layout=("time", "batch", "features"),
        layout_note="(time, batch, features); batch_first=True: (batch, time, features)",
    )


def _matlab(n: int, m: int) -> Convention:
    return Convention(
        "matlab", _tensors("matlab", n, m), gate_order("matlab"), _bias_vectors("matlab", n, m),
        formula="W x_t + R h_{t-1} + b",
        gate_activation="sigmoid", state_activation="tanh",
        input_init="glorot", recurrent_init="orthogonal", bias_init="unit-forget-gate",
        forget_bias_one=True,
        input_layout=("features", "batch", "time"),
        layout_note='dlarray "CBT" (features, batch, time); a sequence is a features-by-time matrix',
    )


def _onnx(n: int, m: int) -> Convention:
    return Convention(
        "onnx", _tensors("onnx", n, m), gate_order("onnx"), _bias_vectors("onnx", n, m),
        formula="X_t W^T + H_{t-1} R^T + Wb + Rb",
        gate_activation="Sigmoid", state_activation="Tanh",
        input_init="none (weights are inputs)", recurrent_init="none (weights are inputs)",
        bias_init="none (B optional, else 0)",
        forget_bias_one=None,
        input_layout=("time", "batch", "features"),
        layout_note="X [seq_length, batch_size, input_size]; layout=1: batch first",
    )


_BUILDERS = {"keras": _keras, "pytorch": _pytorch, "matlab": _matlab, "onnx": _onnx}


def _activation_text(c: Convention) -> str:
    if c.framework == "keras":
        return f"activation={c.state_activation!r}, recurrent_activation={c.gate_activation!r}"
    if c.framework == "matlab":
        return (f'StateActivationFunction "{c.state_activation}", '
                f'GateActivationFunction "{c.gate_activation}"')
    if c.framework == "onnx":
        return f"f={c.gate_activation}, g={c.state_activation}, h={c.state_activation}"
    return f"{c.gate_activation} gates, {c.state_activation} candidate and cell (fixed)"


def _init_text(c: Convention) -> str:
    if c.framework == "keras":
        return (f"{c.input_init} / {c.recurrent_init} / {c.bias_init}"
                " + unit_forget_bias=True")
    if c.framework == "pytorch":
        return f"{c.input_init} for every tensor"
    if c.framework == "matlab":
        return f'"{c.input_init}" / "{c.recurrent_init}" / "{c.bias_init}"'
    return "none: the operator takes W, R, B as inputs"


_ASPECTS = (
    ("tensor names", lambda c: ", ".join(name for name, _ in c.tensors)),
    ("storage shapes", lambda c: ", ".join(format_shape(s, c.framework) for _, s in c.tensors)),
    ("gate order", lambda c: ", ".join(g.symbol for g in c.gates)),
    ("candidate C~_t", lambda c: str(c.candidate)),
    ("bias vectors", lambda c: str(c.bias_vectors)),
    ("parameters", lambda c: f"{c.total:,}"),
    ("formula", lambda c: c.formula),
    ("default activations", _activation_text),
    ("default initialisation", _init_text),
    ("input layout", lambda c: c.layout_note),
)


class SideBySide:
    """The side-by-side table: one :class:`Convention` per framework and one :class:`Row` per aspect.

    ``table["pytorch"]`` is PyTorch's :class:`Convention`; ``table.rows`` the rows as data;
    ``print(table)`` aligned text; in a notebook the table renders as (deterministic) HTML.
    """

    def __init__(self, input_size: int, hidden_size: int):
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.conventions = {fw: _BUILDERS[fw](input_size, hidden_size) for fw in FRAMEWORKS}
        self.rows = tuple(
            Row(aspect, tuple(text(self.conventions[fw]) for fw in FRAMEWORKS))
            for aspect, text in _ASPECTS
        )

    def __getitem__(self, framework: str) -> Convention:
        return self.conventions[check_layout(framework)]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, aspect: str) -> Row:
        """The row named ``aspect`` (one of :attr:`aspects`)."""
        name = check_choice("aspect", aspect, self.aspects, {a.lower(): a for a in self.aspects})
        return next(r for r in self.rows if r.aspect == name)

    @property
    def aspects(self) -> tuple[str, ...]:
        return tuple(r.aspect for r in self.rows)

    @property
    def caption(self) -> str:
        return f"LSTM {self.input_size} -> {self.hidden_size} (n = {self.input_size}, m = {self.hidden_size})"

    def __repr__(self) -> str:
        return f"<SideBySide {self.caption}: {len(self.rows)} aspects x {len(FRAMEWORKS)} frameworks>"

    def _table(self) -> tuple[list[Column], list[tuple[str, ...]]]:
        columns = [Column("aspect", header=True), *(Column(fw) for fw in FRAMEWORKS)]
        return columns, [(r.aspect, *r.cells) for r in self.rows]

    def __str__(self) -> str:
        return text_table(*self._table(), title=self.caption)

    def _repr_html_(self) -> str:
        return html_table(*self._table(), caption=self.caption)


def side_by_side(input_size: int, hidden_size: int) -> SideBySide:
    """Keras vs PyTorch vs MATLAB vs ONNX for one LSTM layer of n inputs and m units.

    Parameters
    ----------
    input_size : int
        n, features per time step (>= 1).
    hidden_size : int
        m, the units (Keras ``units``, MATLAB ``NumHiddenUnits``; >= 1).

    Returns
    -------
    SideBySide
        Indexed by framework (a :class:`Convention`), iterable over its :class:`Row` objects.

    Raises
    ------
    TypeError
        A size that is not an int.
    ValueError
        A size below 1.

    Examples
    --------
    >>> table = side_by_side(5, 10)
    >>> table.row("parameters")["pytorch"], table.row("parameters")["keras"]
    ('680', '640')
    >>> table["onnx"].tensors[2]
    ('B', (1, 80))
    """
    n = check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    return SideBySide(n, m)
