"""lstm_utils: the helper package of the LSTM course.

Counting (``count_params``, ``param_table``), gate order (``gate_order``) and shapes
(``output_shapes``) are plain Python and load at once. Everything that needs NumPy, Keras or
PyTorch is imported on first use, so ``import lstm_utils`` stays fast and loads no framework.
"""

from __future__ import annotations

import importlib

from lstm_utils.counting import (
    ParamTable,
    TensorRow,
    check_layer_args,
    count_params,
    param_table,
)
from lstm_utils.gates import GATE_ORDER, GRU_GATE_ORDER, Gate, gate_order
from lstm_utils.shapes import output_shapes

__version__ = "0.1.0"

# Public names that live in modules with heavier imports: name -> module (loaded on first access).
_LAZY = {
    "LSTMWeights": "reference",
    "lstm_forward": "reference",
    "lstm_forward_per_gate": "reference",
    "lstm_step": "reference",
    "gru_step": "reference",
    "rnn_step": "reference",
    "from_keras": "convert",
    "load_into_keras": "convert",
    "from_torch": "convert",
    "load_into_torch": "convert",
    "from_matlab": "convert",
    "to_matlab": "convert",
    "to_onnx": "convert",
    "explain": "explaining",
    "Explanation": "explaining",
}
_SUBMODULES = (
    "reference", "convert", "explaining", "plots", "widgets", "exercises", "cli", "frameworks", "cost",
    "layer_docs", "timeseries", "tasks", "variants",
)

__all__ = [
    "GATE_ORDER", "GRU_GATE_ORDER", "Gate", "ParamTable", "TensorRow", "check_layer_args",
    "count_params", "gate_order", "output_shapes", "param_table", *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f"lstm_utils.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"lstm_utils.{name}")
    raise AttributeError(f"module 'lstm_utils' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))
