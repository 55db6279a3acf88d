"""Figures of the course, drawn by code: the LSTM cell with shapes, the activations, training curves.

Every function returns a :class:`matplotlib.figure.Figure`. When no ``ax`` is given it builds the figure
directly (not through ``pyplot``), so nothing depends on a backend: in a notebook, end the cell with the
figure to display it once, as a PNG, whether or not ``%matplotlib inline`` or ``pyplot`` was loaded; in a
script, call ``fig.savefig(...)``. Drawings are deterministic: the same arguments give the same picture.

matplotlib is imported here only; ``import lstm_utils`` does not load it.
"""

from __future__ import annotations

import functools
import html
import io
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from lstm_utils._validate import check_choice, check_int
from lstm_utils.gates import gate_order

# One colour per gate role, the same in every figure of the course.
GATE_COLOURS = {
    "forget": "#d62728",
    "input": "#1f77b4",
    "candidate": "#2ca02c",
    "output": "#9467bd",
}


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


def cell_shapes(input_size: int, hidden_size: int) -> dict[str, str]:
    """The shape of every vector and matrix in one LSTM step, as the labels :func:`cell_diagram` shows.

    Parameters
    ----------
    input_size : int
        n, the features of x_t (>= 1).
    hidden_size : int
        m, the units: the size of h_t, c_t and every gate (>= 1).

    Returns
    -------
    dict of str -> str
        ``x_t``, ``h_prev``, ``c_prev``, ``concat``, ``gate`` (each gate activation), ``c_t``, ``h_t``:
        vector shapes such as ``"(15,)"``; ``W`` (one gate's matrix on the concatenation, m x (m+n))
        and ``b`` (one gate's bias).

    Raises
    ------
    TypeError, ValueError
        A size that is not an int >= 1.

    Examples
    --------
    >>> s = cell_shapes(5, 10)
    >>> s["concat"], s["W"], s["b"]
    ('(15,)', '10×15', '(10,)')
    """
    n = check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    vec = f"({m},)"
    return {
        "x_t": f"({n},)",
        "h_prev": vec,
        "c_prev": vec,
        "concat": f"({m + n},)",
        "W": f"{m}×{m + n}",
        "b": vec,
        "gate": vec,
        "c_t": vec,
        "h_t": vec,
    }


def _arrow(ax: Axes, start, end, colour: str = "black", style: str = "-|>") -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=14, color=colour,
                                 linewidth=1.6, shrinkA=0, shrinkB=0))


def _op(ax: Axes, xy, symbol: str) -> None:
    """A small circle holding a pointwise operation (×, +, tanh)."""
    ax.add_patch(Circle(xy, 0.28, facecolor="#fff7d6", edgecolor="black", linewidth=1.3, zorder=3))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=11 if len(symbol) == 1 else 8, zorder=4)


