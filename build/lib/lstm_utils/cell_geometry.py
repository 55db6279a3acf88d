"""The LSTM cell diagram as data: every box, operator, line and label, with its coordinates, in one place.

:func:`lstm_utils.plots.cell_diagram` (matplotlib) and :func:`lstm_utils.cell_svg.cell_diagram_svg`
(inline SVG) both draw :data:`BODY` and then :data:`ELEMENTS`, in order; neither holds a coordinate of
its own. Coordinates are axes units of :data:`XLIM` x :data:`YLIM`, x to the right, y up. A piece with
``view="forward"`` or ``view="backward"`` belongs to that view only (``cell_diagram(backward=True)``
draws the gradient's path along the cell state; the SVG is the forward view). A :class:`Label`'s text is
matplotlib mathtext followed by the shape its ``shape`` names, a key of
:func:`lstm_utils.cell_svg.cell_shapes`. Colours are hex, as SVG writes them. Plain Python (layer 1).
"""

from __future__ import annotations

from dataclasses import dataclass

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["BACKWARD_TITLE", "BODY", "ELEMENTS", "GATE_COLOURS", "GRADIENT_COLOUR", "OP_RADIUS", "TITLE",
           "XLIM", "YLIM", "Arrow", "Box", "Dot", "Label", "Line", "Op", "Ring", "in_view"]

#: One colour per gate role, the same in every figure of the course.
GATE_COLOURS = {"forget": "#d62728", "input": "#1f77b4", "candidate": "#2ca02c", "output": "#9467bd"}
#: The colour of gradients (the backward pass) in every figure: orange, none of the gate colours.
GRADIENT_COLOUR = "#e67300"
BLACK = "#000"

XLIM, YLIM = (-1.6, 12.6), (-1.3, 6.4)
TITLE = "One LSTM step: input_size n = {n}, hidden_size m = {m}"
BACKWARD_TITLE = "One LSTM step, backwards along the cell state: input_size n = {n}, hidden_size m = {m}"
#: The circles that hold a pointwise operation (×, +, tanh): radius, fill, outline width.
OP_RADIUS, OP_FILL, OP_LINEWIDTH = 0.28, "#fff7d6", 1.3


@dataclass(frozen=True)
class Box:
    """A rounded rectangle: lower-left corner, size, corner radius and matplotlib's padding."""

    x: float
    y: float
    width: float
    height: float
    rounding: float
    pad: float
    fill: str
    edge: str
    linewidth: float
    zorder: float
    view: str = "both"


@dataclass(frozen=True)
class Arrow:
    """A straight line from ``start`` to ``end``, with an arrow head at ``end`` if ``head``."""

    start: tuple[float, float]
    end: tuple[float, float]
    colour: str = BLACK
    head: bool = True
    width: float = 1.6
    view: str = "both"


@dataclass(frozen=True)
class Line:
    """A plain line drawn beneath the arrows (matplotlib: ``ax.plot`` at zorder 1)."""

    start: tuple[float, float]
    end: tuple[float, float]
    colour: str = BLACK
    width: float = 1.6
    view: str = "both"


@dataclass(frozen=True)
class Op:
    """A pointwise operation: ``symbol`` in a circle of radius :data:`OP_RADIUS` centred on (x, y)."""

    x: float
    y: float
    symbol: str
    view: str = "both"

    @property
    def size(self) -> float:
        """Font size: 11 for a one-character symbol, 8 for ``tanh``."""
        return 11 if len(self.symbol) == 1 else 8


@dataclass(frozen=True)
class Dot:
    """A filled dot, where two lines join."""

    x: float
    y: float
    radius: float
    colour: str = BLACK
    view: str = "both"


@dataclass(frozen=True)
class Ring:
    """An unfilled circle that marks a place (drawn above everything but labels)."""

    x: float
    y: float
    radius: float
    colour: str
    width: float
    view: str = "both"


@dataclass(frozen=True)
class Label:
    """Text at (x, y), aligned by ``ha`` / ``va`` as matplotlib aligns it; mathtext, then a shape.

    ``shape`` (a key of :func:`lstm_utils.cell_svg.cell_shapes`) is appended to ``text`` for the
    sizes drawn; ``backdrop`` puts a white box behind the text; ``colour`` None is black.
    """

    x: float
    y: float
    text: str
    shape: str | None = None
    size: float = 9
    ha: str = "left"
    va: str = "baseline"
    colour: str | None = None
    zorder: float | None = None
    backdrop: bool = False
    view: str = "both"


