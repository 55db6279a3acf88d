"""Gate order: how each framework stacks the gate blocks inside its weight matrices.

The package's neutral form (see :class:`lstm_utils.LSTMWeights`) uses :data:`GATE_ORDER`; every
docstring that depends on an order cites this constant.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_utils._validate import check_cell, check_layout

#: The neutral LSTM gate order used throughout lstm_utils: input, forget, candidate, output.
GATE_ORDER = ("input", "forget", "candidate", "output")

#: The neutral GRU gate order (Keras' order): update, reset, candidate.
GRU_GATE_ORDER = ("update", "reset", "candidate")

#: Number of gate blocks stacked in each cell's weight matrices (a simple RNN has one block).
GATE_BLOCKS = {"lstm": len(GATE_ORDER), "gru": len(GRU_GATE_ORDER), "rnn": 1}


@dataclass(frozen=True)
class Gate:
    """One gate block: the framework's symbol, its own name for it, and the neutral role."""

    symbol: str
    name: str
    role: str

    def __str__(self) -> str:
        return f"{self.symbol} ({self.name})"


_LSTM = {
    "keras": (Gate("i", "input gate", "input"), Gate("f", "forget gate", "forget"),
              Gate("c", "cell candidate", "candidate"), Gate("o", "output gate", "output")),
    "pytorch": (Gate("i", "input gate", "input"), Gate("f", "forget gate", "forget"),
                Gate("g", "cell gate", "candidate"), Gate("o", "output gate", "output")),
    "matlab": (Gate("i", "input gate", "input"), Gate("f", "forget gate", "forget"),
               Gate("g", "cell candidate", "candidate"), Gate("o", "output gate", "output")),
    "onnx": (Gate("i", "input gate", "input"), Gate("o", "output gate", "output"),
             Gate("f", "forget gate", "forget"), Gate("c", "cell gate", "candidate")),
}

_GRU = {
    "keras": (Gate("z", "update gate", "update"), Gate("r", "reset gate", "reset"),
              Gate("h", "candidate", "candidate")),
    "pytorch": (Gate("r", "reset gate", "reset"), Gate("z", "update gate", "update"),
                Gate("n", "new gate", "candidate")),
    "matlab": (Gate("r", "reset gate", "reset"), Gate("z", "update gate", "update"),
               Gate("h~", "candidate state", "candidate")),
    "onnx": (Gate("z", "update gate", "update"), Gate("r", "reset gate", "reset"),
             Gate("h", "hidden gate", "candidate")),
}

def gate_order(framework: str, *, cell: str = "lstm") -> tuple[Gate, ...]:
    """The gates in the order ``framework`` stacks them along its 4*m (GRU: 3*m) axis.

    Parameters
    ----------
    framework : {"keras", "pytorch", "matlab", "onnx"}
        Aliases "tensorflow", "tf", "tf.keras" and "torch" are accepted.
    cell : {"lstm", "gru"}

    Returns
    -------
    tuple of Gate
        Each with the framework's ``symbol``, its ``name`` and the neutral ``role``
        (one of :data:`GATE_ORDER` or :data:`GRU_GATE_ORDER`).

    Examples
    --------
    >>> [g.symbol for g in gate_order("pytorch")]
    ['i', 'f', 'g', 'o']
    >>> [g.role for g in gate_order("onnx")]
    ['input', 'output', 'forget', 'candidate']
    """
    fw = check_layout(framework)
    cell = check_cell(cell)
    if cell == "rnn":
        raise ValueError("cell='rnn' has no gates: a simple RNN is one tanh(W x + U h + b). "
                         "Possible values are: ('lstm', 'gru').")
    return (_LSTM if cell == "lstm" else _GRU)[fw]
