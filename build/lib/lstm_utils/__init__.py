"""lstm_utils: the helper package of the LSTM course.

Each module declares its layer in ``LAYER``, one of :data:`LAYERS` (plain-Python facts; NumPy and
framework computation; presentation), and imports only from its own layer or a lower one:
``tests/test_architecture.py`` derives the layers from those declarations and checks it.

``import lstm_utils`` loads ``counting``, ``gates`` and ``shapes`` at once; every other module is
imported on first use (``_LAZY``, ``_SUBMODULES`` below), so the import stays fast and loads no
framework. Keras, PyTorch and JAX/Flax are imported inside the functions that need them. A framework
is one module of ``lstm_utils.frameworks`` (see its docstring).
"""

from __future__ import annotations

import importlib

from lstm_utils.counting import (
    ParamTable,
    TensorRow,
    count_params,
    param_table,
)
from lstm_utils.gates import GATE_ORDER, GRU_GATE_ORDER, Gate, gate_order
from lstm_utils.shapes import output_shapes

__version__ = "0.1.0"

#: The package's layers, lowest first: what a module of each may hold (each module names its own in LAYER).
LAYERS = ("facts", "computation", "presentation")

# Public names that live in modules with heavier imports: name -> module (loaded on first access).
_LAZY = {
    "LSTMWeights": "reference",
    "lstm_forward": "reference",
    "lstm_forward_per_gate": "reference",
    "lstm_step": "reference",
    "lstm_backward": "backward",
    "LSTMCache": "reference",
    "reverse_padded": "reference",
    "pad_right": "reference",
    "gru_step": "reference",
    "rnn_step": "reference",
    "from_keras": "convert",
    "load_into_keras": "convert",
    "from_torch": "convert",
    "load_into_torch": "convert",
    "from_matlab": "convert",
    "from_onnx": "convert",
    "to_matlab": "convert",
    "to_onnx": "convert",
    "from_flax": "convert_flax",
    "load_into_flax": "convert_flax",
    "torch_init": "seeding",
    "explain": "explaining",
    "Explanation": "explaining",
}
_SUBMODULES = (
    "reference", "convert", "explaining", "plots", "widgets", "exercises", "cli", "frameworks", "cost",
    "layer_docs", "timeseries", "tasks", "gradients", "backward", "cell_svg", "variants", "published",
    "seeding", "convert_flax", "cell_geometry", "charlm", "charlm_train",
)

__all__ = [
    "GATE_ORDER", "GRU_GATE_ORDER", "Gate", "LAYERS", "ParamTable", "TensorRow",
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
