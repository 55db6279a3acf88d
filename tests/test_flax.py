"""Flax NNX, the fifth framework: tensors, gate order, conversions and outputs, against the installed flax."""

import inspect
import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_utils as lu
from lstm_utils.convert_flax import from_flax, load_into_flax
from lstm_utils.frameworks.base import LayerSpec
from lstm_utils.frameworks.flax import RECORD
from lstm_utils.frameworks.registry import REGISTRY, resolve
from lstm_utils.gates import GATE_ORDER
from lstm_utils.reference import LSTMWeights, lstm_forward

LSTM_CELLS = (nnx.LSTMCell, nnx.OptimizedLSTMCell)
sizes = st.integers(min_value=1, max_value=12)
seeds = st.integers(min_value=0, max_value=2**16)


def params(module) -> dict[str, tuple[int, ...]]:
    """``{"ii.kernel": (3, 2), ...}``: every nnx.Param of ``module``, as flax's state lists them."""
    flat = nnx.to_flat_state(nnx.state(module, nnx.Param))
    return {".".join(map(str, path)): tuple(v.shape) for path, v in flat}


def run_rnn(cell, x, **kw):
    """``nnx.RNN(cell)`` on a NumPy batch; returns NumPy outputs (and the carry with return_carry)."""
    result = nnx.RNN(cell, **kw)(jnp.asarray(x))
    return jax.tree_util.tree_map(np.asarray, result)


# ---------------------------------------------------------------------------------------------
# What the cells store, asked from flax
# ---------------------------------------------------------------------------------------------


def test_lstm_cell_tensors_names_shapes_and_count():
    n, m = 3, 2
    found = params(nnx.LSTMCell(n, m, rngs=nnx.Rngs(0)))
    expected = {f"{lin}.kernel": (n, m) for lin in ("ii", "if_", "ig", "io")}
    expected |= {f"{lin}.kernel": (m, m) for lin in ("hi", "hf", "hg", "ho")}
    expected |= {f"{lin}.bias": (m,) for lin in ("hi", "hf", "hg", "ho")}
    assert found == expected
    assert sum(int(np.prod(s)) for s in found.values()) == 4 * m * (n + m + 1) == 48


def test_optimized_cell_tensors_are_fused():
    n, m = 3, 2
    found = params(nnx.OptimizedLSTMCell(n, m, rngs=nnx.Rngs(0)))
    assert found == {"dense_i.kernel": (n, 4 * m), "dense_h.kernel": (m, 4 * m), "dense_h.bias": (4 * m,)}
    assert sum(int(np.prod(s)) for s in found.values()) == 48


def test_rnn_adds_no_parameters():
    cell = nnx.LSTMCell(5, 10, rngs=nnx.Rngs(0))
    assert params(nnx.RNN(cell)) == {f"cell.{k}": s for k, s in params(cell).items()}


# ---------------------------------------------------------------------------------------------
# Gate order and activations, found by running the cells
# ---------------------------------------------------------------------------------------------


def _two_steps(a: float, b: float, c: float, d: float, order: tuple[str, ...]) -> tuple[float, float]:
    """c_2 and h_2 of an LSTM with zero kernels and block biases a, b, c, d read in ``order``."""
    z = dict(zip(order, (a, b, c, d), strict=True))
    sig = 1.0 / (1.0 + np.exp(-np.array([z["input"], z["forget"], z["output"]])))
    i, f, o = sig
    g = np.tanh(z["candidate"])
    c1 = i * g                                  # c_0 = 0
    c2 = f * c1 + i * g
    return c2, o * np.tanh(c2)


@pytest.mark.parametrize("cls", LSTM_CELLS)
def test_gate_order_is_i_f_g_o_by_running_the_cell(cls):
    """Zero kernels, bias block k = a distinct number: only one of the 24 orders gives flax's c_2, h_2."""
    biases = (0.3, -1.2, 0.9, 2.0)
    cell = cls(1, 1, rngs=nnx.Rngs(0))
    w = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.array(biases)[:, None])
    load_into_flax(w, cell)                    # bias block k <- biases[k]
    (c2, h2), _ = run_rnn(cell, np.zeros((1, 2, 1), np.float32), return_carry=True)
    matches = [order for order in itertools.permutations(GATE_ORDER)
               if np.allclose(_two_steps(*biases, order), (c2[0, 0], h2[0, 0]), atol=1e-6)]
    assert matches == [GATE_ORDER] == [tuple(g.role for g in RECORD.lstm_gates)]


