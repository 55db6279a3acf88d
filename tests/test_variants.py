"""LSTM variants: counts against the frameworks' LSTM, the NumPy forward against lstm_forward, ONNX
Runtime (V with peepholes, CIFG with input_forget=1) and the PyTorch module; errors named."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lstm_utils as lu
from lstm_utils.reference import LSTMWeights, lstm_forward
from lstm_utils.variants import (
    VARIANT_INFO,
    VARIANTS,
    VariantWeights,
    count_params,
    parameter_names,
    to_onnx,
    torch_module,
    variant_forward,
)

sizes = st.integers(1, 12)


@given(n=sizes, m=sizes, layers=st.integers(1, 3), bidirectional=st.booleans())
def test_np_count_is_the_frameworks_count(n, m, layers, bidirectional):
    assert count_params(n, m, "NP", num_layers=layers, bidirectional=bidirectional) == lu.count_params(
        n, m, framework="keras", num_layers=layers, bidirectional=bidirectional)


@pytest.mark.parametrize("variant", VARIANTS)
@given(n=sizes, m=sizes)
def test_count_is_the_sum_of_the_arrays_and_follows_the_formula(variant, n, m):
    v = VARIANT_INFO[variant]
    blocks = 1 + len(v.gates)
    formula = blocks * (m * n + m * m + m) + len(v.peepholes) * m + (9 * m * m if v.full_recurrence else 0)
    assert count_params(n, m, variant) == VariantWeights.random(variant, n, m).count() == formula


def test_counts_of_100_to_256_by_variant():
    counts = {v: count_params(100, 256, v) for v in VARIANTS}
    base = 4 * (256 * (100 + 256) + 256)
    assert counts["NP"] == base == 365_568
    assert counts["V"] == counts["NIAF"] == counts["NOAF"] == base + 3 * 256
    assert counts["NIG"] == counts["NFG"] == counts["NOG"] == counts["CIFG"] == 3 * base // 4 + 2 * 256
    assert counts["FGR"] == counts["V"] + 9 * 256 * 256


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@given(n=sizes, m=sizes, batch=st.integers(1, 4), time=st.integers(0, 7), seed=st.integers(0, 99))
def test_np_forward_is_lstm_forward(dtype, n, m, batch, time, seed):
    rng = np.random.default_rng(seed)
    w = LSTMWeights.random(n, m, seed=seed, dtype=dtype)
    x = rng.normal(size=(batch, time, n)).astype(dtype)
    h0, c0 = rng.normal(size=(2, batch, m)).astype(dtype)
    tol = 1e-12 if dtype == np.float64 else 2e-6
    for variant in ("NP", "V"):                 # V with zero peepholes computes the same
        out, (h, c) = variant_forward(x, VariantWeights.from_lstm(w, variant), h0, c0)
        ref, (h_ref, c_ref) = lstm_forward(x, w, h0, c0)
        for a, b in ((out, ref), (h, h_ref), (c, c_ref)):
            assert a.dtype == dtype
            np.testing.assert_allclose(a, b, rtol=0, atol=tol)


def test_variants_differ_from_v_where_they_should():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 6, 4))
    outs = {v: variant_forward(x, VariantWeights.random(v, 4, 5, seed=1, dtype=np.float64))[0]
            for v in VARIANTS}
    for v in VARIANTS[1:]:
        assert not np.allclose(outs[v], outs["V"]), v
    # FGR with zero gate-recurrence matrices is V; NIAF/NOAF only drop a tanh.
    fgr = VariantWeights.random("FGR", 4, 5, seed=1, dtype=np.float64)
    zeroed = {k: (np.zeros_like(a) if k.startswith("R_") else a) for k, a in fgr.arrays.items()}
    v_only = {k: a for k, a in fgr.arrays.items() if not k.startswith("R_")}
    np.testing.assert_allclose(variant_forward(x, VariantWeights("FGR", zeroed))[0],
                               variant_forward(x, VariantWeights("V", v_only))[0], rtol=0, atol=1e-14)


def test_nfg_cell_only_accumulates_and_nog_output_is_tanh_of_the_cell():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 5, 3))
    w = VariantWeights.random("NFG", 3, 4, seed=2, dtype=np.float64)
    _, (h, c) = variant_forward(x, w)
    # with f = 1, c_T is the sum of i_t * g_t: run step by step and add
    total = np.zeros((2, 4))
    h_t, c_t = np.zeros((2, 4)), np.zeros((2, 4))
    for t in range(5):
        _, (h_t, c_next) = variant_forward(x[:, t:t + 1], w, h_t, c_t)
        total += c_next - c_t
        c_t = c_next
    np.testing.assert_allclose(c, total, atol=1e-12)
    w = VariantWeights.random("NOG", 3, 4, seed=2, dtype=np.float64)
    _, (h, c) = variant_forward(x, w)
    np.testing.assert_allclose(h, np.tanh(c), atol=1e-15)


# ---------------------------------------------------------------------------------------------
# ONNX Runtime's own LSTM operator
# ---------------------------------------------------------------------------------------------

def _run_onnx(weights, x, h0=None, c0=None):
    """Run ``x`` (batch, time, n) through one ONNX ``LSTM`` node in ONNX Runtime; batch-first results."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    args = to_onnx(weights)
    m = weights.hidden_size
    batch, time, n = x.shape
    inits = [numpy_helper.from_array(args[k].astype(np.float32), k) for k in ("W", "R", "B")]
    names = ["X", "W", "R", "B", "", "", ""]
    feeds = {"X": np.ascontiguousarray(x.transpose(1, 0, 2), dtype=np.float32)}   # (time, batch, n)
    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, [time, batch, n])]
    for slot, name, value in ((5, "initial_h", h0), (6, "initial_c", c0)):
        if value is not None:
            names[slot] = name
            feeds[name] = value[None].astype(np.float32)                               # (1, batch, m)
            inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, batch, m]))
    if args["P"] is not None:
        names.append("P")
        inits.append(numpy_helper.from_array(args["P"].astype(np.float32), "P"))
    node = helper.make_node("LSTM", names, ["Y", "Y_h", "Y_c"], hidden_size=m,
                            input_forget=args["input_forget"])
    outputs = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [time, 1, batch, m]),
               helper.make_tensor_value_info("Y_h", TensorProto.FLOAT, [1, batch, m]),
               helper.make_tensor_value_info("Y_c", TensorProto.FLOAT, [1, batch, m])]
    graph = helper.make_graph([node], "variant", inputs, outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], ir_version=10)
    onnx.checker.check_model(model)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    Y, Y_h, Y_c = session.run(None, feeds)
    return Y[:, 0].transpose(1, 0, 2), Y_h[0], Y_c[0]        # Y: (time, 1, batch, m) -> (batch, time, m)


