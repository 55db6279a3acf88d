"""Compute and memory of one LSTM layer: multiply-adds, element-wise operations, activation and weight bytes.

Sizes follow the package's vocabulary: ``input_size`` is n, ``hidden_size`` is m. Per time step and per
sample, one LSTM layer (gates in :data:`lstm_utils.gates.GATE_ORDER`) computes::

    z   = W x_t + U h_{t-1} + b          W: (4m, n), U: (4m, m)  ->  4m(n + m) multiply-adds
    i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_c)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

Definitions used throughout (the course's notebook on compute and memory explains them):

* a **multiply-add** (MAC) is one ``a * b + acc`` inside a matrix product; a FLOP count is usually
  ``2 * MACs``. Each weight of ``W`` and ``U`` is used once per step and sample, so the products cost
  ``4m(n + m)`` MACs: the number of weights without the biases.
* an **element-wise operation** is one scalar add, multiply or activation (sigmoid and tanh count as
  one each, although they cost more): :data:`ELEMENTWISE_PER_UNIT` lists them, 13 per hidden unit.
* **activation memory** is what a training step keeps from the forward pass for backpropagation:
  :data:`ACTIVATIONS_PER_UNIT` (the four gate activations, c_t, tanh(c_t) and h_t: 7 values per unit)
  plus the step's input x_t (n values); this is what PyTorch's generic (non-oneDNN) CPU path saves.
"""

from __future__ import annotations

import operator

from lstm_utils._validate import check_choice, check_int
from lstm_utils.counting import count_params

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = [
    "ACTIVATIONS_PER_UNIT",
    "BYTES_PER_VALUE",
    "ELEMENTWISE_PER_UNIT",
    "activation_bytes",
    "activation_values",
    "backward_macs",
    "elementwise_ops",
    "flops",
    "format_bytes",
    "matmul_macs",
    "padding_macs",
    "param_bytes",
]

#: Element-wise operations per hidden unit, per step and sample (sum: 13).
ELEMENTWISE_PER_UNIT = {
    "bias add (4 gates)": 4,
    "gate activations (3 sigmoid, 1 tanh)": 4,
    "cell update f*c + i*g": 3,
    "tanh(c_t)": 1,
    "h_t = o * tanh(c_t)": 1,
}

#: Values per hidden unit that a training step stores per step and sample for backpropagation (sum: 7).
ACTIVATIONS_PER_UNIT = {
    "gates i, f, g, o": 4,
    "cell state c_t": 1,
    "tanh(c_t)": 1,
    "hidden state h_t": 1,
}

#: Bytes per stored number for the floating types the course talks about.
BYTES_PER_VALUE = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2}


def _sizes(input_size: object, hidden_size: object, batch: object, steps: object) -> tuple[int, ...]:
    return (check_int("input_size", input_size), check_int("hidden_size", hidden_size),
            check_int("batch", batch), check_int("steps", steps))


def matmul_macs(input_size: int, hidden_size: int, *, batch: int = 1, steps: int = 1) -> int:
    """Multiply-adds of the matrix products of one LSTM layer: ``batch * steps * 4m(n + m)``.

    Parameters
    ----------
    input_size : int
        n, features per time step (>= 1).
    hidden_size : int
        m, hidden units (>= 1).
    batch, steps : int
        Samples and time steps (>= 1); the cost is linear in both.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        A size that is not an int >= 1; the message names the argument.

    Examples
    --------
    >>> matmul_macs(100, 256)              # one step, one sample: 4 * 256 * (100 + 256)
    364544
    >>> matmul_macs(5, 10, steps=13)       # the 13 x 5 -> 10 example: 600 per step
    7800
    """
    n, m, batch, steps = _sizes(input_size, hidden_size, batch, steps)
    return batch * steps * 4 * m * (n + m)