def cell_diagram(input_size: int, hidden_size: int, *, ax: Axes | None = None) -> Figure:
    """Draw one LSTM cell: the four gates, the concatenation [h_{t-1}, x_t], c_{t-1} -> c_t and h_t.

    Every arrow carries the shape of what flows along it for the sizes given, and each gate shows the
    shape of its weight matrix on the concatenation (m x (m+n)) and of its bias (m,).

    Parameters
    ----------
    input_size : int
        n, features of x_t (>= 1).
    hidden_size : int
        m, units (>= 1).
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new 11 x 6.2 inch figure is made.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the drawing; the labels are the ``texts`` of its axes.

    Raises
    ------
    TypeError, ValueError
        A size that is not an int >= 1 (the message names the argument), or an ``ax`` that is not Axes.

    Examples
    --------
    >>> fig = cell_diagram(5, 10)
    >>> labels = [t.get_text() for t in fig.axes[0].texts]
    >>> [s for s in labels if s.endswith("(15,)")]
    ['$[h_{t-1}, x_t]$: (15,)']
    >>> "$W_f$: 10×15" in labels
    True
    """
    shapes = cell_shapes(input_size, hidden_size)
    fig, ax = _new_axes(ax, (11, 6.2))
    ax.set_xlim(-1.6, 12.6)
    ax.set_ylim(-1.3, 6.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"One LSTM step: input_size n = {input_size}, hidden_size m = {hidden_size}", fontsize=12)

    # The cell body.
    ax.add_patch(FancyBboxPatch((0.3, 0.1), 10.4, 5.4, boxstyle="round,pad=0.05,rounding_size=0.3",
                                facecolor="#f4f4f4", edgecolor="#888888", linewidth=1.2, zorder=0))

    # Cell state line (the "conveyor belt"): c_{t-1} -> x f_t -> + i_t*g_t -> c_t.
    y_c = 4.9
    x_mul_f, x_add, x_tanh_c = 2.0, 4.9, 8.9
    _arrow(ax, (-1.3, y_c), (x_mul_f - 0.28, y_c))
    ax.text(-1.3, y_c + 0.2, r"$c_{t-1}$: " + shapes["c_prev"], fontsize=9, va="bottom")
    _op(ax, (x_mul_f, y_c), "×")
    _arrow(ax, (x_mul_f + 0.28, y_c), (x_add - 0.28, y_c))
    _op(ax, (x_add, y_c), "+")
    _arrow(ax, (x_add + 0.28, y_c), (12.3, y_c))
    ax.text(11.0, y_c + 0.2, r"$c_t$: " + shapes["c_t"], fontsize=9, va="bottom")

    # Inputs: h_{t-1} from the left, x_t from below, joined into the concatenation bus.
    y_bus, x_join = 0.75, 0.9
    _arrow(ax, (-1.3, y_bus), (x_join, y_bus), style="-")
    ax.text(-1.3, y_bus - 0.2, r"$h_{t-1}$: " + shapes["h_prev"], fontsize=9, va="top")
    _arrow(ax, (x_join, -1.0), (x_join, y_bus), style="-")
    ax.text(x_join + 0.12, -0.95, r"$x_t$: " + shapes["x_t"], fontsize=9, va="bottom")
    ax.add_patch(Circle((x_join, y_bus), 0.09, color="black", zorder=3))
    ax.plot([x_join, 7.6], [y_bus, y_bus], color="black", linewidth=2.6, zorder=1)
    ax.text(1.2, y_bus - 0.15, r"$[h_{t-1}, x_t]$: " + shapes["concat"], fontsize=9, va="top")

    # The four gates: role, symbol, activation, x position of the box.
    gates = (("forget", "f", r"\sigma", 2.0), ("input", "i", r"\sigma", 3.6),
             ("candidate", "g", r"\tanh", 5.2), ("output", "o", r"\sigma", 7.0))
    y_box, box_w, box_h = 2.1, 1.25, 0.9
    for role, sym, act, x in gates:
        colour = GATE_COLOURS[role]
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y_box - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0.02,rounding_size=0.12", facecolor="white",
                                    edgecolor=colour, linewidth=2.0, zorder=2))
        ax.text(x, y_box + 0.17, role, ha="center", va="center", fontsize=9, color=colour, zorder=3)
        ax.text(x, y_box - 0.2, rf"${sym}_t = {act}(\cdot)$", ha="center", va="center", fontsize=9,
                zorder=3)
        _arrow(ax, (x, y_bus), (x, y_box - box_h / 2), colour=colour)
        ax.text(x - 0.08, 1.08, rf"$W_{sym}$: " + shapes["W"], ha="right", fontsize=7.5, color=colour)
        ax.text(x - 0.08, 1.36, rf"$b_{sym}$: " + shapes["b"], ha="right", fontsize=7.5, color=colour)

    # forget gate -> x on the cell line.
    _arrow(ax, (2.0, y_box + box_h / 2), (x_mul_f, y_c - 0.28), colour=GATE_COLOURS["forget"])
    ax.text(2.08, 3.4, r"$f_t$: " + shapes["gate"], fontsize=8.5)
    # input gate and candidate -> x -> + on the cell line.
    x_mul_ig, y_mul_ig = x_add, 3.6
    _arrow(ax, (3.6, y_box + box_h / 2), (x_mul_ig - 0.22, y_mul_ig - 0.18), colour=GATE_COLOURS["input"])
    ax.text(3.95, 3.1, r"$i_t$: " + shapes["gate"], fontsize=8.5, ha="right")
    _arrow(ax, (5.2, y_box + box_h / 2), (x_mul_ig + 0.12, y_mul_ig - 0.26),
           colour=GATE_COLOURS["candidate"])
    ax.text(5.55, 2.75, r"$g_t$: " + shapes["gate"], fontsize=8.5)
    _op(ax, (x_mul_ig, y_mul_ig), "×")
    _arrow(ax, (x_mul_ig, y_mul_ig + 0.28), (x_add, y_c - 0.28))
    ax.text(x_add + 0.1, 4.15, r"$i_t \odot g_t$: " + shapes["gate"], fontsize=8.5)

    # Output: tanh(c_t) x o_t -> h_t.
    y_h = y_box
    _arrow(ax, (x_tanh_c, y_c), (x_tanh_c, 3.6 + 0.28))
    _op(ax, (x_tanh_c, 3.6), "tanh")
    _arrow(ax, (x_tanh_c, 3.6 - 0.28), (x_tanh_c, y_h + 0.28))
    ax.text(x_tanh_c + 0.12, 2.75, r"$\tanh(c_t)$: " + shapes["c_t"], fontsize=8.5)
    _arrow(ax, (7.0 + box_w / 2, y_h), (x_tanh_c - 0.28, y_h), colour=GATE_COLOURS["output"])
    ax.text(7.75, y_h - 0.35, r"$o_t$: " + shapes["gate"], fontsize=8.5)
    _op(ax, (x_tanh_c, y_h), "×")
    _arrow(ax, (x_tanh_c + 0.28, y_h), (12.3, y_h))
    ax.text(10.95, y_h + 0.12, r"$h_t$: " + shapes["h_t"], fontsize=9, va="bottom")
    ax.text(9.3, -0.75, r"$h_t$ and $c_t$ go on to step $t+1$", fontsize=8.5, color="#555555")
    return fig


