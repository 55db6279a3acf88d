"""The side-by-side table of lstm_utils.frameworks agrees with the installed Keras and PyTorch.

Keras and PyTorch facts are read from the installed frameworks (signatures, built layers, a step
computed by hand), so the table cannot go stale. MATLAB and ONNX facts come from their documentation
(cited in the module's docstring); here they are checked for consistency with the rest of the package.
"""

import inspect
import math
import re

import keras
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import lstm_utils as lu
import lstm_utils.frameworks
from lstm_utils import count_params, gate_order, param_table
from lstm_utils.frameworks import FRAMEWORKS, Convention, Row, SideBySide, onnx_tensors, side_by_side

small = st.integers(min_value=1, max_value=24)


@pytest.fixture(scope="module")
def table():
    return side_by_side(5, 10)


# --- Keras: defaults, names, shapes --------------------------------------------------------------

def test_keras_defaults_are_those_of_the_installed_keras(table):
    params = inspect.signature(keras.layers.LSTM).parameters
    keras_c = table["keras"]
    assert params["activation"].default == keras_c.state_activation == "tanh"
    assert params["recurrent_activation"].default == keras_c.gate_activation == "sigmoid"
    assert params["kernel_initializer"].default == keras_c.input_init
    assert params["recurrent_initializer"].default == keras_c.recurrent_init
    assert params["bias_initializer"].default == keras_c.bias_init
    assert params["unit_forget_bias"].default is keras_c.forget_bias_one is True
    assert params["use_bias"].default is True


@given(n=small, m=small)
def test_keras_tensors_are_those_keras_builds(n, m):
    layer = keras.layers.LSTM(m)
    layer.build((None, None, n))
    assert side_by_side(n, m)["keras"].tensors == tuple((w.name, tuple(w.shape)) for w in layer.weights)


def test_keras_unit_forget_bias_sets_only_the_forget_slice_to_one():
    keras.utils.set_random_seed(0)
    layer = keras.layers.LSTM(3)
    layer.build((None, None, 2))
    bias = keras.ops.convert_to_numpy(layer.weights[2])
    forget = [g.role for g in gate_order("keras")].index("forget")
    blocks = bias.reshape(4, 3)
    assert np.all(blocks[forget] == 1.0)
    assert np.all(np.delete(blocks, forget, axis=0) == 0.0)


def test_keras_input_is_batch_first(table):
    layer = keras.layers.LSTM(4, return_sequences=True)
    out = layer(np.zeros((2, 7, 3), dtype="float32"))   # (batch, time, features)
    assert tuple(out.shape) == (2, 7, 4)
    assert table["keras"].input_layout == ("batch", "time", "features")


# --- PyTorch: defaults, names, shapes, the formula itself ---------------------------------------

def test_pytorch_layout_default_is_that_of_the_installed_torch(table):
    params = inspect.signature(torch.nn.RNNBase.__init__).parameters
    assert params["batch_first"].default is False
    assert table["pytorch"].input_layout == ("time", "batch", "features")
    module = torch.nn.LSTM(3, 4)
    out, _ = module(torch.zeros(7, 2, 3))                  # (time, batch, features)
    assert tuple(out.shape) == (7, 2, 4)


def test_pytorch_init_is_uniform_one_over_sqrt_hidden(table):
    source = inspect.getsource(torch.nn.RNNBase.reset_parameters)
    assert "1.0 / math.sqrt(self.hidden_size)" in source
    assert "init.uniform_(weight, -stdv, stdv)" in source
    assert "for weight in self.parameters()" in source      # every tensor, biases included
    c = table["pytorch"]
    assert c.input_init == c.recurrent_init == c.bias_init == "U(-1/sqrt(m), 1/sqrt(m))"
    assert c.forget_bias_one is False
    torch.manual_seed(0)
    m = 16
    module = torch.nn.LSTM(3, m)
    bound = 1 / math.sqrt(m)
    for p in module.parameters():
        assert p.abs().max().item() <= bound
    assert max(p.abs().max().item() for p in module.parameters()) > 0.9 * bound


