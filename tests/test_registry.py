"""The framework registry: every record is complete, and every consumer reads it (never another's answer).

Parametrised over ``lstm_utils.frameworks.REGISTRY``, so a new record is checked the moment it is
registered. The probe of issue 21 registers a record whose counting functions are missing and checks
that counting, shapes and gate order give a clear error, not another framework's answer or a KeyError.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import re
from dataclasses import fields, replace
from math import prod
from pathlib import Path

import pytest

import lstm_utils as lu
from lstm_utils import _validate, count_params, gate_order, output_shapes, param_table
from lstm_utils.counting import KINDS
from lstm_utils.frameworks import REGISTRY, aliases, converter, counted, get, resolve
from lstm_utils.frameworks.base import (
    GATE_ORDER,
    GRU_GATE_ORDER,
    OPTIONS,
    Framework,
    SideFacts,
    lstm_layer,
    tensors_of,
)

ROOT = Path(__file__).parents[1]
RECORDS = list(REGISTRY.values())
SIZES = [(1, 1), (5, 10), (100, 256)]


# --- every record is complete --------------------------------------------------------------------

@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_the_record_module_exports_exactly_its_record(record):
    module = importlib.import_module(f"lstm_utils.frameworks.{record.name}")
    assert module.RECORD is record
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    public = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            public.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            public |= {t.id for t in targets if isinstance(t, ast.Name)}
    # besides its record, a module names only its package layer (tests/test_architecture.py)
    assert {name for name in public if not name.startswith("_")} == {"RECORD", "LAYER"}


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_names_are_canonical(record):
    assert isinstance(record, Framework)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", record.name)
    assert record.title and record.title.strip() == record.title
    assert all(a == a.lower() and a.strip() == a and a for a in record.aliases)


def test_every_spelling_names_one_framework():
    spellings = [s for r in RECORDS for s in (r.name, *r.aliases)]
    assert len(spellings) == len(set(spellings)), "a name or alias is used by two records"
    assert aliases() == {s: r.name for r in RECORDS for s in (r.name, *r.aliases)}
    assert _validate.LAYOUTS == tuple(REGISTRY)
    assert _validate.FRAMEWORKS == counted() == tuple(r.name for r in RECORDS if r.param_rows)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_gates_are_a_permutation_of_the_neutral_roles(record):
    assert sorted(g.role for g in record.lstm_gates) == sorted(GATE_ORDER)
    assert len({g.symbol for g in record.lstm_gates}) == 4
    if record.gru_gates:  # empty: the framework has no GRU
        assert sorted(g.role for g in record.gru_gates) == sorted(GRU_GATE_ORDER)
        assert len({g.symbol for g in record.gru_gates}) == 3
    assert gate_order(record.name) == record.lstm_gates
    assert all(g.name and g.symbol for g in (*record.lstm_gates, *record.gru_gates))


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_side_facts_are_filled_in_and_agree_with_each_other(record):
    side = record.side
    assert isinstance(side, SideFacts)
    for f in fields(SideFacts):
        value = getattr(side, f.name)
        if f.name == "forget_bias_one":
            assert value in (True, False, None)
        else:
            assert value, f"{record.name}: side.{f.name} is empty"
    assert side.gate_activation.lower() in side.activations.lower()
    assert side.state_activation.lower() in side.activations.lower()
    if side.forget_bias_one is not None:  # a framework that initialises its weights names the initialisers
        for init in (side.input_init, side.recurrent_init, side.bias_init):
            assert init in side.initialisation


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
@pytest.mark.parametrize(("n", "m"), SIZES)
def test_lstm_tensors_hold_the_weights_and_one_or_two_bias_vectors(record, n, m):
    tensors = record.lstm_tensors(n, m)
    assert all(isinstance(name, str) and name for name, _ in tensors)
    assert all(all(isinstance(s, int) and s >= 1 for s in shape) for _, shape in tensors)
    assert len({name for name, _ in tensors}) == len(tensors)
    extra = sum(prod(shape) for _, shape in tensors) - 4 * m * (n + m)
    assert extra in (4 * m, 8 * m)                          # one or two bias vectors per gate


@pytest.mark.parametrize("record", [r for r in RECORDS if r.counted], ids=lambda r: r.name)
@pytest.mark.parametrize(("n", "m"), SIZES)
def test_a_counted_framework_agrees_with_itself(record, n, m):
    rows = record.param_rows(lstm_layer(n, m, record.name))
    assert record.lstm_tensors(n, m) == tensors_of(rows)
    assert all(row.framework == record.name and row.kind in KINDS for row in rows)
    assert count_params(n, m, framework=record.name) == sum(row.count for row in rows)
    assert [row.name for row in param_table(n, m, framework=record.name)] == [row.name for row in rows]
    assert callable(record.output_shapes) and record.shapes_note
    shapes = output_shapes(record.name, batch=2, seq_len=3, input_size=n, hidden_size=m,
                           return_sequences=True, return_state=True)
    assert "output" in shapes and all(isinstance(s, tuple) for s in shapes.values())


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_converters_walkers_and_styles_resolve(record):
    assert set(record.converters) <= {"from", "into", "to"}
    for role, target in record.converters.items():
        assert re.fullmatch(r"lstm_utils\.[\w.]+:\w+", target)
        assert callable(resolve(target)) and converter(record.name, role) is resolve(target)
    if record.explain is not None:
        assert callable(resolve(record.explain))
        assert record.model_package and record.model_base and record.model_words and record.total_source
    assert record.shape_style in _validate._SHAPE_STYLES
    assert set(record.options) <= set(OPTIONS)
    assert record.check_layer is None or callable(record.check_layer)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_sources_are_given_and_the_tests_named_exist(record):
    assert record.sources
    for source in record.sources:
        if source.startswith("tests/"):
            assert (ROOT / source).is_file(), source


def test_clipping_switches_are_keyed_by_registry_names():
    pytest.importorskip("torch")
    from lstm_utils.gradients import CLIPPING_SWITCHES

    assert {fw for fw, _, _ in CLIPPING_SWITCHES} <= set(REGISTRY)


def test_a_converter_role_the_framework_lacks_is_named():
    with pytest.raises(ValueError, match=r"Unknown value for role \(the converters of MATLAB\): 'into'"):
        converter("matlab", "into")


# --- the probe of issue 21: one more record, its counting functions missing ----------------------

_FAKE = Framework(
    name="fake", title="Fake", aliases=("fk",),
    lstm_gates=tuple(reversed(REGISTRY["keras"].lstm_gates)), gru_gates=(),
    side=REGISTRY["onnx"].side, lstm_tensors=REGISTRY["onnx"].lstm_tensors,
)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setitem(REGISTRY, "fake", _FAKE)
    return _FAKE


def test_a_record_without_counting_gets_a_clear_error_never_another_answer(fake):
    layer = {"batch": 2, "seq_len": 3, "input_size": 4, "hidden_size": 5}
    expected = r"framework == 'fk': lstm_utils knows Fake's gate order .* does not count or shape"
    with pytest.raises(ValueError, match=expected):
        count_params(4, 5, framework="fk")
    with pytest.raises(ValueError, match=expected):
        param_table(4, 5, framework="fk")
    with pytest.raises(ValueError, match=expected):
        output_shapes("fk", **layer)
    assert gate_order("fk") == fake.lstm_gates                     # its own order, not Keras'
    with pytest.raises(ValueError, match=r"cell='gru' has no Fake layer: its record lists no GRU gates"):
        gate_order("fake", cell="gru")


def test_a_counted_record_without_shapes_gets_a_clear_error(monkeypatch):
    keras = REGISTRY["keras"]
    rows = lambda spec: [replace(r, framework="fake") for r in keras.param_rows(spec)]  # noqa: E731
    monkeypatch.setitem(REGISTRY, "fake", replace(_FAKE, param_rows=rows))
    assert count_params(5, 10, framework="fake") == 640
    assert param_table(5, 10, framework="fake").framework == "fake"
    with pytest.raises(ValueError, match=r"framework == 'fake': the Fake record has no output_shapes"):
        output_shapes("fake", batch=1, seq_len=1, input_size=5, hidden_size=10)
    with pytest.raises(ValueError, match=r"proj_size == 3 applies only to a PyTorch LSTM .*'fake'"):
        count_params(5, 10, framework="fake", proj_size=3)
    with pytest.raises(ValueError, match=r"reset_after=False applies only to a Keras GRU .*'fake'"):
        count_params(5, 10, cell="gru", framework="fake", reset_after=False)


# --- one unknown-framework message from every public function that takes a framework ------------

def _cli(framework: str) -> str:
    from lstm_utils.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["5", "10", "--framework", framework]) == 2
    line = err.getvalue().strip()
    assert line.startswith("lstm-params: error: ")
    raise ValueError(line.removeprefix("lstm-params: error: "))


def _explorer(framework: str) -> None:
    pytest.importorskip("ipywidgets")
    from lstm_utils.widgets import check_explorer_args, explorer

    with pytest.raises(ValueError) as info:
        check_explorer_args({"framework": framework})
    first = str(info.value)
    try:
        explorer(framework=framework)
    except ValueError as exc:
        assert str(exc) == first
        raise


def _weight_layout(framework: str) -> None:
    pytest.importorskip("matplotlib")
    lu.plots.weight_layout(5, 10, framework)


CALLS = {
    "count_params": lambda fw: count_params(5, 10, framework=fw),
    "param_table": lambda fw: param_table(5, 10, framework=fw),
    "output_shapes": lambda fw: output_shapes(fw, batch=1, seq_len=1, input_size=1, hidden_size=1),
    "gate_order": lambda fw: gate_order(fw),
    "gate_order gru": lambda fw: gate_order(fw, cell="gru"),
    "frameworks.get": lambda fw: get(fw),
    "frameworks.converter": lambda fw: converter(fw, "from"),
    "side_by_side[...]": lambda fw: lu.frameworks.side_by_side(5, 10)[fw],
    "side_by_side row[...]": lambda fw: lu.frameworks.side_by_side(5, 10).row("formula")[fw],
    "check_framework": _validate.check_framework,
    "check_layout": _validate.check_layout,
    "format_shape": lambda fw: _validate.format_shape((1, 2), fw),
    "cost.param_bytes": lambda fw: lu.cost.param_bytes(5, 10, framework=fw),
    "plots.weight_layout": _weight_layout,
    "cli --framework": _cli,
    "widgets.explorer": _explorer,
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_an_unknown_framework_gets_the_same_message_everywhere(call):
    expected = f"Unknown value for framework: 'caffe'. Possible values are: {tuple(aliases())}."
    with pytest.raises(ValueError) as info:
        call("caffe")
    assert str(info.value) == expected
    assert str(info.value).startswith("Unknown value for framework: 'caffe'. Possible values are: (")
