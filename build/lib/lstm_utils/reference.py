"""A from-scratch NumPy LSTM (plus GRU and simple-RNN steps) that matches Keras and PyTorch.

The weights of one LSTM layer in one direction live in :class:`LSTMWeights`, the package's neutral
form: ``W`` of shape (4, hidden_size, input_size), ``U`` of shape (4, hidden_size, hidden_size) and
``b`` of shape (4, hidden_size), the leading axis stacking the gates in the order of
:data:`lstm_utils.gates.GATE_ORDER` (input, forget, candidate, output). The notation is the course's
(stated once, in notebook 01): vectors are columns; block k in {i, f, c, o} has W_k (m, n), U_k (m, m)
and b_k (m,), and its pre-activation is z_{k,t} = W_k x_t + U_k h_{t-1} + b_k; the candidate's block
is c (``W_c``, ``U_c``, ``b_c``) and its value g_t. One step computes::

    i_t = sigmoid(z_{i,t}) = sigmoid(W_i x_t + U_i h_{t-1} + b_i)     input gate
    f_t = sigmoid(z_{f,t}) = sigmoid(W_f x_t + U_f h_{t-1} + b_f)     forget gate
    g_t = tanh(z_{c,t})    = tanh(W_c x_t + U_c h_{t-1} + b_c)        candidate
    o_t = sigmoid(z_{o,t}) = sigmoid(W_o x_t + U_o h_{t-1} + b_o)     output gate
    c_t = f_t * c_{t-1} + i_t * g_t
    h_t = o_t * tanh(c_t)

The code works on a batch of row vectors, one row per sample: ``x_t @ W_k.T + h @ U_k.T + b_k`` is
the same equation transposed.

The six lines are written once, in ``_step`` (:func:`lstm_step` checks its arguments and calls it);
:func:`lstm_forward_per_gate` loops over it (the gate-equations notebook shows both sources).
:func:`lstm_forward`, the fast default, computes the same with the four gates fused into one product
per step; with ``return_cache=True`` it also keeps what :func:`lstm_utils.backward.lstm_backward` reads
(:class:`LSTMCache`), so the backward pass has no forward pass of its own.
:mod:`lstm_utils.convert` moves weights between this form and Keras, PyTorch, MATLAB and ONNX.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from lstm_utils._validate import (
    as_float_array,
    check_bool,
    check_choice,
    check_int,
    check_lengths,
    check_real,
    check_shape,
    format_shape,
)
from lstm_utils.gates import GATE_ORDER

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = [
    "LSTMCache",
    "LSTMWeights",
    "check_weights",
    "gru_step",
    "lstm_forward",
    "lstm_forward_per_gate",
    "lstm_step",
    "pad_right",
    "reverse_padded",
    "rnn_step",
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-z)), computed as 0.5 * (1 + tanh(z / 2)) (no overflow).

    Examples
    --------
    >>> float(sigmoid(np.array(0.0)))
    0.5
    """
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class LSTMWeights:
    """The neutral form of one LSTM layer in one direction: ``W``, ``U`` and ``b`` per gate.

    The gate axis (axis 0 of each array) follows :data:`lstm_utils.gates.GATE_ORDER`:
    input, forget, candidate, output.

    Parameters
    ----------
    W : array of shape (4, hidden_size, input_size)
        Input weights: ``W[k] @ x_t`` is gate k's input term.
    U : array of shape (4, hidden_size, hidden_size)
        Recurrent weights: ``U[k] @ h_{t-1}`` is gate k's recurrent term.
    b : array of shape (4, hidden_size)
        One bias vector per gate (PyTorch's two bias vectors, added).

    The three arrays are stored as read-only, C-contiguous copies of one floating dtype (NumPy's
    promotion of the three given dtypes; integers become float64): neither the arrays given nor the
    object can change afterwards (``w.W[0, 0, 0] = 1`` raises ValueError).

    Attributes
    ----------
    input_size, hidden_size : int
    dtype : numpy.dtype
    W_i, W_f, W_c, W_o, U_i, ..., b_o : ndarray
        Read-only views of one gate's slice (``W_f`` is ``W[1]``); see also :meth:`gate`.

    Raises
    ------
    ValueError
        If a shape is wrong or the three sizes do not agree; the message names the array.

    Examples
    --------
    >>> w = LSTMWeights.random(3, 2)
    >>> w
    LSTMWeights(input_size=3, hidden_size=2, dtype=float32, W: (4, 2, 3), U: (4, 2, 2), b: (4, 2))
    >>> w.count()                       # 4 * (2 * (3 + 2) + 2)
    48
    >>> w.W.flags.writeable             # read-only: build a new LSTMWeights to change a weight
    False
    >>> w.gate("forget")[0].shape       # W_f
    (2, 3)
    """

    __slots__ = ("W", "U", "b")

    def __init__(self, W: object, U: object, b: object) -> None:
        W = as_float_array("W", W)
        U = as_float_array("U", U)
        b = as_float_array("b", b)
        if W.ndim != 3 or W.shape[0] != 4:
            raise ValueError(
                f"W has shape {format_shape(W.shape)}, expected (4, hidden_size, input_size) "
                f"with the gates in GATE_ORDER {GATE_ORDER}."
            )
        m = W.shape[1]
        check_shape("U", U, (4, ("hidden_size", m), ("hidden_size", m)))
        check_shape("b", b, (4, ("hidden_size", m)))
        dtype = np.result_type(W, U, b)
        for name, array in (("W", W), ("U", U), ("b", b)):
            stored = np.array(array, dtype=dtype, order="C", copy=True)
            stored.flags.writeable = False                           # immutable, as the object
            object.__setattr__(self, name, stored)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("LSTMWeights is immutable: build a new one instead.")

    @classmethod
    def random(
        cls, input_size: int, hidden_size: int, seed: int = 0, dtype: object = np.float32
    ) -> LSTMWeights:
        """Weights drawn uniformly from [-1/sqrt(hidden_size), 1/sqrt(hidden_size)] (PyTorch's init).

        Parameters
        ----------
        input_size, hidden_size : int
            n and m, both >= 1.
        seed : int
            Seed of ``np.random.default_rng``; the same seed gives the same weights.
        dtype : {np.float32, np.float64}

        Examples
        --------
        >>> LSTMWeights.random(2, 3, seed=1) == LSTMWeights.random(2, 3, seed=1)
        True
        """
        n = check_int("input_size", input_size)
        m = check_int("hidden_size", hidden_size)
        seed = check_int("seed", seed, minimum=0)
        dt = np.dtype(dtype)
        if dt not in (np.float32, np.float64):
            raise ValueError(f"dtype == {dt.name!r}, must be float32 or float64.")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(m)
        return cls(
            rng.uniform(-bound, bound, (4, m, n)).astype(dt),
            rng.uniform(-bound, bound, (4, m, m)).astype(dt),
            rng.uniform(-bound, bound, (4, m)).astype(dt),
        )

    @property
    def input_size(self) -> int:
        """n, the number of features per time step."""
        return self.W.shape[2]

    @property
    def hidden_size(self) -> int:
        """m, the number of hidden units."""
        return self.W.shape[1]

    @property
    def dtype(self) -> np.dtype:
        """The floating dtype shared by ``W``, ``U`` and ``b``."""
        return self.W.dtype

    # One gate's slice of W, U or b: k-th block of GATE_ORDER (input, forget, candidate, output).

    @property
    def W_i(self) -> np.ndarray:
        """``W[0]``: the input gate's input weights, shape (m, n), a read-only view."""
        return self.W[0]

    @property
    def W_f(self) -> np.ndarray:
        """``W[1]``: the forget gate's input weights, shape (m, n), a read-only view."""
        return self.W[1]

    @property
    def W_c(self) -> np.ndarray:
        """``W[2]``: the candidate's input weights, shape (m, n), a read-only view."""
        return self.W[2]

    @property
    def W_o(self) -> np.ndarray:
        """``W[3]``: the output gate's input weights, shape (m, n), a read-only view."""
        return self.W[3]

    @property
    def U_i(self) -> np.ndarray:
        """``U[0]``: the input gate's recurrent weights, shape (m, m), a read-only view."""
        return self.U[0]

    @property
    def U_f(self) -> np.ndarray:
        """``U[1]``: the forget gate's recurrent weights, shape (m, m), a read-only view."""
        return self.U[1]

    @property
    def U_c(self) -> np.ndarray:
        """``U[2]``: the candidate's recurrent weights, shape (m, m), a read-only view."""
        return self.U[2]

    @property
    def U_o(self) -> np.ndarray:
        """``U[3]``: the output gate's recurrent weights, shape (m, m), a read-only view."""
        return self.U[3]

    @property
    def b_i(self) -> np.ndarray:
        """``b[0]``: the input gate's bias, shape (m,), a read-only view."""
        return self.b[0]

    @property
    def b_f(self) -> np.ndarray:
        """``b[1]``: the forget gate's bias, shape (m,), a read-only view."""
        return self.b[1]

    @property
    def b_c(self) -> np.ndarray:
        """``b[2]``: the candidate's bias, shape (m,), a read-only view."""
        return self.b[2]

    @property
    def b_o(self) -> np.ndarray:
        """``b[3]``: the output gate's bias, shape (m,), a read-only view."""
        return self.b[3]

    def count(self) -> int:
        """Number of parameters, ``4 * (m * (n + m) + m)`` (Keras' and MATLAB's count).

        Examples
        --------
        >>> LSTMWeights.random(5, 10).count()
        640
        """
        return int(self.W.size + self.U.size + self.b.size)

    def gate(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(W_k, U_k, b_k)`` of one gate, shapes (m, n), (m, m) and (m,), as read-only views.

        Parameters
        ----------
        name : {"input", "forget", "candidate", "output"}
            A name of :data:`lstm_utils.gates.GATE_ORDER`.

        Examples
        --------
        >>> W_f, U_f, b_f = LSTMWeights.random(3, 2).gate("forget")
        >>> W_f.shape, U_f.shape, b_f.shape
        ((2, 3), (2, 2), (2,))
        """
        name = check_choice("name", name, GATE_ORDER)
        k = GATE_ORDER.index(name)
        return (self.W[k], self.U[k], self.b[k])

    def gates(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """``{gate name: (W_k, U_k, b_k)}`` for the four gates, in GATE_ORDER."""
        return {name: self.gate(name) for name in GATE_ORDER}

    def astype(self, dtype: object) -> LSTMWeights:
        """The same weights converted to ``dtype`` (float32 or float64)."""
        return LSTMWeights(self.W.astype(dtype), self.U.astype(dtype), self.b.astype(dtype))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LSTMWeights):
            return NotImplemented
        return (
            self.dtype == other.dtype
            and np.array_equal(self.W, other.W)
            and np.array_equal(self.U, other.U)
            and np.array_equal(self.b, other.b)
        )

    __hash__ = None  # equal by value, like NumPy arrays: not hashable

    def __repr__(self) -> str:
        return (
            f"LSTMWeights(input_size={self.input_size}, hidden_size={self.hidden_size}, "
            f"dtype={self.dtype.name}, W: {format_shape(self.W.shape)}, U: {format_shape(self.U.shape)}, "
            f"b: {format_shape(self.b.shape)})"
        )


# ---------------------------------------------------------------------------------------------
# Argument checks shared by the forward functions
# ---------------------------------------------------------------------------------------------


def check_weights(weights: object) -> LSTMWeights:
    """Return ``weights`` if it is an :class:`LSTMWeights`; a TypeError that says how to build one otherwise.

    Examples
    --------
    >>> check_weights(LSTMWeights.random(1, 1)).count()
    12
    """
    if not isinstance(weights, LSTMWeights):
        raise TypeError(
            f"weights must be an LSTMWeights, got {type(weights).__name__}; "
            "build one with LSTMWeights(W, U, b) or a converter such as lstm_utils.from_torch."
        )
    return weights


def _prepare(
    x: object, weights: object, h0: object, c0: object
) -> tuple[np.ndarray, LSTMWeights, np.ndarray, np.ndarray]:
    """Validate the arguments of a forward pass; return x, weights, h0, c0 in one floating dtype."""
    weights = check_weights(weights)
    x = as_float_array("x", x)
    n, m = weights.input_size, weights.hidden_size
    check_shape("x", x, (("batch", None), ("time", None), ("input_size", n)))
    dtype = np.result_type(x.dtype, weights.dtype)
    batch = x.shape[0]
    states = []
    for name, s in (("h0", h0), ("c0", c0)):
        if s is None:
            states.append(np.zeros((batch, m), dtype=dtype))
        else:
            s = as_float_array(name, s, dtype)
            check_shape(name, s, (("batch", batch), ("hidden_size", m)))
            states.append(s)
    return x.astype(dtype, copy=False), weights, states[0], states[1]



def reverse_padded(x: object, lengths: object) -> np.ndarray:
    """Each sequence reversed within its own length; the padding after it stays where it is.

    This is what the backward direction of a packed (PyTorch) or masked (Keras) bidirectional layer
    reads: ``x[b, :L]`` backwards, then the padding. Applied twice it gives ``x`` back, so a
    bidirectional layer over right-padded sequences is two calls of :func:`lstm_forward`::

        fwd, _ = lstm_forward(x, w_fwd, lengths=lengths)
        bwd, _ = lstm_forward(reverse_padded(x, lengths), w_bwd, lengths=lengths)
        outputs = np.concatenate([fwd, reverse_padded(bwd, lengths)], axis=-1)

    Parameters
    ----------
    x : array of shape (batch, time, ...)
        Right-padded sequences.
    lengths : integer array of shape (batch,)
        Each sequence's number of valid steps, in 1..time.

    Examples
    --------
    >>> x = np.array([[1, 2, 3, 0], [1, 2, 3, 4]])[..., None]
    >>> reverse_padded(x, [3, 4])[..., 0]
    array([[3, 2, 1, 0],
           [4, 3, 2, 1]])
    """
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"x has shape {format_shape(x.shape)}, expected (batch, time, ...).")
    batch, steps = x.shape[:2]
    lengths = check_lengths(lengths, batch, steps)
    t = np.arange(steps)[None, :]                                     # (1, time)
    L = lengths[:, None]                                              # (batch, 1)
    index = np.where(t < L, L - 1 - t, t)                             # (batch, time): source step
    return np.take_along_axis(x, index.reshape(index.shape + (1,) * (x.ndim - 2)), axis=1)


def pad_right(sequences: Sequence[object], value: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad sequences of different lengths into one array; also return their lengths.

    The array and lengths are what ``lstm_forward(x, weights, lengths=lengths)`` and PyTorch's
    ``pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)`` take.

    Parameters
    ----------
    sequences : non-empty sequence of arrays of shape (length_b, ...)
        One array per sequence, time on the first axis (length_b >= 1), the same trailing shape
        (the features) for all.
    value : float
        Written at the padded steps; a finite real number.

    Returns
    -------
    x : ndarray of shape (batch, max length, ...)
        Sequence b in ``x[b, :lengths[b]]``, ``value`` after it; NumPy's common dtype of the inputs.
    lengths : int64 ndarray of shape (batch,)

    Raises
    ------
    TypeError
        ``sequences`` is not a list or tuple, an entry is not a numeric array, or ``value`` is not a
        real number.
    ValueError
        ``sequences`` is empty, an entry has no time axis or no step, the trailing shapes differ, or
        ``value`` is not finite.

    Examples
    --------
    >>> x, lengths = pad_right([np.ones((3, 2)), 2 * np.ones((1, 2))])
    >>> x.shape, lengths
    ((2, 3, 2), array([3, 1]))
    >>> x[1, :, 0]
    array([2., 0., 0.])
    """
    if not isinstance(sequences, (list, tuple)):
        raise TypeError(f"sequences must be a list or tuple of arrays, got {type(sequences).__name__}.")
    value = check_real("value", value)
    if len(sequences) == 0:
        raise ValueError("sequences is empty, expected at least one array of shape (length, ...).")
    arrays = []
    for k, item in enumerate(sequences):
        try:
            a = np.asarray(item)
        except Exception as exc:  # e.g. a ragged nested list
            raise TypeError(f"sequences[{k}] must be array-like, got {type(item).__name__}: {exc}") from exc
        if a.dtype.kind not in "fiu":
            raise TypeError(f"sequences[{k}] must hold numbers, got an array of dtype {a.dtype}.")
        if a.ndim < 1 or a.shape[0] < 1:
            raise ValueError(
                f"sequences[{k}] has shape {format_shape(a.shape)}, expected (length >= 1, ...)."
            )
        if arrays and a.shape[1:] != arrays[0].shape[1:]:
            raise ValueError(
                f"sequences[{k}] has shape {format_shape(a.shape)} but sequences[0] has "
                f"{format_shape(arrays[0].shape)}: the axes after time must agree."
            )
        arrays.append(a)
    lengths = np.array([a.shape[0] for a in arrays], dtype=np.int64)
    x = np.full((len(arrays), int(lengths.max())) + arrays[0].shape[1:], value,
                dtype=np.result_type(*arrays))                       # (batch, max length, ...)
    for k, a in enumerate(arrays):
        x[k, : a.shape[0]] = a
    return x, lengths


# ---------------------------------------------------------------------------------------------
# One step, and the readable per-gate forward pass that loops over it
# ---------------------------------------------------------------------------------------------


def _step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, weights: LSTMWeights
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """One LSTM step, one line per equation: :func:`lstm_step` without its argument checks.

    ``x_t`` (batch, n) or (n,); ``h_prev``, ``c_prev`` (batch, m) or (m,), as the caller checked them.
    """
    W_i, W_f, W_c, W_o = weights.W                                  # each (m, n)
    U_i, U_f, U_c, U_o = weights.U                                  # each (m, m)
    b_i, b_f, b_c, b_o = weights.b                                  # each (m,)
    # i_t = sigmoid(W_i x_t + U_i h_{t-1} + b_i)
    i = sigmoid(x_t @ W_i.T + h_prev @ U_i.T + b_i)
    # f_t = sigmoid(W_f x_t + U_f h_{t-1} + b_f)
    f = sigmoid(x_t @ W_f.T + h_prev @ U_f.T + b_f)
    # g_t = tanh(W_c x_t + U_c h_{t-1} + b_c)
    g = np.tanh(x_t @ W_c.T + h_prev @ U_c.T + b_c)
    # o_t = sigmoid(W_o x_t + U_o h_{t-1} + b_o)
    o = sigmoid(x_t @ W_o.T + h_prev @ U_o.T + b_o)
    # c_t = f_t * c_{t-1} + i_t * g_t
    c = f * c_prev + i * g
    # h_t = o_t * tanh(c_t)
    h = o * np.tanh(c)
    return h, c, {"input": i, "forget": f, "candidate": g, "output": o}


def lstm_step(
    x_t: object, h_prev: object, c_prev: object, weights: LSTMWeights
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """One LSTM time step, gate by gate, returning the four gate activations by name.

    Parameters
    ----------
    x_t : array of shape (batch, input_size) or (input_size,)
    h_prev, c_prev : arrays of shape (batch, hidden_size) or (hidden_size,)
        The previous hidden and cell state (same number of dimensions as ``x_t``).
    weights : LSTMWeights

    Returns
    -------
    h_t, c_t : ndarray of shape (batch, hidden_size) or (hidden_size,)
    gates : dict
        ``{"input": i_t, "forget": f_t, "candidate": g_t, "output": o_t}`` in
        :data:`lstm_utils.gates.GATE_ORDER`; the sigmoid gates lie in (0, 1), the candidate in (-1, 1).

    Examples
    --------
    >>> w = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.zeros((4, 1)))
    >>> h, c, gates = lstm_step(np.ones(1), np.zeros(1), np.ones(1), w)
    >>> float(gates["forget"][0]), float(c[0])     # f = sigmoid(0) keeps half the old cell
    (0.5, 0.5)
    """
    weights = check_weights(weights)
    n, m = weights.input_size, weights.hidden_size
    x_t = as_float_array("x_t", x_t)
    dtype = np.result_type(x_t.dtype, weights.dtype)
    h_prev = as_float_array("h_prev", h_prev, dtype)
    c_prev = as_float_array("c_prev", c_prev, dtype)
    if x_t.ndim == 1:
        check_shape("x_t", x_t, (("input_size", n),))
        check_shape("h_prev", h_prev, (("hidden_size", m),))
        check_shape("c_prev", c_prev, (("hidden_size", m),))
    else:
        check_shape("x_t", x_t, (("batch", None), ("input_size", n)))
        batch = x_t.shape[0]
        check_shape("h_prev", h_prev, (("batch", batch), ("hidden_size", m)))
        check_shape("c_prev", c_prev, (("batch", batch), ("hidden_size", m)))
    return _step(x_t.astype(dtype, copy=False), h_prev, c_prev, _in_dtype(weights, dtype))


def _in_dtype(weights: LSTMWeights, dtype: np.dtype) -> LSTMWeights:
    """``weights`` itself if it has ``dtype``, else a converted copy (cast once, not at every step)."""
    return weights if weights.dtype == dtype else weights.astype(dtype)


def _zero_padding(outputs: np.ndarray, lengths: np.ndarray | None) -> np.ndarray:
    """``outputs`` (batch, time, m) with the padded steps, ``t >= lengths[b]``, set to zero in place."""
    if lengths is not None:
        outputs[np.arange(outputs.shape[1]) >= lengths[:, None]] = 0.0          # (batch, time) mask
    return outputs


def lstm_forward_per_gate(
    x: object, weights: LSTMWeights, h0: object = None, c0: object = None, *, lengths: object = None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """The LSTM over a whole sequence, one call of the step function per time step (the readable version).

    Same arguments and results as :func:`lstm_forward`, which is faster (``benchmarks/forward.py``
    measures by how much; the README's benchmark table holds the figures); this one is kept because
    it reads like the equations: each step is ``_step``, the six lines :func:`lstm_step` runs (the
    gate-equations notebook prints both sources). Gates in :data:`lstm_utils.gates.GATE_ORDER`.

    Examples
    --------
    >>> w = LSTMWeights.random(3, 2)
    >>> x = np.ones((1, 4, 3), dtype=np.float32)
    >>> out, (h_n, c_n) = lstm_forward_per_gate(x, w)
    >>> out.shape, bool(np.allclose(out, lstm_forward(x, w)[0], atol=1e-6))
    ((1, 4, 2), True)
    """
    x, weights, h, c = _prepare(x, weights, h0, c0)
    lengths = check_lengths(lengths, x.shape[0], x.shape[1])
    weights = _in_dtype(weights, x.dtype)
    out = np.empty(x.shape[:2] + (weights.hidden_size,), dtype=x.dtype)     # (batch, time, m)
    for t in range(x.shape[1]):
        h_t, c_t, _ = _step(x[:, t, :], h, c, weights)                      # the same weights every step
        if lengths is not None:                                             # padding: the states stay
            done = (t >= lengths)[:, None]                                  # (batch, 1)
            np.copyto(h_t, h, where=done)
            np.copyto(c_t, c, where=done)
        h, c = h_t, c_t
        out[:, t] = h
    return _zero_padding(out, lengths), (h, c)


# ---------------------------------------------------------------------------------------------
# The fast forward pass, and the cache it keeps for the backward pass
# ---------------------------------------------------------------------------------------------


class LSTMCache(NamedTuple):
    """What the backward pass reads, kept by ``lstm_forward(..., return_cache=True)``.

    Time-major; gates in :data:`lstm_utils.gates.GATE_ORDER`. The arrays are transposed views of
    the forward pass's own feature-major buffers (nothing is copied to make them).

    Attributes
    ----------
    acts : ndarray of shape (time, batch, 4 * hidden_size)
        The gate activations i_t, f_t, g_t, o_t side by side.
    hs, cs : ndarrays of shape (time + 1, batch, hidden_size)
        The states h_0, ..., h_T and c_0, ..., c_T (at a padded step the state kept, not the zero output).
    tanh_cs : ndarray of shape (time, batch, hidden_size)
        tanh(c_1), ..., tanh(c_T).
    """

    acts: np.ndarray
    hs: np.ndarray
    cs: np.ndarray
    tanh_cs: np.ndarray


def _fused(weights: LSTMWeights, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights stacked for one product per step, in GATE_ORDER (i, f, c, o), sigmoid rows halved.

    Returns Wx (4m, n), Wh (4m, m) and bias (4m,), C-contiguous. One ``tanh`` call then covers all
    four gates: sigmoid(z) = 0.5 * tanh(z / 2) + 0.5, and the factor 1/2 of the three sigmoid gates is
    folded into their rows (multiplying by 0.5 is exact in binary floating point).
    """
    scale = np.array([0.5 if gate != "candidate" else 1.0 for gate in GATE_ORDER], dtype=dtype)
    m, n = weights.hidden_size, weights.input_size
    Wx = (weights.W.astype(dtype, copy=False) * scale[:, None, None]).reshape(4 * m, n)   # (4m, n)
    Wh = (weights.U.astype(dtype, copy=False) * scale[:, None, None]).reshape(4 * m, m)   # (4m, m)
    bias = (weights.b.astype(dtype, copy=False) * scale[:, None]).reshape(4 * m)          # (4m,)
    return Wx, Wh, bias


def _forward(
    x: np.ndarray, weights: LSTMWeights, h0: np.ndarray, c0: np.ndarray, lengths: np.ndarray | None,
    keep: bool,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], LSTMCache | None]:
    """:func:`lstm_forward` on checked arguments; with ``keep``, also the :class:`LSTMCache`.

    The states are feature-major inside the loop, ``h`` of shape (m, batch). Without ``keep`` the
    gates, tanh(c_t) and c_t live in buffers reused at every step (two slots for c: c_{t-1} and c_t);
    with ``keep`` every step writes its own slot, and those arrays are the cache.
    """
    dtype = x.dtype
    batch, steps, n = x.shape
    m = weights.hidden_size
    Wx, Wh, bias = _fused(weights, dtype)
    # Input projection of every step at once: (4m, n) @ (n, time*batch) -> (4m, time, batch).
    x_tm = x.transpose(1, 0, 2).reshape(steps * batch, n)            # (time*batch, n), time-major
    xw = (Wx @ x_tm.T).reshape(4 * m, steps, batch)
    xw += bias[:, None, None]
    slots = steps if keep else 1
    acts = np.empty((slots, 4 * m, batch), dtype=dtype)              # gates i, f, g, o of a step
    tanh_cs = np.empty((slots, m, batch), dtype=dtype)
    cs = np.empty((steps + 1 if keep else 2, m, batch), dtype=dtype)  # c_{t-1} and c_t
    hs = np.empty((steps + 1, m, batch), dtype=dtype)                # h_0 ... h_T: the outputs too
    hs[0], cs[0] = h0.T, c0.T
    ig = np.empty((m, batch), dtype=dtype)
    for t in range(steps):
        z, tanh_c = acts[t % slots], tanh_cs[t % slots]
        h_prev, h = hs[t], hs[t + 1]
        c_prev, c = cs[t % len(cs)], cs[(t + 1) % len(cs)]
        np.matmul(Wh, h_prev, out=z)                                 # all four gates in one product
        z += xw[:, t]                                                # + hoisted W x_t + b
        np.tanh(z, out=z)                                            # tanh(z/2) for i, f, o; tanh for g
        for s in (z[: 2 * m], z[3 * m :]):                           # sigmoid of i, f and of o
            s *= 0.5
            s += 0.5
        i, f, g, o = z[:m], z[m : 2 * m], z[2 * m : 3 * m], z[3 * m :]
        np.multiply(f, c_prev, out=c)                                # c_t = f * c_{t-1} + i * g
        np.multiply(i, g, out=ig)
        c += ig
        np.tanh(c, out=tanh_c)                                       # h_t = o * tanh(c_t)
        np.multiply(o, tanh_c, out=h)
        if lengths is not None:                                      # padding: the states stay
            done = t >= lengths                                      # (batch,)
            np.copyto(c, c_prev, where=done)
            np.copyto(h, h_prev, where=done)
    # Copies, batch-first and C-contiguous (with batch 1 the transposes alone would be views of hs, cs).
    outputs = _zero_padding(hs[1:].transpose(2, 0, 1).copy(), lengths)   # (batch, time, m)
    final = (hs[-1].T.copy(), cs[steps % len(cs)].T.copy())             # h_n, c_n: (batch, m)
    if not keep:
        return outputs, final, None
    cache = LSTMCache(*(a.transpose(0, 2, 1) for a in (acts, hs, cs, tanh_cs)))   # time-major views
    return outputs, final, cache


def lstm_forward(
    x: object, weights: LSTMWeights, h0: object = None, c0: object = None, *, lengths: object = None,
    return_cache: bool = False,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]] | tuple[np.ndarray, tuple[np.ndarray, np.ndarray],
                                                                LSTMCache]:
    """Run one LSTM layer over a batch of sequences (the fast version).

    How it is fast: the input projection of all time steps is hoisted out of the loop into one
    matrix product; each step then needs one product ``Wh @ h`` for the four gates together, one
    ``tanh`` over all four gates (with the 1/2 of ``sigmoid(z) = 0.5 * tanh(z/2) + 0.5`` folded
    into the sigmoid gates' weights) and a few in-place element-wise operations on preallocated
    buffers. Inside the loop the states are kept feature-major, ``h`` of shape (hidden_size, batch),
    so that each step's product is (4m, m) @ (m, batch) and every gate is a contiguous block of rows;
    the result is transposed back to batch-first at the end.

    Why this layout is the default: ``benchmarks/forward.py`` times it against the readable
    :func:`lstm_forward_per_gate` (eight products and eight activations per step), against the
    same fused computation kept batch-major (``h @ Wh`` with ``h`` of shape (batch, m)) and against
    ``torch.nn.LSTM``, and prints the figures; the measured ones are in the README's benchmark
    table, not here, where they would go stale. Fusing the gates pays NumPy's per-call cost fewer
    times per step, and on one thread OpenBLAS ran the tall (4m, m) @ (m, batch) product faster
    than the wide (batch, m) @ (m, 4m) one in the benchmark's runs.
    Results agree with the per-gate version to rounding (about 1e-7 in float32).

    Parameters
    ----------
    x : array of shape (batch, time, input_size)
        Batch-first, as Keras (and PyTorch with ``batch_first=True``).
    weights : LSTMWeights
        Gates in :data:`lstm_utils.gates.GATE_ORDER`.
    h0, c0 : arrays of shape (batch, hidden_size), optional
        Initial states; zeros if omitted.
    lengths : integer array of shape (batch,), optional
        For right-padded ``x``: sequence b has ``lengths[b]`` valid steps, each in 1..time. At the
        steps ``t >= lengths[b]`` its states stay unchanged and its output is zero, so ``h_n`` and
        ``c_n`` are the states at each sequence's own last step (PyTorch's packed sequences). None:
        every step is valid.
    return_cache : bool
        Also return the :class:`LSTMCache` (every step's gates, states and tanh(c_t)), which
        :func:`lstm_utils.backward.lstm_backward` takes as ``cache=`` instead of running the forward
        pass again.

    Returns
    -------
    outputs : ndarray of shape (batch, time, hidden_size)
        ``h_t`` for every step (zero at padded steps).
    (h_n, c_n) : tuple of ndarrays of shape (batch, hidden_size)
        The last hidden and cell states (of each sequence's last valid step).
    cache : LSTMCache
        Only with ``return_cache=True``.

    The computation runs in NumPy's promotion of ``x``'s and the weights' dtypes (float32 weights
    and float32 ``x`` stay float32; float64 on either side gives float64).

    Raises
    ------
    TypeError
        ``weights`` is not an :class:`LSTMWeights`, or ``return_cache`` is not a bool.
    ValueError
        ``x`` is not 3-D or has the wrong number of features, ``h0``/``c0`` has the wrong shape, a
        length lies outside 1..time; the message names the argument and what is accepted.

    Examples
    --------
    >>> w = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.full((4, 1), 1.0))
    >>> out, (h_n, c_n) = lstm_forward(np.zeros((1, 2, 1)), w)
    >>> round(float(c_n[0, 0]), 4)     # c_1 = s*t, c_2 = s*c_1 + s*t with s = sigmoid(1), t = tanh(1)
    0.9638
    >>> out, (h_n, c_n), cache = lstm_forward(np.zeros((1, 2, 1)), w, return_cache=True)
    >>> cache.acts.shape, cache.hs.shape          # (time, batch, 4m), (time + 1, batch, m)
    ((2, 1, 4), (3, 1, 1))
    """
    x, weights, h0, c0 = _prepare(x, weights, h0, c0)
    lengths = check_lengths(lengths, x.shape[0], x.shape[1])
    keep = check_bool("return_cache", return_cache)
    outputs, final, cache = _forward(x, weights, h0, c0, lengths, keep)
    return (outputs, final, cache) if keep else (outputs, final)


# ---------------------------------------------------------------------------------------------
# GRU and simple RNN steps (Keras conventions)
# ---------------------------------------------------------------------------------------------


def _keras_cell_args(
    x_t: object, h_prev: object, W: object, U: object, gates: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    W = as_float_array("W", W)
    if W.ndim != 2 or W.shape[1] % gates:
        what = "(input_size, 3 * hidden_size)" if gates == 3 else "(input_size, hidden_size)"
        raise ValueError(f"W has shape {format_shape(W.shape)}, expected {what} (Keras' kernel).")
    n, m = W.shape[0], W.shape[1] // gates
    U = as_float_array("U", U)
    check_shape("U", U, (("hidden_size", m), ("gates*hidden_size", gates * m)))
    x_t = as_float_array("x_t", x_t)
    dtype = np.result_type(x_t.dtype, W.dtype, U.dtype)
    h_prev = as_float_array("h_prev", h_prev, dtype)
    if x_t.ndim == 1:
        check_shape("x_t", x_t, (("input_size", n),))
        check_shape("h_prev", h_prev, (("hidden_size", m),))
    else:
        check_shape("x_t", x_t, (("batch", None), ("input_size", n)))
        check_shape("h_prev", h_prev, (("batch", x_t.shape[0]), ("hidden_size", m)))
    return x_t.astype(dtype, copy=False), h_prev, W.astype(dtype), U.astype(dtype), m


def gru_step(
    x_t: object, h_prev: object, W: object, U: object, b: object, *, reset_after: bool = True
) -> np.ndarray:
    """One GRU time step with Keras' weights, layout and equations.

    Parameters
    ----------
    x_t : array of shape (batch, input_size) or (input_size,)
    h_prev : array of shape (batch, hidden_size) or (hidden_size,)
    W : array of shape (input_size, 3 * hidden_size)
        Keras' ``kernel``; column blocks z (update), r (reset), h (candidate), as in
        :data:`lstm_utils.gates.GRU_GATE_ORDER`.
    U : array of shape (hidden_size, 3 * hidden_size)
        Keras' ``recurrent_kernel``, same column blocks.
    b : array of shape (2, 3 * hidden_size) if ``reset_after`` else (3 * hidden_size,)
        Keras' ``bias``: with ``reset_after`` row 0 is the input bias and row 1 the recurrent bias.
    reset_after : bool
        Keras' flag (default True, the cuDNN-compatible form): the reset gate multiplies
        ``U_h h + b_rh`` after the product; with False it multiplies ``h`` before it.

    Returns
    -------
    h_t : ndarray, same shape as ``h_prev``
        ``z * h_prev + (1 - z) * h_tilde`` (Keras' convention: z keeps the old state).

    Examples
    --------
    >>> W, U, b = np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((2, 3))
    >>> gru_step(np.ones(1), np.ones(1), W, U, b)   # z = 0.5 keeps half of h, candidate 0
    array([0.5])
    """
    reset_after = check_bool("reset_after", reset_after)
    x_t, h_prev, W, U, m = _keras_cell_args(x_t, h_prev, W, U, 3)
    b = as_float_array("b", b, x_t.dtype)
    if reset_after:
        check_shape("b", b, (2, ("3*hidden_size", 3 * m)))
        b_x, b_h = b[0], b[1]
    else:
        check_shape("b", b, (("3*hidden_size", 3 * m),))
        b_x, b_h = b, np.zeros_like(b)
    xz, xr, xh = np.split(x_t @ W + b_x, 3, axis=-1)                  # input terms of z, r, h
    U_z, U_r, U_h = U[:, :m], U[:, m : 2 * m], U[:, 2 * m :]
    b_hz, b_hr, b_hh = b_h[:m], b_h[m : 2 * m], b_h[2 * m :]
    z = sigmoid(xz + h_prev @ U_z + b_hz)                             # update gate
    r = sigmoid(xr + h_prev @ U_r + b_hr)                             # reset gate
    if reset_after:
        h_tilde = np.tanh(xh + r * (h_prev @ U_h + b_hh))              # candidate, reset after U_h
    else:
        h_tilde = np.tanh(xh + (r * h_prev) @ U_h)                      # candidate, reset before U_h
    return z * h_prev + (1.0 - z) * h_tilde


def rnn_step(x_t: object, h_prev: object, W: object, U: object, b: object) -> np.ndarray:
    """One simple-RNN time step with Keras' weights: ``h_t = tanh(x_t W + h_prev U + b)``.

    Parameters
    ----------
    x_t : array of shape (batch, input_size) or (input_size,)
    h_prev : array of shape (batch, hidden_size) or (hidden_size,)
    W : array of shape (input_size, hidden_size)
        Keras' ``kernel`` of ``SimpleRNN``.
    U : array of shape (hidden_size, hidden_size)
        Keras' ``recurrent_kernel``.
    b : array of shape (hidden_size,)
        Keras' ``bias``.

    Returns
    -------
    h_t : ndarray, same shape as ``h_prev``

    Examples
    --------
    >>> rnn_step(np.ones(1), np.zeros(1), np.full((1, 1), 0.5), np.zeros((1, 1)), np.zeros(1))
    array([0.46211716])
    """
    x_t, h_prev, W, U, m = _keras_cell_args(x_t, h_prev, W, U, 1)
    b = as_float_array("b", b, x_t.dtype)
    check_shape("b", b, (("hidden_size", m),))
    # h_t = tanh(x_t W + h_{t-1} U + b): row vectors times Keras's kernel (n, m) and recurrent kernel (m, m)
    return np.tanh(x_t @ W + h_prev @ U + b)
