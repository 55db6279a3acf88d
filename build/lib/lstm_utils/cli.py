"""Command line: ``python -m lstm_utils INPUT_SIZE HIDDEN_SIZE [options]`` (also ``lstm-params``).

Prints the per-tensor table and the total; ``--json`` prints one JSON object; ``--compare`` prints
every counted framework of the registry (Keras, PyTorch, MATLAB, ...) side by side. ``explain FILE``
explains a saved model's parameter count. ``grading export`` writes the exercise notebooks as an
nbgrader or Otter Assign assignment, a lecturer's command (:mod:`lstm_utils.grading`). Bad input exits
with status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from lstm_utils._table import Column, text_table
from lstm_utils.counting import param_table
from lstm_utils.frameworks import REGISTRY, counted
from lstm_utils.frameworks.base import OPTIONS

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

PROG = "lstm-params"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):  # argparse's hook
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _int_arg(name: str, text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text.strip()):
        raise _UsageError(f"{name} must be a whole number >= 1, got {text!r}")
    return int(text)


def _framework_help() -> str:
    """Every counted framework and its aliases, the first (the default) marked: the --framework help."""
    parts = []
    for k, name in enumerate(counted()):
        words = (["default"] if k == 0 else []) + (
            [f"also {', '.join(REGISTRY[name].aliases)}"] if REGISTRY[name].aliases else [])
        parts.append(f"{name} ({'; '.join(words)})" if words else name)
    return ", ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Count the parameters of an LSTM, GRU or RNN layer stack.",
                epilog="Example: lstm-params 5 10  (Keras LSTM(10) on 5 features: 640). "
                       "Also: lstm-params explain MODEL_FILE; lstm-params grading export --help")
    p.add_argument("input_size", metavar="INPUT_SIZE", help="features per time step (n)")
    p.add_argument("hidden_size", metavar="HIDDEN_SIZE", help="units / hidden size (m)")
    p.add_argument("--cell", default="lstm", help="lstm (default), gru or rnn")
    p.add_argument("--framework", default=counted()[0], help=_framework_help())
    p.add_argument("--layers", default="1", help="number of stacked layers (default 1)")
    p.add_argument("--bidirectional", action="store_true", help="bidirectional layers")
    p.add_argument("--no-bias", dest="bias", action="store_false", help="layers without bias")
    p.add_argument("--proj-size", default="0", help="PyTorch LSTM projection size (default 0)")
    p.add_argument("--reset-after", dest="reset_after", action=argparse.BooleanOptionalAction,
                   default=True, help="Keras GRU: separate recurrent bias (default: on)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--compare", action="store_true",
                   help=", ".join(REGISTRY[fw].title for fw in counted()) + " side by side")
    return p


def _compare(args: dict) -> dict:
    """Totals per framework; an option a framework lacks is dropped or reported, never raised."""
    results = {}
    for fw in counted():
        # an option the framework does not take is set to its "not used" value, not reported
        kw = dict(args, framework=fw) | {k: v for k, v in OPTIONS.items() if k not in REGISTRY[fw].options}
        try:
            table = param_table(**kw)
        except (TypeError, ValueError) as exc:
            results[fw] = {"error": str(exc)}
        else:
            results[fw] = {"total": table.total, "tensors": table.to_dicts()}
    return results


def _compare_table(results: dict) -> str:
    """The --compare table: framework, tensors, total, and a framework's error after its row."""
    columns = [Column("framework", width=10), Column("tensors", right=True),
               Column("total", right=True, width=12), Column("", free=True)]
    rows = [(fw, "-", "n/a", f"({res['error']})") if "error" in res else
            (fw, str(len(res["tensors"])), f"{res['total']:,}", "") for fw, res in results.items()]
    return text_table(columns, rows, rule=False)


def _run(argv: list[str]) -> int:
    if argv and argv[0] == "explain":
        return cli_explain(argv[1:])
    if argv and argv[0] == "grading":
        return cli_grading(argv[1:])
    ns = build_parser().parse_args(argv)
    args = {
        "input_size": _int_arg("INPUT_SIZE", ns.input_size),
        "hidden_size": _int_arg("HIDDEN_SIZE", ns.hidden_size),
        "cell": ns.cell,
        "num_layers": _int_arg("--layers", ns.layers),
        "bidirectional": ns.bidirectional,
        "bias": ns.bias,
        "proj_size": _int_arg("--proj-size", ns.proj_size),
        "reset_after": ns.reset_after,
    }
    if ns.compare:
        param_table(**args, framework=ns.framework)  # reject bad sizes before comparing
        results = _compare(args)
        if ns.json:
            print(json.dumps({"compare": results}))
            return 0
        print(_compare_table(results))
        return 0
    table = param_table(**args, framework=ns.framework)
    if ns.json:
        print(json.dumps({"framework": table.framework, "total": table.total,
                          "tensors": table.to_dicts()}))
    else:
        print(table)
    return 0


# --- command line: python -m lstm_utils explain FILE ---------------------------------------------

class _LoadError(Exception):
    pass


