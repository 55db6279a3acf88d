"""Weight conversion between the neutral :class:`~lstm_utils.reference.LSTMWeights` and Flax NNX's LSTM cells.

Flax (``flax.nnx``, source ``flax/nnx/nn/recurrent.py``) has two LSTM cells with the same equations
and compatible parameters; an ``nnx.RNN`` runs either over a sequence.

- ``LSTMCell``: one ``nnx.Linear`` per gate and side. ``ii, if_, ig, io``: ``kernel`` (n, m), no
  bias; ``hi, hf, hg, ho``: ``kernel`` (m, m) and ``bias`` (m,). Gates i, f, g, o.
- ``OptimizedLSTMCell``: the same, fused. ``dense_i.kernel`` (n, 4m), no bias; ``dense_h.kernel``
  (m, 4m) and ``dense_h.bias`` (4m,), column blocks i, f, g, o.

Both compute ``x @ kernel``, so every block is the transpose of the neutral (m, n) or (m, m) matrix.

Each gate has one bias, on its recurrent ``Linear`` (the input ``Linear`` has ``use_bias=False``), so
the neutral ``b_k`` is that bias unchanged. The gate order is the neutral
:data:`~lstm_utils.gates.GATE_ORDER` (input, forget, candidate, output; flax's letters i, f, g, o):
``tests/test_flax.py`` finds it by running both cells, not from the names.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_utils.convert import _check_target
from lstm_utils.gates import GATE_ORDER
from lstm_utils.reference import LSTMWeights, check_weights

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["from_flax", "load_into_flax"]

#: The ``LSTMCell``'s Linear layers of each neutral gate, in GATE_ORDER: (input side, recurrent side).
_CELL_LINEARS = dict(zip(GATE_ORDER, (("ii", "hi"), ("if_", "hf"), ("ig", "hg"), ("io", "ho")), strict=True))

_ACCEPTED = "a flax.nnx.LSTMCell or flax.nnx.OptimizedLSTMCell (or an nnx.RNN wrapping one)"


def _check_flax_lstm(cell: object) -> Any:
    """Return the LSTM cell inside ``cell`` (itself, or an ``nnx.RNN``'s ``.cell``); raise if it is none."""
    import jax
    from flax import nnx

    inner = cell.cell if isinstance(cell, nnx.RNN) else cell
    if not isinstance(inner, (nnx.LSTMCell, nnx.OptimizedLSTMCell)):
        what = type(inner).__name__ + (" inside an nnx.RNN" if inner is not cell else "")
        raise TypeError(f"cell must be {_ACCEPTED}, got {what}.")
    accepted = {"gate_fn": ("sigmoid", {jax.nn.sigmoid, nnx.sigmoid}),
                "activation_fn": ("tanh", {jax.numpy.tanh, nnx.tanh})}
    for attr, (wanted, functions) in accepted.items():
        fn = getattr(inner, attr)
        if fn not in functions:
            raise ValueError(
                f"cell.{attr} is {getattr(fn, '__name__', fn)!r}, but the neutral form assumes "
                f"{wanted!r} (Flax's default)."
            )
    return inner


def _sizes(cell: Any) -> tuple[int, int]:
    """``(input_size, hidden_size)`` of a checked cell."""
    return cell.in_features, cell.hidden_features


def _read(variable: Any) -> np.ndarray:
    return np.array(variable[...], copy=True)


def from_flax(cell: Any) -> LSTMWeights:
    """The neutral weights of a Flax ``nnx.LSTMCell`` or ``nnx.OptimizedLSTMCell``.

    ``LSTMCell`` keeps one ``nnx.Linear`` per gate and side: ``ii, if_, ig, io`` with ``kernel``
    (input_size, hidden_size) and no bias, ``hi, hf, hg, ho`` with ``kernel`` (hidden_size,
    hidden_size) and ``bias`` (hidden_size,). ``OptimizedLSTMCell`` fuses them: ``dense_i.kernel``
    (input_size, 4*hidden_size), ``dense_h.kernel`` (hidden_size, 4*hidden_size), ``dense_h.bias``
    (4*hidden_size,), column blocks i, f, g, o (the neutral :data:`~lstm_utils.gates.GATE_ORDER`).
    Flax computes ``x @ kernel``, so each block is transposed to give the neutral (hidden_size,
    input_size) or (hidden_size, hidden_size).

    Parameters
    ----------
    cell : flax.nnx.LSTMCell, flax.nnx.OptimizedLSTMCell or flax.nnx.RNN
        An ``nnx.RNN`` gives the weights of its ``.cell``.

    Raises
    ------
    TypeError
        ``cell`` is none of the above (a GRUCell, a Keras layer, ...).
    ValueError
        The cell uses another ``gate_fn`` than sigmoid or another ``activation_fn`` than tanh.

    Examples
    --------
    >>> from flax import nnx
    >>> from_flax(nnx.RNN(nnx.LSTMCell(3, 2, rngs=nnx.Rngs(0))))
    LSTMWeights(input_size=3, hidden_size=2, dtype=float32, W: (4, 2, 3), U: (4, 2, 2), b: (4, 2))
    """
    from flax import nnx

    cell = _check_flax_lstm(cell)
    n, m = _sizes(cell)
    if isinstance(cell, nnx.OptimizedLSTMCell):
        kernel, recurrent = _read(cell.dense_i.kernel), _read(cell.dense_h.kernel)
        bias = _read(cell.dense_h.bias)
        W = kernel.reshape(n, 4, m).transpose(1, 2, 0)          # (n, 4, m) -> (4, m, n)
        U = recurrent.reshape(m, 4, m).transpose(1, 2, 0)       # (m, 4, m) -> (4, m, m)
        return LSTMWeights(W, U, bias.reshape(4, m))
    W = [_read(getattr(cell, i).kernel).T for i, _ in _CELL_LINEARS.values()]    # 4 x (m, n)
    U = [_read(getattr(cell, h).kernel).T for _, h in _CELL_LINEARS.values()]    # 4 x (m, m)
    b = [_read(getattr(cell, h).bias) for _, h in _CELL_LINEARS.values()]        # 4 x (m,)
    return LSTMWeights(np.stack(W), np.stack(U), np.stack(b))


def _targets(weights: LSTMWeights, cell: Any) -> dict[str, tuple[Any, np.ndarray]]:
    """``{flax tensor name: (its variable, the value from weights)}`` for a checked cell."""
    from flax import nnx

    n, m = weights.input_size, weights.hidden_size
    if isinstance(cell, nnx.OptimizedLSTMCell):
        kernel = weights.W.transpose(2, 0, 1).reshape(n, 4 * m)        # (4, m, n) -> (n, 4m)
        recurrent = weights.U.transpose(2, 0, 1).reshape(m, 4 * m)     # (4, m, m) -> (m, 4m)
        return {"dense_i.kernel": (cell.dense_i.kernel, kernel),
                "dense_h.kernel": (cell.dense_h.kernel, recurrent),
                "dense_h.bias": (cell.dense_h.bias, weights.b.reshape(4 * m))}  # (4m,)
    targets = {}
    for k, (i, h) in enumerate(_CELL_LINEARS.values()):
        targets[f"{i}.kernel"] = (getattr(cell, i).kernel, weights.W[k].T)   # (n, m)
        targets[f"{h}.kernel"] = (getattr(cell, h).kernel, weights.U[k].T)   # (m, m)
        targets[f"{h}.bias"] = (getattr(cell, h).bias, weights.b[k])         # (m,)
    return targets


def load_into_flax(weights: LSTMWeights, cell: Any) -> None:
    """Write neutral weights into a Flax ``nnx.LSTMCell`` or ``nnx.OptimizedLSTMCell``, in place.

    The inverse of :func:`from_flax`, gate by gate: ``W[k]`` (hidden_size, input_size), transposed,
    becomes the ``kernel`` of gate k's input ``Linear`` (``LSTMCell``) or columns ``k*m:(k+1)*m`` of
    ``dense_i.kernel`` (``OptimizedLSTMCell``); ``U[k]`` (hidden_size, hidden_size), transposed,
    becomes the ``kernel`` of its recurrent ``Linear`` or columns ``k*m:(k+1)*m`` of
    ``dense_h.kernel``; ``b[k]`` goes to the recurrent ``Linear``'s bias or ``dense_h.bias``. The cell's
    ``in_features`` and ``hidden_features`` must equal ``weights.input_size`` and
    ``weights.hidden_size``; values are cast to the cell's ``param_dtype``. Nothing is written unless
    every tensor fits.

    Raises
    ------
    TypeError
        ``weights`` is not an :class:`~lstm_utils.reference.LSTMWeights`; ``cell`` is not an LSTM cell
        (see :func:`from_flax`).
    ValueError
        A tensor of the cell has another shape than ``weights`` need (the message names the tensor
        and both shapes); the cell's activations are not sigmoid / tanh.

    Examples
    --------
    >>> from flax import nnx
    >>> cell = nnx.OptimizedLSTMCell(3, 2, rngs=nnx.Rngs(0))
    >>> w = LSTMWeights.random(3, 2)
    >>> load_into_flax(w, cell)
    >>> from_flax(cell) == w
    True
    """
    import jax.numpy as jnp

    weights = check_weights(weights)
    cell = _check_flax_lstm(cell)
    targets = _targets(weights, cell)
    for name, (variable, value) in targets.items():
        _check_target(name, tuple(variable.shape), value.shape, weights, f"the {type(cell).__name__}")
    for variable, value in targets.values():
        variable[...] = jnp.asarray(value, dtype=variable[...].dtype)
