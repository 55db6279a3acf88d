"""Weight conversion: exact round trips, layouts checked against the installed frameworks, bad input."""

import keras
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from lstm_utils import gate_order
from lstm_utils.convert import (
    from_keras,
    from_matlab,
    from_onnx,
    from_torch,
    load_into_keras,
    load_into_torch,
    to_matlab,
    to_onnx,
)
from lstm_utils.reference import LSTMWeights

sizes = st.integers(min_value=1, max_value=32)
seeds = st.integers(min_value=0, max_value=2**16)


def keras_layer(n, m, seed, **kw):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.LSTM(m, bias_initializer="glorot_uniform", **kw)   # non-zero biases
    layer.build((None, None, n))
    return layer


# ---------------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------------


@given(n=sizes, m=sizes, seed=seeds)
def test_keras_round_trip_is_exact(n, m, seed):
    layer = keras_layer(n, m, seed)
    w = from_keras(layer)
    assert (w.input_size, w.hidden_size, w.dtype) == (n, m, np.float32)
    other = keras.layers.LSTM(m)
    load_into_keras(w, other)
    for a, b in zip(layer.get_weights(), other.get_weights(), strict=True):
        assert np.array_equal(a, b)
    assert from_keras(other) == w


@given(n=sizes, m=sizes, seed=seeds)
def test_torch_round_trip_is_exact(n, m, seed):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(n, m)
    w = from_torch(module)
    other = torch.nn.LSTM(n, m)
    load_into_torch(w, other)
    assert from_torch(other) == w
    for name in ("weight_ih_l0", "weight_hh_l0"):
        assert torch.equal(getattr(module, name), getattr(other, name))
    # the bias moves entirely into bias_ih, and PyTorch only uses the sum
    assert torch.equal(other.bias_ih_l0, module.bias_ih_l0 + module.bias_hh_l0)
    assert not other.bias_hh_l0.any()


@given(n=sizes, m=sizes, seed=seeds, dtype=st.sampled_from([np.float32, np.float64]))
def test_matlab_and_onnx_round_trips_are_exact(n, m, seed, dtype):
    w = LSTMWeights.random(n, m, seed=seed, dtype=dtype)
    iw, rw, b = to_matlab(w)
    assert (iw.shape, rw.shape, b.shape) == ((4 * m, n), (4 * m, m), (4 * m, 1))
    assert from_matlab(iw, rw, b) == w
    assert from_matlab(iw, rw, b[:, 0]) == w
    W, R, B = to_onnx(w)
    assert (W.shape, R.shape, B.shape) == ((1, 4 * m, n), (1, 4 * m, m), (1, 8 * m))
    assert W.dtype == R.dtype == B.dtype == dtype
    assert from_onnx(W, R, B) == w


def test_keras_to_torch_through_neutral_gives_same_outputs():
    layer = keras_layer(3, 4, seed=5, return_sequences=True)
    module = torch.nn.LSTM(3, 4, batch_first=True)
    load_into_torch(from_keras(layer), module)
    x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype(np.float32)
    with torch.no_grad():
        out_torch = module(torch.from_numpy(x))[0].numpy()
    assert np.max(np.abs(np.asarray(layer(x)) - out_torch)) <= 1e-5


# ---------------------------------------------------------------------------------------------
# Layouts: each gate's block is where the framework keeps it
# ---------------------------------------------------------------------------------------------


def test_keras_layout_blocks_are_transposed_gate_columns():
    layer = keras_layer(3, 2, seed=1)
    kernel, recurrent, bias = layer.get_weights()
    w = from_keras(layer)
    for k, gate in enumerate(gate_order("keras")):
        W_k, U_k, b_k = w.gate(gate.role)
        assert np.array_equal(W_k, kernel[:, 2 * k : 2 * k + 2].T)
        assert np.array_equal(U_k, recurrent[:, 2 * k : 2 * k + 2].T)
        assert np.array_equal(b_k, bias[2 * k : 2 * k + 2])


