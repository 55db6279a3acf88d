"""explain(model): every row and the total agree with what Keras and PyTorch count on models they build.

Random models (hypothesis) come from the covered layer types; the seeds' models are named tests; then
unknown, shared and frozen layers, bad input, text/HTML output and the command line.
"""

import os
import re
import subprocess
import sys
from math import prod

import keras
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

import lstm_utils as lu
from lstm_utils.cli import cli_explain
from lstm_utils.explaining import NO_FORMULA, LayerExplanation

# "expression = result" pieces of a formula: each must be true arithmetic.
SEGMENT = re.compile(r"(?:^|: )([\d(][\d,() x+]*?) = (\d{1,3}(?:,\d{3})*)")


def check_formula(row: LayerExplanation) -> None:
    """The formula's arithmetic is right and its last result is the derived count."""
    segments = SEGMENT.findall(row.formula)
    assert segments, row.formula
    for expr, value in segments:
        assert eval(expr.replace(",", "").replace("x", "*")) == int(value.replace(",", "")), row.formula
    assert int(segments[-1][1].replace(",", "")) == row.derived


def keras_layer_count(layer) -> int:
    return sum(prod(w.shape) for w in layer.weights)


def check_keras_model(model) -> lu.Explanation:
    e = lu.explain(model)
    assert e.total == model.count_params()
    with_weights = [layer for layer in model.layers if layer.weights]
    assert [r.name for r in e.rows] == [layer.name for layer in with_weights]
    for row, layer in zip(e.rows, with_weights, strict=True):
        assert row.type == type(layer).__name__
        assert row.count == keras_layer_count(layer)
        assert row.covered and row.agrees, row
        check_formula(row)
    assert e.covered and e.agrees and e.derived_total == e.total
    return e


def torch_own_count(module) -> int:
    return sum(p.numel() for p in module.parameters(recurse=False))


def check_torch_model(model) -> lu.Explanation:
    e = lu.explain(model)
    assert e.total == sum(p.numel() for p in model.parameters())
    owners = [(name or "(root)", m) for name, m in model.named_modules()
              if any(True for _ in m.parameters(recurse=False))]
    assert [r.name for r in e.rows] == [name for name, _ in owners]
    for row, (_, module) in zip(e.rows, owners, strict=True):
        assert row.count == torch_own_count(module)
        assert row.covered and row.agrees, row
        check_formula(row)
    assert e.covered and e.agrees and e.derived_total == e.total
    return e


# --- random Keras models -------------------------------------------------------------------------