@given(n=small, m=small)
def test_pytorch_tensors_are_those_torch_builds(n, m):
    module = torch.nn.LSTM(n, m)
    expected = tuple((name, tuple(p.shape)) for name, p in module.named_parameters())
    assert side_by_side(n, m)["pytorch"].tensors == expected


def test_pytorch_step_is_the_formula_with_sigmoid_gates_and_tanh_cell():
    """One step of torch.nn.LSTM recomputed from the table's formula, gate order and activations."""
    torch.manual_seed(0)
    n, m = 3, 4
    module = torch.nn.LSTM(n, m)
    x = torch.randn(1, 1, n)
    with torch.no_grad():
        out, (h, c) = module(x)
    p = {k: v.detach().numpy().astype(np.float64) for k, v in module.named_parameters()}
    # W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, with h_{t-1} = 0
    z = p["weight_ih_l0"] @ x[0, 0].numpy() + p["bias_ih_l0"] + p["bias_hh_l0"]
    blocks = dict(zip((g.role for g in side_by_side(n, m)["pytorch"].gates), z.reshape(4, m), strict=True))
    i, f = 1 / (1 + np.exp(-blocks["input"])), 1 / (1 + np.exp(-blocks["forget"]))
    g, o = np.tanh(blocks["candidate"]), 1 / (1 + np.exp(-blocks["output"]))
    c_t = f * 0.0 + i * g
    h_t = o * np.tanh(c_t)
    np.testing.assert_allclose(c.numpy()[0, 0], c_t, atol=1e-6)
    np.testing.assert_allclose(h.numpy()[0, 0], h_t, atol=1e-6)


# --- the whole table: counts, gates, biases, MATLAB and ONNX consistency ------------------------

@given(n=small, m=small)
def test_totals_and_bias_vectors(n, m):
    t = side_by_side(n, m)
    assert t["keras"].total == count_params(n, m) == t["matlab"].total
    assert t["pytorch"].total == count_params(n, m, framework="pytorch")
    assert t["onnx"].total == t["pytorch"].total                    # W, R and two bias vectors
    assert [t[fw].bias_vectors for fw in FRAMEWORKS] == [1, 2, 1, 2, 1]
    assert t["flax"].total == t["keras"].total
    # one bias vector per gate: 4 * m numbers each
    assert t["pytorch"].total - t["keras"].total == 4 * m


def test_gates_come_from_gate_order(table):
    for fw in FRAMEWORKS:
        assert table[fw].gates == gate_order(fw)
    assert table.row("gate order").cells == ("i, f, c, o", "i, f, g, o", "i, f, g, o", "i, o, f, c",
                                                    "i, f, g, o")
    assert [table[fw].candidate.symbol for fw in FRAMEWORKS] == ["c", "g", "g", "c", "g"]


def test_matlab_tensors_are_the_param_table_rows(table):
    rows = param_table(5, 10, framework="matlab")
    assert table["matlab"].tensors == tuple((r.name, r.shape) for r in rows)
    assert table["matlab"].tensors == (("InputWeights", (40, 5)), ("RecurrentWeights", (40, 10)),
                                       ("Bias", (40, 1)))
    assert table.row("storage shapes")["matlab"] == "40-by-5, 40-by-10, 40-by-1"


def test_matlab_and_onnx_documented_defaults(table):
    mat, onnx = table["matlab"], table["onnx"]
    assert (mat.input_init, mat.recurrent_init, mat.bias_init) == ("glorot", "orthogonal",
                                                                  "unit-forget-gate")
    assert (mat.state_activation, mat.gate_activation) == ("tanh", "sigmoid")
    assert table.row("default activations")["onnx"] == "f=Sigmoid, g=Tanh, h=Tanh"
    assert onnx.input_layout == ("time", "batch", "features")
    assert onnx.forget_bias_one is None
    doc = lstm_utils.frameworks.__doc__
    for page in ("nnet.cnn.layer.lstmlayer.html", "nnet.cnn.layer.bilstmlayer.html",
                 "nnet.cnn.layer.grulayer.html", "trainingoptions.html", "onnx__LSTM.html",
                 "onnx__GRU.html"):
        assert page in doc