def test_keras_forget_gate_block_is_the_one_with_unit_forget_bias():
    layer = keras.layers.LSTM(3)           # unit_forget_bias=True: 1 in the forget block, 0 elsewhere
    layer.build((None, None, 2))
    b = from_keras(layer).b
    assert np.array_equal(b, np.array([[0] * 3, [1] * 3, [0] * 3, [0] * 3], dtype=np.float32))


def test_onnx_order_is_i_o_f_c():
    w = LSTMWeights(np.arange(4, dtype=np.float64).reshape(4, 1, 1), np.zeros((4, 1, 1)),
                    np.arange(4, dtype=np.float64).reshape(4, 1))
    W, R, B = to_onnx(w)           # neutral gate k holds the number k: 0 i, 1 f, 2 c, 3 o
    assert W[0, :, 0].tolist() == [0, 3, 1, 2]
    assert B[0].tolist() == [0, 3, 1, 2, 0, 0, 0, 0]


def test_keras_use_bias_false():
    layer = keras.layers.LSTM(2, use_bias=False)
    layer.build((None, None, 3))
    w = from_keras(layer)
    assert not w.b.any()
    load_into_keras(w, layer)
    with pytest.raises(ValueError, match="use_bias=False, but weights.b is not zero"):
        load_into_keras(LSTMWeights.random(3, 2), layer)


def test_torch_bias_false_and_float64():
    module = torch.nn.LSTM(3, 2, bias=False).double()
    w = from_torch(module)
    assert w.dtype == np.float64 and not w.b.any()
    load_into_torch(w, module)
    with pytest.raises(ValueError, match="bias=False, but weights.b is not zero"):
        load_into_torch(LSTMWeights.random(3, 2), module)


@given(n=st.integers(1, 8), m=st.integers(1, 8), layers=st.integers(1, 3), bidirectional=st.booleans(),
       seed=seeds)
def test_torch_layer_and_reverse_pick_their_tensors(n, m, layers, bidirectional, seed):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(n, m, num_layers=layers, bidirectional=bidirectional)
    params = dict(module.named_parameters())
    for layer in range(layers):
        for reverse in ([False, True] if bidirectional else [False]):
            suffix = f"_l{layer}" + ("_reverse" if reverse else "")
            w = from_torch(module, layer=layer, reverse=reverse)
            assert np.array_equal(w.W.reshape(4 * m, -1), params["weight_ih" + suffix].detach().numpy())
            assert np.array_equal(w.U.reshape(4 * m, m), params["weight_hh" + suffix].detach().numpy())
            b = (params["bias_ih" + suffix] + params["bias_hh" + suffix]).detach().numpy()
            assert np.array_equal(w.b.reshape(4 * m), b)
            # write it into a fresh module at the same place and read it back
            fresh = torch.nn.LSTM(n, m, num_layers=layers, bidirectional=bidirectional)
            load_into_torch(w, fresh, layer=layer, reverse=reverse)
            assert from_torch(fresh, layer=layer, reverse=reverse) == w


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_from_torch_bad_input():
    with pytest.raises(ValueError, match="proj_size=2, but LSTMWeights has no projection"):
        from_torch(torch.nn.LSTM(3, 4, proj_size=2))
    module = torch.nn.LSTM(3, 4, num_layers=2)
    with pytest.raises(ValueError, match=r"layer == 2, must be in 0\.\.1 \(the module has num_layers=2\)"):
        from_torch(module, layer=2)
    with pytest.raises(ValueError, match="layer == -1, must be an int >= 0"):
        from_torch(module, layer=-1)
    with pytest.raises(ValueError, match="reverse == True, but the module has bidirectional=False"):
        from_torch(module, reverse=True)
    with pytest.raises(TypeError, match="reverse must be True or False, got 1"):
        from_torch(module, reverse=1)
    with pytest.raises(TypeError, match="module must be a torch.nn.LSTM, got GRU"):
        from_torch(torch.nn.GRU(3, 4))