WORST = {}


@pytest.mark.parametrize("variant", ["V", "CIFG", "NP"])
@given(n=sizes, m=sizes, batch=st.integers(1, 4), time=st.integers(1, 8), seed=st.integers(0, 99),
       states=st.booleans())
def test_onnx_runtime_computes_the_same_variant(variant, n, m, batch, time, seed, states):
    rng = np.random.default_rng(seed)
    w = VariantWeights.random(variant, n, m, seed=seed, dtype=np.float32)
    x = rng.normal(size=(batch, time, n)).astype(np.float32)
    h0, c0 = rng.normal(size=(2, batch, m)).astype(np.float32) if states else (None, None)
    out, (h, c) = variant_forward(x, w, h0, c0)
    Y, Y_h, Y_c = _run_onnx(w, x, h0, c0)
    worst = max(float(np.abs(a - b).max()) for a, b in ((out, Y), (h, Y_h), (c, Y_c)))
    WORST[variant] = max(WORST.get(variant, 0.0), worst)
    assert worst <= 1e-5


def test_onnx_runtime_disagrees_when_the_peephole_order_is_wrong():
    rng = np.random.default_rng(0)
    w = VariantWeights.random("V", 3, 4, seed=1, dtype=np.float32)
    x = rng.normal(size=(2, 6, 3)).astype(np.float32)
    swapped = dict(w.arrays, p_o=w.arrays["p_f"], p_f=w.arrays["p_o"])      # i, f, o read as i, o, f
    Y, _, _ = _run_onnx(VariantWeights("V", swapped), x)
    assert np.abs(variant_forward(x, w)[0] - Y).max() > 1e-3


