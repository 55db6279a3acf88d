"""Variable-length sequences: the NumPy reference with ``lengths`` against PyTorch's packed sequences
and Keras's masks, and what each framework writes at the padded steps."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lstm_utils as lu
from lstm_utils.reference import LSTMWeights, lstm_forward, lstm_forward_per_gate, reverse_padded

FORWARDS = [lstm_forward, lstm_forward_per_gate]


@st.composite
def padded_batches(draw, max_batch=5, max_time=8):
    """Right-padded float32 sequences with random lengths; all-full and length-1 batches included."""
    batch = draw(st.integers(1, max_batch))
    time = draw(st.integers(1, max_time))
    kind = draw(st.sampled_from(["random", "full", "ones"]))
    if kind == "full":
        lengths = np.full(batch, time)
    elif kind == "ones":
        lengths = np.ones(batch, dtype=int)
    else:
        lengths = np.array(draw(st.lists(st.integers(1, time), min_size=batch, max_size=batch)))
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    seed = draw(st.integers(0, 10_000))
    x = np.random.default_rng(seed).normal(size=(batch, time, n)).astype(np.float32)
    x[np.arange(time)[None, :] >= lengths[:, None]] = 0.0                 # zeros in the padding
    return x, lengths, m, seed


def _pad(x, lengths):
    return np.where((np.arange(x.shape[1])[None, :] < np.asarray(lengths)[:, None])[..., None], x, 0.0)


@pytest.mark.parametrize("forward", FORWARDS)
@given(data=padded_batches(), initial=st.booleans())
def test_unidirectional_equals_pytorch_packed(forward, data, initial):
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    x, lengths, m, seed = data
    torch.manual_seed(seed)
    module = torch.nn.LSTM(x.shape[2], m, batch_first=True)
    h0 = c0 = None
    args = ()
    if initial:
        h0, c0 = np.random.default_rng(seed).normal(size=(2, x.shape[0], m)).astype(np.float32)
        args = ((torch.from_numpy(h0)[None], torch.from_numpy(c0)[None]),)
    packed = pack_padded_sequence(torch.from_numpy(x), torch.from_numpy(lengths), batch_first=True,
                                  enforce_sorted=False)
    with torch.no_grad():
        out, (h_n, c_n) = module(packed, *args)
    out, out_lengths = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    assert np.array_equal(out_lengths.numpy(), lengths)
    ours, (h, c) = forward(x, lu.from_torch(module), h0, c0, lengths=lengths)
    np.testing.assert_allclose(ours, out.numpy(), atol=1e-5)
    np.testing.assert_allclose(h, h_n[0].numpy(), atol=1e-5)
    np.testing.assert_allclose(c, c_n[0].numpy(), atol=1e-5)
    assert np.all(ours[np.arange(x.shape[1])[None, :] >= lengths[:, None]] == 0.0)


@given(data=padded_batches())
def test_bidirectional_is_two_calls_and_equals_pytorch_packed(data):
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    x, lengths, m, seed = data
    torch.manual_seed(seed)
    module = torch.nn.LSTM(x.shape[2], m, batch_first=True, bidirectional=True)
    packed = pack_padded_sequence(torch.from_numpy(x), torch.from_numpy(lengths), batch_first=True,
                                  enforce_sorted=False)
    with torch.no_grad():
        out, (h_n, c_n) = module(packed)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    fwd, (h_f, _) = lstm_forward(x, lu.from_torch(module), lengths=lengths)
    bwd, (h_b, c_b) = lstm_forward(reverse_padded(x, lengths), lu.from_torch(module, reverse=True),
                                   lengths=lengths)
    np.testing.assert_allclose(np.concatenate([fwd, reverse_padded(bwd, lengths)], -1), out.numpy(),
                               atol=1e-5)
    np.testing.assert_allclose(np.stack([h_f, h_b]), h_n.numpy(), atol=1e-5)
    np.testing.assert_allclose(c_b, c_n[1].numpy(), atol=1e-5)


@pytest.mark.parametrize("forward", FORWARDS)
@given(data=padded_batches())
def test_full_lengths_change_nothing_and_each_sequence_is_its_own_run(forward, data):
    x, lengths, m, seed = data
    w = LSTMWeights.random(x.shape[2], m, seed=seed)
    full = np.full(x.shape[0], x.shape[1])
    a, (h_a, c_a) = forward(x, w)
    b, (h_b, c_b) = forward(x, w, lengths=full)
    assert np.array_equal(a, b) and np.array_equal(h_a, h_b) and np.array_equal(c_a, c_b)
    out, (h, c) = forward(x, w, lengths=lengths)
    for k, L in enumerate(lengths):                      # sequence k alone, cut to its length
        alone, (h_k, c_k) = forward(x[k:k + 1, :L], w)
        np.testing.assert_allclose(out[k, :L], alone[0], atol=1e-6)
        np.testing.assert_allclose(h[k], h_k[0], atol=1e-6)
        np.testing.assert_allclose(c[k], c_k[0], atol=1e-6)


def test_reverse_padded_is_its_own_inverse_and_keeps_the_padding():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 6, 2))
    lengths = np.array([6, 1, 3, 5])
    r = reverse_padded(x, lengths)
    assert np.array_equal(reverse_padded(r, lengths), x)
    for k, L in enumerate(lengths):
        assert np.array_equal(r[k, :L], x[k, :L][::-1]) and np.array_equal(r[k, L:], x[k, L:])
    assert np.array_equal(reverse_padded(x, [6] * 4), x[:, ::-1])


# ---------------------------------------------------------------------------------------------
# Keras: Masking, Embedding(mask_zero=True), Bidirectional (fixed cases: Keras layers are slow)
# ---------------------------------------------------------------------------------------------

KERAS_CASES = [                         # (batch, time, n, m, lengths)
    (4, 6, 3, 5, [6, 1, 4, 2]),
    (3, 5, 2, 4, [5, 5, 5]),            # all full
    (3, 4, 3, 2, [1, 1, 1]),            # every sequence one step long
]


@pytest.mark.parametrize("batch, time, n, m, lengths", KERAS_CASES)
def test_keras_masking_matches_and_repeats_the_last_output_at_masked_steps(batch, time, n, m, lengths):
    import keras

    lengths = np.array(lengths)
    x = _pad(np.random.default_rng(batch * time).normal(size=(batch, time, n)), lengths).astype(np.float32)
    inputs = keras.Input((time, n))
    lstm = keras.layers.LSTM(m, return_sequences=True, return_state=True)
    model = keras.Model(inputs, lstm(keras.layers.Masking(0.0)(inputs)))
    w = LSTMWeights.random(n, m, seed=1)
    lu.load_into_keras(w, lstm)
    seq, h_n, c_n = (np.asarray(a) for a in model(x))
    ours, (h, c) = lstm_forward(x, w, lengths=lengths)
    np.testing.assert_allclose(h_n, h, atol=1e-5)
    np.testing.assert_allclose(c_n, c, atol=1e-5)
    valid = np.arange(time)[None, :] < lengths[:, None]
    np.testing.assert_allclose(seq[valid], ours[valid], atol=1e-5)
    # At a masked step Keras's unidirectional LSTM repeats the last valid output (ours writes 0).
    for k, L in enumerate(lengths):
        np.testing.assert_allclose(seq[k, L:], np.broadcast_to(h[k], (time - L, m)), atol=1e-5)


@pytest.mark.parametrize("batch, time, n, m, lengths", KERAS_CASES)
def test_keras_bidirectional_with_a_mask_is_two_calls_and_writes_zeros(batch, time, n, m, lengths):
    import keras

    lengths = np.array(lengths)
    x = _pad(np.random.default_rng(time).normal(size=(batch, time, n)), lengths).astype(np.float32)
    inputs = keras.Input((time, n))
    bi = keras.layers.Bidirectional(keras.layers.LSTM(m, return_sequences=True))
    model = keras.Model(inputs, bi(keras.layers.Masking(0.0)(inputs)))
    w_f, w_b = LSTMWeights.random(n, m, seed=2), LSTMWeights.random(n, m, seed=3)
    lu.load_into_keras(w_f, bi.forward_layer)
    lu.load_into_keras(w_b, bi.backward_layer)
    seq = np.asarray(model(x))
    fwd, _ = lstm_forward(x, w_f, lengths=lengths)
    bwd, _ = lstm_forward(reverse_padded(x, lengths), w_b, lengths=lengths)
    ours = np.concatenate([fwd, reverse_padded(bwd, lengths)], -1)
    np.testing.assert_allclose(seq, ours, atol=1e-5)     # zeros at masked steps in both directions
    assert np.all(seq[np.arange(time)[None, :] >= lengths[:, None]] == 0.0)


def test_keras_embedding_mask_zero_matches_and_needs_one_more_row():
    import keras

    vocab, dim, m = 6, 3, 4                                  # tokens 1..6; 0 is the padding index
    tokens = np.array([[3, 1, 4, 0, 0], [2, 6, 5, 3, 1], [5, 0, 0, 0, 0]])
    lengths = (tokens != 0).sum(axis=1)
    inputs = keras.Input((tokens.shape[1],), dtype="int32")
    emb = keras.layers.Embedding(vocab + 1, dim, mask_zero=True)
    lstm = keras.layers.LSTM(m, return_state=True)
    model = keras.Model(inputs, lstm(emb(inputs)))
    assert emb.count_params() == (vocab + 1) * dim
    w = LSTMWeights.random(dim, m, seed=4)
    lu.load_into_keras(w, lstm)
    _, h_n, c_n = (np.asarray(a) for a in model(tokens))
    vectors = np.asarray(emb.embeddings)[tokens]           # (batch, time, dim); row 0 at the padding
    _, (h, c) = lstm_forward(vectors, w, lengths=lengths)
    np.testing.assert_allclose(h_n, h, atol=1e-5)
    np.testing.assert_allclose(c_n, c, atol=1e-5)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("forward", FORWARDS)
def test_bad_lengths_are_named(forward):
    w = LSTMWeights.random(2, 3)
    x = np.zeros((3, 4, 2), np.float32)
    with pytest.raises(ValueError, match=r"lengths\[1\] == 0, must be an integer array of shape \(batch=3,\) "
                                         r"with every length in 1\.\.time=4"):
        forward(x, w, lengths=[2, 0, 1])
    with pytest.raises(ValueError, match=r"lengths\[2\] == 5, must be"):
        forward(x, w, lengths=np.array([4, 4, 5]))
    with pytest.raises(ValueError, match=r"lengths has shape \(2,\), expected an integer array of shape"):
        forward(x, w, lengths=[2, 3])
    with pytest.raises(TypeError, match=r"lengths must be an integer array .* got an array of dtype float64"):
        forward(x, w, lengths=[2.0, 3.0, 1.0])
    with pytest.raises(TypeError, match=r"dtype bool"):
        forward(x, w, lengths=[True, True, True])
    with pytest.raises(ValueError, match=r"x has shape \(3,\), expected \(batch, time, \.\.\.\)"):
        reverse_padded(np.zeros(3), [1, 1, 1])


# ---------------------------------------------------------------------------------------------
# pad_right and the cost of padding
# ---------------------------------------------------------------------------------------------

@given(data=padded_batches())
def test_pad_right_builds_what_lstm_forward_and_pytorch_packing_take(data):
    from torch.nn.utils.rnn import pack_sequence

    x, lengths, _, _ = data
    sequences = [x[k, :L] for k, L in enumerate(lengths)]
    padded, got = lu.pad_right(sequences)
    assert got.dtype == np.int64 and np.array_equal(got, lengths)
    assert padded.shape == (x.shape[0], lengths.max(), x.shape[2]) and padded.dtype == np.float32
    assert np.array_equal(padded, x[:, :lengths.max()])            # the padding of x is zeros too
    import torch
    packed = pack_sequence([torch.from_numpy(s) for s in sequences], enforce_sorted=False)
    assert packed.batch_sizes.tolist() == [int((lengths > t).sum()) for t in range(lengths.max())]


def test_pad_right_value_dtypes_and_errors():
    x, lengths = lu.pad_right([[3, 1, 4], [5]], value=-1)          # token lists: (batch, time)
    assert x.tolist() == [[3, 1, 4], [5, -1, -1]] and lengths.tolist() == [3, 1]
    assert x.dtype.kind == "i"
    x, _ = lu.pad_right((np.ones((2, 2), np.float32), np.ones((1, 2))))
    assert x.dtype == np.float64                                    # NumPy's common type
    with pytest.raises(TypeError, match=r"sequences must be a list or tuple of arrays, got ndarray"):
        lu.pad_right(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"sequences is empty"):
        lu.pad_right([])
    with pytest.raises(ValueError, match=r"sequences\[1\] has shape \(0, 2\), expected \(length >= 1"):
        lu.pad_right([np.ones((2, 2)), np.ones((0, 2))])
    with pytest.raises(ValueError, match=r"sequences\[1\] has shape \(2, 3\) but sequences\[0\] has \(2, "):
        lu.pad_right([np.ones((2, 2)), np.ones((2, 3))])
    with pytest.raises(TypeError, match=r"sequences\[0\] must hold numbers, got an array of dtype <U1"):
        lu.pad_right([["a", "b"]])
    with pytest.raises(TypeError, match=r"value must be a finite real number, got '0' \(type str\)"):
        lu.pad_right([[1, 2]], value="0")
    with pytest.raises(ValueError, match=r"value == nan, must be a finite real number"):
        lu.pad_right([[1.0, 2.0]], value=float("nan"))


@given(lengths=st.lists(st.integers(1, 30), min_size=1, max_size=20), batch_size=st.integers(1, 8))
def test_padding_macs_counts_the_padded_steps_of_the_padded_arrays(lengths, batch_size):
    n, m = 3, 5
    expected_steps = 0
    for start in range(0, len(lengths), batch_size):
        x, L = lu.pad_right([np.zeros((k, 1)) for k in lengths[start:start + batch_size]])
        expected_steps += x.shape[0] * x.shape[1] - int(L.sum())
    as_given = lu.cost.padding_macs(lengths, n, m, batch_size=batch_size)
    assert as_given == expected_steps * lu.cost.matmul_macs(n, m)
    assert lu.cost.padding_macs(sorted(lengths), n, m, batch_size=batch_size) <= as_given   # sorting helps
    assert lu.cost.padding_macs(lengths, n, m, batch_size=1) == 0


def test_padding_macs_errors_name_the_argument():
    assert lu.cost.padding_macs(np.array([5, 1]), 2, 2, batch_size=2) == 4 * lu.cost.matmul_macs(2, 2)
    with pytest.raises(ValueError, match=r"lengths\[1\] == 0, must be an int >= 1"):
        lu.cost.padding_macs([3, 0], 2, 2, batch_size=2)
    with pytest.raises(TypeError, match=r"lengths\[0\] must be an int >= 1, got 2\.5"):
        lu.cost.padding_macs([2.5], 2, 2, batch_size=2)
    with pytest.raises(TypeError, match=r"lengths\[0\] must be an int >= 1, got True"):
        lu.cost.padding_macs([True], 2, 2, batch_size=2)
    with pytest.raises(ValueError, match=r"batch_size == 0, must be an int >= 1"):
        lu.cost.padding_macs([3], 2, 2, batch_size=0)
    with pytest.raises(ValueError, match=r"lengths is empty"):
        lu.cost.padding_macs([], 2, 2, batch_size=2)


@given(data=padded_batches(), initial=st.booleans())
def test_backward_with_lengths_equals_autograd_through_pytorch_packing(data, initial):
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    x32, lengths, m, seed = data
    x = x32.astype(np.float64)
    batch, time, n = x.shape
    rng = np.random.default_rng(seed)
    h0, c0 = rng.normal(size=(2, batch, m)) if initial else (np.zeros((batch, m)),) * 2
    R, A, C = rng.normal(size=(batch, time, m)), rng.normal(size=(batch, m)), rng.normal(size=(batch, m))
    torch.manual_seed(seed)
    module = torch.nn.LSTM(n, m, batch_first=True).double()
    xt = torch.tensor(x, requires_grad=True)
    h0t, c0t = (torch.tensor(s[None], requires_grad=True) for s in (h0, c0))
    packed = pack_padded_sequence(xt, torch.from_numpy(lengths), batch_first=True, enforce_sorted=False)
    out, (h_n, c_n) = module(packed, (h0t, c0t))
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=time)
    # L = sum(R * outputs) + sum(A * h_n) + sum(C * c_n): R, A and C are the upstream gradients
    (torch.sum(out * torch.from_numpy(R)) + torch.sum(h_n[0] * torch.from_numpy(A))
     + torch.sum(c_n[0] * torch.from_numpy(C))).backward()
    dw, dx, (dh0, dc0) = lu.lstm_backward(x, lu.from_torch(module), R, h0, c0, d_h_n=A, d_c_n=C,
                                          lengths=lengths)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-10)
    assert np.all(dx[np.arange(time)[None, :] >= lengths[:, None]] == 0.0)   # padding: no gradient
    np.testing.assert_allclose(dh0, h0t.grad[0].numpy(), atol=1e-10)
    np.testing.assert_allclose(dc0, c0t.grad[0].numpy(), atol=1e-10)
    np.testing.assert_allclose(dw.W.reshape(4 * m, n), module.weight_ih_l0.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(dw.U.reshape(4 * m, m), module.weight_hh_l0.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(dw.b.reshape(4 * m), module.bias_ih_l0.grad.numpy(), atol=1e-10)


def test_backward_with_full_lengths_is_the_unmasked_backward():
    rng = np.random.default_rng(2)
    x, d_out = rng.normal(size=(3, 5, 2)), rng.normal(size=(3, 5, 4))
    w = LSTMWeights.random(2, 4, dtype=np.float64)
    a = lu.lstm_backward(x, w, d_out)
    b = lu.lstm_backward(x, w, d_out, lengths=[5, 5, 5])
    assert a[0] == b[0] and np.array_equal(a[1], b[1])
    assert np.array_equal(a[2][0], b[2][0]) and np.array_equal(a[2][1], b[2][1])
    with pytest.raises(ValueError, match=r"lengths\[0\] == 6, must be an integer array"):
        lu.lstm_backward(x, w, d_out, lengths=[6, 5, 5])
