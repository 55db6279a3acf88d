"""Backpropagation through time (BPTT) by hand: the gradients of one LSTM layer, in NumPy.

:func:`lstm_backward` is the counterpart of :func:`lstm_utils.reference.lstm_forward`: same
batch-first layout, same neutral gate order :data:`lstm_utils.gates.GATE_ORDER` (input, forget,
candidate, output). Given ∂L/∂outputs, ∂L/∂h_n and ∂L/∂c_n of some loss L, it returns ∂L/∂W, ∂L/∂U,
∂L/∂b, ∂L/∂x, ∂L/∂h_0 and ∂L/∂c_0. The equations below use the course's notation (notebook 01):
vectors are columns, W (4m, n) and U (4m, m) stack the blocks W_k, U_k of k = i, f, c, o, and
z_t = W x_t + U h_{t-1} + b stacks the pre-activations z_{k,t}; the code works on a batch of row
vectors (``dz_t @ U`` is U^T dz_t transposed). Going backwards from the last step, one step of BPTT
computes (``*`` is the element-wise product; ``dv`` stands for ∂L/∂v)::

    dh_t   = dout_t + dh_t (from step t+1)            the output's gradient plus the recurrent one
    do_t   = dh_t * tanh(c_t)
    dc_t   = dc_t (from step t+1) + dh_t * o_t * (1 - tanh(c_t)^2)
    di_t   = dc_t * g_t;   dg_t = dc_t * i_t;   df_t = dc_t * c_{t-1}
    dc_{t-1} = dc_t * f_t                              the cell state's direct path
    dz_t   = (dz_{i,t}, dz_{f,t}, dz_{c,t}, dz_{o,t})
           = (di_t i_t (1 - i_t), df_t f_t (1 - f_t), dg_t (1 - g_t^2), do_t o_t (1 - o_t))
    dh_{t-1} = U^T dz_t                                one product for the four gates

and, because the weights are shared by all steps, their gradients add up over the steps:
``dW = sum_t dz_t x_t^T``, ``dU = sum_t dz_t h_{t-1}^T``, ``db = sum_t dz_t``, ``dx_t = W^T dz_t``.
These four do not feed the recursion, so they run after the loop as one product each over all
steps. References: Werbos (1990), "Backpropagation through time: what it does and how to do it",
Proc. IEEE 78(10); Karpathy's min-char-rnn (2015) for a hand-written backward pass.
"""

from __future__ import annotations

import numpy as np

from lstm_utils._validate import as_float_array, check_lengths, check_shape
from lstm_utils.reference import LSTMCache, LSTMWeights, _forward, _prepare

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["lstm_backward"]


def _step_backward(
    dh: np.ndarray, dc: np.ndarray, a: np.ndarray, c_prev: np.ndarray, tanh_c: np.ndarray, dz: np.ndarray
) -> np.ndarray:
    """One step of BPTT: from dL/dh_t and the dL/dc_t arriving from step t+1 to dz_t and dL/dc_{t-1}.

    ``a`` (batch, 4m) holds i_t, f_t, g_t, o_t; ``dz`` (batch, 4m) receives dL/dz_t, the gradient
    of the four pre-activations z_{i,t}, z_{f,t}, z_{c,t}, z_{o,t}, in the same column blocks.
    Returns dL/dc_{t-1}.
    """
    m = dh.shape[1]
    i, f, g, o = a[:, :m], a[:, m : 2 * m], a[:, 2 * m : 3 * m], a[:, 3 * m :]   # each (batch, m)
    # do_t = dh_t * tanh(c_t)                                            (batch, m)
    do = dh * tanh_c
    # dc_t = dc_t(from t+1) + dh_t * o_t * (1 - tanh(c_t)^2)             (batch, m)
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)
    # di_t = dc_t * g_t                                                  (batch, m)
    di = dc * g
    # df_t = dc_t * c_{t-1}                                              (batch, m)
    df = dc * c_prev
    # dg_t = dc_t * i_t                                                  (batch, m)
    dg = dc * i
    # dz_{i,t} = di_t * i_t * (1 - i_t)      sigmoid'(z) = s (1 - s)     (batch, m)
    dz[:, :m] = di * i * (1.0 - i)
    # dz_{f,t} = df_t * f_t * (1 - f_t)                                  (batch, m)
    dz[:, m : 2 * m] = df * f * (1.0 - f)
    # dz_{c,t} = dg_t * (1 - g_t^2)          tanh'(z) = 1 - tanh(z)^2    (batch, m)
    dz[:, 2 * m : 3 * m] = dg * (1.0 - g * g)
    # dz_{o,t} = do_t * o_t * (1 - o_t)                                  (batch, m)
    dz[:, 3 * m :] = do * o * (1.0 - o)
    # dc_{t-1} = dc_t * f_t                  the cell state's direct path (batch, m)
    return dc * f


