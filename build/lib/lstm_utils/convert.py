"""Weight conversion between the neutral :class:`~lstm_utils.reference.LSTMWeights` and each framework.

One plain function per framework and direction. The neutral form stacks the gates along axis 0 in
the order of :data:`lstm_utils.gates.GATE_ORDER` (input, forget, candidate, output) and stores each
gate's matrix as it appears in the equation ``W_k x_t`` for a column vector x_t (the course's notation,
notebook 01): shape (hidden_size, input_size). The "gate order" column gives each framework's own
letters; the candidate's block is the package's ``W_c``, ``U_c``, ``b_c`` whatever the letter.

=========  ===========================================  ==============  ==========================
framework  input weights / recurrent weights / bias      gate order      transposed vs. neutral
=========  ===========================================  ==============  ==========================
Keras      kernel (n, 4m), recurrent_kernel (m, 4m),    i, f, c, o      yes (x @ kernel)
           bias (4m,)
PyTorch    weight_ih (4m, n), weight_hh (4m, m),        i, f, g, o      no; two bias vectors
           bias_ih (4m,), bias_hh (4m,)
MATLAB     InputWeights (4m, n), RecurrentWeights        i, f, g, o      no
           (4m, m), Bias (4m, 1)
ONNX       W [1, 4m, n], R [1, 4m, m], B [1, 8m]        i, o, f, c      no; B = [Wb, Rb]
=========  ===========================================  ==============  ==========================

Keras and PyTorch facts are checked by the tests against the installed frameworks. MATLAB cannot run
here: its layout comes from the documentation of ``lstmLayer``
(https://www.mathworks.com/help/deeplearning/ref/nnet.cnn.layer.lstmlayer.html: InputWeights,
RecurrentWeights and Bias each stack the four gate blocks vertically, in that page's own names
W = [W_i; W_f; W_g; W_o], where MATLAB's W_g (cell candidate) is this package's W_c; each block groups
all hidden units, as a MathWorks answer on that page's figure confirms:
https://www.mathworks.com/matlabcentral/answers/2005887). ONNX's layout comes from the LSTM operator's
documentation (https://onnx.ai/onnx/operators/onnx__LSTM.html): W ``[num_directions, 4*hidden_size,
input_size]`` holding W[iofc], R ``[num_directions, 4*hidden_size, hidden_size]``, B
``[num_directions, 8*hidden_size]`` the concatenation of Wb[iofc] and Rb[iofc]; ``tests/test_onnx_runtime.py``
runs models built by :func:`onnx_lstm_model` from these arrays in ONNX Runtime and compares them with
:func:`lstm_utils.reference.lstm_forward`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_utils._validate import as_float_array, check_bool, check_int, check_shape, format_shape
from lstm_utils.gates import GATE_ORDER, gate_order
from lstm_utils.reference import LSTMWeights, check_weights

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = [
    "from_keras",
    "from_matlab",
    "from_onnx",
    "from_torch",
    "load_into_keras",
    "load_into_torch",
    "onnx_lstm_model",
    "to_matlab",
    "to_onnx",
]

#: Position in the neutral GATE_ORDER of each block of ONNX's i, o, f, c order.
_ONNX_FROM_NEUTRAL = [GATE_ORDER.index(g.role) for g in gate_order("onnx")]
#: Position in ONNX's order of each neutral gate (the inverse permutation).
_NEUTRAL_FROM_ONNX = [_ONNX_FROM_NEUTRAL.index(k) for k in range(4)]


def _check_target(name: str, given: tuple[int, ...], expected: tuple[int, ...], weights: LSTMWeights,
                  where: str) -> None:
    """Raise if the framework's tensor ``name`` cannot take ``weights`` (wrong sizes)."""
    if tuple(given) != tuple(expected):
        raise ValueError(
            f"{name} of {where} has shape {format_shape(given)}, but weights with "
            f"input_size={weights.input_size}, hidden_size={weights.hidden_size} need "
            f"{format_shape(expected)}."
        )


# ---------------------------------------------------------------------------------------------
# Keras: kernel (n, 4m), recurrent_kernel (m, 4m), bias (4m,), gates i, f, c, o (= GATE_ORDER)
# ---------------------------------------------------------------------------------------------


