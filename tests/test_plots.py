"""The course's figures: the labels a learner reads on them, and their argument checks."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from matplotlib.figure import Figure

from lstm_utils import plots


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_importing_lstm_utils_does_not_load_matplotlib():
    code = "import sys, lstm_utils; assert 'matplotlib' not in sys.modules, 'matplotlib loaded'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cell_diagram_labels_every_arrow_with_its_shape_for_5_to_10():
    texts = _texts(plots.cell_diagram(5, 10))
    # Derived by hand: x_t (5,), h (10,), [h, x] (10 + 5,), each W is 10 x (10 + 5).
    for label in [r"$x_t$: (5,)", r"$h_{t-1}$: (10,)", r"$c_{t-1}$: (10,)", r"$[h_{t-1}, x_t]$: (15,)",
                  r"$c_t$: (10,)", r"$h_t$: (10,)", r"$f_t$: (10,)", r"$i_t$: (10,)", r"$g_t$: (10,)",
                  r"$o_t$: (10,)", r"$\tanh(c_t)$: (10,)"]:
        assert label in texts
    for sym in "fico":                                  # the candidate's weights: W_c, b_c (its value: g_t)
        assert f"$W_{sym}$: 10×15" in texts
        assert f"$b_{sym}$: (10,)" in texts
    for gate in ("forget", "input", "candidate", "output"):
        assert gate in texts


@pytest.mark.parametrize("n, m", [(2, 3), (100, 256), (1, 1)])
def test_cell_diagram_shapes_follow_the_sizes(n, m):
    texts = _texts(plots.cell_diagram(n, m))
    assert f"$[h_{{t-1}}, x_t]$: ({n + m},)" in texts
    assert f"$W_f$: {m}×{n + m}" in texts
    assert f"$x_t$: ({n},)" in texts
    assert sum(t.endswith(f"({m},)") for t in texts) >= 12  # h, c in and out, 4 gates, 4 biases...


def test_cell_diagram_is_deterministic_and_draws_on_a_given_axes():
    first, second = plots.cell_diagram(5, 10), plots.cell_diagram(5, 10)
    assert _texts(first) == _texts(second)
    assert len(first.axes[0].patches) == len(second.axes[0].patches) > 10
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.cell_diagram(5, 10, ax=ax) is fig


def test_figures_display_as_png_in_a_notebook_without_pyplot():
    fig = plots.cell_diagram(5, 10)
    assert fig._repr_png_().startswith(b"\x89PNG")
    assert repr(fig) == "<Figure size 1100x620 with 1 Axes>"  # what notebooks store as text/plain
    assert repr(plots.activation_curves()) == "<Figure size 700x400 with 1 Axes>"


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((0, 10), ValueError, r"input_size == 0, must be an int >= 1"),
        ((5, -3), ValueError, r"hidden_size == -3, must be an int >= 1"),
        ((5.0, 10), TypeError, r"input_size must be an int >= 1, got 5.0 \(type float\)"),
        ((5, True), TypeError, r"hidden_size must be an int >= 1, got True"),
    ],
)
def test_cell_diagram_rejects_bad_sizes(args, error, message):
    with pytest.raises(error, match=message):
        plots.cell_diagram(*args)
    with pytest.raises(error, match=message):
        plots.cell_diagram_svg(*args)


def test_cell_diagram_rejects_an_ax_that_is_not_axes():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None, got str"):
        plots.cell_diagram(5, 10, ax="left")


def test_activation_curves_stay_in_their_ranges():
    lines = plots.activation_curves().axes[0].get_lines()
    sig, tanh = lines[0].get_ydata(), lines[1].get_ydata()
    assert 0 < sig.min() < 0.01 and 0.99 < sig.max() < 1
    assert -1 < tanh.min() < -0.99 and 0.99 < tanh.max() < 1
    assert "(0, 1)" in lines[0].get_label() and "(-1, 1)" in lines[1].get_label()


def test_training_curves_plots_each_key_against_epochs():
    class History:  # what keras' model.fit returns, reduced to the attribute used
        history = {"loss": [0.69, 0.5], "accuracy": [0.5, 0.75], "val_loss": [0.7, 0.6]}

    ax = plots.training_curves(History()).axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["loss", "accuracy"]
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2]
    assert list(ax.get_lines()[1].get_ydata()) == [0.5, 0.75]


def test_training_curves_bad_input():
    with pytest.raises(ValueError, match=r"Unknown value for keys: 'acc'. Possible values are: \('loss',"):
        plots.training_curves({"loss": [1.0]}, keys=("acc",))
    with pytest.raises(TypeError, match="history must be a keras History or a mapping"):
        plots.training_curves([0.1, 0.2])


@pytest.mark.parametrize(
    "framework, title, block",
    [("keras", "keras kernel: (100, 1024)", "(100, 256)"),
     ("pytorch", "pytorch weight_ih_l0: (1024, 100)", "(256, 100)"),
     ("matlab", "matlab InputWeights: 1024-by-100", "(256, 100)")],
)
def test_weight_layout_titles_and_blocks(framework, title, block):
    ax = plots.weight_layout(100, 256, framework).axes[0]
    assert ax.get_title() == title
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 4 and all(t.endswith(block) for t in texts)
    assert texts[1].startswith("f: forget")


def test_weight_layout_rejects_unknown_framework():
    with pytest.raises(ValueError, match=r"Unknown value for framework: 'caffe'"):
        plots.weight_layout(5, 10, "caffe")


def _plain(label):
    """A mathtext label as the SVG writes it: subscripts as raised-and-lowered text, symbols as Unicode."""
    for tex, char in ((r"\sigma", "σ"), (r"\tanh", "tanh"), (r"\odot", "⊙"), (r"\cdot", "·")):
        label = label.replace(tex, char)
    return label.replace("$", "").replace("_{", "").replace("}", "").replace("_", "")


def _svg_texts(svg):
    """(visible text, x, text-anchor) of every <text> element of an SVG."""
    root = ET.fromstring(svg)  # well-formed XML, an <svg> element to inline in HTML
    return [("".join(t.itertext()), float(t.get("x")), t.get("text-anchor"))
            for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("n, m", [(5, 10), (1, 1), (100, 256), (1024, 3)])
def test_cell_diagram_svg_shows_every_label_of_the_figure(n, m):
    svg = plots.cell_diagram_svg(n, m)
    assert svg.startswith("<svg") and "$" not in svg
    visible = [text for text, _, _ in _svg_texts(svg)]
    figure = [_plain(label) for label in _texts(plots.cell_diagram(n, m))]
    assert sorted(visible) == sorted([*figure, f"One LSTM step: input_size n = {n}, hidden_size m = {m}"])
    for shape in plots.cell_shapes(n, m).values():
        assert any(text.endswith(f": {shape}") for text in visible), shape


def test_cell_diagram_svg_places_labels_where_the_figure_does():
    """Each label sits at cell_diagram's x (56 points per axes unit) with the same horizontal alignment."""
    anchor = {"left": "start", "center": "middle", "right": "end"}
    title = "One LSTM step: input_size n = 5, hidden_size m = 10"
    ours = sorted(place for place in _svg_texts(plots.cell_diagram_svg(5, 10)) if place[0] != title)
    figure = sorted((_plain(t.get_text()), round((t.get_position()[0] + 1.6) * 56), anchor[t.get_ha()])
                    for t in plots.cell_diagram(5, 10).axes[0].texts)
    assert ours == figure


def test_cell_diagram_svg_needs_no_matplotlib():
    code = ("import sys; from lstm_utils.cell_svg import cell_diagram_svg; cell_diagram_svg(5, 10); "
            "import lstm_utils.widgets; print('matplotlib' in sys.modules, end='')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "False"


def test_cell_diagram_svg_is_the_same_text_in_another_process():
    code = "from lstm_utils.plots import cell_diagram_svg; print(cell_diagram_svg(7, 3), end='')"
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         encoding="utf-8", env=env).stdout
    assert out == plots.cell_diagram_svg(7, 3)
    assert plots.cell_diagram_svg(7, 3) != plots.cell_diagram_svg(7, 4)
