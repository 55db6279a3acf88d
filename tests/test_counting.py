"""The counting core on the source material's numbers, on bad input, and on its renderings."""

import pytest

import lstm_utils as lu
from lstm_utils import count_params, gate_order, output_shapes, param_table

# --- the seeds' worked examples, by name ---------------------------------------------------------


def test_seed000_keras_lstm10_on_13x5_is_640():
    # 13 time steps of 5 features into LSTM(10); time steps do not enter the count.
    assert count_params(5, 10) == 640
    assert 4 * ((10 + 5) * 10 + 10) == 640  # the seed's gate-by-gate sum


def test_seed002_x2_h3_is_72_with_18_per_gate():
    assert count_params(2, 3) == 72
    assert count_params(2, 3) // 4 == 3 * 5 + 3 == 18


def test_seed002_keras_lstm4_on_5x3_plus_dense2_is_138():
    lstm = count_params(3, 4)
    dense = 4 * 2 + 2
    assert (lstm, dense, lstm + dense) == (128, 10, 138)


def test_seed003_x100_h256_keras_matlab_and_pytorch():
    assert count_params(100, 256, framework="keras") == 365_568
    assert count_params(100, 256, framework="matlab") == 365_568
    assert count_params(100, 256, framework="pytorch") == 366_592


def test_seed003_per_tensor_counts():
    rows = {r.name: r for r in param_table(100, 256)}
    assert rows["kernel"].shape == (100, 1024) and rows["kernel"].count == 102_400
    assert rows["recurrent_kernel"].shape == (256, 1024) and rows["recurrent_kernel"].count == 262_144
    assert rows["bias"].shape == (1024,) and rows["bias"].count == 1_024


def test_seed004_pytorch_six_layers_3_to_12_is_7056():
    assert count_params(3, 12, framework="pytorch", num_layers=6) == 7_056


def test_seed004_output_hn_cn_shapes():
    shapes = output_shapes("pytorch", batch=64, seq_len=3, input_size=3, hidden_size=12, num_layers=6)
    assert shapes == {"output": (3, 64, 12), "h_n": (6, 64, 12), "c_n": (6, 64, 12)}
    shapes = output_shapes("pytorch", batch=64, seq_len=3, input_size=3, hidden_size=12, num_layers=6,
                           batch_first=True, bidirectional=True)
    assert shapes == {"output": (64, 3, 24), "h_n": (12, 64, 12), "c_n": (12, 64, 12)}


def test_torchinfo_fixture_two_layer_300_to_512():
    # torchinfo's tests/test_output/lstm.out records 3,768,320 for nn.LSTM(300, 512, num_layers=2).
    assert count_params(300, 512, framework="pytorch", num_layers=2) == 3_768_320


def test_two_layer_bidirectional_pytorch_100_to_256():
    assert count_params(100, 256, framework="pytorch", num_layers=2, bidirectional=True) == 2_310_144


@pytest.mark.parametrize(
    ("cell", "framework", "reset_after", "expected"),
    [
        ("rnn", "keras", True, 3 * (2 + 3) + 3),
        ("rnn", "pytorch", True, 3 * (2 + 3) + 2 * 3),
        ("gru", "keras", True, 63),
        ("gru", "keras", False, 54),
        ("gru", "pytorch", True, 63),
        ("gru", "matlab", True, 54),
        ("lstm", "pytorch", True, 84),
    ],
)
def test_other_cells_on_seed002_sizes(cell, framework, reset_after, expected):
    assert count_params(2, 3, cell=cell, framework=framework, reset_after=reset_after) == expected


def test_aliases_name_the_same_framework():
    for alias in ("tensorflow", "tf", "tf.keras", "TF"):
        assert count_params(5, 10, framework=alias) == 640
    assert count_params(5, 10, framework="torch") == 680


def test_no_bias():
    assert count_params(5, 10, bias=False) == 4 * 10 * (5 + 10)
    assert count_params(5, 10, framework="pytorch", bias=False) == 4 * 10 * (5 + 10)