def _check_keras_lstm(layer: object) -> Any:
    import keras

    if not isinstance(layer, keras.layers.LSTM):
        raise TypeError(f"layer must be a keras.layers.LSTM, got {type(layer).__name__}.")
    for attr, wanted in (("activation", "tanh"), ("recurrent_activation", "sigmoid")):
        fn = getattr(layer, attr)
        if getattr(fn, "__name__", None) != wanted:
            raise ValueError(
                f"layer.{attr} is {getattr(fn, '__name__', fn)!r}, but the neutral form assumes "
                f"{wanted!r} (Keras' default)."
            )
    return keras


def from_keras(layer: Any) -> LSTMWeights:
    """The neutral weights of a built ``keras.layers.LSTM``.

    Keras stores ``kernel`` (input_size, 4*hidden_size), ``recurrent_kernel`` (hidden_size,
    4*hidden_size) and ``bias`` (4*hidden_size,), with column blocks i, f, c, o (the neutral
    :data:`~lstm_utils.gates.GATE_ORDER`) and computes ``x_t @ kernel``, so each gate's block is
    transposed to give the neutral (hidden_size, input_size). A layer with ``use_bias=False`` gives a
    zero ``b``.

    Raises
    ------
    TypeError
        ``layer`` is not a ``keras.layers.LSTM``.
    ValueError
        The layer is not built yet, or uses another activation than tanh / sigmoid.

    Examples
    --------
    >>> import keras
    >>> layer = keras.layers.LSTM(2)
    >>> layer.build((None, None, 3))
    >>> from_keras(layer)
    LSTMWeights(input_size=3, hidden_size=2, dtype=float32, W: (4, 2, 3), U: (4, 2, 2), b: (4, 2))
    """
    _check_keras_lstm(layer)
    if not layer.built:
        raise ValueError(
            "layer is not built yet, so it has no weights: call it on an input or "
            "layer.build((None, None, input_size)) first."
        )
    values = layer.get_weights()
    kernel, recurrent = values[0], values[1]
    n, m4 = kernel.shape
    m = m4 // 4
    check_shape("kernel", kernel, (("input_size", n), ("4*hidden_size", 4 * m)))
    check_shape("recurrent_kernel", recurrent, (("hidden_size", m), ("4*hidden_size", 4 * m)))
    bias = values[2] if layer.use_bias else np.zeros(4 * m, dtype=kernel.dtype)
    check_shape("bias", bias, (("4*hidden_size", 4 * m),))
    W = kernel.reshape(n, 4, m).transpose(1, 2, 0)          # (n, 4, m) -> (4, m, n)
    U = recurrent.reshape(m, 4, m).transpose(1, 2, 0)       # (m, 4, m) -> (4, m, m)
    return LSTMWeights(W, U, bias.reshape(4, m))


def load_into_keras(weights: LSTMWeights, layer: Any) -> None:
    """Write neutral weights into a ``keras.layers.LSTM`` (built here if it is not built yet).

    The inverse of :func:`from_keras`: gate k's (hidden_size, input_size) block becomes columns
    ``k*m:(k+1)*m`` of ``kernel``, transposed. The layer's ``units`` must equal
    ``weights.hidden_size``; values are cast to the layer's dtype.

    Raises
    ------
    ValueError
        The layer's tensors have other sizes than ``weights`` (the message names the tensor and both
        shapes), or the layer has ``use_bias=False`` and ``weights.b`` is not zero.

    Examples
    --------
    >>> import keras
    >>> layer = keras.layers.LSTM(2)
    >>> w = LSTMWeights.random(3, 2)
    >>> load_into_keras(w, layer)
    >>> from_keras(layer) == w
    True
    """
    weights = check_weights(weights)
    _check_keras_lstm(layer)
    n, m = weights.input_size, weights.hidden_size
    if not layer.built:
        layer.build((None, None, n))
    current = layer.get_weights()
    kernel = weights.W.transpose(2, 0, 1).reshape(n, 4 * m)     # (4, m, n) -> (n, 4m)
    recurrent = weights.U.transpose(2, 0, 1).reshape(m, 4 * m)  # (4, m, m) -> (m, 4m)
    new = [kernel, recurrent]
    names = ["kernel", "recurrent_kernel"]
    if layer.use_bias:
        new.append(weights.b.reshape(4 * m))
        names.append("bias")
    elif np.any(weights.b):
        raise ValueError("layer has use_bias=False, but weights.b is not zero: the bias would be lost.")
    for name, old, value in zip(names, current, new, strict=True):
        _check_target(name, old.shape, value.shape, weights, "the Keras layer")
    layer.set_weights([v.astype(old.dtype) for old, v in zip(current, new, strict=True)])


