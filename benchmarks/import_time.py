"""How long ``import lstm_utils`` takes in a fresh interpreter, and which heavy modules it loads.

Run ``python benchmarks/import_time.py [--runs 15]`` from the repository's top folder. Each run starts a
new Python process that imports the package and nothing else, times the import with
``time.perf_counter``, calls ``lstm_utils.count_params(5, 10)`` (which needs no framework) and reports
which of numpy, torch, tensorflow, keras and matplotlib are then in ``sys.modules``. The script prints
the median, the fastest and the slowest import over the runs and the heavy modules seen in any run.

The goal is an import fast enough not to be noticed (well under 0.3 s on the 2-core course machine) that
loads none of the heavy modules: they are imported lazily, by the submodules and functions that need
them (``_LAZY`` and ``_SUBMODULES`` in ``lstm_utils/__init__.py``). The unit test
(``tests/test_project.py``) checks only the second half, which does not depend on the machine's load.

Like ``benchmarks/forward.py``, the script drops ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` from the
environment of its child processes (it prints whether it did); they only matter once NumPy is loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

HEAVY = ("numpy", "torch", "tensorflow", "keras", "matplotlib")

CHILD = """
import json, sys, time
start = time.perf_counter()
import lstm_utils
elapsed = time.perf_counter() - start
assert lstm_utils.count_params(5, 10) == 640
print(json.dumps({"seconds": elapsed, "heavy": [m for m in HEAVY if m in sys.modules]}))
"""


def child_env() -> tuple[dict[str, str], list[str]]:
    """The environment of one run: ours without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE."""
    env = dict(os.environ)
    dropped = [name for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if env.pop(name, None) is not None]
    return env, dropped


def measure(runs: int = 15) -> dict:
    """Import ``lstm_utils`` in ``runs`` fresh interpreters; return the times in ms and the heavy modules."""
    env, dropped = child_env()
    code = f"HEAVY = {HEAVY!r}\n" + CHILD
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env=env)
        results.append(json.loads(out.stdout))
    ms = [1000 * r["seconds"] for r in results]
    return {
        "runs": runs,
        "median_ms": statistics.median(ms),
        "fastest_ms": min(ms),
        "slowest_ms": max(ms),
        "heavy": sorted({m for r in results for m in r["heavy"]}),
        "dropped": dropped,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters to time (default 15)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    r = measure(args.runs)
    if r["dropped"]:
        print("dropped from the child processes' environment:", ", ".join(r["dropped"]))
    else:
        print("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE were not set: nothing dropped")
    print(f"import lstm_utils, {r['runs']} fresh interpreters: median {r['median_ms']:.1f} ms, "
          f"fastest {r['fastest_ms']:.1f} ms, slowest {r['slowest_ms']:.1f} ms")
    print("heavy modules loaded:", ", ".join(r["heavy"]) if r["heavy"] else "none of " + ", ".join(HEAVY))


if __name__ == "__main__":
    main()