def test_projection_shrinks_recurrent_weights_and_adds_weight_hr():
    rows = {r.name: r.shape for r in param_table(100, 256, framework="pytorch", proj_size=64)}
    assert rows["weight_hh_l0"] == (1024, 64)
    assert rows["weight_hr_l0"] == (64, 256)


def test_matlab_bilstm_stacks_both_directions_in_one_array():
    rows = param_table(100, 256, framework="matlab", bidirectional=True)
    assert [(r.name, r.shape, r.direction) for r in rows] == [
        ("InputWeights", (2048, 100), "both"),
        ("RecurrentWeights", (2048, 256), "both"),
        ("Bias", (2048, 1), "both"),
    ]
    assert rows.total == 2 * count_params(100, 256, framework="matlab")


def test_stacked_layers_see_hidden_or_twice_hidden_features():
    keras_rows = param_table(5, 10, num_layers=2, bidirectional=True)
    assert [r.shape for r in keras_rows if r.name == "kernel"] == [(5, 40), (5, 40), (20, 40), (20, 40)]


# --- table rendering -----------------------------------------------------------------------------


def test_param_table_total_text_and_html():
    table = param_table(5, 10, framework="pytorch")
    assert table.total == 680 == sum(r.count for r in table)
    text = str(table)
    assert "weight_ih_l0" in text and "(40, 5)" in text and "total: 680 parameters" in text
    html = table._repr_html_()
    assert html.startswith("<table>") and "<td>bias_hh_l0</td>" in html and "680" in html
    assert table.by_kind() == {"input weights": 200, "recurrent weights": 400, "bias": 80,
                               "projection": 0}
    assert repr(table) == "<ParamTable pytorch LSTM 5 -> 10: 4 tensors, 680 parameters>"


def test_matlab_shapes_print_as_rows_by_columns():
    assert "40-by-5" in str(param_table(5, 10, framework="matlab"))


# --- gate order -----------------------------------------------------------------------------------


def test_gate_orders():
    assert [g.symbol for g in gate_order("keras")] == ["i", "f", "c", "o"]
    assert [g.symbol for g in gate_order("torch")] == ["i", "f", "g", "o"]
    assert [g.name for g in gate_order("matlab")] == ["input gate", "forget gate", "cell candidate",
                                                      "output gate"]
    assert [g.symbol for g in gate_order("onnx")] == ["i", "o", "f", "c"]
    assert [g.role for g in gate_order("keras")] == list(lu.GATE_ORDER)
    assert [g.role for g in gate_order("pytorch", cell="gru")] == ["reset", "update", "candidate"]
    assert [g.role for g in gate_order("keras", cell="gru")] == ["update", "reset", "candidate"]


def test_gate_order_rejects_rnn_and_unknown_framework():
    with pytest.raises(ValueError, match="cell='rnn' has no gates"):
        gate_order("keras", cell="rnn")
    with pytest.raises(ValueError, match=r"Unknown value for framework: 'onx'.*Did you mean 'onnx'"):
        gate_order("onx")


# --- output shapes ------------------------------------------------------------------------------


def test_keras_output_shapes():
    kw = dict(batch=8, seq_len=13, input_size=5, hidden_size=10)
    assert output_shapes("keras", **kw) == {"output": (8, 10)}
    assert output_shapes("keras", **kw, return_sequences=True, return_state=True) == {
        "output": (8, 13, 10), "state_h": (8, 10), "state_c": (8, 10)}
    bi = output_shapes("keras", **kw, bidirectional=True, return_state=True)
    assert bi["output"] == (8, 20) and bi["backward_c"] == (8, 10) and len(bi) == 5


def test_pytorch_projection_shapes():
    shapes = output_shapes("pytorch", batch=2, seq_len=7, input_size=4, hidden_size=16, proj_size=5)
    assert shapes == {"output": (7, 2, 5), "h_n": (1, 2, 5), "c_n": (1, 2, 16)}


def test_matlab_output_shapes():
    kw = dict(batch=8, seq_len=13, input_size=5, hidden_size=10)
    assert output_shapes("matlab", **kw) == {"output": (10, 8)}
    assert output_shapes("matlab", **kw, return_sequences=True)["output"] == (10, 8, 13)


# --- bad input: every message names the argument, the value and what is accepted ---------------