@pytest.mark.parametrize("cls", LSTM_CELLS)
def test_default_activations_are_sigmoid_and_tanh_by_running(cls):
    cell = cls(1, 1, rngs=nnx.Rngs(0))
    z = np.linspace(-3, 3, 7, dtype=np.float32)[:, None]
    assert np.allclose(np.asarray(cell.gate_fn(z)), 1 / (1 + np.exp(-z)), atol=1e-6)
    assert np.allclose(np.asarray(cell.activation_fn(z)), np.tanh(z), atol=1e-6)


def test_the_two_cells_agree_on_shared_weights():
    w = LSTMWeights.random(3, 4, seed=2)
    cells = [cls(3, 4, rngs=nnx.Rngs(1)) for cls in LSTM_CELLS]
    for cell in cells:
        load_into_flax(w, cell)
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype(np.float32)
    a, b = (run_rnn(cell, x) for cell in cells)
    assert np.max(np.abs(a - b)) <= 1e-5


# ---------------------------------------------------------------------------------------------
# Conversions: exact round trips, both directions, both cells
# ---------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(n=sizes, m=sizes, seed=seeds, cls=st.sampled_from(LSTM_CELLS), other=st.sampled_from(LSTM_CELLS))
def test_round_trip_flax_neutral_flax_is_exact(n, m, seed, cls, other):
    cell = cls(n, m, bias_init=nnx.initializers.normal(1.0), rngs=nnx.Rngs(seed))   # non-zero biases
    w = from_flax(cell)
    assert (w.input_size, w.hidden_size, w.dtype) == (n, m, np.float32)
    assert np.any(w.b)
    target = other(n, m, rngs=nnx.Rngs(seed + 1))
    load_into_flax(w, target)
    assert from_flax(target) == w
    if other is cls:                                       # the same class: every tensor equal
        a, b = nnx.to_flat_state(nnx.state(cell, nnx.Param)), nnx.to_flat_state(nnx.state(target, nnx.Param))
        for (pa, va), (pb, vb) in zip(a, b, strict=True):
            assert pa == pb and np.array_equal(np.asarray(va[...]), np.asarray(vb[...]))


@settings(max_examples=25, deadline=None)
@given(n=sizes, m=sizes, seed=seeds, cls=st.sampled_from(LSTM_CELLS), dtype=st.sampled_from([np.float32,
                                                                                              np.float64]))
def test_round_trip_neutral_flax_neutral_is_exact_in_float32(n, m, seed, cls, dtype):
    w = LSTMWeights.random(n, m, seed=seed, dtype=dtype)
    cell = cls(n, m, rngs=nnx.Rngs(0))
    load_into_flax(w, cell)                                # cast to the cell's float32
    assert from_flax(cell) == w.astype(np.float32)


def test_layouts_blocks_are_transposed_gate_columns():
    w = LSTMWeights.random(3, 2, seed=4)
    cell, fused = nnx.LSTMCell(3, 2, rngs=nnx.Rngs(0)), nnx.OptimizedLSTMCell(3, 2, rngs=nnx.Rngs(0))
    load_into_flax(w, cell)
    load_into_flax(w, fused)
    kernel, recurrent, bias = (np.asarray(v[...]) for v in (fused.dense_i.kernel, fused.dense_h.kernel,
                                                             fused.dense_h.bias))
    for k, (i, h) in enumerate((("ii", "hi"), ("if_", "hf"), ("ig", "hg"), ("io", "ho"))):
        W_k, U_k, b_k = w.gate(GATE_ORDER[k])
        assert np.array_equal(np.asarray(getattr(cell, i).kernel[...]), W_k.T)
        assert np.array_equal(np.asarray(getattr(cell, h).kernel[...]), U_k.T)
        assert np.array_equal(np.asarray(getattr(cell, h).bias[...]), b_k)
        assert np.array_equal(kernel[:, 2 * k : 2 * k + 2], W_k.T)
        assert np.array_equal(recurrent[:, 2 * k : 2 * k + 2], U_k.T)
        assert np.array_equal(bias[2 * k : 2 * k + 2], b_k)