def _padded_step_backward(
    running: np.ndarray, dh: np.ndarray, dc: np.ndarray, dout: np.ndarray, a: np.ndarray,
    c_prev: np.ndarray, tanh_c: np.ndarray, dz: np.ndarray, U: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One step of BPTT for a right-padded batch; ``running[b]`` is False where step t is padding.

    Nothing happened at a padded step (the states stayed, the output was a constant zero), so there
    ``dz_t = 0`` and ∂L/∂h, ∂L/∂c pass on to step t-1 unchanged. Returns dL/dh_{t-1}, dL/dc_{t-1}.
    """
    run = running[:, None]                                           # (batch, 1)
    dh = dh + np.where(run, dout, 0.0)
    dc_prev = _step_backward(dh, dc, a, c_prev, tanh_c, dz)
    dz *= run
    return np.where(run, dz @ U, dh), np.where(run, dc_prev, dc)


def _upstream(name: str, value: object, dtype: np.dtype, expected: tuple) -> np.ndarray | None:
    """An upstream gradient as an array of ``dtype`` with the ``expected`` shape, or None."""
    if value is None:
        return None
    array = as_float_array(name, value, dtype)
    check_shape(name, array, expected)
    return array


def _check_cache(cache: object, dtype: np.dtype, steps: int, batch: int, m: int) -> LSTMCache:
    """``cache`` if it is the :class:`~lstm_utils.reference.LSTMCache` of a forward pass of these sizes."""
    if not isinstance(cache, LSTMCache):
        raise TypeError(
            f"cache must be an LSTMCache, got {type(cache).__name__}; take the one "
            "lstm_forward(x, weights, h0, c0, lengths=lengths, return_cache=True) returns."
        )
    step, state = (("time", steps), ("batch", batch)), (("time+1", steps + 1), ("batch", batch))
    expected = {"acts": (*step, ("4*hidden_size", 4 * m)), "hs": (*state, ("hidden_size", m)),
                "cs": (*state, ("hidden_size", m)), "tanh_cs": (*step, ("hidden_size", m))}
    for name, array in cache._asdict().items():
        check_shape(f"cache.{name}", array, expected[name])
        if array.dtype != dtype:
            raise TypeError(f"cache.{name} has dtype {array.dtype}, expected {dtype} (the dtype of the "
                            "forward pass of x and weights).")
    return cache


def lstm_backward(
    x: object,
    weights: LSTMWeights,
    d_outputs: object,
    h0: object = None,
    c0: object = None,
    *,
    d_h_n: object = None,
    d_c_n: object = None,
    lengths: object = None,
    cache: LSTMCache | None = None,
) -> tuple[LSTMWeights, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Backpropagation through time for one LSTM layer: the gradients of a loss L.

    The counterpart of :func:`lstm_utils.reference.lstm_forward` (same arguments, batch-first,
    gates in :data:`lstm_utils.gates.GATE_ORDER`). It reads the cache of the forward pass, which
    ``lstm_forward(..., return_cache=True)`` keeps for every step and sample: the four gate
    activations, c_t, tanh(c_t) and h_t (7 values per hidden unit, as
    :data:`lstm_utils.cost.ACTIVATIONS_PER_UNIT` counts), plus h_0 and c_0; and the input ``x``.
    Given no ``cache``, it runs that forward pass itself first. Then it runs the steps backwards
    (``_step_backward``, one equation per line) with one product ``dz_t @ U`` per step for
    ∂L/∂h_{t-1}; the gradients of W, U, b and x, which the recursion does not need, are summed
    over all steps after the loop, one matrix product each.

    Parameters
    ----------
    x : array of shape (batch, time, input_size)
    weights : LSTMWeights
    d_outputs : array of shape (batch, time, hidden_size), or None
        ∂L/∂outputs, the gradient of the loss with respect to ``h_t`` of every step as
        :func:`~lstm_utils.reference.lstm_forward` returns them. None means zero (a loss that reads
        only the final states).
    h0, c0 : arrays of shape (batch, hidden_size), optional
        Initial states; zeros if omitted (as in the forward pass).
    d_h_n, d_c_n : arrays of shape (batch, hidden_size), optional
        ∂L/∂h_n and ∂L/∂c_n, the gradients with respect to the final states; None means zero.
        ``d_h_n`` adds to ``d_outputs[:, -1]``: the last output and h_n are the same tensor.
    lengths : integer array of shape (batch,), optional
        For right-padded ``x``, as in :func:`~lstm_utils.reference.lstm_forward`: sequence b has
        ``lengths[b]`` valid steps. Its padded steps pass ∂L/∂h and ∂L/∂c on unchanged (the states
        stayed the same there), their outputs were constant zeros (``d_outputs`` there is ignored),
        and ``dx`` is zero there; ``d_h_n`` and ``d_c_n`` reach each sequence's own last step.
    cache : LSTMCache, optional
        What ``lstm_forward(x, weights, h0, c0, lengths=lengths, return_cache=True)`` returned as its
        third result, for the same arguments: the backward pass then runs no forward pass. None
        (default): it runs the forward pass itself.

    Any of the three upstream gradients may be None, and all three may be: the loss then does not
    depend on the layer and every gradient returned is zero.

    Returns
    -------
    dweights : LSTMWeights
        ``W``, ``U``, ``b`` hold ∂L/∂W (4, hidden_size, input_size), ∂L/∂U (4, hidden_size,
        hidden_size) and ∂L/∂b (4, hidden_size), gates in GATE_ORDER. As PyTorch adds its two bias
        vectors, ∂L/∂b is the gradient of each of them.
    dx : ndarray of shape (batch, time, input_size)
        ∂L/∂x.
    (dh0, dc0) : tuple of ndarrays of shape (batch, hidden_size)
        ∂L/∂h_0 and ∂L/∂c_0 (also when ``h0``/``c0`` were omitted: the gradient at the zeros).

    Everything is computed in NumPy's promotion of ``x``'s and the weights' dtypes, as in the
    forward pass; the upstream gradients are cast to it.

    Raises
    ------
    TypeError
        ``weights`` is not an :class:`LSTMWeights`, an array argument is not real numbers, or
        ``cache`` is not an :class:`~lstm_utils.reference.LSTMCache` of the forward pass's dtype.
    ValueError
        An array (or an array of ``cache``) has the wrong shape; the message names it and gives the
        expected and the given shape, e.g.
        ``d_outputs has shape (2, 5, 3), expected (batch=2, time=5, hidden_size=4).``

    Examples
    --------
    One step, one unit, all weights zero: i = f = o = 1/2, g = 0, so c_1 = c_0 / 2 and
    dL/dc_0 = f * dL/dc_1 = 1/2 for L = c_1.

    >>> w = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.zeros((4, 1)))
    >>> dw, dx, (dh0, dc0) = lstm_backward(np.ones((1, 1, 1)), w, None, c0=np.ones((1, 1)),
    ...                                    d_c_n=np.ones((1, 1)))
    >>> float(dc0[0, 0]), float(dw.b[1, 0])      # db_f = c_0 * f (1 - f) = 1/4
    (0.5, 0.25)

    The forward pass of a training step keeps its cache, and the backward pass takes it:

    >>> from lstm_utils.reference import lstm_forward
    >>> x, c0 = np.ones((1, 1, 1)), np.ones((1, 1))
    >>> out, (h_n, c_n), cache = lstm_forward(x, w, None, c0, return_cache=True)
    >>> dw, dx, (dh0, dc0) = lstm_backward(x, w, None, None, c0, d_c_n=np.ones((1, 1)), cache=cache)
    >>> float(dc0[0, 0])
    0.5
    """
    x, weights, h0, c0 = _prepare(x, weights, h0, c0)
    batch, steps, n = x.shape
    m = weights.hidden_size
    state_shape = (("batch", batch), ("hidden_size", m))
    d_outputs = _upstream(
        "d_outputs", d_outputs, x.dtype, (("batch", batch), ("time", steps), ("hidden_size", m))
    )
    d_h_n = _upstream("d_h_n", d_h_n, x.dtype, state_shape)
    d_c_n = _upstream("d_c_n", d_c_n, x.dtype, state_shape)
    lengths = check_lengths(lengths, batch, steps)
    if cache is None:                                                # no cache given: the forward pass here
        _, _, cache = _forward(x, weights, h0, c0, lengths, keep=True)
    acts, hs, cs, tanh_cs = _check_cache(cache, x.dtype, steps, batch, m)   # time-major, GATE_ORDER
    U = weights.U.astype(x.dtype, copy=False).reshape(4 * m, m)      # (4m, m), row blocks i, f, c, o
    dout = (np.zeros((steps, batch, m), dtype=x.dtype) if d_outputs is None
            else d_outputs.transpose(1, 0, 2))                       # (time, batch, m)
    dZ = np.empty((steps, batch, 4 * m), dtype=x.dtype)              # dL/dz_t of every step
    # dh_T, dc_T: what arrives from beyond the last step (zero if not given)
    dh = np.zeros((batch, m), dtype=x.dtype) if d_h_n is None else d_h_n.copy()
    dc = np.zeros((batch, m), dtype=x.dtype) if d_c_n is None else d_c_n.copy()
    for t in reversed(range(steps)):
        if lengths is not None:                                      # right-padded batches (notebook 19)
            dh, dc = _padded_step_backward(t < lengths, dh, dc, dout[t], acts[t], cs[t], tanh_cs[t], dZ[t], U)
            continue
        # dh_t = dout_t + dh_t (from step t+1)                            (batch, m)
        dh += dout[t]
        # dz_t and dc_{t-1}, one equation per line                        (batch, 4m), (batch, m)
        dc = _step_backward(dh, dc, acts[t], cs[t], tanh_cs[t], dZ[t])
        # dh_{t-1} = U^T dz_t, the four blocks in one product              (batch, m)
        dh = dZ[t] @ U

    # The weights are shared by all steps: their gradients are sums over the steps.
    dZ_flat = dZ.reshape(steps * batch, 4 * m)                       # (time*batch, 4m)
    x_flat = x.transpose(1, 0, 2).reshape(steps * batch, n)          # (time*batch, n), time-major
    h_prev = hs[:-1].reshape(steps * batch, m)                       # h_0 ... h_{T-1}, (time*batch, m)
    W = weights.W.astype(x.dtype, copy=False).reshape(4 * m, n)      # (4m, n)
    # dW = sum_t dz_t x_t^T                                           (4m, n)
    dW = dZ_flat.T @ x_flat
    # dU = sum_t dz_t h_{t-1}^T                                       (4m, m)
    dU = dZ_flat.T @ h_prev
    # db = sum_t dz_t                                                 (4m,)
    db = dZ_flat.sum(axis=0)
    # dx_t = W^T dz_t for every step                                  (time*batch, n) -> (batch, time, n)
    dx = (dZ_flat @ W).reshape(steps, batch, n).transpose(1, 0, 2)
    dweights = LSTMWeights(dW.reshape(4, m, n), dU.reshape(4, m, m), db.reshape(4, m))
    return dweights, np.ascontiguousarray(dx), (dh, dc)
