"""BPTT by hand: lstm_backward against PyTorch autograd, TensorFlow's GradientTape and finite differences.

Every case draws random sizes, with or without initial states, and with each of the three upstream
gradients (dL/doutputs, dL/dh_n, dL/dc_n) present or missing; the loss is
``L = sum(outputs * d_outputs) + sum(h_n * d_h_n) + sum(c_n * d_c_n)``, whose gradients with respect
to the outputs and final states are exactly the given arrays. Tolerances: 1e-8 in float64 and 1e-4 in
float32, both relative to the largest entry of the reference gradient (or absolute below 1), so that
a gradient summed over many steps is not held to more digits than float32 has. Run with ``-s`` to
see the worst differences of the run.
"""

import ast
import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_utils import GATE_ORDER, backward, cost, reference
from lstm_utils.backward import lstm_backward
from lstm_utils.convert import load_into_keras, load_into_torch
from lstm_utils.reference import LSTMWeights, lstm_forward, lstm_forward_per_gate, lstm_step

TOL = {np.float64: 1e-8, np.float32: 1e-4}
NAMES = ("dW", "dU", "db", "dx", "dh0", "dc0")
sizes = st.integers(min_value=1, max_value=12)
batches = st.integers(min_value=1, max_value=4)
steps = st.integers(min_value=1, max_value=8)
seeds = st.integers(min_value=0, max_value=2**16)
dtypes = st.sampled_from([np.float64, np.float32])
# which of (initial states, d_outputs, d_h_n, d_c_n) are given; at least one upstream gradient
flags = st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()).filter(lambda f: any(f[1:]))

WORST: dict[tuple[str, str], float] = {}


@pytest.fixture(scope="module", autouse=True)
def report_worst():
    yield
    for (ref, dtype), diff in sorted(WORST.items()):
        print(f"\nworst relative difference of lstm_backward vs {ref}, {dtype}: {diff:.2e}")


def make_case(n, m, batch, time, seed, dtype, flags):
    """Weights (non-zero biases), x, states and upstream gradients of one random case."""
    with_states, with_out, with_h, with_c = flags
    rng = np.random.default_rng(seed)
    w = LSTMWeights(*(rng.normal(scale=0.5, size=s) for s in ((4, m, n), (4, m, m), (4, m))))
    w = LSTMWeights(w.W.astype(dtype), w.U.astype(dtype), w.b.astype(dtype))

    def draw(shape, present=True):
        return rng.normal(size=shape).astype(dtype) if present else None

    x = draw((batch, time, n))
    h0, c0 = draw((batch, m), with_states), draw((batch, m), with_states)
    up = {"d_outputs": draw((batch, time, m), with_out), "d_h_n": draw((batch, m), with_h),
          "d_c_n": draw((batch, m), with_c)}
    return w, x, h0, c0, up


def ours(w, x, h0, c0, up):
    dw, dx, (dh0, dc0) = lstm_backward(x, w, up["d_outputs"], h0, c0, d_h_n=up["d_h_n"], d_c_n=up["d_c_n"])
    return dw.W, dw.U, dw.b, dx, dh0, dc0


