"""lu.plots.bptt_graph, cell_diagram(backward=True) and matrix_powers: the labels a learner reads, the
argument checks."""

import io
import math

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from lstm_utils import plots


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def _gids(fig, prefix):
    return [p.get_gid() for p in fig.axes[0].patches if (p.get_gid() or "").startswith(prefix)]


def _png(fig):
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    return buffer.getvalue()


# --- bptt_graph ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("steps", range(2, 9))
def test_bptt_graph_draws_one_box_per_step(steps):
    fig = plots.bptt_graph(steps)
    assert isinstance(fig, Figure)
    assert _gids(fig, "bptt-cell-") == [f"bptt-cell-{t}" for t in range(1, steps + 1)]
    texts = _texts(fig)
    assert texts.count("LSTM cell") == steps
    assert [s for s in texts if s.startswith("step t = ")] == [f"step t = {t}" for t in range(1, steps + 1)]
    assert [s for s in texts if s.startswith("$L_")] == [f"$L_{t}$" for t in range(1, steps + 1)]
    assert [s for s in texts if s.startswith("$x_")] == [f"$x_{t}$" for t in range(1, steps + 1)]


def test_bptt_graph_full_has_one_weights_node_one_sum_and_no_cut():
    fig = plots.bptt_graph(4)
    texts = _texts(fig)
    assert texts.count("W, U, b") == 1 and _gids(fig, "bptt-weights") == ["bptt-weights"]
    assert [s for s in texts if "sums over the steps" in s] == [
        "δW = Σ$_t$ δW$_t$\nδW, δU, δb = sums over the steps"]
    assert _gids(fig, "bptt-cut-") == []
    assert not any("cut" in s or "carried" in s for s in texts)
    # every step t+1 sends (δh_t^(t+1), δc_t^(t+1)) back to the step before, and its δW_t to the sum
    assert [s for s in texts if s.startswith(r"$\delta h")] == [
        rf"$\delta h_{t}^{{({t + 1})}}$," "\n" rf"$\delta c_{t}^{{({t + 1})}}$" for t in (1, 2, 3)]
    assert [s for s in texts if s.startswith(r"$\delta h")][0] == "$\\delta h_1^{(2)}$,\n$\\delta c_1^{(2)}$"
    assert [s for s in texts if s.startswith(r"$\delta W")] == [rf"$\delta W_{t}$" for t in (1, 2, 3, 4)]
    assert fig.axes[0].get_title() == "Backpropagation through time: the layer unrolled over T = 4 steps"


@pytest.mark.parametrize("steps, k", [(s, k) for s in range(2, 9) for k in range(1, s)])
def test_bptt_graph_truncated_cuts_the_gradient_between_chunks(steps, k):
    fig = plots.bptt_graph(steps, truncate=k)
    cuts = math.ceil(steps / k) - 1
    assert _gids(fig, "bptt-cut-") == [f"bptt-cut-{t}" for t in range(k, steps, k)]
    assert len(_gids(fig, "bptt-cut-")) == cuts
    texts = _texts(fig)
    assert texts.count("gradient cut\n(detach)") == texts.count("state\ncarried") == cuts
    assert len([s for s in texts if s.startswith(r"$\delta h")]) == steps - 1 - cuts   # the arrows not cut
    sums = [s for s in texts if "Σ over" in s]
    assert len(sums) == cuts + 1                                          # one sum per chunk
    assert fig.axes[0].get_title() == f"Truncated BPTT: T = {steps} steps in chunks of k = {k}"


