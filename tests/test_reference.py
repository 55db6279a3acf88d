"""The NumPy LSTM, GRU and simple-RNN steps against Keras and PyTorch with the same weights."""

import inspect

import keras
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from lstm_utils import GATE_ORDER, reference
from lstm_utils.convert import from_torch, load_into_keras, load_into_torch
from lstm_utils.reference import (
    LSTMWeights,
    gru_step,
    lstm_forward,
    lstm_forward_per_gate,
    lstm_step,
    rnn_step,
)

TOL = 1e-5  # max abs difference allowed between NumPy and a framework, float32
sizes = st.integers(min_value=1, max_value=32)
batches = st.integers(min_value=1, max_value=8)
steps = st.integers(min_value=1, max_value=12)
seeds = st.integers(min_value=0, max_value=2**16)


def data(shape, seed, dtype=np.float32):
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


def maxdiff(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def keras_run(weights, x, h0, c0):
    layer = keras.layers.LSTM(weights.hidden_size, return_sequences=True, return_state=True)
    load_into_keras(weights, layer)
    out, h, c = layer(x, initial_state=[h0, c0])
    return np.asarray(out), np.asarray(h), np.asarray(c)


def torch_run(weights, x, h0, c0):
    module = torch.nn.LSTM(weights.input_size, weights.hidden_size, batch_first=True)
    load_into_torch(weights, module)
    with torch.no_grad():
        out, (h, c) = module(torch.from_numpy(x), (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None]))
    return out.numpy(), h[0].numpy(), c[0].numpy()


# ---------------------------------------------------------------------------------------------
# Three implementations, one answer
# ---------------------------------------------------------------------------------------------


@given(n=sizes, m=sizes, batch=batches, time=steps, seed=seeds)
def test_numpy_keras_torch_agree(n, m, batch, time, seed):
    w = LSTMWeights.random(n, m, seed=seed)
    x = data((batch, time, n), seed + 1)
    h0, c0 = data((batch, m), seed + 2), data((batch, m), seed + 3)
    out, (h, c) = lstm_forward(x, w, h0, c0)
    assert out.dtype == h.dtype == c.dtype == np.float32
    assert out.shape == (batch, time, m) and h.shape == c.shape == (batch, m)
    for name, (f_out, f_h, f_c) in (("keras", keras_run(w, x, h0, c0)), ("torch", torch_run(w, x, h0, c0))):
        assert maxdiff(out, f_out) <= TOL, name
        assert maxdiff(h, f_h) <= TOL, name
        assert maxdiff(c, f_c) <= TOL, name


@given(n=sizes, m=sizes, batch=batches, time=steps, seed=seeds)
def test_per_gate_and_fast_agree(n, m, batch, time, seed):
    w = LSTMWeights.random(n, m, seed=seed)
    x = data((batch, time, n), seed + 1)
    h0, c0 = data((batch, m), seed + 2), data((batch, m), seed + 3)
    out, (h, c) = lstm_forward(x, w, h0, c0)
    out2, (h2, c2) = lstm_forward_per_gate(x, w, h0, c0)
    assert out2.dtype == np.float32
    assert maxdiff(out, out2) <= 1e-6 and maxdiff(h, h2) <= 1e-6 and maxdiff(c, c2) <= 1e-6


@given(n=sizes, m=sizes, batch=batches, time=steps, seed=seeds)
def test_float64_path_matches_torch_double(n, m, batch, time, seed):
    w = LSTMWeights.random(n, m, seed=seed, dtype=np.float64)
    x = data((batch, time, n), seed + 1, np.float64)
    module = torch.nn.LSTM(n, m, batch_first=True).double()
    load_into_torch(w, module)
    with torch.no_grad():
        ref, (h_ref, c_ref) = module(torch.from_numpy(x))
    for forward in (lstm_forward, lstm_forward_per_gate):
        out, (h, c) = forward(x, w)
        assert out.dtype == h.dtype == c.dtype == np.float64
        assert maxdiff(out, ref.numpy()) <= 1e-12
        assert maxdiff(c, c_ref[0].numpy()) <= 1e-12


def test_float32_weights_with_float64_input_promote():
    w = LSTMWeights.random(3, 2)
    out, (h, c) = lstm_forward(np.ones((1, 2, 3)), w)   # float64 x
    assert out.dtype == h.dtype == c.dtype == np.float64