def _file_kind(path: Path) -> str:
    """'keras' for a Keras 3 ``.keras`` file, 'torchscript' for ``torch.jit.save``; else _LoadError."""
    if not path.exists():
        raise _LoadError(f"{path}: no such file")
    if path.is_dir():
        raise _LoadError(f"{path} is a folder; explain needs one file: a Keras .keras file or a "
                         "TorchScript file (torch.jit.save)")
    if not zipfile.is_zipfile(path):
        raise _LoadError(f"{path} is neither a Keras .keras file (model.save('model.keras')) nor a "
                         "TorchScript file (torch.jit.save)")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    if "config.json" in names and "metadata.json" in names:
        return "keras"
    if any(name.endswith("/constants.pkl") or "/code/" in name for name in names):
        return "torchscript"
    if any(name.endswith("/data.pkl") for name in names):
        raise _LoadError(f"{path} was saved with torch.save, which keeps no model code to inspect; "
                         "save a TorchScript file instead: torch.jit.save(torch.jit.script(model), path)")
    raise _LoadError(f"{path} is a zip archive, but neither a Keras .keras file nor a TorchScript file")


def _load(path: Path, kind: str):
    import os
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if kind == "keras":
                os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
                import keras

                return keras.saving.load_model(path, safe_mode=True)
            import torch

            return torch.jit.load(str(path), map_location="cpu")
        except Exception as exc:  # any failure to load becomes one clear line
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            what = "a Keras model (safe mode)" if kind == "keras" else "a TorchScript module"
            raise _LoadError(f"{path} did not load as {what}: {type(exc).__name__}: {first}") from None


def cli_explain(argv: list[str]) -> int:
    """``lstm-params explain FILE``: print :func:`explain` of a saved model; 0 ok, 2 on an error.

    FILE is a Keras ``.keras`` file (loaded with ``safe_mode=True``) or a TorchScript file
    (``torch.jit.save``). Anything else, or a file that does not load, gets one line on stderr.
    """
    from lstm_utils.explaining import explain  # Keras or PyTorch: loaded only for this command

    usage = f"usage: {PROG} explain MODEL_FILE   (a Keras .keras file or a TorchScript file)"
    if argv in (["-h"], ["--help"]):
        print(usage)
        return 0
    try:
        if len(argv) != 1 or argv[0].startswith("-"):
            raise _LoadError(f"explain takes one model file, got {argv!r}; {usage}")
        path = Path(argv[0])
        model = _load(path, _file_kind(path))
        text = str(explain(model))
    except (_LoadError, TypeError, ValueError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    print(text)
    return 0


# --- command line: lstm-params grading export ... ---------------------------------------------------

def _grading_parser() -> argparse.ArgumentParser:
    from lstm_utils.grading import DEFAULT_NAME, INSTALL, TARGETS

    p = _Parser(prog=f"{PROG} grading", description="Class grading: export the exercise notebooks as "
                "an nbgrader assignment (a JupyterHub course) or as Otter Assign notebooks (Gradescope, "
                "Canvas).",
                epilog=f"Needs nbgrader and Otter-Grader only for --build and for grading: {INSTALL}")
    commands = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    e = commands.add_parser(
        "export", help="write the assignment", description="Write the exercise notebooks as an assignment: "
        "one exercise, one point; one coding lab, two (all hidden cases must pass); hidden tests that "
        "compute the answers from lstm_utils, not from the student's checker.",
        epilog="Example: lstm-params grading export --target nbgrader --notebooks E1,E2 --out course; "
               "then: cd course && nbgrader generate_assignment lstm-exercises")
    e.add_argument("--target", required=True, choices=TARGETS, help="nbgrader or otter (Otter Assign)")
    e.add_argument("--notebooks", required=True, help="exercise notebooks: E1,E2 (or 1,2 or 01_counting)")
    e.add_argument("--exercises", help="keep only these exercise ids, comma-separated (default: all)")
    e.add_argument("--out", required=True, help="folder to write (an nbgrader course directory, or one "
                   "folder per notebook for otter)")
    e.add_argument("--name", default=DEFAULT_NAME,
                   help=f"nbgrader's assignment name (default {DEFAULT_NAME})")
    e.add_argument("--build", action="store_true",
                   help="also run nbgrader generate_assignment / otter assign on the export")
    return p


def cli_grading(argv: list[str]) -> int:
    """``lstm-params grading export ...``: write an nbgrader or Otter assignment; 0 ok, 2 on an error."""
    from lstm_utils import grading

    try:
        ns = _grading_parser().parse_args(argv)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except _UsageError as exc:
        print(f"{PROG} grading: error: {exc}", file=sys.stderr)
        return 2
    try:
        notebooks = grading.resolve_notebooks(ns.notebooks)
        exercises = {w.strip() for w in ns.exercises.split(",")} if ns.exercises else None
        written = grading.export(ns.target, notebooks, ns.out, exercises=exercises, name=ns.name)
        commands = grading.build(ns.target, ns.out, ns.name, notebooks) if ns.build else []
    except (ValueError, ImportError) as exc:
        print(f"{PROG} grading: error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"{PROG} grading: error: {' '.join(exc.cmd[1:])} failed: "
              f"{(exc.stderr or '').strip().splitlines()[-1:]}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    for command in commands:
        print(f"ran {' '.join(['python', *command[1:]])}")
    if not ns.build:
        print("next: " + (f"cd {ns.out} && nbgrader generate_assignment {ns.name}" if ns.target == "nbgrader"
                          else " ; ".join(f"otter assign {p} {p.parent / 'dist'}" for p in written
                                          if p.suffix == ".ipynb")))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 bad input)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        return _run(argv)
    except (_UsageError, TypeError, ValueError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
