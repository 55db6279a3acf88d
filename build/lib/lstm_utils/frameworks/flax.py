"""Flax NNX (JAX): the record of ``nnx.LSTMCell``, ``nnx.GRUCell`` and ``nnx.SimpleCell`` run by ``nnx.RNN``.

Every fact here was read from the installed flax 0.12.8, ``flax/nnx/nn/recurrent.py`` (the cells'
``__init__`` and ``__call__``, ``nnx.RNN``, ``nnx.Bidirectional``), and is checked against it by
``tests/test_flax.py``: parameters by ``nnx.state(module, nnx.Param)`` of built modules, gate orders by
running the cells, defaults by ``inspect.signature`` and by running the default initialisers.

A Flax LSTM layer is ``nnx.RNN(nnx.LSTMCell(n, m, rngs=nnx.Rngs(0)))``: the cell holds one
``nnx.Linear`` per gate and side, so it stores 12 tensors; ``nnx.RNN`` adds none. The same layer with
``nnx.OptimizedLSTMCell`` stores the four gates fused in three tensors (``RECORD.other_lstm_cells``);
both cells compute the same function and :mod:`lstm_utils.convert_flax` converts either. Flax has no
``num_layers`` or ``bidirectional`` argument: a stack is a list of ``nnx.RNN`` layers, each feeding the
next, and ``nnx.Bidirectional(forward_rnn, backward_rnn)`` runs two of them and concatenates their
outputs (``merge_fn`` default). Tensor names here are relative to the cell (``ii.kernel``); in a
module they sit under the path of the cell (``cell.ii.kernel``, ``forward_rnn.cell.ii.kernel``).
"""

from __future__ import annotations

from lstm_utils.frameworks.base import (
    Framework,
    Gate,
    LayerSpec,
    SideFacts,
    TensorRow,
    final_states,
    lstm_layer,
    tensors_of,
)

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

#: ``LSTMCell``'s Linear layers, gate order i, f, g, o: the input side (no bias), the recurrent side.
_LSTM_INPUT = ("ii", "if_", "ig", "io")
_LSTM_RECURRENT = ("hi", "hf", "hg", "ho")


def _cell_rows(s: LayerSpec, n: int, layer: int, direction: str) -> list[TensorRow]:
    """One cell's tensors by kind (input kernels, recurrent kernels, biases), each kind in gate order.

    LSTMCell: ``ii, if_, ig, io`` kernel (n, m); ``hi, hf, hg, ho`` kernel (m, m) and bias (m,).
    GRUCell: ``dense_i`` kernel (n, 3m) and bias (3m,), ``dense_h`` kernel (m, 3m) without bias.
    SimpleCell: ``dense_i`` kernel (n, m) and bias (m,), ``dense_h`` kernel (m, m) without bias.
    """
    m = s.hidden_size

    def row(name: str, shape: tuple[int, ...], kind: str) -> TensorRow:
        return TensorRow("flax", layer, direction, name, shape, kind)

    if s.cell == "lstm":
        return ([row(f"{lin}.kernel", (n, m), "input weights") for lin in _LSTM_INPUT]
                + [row(f"{lin}.kernel", (m, m), "recurrent weights") for lin in _LSTM_RECURRENT]
                + [row(f"{lin}.bias", (m,), "bias") for lin in _LSTM_RECURRENT])
    g = s.gate_blocks
    return [row("dense_i.kernel", (n, g * m), "input weights"),
            row("dense_h.kernel", (m, g * m), "recurrent weights"),
            row("dense_i.bias", (g * m,), "bias")]


def _rows(s: LayerSpec) -> list[TensorRow]:
    """A stack of ``nnx.RNN`` layers; a bidirectional layer is ``nnx.Bidirectional`` (2m features out)."""
    rows = []
    n = s.input_size
    for layer in range(s.num_layers):
        for direction in ("forward", "backward")[: s.directions]:
            rows += _cell_rows(s, n, layer, direction)
        n = s.hidden_size * s.directions
    return rows