def test_bptt_graph_names_the_steps_of_each_chunk():
    def sums(steps, k):
        return [s.split("\n")[1] for s in _texts(plots.bptt_graph(steps, truncate=k)) if "Σ over" in s]

    assert sums(6, 3) == ["Σ over steps 1–3", "Σ over steps 4–6"]
    assert sums(3, 2) == ["Σ over steps 1–2", "Σ over step 3"]
    assert sums(4, 1) == ["Σ over step 1", "Σ over step 2", "Σ over step 3", "Σ over step 4"]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"steps": 1}, ValueError, r"^steps == 1, must be an int in 2\.\.8\.$"),
        ({"steps": 9}, ValueError, r"^steps == 9, must be an int in 2\.\.8\.$"),
        ({"steps": 2.5}, TypeError, r"^steps must be an int in 2\.\.8, got 2\.5 \(type float\)\.$"),
        ({"steps": True}, TypeError, r"^steps must be an int in 2\.\.8, got True \(type bool\)\.$"),
        ({"steps": "4"}, TypeError, r"^steps must be an int in 2\.\.8, got '4' \(type str\)\.$"),
        ({"steps": 4, "truncate": 0}, ValueError,
         r"^truncate == 0, must be an int in 1\.\.3 \(chunks shorter than steps=4\) or None\.$"),
        ({"steps": 4, "truncate": 4}, ValueError,
         r"^truncate == 4, must be an int in 1\.\.3 \(chunks shorter than steps=4\) or None\.$"),
        ({"steps": 6, "truncate": 6}, ValueError, r"^truncate == 6, must be an int in 1\.\.5"),
        ({"steps": 4, "truncate": 2.0}, TypeError,
         r"^truncate must be an int in 1\.\.3 .* got 2\.0 \(type float\)"),
        ({"steps": 4, "truncate": False}, TypeError, r"^truncate must be an int in 1\.\.3 .* got False"),
    ],
)
def test_bptt_graph_rejects_bad_arguments_by_name(kwargs, error, message):
    with pytest.raises(error, match=message):
        plots.bptt_graph(**kwargs)


def test_bptt_graph_rejects_an_ax_that_is_not_axes():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None, got str"):
        plots.bptt_graph(4, ax="left")


def test_bptt_graph_is_deterministic_to_the_pixel():
    first, second = plots.bptt_graph(6, truncate=3), plots.bptt_graph(6, truncate=3)
    assert _texts(first) == _texts(second)
    assert _png(first) == _png(second)
    assert _png(first) != _png(plots.bptt_graph(6, truncate=2))


def test_bptt_graph_draws_on_a_given_axes_and_displays_in_a_notebook():
    fig = Figure()
    assert plots.bptt_graph(3, ax=fig.add_subplot()) is fig
    fig = plots.bptt_graph(4)
    assert fig.get_size_inches()[0] == pytest.approx(11.0)              # notebook width
    assert fig._repr_png_().startswith(b"\x89PNG")
    assert repr(fig) == "<Figure size 1100x740 with 1 Axes>"            # what notebook 17 stores as text
    assert repr(plots.bptt_graph(6, truncate=3)) == "<Figure size 1100x576 with 1 Axes>"


@pytest.mark.parametrize("steps", range(2, 9))
def test_bptt_graph_labels_do_not_overlap(steps):
    """No two labels overlap (with 2 pixels to spare at 100 dpi), uncut and cut after every step.

    Chunks of one step put a cut, its labels and a sum into every gap: the most crowded drawing.
    """
    for k in (None, 1):
        fig = plots.bptt_graph(steps, truncate=k)
        renderer = FigureCanvasAgg(fig).get_renderer()
        boxes = [(t.get_text(), t.get_window_extent(renderer).padded(2)) for t in fig.axes[0].texts]
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1:]:
                assert not box_a.overlaps(box_b), (steps, k, a, b)


# --- cell_diagram(backward=True) -----------------------------------------------------------------------

def _backward_texts(texts):
    return [s for s in texts if r"\delta" in s or r"\odot\, f_t" in s or s.startswith("backward:")]


def test_cell_diagram_backward_labels_the_gradient_along_the_cell_state():
    texts = _texts(plots.cell_diagram(5, 10, backward=True))
    assert _backward_texts(texts) == [
        r"$\odot\, f_t$", r"$\delta c_t$", r"$\delta c_{t-1}^{(t)} = \delta c_t \odot f_t$",
        "backward: the gradient along the cell state is multiplied by $f_t$ at every step",
        r"$\delta c_t$: the gradient from step $t+1$ plus $h_t$'s part, "
        r"$\delta h_t \odot o_t \odot (1 - \tanh^2 c_t)$"]
    # the forward labels (shapes, gates) are all still there
    forward = _texts(plots.cell_diagram(5, 10))
    assert set(forward) - set(texts) == {r"$h_t$ and $c_t$ go on to step $t+1$"}


