"""Exercise registry and check(): answers computed from the core, equivalent forms, never raising."""

import ast
import importlib
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lstm_utils as lu
from lstm_utils import exercises as ex

ROOT = Path(__file__).resolve().parents[1]
ALL = ex.catalogue()
IDS = [e.id for e in ALL]


# --- the registry ------------------------------------------------------------------------------------

#: The exercise notebooks in course order, and the least number of exercises each must have.
MINIMUM = {"01_counting": 8, "02_shapes_and_gates": 8, "03_conversions_and_mistakes": 8,
           "04_how_the_lstm_learns": 8, "05_variable_length_sequences": 4, "06_lstm_variants": 5,
           "08_language_model": 6}


def test_the_exercise_notebooks_in_course_order_with_enough_exercises():
    assert list(ex.NOTEBOOKS) == list(MINIMUM)
    for notebook, least in MINIMUM.items():
        assert len(ex.catalogue(notebook)) >= least, notebook
    assert [e.number for e in ex.catalogue("06_lstm_variants")][:2] == ["6.1", "6.2"]
    assert [e.number for e in ex.catalogue("08_language_model")][:2] == ["8.1", "8.2"]  # 07: the labs


def test_at_least_twenty_exercises_with_planning_data():
    assert len(ALL) >= sum(MINIMUM.values()) >= 20 and len(set(IDS)) == len(IDS)
    for e in ALL:
        assert e.notebook in ex.NOTEBOOKS and e.difficulty in ex.DIFFICULTIES, e
        assert 1 <= e.minutes <= 15 and e.hint.startswith("see ") and e.question, e
        assert (e.tolerance > 0) == (e.kind == "number") and e.tolerance < 0.1, e
    topics = {e.topic for e in ALL}
    assert {"counting", "shapes", "gate order", "framework conversions", "misconceptions", "gradients",
            "backpropagation through time", "masking", "packing", "padding cost", "variants",
            "bits per character", "sampling"} <= topics
    assert ALL.total_minutes == sum(e.minutes for e in ALL)


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_the_computed_answer_is_accepted(exercise):
    feedback = ex.check(exercise.id, exercise.compute())
    assert feedback.ok is True and feedback.status == "correct", feedback


def test_catalogue_prints_and_filters():
    text = str(ALL)
    assert text.splitlines()[0].split() == list(ex.Catalogue.fields)
    assert text.endswith(f"{len(ALL)} exercises, about {ALL.total_minutes} minutes")
    assert "<td>count-one-gate</td>" in ALL._repr_html_()
    counting = ex.catalogue("01_counting")
    assert {e.notebook for e in counting} == {"01_counting"}
    assert [e.number for e in counting][:2] == ["1.1", "1.2"]
    with pytest.raises(ValueError, match="Unknown value for notebook: '01'"):
        ex.catalogue("01")


def test_unknown_exercise_id_names_it_and_the_closest():
    with pytest.raises(ValueError, match=r"Unknown value for exercise_id: 'count-one-gat'\..*"
                                         r"Did you mean 'count-one-gate'\?"):
        ex.check("count-one-gat", 160)


# --- answers against the real frameworks (the trusted reference) -------------------------------------

def test_counting_answers_match_real_pytorch_layers():
    torch = pytest.importorskip("torch")

    def n_params(module):
        return sum(p.numel() for p in module.parameters())

    def answer(exercise_id):
        return ex.get(exercise_id, reveal=True).expected

    assert answer("count-stacked-pytorch") == n_params(torch.nn.LSTM(300, 512, num_layers=2))
    assert answer("count-projection") == n_params(torch.nn.LSTM(100, 256, proj_size=64))
    assert answer("count-pytorch-13x5-10") == n_params(torch.nn.LSTM(5, 10))
    layer = torch.nn.LSTM(100, 256)
    assert ex.get("shape-pytorch-weight-hh", reveal=True).expected == tuple(layer.weight_hh_l0.shape)
    forget = slice(*ex.get("gates-forget-rows", reveal=True).expected)
    assert layer.weight_ih_l0[forget].shape == (256, 100)