# ---------------------------------------------------------------------------------------------
# Outputs: nnx.RNN equals the NumPy reference
# ---------------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(n=sizes, m=sizes, batch=st.integers(1, 4), steps=st.integers(1, 12), seed=seeds,
       cls=st.sampled_from(LSTM_CELLS), scale=st.sampled_from([0.5, 1.0, 2.0]))
def test_rnn_outputs_equal_lstm_forward(n, m, batch, steps, seed, cls, scale):
    rng = np.random.default_rng(seed)
    arrays = (scale * rng.standard_normal(s) for s in ((4, m, n), (4, m, m), (4, m)))
    w = LSTMWeights(*arrays).astype(np.float32)
    cell = cls(n, m, rngs=nnx.Rngs(0))
    load_into_flax(w, cell)
    x = rng.standard_normal((batch, steps, n)).astype(np.float32)
    (c_n, h_n), out = run_rnn(cell, x, return_carry=True)            # the carry is (c, h)
    ref, (h_ref, c_ref) = lstm_forward(x, w)
    assert out.shape == (batch, steps, m) and c_n.shape == h_n.shape == (batch, m)
    worst = max(float(np.max(np.abs(a - b))) for a, b in ((out, ref), (h_n, h_ref), (c_n, c_ref)))
    assert worst <= 1e-5, worst


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_from_flax_refuses_other_cells_and_layers():
    accepted = (r"cell must be a flax\.nnx\.LSTMCell or flax\.nnx\.OptimizedLSTMCell "
                r"\(or an nnx\.RNN wrapping one\)")
    with pytest.raises(TypeError, match=accepted + ", got GRUCell\\."):
        from_flax(nnx.GRUCell(2, 3, rngs=nnx.Rngs(0)))
    with pytest.raises(TypeError, match=accepted + ", got SimpleCell inside an nnx.RNN\\."):
        from_flax(nnx.RNN(nnx.SimpleCell(2, 3, rngs=nnx.Rngs(0))))
    with pytest.raises(TypeError, match=accepted + ", got dict\\."):
        load_into_flax(LSTMWeights.random(2, 3), {"kernel": 0})


def test_from_flax_refuses_a_keras_layer():
    keras = pytest.importorskip("keras")
    with pytest.raises(TypeError, match=r"cell must be a flax\.nnx\.LSTMCell .*, got LSTM\."):
        from_flax(keras.layers.LSTM(3))


@pytest.mark.parametrize("cls", LSTM_CELLS)
def test_other_activations_are_refused(cls):
    with pytest.raises(ValueError, match="cell.gate_fn is 'hard_sigmoid', but the neutral form assumes "
                                         r"'sigmoid' \(Flax's default\)\."):
        from_flax(cls(2, 3, gate_fn=jax.nn.hard_sigmoid, rngs=nnx.Rngs(0)))
    with pytest.raises(ValueError, match="cell.activation_fn is 'relu', but the neutral form assumes 'tanh'"):
        load_into_flax(LSTMWeights.random(2, 3), cls(2, 3, activation_fn=jax.nn.relu, rngs=nnx.Rngs(0)))


def test_load_into_flax_wrong_sizes_name_the_tensor_and_both_shapes():
    w = LSTMWeights.random(3, 2)
    with pytest.raises(ValueError, match=r"ii\.kernel of the LSTMCell has shape \(4, 2\), but weights with "
                                         r"input_size=3, hidden_size=2 need \(3, 2\)\."):
        load_into_flax(w, nnx.LSTMCell(4, 2, rngs=nnx.Rngs(0)))
    with pytest.raises(ValueError, match=r"dense_i\.kernel of the OptimizedLSTMCell has shape \(3, 12\), "
                                         r".* need \(3, 8\)\."):
        load_into_flax(w, nnx.OptimizedLSTMCell(3, 3, rngs=nnx.Rngs(0)))


def test_load_into_flax_writes_nothing_unless_every_tensor_fits():
    cell = nnx.OptimizedLSTMCell(3, 2, rngs=nnx.Rngs(0))
    before = from_flax(cell)
    with pytest.raises(ValueError, match="dense_i.kernel"):
        load_into_flax(LSTMWeights.random(4, 2), cell)
    assert from_flax(cell) == before