# ---------------------------------------------------------------------------------------------
# The PyTorch module
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS)
def test_torch_module_matches_the_numpy_forward_and_trains(variant):
    import torch

    module = torch_module(variant, 3, 4, forget_bias=1.0, seed=2)
    assert sum(p.numel() for p in module.parameters()) == count_params(3, 4, variant)
    if "f" in VARIANT_INFO[variant].gates and not VARIANT_INFO[variant].coupled:
        assert torch.all(module.params["b_f"] == 1.0)
    x = np.random.default_rng(1).normal(size=(2, 5, 3)).astype(np.float32)
    out, (h, c) = module(torch.from_numpy(x))
    ref, (h_ref, c_ref) = variant_forward(x, module.to_numpy())
    np.testing.assert_allclose(out.detach().numpy(), ref, atol=2e-6)
    np.testing.assert_allclose(c.detach().numpy(), c_ref, atol=2e-6)
    out.sum().backward()
    assert all(p.grad is not None for p in module.parameters())


@pytest.mark.parametrize("variant", VARIANTS)
def test_torch_module_in_float64_matches_the_numpy_forward_to_rounding(variant):
    import torch

    module = torch_module(variant, 3, 4, forget_bias=1.0, seed=2, dtype="float64")
    assert all(p.dtype == torch.float64 for p in module.parameters())
    x = np.random.default_rng(1).normal(size=(2, 5, 3))
    out, (h, c) = module(torch.from_numpy(x))
    ref, (h_ref, c_ref) = variant_forward(x, module.to_numpy())
    assert module.to_numpy().dtype == np.float64
    for a, b in ((out, ref), (h, h_ref), (c, c_ref)):
        np.testing.assert_allclose(a.detach().numpy(), b, rtol=0, atol=1e-12)
    # the same seed draws the same numbers in both dtypes, rounded to float32 in the default one
    w32 = torch_module(variant, 3, 4, forget_bias=1.0, seed=2).to_numpy()
    w64 = module.to_numpy()
    assert all(np.array_equal(w32.arrays[k], a.astype(np.float32)) for k, a in w64.arrays.items())


@pytest.mark.parametrize("dtype", ["float64", np.float64, np.dtype("float64")])
def test_torch_module_accepts_float64_by_any_name(dtype):
    import torch

    assert torch_module("NP", 2, 3, dtype=dtype).params["W_c"].dtype == torch.float64
    assert torch_module("NP", 2, 3, dtype=torch.float64).params["U_c"].dtype == torch.float64
    assert torch_module("NP", 2, 3).params["b_c"].dtype == torch.float32             # default unchanged


def test_torch_module_rejects_other_dtypes_by_name():
    import torch

    with pytest.raises(ValueError, match=r"dtype == torch.float16, must be float32 or float64 \(torch"):
        torch_module("NP", 2, 3, dtype=torch.float16)
    with pytest.raises(ValueError, match=r"dtype == 'int64', must be float32 or float64"):
        torch_module("NP", 2, 3, dtype="int64")
    with pytest.raises(TypeError, match=r"dtype must be a torch dtype, a NumPy dtype or a name such as "
                                        r"'float64', got None \(type NoneType\)"):
        torch_module("NP", 2, 3, dtype=None)


def test_torch_module_is_seeded():
    a = torch_module("CIFG", 2, 3, seed=7).to_numpy()
    b = torch_module("CIFG", 2, 3, seed=7).to_numpy()
    assert all(np.array_equal(a.arrays[k], b.arrays[k]) for k in a.arrays)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

def test_forget_bias_is_checked_as_a_real_number():
    with pytest.raises(TypeError, match=r"forget_bias must be a finite real number, got '1' \(type str\)"):
        torch_module("V", 3, 4, forget_bias="1")
    with pytest.raises(TypeError, match=r"forget_bias must be a finite real number, got True"):
        torch_module("V", 3, 4, forget_bias=True)
    with pytest.raises(ValueError, match=r"forget_bias == inf, must be a finite real number"):
        torch_module("V", 3, 4, forget_bias=float("inf"))
    module = torch_module("V", 3, 4, forget_bias=np.float32(2))        # NumPy scalars are real numbers
    assert float(module.params["b_f"].detach()[0]) == 2.0


