"""The LSTM cell with the shape of everything in it, drawn directly as SVG text (no matplotlib).

:func:`cell_shapes` is the one source of the diagram's labels: :func:`lstm_utils.plots.cell_diagram`
(matplotlib) and :func:`cell_diagram_svg` (the explorer's inline SVG) both write them. The SVG is
drawn once, in the coordinates of ``cell_diagram`` (x to the right, y up, scaled to points), as a
:class:`string.Template` whose placeholders are the sizes; each call fills them in. SVG aligns
text itself (``text-anchor``), so nothing is measured.
"""

from __future__ import annotations

import functools
import html
from string import Template

from lstm_utils._validate import check_int

#: One colour per gate role, the same in every figure of the course.
GATE_COLOURS = {"forget": "#d62728", "input": "#1f77b4", "candidate": "#2ca02c", "output": "#9467bd"}


def cell_shapes(input_size: int, hidden_size: int) -> dict[str, str]:
    """The shape of every vector and matrix in one LSTM step, as the cell diagrams label them.

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
    return {"x_t": f"({n},)", "h_prev": vec, "c_prev": vec, "concat": f"({m + n},)",
            "W": f"{m}×{m + n}", "b": vec, "gate": vec, "c_t": vec, "h_t": vec}


_S, _TOP = 56, 30  # points per unit of cell_diagram's axes; room for the title above y = 6.4


def _xy(x: float, y: float) -> str:
    return f"{(x + 1.6) * _S:.0f},{(6.4 - y) * _S + _TOP:.0f}"  # axes (-1.6..12.6, -1.3..6.4) -> SVG


def _sub(base: str, index: str, rest: str = "") -> str:
    """``base`` with a subscript ``index``, then ``rest`` back on the baseline."""
    return f'{base}<tspan dy="2" font-size="75%">{index}</tspan><tspan dy="-2">{rest}</tspan>'


def _text(x: float, y: float, body: str, size: float = 9, anchor: str = "start", colour: str = "#000",
          top: bool = False) -> str:
    tx, ty = _xy(x, y).split(",")
    ty = int(ty) + (round(size) if top else 0)  # top: the text hangs below y, as va="top"
    return (f'<text x="{tx}" y="{ty}" font-size="{size}" text-anchor="{anchor}" fill="{colour}">'
            f"{body}</text>")


def _arrow(start: tuple, end: tuple, colour: str = "#000", head: bool = True, width: float = 1.6) -> str:
    marker = f' marker-end="url(#lstm-{colour[1:]})"' if head else ""
    return f'<path d="M{_xy(*start)} L{_xy(*end)}" stroke="{colour}" stroke-width="{width}"{marker}/>'


def _op(x: float, y: float, symbol: str) -> str:
    """A small circle holding a pointwise operation (×, +, tanh)."""
    cx, cy = _xy(x, y).split(",")
    return (f'<circle cx="{cx}" cy="{cy}" r="16" fill="#fff7d6" stroke="#000" stroke-width="1.3"/>'
            + _text(x, y - 0.07, symbol, 11 if len(symbol) == 1 else 8, "middle"))


@functools.cache
def _template() -> Template:
    """The whole drawing, with $n, $m, $x, $vec, $concat and $W for the sizes: the layout of cell_diagram."""
    f, i, g, o = (GATE_COLOURS[role] for role in ("forget", "input", "candidate", "output"))
    markers = "".join(f'<marker id="lstm-{c[1:]}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" '
                      f'markerHeight="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
                      for c in ("#000", f, i, g, o))
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 795 461" width="100%" '
        'style="max-width:720px;height:auto" font-family="DejaVu Sans, sans-serif" fill="none">',
        f"<defs>{markers}</defs>",
        _text(5.5, 6.4 + 10 / _S, "One LSTM step: input_size n = $n, hidden_size m = $m", 12, "middle"),
        '<rect x="106" y="80" width="582" height="302" rx="17" fill="#f4f4f4" stroke="#888"/>',
        # the cell state line: c_{t-1} -> × f_t -> + i_t ⊙ g_t -> c_t
        _arrow((-1.3, 4.9), (1.72, 4.9)), _text(-1.3, 5.1, _sub("c", "t-1", ": $vec")), _op(2.0, 4.9, "×"),
        _arrow((2.28, 4.9), (4.62, 4.9)), _op(4.9, 4.9, "+"), _arrow((5.18, 4.9), (12.3, 4.9)),
        _text(11.0, 5.1, _sub("c", "t", ": $vec")),
        # the inputs h_{t-1} and x_t, joined into the bus [h_{t-1}, x_t]
        _arrow((-1.3, 0.75), (0.9, 0.75), head=False),
        _text(-1.3, 0.55, _sub("h", "t-1", ": $vec"), top=True),
        _arrow((0.9, -1.0), (0.9, 0.75), head=False), _text(1.02, -0.95, _sub("x", "t", ": $x")),
        _arrow((0.9, 0.75), (7.6, 0.75), head=False, width=2.6),
        '<circle cx="140" cy="346" r="5" fill="#000"/>',
        _text(1.2, 0.6, "[" + _sub("h", "t-1", ", ") + _sub("x", "t", "]: $concat"), top=True),
    ]
    for role, sym, letter, act, x in (("forget", "f", "f", "σ", 2.0), ("input", "i", "i", "σ", 3.6),
                                      ("candidate", "g", "c", "tanh", 5.2), ("output", "o", "o", "σ", 7.0)):
        c = GATE_COLOURS[role]
        left, top = _xy(x - 0.625, 2.55).split(",")
        parts += [f'<rect x="{left}" y="{top}" width="70" height="50" rx="7" fill="#fff" stroke="{c}" '
                  'stroke-width="2"/>', _text(x, 2.21, role, anchor="middle", colour=c),
                  _text(x, 1.84, _sub(sym, "t", f" = {act}(·)"), anchor="middle"),
                  _arrow((x, 0.75), (x, 1.65), c),
                  _text(x - 0.08, 1.08, _sub("W", letter, ": $W"), 7.5, "end", c),
                  _text(x - 0.08, 1.36, _sub("b", letter, ": $vec"), 7.5, "end", c)]
    parts += [
        # f_t -> × on the cell line; i_t and g_t -> × -> +
        _arrow((2.0, 2.55), (2.0, 4.62), f), _text(2.08, 3.4, _sub("f", "t", ": $vec"), 8.5),
        _arrow((3.6, 2.55), (4.68, 3.42), i), _text(3.95, 3.1, _sub("i", "t", ": $vec"), 8.5, "end"),
        _arrow((5.2, 2.55), (5.02, 3.34), g), _text(5.55, 2.75, _sub("g", "t", ": $vec"), 8.5),
        _op(4.9, 3.6, "×"), _arrow((4.9, 3.88), (4.9, 4.62)),
        _text(5.0, 4.15, _sub("i", "t", " ⊙ ") + _sub("g", "t", ": $vec"), 8.5),
        # the output: o_t × tanh(c_t) -> h_t, which goes on to the next step with c_t
        _arrow((8.9, 4.9), (8.9, 3.88)), _op(8.9, 3.6, "tanh"), _arrow((8.9, 3.32), (8.9, 2.38)),
        _text(9.02, 2.75, "tanh(" + _sub("c", "t", "): $vec"), 8.5),
        _arrow((7.625, 2.1), (8.62, 2.1), o), _text(7.75, 1.75, _sub("o", "t", ": $vec"), 8.5),
        _op(8.9, 2.1, "×"), _arrow((9.18, 2.1), (12.3, 2.1)), _text(10.95, 2.22, _sub("h", "t", ": $vec")),
        _text(9.3, -0.75, _sub("h", "t", " and ") + _sub("c", "t", " go on to step t+1"), 8.5, colour="#555"),
        "</svg>",
    ]
    return Template("\n".join(parts))


def cell_diagram_svg(input_size: int, hidden_size: int) -> str:
    """The LSTM cell of :func:`lstm_utils.plots.cell_diagram` as inline SVG text, in microseconds.

    ``input_size`` (n) and ``hidden_size`` (m) are those of :func:`cell_shapes`, which gives every
    label; the result starts with ``<svg``, is the same text for the same sizes, and scales to its
    container (at most 720 px wide).

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
    >>> svg.startswith("<svg"), ": 10×15</tspan>" in svg, "]: (15,)</tspan>" in svg
    (True, True, True)
    >>> "input_size n = 5, hidden_size m = 10" in svg
    True
    """
    s = cell_shapes(input_size, hidden_size)
    return _template().substitute(n=input_size, m=hidden_size, x=html.escape(s["x_t"]),
                                  vec=html.escape(s["gate"]), concat=html.escape(s["concat"]),
                                  W=html.escape(s["W"]))
