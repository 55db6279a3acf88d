"""The explorer, driven in-process: set control values, read .result and the rendered views."""

import asyncio
import html
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lstm_utils as lu
from lstm_utils.widgets import DEFAULTS, by_gate, explorer


@pytest.fixture
def ex():
    return explorer()


def test_defaults_show_every_framework_total(ex):
    assert set(ex.controls) == set(DEFAULTS)
    counted = ("keras", "pytorch", "matlab", "flax")
    assert ex.result == {fw: lu.count_params(5, 10, framework=fw) for fw in counted}
    assert ex.error is None and ex.views["error"].value == ""
    assert repr(ex) == "<Explorer keras LSTM 5 -> 10: 640 parameters>"


def test_setting_a_control_refreshes_result_and_table(ex):
    ex.controls["hidden_size"].value = 256
    ex.controls["input_size"].value = 100
    assert ex.result == {"keras": 365568, "pytorch": 366592, "matlab": 365568, "flax": 365568}
    table = ex.views["table"].value
    assert table == lu.param_table(100, 256)._repr_html_()
    assert "<td>kernel</td><td>(100, 1024)</td>" in table and "365,568" in table
    assert "365,568" in ex.views["totals"].value and "366,592" in ex.views["totals"].value

    ex.controls["framework"].value = "pytorch"
    assert "<td>weight_ih_l0</td><td>(1024, 100)</td>" in ex.views["table"].value
    ex.controls["framework"].value = "matlab"
    assert "1024-by-100" in ex.views["table"].value


def test_result_matches_a_real_pytorch_layer():
    torch = pytest.importorskip("torch")
    ex = explorer(input_size=7, hidden_size=12, num_layers=2, bidirectional=True, proj_size=5,
                  framework="pytorch")
    layer = torch.nn.LSTM(7, 12, num_layers=2, bidirectional=True, proj_size=5)
    assert ex.result["pytorch"] == sum(p.numel() for p in layer.parameters())
    assert ex.result["keras"] is None  # proj_size is PyTorch's alone


def test_proj_size_not_below_hidden_size_shows_the_message_then_recovers(ex):
    ex.set(framework="pytorch", hidden_size=20, proj_size=5)
    assert ex.result["pytorch"] == lu.count_params(5, 20, framework="pytorch", proj_size=5)
    ex.controls["proj_size"].value = 20  # must not raise
    message = "proj_size == 20, must be < hidden_size (20)"
    assert ex.result["pytorch"] is None and ex.error.startswith(message)
    assert html.escape(message) in ex.views["error"].value
    assert ex.views["table"].value == "" and ex.views["charts"].value == ""
    ex.controls["hidden_size"].value = 32  # fixing the value brings everything back
    assert ex.error is None and ex.views["error"].value == ""
    assert ex.result["pytorch"] == lu.count_params(5, 32, framework="pytorch", proj_size=20)
    assert "weight_hr_l0" in ex.views["table"].value


def test_proj_size_with_a_gru_shows_the_message(ex):
    ex.set(framework="pytorch", cell="gru", proj_size=4)
    assert ex.error.startswith("proj_size == 4 applies only to a PyTorch LSTM")
    assert "applies only to a PyTorch LSTM" in ex.views["error"].value
    assert set(ex.result.values()) == {None}
    ex.controls["proj_size"].value = 0
    assert ex.result["pytorch"] == lu.count_params(5, 10, cell="gru", framework="pytorch")


def test_framework_without_the_layer_gets_none_and_a_reason(ex):
    ex.controls["cell"].value = "rnn"
    assert ex.result["matlab"] is None and "has no MATLAB layer" in ex.reasons["matlab"]
    assert ex.result["keras"] == lu.count_params(5, 10, cell="rnn")
    assert "has no MATLAB layer" in ex.views["totals"].value
    ex.controls["framework"].value = "matlab"
    assert "has no MATLAB layer" in ex.views["error"].value


def test_shapes_follow_batch_first_and_the_cell(ex):
    ex.set(framework="pytorch", batch=64, seq_len=3, input_size=3, hidden_size=12, num_layers=6)
    assert ex.shapes == lu.output_shapes("pytorch", batch=64, seq_len=3, input_size=3, hidden_size=12,
                                         num_layers=6)
    h_n = ex.shapes["h_n"]
    ex.controls["batch_first"].value = True
    assert ex.shapes["output"] == (64, 3, 12) and ex.shapes["h_n"] == h_n
    assert "(64, 3, 12)" in ex.views["shapes"].value
    ex.controls["cell"].value = "gru"
    assert "c_n" not in ex.shapes and "h_n" in ex.shapes


def test_charts_split_every_tensor_into_the_framework_gates(ex):
    ex.set(framework="pytorch", input_size=100, hidden_size=256)
    charts = ex.views["charts"].value
    names = [g.name for g in lu.gate_order("pytorch")]
    positions = [charts.index(f">{name}</text>") for name in names]
    assert positions == sorted(positions)
    per_gate = by_gate(ex.table)["forget gate"]
    assert per_gate == {"input weights": 256 * 100, "recurrent weights": 256 * 256, "bias": 2 * 256}
    assert f">{sum(per_gate.values()):,}</text>" in charts
    assert ">262,144</text>" in charts  # recurrent weights of the four gates, the largest kind


