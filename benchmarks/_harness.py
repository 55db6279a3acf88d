"""What the interleaved benchmarks share: one thread setting per fresh interpreter, and the result table.

``forward.py`` and ``backward.py`` each time their implementations against torch in rounds; every
thread setting runs in a child process started with the BLAS thread variables set (a library reads
them once, when it loads), and the parent prints one Markdown table of all settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

#: The variables the BLAS libraries read their thread count from.
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def child(script: str, threads: int | None, rounds: int) -> dict:
    """Run ``script --child`` in a fresh interpreter with its thread variables set (None: defaults)."""
    env = dict(os.environ)
    for var in THREAD_VARS:
        if threads is None:
            env.pop(var, None)
        else:
            env[var] = str(threads)
    cmd = [sys.executable, script, "--child", "--rounds", str(rounds)]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: list[dict], names: dict[str, str]) -> str:
    """A Markdown table: per thread setting and implementation, median and fastest ms and the ratio."""
    lines = [
        "| implementation | threads | median ms | fastest ms | time / torch |",
        "|---|---|---:|---:|---:|",
    ]
    for res in results:
        for key, label in names.items():
            med, low, ratio = res["median_ms"][key], res["min_ms"][key], res["round_ratio"][key]
            lines.append(f"| {label} | {res['threads']} | {med:.1f} | {low:.1f} | {ratio:.2f}x |")
    return "\n".join(lines)


def run(script: str, doc: str, run_config, dropped: list[str], default_threads: list[int | None],
        argv: list[str] | None = None) -> tuple[int, list[dict]]:
    """The command line both benchmarks share: ``--rounds``, ``--threads`` and the hidden ``--child``.

    In a child, print ``run_config(threads, rounds)`` as JSON and return ``(rounds, [])``; in the parent,
    say whether the OpenBLAS variables were dropped, run every thread setting (``default_threads``
    unless ``--threads`` is given) in a fresh interpreter and return ``(rounds, results)``.
    """
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per implementation (15)")
    parser.add_argument("--threads", type=int, default=None,
                        help=f"run only this thread count (default: {default_threads}, None = the defaults)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_config(args.threads, args.rounds)))
        return args.rounds, []
    if dropped:
        print(f"dropped {', '.join(dropped)} from the environment before importing NumPy")
    else:
        print("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE were not set: nothing dropped")
    configs = [args.threads] if args.threads is not None else default_threads
    return args.rounds, [child(script, threads, args.rounds) for threads in configs]
