"""The command line: tables against golden files, JSON, --compare, and one-line errors with exit 2.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_cli.py``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_utils.cli import main

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("keras_5_10", ["5", "10"]),
        ("pytorch_3_12_six_layers", ["3", "12", "--framework", "pytorch", "--layers", "6"]),
        ("pytorch_100_256_bi_proj", ["100", "256", "--framework", "torch", "--layers", "2",
                                     "--bidirectional", "--proj-size", "64"]),
        ("matlab_100_256", ["100", "256", "--framework", "matlab"]),
        ("flax_100_256", ["100", "256", "--framework", "flax"]),
        ("flax_2_3_gru_bi_two_layers", ["2", "3", "--framework", "jax", "--cell", "gru", "--layers", "2",
                                        "--bidirectional"]),
        ("compare_100_256", ["100", "256", "--compare"]),
        ("compare_gru_no_reset_after", ["2", "3", "--cell", "gru", "--no-reset-after", "--compare"]),
    ],
)
def test_golden_output(name, argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    path = GOLDEN / f"{name}.out"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out)
    assert out == path.read_text()


def test_json_has_total_and_tensors(capsys):
    assert main(["100", "256", "--framework", "pytorch", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 366_592
    assert [t["name"] for t in data["tensors"]] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
                                                    "bias_hh_l0"]
    assert data["tensors"][0]["shape"] == [1024, 100]


def test_compare_json_reports_frameworks_that_lack_an_option(capsys):
    assert main(["100", "256", "--cell", "rnn", "--compare", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["compare"]
    assert data["keras"]["total"] == 256 * 356 + 256
    assert data["pytorch"]["total"] == 256 * 356 + 2 * 256
    assert "no MATLAB layer" in data["matlab"]["error"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["0", "10"], "input_size == 0, must be an int >= 1"),
        (["5", "2.5"], "HIDDEN_SIZE must be a whole number >= 1, got '2.5'"),
        (["5", "10", "--framework", "kears"], "Did you mean 'keras'?"),
        (["5", "10", "--cell", "lstn"], "Unknown value for cell: 'lstn'"),
        (["5", "10", "--layers", "0"], "num_layers == 0, must be an int >= 1"),
        (["5", "10", "--proj-size", "3"], "proj_size == 3 applies only to a PyTorch LSTM"),
        (["5"], "the following arguments are required: HIDDEN_SIZE"),
        (["5", "10", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, message):
    proc = subprocess.run([sys.executable, "-m", "lstm_utils", *argv], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lstm-params: error: "), proc.stderr
    assert message in lines[0]


def test_installed_script_runs():
    script = Path(sys.executable).with_name("lstm-params")
    proc = subprocess.run([str(script), "2", "3"], capture_output=True, text=True, check=True)
    assert proc.stdout.splitlines()[-1] == "total: 72 parameters (keras LSTM 2 -> 3)"