KERAS_RNN = {"LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU, "SimpleRNN": keras.layers.SimpleRNN}
tiny = st.integers(min_value=1, max_value=6)


@st.composite
def keras_specs(draw):
    """A Sequential stack as plain data (the test body builds it: no randomness inside strategies)."""
    embedding = draw(st.one_of(st.none(), st.tuples(st.integers(2, 30), tiny)))
    features = None if embedding else draw(tiny)
    recurrent = draw(st.lists(st.fixed_dictionaries({
        "kind": st.sampled_from(sorted(KERAS_RNN)), "units": tiny, "use_bias": st.booleans(),
        "reset_after": st.booleans(),
        "merge_mode": st.sampled_from([None, "concat", "sum", "mul", "ave"]),  # None: not wrapped
    }), min_size=1, max_size=3))
    dense = draw(st.lists(st.tuples(tiny, st.booleans()), max_size=2))
    return embedding, features, recurrent, dense


def build_keras(embedding, features, recurrent, dense):
    if embedding:
        stack = [keras.Input((4,), dtype="int32"), keras.layers.Embedding(*embedding)]
    else:
        stack = [keras.Input((4, features))]
    for k, spec in enumerate(recurrent):
        kw = {"use_bias": spec["use_bias"], "return_sequences": k < len(recurrent) - 1}
        if spec["kind"] == "GRU":
            kw["reset_after"] = spec["reset_after"]
        layer = KERAS_RNN[spec["kind"]](spec["units"], **kw)
        if spec["merge_mode"]:
            layer = keras.layers.Bidirectional(layer, merge_mode=spec["merge_mode"])
        stack.append(layer)
    stack += [keras.layers.Dense(units, use_bias=bias) for units, bias in dense]
    return keras.Sequential(stack)


@given(spec=keras_specs())
def test_random_keras_models(spec):
    check_keras_model(build_keras(*spec))


# --- random PyTorch models -----------------------------------------------------------------------

@st.composite
def torch_modules(draw):
    kind = draw(st.sampled_from(["LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell", "Linear",
                                 "Embedding"]))
    n, m, bias = draw(tiny), draw(tiny), draw(st.booleans())
    if kind == "Linear":
        return nn.Linear(n, m, bias=bias)
    if kind == "Embedding":
        return nn.Embedding(n, m)
    if kind.endswith("Cell"):
        return getattr(nn, kind)(n, m, bias=bias)
    kw = {"num_layers": draw(st.integers(1, 3)), "bidirectional": draw(st.booleans()), "bias": bias}
    if kind == "LSTM":
        kw["proj_size"] = draw(st.integers(0, m - 1))
    return getattr(nn, kind)(n, m, batch_first=True, **kw)


class Bag(nn.Module):
    """A model of any modules: some at the top, some inside a nested block (dotted names)."""

    def __init__(self, modules, nested):
        super().__init__()
        self.block = nn.Sequential()
        for i, (module, inside) in enumerate(zip(modules, nested, strict=True)):
            (self.block.add_module if inside else self.add_module)(f"m{i}", module)


@given(modules=st.lists(torch_modules(), min_size=1, max_size=4),
       nested=st.lists(st.booleans(), min_size=4, max_size=4))
def test_random_torch_models(modules, nested):
    e = check_torch_model(Bag(modules, nested[: len(modules)]))
    assert any("." in r.name for r in e.rows) == any(nested[: len(modules)])


# --- the seeds' models ---------------------------------------------------------------------------

def test_seed000_lstm10_on_13x5_is_640():
    model = keras.Sequential([keras.Input((13, 5)), keras.layers.LSTM(10)])
    e = check_keras_model(model)
    assert e.total == 640
    assert e.rows[0].formula == "LSTM(10) on 5 features: 4 x (10 x (5 + 10) + 10) = 640"


def test_seed002_lstm4_and_dense2_is_138():
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4),
                              keras.layers.Dense(2, activation="sigmoid")])
    e = check_keras_model(model)
    assert [r.formula for r in e.rows] == ["LSTM(4) on 3 features: 4 x (4 x (3 + 4) + 4) = 128",
                                           "Dense(2) on 4 features: 4 x 2 + 2 = 10"]
    assert e.total == 138


