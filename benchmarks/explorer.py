"""How long one update of the explorer takes, cell diagram included: median and 95th percentile in ms.

For contributors (this material used to be section 3 of notebook 12; learners do not need it). A slider
feels live only if the panel answers within a few tens of milliseconds: the course's budget is 50 ms per
update. Every view is refreshed at once after a change, the cell diagram included. The diagram is
drawn directly as SVG (``lstm_utils.cell_svg``): one ``string.Template`` whose labels are filled with the
new sizes on each update, so no drawing library runs and a size never seen before costs nothing extra.

A change is made the way a browser makes it (``control.set_state({"value": v})``, inside a running event
loop, as in a Jupyter kernel), so the time is what a learner waits for everything the explorer shows to
be refreshed: the numbers, the table, the shapes, the charts and, when input_size or hidden_size
changed, the cell diagram (inline SVG from ``lstm_utils.cell_svg.cell_diagram_svg``). Size changes take
a new size every time. The one-off cost of the first explorer (imports, and the diagram's SVG template
drawn once per process) is timed on its own.

What is not included: no front end is attached here, so sending the new values to the browser and
the browser's redraw are not timed.

Usage: ``python benchmarks/explorer.py [--n 60]``. The script prints its figures against the 50 ms
budget; no test asserts on them, because timings depend on the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import time

from lstm_utils.widgets import explorer

BUDGET_MS = 50.0
_fresh = itertools.count(2)  # sizes never used before: nothing can come from a cache

# name, starting values, the control that changes, the values it cycles through (None: a fresh size)
SIZE_CONFIGS = [
    ("keras LSTM 100->256, move hidden_size", {"input_size": 100, "hidden_size": 256}, "hidden_size", None),
    ("pytorch LSTM 100->256, move input_size", {"framework": "pytorch", "input_size": 100,
                                               "hidden_size": 256}, "input_size", None),
    ("pytorch 2-layer bi LSTM + proj, move hidden_size",
     {"framework": "pytorch", "num_layers": 2, "bidirectional": True, "proj_size": 1,
      "hidden_size": 256, "input_size": 100}, "hidden_size", None),
]
OTHER_CONFIGS = [
    ("pytorch 2-layer bi LSTM + proj, move batch",
     {"framework": "pytorch", "num_layers": 2, "bidirectional": True, "proj_size": 64,
      "hidden_size": 256, "input_size": 100}, "batch", [1, 32, 64, 128]),
    ("switch framework keras/pytorch/matlab", {"input_size": 100, "hidden_size": 256},
     "framework", ["pytorch", "matlab", "keras"]),
    ("switch cell lstm/gru/rnn", {"input_size": 100, "hidden_size": 256}, "cell", ["gru", "rnn", "lstm"]),
    ("pytorch proj_size across hidden_size (error shown)",
     {"framework": "pytorch", "input_size": 100, "hidden_size": 256}, "proj_size", [128, 256, 300, 0]),
]


def _ms(seconds: list[float]) -> tuple[float, float]:
    ms = sorted(1000 * s for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95


def _set_from_browser(control, value) -> None:
    """Change a control as a message from the browser does: selections sync their index."""
    if hasattr(control, "options"):
        control.set_state({"index": list(control.options).index(value)})
    else:
        control.set_state({"value": value})
    assert control.value == value


async def browser_updates(configs, n: int) -> tuple[list[tuple[str, float, float]], list[float]]:
    """Per configuration (name, median ms, p95 ms), and every time measured, in seconds."""
    rows, everything = [], []
    for name, initial, control, values in configs:
        ex = explorer(**initial)
        ex._repr_mimebundle_()  # displayed, as in a notebook
        times = []
        for i in range(n):
            value = next(_fresh) if values is None else values[i % len(values)]
            before = ex.views["diagram"].value
            start = time.perf_counter()
            _set_from_browser(ex.controls[control], value)
            times.append(time.perf_counter() - start)
            if values is None:  # a size change: the diagram must show the new size at once
                assert ex.views["diagram"].value != before and f"{value}" in ex.views["diagram"].value
        rows.append((name, *_ms(times)))
        everything += times
    return rows, everything


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="updates per configuration")
    args = parser.parse_args()

    start = time.perf_counter()
    explorer()  # the first explorer: imports and the diagram's SVG template, once per process
    first_ms = 1000 * (time.perf_counter() - start)
    width = 52
    print(f"{'configuration (N = ' + str(args.n) + ' updates each)':<{width}}  median ms   p95 ms")
    worst = 0.0
    for title, configs in (("size changes (diagram redrawn)", SIZE_CONFIGS),
                           ("other changes", OTHER_CONFIGS)):
        rows, times = asyncio.run(browser_updates(configs, args.n))
        for name, median, p95 in rows:
            print(f"  {name:<{width - 2}}  {median:9.2f}  {p95:7.2f}")
        median, p95 = _ms(times)
        print(f"{'all ' + title:<{width}}  {median:9.2f}  {p95:7.2f}")
        worst = max(worst, p95)
    print(f"first explorer of the process (imports, diagram template): {first_ms:.0f} ms, once")
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"worst p95 of an update: {worst:.2f} ms, {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