def test_load_into_flax_wrong_weights_type():
    with pytest.raises(TypeError, match="weights must be an LSTMWeights, got tuple"):
        load_into_flax((1, 2), nnx.LSTMCell(2, 3, rngs=nnx.Rngs(0)))


# ---------------------------------------------------------------------------------------------
# The record lstm_utils.frameworks.flax, fact by fact against the installed flax
# ---------------------------------------------------------------------------------------------

CELLS = {"lstm": nnx.LSTMCell, "gru": nnx.GRUCell, "rnn": nnx.SimpleCell}


def spec(n, m, cell="lstm", num_layers=1, bidirectional=False, bias=True) -> LayerSpec:
    return LayerSpec(n, m, cell, "flax", num_layers, bidirectional, bias, 0, True)


def flax_stack(s: LayerSpec) -> list[tuple[int, str, object]]:
    """(layer, direction, cell) of the module the record describes: nnx.RNN layers, nnx.Bidirectional."""
    cells, n, rngs = [], s.input_size, nnx.Rngs(0)
    for layer in range(s.num_layers):
        rnns = [nnx.RNN(CELLS[s.cell](n, s.hidden_size, rngs=rngs)) for _ in range(s.directions)]
        module = nnx.Bidirectional(*rnns) if s.bidirectional else rnns[0]
        found = params(module)                 # the module's own names: cell.*, forward_rnn.cell.*, ...
        prefixes = ("forward_rnn.cell.", "backward_rnn.cell.") if s.bidirectional else ("cell.",)
        assert sorted(found) == sorted(p + k for p in prefixes for k in params(rnns[0].cell))
        cells += [(layer, direction, rnn.cell) for direction, rnn in zip(("forward", "backward"), rnns,
                                                                                strict=False)]
        n = s.hidden_size * s.directions
    return cells


def test_record_names_and_converters():
    assert (RECORD.name, RECORD.title, RECORD.aliases) == ("flax", "Flax", ("jax", "flax.nnx", "nnx"))
    assert resolve(RECORD.converters["from"]) is from_flax
    assert resolve(RECORD.converters["into"]) is load_into_flax
    assert RECORD.options == () and RECORD.counted


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 9), m=st.integers(1, 9), cell=st.sampled_from(sorted(CELLS)),
       num_layers=st.integers(1, 3), bidirectional=st.booleans())
def test_param_rows_are_the_tensors_flax_builds(n, m, cell, num_layers, bidirectional):
    s = spec(n, m, cell, num_layers, bidirectional)
    rows = RECORD.param_rows(s)
    built = flax_stack(s)
    for layer, direction, module in built:
        mine = [(r.name, r.shape) for r in rows if (r.layer, r.direction) == (layer, direction)]
        assert dict(mine) == params(module) and len(mine) == len(params(module))
    assert {(r.layer, r.direction) for r in rows} == {(layer, d) for layer, d, _ in built}
    total = sum(int(np.prod(shape)) for _, _, module in built for shape in params(module).values())
    assert sum(r.count for r in rows) == total


def test_lstm_rows_by_kind_in_gate_order():
    rows = RECORD.param_rows(spec(5, 10))
    assert [r.name for r in rows] == ["ii.kernel", "if_.kernel", "ig.kernel", "io.kernel",
                                      "hi.kernel", "hf.kernel", "hg.kernel", "ho.kernel",
                                      "hi.bias", "hf.bias", "hg.bias", "ho.bias"]
    letters = "".join(g.symbol for g in RECORD.lstm_gates)
    assert [r.name.split(".")[0][1:].rstrip("_") for r in rows[:4]] == list(letters)


@pytest.mark.parametrize(("n", "m", "expected"), [(5, 10, 640), (2, 3, 72), (100, 256, 365_568)])
def test_worked_examples_count_like_keras(n, m, expected):
    found = sum(int(np.prod(s)) for s in params(nnx.LSTMCell(n, m, rngs=nnx.Rngs(0))).values())
    fused = sum(int(np.prod(s)) for s in params(nnx.OptimizedLSTMCell(n, m, rngs=nnx.Rngs(0))).values())
    assert found == fused == expected == sum(r.count for r in RECORD.param_rows(spec(n, m)))
    if "flax" in REGISTRY:
        assert lu.count_params(n, m, framework="flax") == expected