class Seed004(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 12, num_layers=6, batch_first=True)
        self.linear = nn.Linear(12, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.linear(out[:, -1])


def test_seed004_six_layer_lstm_and_linear_head():
    e = check_torch_model(Seed004())
    assert [(r.name, r.type, r.count) for r in e.rows] == [("lstm", "nn.LSTM", 7056),
                                                           ("linear", "nn.Linear", 13)]
    assert "layer 0: 4 x (12 x (3 + 12) + 2 x 12) = 816" in e.rows[0].formula
    assert "layers 1-5: 5 x 4 x (12 x (12 + 12) + 2 x 12) = 6,240" in e.rows[0].formula
    assert e.total == 7069


def test_issue_example_bidirectional_two_layer_lstm():
    e = check_torch_model(nn.LSTM(100, 256, num_layers=2, bidirectional=True))
    assert e.rows[0].formula.startswith("nn.LSTM(100, 256, num_layers=2, bidirectional=True): "
                                        "layer 0: 2 x 4 x (256 x (100 + 256) + 2 x 256) = 733,184")
    assert e.total == 2_310_144


def test_seed003_wrong_total_is_not_a_real_count():
    # 1,109,312 summed every array in locals(); the real layer 100 -> 256 has 365,568 (Keras).
    layer = keras.layers.LSTM(256)
    layer.build((None, 1, 100))
    e = lu.explain(layer)
    assert e.total == layer.count_params() == 365_568 != 1_109_312


# --- Keras specifics -----------------------------------------------------------------------------

@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_keras_bidirectional_merge_modes(merge_mode):
    inputs = keras.Input((7, 5))
    outputs = keras.layers.Bidirectional(keras.layers.LSTM(10), merge_mode=merge_mode)(inputs)
    if merge_mode is not None:
        outputs = keras.layers.Dense(3)(outputs)
    e = check_keras_model(keras.Model(inputs, outputs))
    assert e.rows[0].derived == 2 * 640 == e.rows[0].count
    if merge_mode is not None:  # the head sees 20 features after concat, 10 otherwise
        n = 20 if merge_mode == "concat" else 10
        assert e.rows[1].formula == f"Dense(3) on {n} features: {n} x 3 + 3 = {n * 3 + 3}"


def test_keras_bidirectional_with_a_different_backward_layer():
    forward = keras.layers.LSTM(4, return_sequences=True)
    backward = keras.layers.GRU(4, return_sequences=True, go_backwards=True, reset_after=False)
    model = keras.Sequential([keras.Input((6, 3)),
                              keras.layers.Bidirectional(forward, backward_layer=backward),
                              keras.layers.Dense(2)])
    e = check_keras_model(model)
    assert "forward: 4 x (4 x (3 + 4) + 4) = 128" in e.rows[0].formula
    assert "backward: 3 x (4 x (3 + 4) + 4) = 96" in e.rows[0].formula


def test_keras_bidirectional_whose_directions_differ_in_units():
    layer = keras.layers.Bidirectional(keras.layers.GRU(4),
                                       backward_layer=keras.layers.SimpleRNN(3, go_backwards=True))
    layer.build((None, 6, 8))
    row = lu.explain(layer).rows[0]
    assert row.count == row.derived == 3 * (4 * (8 + 4) + 2 * 4) + 3 * (8 + 3) + 3 == 204
    assert "different units (4 and 3)" in row.note


def test_single_keras_layer_built_by_hand():
    layer = keras.layers.GRU(3, reset_after=False)
    layer.build((None, 8, 2))
    e = lu.explain(layer)
    assert e.rows[0].formula == "GRU(3, reset_after=False) on 2 features: 3 x (3 x (2 + 3) + 3) = 54"
    assert e.total == layer.count_params() == 54


def test_nested_keras_models_are_opened():
    inner = keras.Sequential([keras.Input((5, 4)), keras.layers.LSTM(3, return_sequences=True)],
                             name="encoder")
    outer = keras.Sequential([keras.Input((5, 4)), inner, keras.layers.SimpleRNN(2)], name="outer")
    e = lu.explain(outer)
    assert [r.name for r in e.rows] == ["encoder/" + inner.layers[0].name, outer.layers[1].name]
    assert all(r.agrees for r in e.rows) and e.total == outer.count_params()


def test_keras_input_size_falls_back_to_the_model_graph_then_the_kernel():
    model = keras.Sequential([keras.Input((6, 3)), keras.layers.LSTM(4), keras.layers.Dense(2)])
    lone = keras.layers.Dense(5)
    lone.build((None, 7))
    for layer in (*model.layers, lone):
        layer._build_shapes_dict = None  # as if Keras had not recorded the build shape
    assert [r.formula for r in lu.explain(model).rows] == [
        "LSTM(4) on 3 features: 4 x (4 x (3 + 4) + 4) = 128", "Dense(2) on 4 features: 4 x 2 + 2 = 10"]
    row = lu.explain(lone).rows[0]
    assert (row.formula, row.agrees) == ("Dense(5) on 7 features: 7 x 5 + 5 = 40", True)
    assert "kernel's shape" in row.note


def test_unreadable_settings_give_a_row_without_formula_not_an_error():
    cell = nn.GRUCell(3, 4)
    del cell.input_size
    e = lu.explain(cell)
    assert e.total == sum(p.numel() for p in cell.parameters())
    assert e.rows[0].formula.startswith(NO_FORMULA + " (could not read its settings")
    assert e.rows[0].agrees is None


# --- unknown, shared and frozen ------------------------------------------------------------------

def test_keras_unknown_layers_get_a_row_without_formula():
    model = keras.Sequential([keras.Input((9, 2)), keras.layers.Conv1D(4, 3),
                              keras.layers.LayerNormalization(), keras.layers.LSTM(5)])
    e = lu.explain(model)
    assert e.total == model.count_params()
    assert [(r.type, r.formula, r.agrees) for r in e.rows[:2]] == [
        ("Conv1D", NO_FORMULA, None), ("LayerNormalization", NO_FORMULA, None)]
    assert e.rows[0].count == 2 * 3 * 4 + 4  # kernel (3, 2, 4) and bias: the framework's count
    assert e.rows[2].formula == "LSTM(5) on 4 features: 4 x (5 x (4 + 5) + 5) = 200"
    assert not e.covered and e.agrees and e.derived_total is None


def test_torch_unknown_modules_get_a_row_without_formula():
    model = nn.ModuleDict({"conv": nn.Conv1d(2, 4, 3), "norm": nn.LayerNorm(4),
                           "attn": nn.MultiheadAttention(4, 2), "gru": nn.GRU(4, 3)})
    e = lu.explain(model)
    assert e.total == sum(p.numel() for p in model.parameters())
    by_name = {r.name: r for r in e.rows}
    assert list(by_name) == ["conv", "norm", "attn", "attn.out_proj", "gru"]
    assert by_name["attn"].formula == NO_FORMULA and by_name["attn"].type == "nn.MultiheadAttention"
    assert by_name["attn.out_proj"].agrees and by_name["gru"].agrees


def test_torch_module_used_twice_is_counted_once():
    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.RNN(3, 4)
            self.head = nn.Linear(4, 4)
            self.again = self.head

    model = Twice()
    e = check_torch_model(model)
    assert [r.name for r in e.rows] == ["rnn", "head"]
    assert "also used as again" in e.rows[1].note
    assert e.total == 4 * (3 + 4) + 2 * 4 + 4 * 4 + 4


def test_torch_tied_weights_are_counted_once():
    model = nn.ModuleDict({"emb": nn.Embedding(10, 4), "out": nn.Linear(4, 10)})
    model["out"].weight = model["emb"].weight
    e = lu.explain(model)
    assert e.total == sum(p.numel() for p in model.parameters()) == 40 + 10
    out = e.rows[1]
    assert (out.count, out.shared, out.agrees) == (50, 40, True)
    assert "shares 40 parameters with emb" in out.note


def test_keras_layer_shared_by_two_inputs_is_one_row():
    a, b = keras.Input((6, 3)), keras.Input((6, 3))
    lstm = keras.layers.LSTM(4)
    model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([lstm(a), lstm(b)])))
    e = check_keras_model(model)
    assert [r.type for r in e.rows] == ["LSTM", "Dense"] and e.total == 128 + 9