def test_last_output_is_h_n_and_zero_states_by_default():
    w = LSTMWeights.random(4, 5, seed=7)
    x = data((3, 6, 4), 0)
    out, (h, c) = lstm_forward(x, w)
    assert np.array_equal(out[:, -1], h)
    zeros = np.zeros((3, 5), np.float32)
    out0, (h0, c0) = lstm_forward(x, w, zeros, zeros)
    assert np.array_equal(out, out0) and np.array_equal(c, c0)


def test_forward_does_not_modify_its_inputs():
    w = LSTMWeights.random(4, 5, seed=7)
    x, h0, c0 = data((3, 6, 4), 0), data((3, 5), 1), data((3, 5), 2)
    copies = [a.copy() for a in (x, h0, c0, w.W, w.U, w.b)]
    lstm_forward(x, w, h0, c0)
    lstm_forward_per_gate(x, w, h0, c0)
    assert all(np.array_equal(a, b) for a, b in zip(copies, (x, h0, c0, w.W, w.U, w.b), strict=True))


def test_zero_length_sequence_returns_initial_states():
    w = LSTMWeights.random(2, 3)
    h0, c0 = data((4, 3), 0), data((4, 3), 1)
    for forward in (lstm_forward, lstm_forward_per_gate):
        out, (h, c) = forward(np.zeros((4, 0, 2), np.float32), w, h0, c0)
        assert out.shape == (4, 0, 3)
        assert np.array_equal(h, h0) and np.array_equal(c, c0)


# ---------------------------------------------------------------------------------------------
# One step, for teaching
# ---------------------------------------------------------------------------------------------


@given(n=sizes, m=sizes, batch=batches, seed=seeds)
def test_lstm_step_gates_and_ranges(n, m, batch, seed):
    # float64: the open intervals hold (float32 rounds sigmoid(z) to 1.0 already for z > 17)
    w = LSTMWeights.random(n, m, seed=seed, dtype=np.float64)
    x = data((batch, 1, n), seed + 1, np.float64)
    h0, c0 = data((batch, m), seed + 2, np.float64), data((batch, m), seed + 3, np.float64)
    h, c, gates = lstm_step(x[:, 0], h0, c0, w)
    assert list(gates) == list(GATE_ORDER)
    for name in ("input", "forget", "output"):
        assert np.all((gates[name] > 0) & (gates[name] < 1)), name
    assert np.all(np.abs(gates["candidate"]) < 1)
    assert np.all(np.abs(h) < 1)
    assert all(g.dtype == np.float64 for g in gates.values())
    # the step is the forward pass of a one-step sequence, and obeys its own equations
    out, (h1, c1) = lstm_forward(x, w, h0, c0)
    assert maxdiff(h, h1) <= 1e-6 and maxdiff(c, c1) <= 1e-6
    assert maxdiff(c, gates["forget"] * c0 + gates["input"] * gates["candidate"]) <= 1e-6
    assert maxdiff(h, gates["output"] * np.tanh(c)) <= 1e-6


def test_lstm_step_unbatched_vectors():
    w = LSTMWeights.random(3, 4, seed=1)
    x, h0, c0 = data((3,), 0), data((4,), 1), data((4,), 2)
    h, c, gates = lstm_step(x, h0, c0, w)
    hb, cb, _ = lstm_step(x[None], h0[None], c0[None], w)
    assert h.shape == c.shape == gates["forget"].shape == (4,)
    assert np.array_equal(h, hb[0]) and np.array_equal(c, cb[0])


def test_lstm_step_matches_torch_cell():
    w = LSTMWeights.random(3, 4, seed=2)
    cell = torch.nn.LSTMCell(3, 4)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(w.W.reshape(16, 3)))
        cell.weight_hh.copy_(torch.tensor(w.U.reshape(16, 4)))
        cell.bias_ih.copy_(torch.tensor(w.b.reshape(16)))
        cell.bias_hh.zero_()
        x, h0, c0 = data((2, 3), 0), data((2, 4), 1), data((2, 4), 2)
        h_ref, c_ref = cell(torch.from_numpy(x), (torch.from_numpy(h0), torch.from_numpy(c0)))
    h, c, _ = lstm_step(x, h0, c0, w)
    assert maxdiff(h, h_ref.numpy()) <= TOL and maxdiff(c, c_ref.numpy()) <= TOL