def in_view(element: object, backward: bool) -> bool:
    """Whether ``element`` is drawn in the backward view (``backward=True``) or the forward one.

    Examples
    --------
    >>> in_view(Arrow((0, 0), (1, 0), view="forward"), backward=True)
    False
    >>> sum(in_view(e, backward=False) for e in ELEMENTS), sum(in_view(e, backward=True) for e in ELEMENTS)
    (57, 64)
    """
    return element.view in ("both", "backward" if backward else "forward")


#: The cell body, drawn first, beneath everything.
BODY = Box(0.3, 0.1, 10.4, 5.4, rounding=0.3, pad=0.05, fill="#f4f4f4", edge="#888", linewidth=1.2,
           zorder=0)

# Rows and columns of the drawing: the cell state line (y_c) with its × f_t, + and tanh(c_t); the
# concatenation bus (y_bus) fed by h_{t-1} from the left and x_t from below at x_join; the gate boxes
# (y_box, box_w x box_h, centred on x_gate); the × of i_t and g_t below the +; tanh(c_t) below c_t's
# line; h_t leaves at the height of the boxes. Lines enter at x_left and leave at x_right.
x_left, x_right = -1.3, 12.3
y_c, x_mul_f, x_add, x_tanh_c = 4.9, 2.0, 4.9, 8.9
y_bus, x_join = 0.75, 0.9
y_box, box_w, box_h = 2.1, 1.25, 0.9
x_gate = {"forget": 2.0, "input": 3.6, "candidate": 5.2, "output": 7.0}
x_mul_ig, y_mul_ig, y_tanh = x_add, 3.6, 3.6
y_h, op_r = y_box, OP_RADIUS


def _gate(role: str, sym: str, letter: str, act: str) -> tuple:
    """One gate's box, its name and activation, the arrow from the bus and its W and b shapes.

    The course's notation (notebook 01): the candidate's value is g_t, its weights W_c and b_c.
    """
    colour, x = GATE_COLOURS[role], x_gate[role]
    return (Box(x - box_w / 2, y_box - box_h / 2, box_w, box_h, rounding=0.12, pad=0.02, fill="#fff",
                edge=colour, linewidth=2.0, zorder=2),
            Label(x, y_box + 0.17, role, ha="center", va="center", colour=colour, zorder=3),
            Label(x, y_box - 0.2, rf"${sym}_t = {act}(\cdot)$", ha="center", va="center", zorder=3),
            Arrow((x, y_bus), (x, y_box - box_h / 2), colour),
            Label(x - 0.08, 1.08, rf"$W_{letter}$: ", "W", 7.5, "right", colour=colour),
            Label(x - 0.08, 1.36, rf"$b_{letter}$: ", "b", 7.5, "right", colour=colour))


# The backward view's cell state line: the gradient from step t+1 plus h_t's part (up from tanh) make
# δc_t, which leaves towards step t-1 multiplied by f_t at the ×.
_grad = {"colour": GRADIENT_COLOUR, "width": 2.6, "view": "backward"}
_grad_text = {"colour": GRADIENT_COLOUR, "zorder": 6, "view": "backward"}
_BACKWARD_LINE = (
    Arrow((x_right, y_c), (10.6, y_c), **_grad),
    Arrow((10.6, y_c), (x_tanh_c, y_c), head=False, **_grad),
    Arrow((x_tanh_c, y_tanh + op_r), (x_tanh_c, y_c), **_grad),
    Arrow((x_tanh_c, y_c), (x_add + op_r, y_c), **_grad),
    Arrow((x_add - op_r, y_c), (x_mul_f + op_r, y_c), **_grad),
    Arrow((x_mul_f - op_r, y_c), (x_left, y_c), **_grad),
    Ring(x_mul_f, y_c, 0.36, GRADIENT_COLOUR, 2.2, view="backward"),
    Label(x_mul_f + 0.42, y_c + 0.1, r"$\odot\, f_t$", size=11, va="bottom", **_grad_text),
    Label((x_add + x_tanh_c) / 2, y_c - 0.2, r"$\delta c_t$", size=11, ha="center", va="top", **_grad_text),
    Label(x_left, y_c - 0.2, r"$\delta c_{t-1}^{(t)} = \delta c_t \odot f_t$", size=10, va="top",
          backdrop=True, **_grad_text),
    Label(x_left, 5.95, "backward: the gradient along the cell state is multiplied by $f_t$ at every step",
          size=9.5, va="center", **_grad_text),
)