def test_weights_checks_have_one_form():
    with pytest.raises(TypeError, match=r"weights must be a VariantWeights, got dict; build one with "
                                        r"VariantWeights\(variant, arrays\)"):
        variant_forward(np.ones((1, 2, 3)), {})
    with pytest.raises(TypeError, match=r"weights must be a VariantWeights, got LSTMWeights; build one with"):
        to_onnx(LSTMWeights.random(3, 4))
    with pytest.raises(TypeError, match=r"weights must be an LSTMWeights, got dict; build one with "
                                        r"LSTMWeights\(W, U, b\)"):
        VariantWeights.from_lstm({}, "NP")


def test_variant_weights_are_read_only_and_the_torch_module_trains_its_own_copy():
    import torch

    w = VariantWeights.random("V", 3, 4, seed=2)
    with pytest.raises(ValueError, match="read-only"):
        w["p_i"][0] = 1.0
    with pytest.raises(TypeError):
        w.arrays["p_i"] = np.zeros(4)
    module = torch_module("V", 3, 4, seed=2)
    with torch.no_grad():
        module.params["p_i"][0] = 5.0                                    # a parameter changes in place
    assert float(module.params["p_i"].detach()[0]) == 5.0
    assert VariantWeights.random("V", 3, 4, seed=2)["p_i"][0] == w["p_i"][0]


def test_unknown_variant_is_named_with_the_list():
    with pytest.raises(ValueError, match=r"Unknown value for variant: 'peephole'.*'CIFG'"):
        count_params(3, 4, "peephole")
    assert count_params(3, 4, "cifg") == count_params(3, 4, "CIFG")


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"hidden_size == 0, must be an int >= 1"):
        count_params(3, 0)
    with pytest.raises(TypeError, match=r"bidirectional must be True or False"):
        count_params(3, 4, bidirectional="yes")
    arrays = dict(VariantWeights.random("NP", 3, 4).arrays)
    with pytest.raises(ValueError, match=r"missing \('p_i', 'p_f', 'p_o'\)"):
        VariantWeights("V", arrays)
    arrays["U_f"] = np.zeros((4, 5))
    with pytest.raises(ValueError, match=r"U_f has shape \(4, 5\), expected \(hidden_size=4, hidden_"):
        VariantWeights("NP", arrays)
    w = VariantWeights.random("NP", 3, 4)
    with pytest.raises(ValueError, match=r"x has shape \(2, 5, 2\), expected \(batch, time, input_size=3\)"):
        variant_forward(np.zeros((2, 5, 2)), w)
    with pytest.raises(TypeError, match=r"weights must be a VariantWeights, got LSTMWeights"):
        variant_forward(np.zeros((2, 5, 3)), LSTMWeights.random(3, 4))
    with pytest.raises(ValueError, match=r"variant 'FGR' has no ONNX LSTM form"):
        to_onnx(VariantWeights.random("FGR", 3, 4))
    assert parameter_names("NIG")[:3] == ("W_c", "U_c", "b_c")


@given(n=sizes, m=st.integers(2, 12), data=st.data(), layers=st.integers(1, 3), bidirectional=st.booleans())
def test_lstmp_count_is_pytorchs_proj_size_count_minus_its_second_bias(n, m, data, layers, bidirectional):
    r = data.draw(st.integers(1, m - 1))
    ours = count_params(n, m, "NP", num_layers=layers, bidirectional=bidirectional, proj_size=r)
    torch_count = lu.count_params(n, m, framework="pytorch", num_layers=layers, bidirectional=bidirectional,
                                  proj_size=r)
    assert ours + layers * (2 if bidirectional else 1) * 4 * m == torch_count
    # Sak et al.'s LSTMP keeps the peepholes: three vectors of m more per layer and direction
    v = count_params(n, m, "V", num_layers=layers, bidirectional=bidirectional, proj_size=r)
    assert v - ours == layers * (2 if bidirectional else 1) * 3 * m


def test_lstmp_worked_example_and_bad_proj_size():
    assert count_params(100, 256, "V", proj_size=128) == 4 * 256 * (100 + 128 + 1) + 3 * 256 + 128 * 256
    assert count_params(100, 256, "V", proj_size=0) == count_params(100, 256, "V")
    with pytest.raises(ValueError, match="proj_size"):
        count_params(100, 256, proj_size=-1)