@given(n=st.integers(1, 40), m=st.integers(2, 40), cell=st.sampled_from(["lstm", "gru", "rnn"]),
       framework=st.sampled_from(["keras", "pytorch"]), layers=st.integers(1, 3), bi=st.booleans(),
       proj=st.booleans())
def test_gates_and_projection_add_up_to_the_total(n, m, cell, framework, layers, bi, proj):
    proj_size = m // 2 if proj and (cell, framework) == ("lstm", "pytorch") else 0
    table = lu.param_table(n, m, cell=cell, framework=framework, num_layers=layers, bidirectional=bi,
                           proj_size=proj_size)
    gates = by_gate(table)
    assert len(gates) == {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    in_gates = sum(sum(kinds.values()) for kinds in gates.values())
    assert in_gates + table.by_kind()["projection"] == table.total


def test_diagram_follows_the_sizes_on_every_change(ex):
    first = ex.views["diagram"].value
    assert first == lu.plots.cell_diagram_svg(5, 10) and "10×15</tspan>" in first
    bundle = ex._repr_mimebundle_()  # what IPython's display() calls
    assert bundle["text/plain"] == repr(ex) and "application/vnd.jupyter.widget-view+json" in bundle
    ex.controls["batch"].value = 7
    assert ex.views["diagram"].value == first
    ex.controls["hidden_size"].value = 11
    assert ex.views["diagram"].value == lu.plots.cell_diagram_svg(5, 11)
    ex.controls["cell"].value = "gru"
    assert ex.views["diagram"].layout.display == "none"
    assert "for an LSTM only" in ex.views["diagram_note"].value
    ex.controls["cell"].value = "lstm"
    assert ex.views["diagram"].layout.display is None and ex.views["diagram_note"].value == ""


def test_a_change_from_the_browser_updates_the_diagram_at_once():
    async def scenario():
        ex = explorer()
        ex.controls["hidden_size"].set_state({"value": 30})  # the path a browser message takes
        return ex

    ex = asyncio.run(scenario())
    assert ex.result["keras"] == lu.count_params(5, 30)
    assert ex.views["diagram"].value == lu.plots.cell_diagram_svg(5, 30)
    assert "input_size n = 5, hidden_size m = 30" in ex.views["diagram"].value


def test_an_invalid_combination_still_redraws_the_diagram(ex):
    ex.set(framework="pytorch", proj_size=10)  # proj_size == hidden_size: an error
    ex.controls["input_size"].value = 7
    assert ex.error is not None and "(7,)</tspan>" in ex.views["diagram"].value


def test_set_validates_like_the_constructor(ex):
    with pytest.raises(TypeError, match="argument 'hiden_size'.*Did you mean 'hidden_size'"):
        ex.set(hiden_size=3)
    ex.set(hidden_size=4000)  # beyond the slider: the slider grows
    assert ex.controls["hidden_size"].value == 4000 and ex.result["keras"] == lu.count_params(5, 4000)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"colour": 3}, TypeError, r"explorer\(\) got an unexpected keyword argument 'colour'"),
    ({"hidden_size": "5"}, TypeError, r"hidden_size must be an int >= 1, got '5'"),
    ({"hidden_size": 0}, ValueError, r"hidden_size == 0, must be an int >= 1"),
    ({"proj_size": -1}, ValueError, r"proj_size == -1, must be an int >= 0"),
    ({"bias": 1}, TypeError, r"bias must be True or False, got 1"),
    ({"framework": "caffe"}, ValueError, r"Unknown value for framework: 'caffe'"),
    ({"cell": "lstn"}, ValueError, r"Unknown value for cell: 'lstn'.*Did you mean 'lstm'"),
])
def test_bad_initial_values_raise_the_library_messages(kwargs, error, message):
    with pytest.raises(error, match=message):
        explorer(**kwargs)


def test_initial_values_are_used_and_aliases_accepted():
    ex = explorer(framework="torch", input_size=2000, hidden_size=3)
    assert ex.controls["framework"].value == "pytorch"
    assert ex.controls["input_size"].value == 2000  # the slider's range grew to hold it
    assert ex.result["pytorch"] == lu.count_params(2000, 3, framework="pytorch")


def test_import_lstm_utils_loads_no_widget_library():
    code = ("import sys, lstm_utils; "
            "print(sorted(m for m in ('ipywidgets', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_to_html_is_a_static_copy_of_the_views(ex):
    ex.set(input_size=100, hidden_size=256)
    page = ex.to_html()
    for name in ("totals", "shapes", "table", "charts"):
        assert ex.views[name].value in page
    assert "input_size=100, hidden_size=256" in page and page == ex.to_html()
    ex.set(framework="pytorch", proj_size=256)
    assert "must be &lt; hidden_size" in ex.to_html() and "<table><caption>" not in ex.to_html()