# ---------------------------------------------------------------------------------------------
# PyTorch: weight_ih (4m, n), weight_hh (4m, m), bias_ih + bias_hh, gates i, f, g, o (= GATE_ORDER)
# ---------------------------------------------------------------------------------------------


def _torch_names(module: Any, layer: object, reverse: object) -> tuple[str, int, int]:
    """Validate module/layer/reverse; return the parameter-name suffix and the layer's (n, m)."""
    import torch

    if not isinstance(module, torch.nn.LSTM):
        raise TypeError(f"module must be a torch.nn.LSTM, got {type(module).__name__}.")
    if module.proj_size > 0:
        raise ValueError(
            f"module has proj_size={module.proj_size}, but LSTMWeights has no projection "
            "(h_t = W_hr (o_t * tanh(c_t))): only modules with proj_size=0 can be converted."
        )
    layer = check_int("layer", layer, minimum=0)
    if layer >= module.num_layers:
        raise ValueError(
            f"layer == {layer}, must be in 0..{module.num_layers - 1} "
            f"(the module has num_layers={module.num_layers})."
        )
    reverse = check_bool("reverse", reverse)
    if reverse and not module.bidirectional:
        raise ValueError(
            "reverse == True, but the module has bidirectional=False: only reverse=False exists."
        )
    directions = 2 if module.bidirectional else 1
    n = module.input_size if layer == 0 else module.hidden_size * directions
    return f"_l{layer}" + ("_reverse" if reverse else ""), n, module.hidden_size


def from_torch(module: Any, layer: int = 0, reverse: bool = False) -> LSTMWeights:
    """The neutral weights of one layer and direction of a ``torch.nn.LSTM``.

    PyTorch stores ``weight_ih_l{layer}`` (4*hidden_size, input) and ``weight_hh_l{layer}``
    (4*hidden_size, hidden_size) with row blocks i, f, g, o (the neutral
    :data:`~lstm_utils.gates.GATE_ORDER`), so each block is already the neutral (hidden_size, input)
    matrix; the suffix ``_reverse`` marks the backward direction. Its two bias vectors are added:
    ``b = bias_ih + bias_hh`` (zero if ``bias=False``).

    Parameters
    ----------
    module : torch.nn.LSTM
        With ``proj_size=0`` (the neutral form has no projection).
    layer : int
        0 for the first layer, up to ``num_layers - 1``; layers after the first take
        ``hidden_size * num_directions`` inputs.
    reverse : bool
        The backward direction of a bidirectional module.

    Raises
    ------
    TypeError
        ``module`` is not a ``torch.nn.LSTM``, ``layer`` not an int, ``reverse`` not a bool.
    ValueError
        ``proj_size > 0``, ``layer`` out of range, ``reverse=True`` on a one-directional module.

    Examples
    --------
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> from_torch(torch.nn.LSTM(3, 2, num_layers=2), layer=1)
    LSTMWeights(input_size=2, hidden_size=2, dtype=float32, W: (4, 2, 2), U: (4, 2, 2), b: (4, 2))
    """
    suffix, n, m = _torch_names(module, layer, reverse)
    params = dict(module.named_parameters())

    def get(name: str) -> np.ndarray:
        return params[name + suffix].detach().cpu().numpy().copy()

    w_ih, w_hh = get("weight_ih"), get("weight_hh")
    check_shape("weight_ih" + suffix, w_ih, (("4*hidden_size", 4 * m), ("input_size", n)))
    check_shape("weight_hh" + suffix, w_hh, (("4*hidden_size", 4 * m), ("hidden_size", m)))
    if module.bias:
        b = get("bias_ih") + get("bias_hh")                 # (4m,): the two bias vectors, added
    else:
        b = np.zeros(4 * m, dtype=w_ih.dtype)
    return LSTMWeights(w_ih.reshape(4, m, n), w_hh.reshape(4, m, m), b.reshape(4, m))