@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"input_size": 0}, ValueError, r"input_size == 0, must be an int >= 1"),
        ({"input_size": -3}, ValueError, r"input_size == -3, must be an int >= 1"),
        ({"hidden_size": 2.5}, TypeError, r"hidden_size must be an int >= 1, got 2\.5 \(type float\)"),
        ({"hidden_size": True}, TypeError, r"hidden_size must be an int >= 1, got True \(type bool\)"),
        ({"input_size": "5"}, TypeError, r"input_size must be an int >= 1, got '5' \(type str\)"),
        ({"num_layers": 0}, ValueError, r"num_layers == 0, must be an int >= 1"),
        ({"proj_size": -1, "framework": "pytorch"}, ValueError, r"proj_size == -1, must be an int >= 0"),
        ({"proj_size": 10, "framework": "pytorch"}, ValueError,
         r"proj_size == 10, must be < hidden_size \(10\)"),
        ({"proj_size": 4}, ValueError, r"proj_size == 4 applies only to a PyTorch LSTM.*'keras'"),
        ({"proj_size": 4, "framework": "pytorch", "cell": "gru"}, ValueError,
         r"proj_size == 4 applies only to a PyTorch LSTM \(got cell='gru'"),
        ({"cell": "lstn"}, ValueError,
         r"Unknown value for cell: 'lstn'\. Possible values are: \('lstm', 'gru', 'rnn'\)\. "
         r"Did you mean 'lstm'\?"),
        ({"framework": "pytroch"}, ValueError,
         r"Unknown value for framework: 'pytroch'.*Did you mean 'pytorch'\?"),
        ({"framework": "caffe"}, ValueError,  # like no accepted name: no suggestion
         r"Unknown value for framework: 'caffe'\. Possible values are: \([^)]*\)\.$"),
        ({"framework": None}, ValueError, r"Unknown value for framework: None"),
        ({"bidirectional": 1}, TypeError, r"bidirectional must be True or False, got 1"),
        ({"reset_after": False}, ValueError, r"reset_after=False applies only to a Keras GRU"),
        ({"cell": "rnn", "framework": "matlab"}, ValueError, r"cell='rnn' has no MATLAB layer"),
        ({"bias": False, "framework": "matlab"}, ValueError, r"bias=False has no MATLAB equivalent"),
        ({"cell": "gru", "framework": "matlab", "bidirectional": True}, ValueError,
         r"bidirectional=True with cell='gru' has no MATLAB layer"),
    ],
)
def test_bad_input(kwargs, error, pattern):
    args = {"input_size": 5, "hidden_size": 10, **kwargs}
    with pytest.raises(error, match=pattern):
        count_params(**args)
    with pytest.raises(error, match=pattern):
        param_table(**args)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"batch": 0}, ValueError, r"batch == 0, must be an int >= 1"),
        ({"seq_len": 1.5}, TypeError, r"seq_len must be an int >= 1, got 1\.5"),
        ({"framework": "kears"}, ValueError, r"Unknown value for framework: 'kears'.*'keras'"),
        ({"proj_size": 3}, ValueError, r"proj_size == 3 applies only to a PyTorch LSTM"),
        ({"batch_first": "yes"}, TypeError, r"batch_first must be True or False, got 'yes'"),
    ],
)
def test_output_shapes_bad_input(kwargs, error, pattern):
    args = {"framework": "keras", "batch": 2, "seq_len": 3, "input_size": 4, "hidden_size": 5, **kwargs}
    framework = args.pop("framework")
    with pytest.raises(error, match=pattern):
        output_shapes(framework, **args)


@pytest.mark.parametrize(("given", "suggestion"), [
    ("pytroch", "pytorch"), ("kears", "keras"), ("TensorFlw", "tensorflow"), ("caffe", None), ("mxnet", None),
    ("", None),
])
def test_a_suggestion_is_made_only_for_a_close_name(given, suggestion):
    with pytest.raises(ValueError) as info:
        count_params(5, 10, framework=given)
    message = str(info.value)
    if suggestion is None:
        assert "Did you mean" not in message
    else:
        assert message.endswith(f"Did you mean {suggestion!r}?")
