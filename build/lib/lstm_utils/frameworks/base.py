"""The record of one framework: every fact the package knows about its LSTM layer, in frozen dataclasses.

A framework is one module of :mod:`lstm_utils.frameworks` that exports one :class:`Framework` named
``RECORD``; the registry (:data:`lstm_utils.frameworks.REGISTRY`) lists them, and counting, shapes, gate
order, the side-by-side table, the explorer, the CLI and ``explain`` loop over it. This module is plain
Python (no NumPy, no framework, no other ``lstm_utils`` module), so the records load with the package's
first layer; converters and ``explain`` walkers are named by ``"module:function"`` strings and resolved
only when used (:func:`lstm_utils.frameworks.resolve`).

The neutral gate orders (:data:`GATE_ORDER`, :data:`GRU_GATE_ORDER`) live here beside :class:`Gate`
so that a record can use them; :mod:`lstm_utils.gates` re-exports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from math import prod

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

#: The neutral LSTM gate order used throughout lstm_utils: input, forget, candidate, output.
GATE_ORDER = ("input", "forget", "candidate", "output")

#: The neutral GRU gate order (Keras' order): update, reset, candidate.
GRU_GATE_ORDER = ("update", "reset", "candidate")

#: Number of gate blocks stacked in each cell's weight matrices (a simple RNN has one block).
GATE_BLOCKS = {"lstm": len(GATE_ORDER), "gru": len(GRU_GATE_ORDER), "rnn": 1}

#: The arguments of ``count_params`` only some frameworks take, and the value that means "not used".
#: A record lists those it takes in :attr:`Framework.options`; every other record rejects them.
OPTIONS = {"proj_size": 0, "reset_after": True}


@dataclass(frozen=True)
class Gate:
    """One gate block: the framework's symbol, its own name for it, and the neutral role."""

    symbol: str
    name: str
    role: str

    def __str__(self) -> str:
        return f"{self.symbol} ({self.name})"


@dataclass(frozen=True)
class LayerSpec:
    """Validated arguments of :func:`lstm_utils.count_params` / :func:`lstm_utils.param_table`."""

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

    @property
    def gate_blocks(self) -> int:
        """G, the gate blocks stacked along the gate axis: 4 (LSTM), 3 (GRU), 1 (simple RNN)."""
        return GATE_BLOCKS[self.cell]


def lstm_layer(input_size: int, hidden_size: int, framework: str) -> LayerSpec:
    """One LSTM layer n -> m, one direction, with bias: the layer of the side-by-side table.

    Examples
    --------
    >>> lstm_layer(5, 10, "keras").gate_blocks
    4
    """
    return LayerSpec(input_size, hidden_size, "lstm", framework, 1, False, True, 0, True)


@dataclass(frozen=True)
class TensorRow:
    """One parameter tensor, named and shaped as its framework names and stores it."""

    framework: str
    layer: int
    direction: str  # "forward", "backward", or "both" (MATLAB's bilstmLayer stacks the two)
    name: str
    shape: tuple[int, ...]
    kind: str  # one of lstm_utils.counting.KINDS

    @property
    def count(self) -> int:
        return prod(self.shape)

    def as_dict(self) -> dict:
        return {"framework": self.framework, "layer": self.layer, "direction": self.direction,
                "name": self.name, "shape": list(self.shape), "kind": self.kind, "count": self.count}


