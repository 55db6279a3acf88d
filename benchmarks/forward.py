"""Benchmark: the NumPy LSTM forward passes against torch.nn.LSTM, batch 32, 100 steps, 100 -> 256, float32.

Run ``python benchmarks/forward.py`` (from the repository's top folder). It times, in the same process
and interleaved (one call of each per round, so a load spike on a shared machine hits all of them):

* ``lstm_forward``: the package's fast version (fused gates, feature-major states);
* the same fused computation kept batch-major (``h @ Wh``), defined here only to compare layouts;
* ``lstm_forward_per_gate``: the readable version, one product per gate and term;
* ``torch.nn.LSTM`` under ``torch.no_grad()`` on the CPU, loaded with the same weights.

Each configuration runs in a fresh subprocess, because the BLAS thread count must be fixed before
NumPy is imported: once with one thread for both libraries (the fair and steady comparison), once
with the libraries' default threads. The table reports the median and the fastest of the rounds and
the ratio to torch (the time of each implementation divided by torch's time in the same round, median
over the rounds: on a shared machine this cancels most of the load that changes between rounds),
and the largest difference between the NumPy and torch outputs.

As the developers' guide allows, the script drops ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` from
its environment before NumPy is imported (it prints whether it did): they pin OpenBLAS to a kernel
chosen for another CPU. The tests never do this.
"""

from __future__ import annotations

import os

# Before anything imports NumPy (this module imports it only inside run_config).
DROPPED = [
    name for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if os.environ.pop(name, None) is not None
]

import sys  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # _harness.py lies beside this file
import _harness  # noqa: E402

BATCH, STEPS, INPUT, HIDDEN = 32, 100, 100, 256
NAMES = {
    "fast": "NumPy `lstm_forward` (fused, feature-major)",
    "batch_major": "NumPy fused, batch-major (layout compared)",
    "per_gate": "NumPy `lstm_forward_per_gate`",
    "torch": "`torch.nn.LSTM` (no grad, CPU)",
}


def forward_batch_major(x, weights):
    """The fused forward pass with batch-major states (z = xw_t + h @ Wh): the layout not chosen."""
    import numpy as np

    from lstm_utils.gates import GATE_ORDER
    from lstm_utils.reference import _fused

    batch, steps, n = x.shape
    m = weights.hidden_size
    Wx, Wh, bias = _fused(weights, x.dtype)
    # Gates reordered to i, f, o, g: the three sigmoid gates side by side, one slice to finish them.
    order = [GATE_ORDER.index(g) for g in ("input", "forget", "output", "candidate")]
    Wx, Wh, bias = (a.reshape(4, m, -1)[order].reshape(a.shape) for a in (Wx, Wh, bias))
    WxT, WhT = np.ascontiguousarray(Wx.T), np.ascontiguousarray(Wh.T)   # (n, 4m), (m, 4m)
    xw = x.transpose(1, 0, 2).reshape(steps * batch, n) @ WxT           # (time*batch, 4m)
    xw = xw.reshape(steps, batch, 4 * m)
    xw += bias
    out = np.empty((steps, batch, m), dtype=x.dtype)
    h = np.zeros((batch, m), dtype=x.dtype)
    c = np.zeros((batch, m), dtype=x.dtype)
    z = np.empty((batch, 4 * m), dtype=x.dtype)
    tmp = np.empty((batch, m), dtype=x.dtype)
    for t in range(steps):
        np.matmul(h, WhT, out=z)
        z += xw[t]
        np.tanh(z, out=z)
        s = z[:, : 3 * m]
        s *= 0.5
        s += 0.5
        i, f, o, g = z[:, :m], z[:, m : 2 * m], z[:, 2 * m : 3 * m], z[:, 3 * m :]
        c *= f
        np.multiply(i, g, out=tmp)
        c += tmp
        h = out[t]
        np.tanh(c, out=h)
        h *= o
    return np.ascontiguousarray(out.transpose(1, 0, 2)), (h.copy(), c)


def run_config(threads: int | None, rounds: int) -> dict:
    """Time the four implementations in this process; ``threads`` None keeps the libraries' defaults."""
    import numpy as np
    import torch

    import lstm_utils as lu

    if threads is not None:
        torch.set_num_threads(threads)
    weights = lu.LSTMWeights.random(INPUT, HIDDEN, seed=0)
    x = np.random.default_rng(0).standard_normal((BATCH, STEPS, INPUT), dtype=np.float32)
    module = torch.nn.LSTM(INPUT, HIDDEN, batch_first=True)
    lu.load_into_torch(weights, module)
    x_torch = torch.from_numpy(x)

    def run_torch():
        with torch.no_grad():
            return module(x_torch)[0].numpy()

    impls = {
        "fast": lambda: lu.lstm_forward(x, weights)[0],
        "batch_major": lambda: forward_batch_major(x, weights)[0],
        "per_gate": lambda: lu.lstm_forward_per_gate(x, weights)[0],
        "torch": run_torch,
    }
    outputs = {name: fn() for name, fn in impls.items()}          # warm-up, and the outputs compared
    diffs = {name: float(np.max(np.abs(out - outputs["torch"]))) for name, out in outputs.items()}
    times = {name: [] for name in impls}
    for _ in range(rounds):
        for name, fn in impls.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {
        "threads": threads if threads is not None else f"default ({torch.get_num_threads()})",
        "median_ms": {k: 1e3 * float(np.median(v)) for k, v in times.items()},
        # ratio to torch within each round (same load), then the median over rounds
        "round_ratio": {
            k: float(np.median(np.array(v) / np.array(times["torch"]))) for k, v in times.items()
        },
        "min_ms": {k: 1e3 * min(v) for k, v in times.items()},
        "max_abs_diff_vs_torch": diffs,
        "numpy": np.__version__,
        "torch": torch.__version__,
    }


def table(results: list[dict]) -> str:
    """This benchmark's result table (see :func:`_harness.table`)."""
    return _harness.table(results, NAMES)


def main(argv: list[str] | None = None) -> int:
    rounds, results = _harness.run(__file__, __doc__, run_config, DROPPED, [1, None], argv)
    if not results:                                                  # a child: it printed its JSON
        return 0
    print(f"LSTM forward, batch {BATCH}, {STEPS} steps, {INPUT} -> {HIDDEN}, float32; "
          f"{rounds} interleaved rounds; NumPy {results[0]['numpy']}, torch {results[0]['torch']}\n")
    print(table(results))
    worst = max(v for res in results for v in res["max_abs_diff_vs_torch"].values())
    print(f"\nlargest |NumPy - torch| over all outputs: {worst:.2e}")
    for res in results:
        print(f"fast NumPy / torch, threads {res['threads']}: {res['round_ratio']['fast']:.2f}x "
              "(goal <= 2.0x, stretch <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
