"""Figures of the course, drawn by code: the LSTM cell with shapes, the activations, training curves.

Every function returns a :class:`matplotlib.figure.Figure`. When no ``ax`` is given it builds the figure
directly (not through ``pyplot``), so nothing depends on a backend: in a notebook, end the cell with the
figure to display it once, as a PNG, whether or not ``%matplotlib inline`` or ``pyplot`` was loaded; in a
script, call ``fig.savefig(...)``. Drawings are deterministic: the same arguments give the same picture.

matplotlib is imported here only; ``import lstm_utils`` does not load it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from lstm_utils import cell_geometry as geo
from lstm_utils._validate import check_bool, check_choice, check_framework, check_int, format_shape
from lstm_utils.cell_geometry import GATE_COLOURS, GRADIENT_COLOUR
from lstm_utils.cell_svg import cell_diagram_svg, cell_shapes
from lstm_utils.counting import param_table
from lstm_utils.gates import gate_order

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["GATE_COLOURS", "GRADIENT_COLOUR", "activation_curves", "bptt_graph", "cell_diagram",
           "cell_diagram_svg", "cell_shapes", "gates_over_time", "gradient_vs_distance", "matrix_powers",
           "text_heatmap", "training_curves", "weight_layout"]

class _NotebookFigure(Figure):
    """A Figure that Jupyter displays as a PNG without any pyplot backend, and that reprs as a Figure."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()

    def __repr__(self) -> str:
        width, height = self.bbox.size
        return f"<Figure size {width:g}x{height:g} with {len(self.axes)} Axes>"


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The figure and axes to draw on: ``ax`` and its figure, or a fresh backend-free figure."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}.")
        return ax.figure, ax
    fig = _NotebookFigure(figsize=figsize)
    return fig, fig.add_subplot()


def _arrow(ax: Axes, start, end, colour: str = "black", style: str = "-|>", *, linewidth: float = 1.6,
           linestyle: str = "-", gid: str | None = None) -> FancyArrowPatch:
    arrow = FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=14, color=colour,
                            linewidth=linewidth, linestyle=linestyle, shrinkA=0, shrinkB=0, gid=gid)
    ax.add_patch(arrow)
    return arrow


# How matplotlib draws each kind of piece of lstm_utils.cell_geometry (coordinates: axes units).
def _box(ax: Axes, e: geo.Box, shapes: Mapping[str, str]) -> None:
    style = f"round,pad={e.pad},rounding_size={e.rounding}"
    ax.add_patch(FancyBboxPatch((e.x, e.y), e.width, e.height, boxstyle=style, facecolor=e.fill,
                                edgecolor=e.edge, linewidth=e.linewidth, zorder=e.zorder))


def _op(ax: Axes, e: geo.Op, shapes: Mapping[str, str]) -> None:
    ax.add_patch(Circle((e.x, e.y), geo.OP_RADIUS, facecolor=geo.OP_FILL, edgecolor=geo.BLACK,
                        linewidth=geo.OP_LINEWIDTH, zorder=3))
    ax.text(e.x, e.y, e.symbol, ha="center", va="center", fontsize=e.size, zorder=4)


def _label(ax: Axes, e: geo.Label, shapes: Mapping[str, str]) -> None:
    style = {"color": e.colour, "zorder": e.zorder,
             "bbox": {"facecolor": "white", "edgecolor": "none", "pad": 1.0} if e.backdrop else None}
    ax.text(e.x, e.y, e.text + (shapes[e.shape] if e.shape else ""), fontsize=e.size, ha=e.ha, va=e.va,
            **{key: value for key, value in style.items() if value is not None})   # None: the default


_PAINTERS = {
    geo.Box: _box,
    geo.Arrow: lambda ax, e, _: _arrow(ax, e.start, e.end, e.colour, "-|>" if e.head else "-",
                                       linewidth=e.width),
    geo.Line: lambda ax, e, _: ax.plot(*zip(e.start, e.end, strict=True), color=e.colour, linewidth=e.width,
                                       zorder=1),
    geo.Op: _op,
    geo.Dot: lambda ax, e, _: ax.add_patch(Circle((e.x, e.y), e.radius, color=e.colour, zorder=3)),
    geo.Ring: lambda ax, e, _: ax.add_patch(Circle((e.x, e.y), e.radius, facecolor="none", edgecolor=e.colour,
                                                   linewidth=e.width, zorder=5)),
    geo.Label: _label,
}


