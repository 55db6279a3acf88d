"""Benchmark: ``lstm_backward`` against PyTorch autograd on nn.LSTM, batch 32, 100 steps, 100 -> 256, float32.

Run ``python benchmarks/backward.py`` (from the repository's top folder). It times, in the same process
and interleaved (one call of each per round, so a load spike on a shared machine hits both):

* NumPy ``lu.lstm_backward(x, weights, d_outputs, d_h_n=..., d_c_n=...)``: it runs the forward pass
  itself (keeping the gates, c_t, tanh(c_t) and h_t of every step) and then the backward pass, and
  returns the gradients of W, U, b, x, h_0 and c_0;
* PyTorch: ``torch.nn.LSTM`` (same weights, CPU) forward with autograd recording, then
  ``L.backward()`` for ``L = sum(out * d_out) + sum(h_n * d_h_n) + sum(c_n * d_c_n)``, which gives
  the same gradients (x and the initial states have ``requires_grad=True``; the parameters' ``.grad``
  are reset to None before each call).

So both sides include one forward and one backward pass and compute the same six gradients. Each
configuration runs in a fresh subprocess, because the BLAS thread count must be fixed before NumPy is
imported (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``; torch also gets
``torch.set_num_threads``): 1 thread, then 2 threads, for both libraries. The table reports the
median and the fastest of the rounds and the ratio to torch (the NumPy time divided by torch's time
in the same round, median over the rounds), and the largest difference between the two sides'
gradients.

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
    "numpy": "NumPy `lstm_backward` (its forward + backward)",
    "torch": "`torch.nn.LSTM` forward + `backward()` (autograd, CPU)",
}


def run_config(threads: int, rounds: int) -> dict:
    """Time both sides in this process with ``threads`` threads."""
    import numpy as np
    import torch

    import lstm_utils as lu

    torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    weights = lu.LSTMWeights.random(INPUT, HIDDEN, seed=0)
    x = rng.standard_normal((BATCH, STEPS, INPUT), dtype=np.float32)
    d_out = rng.standard_normal((BATCH, STEPS, HIDDEN), dtype=np.float32)
    d_h_n = rng.standard_normal((BATCH, HIDDEN), dtype=np.float32)
    d_c_n = rng.standard_normal((BATCH, HIDDEN), dtype=np.float32)
    module = torch.nn.LSTM(INPUT, HIDDEN, batch_first=True)
    lu.load_into_torch(weights, module)
    x_t, d_out_t = torch.from_numpy(x), torch.from_numpy(d_out)
    d_h_n_t, d_c_n_t = torch.from_numpy(d_h_n), torch.from_numpy(d_c_n)

    def run_numpy():
        dw, dx, (dh0, dc0) = lu.lstm_backward(x, weights, d_out, d_h_n=d_h_n, d_c_n=d_c_n)
        return [dw.W.reshape(4 * HIDDEN, INPUT), dw.U.reshape(4 * HIDDEN, HIDDEN),
                dw.b.reshape(4 * HIDDEN), dx, dh0, dc0]

    def run_torch():
        module.zero_grad(set_to_none=True)
        xg = x_t.clone().requires_grad_(True)
        h0 = torch.zeros(1, BATCH, HIDDEN, requires_grad=True)
        c0 = torch.zeros(1, BATCH, HIDDEN, requires_grad=True)
        out, (h_n, c_n) = module(xg, (h0, c0))
        loss = (out * d_out_t).sum() + (h_n[0] * d_h_n_t).sum() + (c_n[0] * d_c_n_t).sum()
        loss.backward()
        return [module.weight_ih_l0.grad.numpy(), module.weight_hh_l0.grad.numpy(),
                module.bias_ih_l0.grad.numpy(), xg.grad.numpy(), h0.grad[0].numpy(), c0.grad[0].numpy()]

    impls = {"numpy": run_numpy, "torch": run_torch}
    grads = {name: fn() for name, fn in impls.items()}           # warm-up, and the gradients compared
    pairs = list(zip(grads["numpy"], grads["torch"], strict=True))
    diff = max(float(np.max(np.abs(a - b))) for a, b in pairs)
    # relative to the largest entry of each gradient (dW sums 3,200 step-samples, so its entries are large)
    rel = max(float(np.max(np.abs(a - b)) / np.max(np.abs(b))) for a, b in pairs)
    times = {name: [] for name in impls}
    for _ in range(rounds):
        for name, fn in impls.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {
        "threads": threads,
        "median_ms": {k: 1e3 * float(np.median(v)) for k, v in times.items()},
        # ratio to torch within each round (same load), then the median over rounds
        "round_ratio": {
            k: float(np.median(np.array(v) / np.array(times["torch"]))) for k, v in times.items()
        },
        "min_ms": {k: 1e3 * min(v) for k, v in times.items()},
        "max_abs_diff_vs_torch": diff,
        "max_rel_diff_vs_torch": rel,
        "numpy": np.__version__,
        "torch": torch.__version__,
    }


def table(results: list[dict]) -> str:
    """This benchmark's result table (see :func:`_harness.table`)."""
    return _harness.table(results, NAMES)


def main(argv: list[str] | None = None) -> int:
    rounds, results = _harness.run(__file__, __doc__, run_config, DROPPED, [1, 2], argv)
    if not results:                                                  # a child: it printed its JSON
        return 0
    print(f"LSTM forward + backward, batch {BATCH}, {STEPS} steps, {INPUT} -> {HIDDEN}, float32; "
          f"{rounds} interleaved rounds; NumPy {results[0]['numpy']}, torch {results[0]['torch']}")
    print("Both sides: one forward pass and the gradients of W, U, b, x, h_0, c_0 for a loss with given "
          "dL/doutputs, dL/dh_n, dL/dc_n.\n")
    print(table(results))
    worst = max(res["max_abs_diff_vs_torch"] for res in results)
    worst_rel = max(res["max_rel_diff_vs_torch"] for res in results)
    print(f"\nlargest |NumPy - torch| over all gradients: {worst:.2e} "
          f"({worst_rel:.1e} of the largest entry of that gradient, worst case)")
    for res in results:
        print(f"lstm_backward / torch forward+backward, threads {res['threads']}: "
              f"{res['round_ratio']['numpy']:.2f}x (goal <= 2.0x on one thread)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
