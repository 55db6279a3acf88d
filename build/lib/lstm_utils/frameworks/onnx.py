"""ONNX: the record of the ``LSTM`` and ``GRU`` operators (a weight layout, not a layer to count).

The LSTM layout is run in ONNX Runtime by ``tests/test_onnx_runtime.py``; the rest is checked against
the operator pages `LSTM <https://onnx.ai/onnx/operators/onnx__LSTM.html>`_ and `GRU
<https://onnx.ai/onnx/operators/onnx__GRU.html>`_ (W ``[num_directions, 4*hidden_size, input_size]``,
R ``[num_directions, 4*hidden_size, hidden_size]``, B ``[num_directions, 8*hidden_size]`` holding Wb
and Rb, gates ``iofc``; "Default: f=Sigmoid, g=Tanh, h=Tanh"; X ``[seq_length, batch_size,
input_size]`` with the default ``layout=0``). ONNX stores weights that an exporter wrote; the operator
defines no initialisation. The package neither counts nor shapes ONNX layers: ``param_rows`` is None.
"""

from __future__ import annotations

from lstm_utils.frameworks.base import Framework, Gate, SideFacts

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

_NONE = "none (weights are inputs)"


def _tensors(n: int, m: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """W (1, 4m, n), R (1, 4m, m), B (1, 8m): the leading 1 is num_directions, B holds Wb then Rb."""
    return (("W", (1, 4 * m, n)), ("R", (1, 4 * m, m)), ("B", (1, 8 * m)))


RECORD = Framework(
    name="onnx",
    title="ONNX",
    aliases=(),
    lstm_gates=(Gate("i", "input gate", "input"), Gate("o", "output gate", "output"),
                Gate("f", "forget gate", "forget"), Gate("c", "cell gate", "candidate")),
    gru_gates=(Gate("z", "update gate", "update"), Gate("r", "reset gate", "reset"),
               Gate("h", "hidden gate", "candidate")),
    side=SideFacts(
        formula="X_t W^T + H_{t-1} R^T + Wb + Rb",
        gate_activation="Sigmoid",
        state_activation="Tanh",
        activations="f=Sigmoid, g=Tanh, h=Tanh",
        initialisation="none: the operator takes W, R, B as inputs",
        input_init=_NONE,
        recurrent_init=_NONE,
        bias_init="none (B optional, else 0)",
        forget_bias_one=None,
        input_layout=("time", "batch", "features"),
        layout_note="X [seq_length, batch_size, input_size]; layout=1: batch first",
    ),
    lstm_tensors=_tensors,
    shape_style="onnx",
    converters={"from": "lstm_utils.convert:from_onnx", "to": "lstm_utils.convert:to_onnx"},
    sources=("https://onnx.ai/onnx/operators/onnx__LSTM.html", "https://onnx.ai/onnx/operators/onnx__GRU.html",
             "tests/test_onnx_runtime.py", "tests/test_frameworks.py", "tests/test_convert.py"),
)
