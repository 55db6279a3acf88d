"""Property tests: count_params and param_table agree with layers that Keras and PyTorch really build."""

import keras
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from lstm_utils import count_params, param_table

sizes = st.integers(min_value=1, max_value=512)
small = st.integers(min_value=1, max_value=64)
layers = st.integers(min_value=1, max_value=4)

KERAS_CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "rnn": keras.layers.SimpleRNN}
TORCH_CELLS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


def keras_stack(n, m, *, cell, num_layers, bidirectional, bias, reset_after):
    """The Keras model that count_params(framework="keras") describes."""
    stack = [keras.Input((None, n))]
    for k in range(num_layers):
        kw = {"use_bias": bias, "return_sequences": k < num_layers - 1}
        if cell == "gru":
            kw["reset_after"] = reset_after
        layer = KERAS_CELLS[cell](m, **kw)
        stack.append(keras.layers.Bidirectional(layer) if bidirectional else layer)
    return keras.Sequential(stack)


def keras_rows(model):
    return [(w.name, tuple(w.shape)) for layer in model.layers for w in layer.weights]


def check_keras(n, m, cell, num_layers, bidirectional, bias, reset_after):
    model = keras_stack(n, m, cell=cell, num_layers=num_layers, bidirectional=bidirectional,
                        bias=bias, reset_after=reset_after)
    kw = dict(cell=cell, num_layers=num_layers, bidirectional=bidirectional, bias=bias,
              reset_after=reset_after)
    table = param_table(n, m, framework="keras", **kw)
    assert [(r.name, r.shape) for r in table] == keras_rows(model)
    assert count_params(n, m, framework="keras", **kw) == model.count_params() == table.total


def check_torch(n, m, cell, num_layers, bidirectional, bias, proj_size):
    kw = dict(num_layers=num_layers, bidirectional=bidirectional, bias=bias)
    extra = {"proj_size": proj_size} if proj_size else {}
    module = TORCH_CELLS[cell](n, m, **kw, **extra)
    table = param_table(n, m, framework="pytorch", cell=cell, proj_size=proj_size, **kw)
    assert [(r.name, r.shape) for r in table] == [
        (name, tuple(p.shape)) for name, p in module.named_parameters()
    ]
    expected = sum(p.numel() for p in module.parameters())
    assert count_params(n, m, framework="pytorch", cell=cell, proj_size=proj_size, **kw) == expected


@given(n=sizes, m=sizes, num_layers=layers, bidirectional=st.booleans(), bias=st.booleans(),
       cell=st.sampled_from(["lstm", "gru", "rnn"]), reset_after=st.booleans())
def test_keras_counts_and_tensors(n, m, num_layers, bidirectional, bias, cell, reset_after):
    if cell != "gru":
        reset_after = True
    if m * num_layers * (2 if bidirectional else 1) > 1024:  # keep a real build fast
        m = max(1, 1024 // (num_layers * (2 if bidirectional else 1)))
    check_keras(n, m, cell, num_layers, bidirectional, bias, reset_after)


@given(n=sizes, m=sizes, num_layers=layers, bidirectional=st.booleans(), bias=st.booleans(),
       cell=st.sampled_from(["lstm", "gru", "rnn"]), proj=st.integers(min_value=0, max_value=511))
def test_pytorch_counts_and_tensors(n, m, num_layers, bidirectional, bias, cell, proj):
    proj_size = proj % m if cell == "lstm" else 0
    check_torch(n, m, cell, num_layers, bidirectional, bias, proj_size)


@pytest.mark.parametrize(
    ("n", "m", "kw"),
    [
        (5, 10, {}),  # seed 000
        (2, 3, {}),  # seed 002
        (100, 256, {}),  # seed 003
        (2, 3, {"cell": "gru", "reset_after": True}),
        (2, 3, {"cell": "gru", "reset_after": False}),
    ],
)
def test_keras_seed_examples(n, m, kw):
    check_keras(n, m, kw.get("cell", "lstm"), 1, False, True, kw.get("reset_after", True))


def test_seed002_model_with_dense_head_is_138():
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.Dense(2)])
    assert model.count_params() == 138 == count_params(3, 4) + (4 * 2 + 2)


def test_pytorch_seed_examples():
    check_torch(100, 256, "lstm", 1, False, True, 0)  # 366,592
    check_torch(3, 12, "lstm", 6, False, True, 0)  # seed 004: 7,056
    check_torch(100, 256, "lstm", 2, True, True, 0)  # 2,310,144


@given(batch=st.integers(1, 5), seq_len=st.integers(1, 6), n=small, m=small, num_layers=layers,
       bidirectional=st.booleans(), batch_first=st.booleans(), proj=st.integers(0, 63))
def test_pytorch_output_shapes(batch, seq_len, n, m, num_layers, bidirectional, batch_first, proj):
    from lstm_utils import output_shapes

    proj_size = proj % m
    module = torch.nn.LSTM(n, m, num_layers=num_layers, bidirectional=bidirectional,
                           batch_first=batch_first, proj_size=proj_size)
    x = torch.zeros((batch, seq_len, n) if batch_first else (seq_len, batch, n))
    with torch.no_grad():
        output, (h_n, c_n) = module(x)
    expected = output_shapes("pytorch", batch=batch, seq_len=seq_len, input_size=n, hidden_size=m,
                             num_layers=num_layers, bidirectional=bidirectional,
                             batch_first=batch_first, proj_size=proj_size)
    assert expected == {"output": tuple(output.shape), "h_n": tuple(h_n.shape),
                        "c_n": tuple(c_n.shape)}


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_keras_output_shapes(bidirectional, return_sequences):
    import numpy as np

    from lstm_utils import output_shapes

    layer = keras.layers.LSTM(10, return_sequences=return_sequences, return_state=True)
    if bidirectional:
        layer = keras.layers.Bidirectional(layer)
    outputs = layer(np.zeros((8, 13, 5), dtype="float32"))
    expected = output_shapes("keras", batch=8, seq_len=13, input_size=5, hidden_size=10,
                             bidirectional=bidirectional, return_sequences=return_sequences,
                             return_state=True)
    assert list(expected.values()) == [tuple(o.shape) for o in outputs]