# --- the cell diagram as SVG text, for the explorer: drawn once, relabelled per call -------------------

# Sentinel sizes for the template: every shape they make is a token found nowhere else in the SVG.
_SENTINEL_N, _SENTINEL_M = 9731, 8642
# The four distinct shape labels (keys of cell_shapes) -> the token that stands for them in the template.
_SHAPE_TOKENS = {"W": "@W@", "concat": "@C@", "x_t": "@X@", "gate": "@V@"}
# matplotlib's SVG backend measures mathtext at 100 pt, rounds the width up, then scales it.
_LAYOUT_SIZE = 100.0
_TOKEN = re.compile(r"@(\w+)@")
_MATH_GROUP = re.compile(r'<!-- (?P<label>.*?) -->(?P<open>\s*<g[^>]*>\s*)<text>(?P<body>.*?)</text>',
                         re.S)
_TSPAN = re.compile(r'\s*<tspan x="(?P<x>[^"]*)" y="(?P<y>[^"]*)" style="(?P<style>[^"]*)">'
                    r'(?P<ch>.*?)</tspan>')


@functools.cache
def _advances(fontsize: float) -> tuple[object, dict[str, float]]:
    """The font mathtext sets the diagram's shape digits in, and its advance widths at ``fontsize`` pt."""
    from matplotlib.font_manager import FontProperties, findfont, get_font
    from matplotlib.ft2font import LoadFlags

    font = get_font(findfont(FontProperties(family="DejaVu Sans")))
    font.set_size(fontsize, 72)
    widths = {c: font.load_char(ord(c), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536
              for c in ": \u00a00123456789(),×"}
    return font, widths


def _text_width(text: str, fontsize: float) -> float:
    """Width in pt of plain ``text`` as mathtext lays it out (advances plus kerning), DejaVu Sans."""
    from matplotlib.ft2font import Kerning

    font, widths = _advances(fontsize)
    glyphs = [font.get_char_index(ord(c)) for c in text]
    pairs = zip(glyphs[:-1], glyphs[1:], strict=True)
    kerns = sum(font.get_kerning(a, b, Kerning.DEFAULT) for a, b in pairs) / 64
    return sum(widths[c] for c in text) + kerns


@functools.lru_cache(maxsize=1)
def _cell_diagram_template() -> tuple[str, tuple[tuple[str, str, float, float], ...]]:
    """The SVG of ``cell_diagram`` drawn at the sentinel sizes, with every size turned into a token.

    Returns the template and, for each right-aligned label, (shift token, shape key, font size, width
    of the label up to its shape at 100 pt): its text moves right by the width the label has at the
    sentinel sizes in excess of the width with the real ones.
    """
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")

    n, m = _SENTINEL_N, _SENTINEL_M
    sentinel = cell_shapes(n, m)
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "lstm-cell-diagram"}):
        fig = cell_diagram(n, m)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # inline in HTML: no XML declaration, no DOCTYPE
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"',
                 'width="100%" style="max-width:720px;height:auto"', svg, count=1)
    texts = {t.get_text(): t for t in fig.axes[0].texts}
    key_of = {sentinel[key]: key for key in _SHAPE_TOKENS}
    shifts: list[tuple[str, str, float, float]] = []

    def relabel(match: re.Match) -> str:
        """One mathtext label: its shape glyphs, set one by one, become one token in one tspan."""
        label = html.unescape(match["label"])
        head, colon, shape = label.rpartition("$: ")
        if not colon or shape not in key_of:
            return match[0]
        key, text = key_of[shape], texts[label]
        spans = list(_TSPAN.finditer(match["body"]))
        first = next(s for s in spans if s["ch"] == ":")
        tail = [s for s in spans if s["style"] == first["style"] and float(s["x"]) >= float(first["x"])]
        drawn = "".join(html.unescape(s["ch"]) for s in tail).replace("\u00a0", " ")
        size = text.get_fontsize()
        x0 = float(first["x"])
        # Check that the widths computed here are those matplotlib laid the glyphs out with.
        for s in tail:
            expected = x0 + _text_width(drawn[:tail.index(s)], size)
            if abs(float(s["x"]) - expected) > 1e-3 or drawn != ": " + shape:
                raise RuntimeError(f"cell_diagram_svg cannot relabel {label!r}: unexpected SVG layout.")
        body = "".join(s[0] for s in spans if s not in tail)
        body += (f'\n      <tspan x="{first["x"]}" y="{first["y"]}" style="{first["style"]}">'
                 f':\u00a0{_SHAPE_TOKENS[key]}</tspan>\n     ')
        opening = "<text>"
        if text.get_ha() == "right":  # the real shape is narrower or wider: keep the right edge
            token = f"@dx{len(shifts)}@"
            glyphs = parser.parse(label, 72, FontProperties(size=_LAYOUT_SIZE)).glyphs
            head_width = max(x for _, _, code, _, x, _ in glyphs if code == ord(":"))
            shifts.append((token.strip("@"), key, size, head_width))
            opening = f'<text transform="translate({token} 0)">'
        comment = f"<!-- {html.escape(head + colon)}{_SHAPE_TOKENS[key]} -->"
        return f"{comment}{match['open']}{opening}{body}</text>"

    svg = _MATH_GROUP.sub(relabel, svg)
    svg = svg.replace(f"n = {n}, hidden_size m = {m}", "n = @N@, hidden_size m = @M@")
    leftover = [str(v) for v in (n, m, n + m) if str(v) in svg]
    if leftover or svg.count("@W@") != 8 or svg.count("@X@") != 2:
        raise RuntimeError(f"cell_diagram_svg: the template still holds sentinel sizes {leftover}.")
    return svg, tuple(shifts)