def rel_diff(a, ref):
    a, ref = np.asarray(a, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    return float(np.max(np.abs(a - ref), initial=0.0) / max(1.0, np.max(np.abs(ref), initial=0.0)))


def check_close(mine, theirs, dtype, against):
    for name, a, ref in zip(NAMES, mine, theirs, strict=True):
        assert a.shape == ref.shape, name
        assert a.dtype == dtype, name
        diff = rel_diff(a, ref)
        key = (against, np.dtype(dtype).name)
        WORST[key] = max(WORST.get(key, 0.0), diff)
        assert diff <= TOL[dtype], f"{name}: {diff:.2e} vs {against}"


def torch_grads(w, x, h0, c0, up):
    """The same gradients from torch.nn.LSTM and autograd, in the neutral layout."""
    batch, _, n = x.shape
    m = w.hidden_size
    dtype = torch.float64 if x.dtype == np.float64 else torch.float32
    module = torch.nn.LSTM(n, m, batch_first=True).to(dtype)
    load_into_torch(w, module)
    xt = torch.tensor(x, requires_grad=True)
    zeros = np.zeros((batch, m), dtype=x.dtype)
    h0t = torch.tensor((zeros if h0 is None else h0)[None], requires_grad=True)
    c0t = torch.tensor((zeros if c0 is None else c0)[None], requires_grad=True)
    out, (h_n, c_n) = module(xt, (h0t, c0t))
    loss = 0
    for value, given_grad in ((out, up["d_outputs"]), (h_n[0], up["d_h_n"]), (c_n[0], up["d_c_n"])):
        if given_grad is not None:
            loss = loss + (value * torch.from_numpy(given_grad)).sum()
    loss.backward()
    return (module.weight_ih_l0.grad.numpy().reshape(4, m, n),      # (4m, n) -> (4, m, n), rows i, f, g, o
            module.weight_hh_l0.grad.numpy().reshape(4, m, m),
            module.bias_ih_l0.grad.numpy().reshape(4, m),
            xt.grad.numpy(), h0t.grad[0].numpy(), c0t.grad[0].numpy())


def keras_grads(w, x, h0, c0, up):
    """The same gradients from a Keras LSTM and tf.GradientTape, in the neutral layout."""
    batch, _, n = x.shape
    m = w.hidden_size
    layer = keras.layers.LSTM(m, return_sequences=True, return_state=True, dtype=np.dtype(x.dtype).name)
    load_into_keras(w, layer)
    zeros = np.zeros((batch, m), dtype=x.dtype)
    xt = tf.constant(x)
    h0t = tf.constant(zeros if h0 is None else h0)
    c0t = tf.constant(zeros if c0 is None else c0)
    cell = layer.cell
    with tf.GradientTape() as tape:
        tape.watch([xt, h0t, c0t])
        out, h_n, c_n = layer(xt, initial_state=[h0t, c0t])
        loss = 0
        for value, given_grad in ((out, up["d_outputs"]), (h_n, up["d_h_n"]), (c_n, up["d_c_n"])):
            if given_grad is not None:
                loss = loss + tf.reduce_sum(value * given_grad)
    g = tape.gradient(loss, [cell.kernel, cell.recurrent_kernel, cell.bias, xt, h0t, c0t])
    g = [np.asarray(v) for v in g]
    return (g[0].reshape(n, 4, m).transpose(1, 2, 0),               # kernel (n, 4m) -> (4, m, n)
            g[1].reshape(m, 4, m).transpose(1, 2, 0),               # recurrent_kernel (m, 4m) -> (4, m, m)
            g[2].reshape(4, m), g[3], g[4], g[5])


# ---------------------------------------------------------------------------------------------
# Against the frameworks' autograd
# ---------------------------------------------------------------------------------------------


@given(n=sizes, m=sizes, batch=batches, time=steps, seed=seeds, dtype=dtypes, flags=flags)
def test_matches_torch_autograd(n, m, batch, time, seed, dtype, flags):
    case = make_case(n, m, batch, time, seed, dtype, flags)
    check_close(ours(*case), torch_grads(*case), dtype, "PyTorch autograd")


@settings(max_examples=10)   # a Keras layer per example is slow
@given(n=sizes, m=sizes, batch=batches, time=steps, seed=seeds, dtype=dtypes, flags=flags)
def test_matches_tensorflow_gradient_tape(n, m, batch, time, seed, dtype, flags):
    case = make_case(n, m, batch, time, seed, dtype, flags)
    check_close(ours(*case), keras_grads(*case), dtype, "TensorFlow GradientTape")


def test_long_float32_sequence_matches_torch():
    # 60 steps, 16 -> 32: the weight gradients are sums over 60 * 8 step-samples
    case = make_case(16, 32, 8, 60, seed=1, dtype=np.float32, flags=(True, True, True, True))
    check_close(ours(*case), torch_grads(*case), np.float32, "PyTorch autograd")


# ---------------------------------------------------------------------------------------------
# Against central finite differences of the forward pass
# ---------------------------------------------------------------------------------------------


def loss_of(w, x, h0, c0, up):
    out, (h_n, c_n) = lstm_forward(x, w, h0, c0)
    total = 0.0
    for value, given_grad in ((out, up["d_outputs"]), (h_n, up["d_h_n"]), (c_n, up["d_c_n"])):
        if given_grad is not None:
            total += float(np.sum(value * given_grad))
    return total


def numeric_grad(f, array, eps=1e-6):
    """Central differences (f(a + eps) - f(a - eps)) / (2 eps), one entry of ``array`` at a time."""
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        keep = array[idx]
        array[idx] = keep + eps
        up = f()
        array[idx] = keep - eps
        down = f()
        array[idx] = keep
        grad[idx] = (up - down) / (2 * eps)
    return grad


@settings(max_examples=10)
@given(n=st.integers(1, 3), m=st.integers(1, 3), batch=st.integers(1, 2), time=st.integers(1, 4),
       seed=seeds, flags=flags)
def test_matches_central_finite_differences(n, m, batch, time, seed, flags):
    w, x, h0, c0, up = make_case(n, m, batch, time, seed, np.float64, flags)
    h0 = np.zeros((batch, m)) if h0 is None else h0      # arrays to perturb (zeros: as if omitted)
    c0 = np.zeros((batch, m)) if c0 is None else c0
    W, U, b = w.W.copy(), w.U.copy(), w.b.copy()

    def f():
        return loss_of(LSTMWeights(W, U, b), x, h0, c0, up)

    numeric = [numeric_grad(f, a) for a in (W, U, b, x, h0, c0)]
    for name, a, ref in zip(NAMES, ours(w, x, h0, c0, up), numeric, strict=True):
        assert rel_diff(a, ref) <= 1e-7, name


# ---------------------------------------------------------------------------------------------
# Properties that need no framework
# ---------------------------------------------------------------------------------------------


def test_no_upstream_gradient_gives_zeros():
    w, x, h0, c0, _ = make_case(3, 4, 2, 5, seed=0, dtype=np.float64, flags=(True, True, True, True))
    grads = ours(w, x, h0, c0, {"d_outputs": None, "d_h_n": None, "d_c_n": None})
    assert [a.shape for a in grads] == [(4, 4, 3), (4, 4, 4), (4, 4), (2, 5, 3), (2, 4), (2, 4)]
    assert not any(a.any() for a in grads)


def test_d_h_n_adds_to_the_last_output_gradient():
    w, x, h0, c0, up = make_case(3, 4, 2, 5, seed=2, dtype=np.float64, flags=(True, True, True, False))
    merged = up["d_outputs"].copy()
    merged[:, -1] += up["d_h_n"]
    a = ours(w, x, h0, c0, up)
    b = ours(w, x, h0, c0, {"d_outputs": merged, "d_h_n": None, "d_c_n": None})
    for name, ga, gb in zip(NAMES, a, b, strict=True):
        assert np.allclose(ga, gb, rtol=1e-12, atol=1e-14), name


def test_empty_sequence_passes_the_final_gradients_through():
    w = LSTMWeights.random(3, 2, seed=0)
    d_h, d_c = np.ones((1, 2), np.float32), np.full((1, 2), 2.0, np.float32)
    dw, dx, (dh0, dc0) = lstm_backward(np.zeros((1, 0, 3), np.float32), w, None, d_h_n=d_h, d_c_n=d_c)
    assert dx.shape == (1, 0, 3) and not dw.W.any() and not dw.U.any() and not dw.b.any()
    assert np.array_equal(dh0, d_h) and np.array_equal(dc0, d_c)


def test_dtype_follows_x_and_weights():
    w32 = LSTMWeights.random(3, 2, seed=0)
    x32 = np.ones((1, 2, 3), np.float32)
    dw, dx, (dh0, _) = lstm_backward(x32, w32, np.ones((1, 2, 2)))     # float64 upstream is cast
    assert dw.dtype == dx.dtype == dh0.dtype == np.float32
    dw, dx, (dh0, _) = lstm_backward(x32.astype(np.float64), w32, np.ones((1, 2, 2)))
    assert dw.dtype == dx.dtype == dh0.dtype == np.float64


class _Record(ast.NodeTransformer):
    """``a @ b`` and ``np.matmul(a, b, ...)`` become ``_record(a, b, ...)``."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.MatMult):
            call = ast.Call(ast.Name("_record", ast.Load()), [node.left, node.right], [])
            return ast.copy_location(call, node)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr == "matmul" and getattr(f.value, "id", "") == "np":
            node.func = ast.copy_location(ast.Name("_record", ast.Load()), f)
        return node


def recorded_products(*modules):
    """The functions of ``modules`` re-executed with every product recording (a.shape, b.shape).

    Each module's functions run in a copy of its own globals (its classes are the real ones).
    """
    shapes = []

    def record(a, b, out=None):
        shapes.append((a.shape, b.shape))
        return np.matmul(a, b, out=out)

    namespaces = []
    for module in modules:
        source = inspect.getsource(module)
        assert not any(f in source for f in ("np.dot", "einsum", "tensordot", "np.inner"))   # @ and matmul
        tree = ast.parse(source)
        tree.body = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        namespace = dict(vars(module), _record=record)
        tree = ast.fix_missing_locations(_Record().visit(tree))
        exec(compile(tree, f"<recorded {module.__name__}>", "exec"), namespace)
        namespaces.append(namespace)
    return namespaces, shapes


@pytest.mark.parametrize(("n", "m", "batch", "time"), [(3, 4, 2, 5), (100, 256, 2, 3)])
def test_products_run_are_forward_plus_backward_macs(n, m, batch, time):
    (forward_ns, backward_ns), shapes = recorded_products(reference, backward)
    w, x = LSTMWeights.random(n, m), np.ones((batch, time, n), np.float32)
    _, _, cache = forward_ns["lstm_forward"](x, w, return_cache=True)
    forward_shapes = len(shapes)
    backward_ns["lstm_backward"](x, w, np.ones((batch, time, m)), cache=cache)
    assert all(len(a) == len(b) == 2 and a[1] == b[0] for a, b in shapes)
    parts = (shapes[:forward_shapes], shapes[forward_shapes:])
    macs = [sum(a[0] * a[1] * b[1] for a, b in part) for part in parts]
    forward = cost.matmul_macs(n, m, batch=batch, steps=time)
    assert cost.backward_macs(n, m, batch=batch, steps=time) == 2 * forward
    assert macs == [forward, cost.backward_macs(n, m, batch=batch, steps=time)]
    assert sum(macs) == 3 * forward
    # one product before the loop and one per step forward; one per step and three after it backward
    assert forward_shapes == time + 1 and len(shapes) == 2 * time + 4


# ---------------------------------------------------------------------------------------------
# One forward pass: the per-gate forward, the fused forward and the backward pass's cache agree
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("padded", [False, True])
@pytest.mark.parametrize(("n", "m", "batch", "time", "seed"),
                         [(3, 4, 2, 5, 0), (1, 2, 1, 4, 1), (5, 3, 4, 7, 2), (2, 6, 3, 1, 3)])
def test_per_gate_fused_and_the_backward_cache_agree_in_float64(n, m, batch, time, seed, padded):
    rng = np.random.default_rng(seed)
    w = LSTMWeights.random(n, m, seed=seed, dtype=np.float64)
    x = rng.normal(size=(batch, time, n))
    h0, c0 = rng.normal(size=(batch, m)), rng.normal(size=(batch, m))
    lengths = None
    if padded:
        lengths = rng.integers(1, time + 1, size=batch)
        lengths[0] = 1                                               # at least one padded step if time > 1
    out_pg, (h_pg, c_pg) = lstm_forward_per_gate(x, w, h0, c0, lengths=lengths)
    out, (h_n, c_n), cache = lstm_forward(x, w, h0, c0, lengths=lengths, return_cache=True)
    close = {"rtol": 0, "atol": 1e-12}
    for a, b in ((out, out_pg), (h_n, h_pg), (c_n, c_pg)):
        np.testing.assert_allclose(a, b, **close)
    # the cache against the step function, one step at a time (states kept at padded steps)
    assert np.array_equal(cache.hs[0], h0) and np.array_equal(cache.cs[0], c0)
    h, c = h0, c0
    for t in range(time):
        h_t, c_t, gates = lstm_step(x[:, t], h, c, w)
        acts = np.concatenate([gates[g] for g in GATE_ORDER], axis=1)   # (batch, 4m): i, f, g, o
        np.testing.assert_allclose(cache.acts[t], acts, **close)
        np.testing.assert_allclose(cache.tanh_cs[t], np.tanh(c_t), **close)
        running = np.ones((batch, 1), bool) if lengths is None else (t < lengths)[:, None]
        h, c = np.where(running, h_t, h), np.where(running, c_t, c)
        np.testing.assert_allclose(cache.hs[t + 1], h, **close)
        np.testing.assert_allclose(cache.cs[t + 1], c, **close)
        np.testing.assert_allclose(out[:, t], np.where(running, h, 0.0), **close)
    # the backward pass given this cache is the backward pass that runs the forward itself, bit for bit
    d_out = rng.normal(size=(batch, time, m))
    given = lstm_backward(x, w, d_out, h0, c0, d_c_n=h0, lengths=lengths, cache=cache)
    own = lstm_backward(x, w, d_out, h0, c0, d_c_n=h0, lengths=lengths)
    for a, b in zip(flat(given), flat(own), strict=True):
        assert np.array_equal(a, b)


def flat(grads):
    dw, dx, (dh0, dc0) = grads
    return dw.W, dw.U, dw.b, dx, dh0, dc0


def test_forward_does_not_write_into_the_cache_it_returned():
    w, x = LSTMWeights.random(2, 3, seed=0), np.ones((1, 4, 2), np.float32)
    out, (h_n, c_n), cache = lstm_forward(x, w, lengths=[2], return_cache=True)
    assert not out[0, 2:].any() and cache.hs[2:].any()               # zero outputs, kept states
    assert not np.shares_memory(out, cache.hs) and not np.shares_memory(h_n, cache.hs)
    assert np.array_equal(h_n, cache.hs[2]) and np.array_equal(c_n, cache.cs[-1])


def test_a_cache_that_does_not_fit_is_named():
    w, x = LSTMWeights.random(3, 4, seed=0), np.ones((2, 5, 3), np.float32)
    _, _, short = lstm_forward(x[:, :4], w, return_cache=True)
    with pytest.raises(ValueError, match=r"cache.acts has shape \(4, 2, 16\), expected \(time=5, batch=2, "
                                         r"4\*hidden_size=16\)"):
        lstm_backward(x, w, None, cache=short)
    _, _, cache64 = lstm_forward(x.astype(np.float64), w, return_cache=True)
    with pytest.raises(TypeError, match="cache.acts has dtype float64, expected float32"):
        lstm_backward(x, w, None, cache=cache64)
    with pytest.raises(TypeError, match=r"cache must be an LSTMCache, got tuple; take the one lstm_forward"):
        lstm_backward(x, w, None, cache=tuple(cache64))
    with pytest.raises(TypeError, match="return_cache must be True or False, got 1"):
        lstm_forward(x, w, return_cache=1)


def test_backward_macs_checks_its_arguments():
    assert cost.backward_macs(5, 10, input_grad=False) == 4 * 10 * (5 + 2 * 10)
    with pytest.raises(TypeError, match="input_grad must be True or False, got 1"):
        cost.backward_macs(5, 10, input_grad=1)
    with pytest.raises(ValueError, match="hidden_size == 0, must be an int >= 1"):
        cost.backward_macs(5, 0)


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_shape_errors_name_the_array_and_both_shapes():
    w = LSTMWeights.random(3, 4)
    x = np.zeros((2, 5, 3), np.float32)
    with pytest.raises(ValueError, match=r"d_outputs has shape \(2, 5, 3\), expected "
                                         r"\(batch=2, time=5, hidden_size=4\)\."):
        lstm_backward(x, w, np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"d_outputs has shape \(5, 4\), expected \(batch=2, time=5, "):
        lstm_backward(x, w, np.zeros((5, 4)))
    with pytest.raises(ValueError, match=r"d_h_n has shape \(1, 4\), expected \(batch=2, hidden_size=4\)\."):
        lstm_backward(x, w, None, d_h_n=np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"d_c_n has shape \(2, 3\), expected \(batch=2, hidden_size=4\)\."):
        lstm_backward(x, w, None, d_c_n=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"x has shape \(2, 5, 2\), expected \(batch, time, input_size=3\)"):
        lstm_backward(np.zeros((2, 5, 2)), w, None)
    with pytest.raises(ValueError, match=r"h0 has shape \(2, 3\), expected \(batch=2, hidden_size=4\)\."):
        lstm_backward(x, w, None, h0=np.zeros((2, 3)))


def test_type_errors_name_the_argument():
    x = np.zeros((2, 5, 3), np.float32)
    w = LSTMWeights.random(3, 4)
    with pytest.raises(TypeError, match="weights must be an LSTMWeights, got dict"):
        lstm_backward(x, {"W": 0}, None)
    with pytest.raises(TypeError, match="d_outputs must hold real numbers, got an array of dtype <U1"):
        lstm_backward(x, w, "a")
    with pytest.raises(TypeError, match="d_c_n must hold real numbers, got an array of dtype complex128"):
        lstm_backward(x, w, None, d_c_n=np.zeros((2, 4), complex))
    with pytest.raises(TypeError, match="d_h_n must be array-like, got Tensor"):
        lstm_backward(x, w, None, d_h_n=torch.zeros(2, 4, requires_grad=True))