def test_the_equations_are_written_once_and_the_per_gate_forward_loops_over_them():
    step = inspect.getsource(reference._step)
    for line in ("i = sigmoid(", "f = sigmoid(", "g = np.tanh(", "o = sigmoid(",
                 "c = f * c_prev + i * g", "h = o * np.tanh(c)"):
        assert step.count(line) == 1, line
    for caller in (lstm_forward_per_gate, lstm_step):
        source = inspect.getsource(caller)
        assert "_step(" in source and "sigmoid(x_t" not in source, caller.__name__


# ---------------------------------------------------------------------------------------------
# LSTMWeights
# ---------------------------------------------------------------------------------------------


def test_weights_named_access_and_count():
    w = LSTMWeights.random(5, 10, seed=3)
    assert w.count() == 640 == w.W.size + w.U.size + w.b.size
    assert (w.input_size, w.hidden_size, w.dtype) == (5, 10, np.float32)
    for k, name in enumerate(GATE_ORDER):
        W_k, U_k, b_k = w.gate(name)
        assert np.array_equal(W_k, w.W[k]) and np.array_equal(U_k, w.U[k]) and np.array_equal(b_k, w.b[k])
    assert np.array_equal(w.W_f, w.W[1]) and np.array_equal(w.U_c, w.U[2]) and np.array_equal(w.b_o, w.b[3])
    assert set(w.gates()) == set(GATE_ORDER)
    with pytest.raises(ValueError, match="read-only"):
        w.W_f[0, 0] = 1.0
    with pytest.raises(AttributeError, match="immutable"):
        w.W = w.U


def test_weights_arrays_are_read_only():
    w = LSTMWeights.random(3, 2, seed=0)
    for name in ("W", "U", "b"):
        array = getattr(w, name)
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[(0,) * array.ndim] = 99.0
        with pytest.raises(ValueError, match="read-only"):
            array += 1.0
    for view in (*w.gate("input"), w.W.reshape(-1), w.U.T):           # views of them too
        with pytest.raises(ValueError, match="read-only"):
            view[...] = 0.0
    assert w == LSTMWeights.random(3, 2, seed=0)                        # nothing changed
    copy = LSTMWeights(w.W, w.U, w.b)                                   # read-only input is fine
    assert copy == w and not np.shares_memory(copy.W, w.W)


def test_weights_copy_their_arrays():
    W, U, b = np.ones((4, 2, 3), np.float32), np.ones((4, 2, 2), np.float32), np.ones((4, 2), np.float32)
    w = LSTMWeights(W, U, b)
    W[0, 0, 0] = 5.0
    assert w.W[0, 0, 0] == 1.0 and w.W.flags.c_contiguous
    assert LSTMWeights(W.astype(np.float64), U, b).dtype == np.float64   # promotion of the three


def test_weights_equality_repr_and_dtype():
    a, b = LSTMWeights.random(3, 2, seed=1), LSTMWeights.random(3, 2, seed=1)
    assert a == b and a != LSTMWeights.random(3, 2, seed=2)
    assert a != a.astype(np.float64)
    assert LSTMWeights.random(3, 2, dtype=np.float64).dtype == np.float64
    assert repr(a) == (
        "LSTMWeights(input_size=3, hidden_size=2, dtype=float32, W: (4, 2, 3), U: (4, 2, 2), b: (4, 2))"
    )
    assert a != "weights"


@given(n=sizes, m=sizes)
def test_count_agrees_with_keras(n, m):
    layer = keras.layers.LSTM(m)
    layer.build((None, None, n))
    assert LSTMWeights.random(n, m).count() == layer.count_params()