#: Everything inside and around the body, in drawing order.
ELEMENTS = (
    # The cell state line (the "conveyor belt"): c_{t-1} -> × f_t -> + i_t ⊙ g_t -> c_t.
    Arrow((x_left, y_c), (x_mul_f - op_r, y_c), view="forward"),
    *_BACKWARD_LINE,
    Label(x_left, y_c + 0.2, r"$c_{t-1}$: ", "c_prev", va="bottom"),
    Op(x_mul_f, y_c, "×"),
    Arrow((x_mul_f + op_r, y_c), (x_add - op_r, y_c), view="forward"),
    Op(x_add, y_c, "+"),
    Arrow((x_add + op_r, y_c), (x_right, y_c), view="forward"),
    Label(11.0, y_c + 0.2, r"$c_t$: ", "c_t", va="bottom"),
    # The inputs: h_{t-1} from the left and x_t from below, joined into the bus [h_{t-1}, x_t].
    Arrow((x_left, y_bus), (x_join, y_bus), head=False),
    Label(x_left, y_bus - 0.2, r"$h_{t-1}$: ", "h_prev", va="top"),
    Arrow((x_join, -1.0), (x_join, y_bus), head=False),
    Label(x_join + 0.12, -0.95, r"$x_t$: ", "x_t", va="bottom"),
    Line((x_join, y_bus), (7.6, y_bus), width=2.6),
    Dot(x_join, y_bus, 0.09),
    Label(1.2, y_bus - 0.15, r"$[h_{t-1}, x_t]$: ", "concat", va="top"),
    # The four gates, each fed by the bus.
    *_gate("forget", "f", "f", r"\sigma"), *_gate("input", "i", "i", r"\sigma"),
    *_gate("candidate", "g", "c", r"\tanh"), *_gate("output", "o", "o", r"\sigma"),
    # f_t -> × on the cell line; i_t and g_t -> × -> +.
    Arrow((x_gate["forget"], y_box + box_h / 2), (x_mul_f, y_c - op_r), GATE_COLOURS["forget"]),
    Label(2.08, 3.4, r"$f_t$: ", "gate", 8.5),
    Arrow((x_gate["input"], y_box + box_h / 2), (x_mul_ig - 0.22, y_mul_ig - 0.18), GATE_COLOURS["input"]),
    Label(3.95, 3.1, r"$i_t$: ", "gate", 8.5, "right"),
    Arrow((x_gate["candidate"], y_box + box_h / 2), (x_mul_ig + 0.12, y_mul_ig - 0.26),
          GATE_COLOURS["candidate"]),
    Label(5.55, 2.75, r"$g_t$: ", "gate", 8.5),
    Op(x_mul_ig, y_mul_ig, "×"),
    Arrow((x_mul_ig, y_mul_ig + op_r), (x_add, y_c - op_r)),
    Label(x_add + 0.1, 4.15, r"$i_t \odot g_t$: ", "gate", 8.5),
    # The output: o_t × tanh(c_t) -> h_t. Backwards, the segment c_t -> tanh carries h_t's part up.
    Arrow((x_tanh_c, y_c), (x_tanh_c, y_tanh + op_r), view="forward"),
    Op(x_tanh_c, y_tanh, "tanh"),
    Arrow((x_tanh_c, y_tanh - op_r), (x_tanh_c, y_h + op_r)),
    Label(x_tanh_c + 0.12, 2.75, r"$\tanh(c_t)$: ", "c_t", 8.5),
    Arrow((x_gate["output"] + box_w / 2, y_h), (x_tanh_c - op_r, y_h), GATE_COLOURS["output"]),
    Label(7.75, y_h - 0.35, r"$o_t$: ", "gate", 8.5),
    Op(x_tanh_c, y_h, "×"),
    Arrow((x_tanh_c + op_r, y_h), (x_right, y_h)),
    Label(10.95, y_h + 0.12, r"$h_t$: ", "h_t", va="bottom"),
    Label(9.3, -0.75, r"$h_t$ and $c_t$ go on to step $t+1$", size=8.5, colour="#555", view="forward"),
    Label(x_right, -0.75, r"$\delta c_t$: the gradient from step $t+1$ plus $h_t$'s part, "
          r"$\delta h_t \odot o_t \odot (1 - \tanh^2 c_t)$", size=8.5, ha="right", colour=GRADIENT_COLOUR,
          view="backward"),
)