def test_counting_answers_match_real_keras_models():
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4),
                              keras.layers.Dense(2, activation="sigmoid")])
    assert ex.get("count-small-model", reveal=True).expected == model.count_params()
    gru = keras.Sequential([keras.Input((None, 32)), keras.layers.GRU(64)])
    assert ex.get("count-gru-keras", reveal=True).expected == gru.count_params()
    bi = keras.Sequential([keras.Input((None, 16)), keras.layers.Bidirectional(keras.layers.LSTM(32))])
    assert ex.get("count-bidirectional-keras", reveal=True).expected == bi.count_params()
    lstm = keras.layers.LSTM(10)
    lstm.build((None, 13, 5))
    assert ex.get("mistake-tensors-not-numbers", reveal=True).expected == len(lstm.weights)
    assert ex.get("shape-keras-kernel", reveal=True).expected == (100, 1024)  # kernel (n, 4m), counted above
    forget = lstm.cell.bias.numpy()[10:20]  # Keras order i, f, c, o: the second block of 10
    assert (forget == ex.get("mistake-forget-bias-init", reveal=True).expected).all()

    # Where the kernel goes: PyTorch's weight_ih_l0 holds it transposed, the gate blocks in place.
    torch = pytest.importorskip("torch")
    from lstm_utils.exercises import bank_03_conversions_and_mistakes as bank3

    big = keras.layers.LSTM(256)
    big.build((None, None, 100))
    letter = ex.get("convert-kernel-to-pytorch", reveal=True).expected
    name, transposed, reordered = bank3.KERNEL_OPTIONS[letter]
    weight = getattr(torch.nn.LSTM(100, 256), name)
    assert tuple(weight.shape) == tuple(big.cell.kernel.shape)[::-1] and transposed and not reordered


def test_conceptual_pytorch_answers():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    x = torch.randn(2, 5, 4)

    # Two biases into one: moving bias_hh into bias_ih (their sum) leaves the output unchanged.
    layer = torch.nn.LSTM(4, 3, batch_first=True)
    out, _ = layer(x)
    with torch.no_grad():
        layer.bias_ih_l0 += layer.bias_hh_l0
        layer.bias_hh_l0.zero_()
    assert torch.allclose(layer(x)[0], out, atol=1e-6)
    assert ex.check("convert-biases-to-keras", "sum").ok

    from lstm_utils.exercises import bank_03_conversions_and_mistakes as bank3

    # dropout with one layer: a warning, and no effect in training mode (the option "between stacked
    # layers, so nothing here"); with two layers it does act.
    with pytest.warns(UserWarning, match="num_layers greater than 1"):
        dropped = torch.nn.LSTM(4, 3, num_layers=1, dropout=0.5, batch_first=True)
    dropped.train()
    assert torch.equal(dropped(x)[0], dropped(x)[0])
    stacked = torch.nn.LSTM(4, 3, num_layers=2, dropout=0.5, batch_first=True).train()
    assert not torch.equal(stacked(x)[0], stacked(x)[0])
    said = bank3.DROPOUT_OPTIONS[ex.get("mistake-dropout-one-layer", reveal=True).expected]
    assert said == bank3.PYTORCH_DROPOUT == "between stacked layers"

    # output[:, -1] vs the final states of a bidirectional layer: the steps holding h_n[0] and h_n[1].
    bi = torch.nn.LSTM(4, 3, bidirectional=True, batch_first=True)
    out, (h_n, _) = bi(x)
    steps = tuple(next(t for t in (-1, 0) if torch.allclose(out[:, t, half], h_n[k]))
                  for k, half in enumerate((slice(0, 3), slice(3, 6))))
    assert not torch.allclose(out[:, -1], torch.cat([h_n[0], h_n[1]], dim=1))
    assert bank3.LAST_STEP_OPTIONS[ex.get("mistake-bidirectional-last-step", reveal=True).expected] == steps

    # batch_first changes output, not h_n: its axes are (layers, batch, hidden).
    deep = torch.nn.LSTM(3, 12, num_layers=6, batch_first=True)
    _, (h_deep, _) = deep(torch.zeros(64, 3, 3))
    axes = dict(zip((6, 64, 12), ("layers", "batch", "hidden"), strict=True))
    assert bank3.H_N_OPTIONS[ex.get("mistake-batch-first-hn", reveal=True).expected] == tuple(
        axes[size] for size in h_deep.shape)