def test_weights_bad_shapes():
    W, U, b = np.zeros((4, 2, 3)), np.zeros((4, 2, 2)), np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"W has shape \(8, 3\), expected \(4, hidden_size, input_size\)"):
        LSTMWeights(np.zeros((8, 3)), U, b)
    expected = r"U has shape \(4, 3, 3\), expected \(4, hidden_size=2, hidden_size=2\)"
    with pytest.raises(ValueError, match=expected):
        LSTMWeights(W, np.zeros((4, 3, 3)), b)
    with pytest.raises(ValueError, match=r"b has shape \(4, 3\), expected \(4, hidden_size=2\)"):
        LSTMWeights(W, U, np.zeros((4, 3)))
    with pytest.raises(TypeError, match="W must be array-like, got Tensor: .*detach"):
        LSTMWeights(torch.zeros(4, 2, 3, requires_grad=True), U, b)
    with pytest.raises(TypeError, match="b must hold real numbers"):
        LSTMWeights(W, U, np.full((4, 2), "a"))
    with pytest.raises(ValueError, match="dtype == 'int32', must be float32 or float64"):
        LSTMWeights.random(3, 2, dtype=np.int32)
    with pytest.raises(ValueError, match="hidden_size == 0"):
        LSTMWeights.random(3, 0)
    with pytest.raises(ValueError, match="Unknown value for name: 'forgot'.*Did you mean 'forget'"):
        LSTMWeights.random(3, 2).gate("forgot")


# ---------------------------------------------------------------------------------------------
# Bad input to the forward functions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("forward", [lstm_forward, lstm_forward_per_gate])
def test_forward_bad_input(forward):
    w = LSTMWeights.random(3, 2)
    x = np.zeros((4, 5, 3), np.float32)
    with pytest.raises(ValueError, match=r"x has shape \(4, 5, 2\), expected \(batch, time, input_size=3\)"):
        forward(np.zeros((4, 5, 2)), w)
    with pytest.raises(ValueError, match=r"x has shape \(5, 3\), expected \(batch, time, input_size=3\)"):
        forward(np.zeros((5, 3)), w)
    with pytest.raises(ValueError, match=r"h0 has shape \(4, 3\), expected \(batch=4, hidden_size=2\)"):
        forward(x, w, h0=np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"c0 has shape \(1, 2\), expected \(batch=4, hidden_size=2\)"):
        forward(x, w, c0=np.zeros((1, 2)))
    with pytest.raises(TypeError, match="weights must be an LSTMWeights, got tuple"):
        forward(x, (w.W, w.U, w.b))


def test_step_bad_input():
    w = LSTMWeights.random(3, 2)
    with pytest.raises(ValueError, match=r"x_t has shape \(1, 4\), expected \(batch, input_size=3\)"):
        lstm_step(np.zeros((1, 4)), np.zeros((1, 2)), np.zeros((1, 2)), w)
    with pytest.raises(ValueError, match=r"c_prev has shape \(1, 3\), expected \(batch=1, hidden_size=2\)"):
        lstm_step(np.zeros((1, 3)), np.zeros((1, 2)), np.zeros((1, 3)), w)
    with pytest.raises(ValueError, match=r"h_prev has shape \(3,\), expected \(hidden_size=2,\)"):
        lstm_step(np.zeros(3), np.zeros(3), np.zeros(2), w)


# ---------------------------------------------------------------------------------------------
# GRU and simple RNN against Keras
# ---------------------------------------------------------------------------------------------


def keras_gru_run(layer, x, h0):
    return np.asarray(layer(x, initial_state=[h0]))


@given(n=sizes, m=sizes, batch=batches, time=st.integers(1, 5), seed=seeds, reset_after=st.booleans())
def test_gru_step_matches_keras(n, m, batch, time, seed, reset_after):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.GRU(m, reset_after=reset_after, return_sequences=True,
                             bias_initializer="glorot_uniform")   # non-zero biases, to test them
    x, h0 = data((batch, time, n), seed + 1), data((batch, m), seed + 2)
    ref = keras_gru_run(layer, x, h0)
    W, U, b = layer.get_weights()
    assert b.shape == ((2, 3 * m) if reset_after else (3 * m,))
    h = h0
    for t in range(time):
        h = gru_step(x[:, t], h, W, U, b, reset_after=reset_after)
        assert maxdiff(h, ref[:, t]) <= TOL


