"""ONNX Runtime's own LSTM operator, run on weights from `to_onnx`, gives the outputs of `lstm_forward`.

`lstm_utils.convert.to_onnx` writes W, R, B as the LSTM operator's documentation describes them (gate
blocks i, o, f, c; B = [Wb, Rb]); here ONNX Runtime (CPU provider) runs them, so the documentation is no
longer the only witness. ONNX's LSTM is time first (X [seq_length, batch, input_size], layout=0, the
only layout ONNX Runtime's CPU kernel runs); `lstm_forward` is batch first.
"""

from __future__ import annotations

import itertools

import numpy as np
import onnx
import onnxruntime
import pytest
from hypothesis import given
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

from lstm_utils import GATE_ORDER, gate_order
from lstm_utils.convert import onnx_lstm_model, to_onnx
from lstm_utils.reference import LSTMWeights, lstm_forward

TOL = 1e-5  # float32


def _session(model: onnx.ModelProto) -> onnxruntime.InferenceSession:
    return onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


def _run_onnx(arrays, x, h0=None, c0=None, direction="forward"):
    """Run (W, R, B) through ONNX Runtime on batch-first ``x``; return Y, Y_h, Y_c batch first."""
    model = onnx_lstm_model(*arrays, direction=direction, initial_states=h0 is not None)
    feeds = {"X": np.ascontiguousarray(x.transpose(1, 0, 2))}            # (batch, T, n) -> (T, batch, n)
    if h0 is not None:
        feeds["initial_h"], feeds["initial_c"] = h0[None], c0[None]      # (batch, m) -> (1, batch, m)
    Y, Y_h, Y_c = _session(model).run(None, feeds)
    steps, batch, m = x.shape[1], x.shape[0], arrays[1].shape[2]
    assert Y.shape == (steps, 1, batch, m) and Y_h.shape == Y_c.shape == (1, batch, m)
    return Y[:, 0].transpose(1, 0, 2), Y_h[0], Y_c[0]                    # (T, 1, batch, m) -> (batch, T, m)


def _reference(weights, x, h0=None, c0=None, direction="forward"):
    """`lstm_forward`'s Y, h_n, c_n; the reverse direction is the forward pass over reversed time."""
    if direction == "forward":
        out, (h, c) = lstm_forward(x, weights, h0, c0)
        return out, h, c
    out, (h, c) = lstm_forward(x[:, ::-1], weights, h0, c0)
    return out[:, ::-1], h, c                                            # each h back at its own step


def _max_difference(arrays, weights, x, h0=None, c0=None, direction="forward"):
    got = _run_onnx(arrays, x, h0, c0, direction)
    want = _reference(weights, x, h0, c0, direction)
    return max(float(np.abs(g - w).max()) for g, w in zip(got, want, strict=True))


def _case(n, m, steps, batch, seed, states):
    weights = LSTMWeights.random(n, m, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, steps, n)).astype(np.float32)
    h0 = c0 = None
    if states:
        h0 = rng.uniform(-1, 1, (batch, m)).astype(np.float32)
        c0 = rng.uniform(-2, 2, (batch, m)).astype(np.float32)
    return weights, x, h0, c0


@given(n=st.integers(1, 12), m=st.integers(1, 16), steps=st.integers(1, 20), batch=st.integers(1, 5),
       seed=st.integers(0, 2**16), states=st.booleans(), direction=st.sampled_from(["forward", "reverse"]))
def test_onnx_runtime_matches_lstm_forward(n, m, steps, batch, seed, states, direction):
    weights, x, h0, c0 = _case(n, m, steps, batch, seed, states)
    assert _max_difference(to_onnx(weights), weights, x, h0, c0, direction) <= TOL


@pytest.mark.parametrize("direction", ["forward", "reverse"])
@pytest.mark.parametrize("states", [False, True])
def test_onnx_runtime_both_directions_with_and_without_states(direction, states):
    # The four combinations every run, whatever hypothesis draws above.
    weights, x, h0, c0 = _case(5, 10, 13, 4, seed=0, states=states)
    assert _max_difference(to_onnx(weights), weights, x, h0, c0, direction) <= TOL