def load_into_torch(weights: LSTMWeights, module: Any, layer: int = 0, reverse: bool = False) -> None:
    """Write neutral weights into one layer and direction of a ``torch.nn.LSTM``, in place.

    The whole bias goes into ``bias_ih_l{layer}``, and ``bias_hh_l{layer}`` is set to zeros
    (PyTorch only ever uses their sum, so the module computes the same outputs). Values are cast to
    the module's dtype. The inverse of :func:`from_torch` up to that split of the bias.

    Raises
    ------
    ValueError
        The module's tensors for that layer have other sizes than ``weights`` (the message names the
        tensor and both shapes), the module has ``bias=False`` and ``weights.b`` is not zero, and
        the cases of :func:`from_torch`.

    Examples
    --------
    >>> import torch
    >>> module = torch.nn.LSTM(3, 2)
    >>> w = LSTMWeights.random(3, 2)
    >>> load_into_torch(w, module)
    >>> from_torch(module) == w, float(module.bias_hh_l0.detach().abs().sum())
    (True, 0.0)
    """
    import torch

    weights = check_weights(weights)
    suffix, _, _ = _torch_names(module, layer, reverse)
    params = dict(module.named_parameters())
    wn, wm = weights.input_size, weights.hidden_size
    new = {
        "weight_ih": weights.W.reshape(4 * wm, wn),                  # (4, m, n) -> (4m, n), rows i, f, g, o
        "weight_hh": weights.U.reshape(4 * wm, wm),                  # (4, m, m) -> (4m, m)
    }
    if module.bias:
        new["bias_ih"] = weights.b.reshape(4 * wm)                   # the whole bias
        new["bias_hh"] = np.zeros(4 * wm, dtype=weights.dtype)       # zeros: PyTorch adds the two
    elif np.any(weights.b):
        raise ValueError("module has bias=False, but weights.b is not zero: the bias would be lost.")
    where = f"the torch module (layer={layer}, reverse={reverse})"
    for name, value in new.items():
        _check_target(name + suffix, tuple(params[name + suffix].shape), value.shape, weights, where)
    with torch.no_grad():
        for name, value in new.items():
            p = params[name + suffix]
            # a writable copy: LSTMWeights arrays are read-only, and torch warns on a read-only array
            p.copy_(torch.from_numpy(np.array(value)).to(dtype=p.dtype, device=p.device))


# ---------------------------------------------------------------------------------------------
# MATLAB lstmLayer: InputWeights (4m, n), RecurrentWeights (4m, m), Bias (4m, 1), gates i, f, g, o
# ---------------------------------------------------------------------------------------------


def from_matlab(input_weights: object, recurrent_weights: object, bias: object) -> LSTMWeights:
    """Neutral weights from the arrays of a MATLAB ``lstmLayer``.

    MATLAB (documentation of ``lstmLayer``, not run here) stacks the gate blocks vertically in the
    order input gate, forget gate, cell candidate, output gate (the neutral
    :data:`~lstm_utils.gates.GATE_ORDER`) and multiplies ``InputWeights * x_t``, so no transpose is
    needed.

    Parameters
    ----------
    input_weights : array of shape (4*hidden_size, input_size)
        ``InputWeights``.
    recurrent_weights : array of shape (4*hidden_size, hidden_size)
        ``RecurrentWeights``.
    bias : array of shape (4*hidden_size, 1) or (4*hidden_size,)
        ``Bias`` (MATLAB stores a 4m-by-1 column).

    Examples
    --------
    >>> w = from_matlab(np.zeros((8, 3)), np.zeros((8, 2)), np.zeros((8, 1)))
    >>> w.input_size, w.hidden_size
    (3, 2)
    """
    iw = as_float_array("input_weights", input_weights)
    if iw.ndim != 2 or iw.shape[0] % 4 or iw.shape[0] == 0:
        raise ValueError(
            f"input_weights has shape {format_shape(iw.shape)}, expected (4*hidden_size, input_size)."
        )
    m4, n = iw.shape
    m = m4 // 4
    rw = as_float_array("recurrent_weights", recurrent_weights)
    check_shape("recurrent_weights", rw, (("4*hidden_size", m4), ("hidden_size", m)))
    b = as_float_array("bias", bias)
    if b.ndim == 1:
        check_shape("bias", b, (("4*hidden_size", m4),))
    else:
        check_shape("bias", b, (("4*hidden_size", m4), 1))
    return LSTMWeights(iw.reshape(4, m, n), rw.reshape(4, m, m), b.reshape(4, m))