def elementwise_ops(hidden_size: int, *, batch: int = 1, steps: int = 1) -> int:
    """Element-wise operations of one LSTM layer: ``batch * steps * 13m`` (see :data:`ELEMENTWISE_PER_UNIT`).

    Examples
    --------
    >>> elementwise_ops(256)
    3328
    """
    m = check_int("hidden_size", hidden_size)
    batch = check_int("batch", batch)
    steps = check_int("steps", steps)
    return batch * steps * sum(ELEMENTWISE_PER_UNIT.values()) * m


def flops(input_size: int, hidden_size: int, *, batch: int = 1, steps: int = 1) -> int:
    """Floating-point operations: two per multiply-add plus the element-wise operations.

    Examples
    --------
    >>> flops(100, 256)                    # 2 * 364,544 + 3,328
    732416
    """
    return (2 * matmul_macs(input_size, hidden_size, batch=batch, steps=steps)
            + elementwise_ops(hidden_size, batch=batch, steps=steps))


def activation_values(input_size: int, hidden_size: int, *, batch: int = 1, steps: int = 1) -> int:
    """Numbers one LSTM layer keeps for backpropagation: ``batch * steps * (7m + n)``.

    Per step and sample: the four gate activations, c_t, tanh(c_t) and h_t (7 per hidden unit,
    :data:`ACTIVATIONS_PER_UNIT`) and the input x_t (n). The weights are not included (see
    :func:`param_bytes`); neither are optimizer states nor gradients.

    Examples
    --------
    >>> activation_values(100, 256, batch=32, steps=100)   # 3,200 step-samples * (7*256 + 100)
    6054400
    """
    n, m, batch, steps = _sizes(input_size, hidden_size, batch, steps)
    return batch * steps * (sum(ACTIVATIONS_PER_UNIT.values()) * m + n)


def _bytes_per_value(dtype: object) -> int:
    """Bytes of one value of ``dtype``: a name ("float16"), a NumPy dtype or type, or a torch dtype."""
    if isinstance(dtype, str):
        name = dtype
    elif hasattr(dtype, "itemsize") and hasattr(dtype, "is_floating_point"):   # torch.float16, ...
        name = str(dtype).removeprefix("torch.")
    else:
        name = getattr(dtype, "__name__", None) or getattr(dtype, "name", dtype)   # np.float32, np.dtype
    return BYTES_PER_VALUE[check_choice("dtype", name, BYTES_PER_VALUE)]


def activation_bytes(
    input_size: int, hidden_size: int, *, batch: int = 1, steps: int = 1, dtype: str = "float32"
) -> int:
    """Bytes of :func:`activation_values` stored as ``dtype`` (one of :data:`BYTES_PER_VALUE`).

    Examples
    --------
    >>> activation_bytes(100, 256, batch=32, steps=100)      # 6,054,400 values * 4 bytes
    24217600
    """
    values = activation_values(input_size, hidden_size, batch=batch, steps=steps)
    return values * _bytes_per_value(dtype)


def param_bytes(input_size: int, hidden_size: int, *, dtype: str = "float32", **layer: object) -> int:
    """Bytes of the parameters, :func:`lstm_utils.count_params` times the size of ``dtype``.

    ``layer`` passes on to :func:`lstm_utils.count_params` (``framework``, ``num_layers``, ...).

    Examples
    --------
    >>> param_bytes(100, 256)                       # 365,568 parameters * 4 bytes
    1462272
    >>> param_bytes(100, 256, dtype="float16", framework="pytorch")
    733184
    """
    size = _bytes_per_value(dtype)
    return count_params(input_size, hidden_size, **layer) * size


def format_bytes(n: int) -> str:
    """``n`` bytes in binary units with two decimals (KiB = 1024 bytes, MiB = 1024 KiB, ...).

    Examples
    --------
    >>> format_bytes(1462272)
    '1.39 MiB'
    >>> format_bytes(512)
    '512 B'
    """
    n = check_int("n", n, minimum=0)
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.2f} {unit}"