def test_cell_diagram_forward_has_none_of_the_backward_labels():
    texts = _texts(plots.cell_diagram(5, 10))
    assert _backward_texts(texts) == []
    assert not any("delta" in s for s in texts)
    assert plots.cell_diagram(5, 10, backward=False).axes[0].get_title() == (
        "One LSTM step: input_size n = 5, hidden_size m = 10")


def test_cell_diagram_backward_arrows_run_right_to_left_in_a_colour_of_their_own():
    assert plots.GRADIENT_COLOUR not in plots.GATE_COLOURS.values()
    ax = plots.cell_diagram(5, 10, backward=True).axes[0]
    colour = FancyArrowPatch((0, 0), (1, 1), color=plots.GRADIENT_COLOUR).get_edgecolor()
    gradient = [p for p in ax.patches
                if isinstance(p, FancyArrowPatch) and tuple(p.get_edgecolor()) == colour]
    along = [p._posA_posB for p in gradient if p._posA_posB[0][1] == p._posA_posB[1][1]]   # horizontal
    assert len(along) == 5                                      # c_t ... c_{t-1}, in five pieces
    assert all(start[0] > end[0] for start, end in along)      # every one points to the left
    assert min(end[0] for _, end in along) < 0 < 12 < max(start[0] for start, _ in along)
    forward = plots.cell_diagram(5, 10).axes[0]
    assert not any(isinstance(p, FancyArrowPatch) and tuple(p.get_edgecolor()) == colour
                   for p in forward.patches)


@pytest.mark.parametrize("value", ["yes", 1, None, 0.0])
def test_cell_diagram_backward_must_be_a_bool(value):
    with pytest.raises(TypeError, match=rf"^backward must be True or False, got {value!r}\.$"):
        plots.cell_diagram(5, 10, backward=value)


# --- matrix_powers -------------------------------------------------------------------------------------

NOT_NORMAL = [[0.8, 1.5], [0.0, 0.6]]                           # notebook 16's matrix: ||A|| > 1 > rho(A)


def test_matrix_powers_draws_the_norms_of_the_powers_and_both_rates():
    fig = plots.matrix_powers(NOT_NORMAL, k_max=40)
    left, right = fig.axes
    A = np.array(NOT_NORMAL)
    norm_k, rho_k, bound_k = (line.get_ydata() for line in right.get_lines()[:3])
    expected = [np.linalg.norm(np.linalg.matrix_power(A, k), 2) for k in range(41)]
    assert list(right.get_lines()[0].get_xdata()) == list(range(41))
    assert np.allclose(norm_k, expected, rtol=1e-12, atol=0)
    assert np.allclose(rho_k, 0.8 ** np.arange(41), rtol=1e-12)
    assert np.allclose(bound_k, np.linalg.norm(A, 2) ** np.arange(41), rtol=1e-12)
    assert np.all(norm_k <= bound_k * (1 + 1e-12))              # ||A^k|| <= ||A||^k
    assert [line.get_label() for line in right.get_lines()[:3]] == [
        r"$\Vert A^k \Vert$", r"$\rho(A)^k = 0.8^k$", r"bound $\Vert A \Vert^k = 1.78^k$"]
    assert right.get_yscale() == "log" and right.get_ylim()[1] > max(expected)
    assert left.get_title() == "A turns the unit circle into an ellipse"
    assert [t.get_text() for t in left.texts] == [r"$\sigma_{\max} = \Vert A \Vert = 1.78$"]
    assert [line.get_label() for line in left.get_lines()] == [
        r"unit circle, $\Vert v \Vert = 1$", r"its image $A v$: an ellipse",
        r"eigenvector direction, $\lambda = 0.8$", r"eigenvector direction, $\lambda = 0.6$"]
    assert repr(fig) == "<Figure size 1100x420 with 2 Axes>"   # what notebook 16 stores as text