def to_matlab(weights: LSTMWeights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(InputWeights, RecurrentWeights, Bias)`` of a MATLAB ``lstmLayer``, shapes (4m, n), (4m, m), (4m, 1).

    Gate blocks stacked vertically in the order i, f, g, o (MATLAB's documented order, the neutral
    :data:`~lstm_utils.gates.GATE_ORDER`).

    Examples
    --------
    >>> [a.shape for a in to_matlab(LSTMWeights.random(3, 2))]
    [(8, 3), (8, 2), (8, 1)]
    """
    weights = check_weights(weights)
    m, n = weights.hidden_size, weights.input_size
    return (weights.W.reshape(4 * m, n).copy(), weights.U.reshape(4 * m, m).copy(),
            weights.b.reshape(4 * m, 1).copy())


# ---------------------------------------------------------------------------------------------
# ONNX LSTM operator: W [1, 4m, n], R [1, 4m, m], B [1, 8m], gates i, o, f, c
# ---------------------------------------------------------------------------------------------


def to_onnx(weights: LSTMWeights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(W, R, B)`` inputs of the ONNX ``LSTM`` operator for one forward direction.

    Shapes: ``W`` [num_directions=1, 4*hidden_size, input_size], ``R`` [1, 4*hidden_size,
    hidden_size], ``B`` [1, 8*hidden_size], the gate blocks in ONNX's order i, o, f, c (see
    :func:`lstm_utils.gates.gate_order`). ``B`` is the concatenation ``[Wb, Rb]``: the whole bias
    goes into ``Wb`` and ``Rb`` is zero (ONNX adds them).

    Examples
    --------
    >>> W, R, B = to_onnx(LSTMWeights.random(3, 2))
    >>> W.shape, R.shape, B.shape
    ((1, 8, 3), (1, 8, 2), (1, 16))
    """
    weights = check_weights(weights)
    m, n = weights.hidden_size, weights.input_size
    order = _ONNX_FROM_NEUTRAL                                          # neutral index of i, o, f, c
    W = weights.W[order].reshape(1, 4 * m, n)
    R = weights.U[order].reshape(1, 4 * m, m)
    Wb = weights.b[order].reshape(4 * m)
    B = np.concatenate([Wb, np.zeros_like(Wb)]).reshape(1, 8 * m)
    return W, R, B


def from_onnx(W: object, R: object, B: object) -> LSTMWeights:
    """The neutral weights of one forward direction of an ONNX LSTM: the inverse of :func:`to_onnx`.

    Parameters
    ----------
    W : array of shape (1, 4*hidden_size, input_size)
        ONNX's input weights, gate blocks i, o, f, c.
    R : array of shape (1, 4*hidden_size, hidden_size)
        ONNX's recurrent weights, same blocks.
    B : array of shape (1, 8*hidden_size)
        ONNX's ``[Wb, Rb]``; the neutral bias is their sum ``b = Wb + Rb``.

    Raises
    ------
    TypeError, ValueError
        An array that is not real numbers, or a shape that is not the one above (named).

    Examples
    --------
    >>> w = LSTMWeights.random(3, 2)
    >>> from_onnx(*to_onnx(w)) == w
    True
    """
    W = as_float_array("W", W)
    if W.ndim != 3 or W.shape[0] != 1 or W.shape[1] % 4:
        raise ValueError(f"W has shape {format_shape(W.shape)}, expected (1, 4*hidden_size, input_size).")
    m, n = W.shape[1] // 4, W.shape[2]
    R = as_float_array("R", R)
    check_shape("R", R, (1, ("4*hidden_size", 4 * m), ("hidden_size", m)))
    B = as_float_array("B", B)
    check_shape("B", B, (1, ("8*hidden_size", 8 * m)))
    back = _NEUTRAL_FROM_ONNX
    b = (B[0, : 4 * m] + B[0, 4 * m :]).reshape(4, m)  # b = Wb + Rb, (4, m) in ONNX's order
    return LSTMWeights(W[0].reshape(4, m, n)[back], R[0].reshape(4, m, m)[back], b[back])


def onnx_lstm_model(W: object, R: object, B: object, *, direction: str = "forward",
                    initial_states: bool = False, opset: int = 14) -> Any:
    """A one-node ONNX model, an ``LSTM`` operator holding ``W``, ``R``, ``B`` (e.g. from :func:`to_onnx`).

    The graph takes ``X`` of shape [seq_length, batch, input_size] (the operator's default
    ``layout=0``: time first), plus ``initial_h`` and ``initial_c`` of shape [1, batch, hidden_size]
    if ``initial_states``; it returns ``Y`` [seq_length, 1, batch, hidden_size] (every step's h),
    ``Y_h`` and ``Y_c`` [1, batch, hidden_size] (the last states). The weights are stored in the
    model as float32 initializers: ONNX Runtime's CPU kernel runs float32 and ``layout=0`` only.
    With ``direction="reverse"`` the operator reads ``X`` from the last step to the first and writes
    each step's h at that step's position in ``Y``.

    Parameters
    ----------
    W : array of shape [1, 4*hidden_size, input_size]
    R : array of shape [1, 4*hidden_size, hidden_size]
    B : array of shape [1, 8*hidden_size]
        The operator's inputs, gate blocks in ONNX's order i, o, f, c; ``B = [Wb, Rb]``.
    direction : {"forward", "reverse"}
    initial_states : bool
        Whether the graph takes ``initial_h`` and ``initial_c`` (zeros otherwise).
    opset : int
        The ONNX opset, >= 14 (the LSTM operator's version 14 added ``layout``).

    Returns
    -------
    onnx.ModelProto
        Checked by ``onnx.checker``; run it with ``onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"])``.

    Raises
    ------
    ValueError
        A shape of ``W``, ``R`` or ``B`` (the message names it), an unknown ``direction``, ``opset < 14``.

    Examples
    --------
    Zero weights and a bias of 1 for every gate, two steps of zeros: the last cell state is
    s*(s*t) + s*t with s = sigmoid(1), t = tanh(1), as in :func:`lstm_utils.lstm_forward`'s example.

    >>> import onnxruntime
    >>> w = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.full((4, 1), 1.0))
    >>> model = onnx_lstm_model(*to_onnx(w))
    >>> session = onnxruntime.InferenceSession(model.SerializeToString(),
    ...                                        providers=["CPUExecutionProvider"])
    >>> Y, Y_h, Y_c = session.run(None, {"X": np.zeros((2, 1, 1), dtype=np.float32)})
    >>> Y.shape, round(float(Y_c[0, 0, 0]), 4)
    ((2, 1, 1, 1), 0.9638)
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from lstm_utils._validate import check_choice

    m, n = from_onnx(W, R, B).hidden_size, np.shape(W)[2]        # checks the three shapes
    direction = check_choice("direction", direction, ("forward", "reverse"))
    initial_states = check_bool("initial_states", initial_states)
    opset = check_int("opset", opset, minimum=14)
    weights = [numpy_helper.from_array(np.asarray(a, dtype=np.float32), name)
               for a, name in ((W, "W"), (R, "R"), (B, "B"))]

    def tensor(name: str, shape: list[object]) -> Any:
        return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)

    inputs = [tensor("X", ["seq_length", "batch", n])]
    node_inputs = ["X", "W", "R", "B"]
    if initial_states:
        inputs += [tensor("initial_h", [1, "batch", m]), tensor("initial_c", [1, "batch", m])]
        node_inputs += ["", "initial_h", "initial_c"]                 # "": no sequence_lens
    outputs = [tensor("Y", ["seq_length", 1, "batch", m]), tensor("Y_h", [1, "batch", m]),
               tensor("Y_c", [1, "batch", m])]
    node = helper.make_node("LSTM", node_inputs, ["Y", "Y_h", "Y_c"], hidden_size=m, direction=direction)
    graph = helper.make_graph([node], "lstm", inputs, outputs, initializer=weights)
    opsets = [helper.make_opsetid("", opset)]
    model = helper.make_model(graph, opset_imports=opsets, ir_version=helper.find_min_ir_version_for(opsets),
                              producer_name="lstm_utils")
    onnx.checker.check_model(model, full_check=True)
    return model
