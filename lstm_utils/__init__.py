"""lstm_utils: the helper package of the LSTM course.

The package is three layers; a module imports only from its own layer or a lower one (the tests check
this, and that no two modules import each other):

1. Plain-Python facts, no NumPy and no framework: ``_validate`` (every argument and array check,
   the closed sets of frameworks and cells and their aliases), ``_table`` (the one text/HTML table
   renderer), ``gates`` (gate order, gate-block counts), ``counting`` (``count_params``,
   ``param_table``), ``shapes`` (``output_shapes``), ``cost`` (multiply-adds and memory).
2. The NumPy reference and conversions: ``reference`` (``LSTMWeights``, ``lstm_forward``), ``convert``
   (Keras, PyTorch, MATLAB and ONNX weights), ``tasks`` (seeded data sets), ``timeseries``, and
   ``backward`` (gradients) when it lands; ``seeding`` (``torch_init``: seeded PyTorch weights that are
   the same on every CPU).
3. Presentation: ``explaining`` (``explain(model)``), ``frameworks`` (the side-by-side table),
   ``layer_docs``, ``cell_svg`` and ``plots`` (figures), ``widgets`` (the explorer), ``exercises``,
   ``cli``.

``import lstm_utils`` loads ``counting``, ``gates`` and ``shapes`` at once; every other module is
imported on first use (``_LAZY``, ``_SUBMODULES`` below), so the import stays fast and loads no
framework. Keras and PyTorch are imported inside the functions that need them.
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

# Public names that live in modules with heavier imports: name -> module (loaded on first access).
_LAZY = {
    "LSTMWeights": "reference",
    "lstm_forward": "reference",
    "lstm_forward_per_gate": "reference",
    "lstm_step": "reference",
    "lstm_backward": "backward",
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
    "torch_init": "seeding",
    "explain": "explaining",
    "Explanation": "explaining",
}
_SUBMODULES = (
    "reference", "convert", "explaining", "plots", "widgets", "exercises", "cli", "frameworks", "cost",
    "layer_docs", "timeseries", "tasks", "gradients", "backward", "cell_svg", "variants", "published",
    "seeding",
)

__all__ = [
    "GATE_ORDER", "GRU_GATE_ORDER", "Gate", "ParamTable", "TensorRow",
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