def cell_diagram(input_size: int, hidden_size: int, *, ax: Axes | None = None,
                 backward: bool = False) -> Figure:
    """Draw one LSTM cell: the four gates, the concatenation [h_{t-1}, x_t], c_{t-1} -> c_t and h_t.

    Every arrow carries the shape of what flows along it for the sizes given, and each gate shows the
    shape of its weight matrix on the concatenation (m x (m+n)) and of its bias (m,). With
    ``backward=True`` the same cell shows the backward pass along the cell state, in
    :data:`GRADIENT_COLOUR`: the gradient from step t+1 and h_t's part, δh_t ⊙ o_t ⊙ (1 - tanh² c_t), add
    up to δc_t, which leaves towards step t-1 multiplied by f_t alone: δc_{t-1}^{(t)} = δc_t ⊙ f_t, step
    t's share of δc_{t-1} (step t-1 adds the part from h_{t-1}; notebook 17, section 2). Every
    coordinate comes from :mod:`lstm_utils.cell_geometry`, the layout :func:`cell_diagram_svg` draws too.

    Parameters
    ----------
    input_size : int
        n, features of x_t (>= 1).
    hidden_size : int
        m, units (>= 1).
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new 11 x 6.2 inch figure is made.
    backward : bool, default False
        Draw the cell state's line as the path of the gradient, right to left, with the factor f_t.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the drawing; the labels are the ``texts`` of its axes.

    Raises
    ------
    TypeError, ValueError
        A size that is not an int >= 1 (the message names the argument), a ``backward`` that is not a
        bool, or an ``ax`` that is not Axes.

    Examples
    --------
    >>> fig = cell_diagram(5, 10)
    >>> labels = [t.get_text() for t in fig.axes[0].texts]
    >>> [s for s in labels if s.endswith("(15,)")]
    ['$[h_{t-1}, x_t]$: (15,)']
    >>> "$W_f$: 10×15" in labels
    True
    >>> fig = cell_diagram(5, 10, backward=True)
    >>> fig.axes[0].get_title()
    'One LSTM step, backwards along the cell state: input_size n = 5, hidden_size m = 10'
    """
    shapes = cell_shapes(input_size, hidden_size)
    backward = check_bool("backward", backward)
    fig, ax = _new_axes(ax, (11, 6.2))
    ax.set_xlim(*geo.XLIM)
    ax.set_ylim(*geo.YLIM)
    ax.set_aspect("equal")
    ax.axis("off")
    title = geo.BACKWARD_TITLE if backward else geo.TITLE
    ax.set_title(title.format(n=input_size, m=hidden_size), fontsize=12)
    for element in (geo.BODY, *geo.ELEMENTS):
        if geo.in_view(element, backward):
            _PAINTERS[type(element)](ax, element, shapes)
    return fig


def activation_curves(ax: Axes | None = None) -> Figure:
    """Plot the sigmoid, with values in (0, 1), and tanh, with values in (-1, 1), on z in [-6, 6].

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new 7 x 4 inch figure is made.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = activation_curves()
    >>> [line.get_label() for line in fig.axes[0].get_lines()[:2]]
    ['sigmoid σ(z): values in (0, 1)', 'tanh(z): values in (-1, 1)']
    """
    fig, ax = _new_axes(ax, (7, 4))
    z = np.linspace(-6.0, 6.0, 241)
    ax.plot(z, 1.0 / (1.0 + np.exp(-z)), color=GATE_COLOURS["forget"], linewidth=2,
            label="sigmoid σ(z): values in (0, 1)")
    ax.plot(z, np.tanh(z), color=GATE_COLOURS["candidate"], linewidth=2, label="tanh(z): values in (-1, 1)")
    for level in (-1.0, 0.0, 1.0):
        ax.axhline(level, color="#999999", linewidth=0.8, linestyle="--")
    ax.axvline(0.0, color="#999999", linewidth=0.8)
    ax.set_xlabel("z (the gate's pre-activation)")
    ax.set_ylabel("activation")
    ax.set_title("Gates squash with sigmoid, candidates and outputs with tanh")
    ax.set_ylim(-1.2, 1.2)
    ax.legend(loc="lower right")
    return fig


def training_curves(history: object, *, keys: Sequence[str] = ("loss", "accuracy"),
                    ax: Axes | None = None) -> Figure:
    """Plot per-epoch metrics of a training run, one line per key, against the epoch number (1, 2, ...).

    Parameters
    ----------
    history : keras.callbacks.History or mapping of str -> sequence of float
        What ``model.fit`` returns, or its ``.history`` dict.
    keys : sequence of str
        The metrics to draw, each a key of the history.
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new 7 x 4 inch figure is made.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        ``history`` is neither a mapping nor has a ``.history`` mapping.
    ValueError
        A key that the history does not hold (the message lists the keys it has).

    Examples
    --------
    >>> fig = training_curves({"loss": [0.7, 0.5, 0.4], "accuracy": [0.4, 0.6, 0.8]})
    >>> [(line.get_label(), len(line.get_xdata())) for line in fig.axes[0].get_lines()]
    [('loss', 3), ('accuracy', 3)]
    """
    values = getattr(history, "history", history)
    if not isinstance(values, Mapping):
        raise TypeError(f"history must be a keras History or a mapping of metric name -> values, "
                        f"got {type(history).__name__}.")
    keys = tuple(keys)
    for key in keys:
        check_choice("keys", key, tuple(values))
    fig, ax = _new_axes(ax, (7, 4))
    for key in keys:
        series = np.asarray(values[key], dtype=float)
        ax.plot(np.arange(1, len(series) + 1), series, linewidth=2, label=key)
    ax.set_xlabel("epoch")
    ax.set_ylabel("value")
    ax.set_title("Training curves")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return fig


def _input_weights(n: int, m: int, framework: str) -> tuple:
    """The rows of ``param_table(n, m)`` that hold one LSTM layer's input weights, in the table's order."""
    return tuple(row for row in param_table(n, m, framework=framework) if row.kind == "input weights")


