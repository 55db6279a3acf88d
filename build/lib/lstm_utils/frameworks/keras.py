"""Keras (TensorFlow's ``tf.keras``, Keras 3): the record of its LSTM, GRU and SimpleRNN layers.

Every fact here is checked against the installed Keras by the tests named in ``RECORD.sources``
(signatures, built layers' weights, a step computed by hand).
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


def _rows(s: LayerSpec) -> list[TensorRow]:
    """Keras stores kernel (n, G*m), recurrent_kernel (m, G*m), bias (G*m,) per layer and direction.

    A GRU with reset_after=True keeps separate input and recurrent biases, stored as bias (2, 3*m).
    Bidirectional wraps a forward and a backward copy; with the default concat merge the next
    layer sees 2*m features.
    """
    g = s.gate_blocks
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


def _output_shapes(*, batch: int, seq_len: int, hidden_size: int, num_layers: int, directions: int,
                   batch_first: bool, proj_size: int, return_sequences: bool,
                   return_state: bool) -> dict[str, tuple[int, ...]]:
    """Always batch first; return_sequences and return_state are the last layer's arguments."""
    m, d = hidden_size, directions
    shapes = {"output": (batch, seq_len, d * m) if return_sequences else (batch, d * m)}
    if return_state:
        shapes.update(final_states(batch, m, d, ("state_h", "state_c"), ("h", "c")))
    return shapes


RECORD = Framework(
    name="keras",
    title="Keras",
    aliases=("tensorflow", "tf", "tf.keras"),
    lstm_gates=(Gate("i", "input gate", "input"), Gate("f", "forget gate", "forget"),
                Gate("c", "cell candidate", "candidate"), Gate("o", "output gate", "output")),
    gru_gates=(Gate("z", "update gate", "update"), Gate("r", "reset gate", "reset"),
               Gate("h", "candidate", "candidate")),
    side=SideFacts(
        formula="x_t @ kernel + h_{t-1} @ recurrent_kernel + bias",
        gate_activation="sigmoid",
        state_activation="tanh",
        activations="activation='tanh', recurrent_activation='sigmoid'",
        initialisation="glorot_uniform / orthogonal / zeros + unit_forget_bias=True",
        input_init="glorot_uniform",
        recurrent_init="orthogonal",
        bias_init="zeros",
        forget_bias_one=True,
        input_layout=("batch", "time", "features"),
        layout_note="(batch, time, features); always batch first",
    ),
    lstm_tensors=lambda n, m: tensors_of(_rows(lstm_layer(n, m, "keras"))),
    param_rows=_rows,
    output_shapes=_output_shapes,
    shapes_note="Keras, with return_sequences=True and return_state=True (always batch first).",
    converters={"from": "lstm_utils.convert:from_keras", "into": "lstm_utils.convert:load_into_keras"},
    explain="lstm_utils.explaining:_explain_keras",
    model_package="keras",
    model_base="layers.Layer",
    model_words="a built keras.Model or Keras layer",
    total_source="model.count_params()",
    options=("reset_after",),
    sources=("https://keras.io/api/layers/recurrent_layers/lstm/", "tests/test_frameworks.py",
             "tests/test_counting_frameworks.py", "tests/test_convert.py", "tests/test_explain.py"),
)
