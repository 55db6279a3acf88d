"""How a gradient travels back through time: measured with autograd on PyTorch recurrent layers.

The measurements of notebook 16 ("Why gates"), each a small function:

* :func:`input_gradient_norms` -- ||dL/dx_t|| for every step t of every sequence, where L is the sum of
  the last step's output, ordered by the distance T - 1 - t from that last step;
  :func:`decay_curve` turns them into one curve relative to distance 0.
* :func:`rnn_jacobian_norms` -- for a simple tanh RNN, the spectral norm of the product of step
  Jacobians dh_T/dh_{T-d} = prod_k diag(tanh'(a_k)) U, next to the two upper bounds prod_k ||J_k|| and
  sigma_max(U)^d.
* :func:`set_forget_bias` and :func:`forget_gate_product` -- the forget-gate bias of a ``torch.nn.LSTM``
  and the product of the forget gates f_t over the last steps of a sequence, the factor that carries the
  gradient along the cell state alone.
* :data:`CLIPPING_SWITCHES` -- where PyTorch, Keras and MATLAB switch gradient clipping on.

torch is imported inside the functions: ``import lstm_utils`` loads neither torch nor NumPy's heavy
parts through this module.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_utils._validate import as_float_array, check_int, check_real
from lstm_utils.gates import gate_order

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

_LAYER_TYPES = ("RNN", "GRU", "LSTM")

#: Each framework's gradient-clipping switches: (framework, the switch, what it clips), the framework by
#: its registry name (``tests/test_registry.py`` checks that). They stay here, not in the records: they
#: are facts about training, not about the layer, and notebook 16 prints them in this order.
#: PyTorch and Keras names are checked against the installed frameworks by ``tests/test_gradients.py``;
#: MATLAB's come from MathWorks' documentation of ``trainingOptions``
#: (https://www.mathworks.com/help/deeplearning/ref/trainingoptions.html: GradientThreshold, default Inf,
#: no clipping; GradientThresholdMethod, default "l2norm"), which MATLAB cannot confirm here.
CLIPPING_SWITCHES = (
    ("pytorch", "torch.nn.utils.clip_grad_norm_(parameters, max_norm)",
     "the L2 norm of all gradients together"),
    ("pytorch", "torch.nn.utils.clip_grad_value_(parameters, clip_value)", "each gradient element"),
    ("keras", "optimizer argument clipnorm", "each variable's gradient, by its own L2 norm"),
    ("keras", "optimizer argument global_clipnorm", "the L2 norm of all gradients together"),
    ("keras", "optimizer argument clipvalue", "each gradient element"),
    ("matlab", 'trainingOptions GradientThreshold + GradientThresholdMethod "l2norm"',
     "each learnable parameter's gradient, by its own L2 norm"),
    ("matlab", 'trainingOptions GradientThreshold + GradientThresholdMethod "global-l2norm"',
     "the L2 norm of all gradients together"),
    ("matlab", 'trainingOptions GradientThreshold + GradientThresholdMethod "absolute-value"',
     "each gradient element"),
)


def _check_layer(module: object, kinds: tuple[str, ...] = _LAYER_TYPES) -> None:
    import torch

    allowed = tuple(getattr(torch.nn, k) for k in kinds)
    if not isinstance(module, allowed):
        names = ", ".join(f"torch.nn.{k}" for k in kinds)
        raise TypeError(f"module must be one of {names}, got {type(module).__name__}.")
    if module.num_layers != 1 or module.bidirectional:
        raise ValueError(
            f"module must have num_layers == 1 and bidirectional == False, got "
            f"num_layers == {module.num_layers}, bidirectional == {module.bidirectional}."
        )


def _check_input(module: Any, x: object) -> Any:
    import torch

    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}.")
    layout = "(batch, time, input_size)" if module.batch_first else "(time, batch, input_size)"
    if x.ndim != 3 or x.shape[2] != module.input_size:
        raise ValueError(
            f"x has shape {tuple(x.shape)}, expected {layout} with input_size == {module.input_size}."
        )
    return x if module.batch_first else x.transpose(0, 1)      # (batch, time, input_size)


def input_gradient_norms(module: Any, x: object) -> np.ndarray:
    """||dL/dx_t|| per sequence and step, ordered by distance from the last step; L = sum of h_T.

    The loss is the sum, over the batch and the units, of the layer's output at the last step. Each
    sequence's part of L depends on that sequence's inputs only, so row ``s`` holds that sequence's own
    gradient norms.

    Parameters
    ----------
    module : torch.nn.RNN, torch.nn.GRU or torch.nn.LSTM
        One layer, one direction; ``batch_first`` either way.
    x : torch.Tensor of shape (batch, time, input_size), or (time, batch, input_size) if not batch_first
        Same dtype as the module's weights.

    Returns
    -------
    ndarray of shape (batch, time), float64
        Column ``d`` is ||dL/dx_{T-1-d}||: column 0 is the last step, column T-1 the first.

    Raises
    ------
    TypeError
        ``module`` is not one of the three layers, or ``x`` not a tensor.
    ValueError
        A stacked or bidirectional module, or ``x`` of the wrong shape.

    Examples
    --------
    >>> import torch
    >>> rnn = torch.nn.RNN(1, 1, bias=False, batch_first=True)
    >>> with torch.no_grad():
    ...     _ = rnn.weight_ih_l0.fill_(1.0), rnn.weight_hh_l0.fill_(0.5)
    >>> input_gradient_norms(rnn, torch.zeros(1, 3, 1))     # tanh'(0) = 1: one factor 0.5 per step
    array([[1.  , 0.5 , 0.25]])
    """
    import torch

    _check_layer(module)
    xb = _check_input(module, x).detach().clone().requires_grad_(True)   # (batch, time, input_size)
    out, _ = module(xb if module.batch_first else xb.transpose(0, 1))
    out = out if module.batch_first else out.transpose(0, 1)             # (batch, time, hidden_size)
    # L = sum over the batch and the units of h_T
    loss = out[:, -1].sum()
    (grad,) = torch.autograd.grad(loss, xb)
    norms = torch.linalg.vector_norm(grad, dim=2)                        # (batch, time)
    return norms.flip(1).detach().to(torch.float64).numpy()              # column d = step T-1-d


def decay_curve(norms: object) -> np.ndarray:
    """The median over sequences of ||dL/dx_{T-1-d}|| / ||dL/dx_{T-1}||: 1 at distance 0.

    Parameters
    ----------
    norms : array of shape (batch, time)
        What :func:`input_gradient_norms` returns (column 0 must be positive).

    Returns
    -------
    ndarray of shape (time,)

    Raises
    ------
    ValueError
        ``norms`` is not two-dimensional, or a distance-0 norm is not positive.

    Examples
    --------
    >>> decay_curve([[2.0, 1.0, 0.5], [1.0, 0.1, 0.01], [4.0, 4.0, 4.0]])
    array([1.  , 0.5 , 0.25])
    """
    norms = np.asarray(norms, dtype=np.float64)
    if norms.ndim != 2:
        raise ValueError(f"norms must have shape (batch, time), got shape {norms.shape}.")
    if not np.all(norms[:, 0] > 0):
        raise ValueError("norms[:, 0] (the gradient at distance 0) must be positive for every sequence.")
    # ratio to the same sequence's distance-0 norm, then the median over sequences
    return np.median(norms / norms[:, :1], axis=0)


def rnn_jacobian_norms(module: Any, x: object, h0: object = None) -> dict[str, np.ndarray]:
    """The spectral norm of dh_T/dh_{T-d} for a tanh ``torch.nn.RNN``, with two upper bounds.

    One step is h_k = tanh(a_k), a_k = W x_k + U h_{k-1} + b, so its Jacobian is
    J_k = dh_k/dh_{k-1} = diag(tanh'(a_k)) U with tanh'(a_k) = 1 - h_k^2, and
    dh_T/dh_{T-d} = J_T J_{T-1} ... J_{T-d+1}. Because ||AB|| <= ||A|| ||B|| and 0 < tanh' <= 1:
    ||dh_T/dh_{T-d}|| <= prod_k ||J_k|| <= sigma_max(U)^d.

    Parameters
    ----------
    module : torch.nn.RNN
        One layer, one direction, ``nonlinearity="tanh"``.
    x : torch.Tensor of shape (time, input_size)
        One sequence.
    h0 : torch.Tensor of shape (hidden_size,), optional
        The initial state (zeros by default).

    Returns
    -------
    dict of str -> ndarray of shape (time + 1,)
        ``"measured"``: ||dh_T/dh_{T-d}||_2 for d = 0 ... time (d = 0: the identity, 1);
        ``"step_bound"``: prod of ||J_k||_2 over the same d steps; ``"sigma_bound"``: sigma_max(U)^d.

    Raises
    ------
    TypeError
        ``module`` is not a ``torch.nn.RNN`` or ``x`` not a tensor.
    ValueError
        ReLU nonlinearity, a stacked or bidirectional module, or ``x`` of the wrong shape.

    Examples
    --------
    >>> import torch
    >>> rnn = torch.nn.RNN(1, 1, bias=False)
    >>> with torch.no_grad():
    ...     _ = rnn.weight_ih_l0.fill_(0.0), rnn.weight_hh_l0.fill_(0.5)
    >>> rnn_jacobian_norms(rnn, torch.zeros(2, 1))["measured"]     # h stays 0: 0.5 per step
    array([1.  , 0.5 , 0.25])
    """
    import torch

    _check_layer(module, ("RNN",))
    if module.nonlinearity != "tanh":
        raise ValueError(f"module.nonlinearity == {module.nonlinearity!r}, must be 'tanh'.")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}.")
    if x.ndim != 2 or x.shape[1] != module.input_size:
        raise ValueError(f"x has shape {tuple(x.shape)}, expected (time, input_size) with "
                         f"input_size == {module.input_size}.")
    m = module.hidden_size
    h0 = torch.zeros(1, m, dtype=x.dtype) if h0 is None else h0.reshape(1, m)   # (layers, hidden)
    with torch.no_grad():
        h, _ = module(x, h0)                                  # (time, hidden_size): h_1 ... h_T
        U = module.weight_hh_l0
        sigma_max = torch.linalg.matrix_norm(U, ord=2).item()
        product = torch.eye(m, dtype=x.dtype)
        measured, step_bound = [1.0], [1.0]
        for k in range(x.shape[0] - 1, -1, -1):              # k = T, T-1, ... (0-based rows of h)
            # J_k = diag(tanh'(a_k)) U, tanh'(a_k) = 1 - h_k^2
            J_k = (1.0 - h[k] ** 2)[:, None] * U
            # dh_T/dh_{k-1} = (dh_T/dh_k) J_k
            product = product @ J_k
            measured.append(torch.linalg.matrix_norm(product, ord=2).item())
            step_bound.append(step_bound[-1] * torch.linalg.matrix_norm(J_k, ord=2).item())
    d = np.arange(x.shape[0] + 1)
    return {"measured": np.array(measured), "step_bound": np.array(step_bound),
            "sigma_bound": sigma_max ** d}


def set_forget_bias(module: Any, value: float) -> None:
    """Make a ``torch.nn.LSTM``'s forget-gate bias b_f = ``value`` for every unit, in place.

    PyTorch adds two bias vectors, ``bias_ih`` and ``bias_hh``; their forget blocks (found with
    :func:`lstm_utils.gate_order`) become ``value`` and 0, so the sum the gate sees is ``value``.

    Parameters
    ----------
    module : torch.nn.LSTM
        One layer, one direction, ``bias=True``.
    value : float

    Raises
    ------
    TypeError
        ``module`` is not a ``torch.nn.LSTM`` or ``value`` not a real number.
    ValueError
        ``bias=False``, a stacked or bidirectional module, or a ``value`` that is not finite.

    Examples
    --------
    >>> import torch
    >>> lstm = torch.nn.LSTM(3, 2)
    >>> set_forget_bias(lstm, 1.0)
    >>> (lstm.bias_ih_l0 + lstm.bias_hh_l0)[2:4].tolist()      # rows m ... 2m-1: the forget gate
    [1.0, 1.0]
    """
    import torch

    _check_layer(module, ("LSTM",))
    value = check_real("value", value)
    if not module.bias:
        raise ValueError("module has bias == False: there is no forget-gate bias to set.")
    m = module.hidden_size
    k = [g.role for g in gate_order("pytorch")].index("forget")
    rows = slice(k * m, (k + 1) * m)                          # the forget block of the 4m rows
    with torch.no_grad():
        module.bias_ih_l0[rows] = value
        module.bias_hh_l0[rows] = 0.0


def forget_gate_product(weights: object, x: object, steps: int) -> np.ndarray:
    """prod of f_t over the last ``steps`` steps, per sequence and unit: dc_T/dc_{T-steps} along c alone.

    The LSTM is run step by step with :func:`lstm_utils.lstm_step` from zero states; the forget gates of
    the last ``steps`` steps are multiplied, unit by unit.

    Parameters
    ----------
    weights : LSTMWeights
    x : array of shape (batch, time, input_size)
    steps : int
        1 ... time.

    Returns
    -------
    ndarray of shape (batch, hidden_size)

    Raises
    ------
    TypeError, ValueError
        ``weights`` not an ``LSTMWeights`` (the message says how to build one), ``steps`` not an int in
        1 ... time; shape errors from :func:`lstm_utils.lstm_step`.

    Examples
    --------
    >>> from lstm_utils.reference import LSTMWeights
    >>> w = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.zeros((4, 1)))
    >>> forget_gate_product(w, np.ones((1, 3, 1)), steps=2)      # f = sigmoid(0) = 0.5, twice
    array([[0.25]])
    """
    from lstm_utils.reference import check_weights, lstm_step

    weights = check_weights(weights)
    x = as_float_array("x", x)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, input_size), got shape {x.shape}.")
    steps = check_int("steps", steps)
    if steps > x.shape[1]:
        raise ValueError(f"steps == {steps}, must be <= time == {x.shape[1]}.")
    batch, time = x.shape[0], x.shape[1]
    m = weights.hidden_size
    h = np.zeros((batch, m), dtype=x.dtype)
    c = np.zeros((batch, m), dtype=x.dtype)
    product = np.ones((batch, m), dtype=np.float64)
    for t in range(time):
        h, c, gates = lstm_step(x[:, t], h, c, weights)
        if t >= time - steps:
            # dc_T/dc_{T-steps} along the cell path = prod_t f_t
            product *= gates["forget"]
    return product