def test_load_into_torch_bad_input():
    module = torch.nn.LSTM(3, 4, num_layers=2)
    expected = (r"weight_ih_l0 of the torch module \(layer=0, reverse=False\) has shape \(16, 3\), "
                r"but weights with input_size=5, hidden_size=4 need \(16, 5\)")
    with pytest.raises(ValueError, match=expected):
        load_into_torch(LSTMWeights.random(5, 4), module)
    with pytest.raises(ValueError, match=r"weight_ih_l1 .* has shape \(16, 4\), .* need \(16, 3\)"):
        load_into_torch(LSTMWeights.random(3, 4), module, layer=1)
    with pytest.raises(ValueError, match=r"weight_ih_l0 .* \(16, 3\), .*hidden_size=2 need \(8, 3\)"):
        load_into_torch(LSTMWeights.random(3, 2), module)
    with pytest.raises(ValueError, match="proj_size=1"):
        load_into_torch(LSTMWeights.random(3, 4), torch.nn.LSTM(3, 4, proj_size=1))
    with pytest.raises(TypeError, match="weights must be an LSTMWeights, got dict"):
        load_into_torch({}, module)


def test_keras_bad_input():
    with pytest.raises(ValueError, match="layer is not built yet"):
        from_keras(keras.layers.LSTM(2))
    with pytest.raises(TypeError, match="layer must be a keras.layers.LSTM, got GRU"):
        from_keras(keras.layers.GRU(2))
    with pytest.raises(ValueError, match="layer.activation is 'relu', but the neutral form assumes 'tanh'"):
        from_keras(keras.layers.LSTM(2, activation="relu"))
    with pytest.raises(ValueError, match="layer.recurrent_activation is 'hard_sigmoid'"):
        load_into_keras(LSTMWeights.random(3, 2), keras.layers.LSTM(2, recurrent_activation="hard_sigmoid"))
    layer = keras_layer(3, 2, seed=0)
    with pytest.raises(ValueError, match=r"kernel of the Keras layer has shape \(3, 8\), but weights with "
                                         r"input_size=4, hidden_size=2 need \(4, 8\)"):
        load_into_keras(LSTMWeights.random(4, 2), layer)
    with pytest.raises(ValueError, match=r"kernel of the Keras layer has shape \(3, 8\), .* need \(3, 12\)"):
        load_into_keras(LSTMWeights.random(3, 3), layer)


def test_matlab_and_onnx_bad_input():
    iw, rw, b = np.zeros((8, 3)), np.zeros((8, 2)), np.zeros((8, 1))
    expected = r"input_weights has shape \(7, 3\), expected \(4\*hidden_size, input_size\)"
    with pytest.raises(ValueError, match=expected):
        from_matlab(np.zeros((7, 3)), rw, b)
    with pytest.raises(ValueError, match=r"recurrent_weights has shape \(8, 3\), expected "
                                         r"\(4\*hidden_size=8, hidden_size=2\)"):
        from_matlab(iw, np.zeros((8, 3)), b)
    with pytest.raises(ValueError, match=r"bias has shape \(1, 8\), expected \(4\*hidden_size=8, 1\)"):
        from_matlab(iw, rw, np.zeros((1, 8)))
    with pytest.raises(ValueError, match=r"bias has shape \(4,\), expected \(4\*hidden_size=8,\)"):
        from_matlab(iw, rw, np.zeros(4))
    with pytest.raises(TypeError, match="weights must be an LSTMWeights, got tuple"):
        to_matlab((iw, rw, b))
    with pytest.raises(TypeError, match="weights must be an LSTMWeights, got list"):
        to_onnx([])
    W, R, B = to_onnx(LSTMWeights.random(3, 2))
    with pytest.raises(ValueError, match=r"B has shape \(1, 8\), expected \(1, 8\*hidden_size=16\)"):
        from_onnx(W, R, B[:, :8])
