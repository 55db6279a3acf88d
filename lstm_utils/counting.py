"""Parameter counts and per-tensor tables for LSTM, GRU and simple RNN layers in Keras, PyTorch and MATLAB.

Every count here is derived from the layer's definition, never read back from a framework; the tests
build the real layers and check that the two agree.

Vocabulary (the same in the whole package): ``input_size`` is n (features per time step, Keras'
last input dimension, MATLAB's InputSize), ``hidden_size`` is m (Keras ``units``, PyTorch
``hidden_size``, MATLAB ``NumHiddenUnits``). One gate of an LSTM has m*(n+m) weights and m biases;
the LSTM has four gates, so ``4 * (m * (n + m) + m)`` parameters (Keras, MATLAB). PyTorch keeps two
bias vectors per gate (``bias_ih`` and ``bias_hh``) and so has ``4 * m`` more.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import prod

from lstm_utils._table import Column, html_table, text_table
from lstm_utils._validate import (
    check_bool,
    check_cell,
    check_framework,
    check_int,
    check_proj_size,
    format_shape,
)
from lstm_utils.gates import GATE_BLOCKS

#: The kinds of tensor a recurrent layer owns (used for grouping in tables and charts).
KINDS = ("input weights", "recurrent weights", "bias", "projection")


@dataclass(frozen=True)
class LayerSpec:
    """Validated arguments of :func:`count_params` / :func:`param_table`, with canonical names."""

    input_size: int
    hidden_size: int
    cell: str
    framework: str
    num_layers: int
    bidirectional: bool
    bias: bool
    proj_size: int
    reset_after: bool

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1


def check_layer_args(
    input_size: object,
    hidden_size: object,
    *,
    cell: object = "lstm",
    framework: object = "keras",
    num_layers: object = 1,
    bidirectional: object = False,
    bias: object = True,
    proj_size: object = 0,
    reset_after: object = True,
) -> LayerSpec:
    """Validate every argument of the counting functions up front and return a :class:`LayerSpec`.

    Raises
    ------
    TypeError
        A size that is not an int (``2.5``, ``"5"``, ``True``), a flag that is not a bool.
    ValueError
        A size below 1, ``num_layers < 1``, an unknown ``cell`` or ``framework``, a ``proj_size``
        outside ``0 <= proj_size < hidden_size`` or given for anything but a PyTorch LSTM,
        ``reset_after=False`` for anything but a Keras GRU, or a layer the framework does not have.
    """
    input_size = check_int("input_size", input_size)
    hidden_size = check_int("hidden_size", hidden_size)
    cell = check_cell(cell)
    framework = check_framework(framework)
    num_layers = check_int("num_layers", num_layers)
    bidirectional = check_bool("bidirectional", bidirectional)
    bias = check_bool("bias", bias)
    proj_size = check_proj_size(proj_size, hidden_size, cell=cell, framework=framework)
    reset_after = check_bool("reset_after", reset_after)

    if not reset_after and (cell, framework) != ("gru", "keras"):
        raise ValueError(
            f"reset_after=False applies only to a Keras GRU (got cell={cell!r}, "
            f"framework={framework!r}); PyTorch's GRU always keeps both biases."
        )
    if framework == "matlab":
        if cell == "rnn":
            raise ValueError(
                "cell='rnn' has no MATLAB layer: MATLAB's Deep Learning Toolbox offers lstmLayer, "
                "bilstmLayer and gruLayer. Use cell='lstm' or cell='gru'."
            )
        if cell == "gru" and bidirectional:
            raise ValueError(
                "bidirectional=True with cell='gru' has no MATLAB layer (bilstmLayer exists, "
                "a bidirectional GRU layer does not). Use cell='lstm' or bidirectional=False."
            )
        if not bias:
            raise ValueError(
                "bias=False has no MATLAB equivalent: lstmLayer and gruLayer always own a Bias "
                "(it can be frozen with BiasLearnRateFactor=0, but it is still there). Use bias=True."
            )
    return LayerSpec(input_size, hidden_size, cell, framework, num_layers, bidirectional, bias,
                     proj_size, reset_after)


@dataclass(frozen=True)
class TensorRow:
    """One parameter tensor, named and shaped as its framework names and stores it."""

    framework: str
    layer: int
    direction: str  # "forward", "backward", or "both" (MATLAB's bilstmLayer stacks the two)
    name: str
    shape: tuple[int, ...]
    kind: str  # one of KINDS

    @property
    def count(self) -> int:
        return prod(self.shape)

    def as_dict(self) -> dict:
        return {"framework": self.framework, "layer": self.layer, "direction": self.direction,
                "name": self.name, "shape": list(self.shape), "kind": self.kind, "count": self.count}


class ParamTable(Sequence):
    """The tensors of one layer stack, in the framework's own order, with their total.

    Prints as aligned text (``print(table)``) and renders as an HTML table in a notebook.
    """

    columns = ("layer", "direction", "name", "shape", "kind", "count")

    def __init__(self, spec: LayerSpec, rows: Sequence[TensorRow]):
        self.spec = spec
        self.rows = tuple(rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[TensorRow]:
        return iter(self.rows)

    @property
    def framework(self) -> str:
        return self.spec.framework

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    def by_kind(self) -> dict[str, int]:
        """Totals per tensor kind (input weights, recurrent weights, bias, projection)."""
        return {kind: sum(r.count for r in self.rows if r.kind == kind) for kind in KINDS}

    def to_dicts(self) -> list[dict]:
        return [row.as_dict() for row in self.rows]

    def _cells(self) -> list[tuple[str, ...]]:
        return [
            (str(r.layer), r.direction, r.name, format_shape(r.shape, self.framework), r.kind,
             f"{r.count:,}")
            for r in self.rows
        ]

    def __str__(self) -> str:
        return text_table(self._columns(), self._cells(),
                          footer=[f"total: {self.total:,} parameters ({_describe(self.spec)})"])

    def __repr__(self) -> str:
        return f"<ParamTable {_describe(self.spec)}: {len(self)} tensors, {self.total:,} parameters>"

    def _repr_html_(self) -> str:
        foot = f"<tr><td colspan='5'>total</td><td>{self.total:,}</td></tr>"
        return html_table(self._columns(), self._cells(), caption=_describe(self.spec), foot=foot)

    def _columns(self) -> list[Column]:
        return [Column(name, right=name in ("layer", "count")) for name in self.columns]


def _describe(spec: LayerSpec) -> str:
    words = [f"{spec.framework} {spec.cell.upper()} {spec.input_size} -> {spec.hidden_size}"]
    if spec.num_layers > 1:
        words.append(f"{spec.num_layers} layers")
    if spec.bidirectional:
        words.append("bidirectional")
    if not spec.bias:
        words.append("no bias")
    if spec.proj_size:
        words.append(f"proj_size {spec.proj_size}")
    if spec.cell == "gru" and spec.framework == "keras":
        words.append(f"reset_after={spec.reset_after}")
    return ", ".join(words)


# --- one small function per framework ------------------------------------------------------------

def _keras_rows(s: LayerSpec) -> list[TensorRow]:
    """Keras stores kernel (n, G*m), recurrent_kernel (m, G*m), bias (G*m,) per layer and direction.

    A GRU with reset_after=True keeps separate input and recurrent biases, stored as bias (2, 3*m).
    Bidirectional wraps a forward and a backward copy; with the default concat merge the next
    layer sees 2*m features.
    """
    g = GATE_BLOCKS[s.cell]
    m = s.hidden_size
    rows = []
    n = s.input_size
    for layer in range(s.num_layers):
        for direction in ("forward", "backward")[: s.directions]:
            rows.append(TensorRow("keras", layer, direction, "kernel", (n, g * m), "input weights"))
            rows.append(TensorRow("keras", layer, direction, "recurrent_kernel", (m, g * m),
                                  "recurrent weights"))
            if s.bias:
                shape = (2, g * m) if (s.cell == "gru" and s.reset_after) else (g * m,)
                rows.append(TensorRow("keras", layer, direction, "bias", shape, "bias"))
        n = m * s.directions
    return rows


def _torch_rows(s: LayerSpec) -> list[TensorRow]:
    """PyTorch stores weight_ih_l{k} (G*m, n), weight_hh_l{k} (G*m, r), bias_ih_l{k}, bias_hh_l{k}.

    r is proj_size when a projection is used (then weight_hr_l{k} (proj_size, m) shrinks h),
    otherwise m. The backward direction's tensors carry the suffix ``_reverse``.
    """
    g = GATE_BLOCKS[s.cell]
    m = s.hidden_size
    r = s.proj_size or m
    rows = []
    n = s.input_size
    for k in range(s.num_layers):
        for direction, suffix in (("forward", ""), ("backward", "_reverse"))[: s.directions]:
            rows.append(TensorRow("pytorch", k, direction, f"weight_ih_l{k}{suffix}", (g * m, n),
                                  "input weights"))
            rows.append(TensorRow("pytorch", k, direction, f"weight_hh_l{k}{suffix}", (g * m, r),
                                  "recurrent weights"))
            if s.bias:
                rows.append(TensorRow("pytorch", k, direction, f"bias_ih_l{k}{suffix}", (g * m,),
                                      "bias"))
                rows.append(TensorRow("pytorch", k, direction, f"bias_hh_l{k}{suffix}", (g * m,),
                                      "bias"))
            if s.proj_size:
                rows.append(TensorRow("pytorch", k, direction, f"weight_hr_l{k}{suffix}", (r, m),
                                      "projection"))
        n = r * s.directions
    return rows


def _matlab_rows(s: LayerSpec) -> list[TensorRow]:
    """MATLAB's lstmLayer: InputWeights 4m-by-n, RecurrentWeights 4m-by-m, Bias 4m-by-1.

    bilstmLayer stacks the forward and backward blocks in one array: 8m-by-n, 8m-by-m, 8m-by-1.
    gruLayer (default ResetGateMode "after-multiplication"): 3m-by-n, 3m-by-m, 3m-by-1.
    A stack of k layers is k layers in the Layer array, each feeding the next.
    """
    g = GATE_BLOCKS[s.cell] * s.directions
    m = s.hidden_size
    direction = "both" if s.bidirectional else "forward"
    rows = []
    n = s.input_size
    for layer in range(s.num_layers):
        rows.append(TensorRow("matlab", layer, direction, "InputWeights", (g * m, n),
                              "input weights"))
        rows.append(TensorRow("matlab", layer, direction, "RecurrentWeights", (g * m, m),
                              "recurrent weights"))
        rows.append(TensorRow("matlab", layer, direction, "Bias", (g * m, 1), "bias"))
        n = m * s.directions
    return rows


_ROWS = {"keras": _keras_rows, "pytorch": _torch_rows, "matlab": _matlab_rows}


def param_table(
    input_size: int,
    hidden_size: int,
    *,
    cell: str = "lstm",
    framework: str = "keras",
    num_layers: int = 1,
    bidirectional: bool = False,
    bias: bool = True,
    proj_size: int = 0,
    reset_after: bool = True,
) -> ParamTable:
    """Every parameter tensor of a recurrent layer stack, as the framework names and shapes it.

    Parameters are those of :func:`count_params`.

    Returns
    -------
    ParamTable
        One :class:`TensorRow` per tensor (layer, direction, name, shape, kind, count), in the
        order the framework creates them; ``.total`` equals :func:`count_params`.

    Examples
    --------
    >>> for row in param_table(5, 10):
    ...     print(row.name, row.shape, row.count)
    kernel (5, 40) 200
    recurrent_kernel (10, 40) 400
    bias (40,) 40
    """
    spec = check_layer_args(input_size, hidden_size, cell=cell, framework=framework,
                            num_layers=num_layers, bidirectional=bidirectional, bias=bias,
                            proj_size=proj_size, reset_after=reset_after)
    return ParamTable(spec, _ROWS[spec.framework](spec))


def count_params(
    input_size: int,
    hidden_size: int,
    *,
    cell: str = "lstm",
    framework: str = "keras",
    num_layers: int = 1,
    bidirectional: bool = False,
    bias: bool = True,
    proj_size: int = 0,
    reset_after: bool = True,
) -> int:
    """Number of trainable parameters of an LSTM, GRU or simple RNN layer stack.

    Parameters
    ----------
    input_size : int
        n, the features per time step (>= 1).
    hidden_size : int
        m, the units of the layer (Keras ``units``, MATLAB ``NumHiddenUnits``; >= 1).
    cell : {"lstm", "gru", "rnn"}
    framework : {"keras", "pytorch", "matlab"}
        Aliases: "tensorflow", "tf", "tf.keras" for Keras, "torch" for PyTorch.
    num_layers : int
        Layers stacked, each feeding the next (Keras: ``return_sequences=True`` between them;
        PyTorch: ``num_layers``; MATLAB: layers in the Layer array).
    bidirectional : bool
        Keras ``Bidirectional`` (concat merge) around each layer, PyTorch ``bidirectional=True``,
        MATLAB ``bilstmLayer``. The next layer then sees 2*m features.
    bias : bool
        Keras ``use_bias``, PyTorch ``bias``. MATLAB layers always have a bias.
    proj_size : int
        PyTorch LSTM only: size of the projected hidden state (0 = none, else < hidden_size).
    reset_after : bool
        Keras GRU only: ``reset_after=True`` (the default) keeps a second, recurrent bias.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        See :func:`check_layer_args`; every message names the argument, the value and what is
        accepted.

    Examples
    --------
    >>> count_params(5, 10)                         # Keras LSTM(10) on 5 features
    640
    >>> count_params(2, 3)
    72
    >>> count_params(100, 256, framework="pytorch")  # two bias vectors: 4*256 more
    366592
    """
    return param_table(input_size, hidden_size, cell=cell, framework=framework,
                       num_layers=num_layers, bidirectional=bidirectional, bias=bias,
                       proj_size=proj_size, reset_after=reset_after).total
