"""Gate order: how each framework stacks the gate blocks inside its weight matrices.

The package's neutral form (see :class:`lstm_utils.LSTMWeights`) uses :data:`GATE_ORDER`; every
docstring that depends on an order cites this constant. Each framework's own order is a fact of its
record (``lstm_gates``, ``gru_gates`` in :mod:`lstm_utils.frameworks`); the constants and
:class:`Gate` are defined in :mod:`lstm_utils.frameworks.base`, beside the records that use them.
"""

from __future__ import annotations

from lstm_utils._validate import check_cell, check_layout
from lstm_utils.frameworks.base import GATE_BLOCKS, GATE_ORDER, GRU_GATE_ORDER, Gate
from lstm_utils.frameworks.registry import REGISTRY

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["GATE_BLOCKS", "GATE_ORDER", "GRU_GATE_ORDER", "Gate", "gate_order"]


def gate_order(framework: str, *, cell: str = "lstm") -> tuple[Gate, ...]:
    """The gates in the order ``framework`` stacks them along its 4*m (GRU: 3*m) axis.

    Parameters
    ----------
    framework : str
        A registered framework ("keras", "pytorch", "matlab", "onnx"); aliases such as "tensorflow",
        "tf", "tf.keras" and "torch" are accepted.
    cell : {"lstm", "gru"}

    Returns
    -------
    tuple of Gate
        Each with the framework's ``symbol``, its ``name`` and the neutral ``role``
        (one of :data:`GATE_ORDER` or :data:`GRU_GATE_ORDER`).

    Raises
    ------
    ValueError
        An unknown framework or cell, ``cell="rnn"`` (no gates), or a cell the framework lacks.

    Examples
    --------
    >>> [g.symbol for g in gate_order("pytorch")]
    ['i', 'f', 'g', 'o']
    >>> [g.role for g in gate_order("onnx")]
    ['input', 'output', 'forget', 'candidate']
    """
    record = REGISTRY[check_layout(framework)]
    cell = check_cell(cell)
    if cell == "rnn":
        raise ValueError("cell='rnn' has no gates: a simple RNN is one tanh(W x + U h + b). "
                         "Possible values are: ('lstm', 'gru').")
    gates = record.lstm_gates if cell == "lstm" else record.gru_gates
    if not gates:
        raise ValueError(f"cell={cell!r} has no {record.title} layer: its record lists no "
                         f"{cell.upper()} gates.")
    return gates
