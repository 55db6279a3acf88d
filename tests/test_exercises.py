"""Exercise registry and check(): answers computed from the core, equivalent forms, never raising."""

import importlib
import json
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

def test_at_least_twenty_exercises_with_planning_data():
    assert len(ALL) >= 20 and len(set(IDS)) == len(IDS)
    for e in ALL:
        assert e.notebook in ex.NOTEBOOKS and e.difficulty in ex.DIFFICULTIES, e
        assert 1 <= e.minutes <= 15 and e.hint.startswith("see ") and e.question, e
    topics = {e.topic for e in ALL}
    assert {"counting", "shapes", "gate order", "framework conversions", "misconceptions"} <= topics
    assert ALL.total_minutes == sum(e.minutes for e in ALL)


@pytest.mark.parametrize("exercise", ALL, ids=IDS)
def test_the_computed_answer_is_accepted(exercise):
    feedback = ex.check(exercise.id, exercise.compute())
    assert feedback.ok is True and feedback.status == "correct", feedback


def test_catalogue_prints_and_filters():
    text = str(ALL)
    assert text.splitlines()[0].split() == list(ex.Catalogue.columns)
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

    assert ex.get("count-stacked-pytorch").expected == n_params(torch.nn.LSTM(300, 512, num_layers=2))
    assert ex.get("count-projection").expected == n_params(torch.nn.LSTM(100, 256, proj_size=64))
    assert ex.get("count-pytorch-13x5-10").expected == n_params(torch.nn.LSTM(5, 10))
    layer = torch.nn.LSTM(100, 256)
    assert ex.get("shape-pytorch-weight-hh").expected == tuple(layer.weight_hh_l0.shape)
    forget = slice(*ex.get("gates-forget-rows").expected)
    assert layer.weight_ih_l0[forget].shape == (256, 100)


def test_counting_answers_match_real_keras_models():
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4),
                              keras.layers.Dense(2, activation="sigmoid")])
    assert ex.get("count-small-model").expected == model.count_params()
    gru = keras.Sequential([keras.Input((None, 32)), keras.layers.GRU(64)])
    assert ex.get("count-gru-keras").expected == gru.count_params()
    bi = keras.Sequential([keras.Input((None, 16)), keras.layers.Bidirectional(keras.layers.LSTM(32))])
    assert ex.get("count-bidirectional-keras").expected == bi.count_params()
    lstm = keras.layers.LSTM(10)
    lstm.build((None, 13, 5))
    assert ex.get("mistake-tensors-not-numbers").expected == len(lstm.weights)
    assert ex.get("shape-keras-kernel").expected == (100, 1024)  # kernel (n, 4m) as counted above
    forget = lstm.cell.bias.numpy()[10:20]  # Keras order i, f, c, o: the second block of 10
    assert (forget == ex.get("mistake-forget-bias-init").expected).all()


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

    # dropout with one layer: a warning, and no effect in training mode.
    with pytest.warns(UserWarning, match="num_layers greater than 1"):
        dropped = torch.nn.LSTM(4, 3, num_layers=1, dropout=0.5, batch_first=True)
    dropped.train()
    assert torch.equal(dropped(x)[0], dropped(x)[0])
    assert ex.get("mistake-dropout-one-layer").expected is False

    # output[:, -1] vs the final states of a bidirectional layer.
    bi = torch.nn.LSTM(4, 3, bidirectional=True, batch_first=True)
    out, (h_n, _) = bi(x)
    assert torch.allclose(out[:, -1, :3], h_n[0]) and torch.allclose(out[:, 0, 3:], h_n[1])
    same = torch.allclose(out[:, -1], torch.cat([h_n[0], h_n[1]], dim=1))
    assert ex.get("mistake-bidirectional-last-step").expected is same is False

    # batch_first changes output, not h_n.
    seq_first = torch.nn.LSTM(4, 3)
    assert seq_first(x.transpose(0, 1))[1][0].shape == h_n[:1].shape
    assert ex.get("mistake-batch-first-hn").expected is False


# --- reading answers ---------------------------------------------------------------------------------

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


def test_gru_gates_and_words_and_yes_no():
    assert ex.check("gates-keras-gru-order", "Z R H").ok
    assert ex.check("gates-keras-gru-order", ["update gate", "reset gate", "candidate"]).ok
    assert ex.check("mistake-units", "Hidden Units").ok and ex.check("mistake-units", "hidden_size").ok
    assert ex.check("convert-kernel-to-pytorch", "weight_ih_l0").ok
    assert ex.check("convert-kernel-to-pytorch", "lstm.weight_ih_l0").ok
    assert ex.check("mistake-batch-first-hn", "no").ok and ex.check("mistake-batch-first-hn", False).ok
    assert ex.check("mistake-batch-first-hn", "yes").ok is False


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
    """The bank is the one source of each question: the notebook's cell must be its text, word for word."""
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