def test_keras_frozen_layer_is_counted_and_marked():
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.Dense(2)])
    model.layers[0].trainable = False
    e = check_keras_model(model)
    assert (e.rows[0].frozen, e.rows[1].frozen, e.frozen, e.trainable) == (128, 0, 128, 10)
    assert sum(prod(w.shape) for w in model.non_trainable_weights) == e.frozen
    assert "138 parameters" in str(e) and "128 of them frozen" in str(e)


def test_torch_frozen_parameters_are_counted_and_marked():
    model = Seed004()
    model.lstm.requires_grad_(False)
    model.linear.bias.requires_grad_(False)
    e = check_torch_model(model)
    assert (e.rows[0].frozen, e.rows[1].frozen, e.frozen) == (7056, 1, 7057)
    assert e.frozen == sum(p.numel() for p in model.parameters() if not p.requires_grad)


def test_keras_model_owning_weights_directly():
    class Scaled(keras.Model):
        def __init__(self):
            super().__init__()
            self.lstm = keras.layers.LSTM(2)
            self.scale = self.add_weight(shape=(2,), initializer="ones", name="scale")

        def call(self, x):
            return self.lstm(x) * self.scale

    model = Scaled()
    model(np.zeros((1, 3, 4), dtype="float32"))
    e = lu.explain(model)
    assert e.total == model.count_params() == 4 * (2 * 6 + 2) + 2
    assert e.rows[-1].count == 2 and e.rows[-1].formula == NO_FORMULA


def test_torchscript_module_is_explained_like_the_original(tmp_path):
    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(20, 8)
            self.lstm = nn.LSTM(8, 16, num_layers=2, bidirectional=True, proj_size=4, batch_first=True)
            self.cell = nn.GRUCell(8, 5, bias=False)
            self.norm = nn.LayerNorm(8)

        def forward(self, x):
            out, _ = self.lstm(self.emb(x))
            return self.norm(out)

    eager = Encoder()
    torch.jit.save(torch.jit.script(eager), tmp_path / "encoder.pt")
    loaded = torch.jit.load(tmp_path / "encoder.pt")
    e, s = lu.explain(eager), lu.explain(loaded)
    assert s.total == sum(p.numel() for p in loaded.parameters()) == e.total
    assert [r.as_dict() for r in s.rows] == [r.as_dict() for r in e.rows]
    assert [r.agrees for r in s.rows] == [True, True, True, None]
    assert [r.type for r in s.rows] == ["nn.Embedding", "nn.LSTM", "nn.GRUCell", "nn.LayerNorm"]


# --- bad input -----------------------------------------------------------------------------------

def test_unbuilt_keras_model_says_how_to_build_it():
    with pytest.raises(ValueError, match=r"not built yet.*model\.build\(\(None, time_steps, features\)\)"
                                         r".*keras\.Input\(shape=\(time_steps, features\)\)"):
        lu.explain(keras.Sequential([keras.layers.LSTM(3)]))


