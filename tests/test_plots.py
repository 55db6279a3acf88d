"""The course's figures: the labels a learner reads on them, and their argument checks."""

import hashlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from lstm_utils import cell_geometry as geo
from lstm_utils import param_table, plots
from lstm_utils._validate import FRAMEWORKS
from lstm_utils.gates import gate_order

SVG = "{http://www.w3.org/2000/svg}"


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


# --- one geometry, two renderers -------------------------------------------------------------------------

def _pieces(kind, backward):
    return [e for e in geo.ELEMENTS if isinstance(e, kind) and geo.in_view(e, backward)]


@pytest.mark.parametrize("backward", [False, True])
def test_cell_diagram_draws_every_piece_of_the_geometry_where_it_says(backward):
    ax = plots.cell_diagram(5, 10, backward=backward).axes[0]
    arrows = sorted(tuple(map(tuple, p._posA_posB)) for p in ax.patches if isinstance(p, FancyArrowPatch))
    assert arrows == sorted((e.start, e.end) for e in _pieces(geo.Arrow, backward))
    circles = sorted((tuple(p.center), p.radius) for p in ax.patches if isinstance(p, Circle))
    assert circles == sorted([((e.x, e.y), geo.OP_RADIUS) for e in _pieces(geo.Op, backward)]
                             + [((e.x, e.y), e.radius) for e in _pieces((geo.Dot, geo.Ring), backward)])
    boxes = sorted((p.get_x(), p.get_y(), p.get_width(), p.get_height()) for p in ax.patches
                   if isinstance(p, FancyBboxPatch))
    assert boxes == sorted((e.x, e.y, e.width, e.height) for e in [geo.BODY, *_pieces(geo.Box, backward)])
    lines = [tuple(zip(ln.get_xdata(), ln.get_ydata(), strict=True)) for ln in ax.lines]
    assert lines == [(e.start, e.end) for e in _pieces(geo.Line, backward)]
    shapes = plots.cell_shapes(5, 10)
    texts = [(t.get_text(), t.get_position()) for t in ax.texts]
    assert sorted(texts) == sorted([(e.text + (shapes[e.shape] if e.shape else ""), (e.x, e.y))
                                    for e in _pieces(geo.Label, backward)]
                                   + [(e.symbol, (e.x, e.y)) for e in _pieces(geo.Op, backward)])
    title = (geo.BACKWARD_TITLE if backward else geo.TITLE).format(n=5, m=10)
    assert ax.get_title() == title and (ax.get_xlim(), ax.get_ylim()) == (geo.XLIM, geo.YLIM)


def test_cell_diagram_svg_draws_every_line_of_the_forward_view_where_the_geometry_says():
    """Each <path> runs between the geometry's points, at 56 points per axes unit, y turned downwards."""
    def point(x, y):
        return f"{(x + 1.6) * 56:.0f},{(6.4 - y) * 56 + 30:.0f}"

    paths = [p.get("d") for p in ET.fromstring(plots.cell_diagram_svg(5, 10)).findall(f"{SVG}path")]
    lines = [e for e in geo.ELEMENTS if isinstance(e, geo.Arrow | geo.Line) and geo.in_view(e, False)]
    assert paths == [f"M{point(*e.start)} L{point(*e.end)}" for e in lines]
    assert not any(e.colour == geo.GRADIENT_COLOUR for e in lines)          # no piece of the backward view


@pytest.mark.parametrize("n, m, sha256", [
    (5, 10, "a059b5fadeac666982be8ab5bd01d86f91101318efa158ff8a61faa9ad222ab1"),
    (100, 256, "216becc03e85f905b4bd32f18801039ad68895639e4acbf9c3e0dbb1b957b21b"),
])
def test_cell_diagram_svg_is_the_text_recorded_before_the_geometry_moved(n, m, sha256):
    """The SVG of commit 60c171d (before lstm_utils.cell_geometry), byte for byte: a change is deliberate."""
    assert hashlib.sha256(plots.cell_diagram_svg(n, m).encode("utf-8")).hexdigest() == sha256


# --- weight_layout from the parameter table --------------------------------------------------------------

@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_weight_layout_draws_the_input_weights_of_every_counted_framework(framework):
    rows = [r for r in param_table(3, 5, framework=framework) if r.kind == "input weights"]
    ax = plots.weight_layout(3, 5, framework).axes[0]
    texts = [t.get_text() for t in ax.texts]
    if len(rows) == 1:                                     # one matrix: a block per gate, in its gate order
        assert ax.get_title().startswith(f"{framework} {rows[0].name}: ")
        assert [t.split("\n")[0] for t in texts] == [f"{g.symbol}: {g.role}" for g in gate_order(framework)]
    else:                                                  # a tensor per gate: a block per tensor, by name
        assert [t.split("\n")[0] for t in texts] == [r.name for r in rows]
    assert len(ax.patches) == len(texts) == 4


@pytest.mark.parametrize("framework, stacked", [("keras", False), ("pytorch", True), ("matlab", True)])
def test_weight_layout_finds_the_gate_axis_when_input_size_is_4_hidden_size(framework, stacked):
    """At n = 4m the kernel is square, (4, 4): its shape alone cannot say which axis holds the gates."""
    ax = plots.weight_layout(4, 1, framework).axes[0]
    xs = {p.get_x() for p in ax.patches}
    assert (len(xs) == 1) is stacked                       # stacked: one column of blocks, else one row
    assert all(t.get_text().endswith("(1, 4)" if stacked else "(4, 1)") for t in ax.texts)


def test_weight_layout_draws_a_block_per_tensor_when_each_gate_has_its_own_kernel(monkeypatch):
    """A table that lists one input kernel of (n, m) per gate, as Flax's nnx.LSTMCell stores them (ii, if_,
    ig, io), stands in for Keras' here: the figure follows the table, whichever framework it counts."""
    names = ("if_.kernel", "ig.kernel", "ii.kernel", "io.kernel")

    def table(n, m, *, framework):
        assert framework == "keras"
        inputs = [SimpleNamespace(name=name, shape=(n, m), kind="input weights") for name in names]
        return [SimpleNamespace(name="hi.kernel", shape=(m, m), kind="recurrent weights"), *inputs]

    monkeypatch.setattr(plots, "param_table", table)
    ax = plots.weight_layout(3, 5, "tf").axes[0]
    assert [t.get_text() for t in ax.texts] == [f"{name}\n(3, 5)" for name in names]
    assert ax.get_title() == "keras: 4 input weight tensors, (3, 5) each"
    assert sorted(p.get_x() for p in ax.patches) == pytest.approx([0.0, 1.2, 2.4, 3.6])   # apart, in a row