def test_matrix_powers_image_is_a_unit_circle_mapped_by_a():
    left = plots.matrix_powers(NOT_NORMAL).axes[0]
    circle, image = (np.array(line.get_data()) for line in left.get_lines()[:2])
    assert np.allclose(np.linalg.norm(circle, axis=0), 1.0)
    assert np.allclose(image, np.array(NOT_NORMAL) @ circle)


@pytest.mark.parametrize("A, title, eigen_lines", [
    ([[0.0, -1.0], [1.0, 0.0]], "A turns the unit circle into an ellipse", 0),   # a rotation: no real λ
    ([[1.0, 2.0], [0.5, 1.0]], "A flattens the unit circle into a segment", 2),  # singular
    ([[0.0, 0.0], [0.0, 0.0]], "A maps the unit circle to a point", 2),
    ([[2, 0], [0, 1]], "A turns the unit circle into an ellipse", 2),              # ints are real numbers
])
def test_matrix_powers_names_the_image_and_draws_only_real_eigenvectors(A, title, eigen_lines):
    left = plots.matrix_powers(A, k_max=5).axes[0]
    assert left.get_title() == title
    assert len([line for line in left.get_lines() if "eigenvector" in line.get_label()]) == eigen_lines


def test_matrix_powers_labels_a_zero_eigenvalue_as_zero():
    labels = [line.get_label() for line in plots.matrix_powers([[1.0, 2.0], [0.5, 1.0]]).axes[0].get_lines()]
    assert r"eigenvector direction, $\lambda = 0$" in labels


def test_matrix_powers_draws_on_two_given_axes_and_is_deterministic():
    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert plots.matrix_powers(NOT_NORMAL, axes=(left, right)) is fig
    assert len(right.get_lines()) == 4
    assert _png(plots.matrix_powers(NOT_NORMAL)) == _png(plots.matrix_powers(NOT_NORMAL))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"A": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}, ValueError,
         r"^A must be a 2 x 2 matrix, got shape \(2, 3\)\.$"),
        ({"A": np.eye(3)}, ValueError,
         r"^A must be a 2 x 2 matrix, got shape \(3, 3\)\.$"),
        ({"A": [1.0, 2.0]}, ValueError,
         r"^A must be a 2 x 2 matrix, got shape \(2,\)\.$"),
        ({"A": [[1.0, 2.0], [3.0]]}, ValueError,
         r"^A must be a 2 x 2 matrix, got a ragged nesting"),
        ({"A": [[1j, 0], [0, 1]]}, TypeError,
         r"^A must be a real 2 x 2 matrix, got an array of dtype complex128\.$"),
        ({"A": [["a", "b"], ["c", "d"]]}, TypeError,
         r"^A must be a real 2 x 2 matrix, got an array of dtype <U1\.$"),
        ({"A": [[True, False], [False, True]]}, TypeError,
         r"^A must be a real 2 x 2 matrix, .* dtype bool\.$"),
        ({"A": [[np.nan, 0.0], [0.0, 1.0]]}, ValueError,
         r"^A has entries that are not finite: \[\[nan, 0\.0\]"),
        ({"A": NOT_NORMAL, "k_max": 0}, ValueError,
         r"^k_max == 0, must be an int in 1\.\.1000\.$"),
        ({"A": NOT_NORMAL, "k_max": 1001}, ValueError,
         r"^k_max == 1001, must be an int in 1\.\.1000\.$"),
        ({"A": NOT_NORMAL, "k_max": 40.0}, TypeError,
         r"^k_max must be an int in 1\.\.1000, got 40\.0 \(type float\)\.$"),
        ({"A": NOT_NORMAL, "axes": "left"}, TypeError,
         r"^axes must be two matplotlib Axes \(left, right\) or None"),
    ],
)
def test_matrix_powers_rejects_bad_arguments_by_name(kwargs, error, message):
    with pytest.raises(error, match=message):
        plots.matrix_powers(**kwargs)


def test_matrix_powers_rejects_one_axes_or_three():
    fig = Figure()
    axes = fig.subplots(1, 3)
    for given in (axes[0], list(axes), [axes[0], "right"]):
        with pytest.raises(TypeError, match=r"^axes must be two matplotlib Axes"):
            plots.matrix_powers(NOT_NORMAL, axes=given)