def test_only_onnx_gate_order_matches():
    """Of the 24 ways to stack the four gate blocks, only ONNX's i, o, f, c passes the comparison."""
    weights, x, h0, c0 = _case(4, 6, 10, 3, seed=1, states=True)
    m = weights.hidden_size
    onnx_order = tuple(g.role for g in gate_order("onnx"))
    matches = []
    for roles in itertools.permutations(GATE_ORDER):
        k = [GATE_ORDER.index(role) for role in roles]                  # neutral block of each slot
        Wb = weights.b[k].reshape(4 * m)
        arrays = (weights.W[k].reshape(1, 4 * m, -1), weights.U[k].reshape(1, 4 * m, m),
                  np.concatenate([Wb, np.zeros_like(Wb)]).reshape(1, 8 * m))
        difference = _max_difference(arrays, weights, x, h0, c0)
        if difference <= TOL:
            matches.append(roles)
        else:
            assert difference > 100 * TOL, (roles, difference)          # not a near miss: plainly wrong
    assert matches == [onnx_order] == [("input", "output", "forget", "candidate")]


def test_wrong_gate_order_fails_the_comparison():
    # The classic mistake: exporting the neutral (Keras / PyTorch) order i, f, c, o unchanged.
    weights, x, _, _ = _case(5, 10, 13, 4, seed=0, states=False)
    m = weights.hidden_size
    unchanged = (weights.W.reshape(1, 4 * m, 5), weights.U.reshape(1, 4 * m, m),
                 np.concatenate([weights.b.reshape(4 * m), np.zeros(4 * m, np.float32)]).reshape(1, 8 * m))
    assert _max_difference(unchanged, weights, x) > 100 * TOL
    assert _max_difference(to_onnx(weights), weights, x) <= TOL


def test_onnx_lstm_model_graph():
    model = onnx_lstm_model(*to_onnx(LSTMWeights.random(3, 2)), direction="reverse", initial_states=True)
    (node,) = model.graph.node
    attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    assert node.op_type == "LSTM" and attributes == {"hidden_size": 2, "direction": b"reverse"}
    assert list(node.input) == ["X", "W", "R", "B", "", "initial_h", "initial_c"]
    assert [i.name for i in model.graph.input] == ["X", "initial_h", "initial_c"]
    assert sorted(t.name for t in model.graph.initializer) == ["B", "R", "W"]
    assert model.opset_import[0].version == 14


def test_onnx_lstm_model_bad_input():
    W, R, B = to_onnx(LSTMWeights.random(3, 2))
    with pytest.raises(ValueError, match=r"Unknown value for direction: 'bidirectional'"):
        onnx_lstm_model(W, R, B, direction="bidirectional")
    with pytest.raises(ValueError, match=r"B has shape \(1, 8\), expected \(1, 8\*hidden_size=16\)"):
        onnx_lstm_model(W, R, B[:, :8])
    with pytest.raises(ValueError, match=r"opset == 13, must be an int >= 14"):
        onnx_lstm_model(W, R, B, opset=13)
    with pytest.raises(TypeError, match=r"initial_states must be True or False"):
        onnx_lstm_model(W, R, B, initial_states=1)


def _hand_built(layout: int, elem_type: int, dtype: type) -> tuple[onnx.ModelProto, np.ndarray]:
    W, R, B = (a.astype(dtype) for a in to_onnx(LSTMWeights.random(3, 2)))
    x_shape = ["seq_length", "batch", 3] if layout == 0 else ["batch", "seq_length", 3]
    node = helper.make_node("LSTM", ["X", "W", "R", "B"], ["Y"], hidden_size=2, layout=layout)
    graph = helper.make_graph(
        [node], "lstm", [helper.make_tensor_value_info("X", elem_type, x_shape)],
        [helper.make_tensor_value_info("Y", elem_type, None)],
        initializer=[numpy_helper.from_array(a, k) for a, k in ((W, "W"), (R, "R"), (B, "B"))])
    opsets = [helper.make_opsetid("", 14)]
    model = helper.make_model(graph, opset_imports=opsets, ir_version=helper.find_min_ir_version_for(opsets))
    return model, np.zeros((4, 2, 3), dtype=dtype)


def test_onnx_runtime_cpu_lstm_runs_float32_time_first_only():
    # Why onnx_lstm_model writes float32 and layout=0 (its docstring says so): the CPU kernel's limits.
    model, x = _hand_built(0, TensorProto.FLOAT, np.float32)
    assert _session(model).run(None, {"X": x})[0].shape == (4, 1, 2, 2)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4                                      # the expected errors, unlogged
    with pytest.raises(Exception, match="layout == 1"):
        model, x = _hand_built(1, TensorProto.FLOAT, np.float32)
        onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    with pytest.raises(Exception, match="does not support double"):
        model, x = _hand_built(0, TensorProto.DOUBLE, np.float64)
        onnxruntime.InferenceSession(model.SerializeToString(), options,
                                     providers=["CPUExecutionProvider"]).run(None, {"X": x})