def tensors_of(rows: list[TensorRow]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(name, shape) of each row: a counted framework's ``lstm_tensors`` from its ``param_rows``."""
    return tuple((row.name, row.shape) for row in rows)


def final_states(batch: int, hidden_size: int, directions: int, one: tuple[str, str],
                 each: tuple[str, str]) -> dict[str, tuple[int, int]]:
    """The final states of a batch-first layer, (batch, m) each: named ``one`` for one direction, else
    ``forward_<each>`` then ``backward_<each>``.

    Examples
    --------
    >>> final_states(2, 3, 2, ("state_h", "state_c"), ("h", "c"))
    {'forward_h': (2, 3), 'forward_c': (2, 3), 'backward_h': (2, 3), 'backward_c': (2, 3)}
    """
    names = one if directions == 1 else tuple(f"{side}_{name}" for side in ("forward", "backward")
                                               for name in each)
    return {name: (batch, hidden_size) for name in names}


@dataclass(frozen=True)
class SideFacts:
    """What the side-by-side table shows beyond names, shapes and gate order."""

    formula: str            # pre-activation of all gates, in the framework's symbols
    gate_activation: str
    state_activation: str
    activations: str        # the "default activations" cell, in the framework's own words
    initialisation: str     # the "default initialisation" cell
    input_init: str
    recurrent_init: str
    bias_init: str
    forget_bias_one: bool | None
    input_layout: tuple[str, ...]
    layout_note: str


@dataclass(frozen=True)
class Framework:
    """Everything lstm_utils knows about one framework's recurrent layers.

    Attributes
    ----------
    name : str
        Canonical, lower case ("keras"); the value of every ``framework=`` argument.
    title : str
        As prose writes it ("Keras", "PyTorch", "MATLAB", "ONNX").
    aliases : tuple of str
        Other accepted spellings, lower case ("tensorflow", "tf", "tf.keras").
    lstm_gates, gru_gates : tuple of Gate
        The gate blocks in the order stacked along the 4m (GRU: 3m) axis; ``gru_gates`` empty when
        the framework has no GRU.
    side : SideFacts
        The conventions the side-by-side table shows.
    lstm_tensors : callable (n, m) -> tuple of (name, shape)
        The tensors one LSTM layer n -> m stores, one direction, as the framework shapes them.
    param_rows : callable (LayerSpec) -> list of TensorRow, or None
        Every tensor of a validated layer stack; None: the package does not count this framework.
    check_layer : callable (LayerSpec) -> None, or None
        Raises a ValueError naming the argument for a layer the framework does not have.
    output_shapes : callable, or None
        Keyword arguments batch, seq_len, hidden_size, num_layers, directions, batch_first, proj_size,
        return_sequences, return_state (all validated before the call) -> dict of name -> shape.
    shapes_note : str
        The sentence the explorer shows under the shapes.
    shape_style : {"python", "matlab", "onnx"}
        How a shape is written: ``(40,)``, ``40-by-1``, ``[1, 80]``.
    converters : mapping of role -> "module:function"
        "from" (framework object or arrays -> LSTMWeights), "into" (LSTMWeights loaded into a framework
        object), "to" (LSTMWeights -> the framework's arrays).
    explain : str or None
        "module:function" of the :func:`lstm_utils.explain` walker for this framework's models.
    model_package : str or None
        Top-level package of its model objects ("keras", "torch"); looked up in ``sys.modules`` only.
    model_base : str
        The class every model derives from, as an attribute path inside ``model_package``.
    model_words : str
        How ``explain``'s TypeError names an accepted model ("a torch.nn.Module").
    total_source : str
        The framework's own expression for a model's parameter count (``explain``'s footer).
    options : tuple of str
        The keys of :data:`OPTIONS` this framework's layers take ("proj_size", "reset_after").
    other_lstm_cells : mapping of class name -> callable (n, m) -> tuple of (name, shape)
        Other classes of the same LSTM layer that store its tensors differently (Flax's fused
        ``nnx.OptimizedLSTMCell``), each with the tensors one layer n -> m stores.
    sources : tuple of str
        Where the facts come from: documentation URLs and the tests that check them.
    """

    name: str
    title: str
    aliases: tuple[str, ...]
    lstm_gates: tuple[Gate, ...]
    gru_gates: tuple[Gate, ...]
    side: SideFacts
    lstm_tensors: Callable[[int, int], tuple[tuple[str, tuple[int, ...]], ...]]
    param_rows: Callable[[LayerSpec], list[TensorRow]] | None = None
    check_layer: Callable[[LayerSpec], None] | None = None
    output_shapes: Callable[..., dict[str, tuple[int, ...]]] | None = None
    shapes_note: str = ""
    shape_style: str = "python"
    converters: Mapping[str, str] = field(default_factory=dict)
    explain: str | None = None
    model_package: str | None = None
    model_base: str = ""
    model_words: str = ""
    total_source: str = ""
    options: tuple[str, ...] = ()
    other_lstm_cells: Mapping[str, Callable[[int, int], tuple[tuple[str, tuple[int, ...]], ...]]] = field(
        default_factory=dict)
    sources: tuple[str, ...] = ()

    @property
    def counted(self) -> bool:
        """True when :func:`lstm_utils.count_params` covers this framework (it has ``param_rows``)."""
        return self.param_rows is not None