def _label_width(head_width: float, shape: str, size: float) -> float:
    """Width of a label as matplotlib aligns it: laid out at 100 pt, rounded up, scaled to ``size``."""
    return math.ceil(head_width + _text_width(": " + shape, _LAYOUT_SIZE)) * size / _LAYOUT_SIZE


def cell_diagram_svg(input_size: int, hidden_size: int) -> str:
    """The figure of :func:`cell_diagram` as inline SVG text, in microseconds after the first call.

    The first call draws the figure once with matplotlib, at placeholder sizes, as SVG whose text stays
    text (``svg.fonttype = "none"``, ids fixed by ``svg.hashsalt``); every call then writes the real
    shape labels (the same strings as :func:`cell_shapes`) into that template. Labels aligned on their
    right edge are moved by the width difference, measured with matplotlib's own font metrics. The
    result starts with ``<svg``, is the same text for the same sizes, and scales to its container
    (at most 720 px wide).

    Parameters
    ----------
    input_size : int
        n, features of x_t (>= 1).
    hidden_size : int
        m, units (>= 1).

    Returns
    -------
    str
        The SVG element, to embed in HTML (for example an ``ipywidgets.HTML`` value).

    Raises
    ------
    TypeError, ValueError
        A size that is not an int >= 1 (the message names the argument).

    Examples
    --------
    >>> svg = cell_diagram_svg(5, 10)
    >>> svg.startswith("<svg"), "10×15</tspan>" in svg, "(15,)</tspan>" in svg
    (True, True, True)
    >>> "input_size n = 5, hidden_size m = 10" in svg
    True
    """
    shapes = cell_shapes(input_size, hidden_size)
    template, shifts = _cell_diagram_template()
    sentinel = cell_shapes(_SENTINEL_N, _SENTINEL_M)
    values = {token.strip("@"): html.escape(shapes[key]) for key, token in _SHAPE_TOKENS.items()}
    values["N"], values["M"] = str(input_size), str(hidden_size)
    for name, key, size, head in shifts:
        dx = _label_width(head, sentinel[key], size) - _label_width(head, shapes[key], size)
        values[name] = f"{dx:.4f}"
    return _TOKEN.sub(lambda match: values[match[1]], template)


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