def test_lstm_tensors_and_the_fused_ones():
    assert dict(RECORD.lstm_tensors(3, 2)) == params(nnx.LSTMCell(3, 2, rngs=nnx.Rngs(0)))
    assert RECORD.other_lstm_cells["nnx.OptimizedLSTMCell"](3, 2) == tuple(
        (name, shape) for name, shape in sorted(params(nnx.OptimizedLSTMCell(3, 2, rngs=nnx.Rngs(0))).items(),
                                                 key=lambda item: ["dense_i.kernel", "dense_h.kernel",
                                                                   "dense_h.bias"].index(item[0])))


def test_record_lstm_gate_order_is_the_one_the_cells_run():
    """test_gate_order_is_i_f_g_o_by_running_the_cell found GATE_ORDER: the record must say the same."""
    assert tuple(g.role for g in RECORD.lstm_gates) == GATE_ORDER
    assert [g.symbol for g in RECORD.lstm_gates] == ["i", "f", "g", "o"]


def _gru_two_steps(a, b, c, order):
    """h_2 of a GRU with zero kernels but W_hn = 1, input-side biases a, b, c read in ``order``."""
    z = dict(zip(order, (a, b, c), strict=True))
    r, u = 1 / (1 + np.exp(-z["reset"])), 1 / (1 + np.exp(-z["update"]))
    h = 0.0
    for _ in range(2):
        n = np.tanh(z["candidate"] + r * h)           # n = tanh(W_in x + b_in + r * (W_hn h))
        h = (1 - u) * n + u * h
    return h


def test_record_gru_gate_order_is_r_z_n_by_running_the_cell():
    biases = (0.4, -0.8, 1.3)
    cell = nnx.GRUCell(1, 1, rngs=nnx.Rngs(0))
    cell.dense_i.kernel[...] = jnp.zeros((1, 3))
    cell.dense_i.bias[...] = jnp.asarray(biases, dtype=jnp.float32)
    cell.dense_h.kernel[...] = jnp.asarray([[0.0, 0.0, 1.0]])          # only the third block sees h
    out = run_rnn(cell, np.zeros((1, 2, 1), np.float32))
    roles = ("reset", "update", "candidate")
    matches = [order for order in itertools.permutations(roles)
               if abs(_gru_two_steps(*biases, order) - out[0, 1, 0]) < 1e-6]
    assert matches == [tuple(g.role for g in RECORD.gru_gates)] == [roles]
    assert [g.symbol for g in RECORD.gru_gates] == ["r", "z", "n"]


@pytest.mark.parametrize("cls", [nnx.LSTMCell, nnx.OptimizedLSTMCell, nnx.GRUCell, nnx.SimpleCell])
def test_no_cell_takes_use_bias_so_bias_false_is_refused(cls):
    assert "use_bias" not in inspect.signature(cls.__init__).parameters
    with pytest.raises(ValueError, match="bias=False has no Flax equivalent: nnx.LSTMCell, "
                                         "nnx.OptimizedLSTMCell, nnx.GRUCell and nnx.SimpleCell take no "
                                         "use_bias argument"):
        RECORD.check_layer(spec(2, 3, bias=False))
    for cell in CELLS:
        assert RECORD.check_layer(spec(2, 3, cell, 2, True)) is None


@pytest.mark.parametrize("bidirectional", [False, True])
def test_output_shapes_are_what_nnx_rnn_returns(bidirectional):
    batch, steps, n, m = 4, 5, 3, 2
    rnns = [nnx.RNN(nnx.LSTMCell(n, m, rngs=nnx.Rngs(k))) for k in range(1 + bidirectional)]
    module = nnx.Bidirectional(*rnns) if bidirectional else rnns[0]
    x = jnp.ones((batch, steps, n))
    out = module(x)
    carry, out_c = module(x, return_carry=True)
    kw = dict(batch=batch, seq_len=steps, hidden_size=m, num_layers=1, directions=1 + bidirectional,
              batch_first=False, proj_size=0, return_sequences=False)
    assert RECORD.output_shapes(**kw, return_state=False) == {"output": out.shape}
    shapes = RECORD.output_shapes(**kw, return_state=True)
    carries = carry if bidirectional else (carry,)
    found = [leaf.shape for c_h in carries for leaf in c_h]            # (c, h) per direction
    assert list(shapes.values()) == [out_c.shape, *found]
    assert list(shapes)[1:] == (["forward_c", "forward_h", "backward_c", "backward_h"] if bidirectional
                                else ["carry_c", "carry_h"])
    if not bidirectional:                   # the carry is (c, h): h is the last output, c is not
        c, h = carry
        assert np.array_equal(np.asarray(h), np.asarray(out_c[:, -1]))