def test_onnx_tensors():
    assert onnx_tensors(100, 256) == (("W", (1, 1024, 100)), ("R", (1, 1024, 256)), ("B", (1, 2048)))


# --- the table object ---------------------------------------------------------------------------

def test_rows_are_data(table):
    assert isinstance(table, SideBySide)
    assert len(table) == len(table.rows) == len(table.aspects) == 10
    assert all(isinstance(r, Row) and len(r.cells) == 5 for r in table)
    assert all(isinstance(table[fw], Convention) for fw in FRAMEWORKS)
    assert table["torch"] is table["pytorch"]
    assert table.row("parameters").cells == ("640", "680", "640", "680", "640")
    assert table.row("tensor names")["tf"] == "kernel, recurrent_kernel, bias"
    assert table.row("candidate C~_t").cells == ("c (cell candidate)", "g (cell gate)", "g (cell candidate)",
                                                 "c (cell gate)", "g (candidate, unnamed in Flax)")


def test_html_is_deterministic_and_escaped(table):
    html = table._repr_html_()
    assert html == side_by_side(5, 10)._repr_html_()
    assert html.count("<tr>") == 1 + len(table)
    assert "LSTM 5 -&gt; 10" in html and "->" not in html
    assert "0x" not in html


def test_text_is_aligned(table):
    lines = str(table).splitlines()
    assert lines[0] == table.caption
    header, rule = lines[1], lines[2]
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    assert len(starts) == 6
    for fw, start in zip(FRAMEWORKS, starts[1:], strict=True):
        assert header[start:].startswith(fw)
    for line in lines[3:]:
        assert all(line[s - 2 : s] == "  " for s in starts[1:])
    assert repr(table) == "<SideBySide LSTM 5 -> 10 (n = 5, m = 10): 10 aspects x 5 frameworks>"


# --- bad input ----------------------------------------------------------------------------------

def test_bad_sizes_are_named():
    with pytest.raises(ValueError, match=r"input_size == 0, must be an int >= 1"):
        side_by_side(0, 3)
    with pytest.raises(TypeError, match=r"hidden_size must be an int >= 1, got '3' \(type str\)"):
        side_by_side(2, "3")
    with pytest.raises(ValueError, match=r"hidden_size == -1"):
        onnx_tensors(2, -1)


def test_unknown_framework_and_aspect_are_named(table):
    with pytest.raises(ValueError, match=r"Unknown value for framework: 'caffe'.*Possible values"):
        table["caffe"]
    with pytest.raises(ValueError, match=r"Unknown value for framework: 'mxnet'"):
        table.row("formula")["mxnet"]
    with pytest.raises(ValueError, match=r"Unknown value for aspect: 'formla'.*Did you mean 'formula'"):
        table.row("formla")
    with pytest.raises(ValueError, match=r"Unknown value for aspect: 'colour'\. Possible values are: "
                                         r"\([^)]*\)\.$"):
        table.row("colour")  # nothing similar enough: no suggestion


# --- the converters produce exactly the table's MATLAB and ONNX shapes ------------------------------

@given(n=small, m=small)
def test_converter_shapes_match_the_table(n, m):
    weights = lu.LSTMWeights.random(n, m, seed=0)
    t = side_by_side(n, m)
    assert tuple(a.shape for a in lu.to_onnx(weights)) == tuple(s for _, s in t["onnx"].tensors)
    assert tuple(a.shape for a in lu.to_matlab(weights)) == tuple(s for _, s in t["matlab"].tensors)


def test_onnx_bias_holds_two_vectors_that_add_up():
    weights = lu.LSTMWeights.random(3, 4, seed=0)
    _, _, B = lu.to_onnx(weights)
    Wb, Rb = B[0, :16], B[0, 16:]
    order = [lu.GATE_ORDER.index(g.role) for g in gate_order("onnx")]     # neutral index of i, o, f, c
    np.testing.assert_array_equal((Wb + Rb).reshape(4, 4), weights.b[order])
