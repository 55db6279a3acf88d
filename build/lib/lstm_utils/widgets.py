"""The interactive explorer: move a size, watch every count, shape and chart of the layer change.

:func:`explorer` builds an :class:`Explorer`, an ``ipywidgets.VBox`` whose controls are the arguments
of :func:`lstm_utils.count_params` and :func:`lstm_utils.output_shapes`. After every change it shows,
for the chosen framework, the per-tensor table, the output/state shapes and a bar chart of the count by
gate and by tensor kind; the totals of every counted framework of the registry side by side; and the LSTM cell
diagram of :func:`lstm_utils.plots.cell_diagram` with the chosen sizes. A combination a framework does
not have is shown as the library's own error message, never raised.

Speed: everything is recomputed on every change, in about a millisecond. The numbers, the table, the
shapes and the charts are HTML and inline SVG written as text; the cell diagram is inline SVG from
:func:`lstm_utils.cell_svg.cell_diagram_svg`, a template drawn once whose sizes are filled in (no
matplotlib). ``benchmarks/explorer.py`` measures an update, diagram included.

ipywidgets is imported here only; ``import lstm_utils`` does not load it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as widgets

from lstm_utils._table import Cell, Column, html_table
from lstm_utils._validate import (
    CELLS,
    check_bool,
    check_cell,
    check_framework,
    check_int,
    unknown_value_hint,
)
from lstm_utils.cell_svg import cell_diagram_svg
from lstm_utils.counting import KINDS, ParamTable, param_table
from lstm_utils.frameworks import counted, get
from lstm_utils.gates import GATE_BLOCKS, gate_order
from lstm_utils.shapes import output_shapes

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

#: The controls of the explorer and their starting values (the worked example of notebook 02).
DEFAULTS = {
    "input_size": 5,
    "hidden_size": 10,
    "num_layers": 1,
    "bidirectional": False,
    "bias": True,
    "proj_size": 0,
    "cell": "lstm",
    "framework": "keras",
    "batch": 32,
    "seq_len": 13,
    "batch_first": False,
}

# One colour per tensor kind, used by both charts.
KIND_COLOURS = {"input weights": "#1f77b4", "recurrent weights": "#ff7f0e", "bias": "#2ca02c",
                "projection": "#9467bd"}
# State outputs an LSTM has and a GRU or simple RNN does not (they keep no cell state).
_CELL_STATES = ("c_n", "state_c", "forward_c", "backward_c", "cell_state")


def check_explorer_args(values: Mapping[str, object]) -> dict[str, object]:
    """Validate the keyword arguments of :func:`explorer`; return all controls' values, canonical.

    Each value is checked alone, with the library's messages; combinations (``proj_size`` with a
    GRU, ``proj_size >= hidden_size``, a layer a framework lacks) are not errors here: the explorer
    shows them as messages.

    Raises
    ------
    TypeError
        An unknown keyword (named, with the closest valid one), or a value of the wrong type.
    ValueError
        A size below its minimum, an unknown cell or framework.

    Examples
    --------
    >>> check_explorer_args({"hidden_size": 256})["hidden_size"]
    256
    """
    for name in values:
        if name not in DEFAULTS:
            raise TypeError(f"explorer() got an unexpected keyword argument {name!r}. "
                            f"{unknown_value_hint(name, tuple(DEFAULTS))}")
    v = {**DEFAULTS, **values}
    for name in ("input_size", "hidden_size", "num_layers", "batch", "seq_len"):
        v[name] = check_int(name, v[name])
    v["proj_size"] = check_int("proj_size", v["proj_size"], minimum=0)
    for name in ("bidirectional", "bias", "batch_first"):
        v[name] = check_bool(name, v[name])
    v["cell"] = check_cell(v["cell"])
    v["framework"] = check_framework(v["framework"])
    return v


def by_gate(table: ParamTable) -> dict[str, dict[str, int]]:
    """Split every weight and bias tensor of ``table`` into its gate blocks: gate -> kind -> count.

    Each weight matrix and bias stacks G blocks of m rows (PyTorch, MATLAB) or m columns (Keras) along
    its gate axis, G = 4 for an LSTM, 3 for a GRU, 1 for a simple RNN; so every gate owns 1/G of
    it. The PyTorch projection ``weight_hr`` acts on h after the gates and belongs to none.
    Gates are named and ordered as :func:`lstm_utils.gate_order` gives them for the framework.

    Examples
    --------
    >>> from lstm_utils import param_table
    >>> by_gate(param_table(5, 10))["forget gate"]
    {'input weights': 50, 'recurrent weights': 100, 'bias': 10}
    """
    spec = table.spec
    g = GATE_BLOCKS[spec.cell]
    names = ["simple RNN (one block)"] if spec.cell == "rnn" else \
        [gate.name for gate in gate_order(spec.framework, cell=spec.cell)]
    per_kind = {kind: 0 for kind in KINDS if kind != "projection"}
    for row in table:
        if row.kind != "projection":
            per_kind[row.kind] += row.count // g  # G equal blocks along the gate axis
    return {name: dict(per_kind) for name in names}


def bar_chart_svg(title: str, bars: Mapping[str, Mapping[str, int]], *, width: int = 380) -> str:
    """A horizontal bar chart as inline SVG text: one bar per key, stacked by tensor kind.

    Text, not pixels: it renders in a notebook, in the saved widget state and on a static web page,
    costs well under a millisecond to make, and is the same text on every run.

    Examples
    --------
    >>> svg = bar_chart_svg("by kind", {"bias": {"bias": 40}})
    >>> svg.startswith("<svg") and "40" in svg
    True
    """
    label_w, bar_h, gap, top = 150, 18, 6, 24
    plot_w = width - label_w - 70
    largest = max((sum(parts.values()) for parts in bars.values()), default=0) or 1
    height = top + len(bars) * (bar_h + gap) + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="0" y="14" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, parts) in enumerate(bars.items()):
        y = top + i * (bar_h + gap)
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(label)}</text>')
        x = float(label_w)
        for kind, value in parts.items():
            w = plot_w * value / largest
            if w > 0:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                           f'fill="{KIND_COLOURS[kind]}"><title>{kind}: {value:,}</title></rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(parts.values()):,}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend_html() -> str:
    items = "".join(f'<span style="display:inline-block;width:10px;height:10px;background:{c};'
                    f'margin:0 4px 0 12px"></span>{k}' for k, c in KIND_COLOURS.items())
    return f"<div style='font-size:11px'>{items}</div>"


def _totals_html(result: Mapping[str, int | None], reasons: Mapping[str, str], chosen: str) -> str:
    columns = [Column(fw, underline=fw == chosen) for fw in result]
    cells = [f"{total:,}" if total is not None else Cell("none (see below)", title=reasons[fw])
             for fw, total in result.items()]
    notes = "".join(f"<li>{fw}: {html.escape(reasons[fw])}</li>" for fw in result if fw in reasons)
    notes = f"<ul style='font-size:11px'>{notes}</ul>" if notes else ""
    return f"<b>Total parameters</b>{html_table(columns, [cells])}{notes}"


def _shapes_html(shapes: Mapping[str, tuple[int, ...]], note: str) -> str:
    rows = [(name, str(shape)) for name, shape in shapes.items()]
    return (f"<b>Output and state shapes</b>{html_table(['name', 'shape'], rows, head=False)}"
            f"<div style='font-size:11px'>{html.escape(note)}</div>")


def _make_controls(v: Mapping[str, object]) -> dict[str, widgets.Widget]:
    def slider(name, low, high, description):
        return widgets.IntSlider(value=v[name], min=low, max=max(high, v[name]), description=description,
                                 continuous_update=True, style={"description_width": "110px"})

    def box(name, description):
        return widgets.Checkbox(value=v[name], description=description, indent=False)

    return {
        "input_size": slider("input_size", 1, 1024, "input_size (n)"),
        "hidden_size": slider("hidden_size", 1, 1024, "hidden_size (m)"),
        "num_layers": slider("num_layers", 1, 8, "num_layers"),
        "proj_size": slider("proj_size", 0, 1023, "proj_size"),
        "bidirectional": box("bidirectional", "bidirectional"),
        "bias": box("bias", "bias"),
        "cell": widgets.Dropdown(options=CELLS, value=v["cell"], description="cell"),
        "framework": widgets.ToggleButtons(options=counted(), value=v["framework"],
                                           description="framework"),
        "batch": slider("batch", 1, 256, "batch"),
        "seq_len": slider("seq_len", 1, 512, "seq_len"),
        "batch_first": box("batch_first", "batch_first (PyTorch)"),
    }


class Explorer(widgets.VBox):
    """The explorer UI; build it with :func:`explorer`.

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
        The inputs, keyed by the argument names of ``count_params`` / ``output_shapes``.
    views : dict of str -> ipywidgets.Widget
        The outputs, all HTML: ``error``, ``totals``, ``table``, ``shapes``, ``charts`` and ``diagram``
        (the LSTM cell diagram as inline SVG, hidden for a GRU or simple RNN, where ``diagram_note``
        says why).
    result : dict of str -> int or None
        Total parameters per counted framework of the registry (keras, pytorch, matlab, ...); None
        where the framework has no such layer, with the reason in ``reasons``.
    table : ParamTable or None
        The chosen framework's tensors, None when the combination is invalid (see ``error``).
    error : str or None
        The library's message for the chosen framework, as the UI shows it.
    shapes : dict of str -> tuple
        Output and state shapes for the chosen framework.
    """

    def __init__(self, values: Mapping[str, object]):
        self.controls = _make_controls(values)
        html_view = widgets.HTML
        self.views = {
            "error": html_view(""),
            "totals": html_view(""),
            "shapes": html_view(""),
            "table": html_view(""),
            "charts": html_view(""),
            "diagram_note": html_view(""),
            "diagram": html_view("", layout=widgets.Layout(max_width="720px")),
        }
        c, vw = self.controls, self.views
        vw["totals"].layout.margin = "0 40px 0 0"
        children = [
            widgets.HTML("<b>LSTM explorer</b>: change a size and watch every count and shape follow."),
            widgets.HBox([
                widgets.VBox([c["input_size"], c["hidden_size"], c["num_layers"], c["proj_size"]]),
                widgets.VBox([c["cell"], c["bidirectional"], c["bias"], c["batch_first"]]),
                widgets.VBox([c["batch"], c["seq_len"]]),
            ]),
            c["framework"],
            vw["error"],
            widgets.HBox([vw["totals"], vw["shapes"]]),
            vw["table"],
            vw["charts"],
            vw["diagram_note"],
            vw["diagram"],
        ]
        super().__init__(children=children)
        self.result: dict[str, int | None] = {}
        self.reasons: dict[str, str] = {}
        self.table: ParamTable | None = None
        self.error: str | None = None
        self.shapes: dict[str, tuple[int, ...]] = {}
        self._chart_key: object = None
        self._diagram_key: tuple[int, int] | None = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    # --- reading and setting ------------------------------------------------------------------------

    @property
    def values(self) -> dict[str, object]:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: object) -> Explorer:
        """Set several controls at once (validated like :func:`explorer`'s arguments); one update.

        Returns the explorer, so a notebook cell can end with ``ex.set(hidden_size=256)`` and show it.
        """
        v = check_explorer_args({**self.values, **values})
        self._holding = True
        try:
            for name in values:
                control = self.controls[name]
                if isinstance(control, widgets.IntSlider) and v[name] > control.max:
                    control.max = v[name]
                control.value = v[name]
        finally:
            self._holding = False
        self.update()
        return self

    _holding = False

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self.update()

    # --- the update ---------------------------------------------------------------------------------

    def update(self) -> None:
        """Recompute everything from the controls and refresh the views (called after every change)."""
        v = self.values
        layer = {k: v[k] for k in ("cell", "num_layers", "bidirectional", "bias", "proj_size")}
        tables: dict[str, ParamTable] = {}
        self.result, self.reasons = {}, {}
        for fw in counted():
            try:
                tables[fw] = param_table(v["input_size"], v["hidden_size"], framework=fw, **layer)
                self.result[fw] = tables[fw].total
            except (TypeError, ValueError) as exc:
                self.result[fw], self.reasons[fw] = None, str(exc)
        chosen = v["framework"]
        self.table = tables.get(chosen)
        self.error = self.reasons.get(chosen)
        self.shapes = {}
        if self.table is not None:
            try:
                self.shapes = self._shapes(v)
            except (TypeError, ValueError) as exc:
                self.error = str(exc)

        vw = self.views
        vw["error"].value = ("" if self.error is None else
                             "<div style='color:#b00020;border:1px solid #b00020;padding:4px'>"
                             f"<b>Not a valid {chosen} layer:</b> {html.escape(self.error)}</div>")
        vw["totals"].value = _totals_html(self.result, self.reasons, chosen)
        self._refresh_diagram()  # depends on cell, input_size and hidden_size only: valid even here
        if self.error is not None:
            vw["shapes"].value = vw["table"].value = vw["charts"].value = ""
            self._chart_key = None
            return
        vw["shapes"].value = _shapes_html(self.shapes, get(chosen).shapes_note)
        vw["table"].value = self.table._repr_html_()
        self._refresh_charts()

    def _shapes(self, v: Mapping[str, object]) -> dict[str, tuple[int, ...]]:
        shapes = output_shapes(v["framework"], batch=v["batch"], seq_len=v["seq_len"],
                               input_size=v["input_size"], hidden_size=v["hidden_size"],
                               num_layers=v["num_layers"], bidirectional=v["bidirectional"],
                               batch_first=v["batch_first"], proj_size=v["proj_size"],
                               return_sequences=True, return_state=True)
        if v["cell"] != "lstm":  # a GRU or simple RNN returns no cell state
            shapes = {k: s for k, s in shapes.items() if k not in _CELL_STATES}
        return shapes

    def _refresh_charts(self) -> None:
        key = (self.table.spec, tuple(self.table))
        if key == self._chart_key:
            return
        self._chart_key = key
        gates = by_gate(self.table)
        kinds = {kind: {kind: count} for kind, count in self.table.by_kind().items()}
        self.views["charts"].value = (
            "<div style='display:flex;gap:24px;flex-wrap:wrap'>"
            + bar_chart_svg(f"Parameters per gate ({self.table.framework})", gates)
            + bar_chart_svg("Parameters per tensor kind", kinds) + "</div>" + _legend_html())

    # --- the cell diagram (inline SVG text) ------------------------------------------------------------

    def _refresh_diagram(self) -> None:
        v = self.values
        if v["cell"] != "lstm":
            self.views["diagram_note"].value = (
                f"<i>The cell diagram is drawn for an LSTM only; notebook 11 writes out the "
                f"{v['cell'].upper()}'s equations.</i>")
            self.views["diagram"].layout.display = "none"
            return
        self.views["diagram_note"].value = ""
        self.views["diagram"].layout.display = None
        key = (v["input_size"], v["hidden_size"])
        if key != self._diagram_key:
            self.views["diagram"].value = cell_diagram_svg(*key)
            self._diagram_key = key

    def to_html(self) -> str:
        """The current views (error, totals, shapes, table, charts) as one static HTML page fragment.

        For places where widgets do not render (a static web page): display it with
        ``IPython.display.HTML(ex.to_html())``; the diagram is ``lstm_utils.plots.cell_diagram``.
        """
        v = self.values
        order = ("error", "totals", "shapes", "table", "charts")
        parts = [self.views[name].value for name in order if self.views[name].value]
        title = html.escape(", ".join(f"{k}={v[k]!r}" for k in DEFAULTS))
        return f"<div><p><i>Explorer snapshot: {title}</i></p>{''.join(parts)}</div>"

    def __repr__(self) -> str:
        v = self.values
        described = f"{v['framework']} {v['cell'].upper()} {v['input_size']} -> {v['hidden_size']}"
        state = f"{self.table.total:,} parameters" if self.table is not None else f"error: {self.error}"
        return f"<Explorer {described}: {state}>"


def explorer(**initial: object) -> Explorer:
    """An interactive explorer of an LSTM, GRU or simple RNN layer's parameters and shapes.

    Parameters
    ----------
    **initial
        Starting values of the controls, by the argument names of ``count_params`` and
        ``output_shapes``: input_size, hidden_size, num_layers, bidirectional, bias, proj_size,
        cell, framework, batch, seq_len, batch_first (defaults in :data:`DEFAULTS`).

    Returns
    -------
    Explorer
        An ``ipywidgets.VBox``; display it (end a cell with it) to use it. ``.controls`` holds the
        inputs, ``.result`` the totals per framework, refreshed after every change.

    Raises
    ------
    TypeError
        An unknown keyword, or a value of the wrong type.
    ValueError
        A value out of range (a size below 1, an unknown framework or cell).

    Examples
    --------
    >>> ex = explorer(input_size=100, hidden_size=256)
    >>> ex.result
    {'keras': 365568, 'pytorch': 366592, 'matlab': 365568, 'flax': 365568}
    >>> ex.controls["framework"].value = "pytorch"
    >>> ex.controls["proj_size"].value = 300
    >>> ex.result["pytorch"] is None
    True
    >>> print(ex.error)
    proj_size == 300, must be < hidden_size (256); PyTorch accepts 0 <= proj_size < hidden_size.
    """
    return Explorer(check_explorer_args(initial))