def weight_layout(input_size: int, hidden_size: int, framework: str = "keras", *,
                  ax: Axes | None = None) -> Figure:
    """Draw how a framework stores an LSTM's input weights: gate blocks, as its parameter table lists them.

    The tensors come from :func:`lstm_utils.param_table` (its rows of kind "input weights"), so every
    counted framework is drawn. One matrix holding the four gates is cut into blocks, coloured by gate
    in the framework's :func:`lstm_utils.gate_order`: Keras keeps ``kernel`` as (n, 4m), the gates side
    by side along the columns; PyTorch keeps ``weight_ih_l0`` as (4m, n) and MATLAB ``InputWeights`` as
    4m-by-n, gates stacked along the rows. A framework that keeps one input kernel per gate (Flax's
    ``nnx.LSTMCell``: ``ii.kernel``, ``if_.kernel``, ... each (n, m)) is drawn as separate blocks
    labelled with their tensor names.

    Parameters
    ----------
    input_size, hidden_size : int
        n and m (>= 1).
    framework : str
        A counted framework (``lstm_utils.frameworks``' registry); aliases such as "torch" are accepted.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One text per block: the gate's symbol and role, or the tensor's name, then the block's shape.

    Raises
    ------
    TypeError, ValueError
        A size that is not an int >= 1, an unknown framework.

    Examples
    --------
    >>> fig = weight_layout(100, 256, "pytorch")
    >>> fig.axes[0].get_title()
    'pytorch weight_ih_l0: (1024, 100)'
    >>> [t.get_text().split(chr(10))[0] for t in fig.axes[0].texts]
    ['i: input', 'f: forget', 'g: candidate', 'o: output']
    """
    n = check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    fw = check_framework(framework)
    rows = _input_weights(n, m, fw)
    fig, ax = _new_axes(ax, (7, 4))
    if len(rows) == 1:
        _fused_blocks(ax, fw, rows[0], n, m)
    else:
        _separate_blocks(ax, fw, rows)
    ax.axis("off")
    return fig


def _fused_blocks(ax: Axes, fw: str, row: object, n: int, m: int) -> None:
    """One matrix with the four gates along one axis: a block of 1 x 0.6 per gate, in its gate order."""
    # The gate axis does not depend on the sizes; at n = m = 1 it (length 4) cannot be taken for the
    # input axis (length 1), as it can at n = 4m.
    (probe,) = _input_weights(1, 1, fw)
    wide = probe.shape == (1, 4)                            # gates along the columns: (n, 4m)
    # Drawn with a fixed aspect, not to scale: n and m may differ a hundredfold.
    for k, gate in enumerate(gate_order(fw)):
        xy, w, h = ((k, 0.0), 1.0, 0.6) if wide else ((0.0, 3 - k), 1.6, 1.0)
        ax.add_patch(Rectangle(xy, w, h, facecolor=GATE_COLOURS[gate.role], alpha=0.35, edgecolor="black"))
        block = f"({n}, {m})" if wide else f"({m}, {n})"
        ax.text(xy[0] + w / 2, xy[1] + h / 2, f"{gate.symbol}: {gate.role}\n{block}", ha="center",
                va="center", fontsize=9)
    ax.set_xlim(-0.2, 4.2 if wide else 1.8)
    ax.set_ylim(-0.2, 0.8 if wide else 4.2)
    ax.set_aspect("equal" if not wide else "auto")
    ax.set_title(f"{fw} {row.name}: {format_shape(row.shape, fw)}")


def _separate_blocks(ax: Axes, fw: str, rows: Sequence) -> None:
    """One tensor per gate: side by side, each labelled with its name and shape, in the table's order."""
    for k, row in enumerate(rows):
        ax.add_patch(Rectangle((1.2 * k, 0.0), 1.0, 0.6, facecolor="#dddddd", edgecolor="black"))
        ax.text(1.2 * k + 0.5, 0.3, f"{row.name}\n{format_shape(row.shape, fw)}", ha="center", va="center",
                fontsize=9)
    ax.set_xlim(-0.2, 1.2 * len(rows))
    ax.set_ylim(-0.2, 0.8)
    shapes = sorted({format_shape(row.shape, fw) for row in rows})
    ax.set_title(f"{fw}: {len(rows)} input weight tensors, " + (f"{shapes[0]} each" if len(shapes) == 1
                                                                else ", ".join(shapes)))