def weight_layout(input_size: int, hidden_size: int, framework: str = "keras", *,
                  ax: Axes | None = None) -> Figure:
    """Draw how a framework stores an LSTM's input weights: one matrix cut into four gate blocks.

    Keras keeps ``kernel`` as (n, 4m) with the gates side by side along the columns; PyTorch keeps
    ``weight_ih_l0`` as (4m, n) and MATLAB ``InputWeights`` as 4m-by-n, gates stacked along the rows.
    The gate order of each framework comes from :func:`lstm_utils.gate_order`.

    Parameters
    ----------
    input_size, hidden_size : int
        n and m (>= 1).
    framework : {"keras", "pytorch", "matlab"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        A size that is not an int >= 1, an unknown framework.

    Examples
    --------
    >>> fig = weight_layout(100, 256, "pytorch")
    >>> fig.axes[0].get_title()
    'pytorch weight_ih_l0: (1024, 100)'
    """
    n = check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    fw = check_choice("framework", framework, ("keras", "pytorch", "matlab"),
                      {"keras": "keras", "tensorflow": "keras", "tf": "keras", "tf.keras": "keras",
                       "pytorch": "pytorch", "torch": "pytorch", "matlab": "matlab"})
    fig, ax = _new_axes(ax, (7, 4))
    wide = fw == "keras"
    name, shape = {"keras": ("kernel", f"({n}, {4 * m})"), "pytorch": ("weight_ih_l0", f"({4 * m}, {n})"),
                   "matlab": ("InputWeights", f"{4 * m}-by-{n}")}[fw]
    # Drawn with a fixed aspect (blocks of 1 x 0.6), not to scale: n and m may differ a hundredfold.
    for k, gate in enumerate(gate_order(fw)):
        xy, w, h = ((k, 0.0), 1.0, 0.6) if wide else ((0.0, 3 - k), 1.6, 1.0)
        ax.add_patch(Rectangle(xy, w, h, facecolor=GATE_COLOURS[gate.role], alpha=0.35, edgecolor="black"))
        block = f"({n}, {m})" if wide else f"({m}, {n})"
        ax.text(xy[0] + w / 2, xy[1] + h / 2, f"{gate.symbol}: {gate.role}\n{block}", ha="center",
                va="center", fontsize=9)
    ax.set_xlim(-0.2, 4.2 if wide else 1.8)
    ax.set_ylim(-0.2, 0.8 if wide else 4.2)
    ax.set_aspect("equal" if not wide else "auto")
    ax.axis("off")
    ax.set_title(f"{fw} {name}: {shape}")
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
    from lstm_utils.reference import _as_float_array, _check_shape

    panels = (("input", "input gate $i_t$"), ("forget", "forget gate $f_t$"),
              ("output", "output gate $o_t$"))
    if not isinstance(gates, Mapping):
        raise TypeError(f"gates must be a mapping of gate name -> array of shape (time, hidden_size), "
                        f"got {type(gates).__name__}.")
    for name, _ in panels:
        if name not in gates:
            raise ValueError(f"gates has no {name!r} array; it needs 'input', 'forget' and 'output', "
                             f"got keys {sorted(map(str, gates))}.")
    first = _as_float_array("gates['input']", gates["input"])
    _check_shape("gates['input']", first, (("time", None), ("hidden_size", None)))
    time, m = first.shape
    arrays = {}
    for name, _ in panels:
        arrays[name] = _as_float_array(f"gates[{name!r}]", gates[name])
        _check_shape(f"gates[{name!r}]", arrays[name], (("time", time), ("hidden_size", m)))
    arrays["cell"] = _as_float_array("cell", cell)
    _check_shape("cell", arrays["cell"], (("time", time), ("hidden_size", m)))

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
