"""One LSTM layer as every registered framework describes it: the side-by-side table of notebook 09.

Each column of the table is a :class:`Convention`, the facts one framework fixes about an LSTM layer
of ``input_size`` n and ``hidden_size`` m: its tensor names and storage shapes, the order of the gate
blocks inside them, its name for the candidate (the textbook C~_t), how many bias vectors it keeps, the
pre-activation formula, the default activations, the default initialisation and the input layout.
Every fact comes from the framework's record (:mod:`lstm_utils.frameworks`; its ``sources`` say where
each is checked); the columns are the registry's frameworks, in its order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import prod

from lstm_utils._table import Column, html_table, text_table
from lstm_utils._validate import LAYOUTS, check_choice, check_int, check_layout, format_shape
from lstm_utils.frameworks.base import Gate
from lstm_utils.frameworks.registry import REGISTRY

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

#: The columns of the side-by-side table, in order.
FRAMEWORKS = LAYOUTS


@dataclass(frozen=True)
class Convention:
    """What one framework fixes about an LSTM layer of ``input_size`` n and ``hidden_size`` m.

    Attributes
    ----------
    framework : str
        A registry name ("keras", "pytorch", "matlab", "onnx", "flax").
    tensors : tuple of (name, shape)
        Every parameter tensor, named and shaped as the framework stores it.
    gates : tuple of Gate
        The gate blocks in the order they are stacked along the 4*m axis (Flax's ``LSTMCell``
        stacks nothing: its per-gate tensors are named, and this is the order of its fused cell).
    bias_vectors : int
        Bias vectors per gate: 1 (Keras, MATLAB, Flax) or 2 (PyTorch ``bias_ih`` + ``bias_hh``, ONNX Wb + Rb).
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
        return sum(prod(shape) for _, shape in self.tensors)

    @property
    def candidate(self) -> Gate:
        """The gate whose role is the candidate C~_t (Keras c, PyTorch g, MATLAB g, ONNX c, Flax g)."""
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
    return REGISTRY["onnx"].lstm_tensors(n, m)


def convention(framework: str, n: int, m: int) -> Convention:
    """The column of ``framework`` for an LSTM n -> m, read off its record.

    The bias vectors per gate are read off the storage: the numbers beyond the 4m(n + m) weights,
    divided by 4m.

    Examples
    --------
    >>> convention("pytorch", 5, 10).bias_vectors
    2
    """
    record = REGISTRY[check_layout(framework)]
    tensors = record.lstm_tensors(n, m)
    total = sum(prod(shape) for _, shape in tensors)
    side = record.side
    return Convention(record.name, tensors, record.lstm_gates, (total - 4 * m * (n + m)) // (4 * m),
                      side.formula, side.gate_activation, side.state_activation, side.input_init,
                      side.recurrent_init, side.bias_init, side.forget_bias_one, side.input_layout,
                      side.layout_note)


_ASPECTS = (
    ("tensor names", lambda c: ", ".join(name for name, _ in c.tensors)),
    ("storage shapes", lambda c: ", ".join(format_shape(s, c.framework) for _, s in c.tensors)),
    ("gate order", lambda c: ", ".join(g.symbol for g in c.gates)),
    ("candidate C~_t", lambda c: str(c.candidate)),
    ("bias vectors", lambda c: str(c.bias_vectors)),
    ("parameters", lambda c: f"{c.total:,}"),
    ("formula", lambda c: c.formula),
    ("default activations", lambda c: REGISTRY[c.framework].side.activations),
    ("default initialisation", lambda c: REGISTRY[c.framework].side.initialisation),
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
        self.conventions = {fw: convention(fw, input_size, hidden_size) for fw in FRAMEWORKS}
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
    """Every registered framework side by side (Keras, PyTorch, MATLAB, ONNX, Flax) for one LSTM layer n -> m.

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
