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

from lstm_utils._table import Column, html_table, text_table
from lstm_utils._validate import (
    check_bool,
    check_cell,
    check_framework,
    check_int,
    check_proj_size,
    format_shape,
)
from lstm_utils.frameworks.base import OPTIONS, LayerSpec, TensorRow
from lstm_utils.frameworks.registry import REGISTRY, with_option

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["KINDS", "LayerSpec", "ParamTable", "TensorRow", "check_layer_args", "count_params", "param_table"]

#: The kinds of tensor a recurrent layer owns (used for grouping in tables and charts).
KINDS = ("input weights", "recurrent weights", "bias", "projection")


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

    if not reset_after and (cell != "gru" or "reset_after" not in REGISTRY[framework].options):
        titles = " or ".join(r.title for r in with_option("reset_after"))
        raise ValueError(
            f"reset_after=False applies only to a {titles} GRU (got cell={cell!r}, "
            f"framework={framework!r}); the other frameworks' GRUs have no such switch. "
            f"Use reset_after={OPTIONS['reset_after']}."
        )
    spec = LayerSpec(input_size, hidden_size, cell, framework, num_layers, bidirectional, bias,
                     proj_size, reset_after)
    check_layer = REGISTRY[framework].check_layer
    if check_layer is not None:
        check_layer(spec)  # a layer this framework does not have: its record's message
    return spec


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
    if spec.cell == "gru" and "reset_after" in REGISTRY[spec.framework].options:
        words.append(f"reset_after={spec.reset_after}")
    return ", ".join(words)


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
    return ParamTable(spec, REGISTRY[spec.framework].param_rows(spec))  # check_framework: it has rows


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
    framework : str
        A counted framework of the registry (:data:`lstm_utils._validate.FRAMEWORKS`: "keras",
        "pytorch", "matlab", ...); aliases such as "tensorflow", "tf", "tf.keras" and "torch" accepted.
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