def test_unbuilt_keras_layer_says_how_to_build_it():
    with pytest.raises(ValueError, match=r"Keras LSTM .* not built yet.*layer\.build\("):
        lu.explain(keras.layers.LSTM(3))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (42, "got an object of type builtins.int"),
        ("model.keras", "got an object of type builtins.str"),
        (np.zeros(3), "got an object of type numpy.ndarray"),
        (nn.LSTM, r"got the class torch\.nn\.modules\.rnn\.LSTM itself"),
    ],
)
def test_not_a_model_is_a_type_error_naming_the_type(given, message):
    with pytest.raises(TypeError, match=r"model must be a built keras\.Model or Keras layer, or a "
                                        r"torch\.nn\.Module; " + message):
        lu.explain(given)


def test_lazy_torch_module_says_to_run_a_forward_pass():
    with pytest.raises(ValueError, match=r"not created yet .*nn\.LazyLinear.*forward pass"):
        lu.explain(nn.Sequential(nn.LazyLinear(3)))


# --- text and HTML -------------------------------------------------------------------------------

def test_text_table_is_aligned_and_html_is_deterministic():
    model = nn.ModuleDict({"a<b>": nn.Linear(2, 3), "lstm": nn.LSTM(3, 1000)})
    e = lu.explain(model)
    lines = str(e).splitlines()
    header, rows = lines[1], lines[3:5]
    end = header.index("parameters") + len("parameters")  # counts are right-aligned under it
    assert [line[end - 9:end + 1] for line in rows] == ["        9 ", "4,020,000 "]
    assert lines[-2].startswith("total: 4,020,009 parameters")
    page = e._repr_html_()
    assert page == lu.explain(model)._repr_html_()
    assert "<td style='text-align:left'>a&lt;b&gt;</td>" in page and "a<b>" not in page
    assert "<td style='text-align:right'>4,020,000</td>" in page
    assert page.count("<tr>") == 1 + len(e.rows) + 1


def test_import_lstm_utils_explaining_loads_no_framework():
    code = ("import sys, lstm_utils, lstm_utils.explaining; lstm_utils.explain; "
            "print(sorted(m for m in ('torch', 'keras', 'tensorflow', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- command line --------------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "lstm_utils", "explain", *map(str, args)],
                          capture_output=True, text=True, env=dict(os.environ), timeout=120)


def assert_one_error_line(result, message):
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lstm-params: error: "), result.stderr
    assert re.search(message, lines[0]), lines[0]
    assert result.stdout == ""


def test_cli_explains_a_keras_file(tmp_path):
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4),
                              keras.layers.Dense(2, activation="sigmoid")], name="seed002")
    model.save(tmp_path / "seed002.keras")
    result = run_cli(tmp_path / "seed002.keras")
    assert result.returncode == 0, result.stderr
    assert result.stdout == str(lu.explain(model)) + "\n"
    assert "total: 138 parameters" in result.stdout


def test_cli_explains_a_torchscript_file(tmp_path):
    model = Seed004()
    torch.jit.save(torch.jit.script(model), tmp_path / "seed004.pt")
    result = run_cli(tmp_path / "seed004.pt")
    assert result.returncode == 0, result.stderr
    assert result.stdout == str(lu.explain(model)) + "\n"
    assert "total: 7,069 parameters" in result.stdout


def test_cli_rejects_an_unsafe_keras_file(tmp_path, capsys):
    # In-process (Keras is already imported here); the subprocess tests cover the exit path.
    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda x: x * 2)])
    model.save(tmp_path / "lambda.keras")
    assert cli_explain([str(tmp_path / "lambda.keras")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert re.match(r"lstm-params: error: .*lambda\.keras did not load as a Keras model \(safe mode\): "
                    r"ValueError: Requested the deserialization of a `Lambda` layer", err)


def test_cli_rejects_files_of_other_kinds(tmp_path):
    (tmp_path / "notes.txt").write_text("LSTM(10) on 5 features\n")
    torch.save(Seed004().state_dict(), tmp_path / "weights.pt")
    assert_one_error_line(run_cli(tmp_path / "notes.txt"), r"neither a Keras \.keras file")
    assert_one_error_line(run_cli(tmp_path / "weights.pt"),
                          r"saved with torch\.save.*torch\.jit\.save\(torch\.jit\.script\(model\)")
    assert_one_error_line(run_cli(tmp_path / "missing.keras"), r"missing\.keras: no such file")
    assert_one_error_line(run_cli(), r"explain takes one model file, got \[\]")


def test_cli_help_and_wrong_arguments(capsys):
    assert cli_explain(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: lstm-params explain MODEL_FILE")
    assert cli_explain(["a.keras", "b.keras"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lstm-params: error: explain takes one model file, got ['a.keras', 'b.keras']")
    assert len(err.splitlines()) == 1