def _optimized_lstm_tensors(n: int, m: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The tensors of ``nnx.OptimizedLSTMCell(n, m)``: the four gates fused, column blocks i, f, g, o.

    Examples
    --------
    >>> _optimized_lstm_tensors(5, 10)
    (('dense_i.kernel', (5, 40)), ('dense_h.kernel', (10, 40)), ('dense_h.bias', (40,)))
    """
    return (("dense_i.kernel", (n, 4 * m)), ("dense_h.kernel", (m, 4 * m)), ("dense_h.bias", (4 * m,)))


def _check_layer(s: LayerSpec) -> None:
    """Flax's cells have no ``use_bias``: every cell always owns its bias."""
    if not s.bias:
        raise ValueError(
            "bias=False has no Flax equivalent: nnx.LSTMCell, nnx.OptimizedLSTMCell, nnx.GRUCell and "
            "nnx.SimpleCell take no "
            "use_bias argument and always own a bias (bias_init only sets its starting values). "
            "Use bias=True."
        )


def _output_shapes(*, batch: int, seq_len: int, hidden_size: int, num_layers: int, directions: int,
                   batch_first: bool, proj_size: int, return_sequences: bool,
                   return_state: bool) -> dict[str, tuple[int, ...]]:
    """``nnx.RNN`` with its defaults: every step, batch first; return_state: ``return_carry=True``.

    The carry of an LSTM cell is ``(c, h)``, c first; ``nnx.Bidirectional`` returns the forward
    carry, then the backward one. ``nnx.RNN`` has no option to return the last step only, and
    ``time_major=True`` puts time first: ``output_shapes`` models neither.
    """
    m, d = hidden_size, directions
    shapes = {"output": (batch, seq_len, d * m)}
    if return_state:
        shapes.update(final_states(batch, m, d, ("carry_c", "carry_h"), ("c", "h")))
    return shapes


RECORD = Framework(
    name="flax",
    title="Flax",
    aliases=("jax", "flax.nnx", "nnx"),
    lstm_gates=(Gate("i", "input gate", "input"), Gate("f", "forget gate", "forget"),
                Gate("g", "candidate, unnamed in Flax", "candidate"), Gate("o", "output gate", "output")),
    gru_gates=(Gate("r", "reset gate", "reset"), Gate("z", "update gate", "update"),
               Gate("n", "candidate", "candidate")),
    side=SideFacts(
        formula="x_t @ i?.kernel + h_{t-1} @ h?.kernel + h?.bias, ? = i, f, g, o (if_ for f)",
        gate_activation="sigmoid",
        state_activation="tanh",
        activations="gate_fn=nnx.sigmoid, activation_fn=nnx.tanh",
        initialisation="lecun_normal / orthogonal / zeros",
        input_init="lecun_normal",
        recurrent_init="orthogonal",
        bias_init="zeros",
        forget_bias_one=False,
        input_layout=("batch", "time", "features"),
        layout_note="(batch, time, features); nnx.RNN(time_major=True): (time, batch, features)",
    ),
    lstm_tensors=lambda n, m: tensors_of(_rows(lstm_layer(n, m, "flax"))),
    param_rows=_rows,
    check_layer=_check_layer,
    output_shapes=_output_shapes,
    shapes_note="Flax's nnx.RNN returns every step, batch first; return_carry=True adds the carry (c, h).",
    other_lstm_cells={"nnx.OptimizedLSTMCell": _optimized_lstm_tensors},
    converters={"from": "lstm_utils.convert_flax:from_flax",
                "into": "lstm_utils.convert_flax:load_into_flax"},
    sources=("https://flax.readthedocs.io/en/latest/api_reference/flax.nnx/nn/recurrent.html",
             "flax/nnx/nn/recurrent.py (flax 0.12.8)", "tests/test_flax.py"),
)