def test_rnn_defaults_batch_first_and_no_carry():
    defaults = {k: p.default for k, p in inspect.signature(nnx.RNN.__init__).parameters.items()}
    assert defaults["time_major"] is False and defaults["return_carry"] is False
    assert RECORD.side.input_layout == ("batch", "time", "features")
    time_major = nnx.RNN(nnx.LSTMCell(3, 2, rngs=nnx.Rngs(0)), time_major=True)
    assert time_major(jnp.ones((5, 4, 3))).shape == (5, 4, 2)


def _init_default(cls, name):
    return inspect.signature(cls.__init__).parameters[name].default


@pytest.mark.parametrize("cls", [nnx.LSTMCell, nnx.OptimizedLSTMCell])
def test_side_facts_defaults_read_from_the_signature(cls):
    sig = inspect.signature(cls.__init__).parameters
    assert sig["gate_fn"].default is nnx.sigmoid and RECORD.side.gate_activation == "sigmoid"
    assert sig["activation_fn"].default is nnx.tanh and RECORD.side.state_activation == "tanh"
    assert RECORD.side.activations == "gate_fn=nnx.sigmoid, activation_fn=nnx.tanh"
    key, shape = jax.random.key(0), (6, 4)
    named = {"lecun_normal": nnx.initializers.lecun_normal(), "orthogonal": nnx.initializers.orthogonal(),
             "zeros": nnx.initializers.zeros_init()}
    facts = {"kernel_init": RECORD.side.input_init, "recurrent_kernel_init": RECORD.side.recurrent_init,
             "bias_init": RECORD.side.bias_init}
    for arg, fact in facts.items():
        default = np.asarray(_init_default(cls, arg)(key, shape))
        assert np.array_equal(default, np.asarray(named[fact](key, shape))), (arg, fact)
    assert RECORD.side.initialisation == " / ".join((RECORD.side.input_init, RECORD.side.recurrent_init,
                                                     RECORD.side.bias_init))


def test_no_forget_bias_of_one():
    w = from_flax(nnx.LSTMCell(3, 4, rngs=nnx.Rngs(0)))
    assert not np.any(w.b) and RECORD.side.forget_bias_one is False


def test_formula_names_the_tensors_and_computes_each_gate():
    """x_t @ i?.kernel + h_{t-1} @ h?.kernel + h?.bias, ? = i, f, g, o: what each LSTMCell gate sums."""
    cell = nnx.LSTMCell(3, 2, bias_init=nnx.initializers.normal(1.0), rngs=nnx.Rngs(0))
    names = dict(RECORD.lstm_tensors(3, 2))
    x, h = jnp.ones((1, 3)), jnp.full((1, 2), 0.5)
    for letter in (g.symbol for g in RECORD.lstm_gates):
        i_lin, h_lin = ("if_" if letter == "f" else f"i{letter}"), f"h{letter}"
        assert {f"{i_lin}.kernel", f"{h_lin}.kernel", f"{h_lin}.bias"} <= set(names)
        by_formula = x @ getattr(cell, i_lin).kernel[...] + h @ getattr(cell, h_lin).kernel[...] \
            + getattr(cell, h_lin).bias[...]
        by_flax = getattr(cell, i_lin)(x) + getattr(cell, h_lin)(h)
        assert np.allclose(np.asarray(by_formula), np.asarray(by_flax), atol=1e-6)
    assert RECORD.side.formula == ("x_t @ i?.kernel + h_{t-1} @ h?.kernel + h?.bias, ? = i, f, g, o"
                                   " (if_ for f)")