@given(n=sizes, m=sizes, batch=batches, time=st.integers(1, 5), seed=seeds)
def test_rnn_step_matches_keras(n, m, batch, time, seed):
    keras.utils.set_random_seed(seed)
    layer = keras.layers.SimpleRNN(m, return_sequences=True, bias_initializer="glorot_uniform")
    x, h0 = data((batch, time, n), seed + 1), data((batch, m), seed + 2)
    ref = np.asarray(layer(x, initial_state=[h0]))
    W, U, b = layer.get_weights()
    h = h0
    for t in range(time):
        h = rnn_step(x[:, t], h, W, U, b)
        assert maxdiff(h, ref[:, t]) <= TOL


def test_gru_and_rnn_unbatched():
    rng = np.random.default_rng(0)
    W, U, b = rng.normal(size=(3, 6)), rng.normal(size=(2, 6)), rng.normal(size=(2, 6))
    x, h = rng.normal(size=3), rng.normal(size=2)
    assert np.array_equal(gru_step(x, h, W, U, b), gru_step(x[None], h[None], W, U, b)[0])
    Wr, Ur, br = W[:, :2], U[:, :2], b[0, :2]
    assert np.array_equal(rnn_step(x, h, Wr, Ur, br), rnn_step(x[None], h[None], Wr, Ur, br)[0])


def test_gru_and_rnn_bad_input():
    W, U = np.zeros((3, 6)), np.zeros((2, 6))
    with pytest.raises(ValueError, match=r"b has shape \(6,\), expected \(2, 3\*hidden_size=6\)"):
        gru_step(np.zeros(3), np.zeros(2), W, U, np.zeros(6))
    with pytest.raises(ValueError, match=r"b has shape \(2, 6\), expected \(3\*hidden_size=6,\)"):
        gru_step(np.zeros(3), np.zeros(2), W, U, np.zeros((2, 6)), reset_after=False)
    with pytest.raises(ValueError, match=r"W has shape \(3, 5\), expected \(input_size, 3 \* hidden_size\)"):
        gru_step(np.zeros(3), np.zeros(2), np.zeros((3, 5)), U, np.zeros((2, 6)))
    expected = r"U has shape \(3, 6\), expected \(hidden_size=2, gates\*hidden_size=6\)"
    with pytest.raises(ValueError, match=expected):
        gru_step(np.zeros(3), np.zeros(2), W, np.zeros((3, 6)), np.zeros((2, 6)))
    with pytest.raises(TypeError, match="reset_after must be True or False, got 1"):
        gru_step(np.zeros(3), np.zeros(2), W, U, np.zeros((2, 6)), reset_after=1)
    with pytest.raises(ValueError, match=r"x_t has shape \(4,\), expected \(input_size=3,\)"):
        rnn_step(np.zeros(4), np.zeros(2), np.zeros((3, 2)), np.zeros((2, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"b has shape \(3,\), expected \(hidden_size=2,\)"):
        rnn_step(np.zeros(3), np.zeros(2), np.zeros((3, 2)), np.zeros((2, 2)), np.zeros(3))


# ---------------------------------------------------------------------------------------------
# Stacked, bidirectional PyTorch: the layer/reverse tensors reproduce the module's output
# ---------------------------------------------------------------------------------------------


@given(n=st.integers(1, 16), m=st.integers(1, 16), batch=batches, time=steps, seed=seeds)
def test_stacked_bidirectional_torch_from_numpy(n, m, batch, time, seed):
    torch.manual_seed(seed)
    module = torch.nn.LSTM(n, m, num_layers=2, bidirectional=True, batch_first=True)
    x = data((batch, time, n), seed)
    with torch.no_grad():
        ref, (h_ref, c_ref) = module(torch.from_numpy(x))
    layer_in = x
    for layer in range(2):
        fwd, (h_f, c_f) = lstm_forward(layer_in, from_torch(module, layer=layer))
        bwd, (h_b, c_b) = lstm_forward(layer_in[:, ::-1], from_torch(module, layer=layer, reverse=True))
        layer_in = np.concatenate([fwd, bwd[:, ::-1]], axis=-1)
        # h_n is ordered (layer0 fwd, layer0 bwd, layer1 fwd, layer1 bwd)
        assert maxdiff(h_f, h_ref[2 * layer].numpy()) <= TOL
        assert maxdiff(c_b, c_ref[2 * layer + 1].numpy()) <= TOL
    assert maxdiff(layer_in, ref.numpy()) <= TOL