def gradient_vs_distance(curves: Mapping[str, Sequence[float]], *, title: str | None = None,
                         ax: Axes | None = None) -> Figure:
    """Plot gradient norms against the distance T - t from the loss's step, on a log scale, one line per key.

    Parameters
    ----------
    curves : mapping of str -> sequence of float
        A label and its values at distances 0, 1, 2, ... (for example what
        :func:`lstm_utils.gradients.decay_curve` returns); values must be positive (log scale).
    title : str, optional
        The axes' title; by default "How far back the gradient reaches".
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new 7 x 4 inch figure is made.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        ``curves`` is not a mapping.
    ValueError
        An empty mapping, or a curve that is empty or has a value that is not positive and finite
        (the message names the curve).

    Examples
    --------
    >>> fig = gradient_vs_distance({"RNN": [1.0, 0.1, 0.01], "LSTM": [1.0, 0.5, 0.25]})
    >>> [(line.get_label(), len(line.get_xdata())) for line in fig.axes[0].get_lines()]
    [('RNN', 3), ('LSTM', 3)]
    >>> fig.axes[0].get_yscale()
    'log'
    """
    if not isinstance(curves, Mapping):
        raise TypeError(f"curves must be a mapping of label -> values, got {type(curves).__name__}.")
    if not curves:
        raise ValueError("curves is empty: give at least one label -> values.")
    series = {}
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"curve {label!r} must be a non-empty 1-D sequence, got shape {values.shape}.")
        if not np.all(np.isfinite(values) & (values > 0)):
            raise ValueError(f"curve {label!r} has values that are not positive and finite; "
                             "a log scale cannot show them.")
        series[label] = values
    fig, ax = _new_axes(ax, (7, 4))
    for label, values in series.items():
        ax.plot(np.arange(values.size), values, linewidth=2, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("distance T − t (steps back from the loss)")
    ax.set_ylabel("gradient norm (relative)")
    ax.set_title(title if title is not None else "How far back the gradient reaches")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    return fig


def _real_2x2(name: str, value: object) -> np.ndarray:
    """``value`` as a float (2, 2) array with finite entries; else a message naming ``name``."""
    try:
        array = np.asarray(value)
    except ValueError:                                      # a ragged nesting, such as [[1, 2], [3]]
        raise ValueError(f"{name} must be a 2 x 2 matrix, got a ragged nesting of sequences.") from None
    if array.dtype == bool or array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real 2 x 2 matrix, got an array of dtype {array.dtype}.")
    if array.shape != (2, 2):
        raise ValueError(f"{name} must be a 2 x 2 matrix, got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} has entries that are not finite: {array.tolist()}.")
    return array.astype(float)


def matrix_powers(A: object, *, k_max: int = 40, axes: Sequence[Axes] | None = None) -> Figure:
    """Draw a 2 x 2 matrix's norm and spectral radius: what A does to the unit circle, and its powers A^k.

    Left: the unit circle, its image {A v : ‖v‖ = 1} (an ellipse when A is invertible, a segment when it
    is singular), the longest semi-axis, whose length is the largest singular value σ_max(A) = ‖A‖, and
    the directions of the eigenvectors when the eigenvalues are real. Right, on a log scale: the spectral
    norm ‖A^k‖ for k = 0 ... k_max, ρ(A)^k with ρ(A) the largest |eigenvalue|, and the bound ‖A‖^k
    (notebook 16, section *Matrix facts*).

    Parameters
    ----------
    A : array_like of shape (2, 2)
        A real matrix with finite entries.
    k_max : int, default 40
        The largest power drawn, 1 to 1000.
    axes : pair of matplotlib.axes.Axes, optional
        The two panels, left and right; by default a new 11 x 4.2 inch figure with two panels is made.

    Returns
    -------
    matplotlib.figure.Figure
        Its first two axes are the panels; the right one's first three lines are ‖A^k‖, ρ(A)^k and
        ‖A‖^k, in that order (a fourth marks 1).

    Raises
    ------
    TypeError
        ``A`` is not an array of real numbers (complex, text, bool), ``k_max`` is not an int, or ``axes``
        is not two Axes.
    ValueError
        ``A`` has a shape other than (2, 2) or an entry that is not finite; ``k_max`` is out of range.

    Examples
    --------
    >>> fig = matrix_powers([[0.8, 1.5], [0.0, 0.6]], k_max=10)
    >>> left, right = fig.axes
    >>> left.get_title(), left.texts[0].get_text().endswith("= 1.78$")
    ('A turns the unit circle into an ellipse', True)
    >>> [line.get_label().split(" = ")[-1] for line in right.get_lines()[1:3]]    # rho(A)^k, ||A||^k
    ['0.8^k$', '1.78^k$']
    >>> [round(float(v), 2) for v in right.get_lines()[0].get_ydata()[:5]]   # grows before it falls
    [1.0, 1.78, 2.22, 2.29, 2.14]
    """
    A = _real_2x2("A", A)
    k_max = _int_in("k_max", k_max, 1, 1000)
    if axes is None:
        fig = _NotebookFigure(figsize=(11, 4.2))
        left, right = fig.subplots(1, 2)
    else:
        if (isinstance(axes, Axes) or not isinstance(axes, Sequence) or len(axes) != 2
                or not all(isinstance(a, Axes) for a in axes)):
            raise TypeError(f"axes must be two matplotlib Axes (left, right) or None, got {axes!r}.")
        left, right = axes
        fig = left.figure

    directions, sigmas, _ = np.linalg.svd(A)                # columns of directions: the semi-axes
    eigenvalues, eigenvectors = np.linalg.eig(A)            # complex only if A rotates every direction
    rho = float(np.abs(eigenvalues).max())                  # the spectral radius
    rank = int(np.linalg.matrix_rank(A))
    shape = {2: "an ellipse", 1: "a segment", 0: "a point"}[rank]

    # Left: the unit circle, its image A v, the longest semi-axis and the eigenvector directions.
    angles = np.linspace(0, 2 * np.pi, 721)
    circle = np.stack([np.cos(angles), np.sin(angles)])    # (2, 721): unit vectors v
    image = A @ circle                                       # (2, 721): A v
    half_x = 1.15 * max(1.0, float(np.abs(image[0]).max()))
    half_y = max(0.8 * half_x, 1.15 * max(1.0, float(np.abs(image[1]).max())))
    left.plot(*circle, color="#999999", linewidth=1, label=r"unit circle, $\Vert v \Vert = 1$")
    left.plot(*image, color="C0", linewidth=2, label=rf"its image $A v$: {shape}")
    tip = sigmas[0] * directions[:, 0] * (1.0 if directions[0, 0] >= 0 else -1.0)   # pointing right
    _arrow(left, (0.0, 0.0), tuple(tip), colour="C3", linewidth=2)
    left.text(tip[0], tip[1] + 0.12 * half_y, rf"$\sigma_{{\max}} = \Vert A \Vert = {sigmas[0]:.2f}$",
              color="C3", ha="right", va="bottom" if tip[1] >= 0 else "top",
              bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    if not np.iscomplexobj(eigenvalues):
        reach = 2 * max(half_x, half_y)
        for j, (colour, style) in enumerate((("C2", "--"), ("C1", ":"))):
            value = round(float(eigenvalues[j]), 10) + 0.0            # no 2.2e-16 for a zero, no -0
            left.plot(*np.outer(eigenvectors[:, j], [-reach, reach]), color=colour, linestyle=style,
                      linewidth=1.6, label=rf"eigenvector direction, $\lambda = {value:.3g}$")
    verb = {2: "turns the unit circle into", 1: "flattens the unit circle into", 0: "maps the unit circle to"}
    left.set(xlim=(-half_x, half_x), ylim=(-half_y, half_y), aspect="equal", title=f"A {verb[rank]} {shape}")
    left.grid(True, alpha=0.3)
    left.legend(fontsize=8, loc="lower right")

    # Right: ||A^k|| against rho(A)^k and the bound ||A||^k.
    ks = np.arange(k_max + 1)
    norms = np.array([np.linalg.norm(np.linalg.matrix_power(A, k), 2) for k in ks])   # ||A^k||
    right.plot(ks, norms, "o-", markersize=3, linewidth=2, label=r"$\Vert A^k \Vert$")
    right.plot(ks, rho ** ks, "--", linewidth=2, label=rf"$\rho(A)^k = {rho:.3g}^k$")
    right.plot(ks, sigmas[0] ** ks, ":", linewidth=2, label=rf"bound $\Vert A \Vert^k = {sigmas[0]:.3g}^k$")
    right.axhline(1.0, color="black", linewidth=0.8)
    shown = np.concatenate([norms, rho ** ks])
    right.set(yscale="log", ylim=(shown[shown > 0].min() / 3, 13 * max(1.0, shown.max())), xlabel="k",
              ylabel="norm")
    right.set_title(r"Powers of A: $\Vert A^k \Vert$ against $\rho(A)^k$ and $\Vert A \Vert^k$")
    right.grid(True, which="major", alpha=0.3)
    right.legend()
    if axes is None:
        fig.tight_layout()
    return fig


def gates_over_time(gates: Mapping[str, object], cell: object, *, marked_steps: Sequence[int] = (),
                    units: Sequence[int] | None = None, title: str | None = None) -> Figure:
    """Plot a trained LSTM's input, forget and output gates and its cell state against time.

    Four panels share the time axis: i_t, f_t, o_t (in (0, 1)) and c_t, for one sequence. The steps
    the task marks (for the adding problem, the two values to add) are shaded in every panel. The
    arrays are what a loop over :func:`lstm_utils.lstm_step` on one sequence gives, stacked over time:
    ``np.stack([step_gates["forget"] for step_gates in steps])`` and so on.

    Parameters
    ----------
    gates : mapping of str -> array of shape (time, hidden_size)
        Holds at least ``"input"``, ``"forget"`` and ``"output"`` (the names of
        :data:`lstm_utils.gates.GATE_ORDER`); other keys, such as ``"candidate"``, are not drawn.
    cell : array of shape (time, hidden_size)
        The cell state c_t after each step.
    marked_steps : sequence of int
        Time steps to shade, each in [0, time).
    units : sequence of int, optional
        Up to four units to draw, one line style each. By default one line per panel: the mean over all
        units.
    title : str, optional
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        Four axes, top to bottom: input gate, forget gate, output gate, cell state; each line is
        labelled with its unit (``"unit 3"``) or ``"mean of m units"``.

    Raises
    ------
    TypeError
        ``gates`` is not a mapping, an array does not hold real numbers, a step or unit is not an int.
    ValueError
        A gate is missing; an array is not (time, hidden_size) or differs in shape from the input gate's
        (the message names the array and both shapes); a step or unit out of range; more than four
        units, or a unit given twice.

    Examples
    --------
    >>> f = np.array([[0.9, 0.5], [0.9, 0.7], [0.3, 0.5]])              # 3 steps, 2 units
    >>> g = {"input": np.full((3, 2), 0.2), "forget": f, "output": np.full((3, 2), 0.6)}
    >>> fig = gates_over_time(g, np.zeros((3, 2)), marked_steps=[1])
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['input gate $i_t$', 'forget gate $f_t$', 'output gate $o_t$', 'cell state $c_t$']
    >>> line = fig.axes[1].get_lines()[0]
    >>> line.get_label(), [round(float(v), 2) for v in line.get_ydata()]      # mean over the 2 units
    ('mean of 2 units', [0.7, 0.8, 0.4])
    >>> fig = gates_over_time(g, np.zeros((3, 2)), units=[1])
    >>> [float(v) for v in fig.axes[1].get_lines()[0].get_ydata()]
    [0.5, 0.7, 0.5]
    """
    from lstm_utils._validate import as_float_array, check_shape

    panels = (("input", "input gate $i_t$"), ("forget", "forget gate $f_t$"),
              ("output", "output gate $o_t$"))
    if not isinstance(gates, Mapping):
        raise TypeError(f"gates must be a mapping of gate name -> array of shape (time, hidden_size), "
                        f"got {type(gates).__name__}.")
    for name, _ in panels:
        if name not in gates:
            raise ValueError(f"gates has no {name!r} array; it needs 'input', 'forget' and 'output', "
                             f"got keys {sorted(map(str, gates))}.")
    first = as_float_array("gates['input']", gates["input"])
    check_shape("gates['input']", first, (("time", None), ("hidden_size", None)))
    time, m = first.shape
    arrays = {}
    for name, _ in panels:
        arrays[name] = as_float_array(f"gates[{name!r}]", gates[name])
        check_shape(f"gates[{name!r}]", arrays[name], (("time", time), ("hidden_size", m)))
    arrays["cell"] = as_float_array("cell", cell)
    check_shape("cell", arrays["cell"], (("time", time), ("hidden_size", m)))

    def as_index(name: str, value: object, bound: int, what: str) -> int:
        value = int(value) if isinstance(value, np.integer) else value
        value = check_int(name, value, minimum=0)
        if value >= bound:
            raise ValueError(f"{name} == {value}, must be < {what} = {bound}.")
        return value

    steps = [as_index(f"marked_steps[{k}]", s, time, "time") for k, s in enumerate(marked_steps)]
    if units is not None:
        chosen = [as_index(f"units[{k}]", u, m, "hidden_size") for k, u in enumerate(units)]
        if not 1 <= len(chosen) <= 4 or len(set(chosen)) != len(chosen):
            raise ValueError(f"units == {list(chosen)}, must be 1 to 4 different units (more cannot be "
                             f"told apart); pass None for the mean over all {m} units.")

    fig = _NotebookFigure(figsize=(9, 7.5), layout="constrained")
    axes = fig.subplots(4, 1, sharex=True)
    t = np.arange(time)
    styles = ("-", "--", ":", "-.")
    rows = (*panels, ("cell", "cell state $c_t$"))
    for ax, (name, label) in zip(axes, rows, strict=True):
        colour = GATE_COLOURS.get(name, "#333333")
        for k, step in enumerate(steps):
            ax.axvspan(step - 0.5, step + 0.5, color="#ffd54f", alpha=0.6, linewidth=0, zorder=0,
                       label="marked step" if k == 0 else None)
        if units is None:
            # the mean over units at each step: (time, hidden_size) -> (time,)
            ax.plot(t, arrays[name].mean(axis=1), color=colour, linewidth=1.8, label=f"mean of {m} units")
        else:
            for style, unit in zip(styles, chosen, strict=False):
                ax.plot(t, arrays[name][:, unit], color=colour, linestyle=style, linewidth=1.6,
                        label=f"unit {unit}")
        ax.set_ylabel(label, color=colour)
        if name == "cell":
            ax.axhline(0.0, color="#999999", linewidth=0.8)
        else:
            ax.set_ylim(-0.05, 1.05)
        ax.grid(True, alpha=0.3)
    axes[0].legend(loc="upper right", fontsize=8, ncol=len(axes[0].get_legend_handles_labels()[1]))
    axes[-1].set_xlabel("time step t")
    fig.suptitle(title if title is not None else "Gates of an LSTM over one sequence")
    return fig


def _int_in(name: str, value: object, low: int, high: int, why: str = "") -> int:
    """``value`` if it is an int in low..high (bool is not); else check_int's kind of message."""
    value = int(value) if isinstance(value, np.integer) else value
    accepted = f"an int in {low}..{high}{why}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be {accepted}, got {value!r} (type {type(value).__name__}).")
    if not low <= value <= high:
        raise ValueError(f"{name} == {value!r}, must be {accepted}.")
    return value


def bptt_graph(steps: int = 4, *, truncate: int | None = None, ax: Axes | None = None) -> Figure:
    """Draw backpropagation through time: the layer unrolled into boxes that all use the same weights.

    Box t ("LSTM cell", step t) reads x_t from below and (h_{t-1}, c_{t-1}) from the box before it (black
    arrows, left to right); h_t goes up to the step's loss L_t. The gradients run the other way, in
    :data:`GRADIENT_COLOUR`: from each L_t down into its box (δout_t = ∂L_t/∂h_t), and from box t+1 back
    to box t what step t+1 sends, (δh_t^(t+1), δc_t^(t+1)) (notebook 17, section 2). Every box is joined
    by a dotted line to the one node of the shared weights W, U, b, and sends its contribution δW_t
    (δU_t, δb_t) down to a sum: δW = Σ_t δW_t, and the same for U and b.

    With ``truncate=k`` (truncated BPTT, chunks of k steps) the state still crosses from step k to k+1
    ("state carried"), but the gradient does not: its arrow is cut there ("gradient cut (detach)"), and
    the weight gradients are summed chunk by chunk.

    Parameters
    ----------
    steps : int, default 4
        T, the number of boxes: 2 to 8 (more would not be readable).
    truncate : int, optional
        k, the chunk length of truncated BPTT: 1 to steps - 1. None (default): full BPTT, no cut.
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new figure 11 inches wide is made.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; box t is the patch with gid ``"bptt-cell-t"``, the cut between steps t and t+1 the
        patch with gid ``"bptt-cut-t"``.

    Raises
    ------
    TypeError, ValueError
        A ``steps`` or ``truncate`` that is not an int in its range (the message names the argument, the
        value and the accepted values), or an ``ax`` that is not Axes.

    Examples
    --------
    >>> fig = bptt_graph(6, truncate=4)
    >>> [p.get_gid() for p in fig.axes[0].patches if (p.get_gid() or "").startswith("bptt-cut")]
    ['bptt-cut-4']
    >>> [t.get_text() for t in fig.axes[0].texts if "Σ over" in t.get_text()]
    ['δW, δU, δb:\\nΣ over steps 1–4', 'δW, δU, δb:\\nΣ over steps 5–6']
    """
    from matplotlib.lines import Line2D

    steps = _int_in("steps", steps, 2, 8)
    if truncate is not None:
        truncate = _int_in("truncate", truncate, 1, steps - 1,
                           f" (chunks shorter than steps={steps}) or None")
    k = truncate or steps
    chunks = [(a, min(a + k - 1, steps)) for a in range(1, steps + 1, k)]     # (first, last) step of each
    cuts = [last for _, last in chunks[:-1]]                  # the gradient is cut between last and last + 1

    # Layout, in data units (one unit is about 0.5 to 0.8 inch): boxes w wide, S apart, in a row.
    S, w, h = 2.6, 1.44, 1.2
    x = {t: (t - 1) * S for t in range(1, steps + 1)}         # the centre of box t
    y_box = 1.95                                              # the bottom of the boxes
    y_top = y_box + h
    y_fw, y_bw = y_box + 0.88, y_box + 0.32                   # forward and backward arrows between boxes
    y_loss, y_bus, y_sum = 3.95, 5.0, -0.35                   # losses, the weights' line, the sums
    y_gbus = y_sum + 0.75                                     # the line collecting the δW_t
    x_min, x_max, y_min, y_max = x[1] - 2.5, x[steps] + 1.3, -0.95, 5.45
    scale = 1.2 if steps <= 4 else 1.1 if steps <= 6 else 0.92  # the type follows the size of the boxes
    fs = {"fontsize": 9 * scale, "zorder": 4}
    ncol = 2 if steps >= 4 else 1                             # the key's columns (below the drawing)
    if ax is None:
        inch = min(11.0 / (x_max - x_min), 0.95)              # per unit: 11 inches wide from 4 steps on
        key = 0.3 + 0.24 * -(-(4 + (truncate is not None)) // ncol)   # inches for the key's rows
        # rounded to 1/100 inch, so that the repr a notebook stores reads "<Figure size 1100x740 ...>"
        width, height = round(inch * (x_max - x_min), 2), round(inch * (y_max - y_min) + 0.55 + key, 2)
        fig, ax = _new_axes(None, (width, height))
        fig.subplots_adjust(left=0.005, right=0.995, bottom=key / height, top=1 - 0.55 / height)
    else:
        fig, ax = _new_axes(ax, (11, 5))
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.axis("off")
    title = (f"Backpropagation through time: the layer unrolled over T = {steps} steps" if truncate is None
             else f"Truncated BPTT: T = {steps} steps in chunks of k = {truncate}")
    ax.set_title(title, fontsize=12)
    grad, cut_colour, grey = GRADIENT_COLOUR, "#c00000", "#777777"
    rounded = "round,pad=0.02,rounding_size=0.1"

    # The shared weights: one node, a dotted line to every box.
    x_w = x[1] - 1.72
    ax.add_patch(FancyBboxPatch((x_w - 0.7, y_bus - 0.3), 1.4, 0.6, boxstyle=rounded, facecolor="#eeeeee",
                                edgecolor="#555555", linewidth=1.2, zorder=3, gid="bptt-weights"))
    ax.text(x_w, y_bus, "W, U, b", ha="center", va="center", **{**fs, "fontsize": 10 * scale})
    ax.text(x_w, y_bus - 0.42, "shared by\nevery box", ha="center", va="top", color="#555555", **fs)
    ax.plot([x_w + 0.7, x[steps] - 0.45], [y_bus, y_bus], color=grey, linewidth=1.0, linestyle=":")
    for t in x:
        ax.plot([x[t] - 0.45] * 2, [y_bus, y_top], color=grey, linewidth=1.0, linestyle=":")

    # The boxes, x_t in from below, h_t up to the loss L_t and the loss's gradient back down.
    for t in x:
        ax.add_patch(FancyBboxPatch((x[t] - w / 2, y_box), w, h, boxstyle=rounded, facecolor="white",
                                    edgecolor="black", linewidth=1.5, zorder=2, gid=f"bptt-cell-{t}"))
        ax.text(x[t], y_box + h / 2 + 0.21, "LSTM cell", ha="center", va="center", **fs)
        ax.text(x[t], y_box + h / 2 - 0.21, f"step t = {t}", ha="center", va="center", **fs)
        _arrow(ax, (x[t] - 0.15, y_box - 0.62), (x[t] - 0.15, y_box))
        ax.text(x[t] - 0.15, y_box - 0.66, f"$x_{t}$", ha="center", va="top", **fs)
        _arrow(ax, (x[t] + 0.1, y_top), (x[t] + 0.1, y_loss))
        ax.text(x[t] + 0.03, (y_top + y_loss) / 2, f"$h_{t}$", ha="right", va="center", **fs)
        _arrow(ax, (x[t] + 0.42, y_loss), (x[t] + 0.42, y_top), grad)
        ax.add_patch(FancyBboxPatch((x[t] - 0.12, y_loss), 0.76, 0.5, boxstyle=rounded, facecolor="#fff7d6",
                                    edgecolor="black", linewidth=1.2, zorder=3))
        ax.text(x[t] + 0.26, y_loss + 0.25, f"$L_{t}$", ha="center", va="center", **fs)

    # The state (h, c) left to right, above; its gradient (δh, δc) right to left, below.
    _arrow(ax, (x[1] - w / 2 - 0.95, y_fw), (x[1] - w / 2, y_fw))
    ax.text(x[1] - w / 2 - 0.48, y_fw + 0.1, "$h_0, c_0$", ha="center", va="bottom", **fs)
    for t in range(1, steps):
        left, right = x[t] + w / 2, x[t + 1] - w / 2
        middle = (left + right) / 2
        _arrow(ax, (left, y_fw), (right, y_fw))
        ax.text(middle, y_fw + 0.1, f"$h_{t}, c_{t}$", ha="center", va="bottom", **fs)
        if t not in cuts:
            _arrow(ax, (right, y_bw), (left, y_bw), grad)
            sent = rf"$\delta h_{t}^{{({t + 1})}}$," "\n" rf"$\delta c_{t}^{{({t + 1})}}$"   # from step t+1
            ax.text(middle, y_bw - 0.1, sent, ha="center", va="top", color=grad, linespacing=1.5, **fs)
            continue
        ax.text(middle, y_fw + 0.55, "state\ncarried", ha="center", va="bottom", **fs)
        gap = 0.13                                            # the cut: two bars across the gradient's arrow
        _arrow(ax, (right, y_bw), (middle + gap + 0.05, y_bw), grad, style="-")
        ax.plot([left, middle - gap - 0.05], [y_bw, y_bw], color=grey, linewidth=1.2, linestyle=(0, (1.5, 2)))
        for dx in (-gap, gap):
            ax.plot([middle + dx - 0.07, middle + dx + 0.07], [y_bw - 0.2, y_bw + 0.2], color=cut_colour,
                    linewidth=2.4, zorder=5)
        ax.add_patch(Rectangle((middle - gap - 0.07, y_bw - 0.2), 2 * gap + 0.14, 0.4, fill=False,
                               linewidth=0, gid=f"bptt-cut-{t}"))
        ax.text(middle, y_box - 0.14, "gradient cut\n(detach)", ha="center", va="top", color=cut_colour,
                **fs)                                         # below the boxes: wider than the gap

    # Each box's δW_t (and δU_t, δb_t) runs down to a sum: one sum, or one per chunk when truncated.
    for a, b in chunks:
        ax.plot([x[a] + 0.45, x[b] + 0.45], [y_gbus, y_gbus], color=grad, linewidth=1.2)
        for t in range(a, b + 1):
            _arrow(ax, (x[t] + 0.45, y_box), (x[t] + 0.45, y_gbus), grad, linewidth=1.2)
            ax.text(x[t] + 0.52, y_gbus + 0.22, rf"$\delta W_{t}$", ha="left", va="bottom", color=grad, **fs)
        centre = (x[a] + x[b]) / 2 + 0.45
        _arrow(ax, (centre, y_gbus), (centre, y_sum + 0.3), grad)
        label = ("δW = Σ$_t$ δW$_t$\nδW, δU, δb = sums over the steps" if truncate is None else
                 f"δW, δU, δb:\nΣ over steps {a}–{b}" if b > a else f"δW, δU, δb:\nΣ over step {a}")
        ax.text(centre, y_sum, label, ha="center", va="top", color=grad, linespacing=1.3,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": grad}, **fs)

    # The key, below the drawing.
    handles = [Line2D([], [], color="black", linewidth=1.6,
                      label="forward: the state $(h_t, c_t)$ to the next step, $h_t$ to the loss $L_t$"),
               Line2D([], [], color=grad, linewidth=1.6,
                      label=r"backward: $\delta h_t^{(t+1)}, \delta c_t^{(t+1)}$ to the step before, "
                            r"$\delta\mathrm{out}_t$ from each loss"),
               Line2D([], [], color=grey, linewidth=1.2, linestyle=":",
                      label="every box uses the same weights W, U, b"),
               Line2D([], [], color=grad, linewidth=1.2,
                      label="each box's share of the weights' gradients, added up")]
    if truncate is not None:
        handles.append(Line2D([], [], color=cut_colour, linewidth=2.4,
                              label="truncated: the state is carried, the gradient is cut (detach)"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=ncol, frameon=False,
              fontsize=9, handlelength=2.2, columnspacing=1.5)
    return fig


def text_heatmap(text: str, values: object, *, width: int = 80, title: str | None = None,
                 label: str = "cell state") -> Figure:
    """Draw ``text`` one character per cell of a grid, each cell coloured by its value.

    The picture of Karpathy, Johnson and Fei-Fei (2015, arXiv:1506.02078): one unit of a character-level
    model, read along a passage; blue below zero, red above, near-white at zero (the colour scale
    symmetric about zero). A newline starts a new row (drawn as a coloured cell with the symbol "⏎").

    Parameters
    ----------
    text : str
        The passage, at most 4000 characters.
    values : array of shape (len(text),)
        One real number per character (for example the cell state of one unit after reading it).
    width : int
        Characters per row (longer lines wrap), at least 10.
    title : str, optional
    label : str
        The colour bar's label.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        ``text`` not a str or too long, ``values`` not one real number per character, ``width`` < 10.

    Examples
    --------
    >>> fig = text_heatmap("(ab)", [0.0, 1.0, 1.0, 0.0])
    >>> len(fig.axes)                   # the grid and the colour bar
    2
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}.")
    if not 1 <= len(text) <= 4000:
        raise ValueError(f"text has {len(text)} characters, must have 1 to 4000.")
    width = check_int("width", width, minimum=10)
    values = np.asarray(values, dtype=float)
    if values.shape != (len(text),):
        raise ValueError(f"values has shape {values.shape}, must be ({len(text)},): one per character.")
    cells, row, col = [], 0, 0                            # (row, col, char, value)
    for ch, v in zip(text, values, strict=True):
        if col == width:
            row, col = row + 1, 0
        cells.append((row, col, "⏎" if ch == "\n" else ch, v))
        if ch == "\n":
            row, col = row + 1, 0
        else:
            col += 1
    rows = row + 1
    fig = Figure(figsize=(width * 0.13 + 1.2, rows * 0.26 + 0.8), layout="constrained")
    ax = fig.add_subplot()
    bound = float(np.max(np.abs(values))) or 1.0
    norm, cmap = Normalize(-bound, bound), colormaps["RdBu_r"]
    for r, c, ch, v in cells:
        ax.add_patch(Rectangle((c, -r - 1), 1, 1, facecolor=cmap(norm(v)), edgecolor="none"))
        ax.text(c + 0.5, -r - 0.5, ch, ha="center", va="center", fontsize=8, family="monospace")
    ax.set_xlim(0, width)
    ax.set_ylim(-rows, 0)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)
    from matplotlib.cm import ScalarMappable

    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, label=label, fraction=0.03, pad=0.01)
    return fig
