"""How long one update of the explorer takes: median and 95th percentile over N changes per configuration.

A change is made the way a browser makes it (``control.set_state({"value": v})``, inside a running event
loop, as in a Jupyter kernel), so the time is what a learner waits for the numbers, table, shapes and
charts to refresh. The cell diagram (matplotlib) is redrawn after the slider rests; its drawing time
is measured separately, and so is a programmatic size change, which draws the diagram at once.

What is not included: no front end is attached here, so sending the new values to the browser and
the browser's redraw are not timed (notebook 12 times the same path inside a Jupyter kernel, with
its comm messages).

Usage: ``python benchmarks/explorer.py [--n 60]``. The budget is 50 ms per update.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from lstm_utils.widgets import explorer

BUDGET_MS = 50.0

# name, starting values, the control that changes, the values it cycles through
CONFIGS = [
    ("keras LSTM 100->256, move hidden_size", {"input_size": 100, "hidden_size": 256},
     "hidden_size", [256, 257, 300, 512, 128]),
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


async def browser_updates(n: int) -> list[tuple[str, float, float]]:
    rows = []
    for name, initial, control, values in CONFIGS:
        ex = explorer(**initial)
        ex._repr_mimebundle_()  # displayed, as in a notebook: the diagram is live
        times = []
        for i in range(n):
            value = values[i % len(values)]
            start = time.perf_counter()
            _set_from_browser(ex.controls[control], value)
            times.append(time.perf_counter() - start)
        if ex._diagram_timer is not None:  # the redraw still waiting for the slider to rest
            ex._diagram_timer.cancel()
        rows.append((name, *_ms(times)))
    return rows


def diagram_draws(n: int) -> tuple[float, float]:
    """Programmatic size changes: the update plus the diagram, drawn at once."""
    ex = explorer(input_size=100, hidden_size=256)
    ex._repr_mimebundle_()
    times = []
    for i in range(n):
        start = time.perf_counter()
        ex.controls["hidden_size"].value = 200 + i  # a new size every time: no cached drawing
        times.append(time.perf_counter() - start)
    return _ms(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="updates per configuration")
    args = parser.parse_args()

    explorer()._repr_mimebundle_()  # warm-up: imports, first diagram
    rows = asyncio.run(browser_updates(args.n))
    width = max(len(r[0]) for r in rows)
    print(f"{'configuration (N = ' + str(args.n) + ' updates each)':<{width}}  median ms   p95 ms")
    for name, median, p95 in rows:
        print(f"{name:<{width}}  {median:9.2f}  {p95:7.2f}")
    median, p95 = diagram_draws(max(5, args.n // 6))
    print(f"{'size change with the diagram drawn at once':<{width}}  {median:9.2f}  {p95:7.2f}")
    worst = max(p95 for _, _, p95 in rows)
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"worst p95 of a browser update: {worst:.2f} ms, {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