def test_conceptual_answers_of_exercises_4_and_5_in_pytorch():
    torch = pytest.importorskip("torch")
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    from lstm_utils.exercises import bank_05_variable_length_sequences as bank5

    torch.manual_seed(0)
    # The forget-gate bias of a fresh nn.LSTM is near 0 (two biases uniform in +-1/sqrt(m)).
    m = 10
    layer = torch.nn.LSTM(5, m)
    b_f = (layer.bias_ih_l0 + layer.bias_hh_l0)[m:2 * m]
    assert b_f.abs().max() <= 2 / m ** 0.5
    assert ex.get("learn-forget-bias-framework", reveal=True).expected == "pytorch"

    # Truncated BPTT with detach(): the gradient of a last-step loss reaches the last chunk only.
    lstm = torch.nn.LSTM(2, 4, batch_first=True).double()
    x = torch.randn(1, 100, 2, dtype=torch.float64, requires_grad=True)
    state = None
    for start in range(0, 100, 20):
        out, (h, c) = lstm(x[:, start : start + 20], state)
        state = (h.detach(), c.detach())
    out[:, -1].sum().backward()
    norms = x.grad[0].norm(dim=1)
    assert bool(norms[100 - 30 - 1] == 0)
    assert ex.get("learn-truncated-zero", reveal=True).expected == "a"  # (a) yes, exactly zero
    assert ex.get("learn-truncated-reach", reveal=True).expected == int((norms > 0).sum())

    # Packing: batch_sizes, the rows of data, and where the backward direction's h_n sits.
    lengths = list(bank5.LENGTHS)
    padded = torch.zeros(len(lengths), max(lengths), 3)
    for b, length in enumerate(lengths):
        padded[b, :length] = torch.randn(length, 3)
    packed = pack_padded_sequence(padded, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    assert ex.get("packed-batch-sizes", reveal=True).expected == tuple(packed.batch_sizes.tolist())
    assert ex.get("packed-data-rows", reveal=True).expected == packed.data.shape[0]
    bi = torch.nn.LSTM(3, 5, batch_first=True, bidirectional=True)
    with torch.no_grad():
        out, (h_n, _) = bi(packed)
    out, _ = pad_packed_sequence(out, batch_first=True)
    b = lengths.index(4)
    steps = [t for t in range(max(lengths)) if torch.equal(out[b, t, 5:], h_n[1][b])]
    assert steps == [ex.get("packed-backward-final-step", reveal=True).expected]


def test_conceptual_answers_of_exercise_5_in_keras():
    keras = pytest.importorskip("keras")
    np = pytest.importorskip("numpy")
    import inspect

    assert inspect.signature(keras.utils.pad_sequences).parameters["padding"].default == "pre"
    assert keras.utils.pad_sequences([[3, 1], [5, 9, 2]])[0].tolist() == [0, 3, 1]
    assert ex.get("pad-sequences-default", reveal=True).expected == "pre"

    def n_params(*layers):
        return keras.Sequential([keras.Input((None, 8)), *layers]).count_params()

    changed = n_params(keras.layers.Masking(0.0), keras.layers.LSTM(64)) != n_params(keras.layers.LSTM(64))
    assert changed is False
    assert ex.get("masking-parameter-count", reveal=True).expected == "b"  # (b) no: Masking has no weights

    embedding = keras.layers.Embedding(10_000 + 1, 128, mask_zero=True)
    embedding.build((None, None))
    assert ex.get("mask-zero-embedding", reveal=True).expected == embedding.input_dim
    assert ex.get("mask-zero-embedding-params", reveal=True).expected == embedding.count_params()

    x = np.zeros((1, 7, 2), np.float32)
    x[0, :3] = np.random.default_rng(0).normal(size=(3, 2))
    masked = keras.Sequential([keras.Input((7, 2)), keras.layers.Masking(0.0),
                               keras.layers.LSTM(4, return_sequences=True)])
    out = np.asarray(masked(x))
    assert np.allclose(out[0, 3:], out[0, 2]) and not np.allclose(out[0, 3:], 0)
    assert ex.get("keras-masked-output", reveal=True).expected == "last output"


def test_variant_answers_match_pytorch_and_the_paper():
    torch = pytest.importorskip("torch")
    # Sutskever et al.'s two 4-layer LSTMs, built on the meta device, counted with one bias per gate,
    # plus Graves's three peephole vectors of 1000 per layer (PyTorch's LSTM has none).
    lstm = torch.nn.LSTM(1000, 1000, num_layers=4, device="meta")
    one_bias = sum(p.numel() for name, p in lstm.named_parameters() if "bias_hh" not in name)
    peepholes = 4 * 3 * 1000
    assert ex.get("variant-sutskever-2014", reveal=True).expected == 2 * (one_bias + peepholes)
    assert round(2 * (one_bias + peepholes), -6) == 64_000_000          # the paper's "64M"
    assert ex.get("variant-np-100-256", reveal=True).expected == lu.count_params(100, 256)


def test_the_numbers_quoted_in_explanations_are_computed():
    """A few explanations of exercises 5 and 6 quote derived numbers: each is recomputed here."""
    from lstm_utils import cost, variants

    def says(exercise_id, *numbers):
        text = ex.get(exercise_id).explanation
        for number in numbers:
            assert f"{number:,}" in text, (exercise_id, number)

    step = cost.matmul_macs(16, 32)
    says("padding-macs-in-order", step, cost.padding_macs([12, 3, 10, 5], 16, 32, batch_size=2) // step)
    says("padding-macs-sorted", step, cost.padding_macs([3, 5, 10, 12], 16, 32, batch_size=2) // step)
    recurrence = variants.count_params(100, 256, "FGR") - variants.count_params(100, 256, "V")
    says("variant-fgr-100-256", recurrence)
    assert recurrence > variants.count_params(100, 256, "V")                  # "more than all of V"
    says("variant-sutskever-2014", variants.count_params(1000, 1000, "V"),
         variants.count_params(1000, 1000, "V", num_layers=4),
         ex.get("variant-sutskever-2014", reveal=True).expected)
    says("mask-zero-embedding", ex.get("mask-zero-embedding", reveal=True).expected)
    params = ex.get("mask-zero-embedding-params", reveal=True).expected
    says("mask-zero-embedding-params", 10_000 + 1, params // (10_000 + 1))


# --- the examples of the answer formats answer no exercise -------------------------------------------

EXERCISE_NOTEBOOKS = sorted((ROOT / "notebooks" / "exercises").glob("[0-9][0-9]_*.ipynb"))
#: The nodes of a Python value a notebook may show as an example answer: literals and arithmetic.
_VALUE_NODES = (ast.Expression, ast.Constant, ast.Tuple, ast.List, ast.Load, ast.BinOp, ast.UnaryOp,
                ast.operator, ast.unaryop)


def _value(code: str) -> tuple[bool, object]:
    """(True, the value) of an inline-code example like `"12,345"`, `(12, 34)` or `answer = 2 * (3 + 4)`;
    (False, None) for code that is not a value (`lu.exercises.check`, `None`)."""
    code = re.sub(r"^answer\s*=\s*", "", code.strip())
    try:
        tree = ast.parse(code, mode="eval")
    except SyntaxError:
        return False, None
    if not all(isinstance(node, _VALUE_NODES) for node in ast.walk(tree)):
        return False, None
    value = eval(compile(tree, "<example>", "eval"), {"__builtins__": {}})  # literals and arithmetic only
    return value is not None, value


def _shown_examples(path: Path) -> list[object]:
    """The example answers a notebook's markdown shows: the inline code of its "How the checks work"
    cell, and the inline code after "for example" or "e.g." in any cell, read as Python values.

    True and False are left out: a yes/no has only these two values, which the cell names as its form.
    """
    cells = _markdown(path)
    (how,) = [c for c in cells if c.startswith("## How the checks work")]
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", how, flags=re.S))
    for cell in cells:
        spans += re.findall(r"(?:for example|e\.g\.),?\s+`([^`\n]+)`", cell)
    values = [value for ok, value in map(_value, spans) if ok]
    return [v for v in values if not isinstance(v, bool)]


def _accepted(examples) -> list[tuple[object, str, str]]:
    """(example, number, id) for every exercise of every bank that accepts an example as its answer."""
    return [(example, e.number, e.id) for example in examples for e in ALL if ex.check(e.id, example).ok]


def test_the_format_examples_are_read_by_their_kind_and_answer_no_exercise():
    from lstm_utils.exercises.answers import FORMATS, as_word

    read = {"count": ex.as_count, "number": ex.as_number, "shape": ex.as_shape, "gates": ex.as_gates,
            "bool": ex.as_bool, "word": as_word}
    assert [f.kind for f in FORMATS] == list(read) and {e.kind for e in ALL} <= set(read)
    for f in FORMATS:
        for example in f.examples:
            read[f.kind](example)                       # the form is one its parser reads
    examples = [example for f in FORMATS for example in f.examples]
    assert len(examples) >= 10 and _accepted(examples) == []
    assert str(ex.formats()).splitlines()[2].startswith("whole number")


def _values(exercise) -> list:
    """The exercise's answer and its traps' values, in normal form."""
    traps = exercise.traps() if exercise.traps else {}
    return [exercise.answer(), *(exercise.normalise(value) for value in traps)]


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_no_format_example_of_its_kind_is_the_answer_or_a_trap(exercise):
    """For every format example of the exercise's kind: its normal form is neither the answer nor a
    typical wrong answer, and for a number not within the tolerance of one, nor one rounded to the
    example's digits."""
    from lstm_utils.exercises.answers import FORMATS, Unreadable

    (kind,) = [f for f in FORMATS if f.kind == exercise.kind]
    for example in kind.examples:
        try:
            given = exercise.normalise(example)
        except Unreadable:                                  # "Output, Input" for a GRU: not an answer
            continue
        for value in _values(exercise):
            assert given != value, (example, value)
            if exercise.kind == "number":
                assert not math.isclose(given, value, rel_tol=max(exercise.tolerance, 1e-9)), (example, value)
                assert not given.round_to(value), (example, value)
        assert exercise.agrees(given, exercise.answer()) is False, example


@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS, ids=[p.stem for p in EXERCISE_NOTEBOOKS])
def test_no_example_a_notebook_shows_answers_an_exercise(path):
    """Every example answer an exercise notebook shows, checked against every exercise of every bank."""
    examples = _shown_examples(path)
    if "lu.exercises.formats()" in _code(path):
        from lstm_utils.exercises.answers import FORMATS

        examples += [example for f in FORMATS for example in f.examples]
    accepted = _accepted(examples)
    assert examples and not accepted, f"(example, exercise number, id) that answer an exercise: {accepted}"


# --- reading answers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [0.16667, "0.1667", "1/6", " 1 / 6 ", "1.667e-1", "1.667 × 10^-1",
                                    "1.667*10**-1", "16.67e-2", "+0.1667"])
def test_equivalent_numbers(answer):
    assert ex.check("learn-adding-trivial-error", answer).ok is True


def test_numbers_within_the_tolerance_and_their_traps():
    np = pytest.importorskip("numpy")
    from fractions import Fraction

    assert ex.check("learn-forget-bias-one-50", "1.6e-7").ok                # two significant figures
    assert ex.check("learn-forget-bias-one-50", np.float32(1.576e-7)).ok
    assert ex.check("learn-forget-bias-one-50", "1.4e-7").ok is False      # 11 % off
    assert ex.check("learn-adding-trivial-error", Fraction(1, 6)).ok
    assert ex.check("learn-adding-trivial-error", 0.17).ok                  # 1/6 to two decimal places
    assert ex.check("learn-adding-trivial-error", 0.2).ok is False          # one significant digit
    wrong = ex.check("learn-adding-trivial-error", "1/12")
    assert wrong.ok is False and "remembers one of the two values" in wrong.message
    assert "section '2. The error of the trivial answer'" in wrong.message
    bias_zero = ex.check("learn-forget-bias-one-50", 0.5 ** 50)
    assert "a forget-gate bias of 0" in bias_zero.message


def _one_sixth(traps: dict) -> ex.Exercise:
    """A number exercise like 4.12: answer 1/6, tolerance 0.5 %, these traps."""
    return ex.Exercise(id="one-sixth", topic="t", difficulty="easy", minutes=1, kind="number",
                       tolerance=0.005, compute=lambda: 1 / 6, traps=lambda: traps)


HALF = {"1/12": "half"}            # the trap of 4.12: far from 0.17
NEAR = {"1/12": "half", 0.174: "near"}  # a trap that rounds to 0.17 too


@pytest.mark.parametrize("traps, answer, right", [
    (HALF, "0.1667", True), (HALF, "0.167", True), (HALF, 0.167, True), (HALF, "1.67e-1", True),
    (HALF, "0.17", True), (HALF, 0.17, True), (HALF, "1.7 × 10^-1", True), (HALF, "1/6", True),
    (HALF, "0.1666666", True), (HALF, "0.2", False), (HALF, 0.2, False), (HALF, "2e-1", False),
    (HALF, "0.16", False), (HALF, "0.1", False), (HALF, 0, False), (HALF, "0.083", False),
    (NEAR, "0.17", False), (NEAR, 0.17, False), (NEAR, "0.167", True)])
def test_a_number_with_fewer_digits_is_right_when_it_identifies_the_answer(traps, answer, right):
    """0.17 is 1/6 rounded to two decimal places: right, unless a trap (0.174) rounds to 0.17 as well;
    0.2 has one significant digit; 0.16 is not 1/6 rounded; 0.083 is the trap 1/12 rounded."""
    e = _one_sixth(traps)
    assert e.agrees(e.normalise(answer), e.answer()) is right


def test_rounding_rule_on_the_banks_numbers():
    """The rule on 4.12 (1/6, no trap near 0.17) and 4.2 (1.576e-7, 5 %): 0.17 and 0.167 are right,
    0.2 and 1.4e-7 are not."""
    for answer in ("0.17", 0.17, "0.167", 0.167, "1.7e-1"):
        assert ex.check("learn-adding-trivial-error", answer).ok, answer
    for answer in ("0.2", 0.2, "2e-1", "0.16", 0, "0.1"):
        assert ex.check("learn-adding-trivial-error", answer).ok is False, answer
    for answer in ("1.6e-7", "1.58e-7", 1.6e-7):
        assert ex.check("learn-forget-bias-one-50", answer).ok, answer
    assert ex.check("learn-forget-bias-one-50", "2e-7").ok is False


def _roundings(value: float) -> list:
    """``value`` written to 1 to 8 significant digits and to 0 to 8 decimal places, as strings and floats."""
    written = [f"{value:.{k}g}" for k in range(1, 9)] + [f"{value:.{k}e}" for k in range(0, 8)]
    written += [f"{value:.{d}f}" for d in range(0, 9)]
    return written + [float(w) for w in written]


@pytest.mark.parametrize("exercise", [e for e in ALL if e.kind == "number"],
                         ids=[e.id for e in ALL if e.kind == "number"])
def test_a_trap_is_never_accepted_at_any_precision(exercise):
    traps = exercise.traps() if exercise.traps else {}
    for value in traps:
        for written in _roundings(exercise.normalise(value)):
            assert ex.check(exercise.id, written).ok is not True, (value, written)


def test_a_trap_is_never_accepted_by_the_rounding_rule():
    e = _one_sixth(NEAR)
    for written in _roundings(1 / 12) + _roundings(0.174):
        assert e.agrees(e.normalise(written), e.answer()) is False, written
    assert e.agrees(e.normalise("0.083"), e.normalise("1/12"))          # the trap's message is said


@pytest.mark.parametrize("answer", ["one sixth", "0,1667", "1/0", "1e999", float("nan"), float("inf"),
                                    10 ** 400, True, [0.1667]])
def test_unreadable_numbers_are_feedback(answer):
    from lstm_utils.exercises.answers import Unreadable

    feedback = ex.check("learn-adding-trivial-error", answer)
    assert feedback.ok is False and "Hint: see 18_long_memory_task" in feedback.message
    with pytest.raises(Unreadable, match="could not read|is a yes/no, not a number"):
        ex.as_number(answer)


@pytest.mark.parametrize("answer", [365568, "365,568", "365 568", "365_568", 365568.0, "365568.0",
                                    " 365,568 parameters ", "365\u202f568"])
def test_equivalent_counts(answer):
    assert ex.check("count-100-to-256", answer).ok is True


@pytest.mark.parametrize("answer", [(100, 1024), [100, 1024], "100x1024", "100 × 1024", "(100, 1024)",
                                    "[100,1024]", "100-by-1024", "100 X 1024"])
def test_equivalent_shapes(answer):
    assert ex.check("shape-keras-kernel", answer).ok is True


def test_shape_from_numpy_and_torch():
    np = pytest.importorskip("numpy")
    torch = pytest.importorskip("torch")
    assert ex.check("shape-keras-kernel", np.zeros((100, 1024)).shape).ok
    assert ex.check("shape-pytorch-weight-hh", torch.nn.LSTM(100, 256).weight_hh_l0.shape).ok
    assert ex.check("count-keras-13x5-10", np.int64(640)).ok
    assert ex.check("count-keras-13x5-10", np.float32(640)).ok


@pytest.mark.parametrize("answer", ["i, f, g, o", "IFGO", ["Input", "Forget", "Cell", "Output"],
                                    "input gate, forget gate, cell candidate, output gate",
                                    ("i", "f", "c", "o"), "input -> forget -> candidate -> output",
                                    "Input Forget Candidate Output", ["i_t", "f_t", "g_t", "o_t"]])
def test_equivalent_gate_lists(answer):
    assert ex.check("gates-pytorch-order", answer).ok is True


def test_gates_words_and_lists_of_the_later_exercises():
    for answer in ("forget", "f", "f_t", "The Forget gate", "forget gate", ["forget"]):
        assert ex.check("learn-direct-path-gate", answer).ok is True, answer
    assert "scales what is written" in ex.check("learn-direct-path-gate", "i").message
    assert ex.check("learn-keras-global-clipnorm", "global_clipnorm").ok
    assert "changes the direction" in ex.check("learn-keras-global-clipnorm", "clipnorm").message
    assert ex.check("pad-sequences-default", "front").ok
    assert ex.check("pad-sequences-default", "post").ok is False
    assert ex.check("packed-batch-sizes", [4, 4, 3, 3, 1, 1]).ok
    assert ex.check("packed-batch-sizes", "4, 4, 3, 3, 1, 1").ok
    assert "one entry per time step" in ex.check("packed-batch-sizes", (6, 4, 4, 2)).message
    assert "nine m x m matrices" in ex.check("variant-fgr-100-256", 366_336 + 3 * 256 * 256).message


def test_gru_gates_and_words_and_yes_no():
    assert ex.check("gates-keras-gru-order", "Z R H").ok
    assert ex.check("gates-keras-gru-order", ["update gate", "reset gate", "candidate"]).ok
    assert ex.check("mistake-units", "Hidden Units").ok and ex.check("mistake-units", "hidden_size").ok
    for letter in ("b", "B", "(b)", " b) ", "b."):
        assert ex.check("mistake-batch-first-hn", letter).ok, letter
    for wrong in ("a", "(c)", "no", False, "weight_ih_l0"):
        assert ex.check("mistake-batch-first-hn", wrong).ok is False, wrong
    assert "keep their own layout" in ex.check("mistake-batch-first-hn", "A").message


# --- every exercise gives targeted feedback; none is a two-way question ----------------------------------

@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_every_exercise_has_a_trap_that_differs_from_its_answer(exercise):
    """Every exercise of every bank has at least one typical wrong answer with its own message, and no
    trap is the answer (or, for a number, agrees with it)."""
    assert exercise.traps is not None, f"{exercise.id}: no traps"
    traps = exercise.traps()
    assert traps, f"{exercise.id}: no traps"
    answer = exercise.answer()
    for value in traps:
        given = exercise.normalise(value)
        assert given != answer and not exercise.agrees(given, answer), (exercise.id, value)


#: A question's lettered options as the TOML writes them: "* (a) ..." at the start of a line.
_OPTION = re.compile(r"^\* \(([a-z])\) ", re.M)


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_no_exercise_is_a_two_way_question(exercise):
    """No yes/no (it can be retried until right); a question with lettered options has at least three,
    accepts its letter written "b", "(b)", "B" or "b)", and has a trap for each wrong option."""
    assert exercise.kind != "bool", f"{exercise.id}: a yes/no question"
    letters = _OPTION.findall(exercise.question)
    if not letters:
        return
    assert len(letters) >= 3 and letters == sorted(set(letters)), (exercise.id, letters)
    answer = exercise.answer()
    for letter in letters:
        for written in (letter, f"({letter})", letter.upper(), f"{letter})"):
            assert exercise.normalise(written) == exercise.normalise(letter), (exercise.id, written)
    assert exercise.normalise(answer) in [exercise.normalise(letter) for letter in letters], exercise.id
    traps = {exercise.normalise(value) for value in exercise.traps()}
    wrong = {exercise.normalise(letter) for letter in letters} - {answer}
    assert wrong <= traps, f"{exercise.id}: wrong options without a message: {sorted(wrong - traps)}"


@pytest.mark.parametrize("answer", [None, ..., "", "   "])
def test_missing_answers_are_not_answered_yet(answer):
    feedback = ex.check("count-one-gate", answer)
    assert feedback.ok is None and feedback.status == "not answered yet"
    assert str(feedback) == ("[not answered yet] count-one-gate: "
                             "replace None with your answer and run the cell.")


def test_wrong_answers_get_a_targeted_hint_and_no_solution():
    feedback = ex.check("count-pytorch-13x5-10", 640)
    assert feedback.ok is False
    assert "PyTorch keeps two bias vectors" in feedback.message
    assert "section 'Referee 3: PyTorch disagrees'" in feedback.message
    assert "680" not in feedback.message.split("Hint")[0]  # the hint points, it does not tell
    transposed = ex.check("shape-keras-kernel", "1024x100")
    assert transposed.ok is False and "transposed" in transposed.message
    steps = ex.check("mistake-time-steps", lu.count_params(5, 10) * 1000)
    assert "does not grow with the sequence length" in steps.message
    unreadable = ex.check("count-one-gate", "one hundred")
    assert unreadable.ok is False and "could not read 'one hundred' as a whole number" in unreadable.message
    assert "<b style='color:#b00020'>not quite</b>" in feedback._repr_html_()


answers = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.just(...),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=3),
                                                                                          inner, max_size=2),
    max_leaves=6)


