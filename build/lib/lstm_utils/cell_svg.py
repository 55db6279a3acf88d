"""The LSTM cell with the shape of everything in it, drawn directly as SVG text (no matplotlib).

:func:`cell_shapes` is the one source of the diagram's labels: :func:`lstm_utils.plots.cell_diagram`
(matplotlib) and :func:`cell_diagram_svg` (the explorer's inline SVG) both write them, and both draw
the layout of :mod:`lstm_utils.cell_geometry`. The SVG is drawn once, from that layout's forward view
(axes units scaled to points, y turned downwards, mathtext labels turned into SVG subscripts), as a
:class:`string.Template` whose placeholders are the sizes; each call fills them in. SVG aligns text
itself (``text-anchor``), so nothing is measured.
"""

from __future__ import annotations

import functools
import html
import re
from string import Template

from lstm_utils import cell_geometry as geo
from lstm_utils._validate import check_int
from lstm_utils.cell_geometry import GATE_COLOURS

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["GATE_COLOURS", "cell_diagram_svg", "cell_shapes"]


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


_S, _TOP = 56, 30  # points per axes unit of the geometry; room for the title above YLIM's top
(_X0, _X1), (_Y0, _Y1) = geo.XLIM, geo.YLIM
#: How far below its centre the baseline of a centred label lies: a label (9 pt), an operator's symbol.
_CENTRE_DROP, _OP_DROP = 0.06, 0.07
_ANCHOR = {"left": "start", "center": "middle", "right": "end"}
_MATH = ((r"\sigma", "σ"), (r"\tanh", "tanh"), (r"\odot", "⊙"), (r"\cdot", "·"), ("$", ""))
_SUBSCRIPT = re.compile(r"(.)_(?:\{([^}]*)\}|(.))")           # x_t or c_{t-1}: base, index


def _xy(x: float, y: float) -> str:
    return f"{(x - _X0) * _S:.0f},{(_Y1 - y) * _S + _TOP:.0f}"  # axes units (y up) -> SVG points (y down)


def _svg_text(label: str, tail: str = "") -> str:
    """A mathtext label as SVG text: each subscript lowered, then the rest back on the baseline, + tail.

    Examples
    --------
    >>> _svg_text(r"$W_f$: ", "10×15")
    'W<tspan dy="2" font-size="75%">f</tspan><tspan dy="-2">: 10×15</tspan>'
    """
    for tex, char in _MATH:
        label = label.replace(tex, char)
    label = html.escape(label, quote=False)
    pieces = _SUBSCRIPT.split(label)            # text, (base, braced index, bare index, text) per subscript
    out = pieces[0]
    for k in range(1, len(pieces), 4):
        base, index, rest = pieces[k], pieces[k + 1] or pieces[k + 2], pieces[k + 3]
        rest += tail if k + 4 == len(pieces) else ""
        out += f'{base}<tspan dy="2" font-size="75%">{index}</tspan><tspan dy="-2">{rest}</tspan>'
    return out if len(pieces) > 1 else out + tail


def _text(x: float, y: float, body: str, size: float = 9, anchor: str = "start", colour: str = geo.BLACK,
          top: bool = False) -> str:
    tx, ty = _xy(x, y).split(",")
    ty = int(ty) + (round(size) if top else 0)  # top: the text hangs below y, as va="top"
    return (f'<text x="{tx}" y="{ty}" font-size="{size}" text-anchor="{anchor}" fill="{colour}">'
            f"{body}</text>")


def _rect(box: geo.Box, outline: bool = True) -> str:
    left, top = _xy(box.x, box.y + box.height).split(",")
    width = f' stroke-width="{box.linewidth:g}"' if outline else ""
    return (f'<rect x="{left}" y="{top}" width="{box.width * _S:.0f}" height="{box.height * _S:.0f}" '
            f'rx="{box.rounding * _S:.0f}" fill="{box.fill}" stroke="{box.edge}"{width}/>')


def _path(start: tuple, end: tuple, colour: str, width: float, head: bool) -> str:
    marker = f' marker-end="url(#lstm-{colour[1:]})"' if head else ""
    return f'<path d="M{_xy(*start)} L{_xy(*end)}" stroke="{colour}" stroke-width="{width}"{marker}/>'


def _op(e: geo.Op) -> str:
    cx, cy = _xy(e.x, e.y).split(",")
    return (f'<circle cx="{cx}" cy="{cy}" r="{geo.OP_RADIUS * _S:.0f}" fill="{geo.OP_FILL}" '
            f'stroke="{geo.BLACK}" stroke-width="{geo.OP_LINEWIDTH}"/>'
            + _text(e.x, e.y - _OP_DROP, e.symbol, e.size, "middle"))


def _dot(e: geo.Dot) -> str:
    cx, cy = _xy(e.x, e.y).split(",")
    return f'<circle cx="{cx}" cy="{cy}" r="{e.radius * _S:.0f}" fill="{e.colour}"/>'


def _label(e: geo.Label) -> str:
    """A label; its shape is a $placeholder (the key of cell_shapes), filled in for the sizes drawn."""
    y = e.y - (_CENTRE_DROP if e.va == "center" else 0)
    body = _svg_text(e.text, f"${{{e.shape}}}" if e.shape else "")
    return _text(e.x, y, body, e.size, _ANCHOR[e.ha], e.colour or geo.BLACK, top=e.va == "top")


# How SVG draws each kind of piece of the forward view (a Ring marks the backward view only).
_PAINTERS = {
    geo.Box: _rect,
    geo.Arrow: lambda e: _path(e.start, e.end, e.colour, e.width, e.head),
    geo.Line: lambda e: _path(e.start, e.end, e.colour, e.width, head=False),
    geo.Op: _op,
    geo.Dot: _dot,
    geo.Label: _label,
}


@functools.cache
def _template() -> Template:
    """The whole drawing, with $n, $m and the keys of cell_shapes for the sizes: the forward view."""
    elements = [e for e in geo.ELEMENTS if geo.in_view(e, backward=False)]
    heads = dict.fromkeys(e.colour for e in elements if isinstance(e, geo.Arrow) and e.head)  # in order seen
    markers = "".join(f'<marker id="lstm-{c[1:]}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" '
                      f'markerHeight="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
                      for c in heads)
    width, height = (_X1 - _X0) * _S, (_Y1 - _Y0) * _S + _TOP
    title = geo.TITLE.format(n="$n", m="$m")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        'style="max-width:720px;height:auto" font-family="DejaVu Sans, sans-serif" fill="none">',
        f"<defs>{markers}</defs>",
        _text((_X0 + _X1) / 2, _Y1 + 10 / _S, title, 12, "middle"),
        _rect(geo.BODY, outline=False),        # the body's outline at SVG's default width
        *(_PAINTERS[type(e)](e) for e in elements),
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
    shapes = {key: html.escape(shape) for key, shape in cell_shapes(input_size, hidden_size).items()}
    return _template().substitute(n=input_size, m=hidden_size, **shapes)
