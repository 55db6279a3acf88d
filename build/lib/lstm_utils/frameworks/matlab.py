"""MATLAB (Deep Learning Toolbox): the record of ``lstmLayer``, ``bilstmLayer`` and ``gruLayer``.

MATLAB cannot run here: the facts are checked against MathWorks' documentation and the help text of
the same functions: `lstmLayer <https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.lstmlayer.html>`_
(InputWeights 4*NumHiddenUnits-by-InputSize, gates "input gate, forget gate, layer input [cell
candidate], output gate"; StateActivationFunction "tanh", GateActivationFunction "sigmoid";
InputWeightsInitializer "glorot", RecurrentWeightsInitializer "orthogonal", BiasInitializer
"unit-forget-gate"), `bilstmLayer
<https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.bilstmlayer.html>`_ (8*NumHiddenUnits
rows, the forward gates on top of the backward ones), `gruLayer
<https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.grulayer.html>`_ and `trainingOptions
<https://www.mathworks.com/help/deeplearning/ref/trainingoptions.html>`_.
"""

from __future__ import annotations

from lstm_utils.frameworks.base import (
    Framework,
    Gate,
    LayerSpec,
    SideFacts,
    TensorRow,
    lstm_layer,
    tensors_of,
)

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)


def _check_layer(s: LayerSpec) -> None:
    """The layers MATLAB's toolbox does not have: a simple RNN, a bidirectional GRU, a layer without bias."""
    if s.cell == "rnn":
        raise ValueError(
            "cell='rnn' has no MATLAB layer: MATLAB's Deep Learning Toolbox offers lstmLayer, "
            "bilstmLayer and gruLayer. Use cell='lstm' or cell='gru'."
        )
    if s.cell == "gru" and s.bidirectional:
        raise ValueError(
            "bidirectional=True with cell='gru' has no MATLAB layer (bilstmLayer exists, "
            "a bidirectional GRU layer does not). Use cell='lstm' or bidirectional=False."
        )
    if not s.bias:
        raise ValueError(
            "bias=False has no MATLAB equivalent: lstmLayer and gruLayer always own a Bias "
            "(it can be frozen with BiasLearnRateFactor=0, but it is still there). Use bias=True."
        )


def _rows(s: LayerSpec) -> list[TensorRow]:
    """MATLAB's lstmLayer: InputWeights 4m-by-n, RecurrentWeights 4m-by-m, Bias 4m-by-1.

    bilstmLayer stacks the forward and backward blocks in one array: 8m-by-n, 8m-by-m, 8m-by-1.
    gruLayer (default ResetGateMode "after-multiplication"): 3m-by-n, 3m-by-m, 3m-by-1.
    A stack of k layers is k layers in the Layer array, each feeding the next.
    """
    g = s.gate_blocks * s.directions
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


def _output_shapes(*, batch: int, seq_len: int, hidden_size: int, num_layers: int, directions: int,
                   batch_first: bool, proj_size: int, return_sequences: bool,
                   return_state: bool) -> dict[str, tuple[int, ...]]:
    """Formatted dlarray "CBT" (channels, batch, time); OutputMode "last" drops T."""
    dm = directions * hidden_size
    shapes = {"output": (dm, batch, seq_len) if return_sequences else (dm, batch)}
    if return_state:
        shapes.update(hidden_state=(dm, batch), cell_state=(dm, batch))
    return shapes


RECORD = Framework(
    name="matlab",
    title="MATLAB",
    aliases=(),
    lstm_gates=(Gate("i", "input gate", "input"), Gate("f", "forget gate", "forget"),
                Gate("g", "cell candidate", "candidate"), Gate("o", "output gate", "output")),
    gru_gates=(Gate("r", "reset gate", "reset"), Gate("z", "update gate", "update"),
               Gate("h~", "candidate state", "candidate")),
    side=SideFacts(
        formula="W x_t + R h_{t-1} + b",
        gate_activation="sigmoid",
        state_activation="tanh",
        activations='StateActivationFunction "tanh", GateActivationFunction "sigmoid"',
        initialisation='"glorot" / "orthogonal" / "unit-forget-gate"',
        input_init="glorot",
        recurrent_init="orthogonal",
        bias_init="unit-forget-gate",
        forget_bias_one=True,
        input_layout=("features", "batch", "time"),
        layout_note='dlarray "CBT" (features, batch, time); a sequence is a features-by-time matrix',
    ),
    lstm_tensors=lambda n, m: tensors_of(_rows(lstm_layer(n, m, "matlab"))),
    param_rows=_rows,
    check_layer=_check_layer,
    output_shapes=_output_shapes,
    shapes_note="MATLAB dlarray format CBT (channels, batch, time), OutputMode 'sequence', "
                "HasStateOutputs true.",
    shape_style="matlab",
    converters={"from": "lstm_utils.convert:from_matlab", "to": "lstm_utils.convert:to_matlab"},
    sources=("https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.lstmlayer.html",
             "https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.bilstmlayer.html",
             "https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.grulayer.html",
             "https://www.mathworks.com/help/deeplearning/ref/trainingoptions.html",
             "tests/test_frameworks.py", "tests/test_convert.py"),
)