@given(exercise_id=st.sampled_from(IDS), answer=answers)
def test_check_never_raises_on_an_answer(exercise_id, answer):
    feedback = ex.check(exercise_id, answer)
    assert feedback.ok in (True, False, None) and feedback.message


# --- the notebooks use the registry -------------------------------------------------------------------

def _code(path):
    nb = json.loads(path.read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.skipif(not (ROOT / "notebooks" / "exercises" / "solutions.ipynb").exists(),
                    reason="exercise notebooks not built yet")
def test_every_exercise_is_in_its_notebook_and_in_the_solutions():
    solutions = _code(ROOT / "notebooks" / "exercises" / "solutions.ipynb")
    for e in ALL:
        assert f'"{e.id}"' in _code(ROOT / "notebooks" / "exercises" / f"{e.notebook}.ipynb"), e.id
        assert f'"{e.id}"' in solutions, e.id


def _markdown(path):
    nb = json.loads(path.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_the_notebook_shows_the_title_and_question_of_the_bank(exercise):
    """The bank's TOML file is the one source of each question: the notebook's cell must be its text,
    word for word."""
    path = ROOT / "notebooks" / "exercises" / f"{exercise.notebook}.ipynb"
    assert exercise.markdown in _markdown(path), exercise.id
    assert exercise.markdown.startswith(f"### {exercise.number} · {exercise.title}\n")
    assert exercise.markdown.endswith(f"\n\n{exercise.question}")


def test_every_exercise_notebook_has_a_bank_module():
    for notebook in ex.NOTEBOOKS:
        bank = importlib.import_module(f"lstm_utils.exercises.bank_{notebook}")
        assert (ROOT / "notebooks" / "exercises" / f"{notebook}.ipynb").exists()
        assert [e.id for e in bank.EXERCISES] == [e.id for e in ALL if e.notebook == notebook]


def _headings(notebook):
    nb = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text())
    lines = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown").splitlines()
    return {line.lstrip("#").strip() for line in lines if line.startswith("#")}


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_hints_point_to_existing_sections(exercise):
    assert exercise.see and exercise.hint.startswith("see ")
    for notebook, section in exercise.see:
        path = ROOT / "notebooks" / f"{notebook}.ipynb"
        if not path.exists():
            pytest.skip(f"{notebook} is not written yet")
        assert section in _headings(notebook), f"{exercise.id}: no section {section!r} in {notebook}"


def test_get_hides_the_answer_unless_revealed():
    """Looking an exercise up shows its question, not its answer: only reveal=True does."""
    hidden = ex.get("count-keras-13x5-10")
    with pytest.raises(ex.AnswerHidden, match=r"reveal=True"):
        _ = hidden.expected
    assert "640" not in repr(hidden)
    assert ex.get("count-keras-13x5-10", reveal=True).expected == 640