def backward_macs(
    input_size: int, hidden_size: int, *, batch: int = 1, steps: int = 1, input_grad: bool = True
) -> int:
    """Multiply-adds of the backward pass (BPTT) of one LSTM layer: twice :func:`matmul_macs`.

    Per step and sample, with dz_t the gradient of the four blocks' pre-activations z_{k,t}, stacked
    (4m values), backpropagation through time computes four products, each as large as a forward one:

    * dh_{t-1} = U^T dz_t: 4m * m (the recursion);
    * dU += dz_t h_{t-1}^T: 4m * m;
    * dW += dz_t x_t^T: 4m * n;
    * dx_t = W^T dz_t: 4m * n (skipped with ``input_grad=False``: a first layer's input needs no
      gradient, and autograd leaves out a product nothing needs; PyTorch's cuDNN backward computes dx
      all the same, notebook 17).

    That makes ``8m(n + m)``, twice the forward pass's ``4m(n + m)``; the bias gradient is a sum (adds,
    no multiplications). Given no cache, :func:`lstm_utils.lstm_backward` also runs the forward pass
    (:func:`lstm_utils.lstm_forward`), so it costs ``matmul_macs + backward_macs`` in all.

    Examples
    --------
    >>> backward_macs(100, 256)                          # 2 * 364,544
    729088
    >>> backward_macs(100, 256, input_grad=False)        # 4 * 256 * (100 + 2 * 256)
    626688
    """
    from lstm_utils._validate import check_bool

    n, m, batch, steps = _sizes(input_size, hidden_size, batch, steps)
    input_grad = check_bool("input_grad", input_grad)
    per_step = 4 * m * m + 4 * m * m + 4 * m * n + (4 * m * n if input_grad else 0)
    return batch * steps * per_step


def padding_macs(lengths: object, input_size: int, hidden_size: int, *, batch_size: int) -> int:
    """Multiply-adds spent on padded steps when sequences are batched in the order given.

    ``lengths`` is cut, in its order, into consecutive batches of ``batch_size`` (the last one may
    be smaller); each batch is padded to its longest sequence and an unmasked layer runs every step
    of it. A batch k with lengths L_1..L_B and longest L_max has ``B * L_max - sum(L)`` padded steps,
    each costing :func:`matmul_macs` ``= 4m(n + m)``. Sorting the lengths before batching
    (bucketing) lowers the count; masking does not (Keras and PyTorch's padded path still compute
    the padded steps; PyTorch's packed sequences skip them).

    Parameters
    ----------
    lengths : sequence of int
        Each sequence's number of steps (>= 1).
    input_size, hidden_size : int
        n and m of the layer.
    batch_size : int
        Sequences per batch (>= 1).

    Returns
    -------
    int

    Examples
    --------
    >>> padding_macs([5, 1, 4, 2], 5, 10, batch_size=2)   # (2*5 - 6) + (2*4 - 6) = 6 steps * 600
    3600
    >>> padding_macs([5, 4, 2, 1], 5, 10, batch_size=2)   # sorted: (10 - 9) + (4 - 3) = 2 steps
    1200
    """
    batch_size = check_int("batch_size", batch_size)
    per_step = matmul_macs(input_size, hidden_size)
    lengths = list(lengths)
    if not lengths:
        raise ValueError("lengths is empty, expected at least one sequence length >= 1.")
    for k, length in enumerate(lengths):                    # NumPy integers are accepted too
        if not isinstance(length, bool) and hasattr(type(length), "__index__"):
            length = operator.index(length)
        lengths[k] = check_int(f"lengths[{k}]", length)
    padded_steps = 0
    for start in range(0, len(lengths), batch_size):
        batch = lengths[start:start + batch_size]
        # padded steps of one batch = B * L_max - sum(L)
        padded_steps += len(batch) * max(batch) - sum(batch)
    return padded_steps * per_step
