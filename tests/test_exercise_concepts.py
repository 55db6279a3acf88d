"""Exercises 4-6: the multiple-choice questions accept every written form of their answer, answer every
wrong option with its own message, rest on facts that are computed where they can be, and the exercise
notebooks state no answer. In every bank: no right option is given away by its length, a three-option
question says that there is no option (d), and the solutions show every question word for word."""

import json
import re
from pathlib import Path

import pytest

import lstm_utils as lu
from lstm_utils import exercises as ex
from lstm_utils import variants

ROOT = Path(__file__).resolve().parents[1]
BANKS = ("04_how_the_lstm_learns", "05_variable_length_sequences", "06_lstm_variants", "08_language_model")
LATER = [e for notebook in BANKS for e in ex.catalogue(notebook)]

#: The conceptual questions added to Exercises 4-6 ("Exercises that exercise", part 3).
NEW_CONCEPTUAL = {
    "04_how_the_lstm_learns": ["learn-why-cell-path", "learn-clipping-vanishing",
                               "learn-truncation-cannot-learn"],
    "05_variable_length_sequences": ["unmasked-bidirectional-direction", "packing-saves"],
    "06_lstm_variants": ["variant-output-peephole", "variant-cifg-trade", "variant-nfg-unbounded",
                         "variant-lstmp-which", "variant-gru-coupling", "variant-greff-no-improvement",
                         "variant-greff-critical", "variant-nfg-adding"],
    "08_language_model": ["charlm-embedding-lookup", "charlm-why-detach", "charlm-worse-than-unigram",
                          "charlm-order-7-worse", "charlm-greedy-repeats"],
}
#: The yes/no and two-answer questions of Exercises 4-6, now with three or more options.
CONVERTED = ["learn-sigma-above-one", "learn-truncated-zero", "pad-sequences-default",
             "masking-parameter-count", "keras-masked-output"]
NEW_IDS = [i for ids in NEW_CONCEPTUAL.values() for i in ids]
CHOICES = NEW_IDS + CONVERTED


def options(exercise) -> list[str]:
    """The option letters a question lists: its lines "* (a) ..."."""
    return re.findall(r"(?m)^\* \(([a-z])\) ", exercise.question)


def meaning(exercise, letter: str) -> object:
    """What the checker reads an option's letter as (the letter, or the word it stands for)."""
    return exercise.normalise(letter)


# --- how many, and where -------------------------------------------------------------------------------

def test_at_least_ten_new_conceptual_exercises_eight_of_them_in_exercises_6():
    assert len(NEW_IDS) == len(set(NEW_IDS)) >= 10
    assert len(NEW_CONCEPTUAL["06_lstm_variants"]) >= 8
    for notebook, ids in NEW_CONCEPTUAL.items():
        in_bank = {e.id: e for e in ex.catalogue(notebook)}
        for i in ids:
            assert i in in_bank and in_bank[i].kind == "word", i


def test_exercises_6_is_at_least_half_conceptual():
    e6 = ex.catalogue("06_lstm_variants")
    conceptual = [e for e in e6 if e.kind == "word" and len(options(e)) >= 3]
    assert 2 * len(conceptual) >= len(e6), [e.id for e in conceptual]


def test_no_yes_no_or_two_way_question_is_left_in_exercises_4_to_6():
    for e in LATER:
        assert e.kind != "bool", e.id
        if e.kind == "word" and e.id not in ("learn-keras-global-clipnorm",):   # a name, not a choice
            listed = options(e) or re.findall(r'`"([^"`]+)"`', e.question)
            assert len(listed) >= 3, (e.id, listed)


@pytest.mark.parametrize("exercise", LATER, ids=[e.id for e in LATER])
def test_every_exercise_of_exercises_4_to_6_has_a_targeted_message(exercise):
    assert exercise.traps is not None, exercise.id
    traps = exercise.traps()
    assert traps, exercise.id
    answer = exercise.answer()
    for value, said in traps.items():
        feedback = ex.check(exercise.id, value)
        assert feedback.ok is False and exercise.said(said) in feedback.message, (exercise.id, value)
        assert exercise.normalise(value) != answer, (exercise.id, value)


# --- each choice: its answer in every form, each wrong option with its own message ------------------------

@pytest.mark.parametrize("exercise_id", CHOICES)
def test_the_answer_is_accepted_in_every_written_form(exercise_id):
    exercise = ex.get(exercise_id, reveal=True)
    letters = options(exercise)
    assert len(letters) >= 3 and letters == list("abcd"[: len(letters)]), letters
    (right,) = [k for k in letters if meaning(exercise, k) == exercise.expected]
    for form in (right, right.upper(), f"({right})", f"({right.upper()})", f"{right})", f" {right}. "):
        assert ex.check(exercise_id, form).ok is True, form


@pytest.mark.parametrize("exercise_id", CHOICES)
def test_every_other_option_is_rejected_with_its_own_message(exercise_id):
    exercise = ex.get(exercise_id, reveal=True)
    traps = {exercise.normalise(value): said for value, said in exercise.traps().items()}
    wrong = [k for k in options(exercise) if meaning(exercise, k) != exercise.expected]
    assert len(wrong) >= 2
    messages = []
    for letter in wrong:
        feedback = ex.check(exercise_id, letter.upper())
        said = exercise.said(traps[meaning(exercise, letter)])
        assert feedback.ok is False and said in feedback.message, (exercise_id, letter)
        assert feedback.message.startswith(f"you answered '{letter.upper()}': {said}")
        messages.append(said)
    assert len(set(messages)) == len(messages)                      # its own message, one per option


#: The most the right option's text may exceed the longest wrong one's: a longer right option gives it away.
LENGTH_RATIO = 1.3


def option_texts(exercise) -> dict[str, str]:
    """A question's options "* (a) ...", each letter -> its text, its wrapped lines joined by one space."""
    found = re.finditer(r"(?ms)^\* \(([a-z])\) (.*?)(?=^\* \(|^\s*$|\Z)", exercise.question)
    return {m.group(1): " ".join(m.group(2).split()) for m in found}


#: Every lettered question of the course, in any bank, and those with three options, (a) to (c).
LETTERED = [e for e in ex.catalogue() if option_texts(e)]
THREE_OPTIONS = [e for e in LETTERED if list(option_texts(e)) == list("abc")]


def test_option_texts_reads_wrapped_options():
    class Question:
        question = "Which?\n\n* (a) One.\n* (b) Two, on\n  two lines.\n\nAnswer with the letter."

    assert option_texts(Question) == {"a": "One.", "b": "Two, on two lines."}


def test_every_lettered_question_is_found():
    assert set(CHOICES) <= {e.id for e in LETTERED}


@pytest.mark.parametrize("exercise", LETTERED, ids=[e.id for e in LETTERED])
def test_the_right_option_is_not_given_away_by_its_length(exercise):
    texts = option_texts(exercise)
    revealed = ex.get(exercise.id, reveal=True)
    (right,) = [k for k in texts if meaning(revealed, k) == revealed.expected]
    longest_wrong = max(len(t) for k, t in texts.items() if k != right)
    assert len(texts[right]) <= LENGTH_RATIO * longest_wrong, (exercise.id, len(texts[right]), longest_wrong)


@pytest.mark.parametrize("exercise", THREE_OPTIONS, ids=[e.id for e in THREE_OPTIONS])
def test_a_fourth_letter_is_told_there_is_no_such_option(exercise):
    for form in ("d", "(D)", "d."):
        feedback = ex.check(exercise.id, form)
        assert feedback.ok is False and "there is no option (d)" in feedback.message, (exercise.id, form)


def test_the_solutions_show_every_question_word_for_word():
    cells = ["".join(c["source"]) for c in _cells("solutions") if c["cell_type"] == "markdown"]
    for e in ex.catalogue():
        assert e.markdown in cells, e.id


def test_the_answers_are_not_all_the_same_letter():
    letters = [ex.get(i, reveal=True).expected for i in NEW_IDS]
    assert len(set(letters)) >= 3, letters


# --- the facts, computed --------------------------------------------------------------------------------

def test_the_variant_facts_are_those_of_lu_variants():
    n, m = 100, 256
    block = m * (n + m) + m
    v, cifg = variants.count_params(n, m, "V"), variants.count_params(n, m, "CIFG")
    assert v - cifg == block + m == 91_648 and f"{v - cifg:,}" in ex.get("variant-cifg-trade").explanation
    assert f"{cifg / v:.1%}" == "75.0%" and "75.0 %" in ex.get("variant-cifg-trade").explanation
    # FGR's nine m x m matrices, quoted by a trap of 6.14
    recurrence = variants.count_params(n, m, "FGR") - v
    trap = ex.get("variant-greff-no-improvement").messages["fgr-improved"]
    assert recurrence == 9 * m * m and f"{recurrence:,}" in trap
    # NFG has fewer parameters than V: the trap of 6.16 says so with the computed counts
    nfg = ex.check("variant-nfg-adding", "a").message
    nfg_count = variants.count_params(n, m, "NFG")
    assert nfg_count < v and f"{nfg_count:,} against {v:,}" in nfg
    # the one coupled variant is CIFG
    assert [k for k in variants.VARIANTS if variants.VARIANT_INFO[k].coupled] == ["CIFG"]
    assert ex.check("variant-gru-coupling", "CIFG").ok is False          # a letter is asked, not a name


def test_pytorch_proj_size_is_lstmp_without_peepholes_and_with_a_second_bias():
    torch = pytest.importorskip("torch")
    n, m, r = 100, 256, 128
    layer = torch.nn.LSTM(n, m, proj_size=r, device="meta")
    shapes = {name: tuple(p.shape) for name, p in layer.named_parameters()}
    assert shapes["weight_hr_l0"] == (r, m) and shapes["weight_hh_l0"] == (4 * m, r)   # W_r, gates read r_t
    pytorch = sum(p.numel() for p in layer.parameters())
    lstmp = variants.count_params(n, m, "V", proj_size=r)
    assert pytorch == lu.count_params(n, m, framework="pytorch", proj_size=r) == lstmp - 3 * m + 4 * m
    text = ex.get("variant-lstmp-which").explanation
    assert f"{pytorch:,}" in text and f"{lstmp:,}" in text
    assert ex.get("variant-lstmp-which", reveal=True).expected == "b"   # (b) PyTorch's proj_size


def test_clipping_by_norm_leaves_a_vanished_gradient_alone_in_pytorch():
    torch = pytest.importorskip("torch")
    weight = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    for gradient, expected in (([3e-14, 4e-14], [3e-14, 4e-14]), ([30.0, 40.0], [0.6, 0.8])):
        weight.grad = torch.tensor(gradient, dtype=torch.float64)
        torch.nn.utils.clip_grad_norm_([weight], max_norm=1.0)
        assert torch.allclose(weight.grad, torch.tensor(expected, dtype=torch.float64), rtol=1e-5, atol=0)
    assert ex.get("learn-clipping-vanishing", reveal=True).expected == "c"   # (c) nothing


def test_truncation_cuts_every_dependency_across_a_chunk_in_pytorch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(2, 4, batch_first=True).double()
    x = torch.randn(1, 60, 2, dtype=torch.float64, requires_grad=True)

    def truncated(loss_at_every_step):
        state, total = None, 0
        for start in range(0, 60, 20):
            out, (h, c) = lstm(x[:, start : start + 20], state)
            state = (h.detach(), c.detach())                               # carry the state, cut the graph
            total = total + (out.sum() if loss_at_every_step else 0)
        (total if loss_at_every_step else out[:, -1].sum()).backward()
        norms = x.grad[0].norm(dim=1)
        x.grad = None
        return norms

    assert (truncated(True) > 0).all()                                     # every step is reached...
    norms = truncated(False)                                               # ...but a last-step loss
    assert (norms[:40] == 0).all() and (norms[40:] > 0).all()              # only within its own chunk
    assert ex.get("learn-truncation-cannot-learn", reveal=True).expected == "b"
    assert ex.get("learn-truncated-zero", reveal=True).expected == "a"


def test_a_large_sigma_max_does_not_force_growth():
    np = pytest.importorskip("numpy")
    U = np.array([[0.5, 1.0], [0.0, 0.5]])
    assert np.linalg.norm(U, 2) > 1 > np.linalg.norm(np.linalg.matrix_power(U, 50), 2)
    assert ex.get("learn-sigma-above-one", reveal=True).expected == "b"


def test_without_a_mask_pytorch_s_backward_direction_is_wrong_at_the_real_steps():
    torch = pytest.importorskip("torch")
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.manual_seed(0)
    lengths, m = [6, 2, 4, 4], 5
    x = torch.zeros(4, 6, 3)
    for b, length in enumerate(lengths):
        x[b, :length] = torch.randn(length, 3)                              # right padding
    bi = torch.nn.LSTM(3, m, batch_first=True, bidirectional=True)
    with torch.no_grad():
        unmasked, _ = bi(x)
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
        right, _ = pad_packed_sequence(bi(packed)[0], batch_first=True)
    b = lengths.index(2)                                                    # a shorter sequence
    assert torch.allclose(unmasked[b, :2, :m], right[b, :2, :m], atol=1e-6)        # forward: right
    assert not torch.allclose(unmasked[b, :2, m:], right[b, :2, m:], atol=1e-3)    # backward: wrong
    assert ex.get("unmasked-bidirectional-direction", reveal=True).expected == "b"
    # packing: one row per real step instead of batch x longest, with the same module
    assert packed.data.shape[0] == sum(lengths) < x.shape[0] * x.shape[1]
    assert ex.get("packing-saves", reveal=True).expected == "b"


def test_a_keras_mask_adds_no_parameter():
    keras = pytest.importorskip("keras")

    def n_params(*layers):
        return keras.Sequential([keras.Input((None, 8)), *layers]).count_params()

    assert n_params(keras.layers.Masking(0.0), keras.layers.LSTM(64)) == n_params(keras.layers.LSTM(64))
    assert ex.get("masking-parameter-count", reveal=True).expected == "b"     # (b) no: no weights


def test_exercises_8_counts_are_those_of_pytorch_and_keras_models():
    torch = pytest.importorskip("torch")
    keras = pytest.importorskip("keras")
    from lstm_utils.charlm_train import build_model
    from lstm_utils.exercises import bank_08_language_model as bank8

    V, e, m = bank8.VOCAB, bank8.EMBED, bank8.HIDDEN
    model = build_model(V, e, m, dropout=0.2)
    pytorch = sum(p.numel() for p in model.parameters())
    assert ex.get("charlm-count-pytorch", reveal=True).expected == pytorch
    one_hot = keras.Sequential([keras.Input((None, V)), keras.layers.LSTM(m, return_sequences=True),
                                keras.layers.Dense(V)])
    assert ex.get("charlm-count-onehot-keras", reveal=True).expected == one_hot.count_params()
    embedded = keras.Sequential([keras.Input((None,), dtype="int32"), keras.layers.Embedding(V, e),
                                 keras.layers.LSTM(m, return_sequences=True), keras.layers.Dense(V)])
    assert embedded.count_params() == pytorch - model.lstm.bias_hh_l0.numel()   # Keras: one bias per gate
    traps = ex.get("charlm-count-onehot-keras").traps()
    assert traps[embedded.count_params()] == "embedding-kept"                # the Keras embedding model
    # an embedding is the one-hot vector times its table: nn.Embedding's row k is one_hot(k) @ E
    table = model.embedding.weight.detach()
    assert torch.equal(torch.eye(V, dtype=table.dtype)[7] @ table, model.embedding(torch.tensor(7)))
    assert ex.get("charlm-embedding-lookup", reveal=True).expected == "c"


def test_exercises_8_detach_carries_the_values_and_cuts_the_graph_in_pytorch():
    torch = pytest.importorskip("torch")
    from lstm_utils.charlm_train import build_model

    torch.manual_seed(0)
    model = build_model(5, 3, 4, dtype=torch.float64)
    x = torch.randint(0, 5, (2, 20))
    first, second = x[:, :10], x[:, 10:]

    logits, state = model(first)
    logits.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):                   # (d): passing is not the issue,
        model(second, state)[0].sum().backward()                            # the next backward() is
    logits, state = model(first)
    logits.sum().backward()
    carried = tuple(s.detach() for s in state)
    assert all(torch.equal(c, s) for c, s in zip(carried, state, strict=True))        # (a): values kept
    model(second, carried)[0].sum().backward()                                # runs back through window 2
    assert ex.get("charlm-why-detach", reveal=True).expected == "b"


def test_exercises_8_numbers_quoted_are_the_corpus_and_the_baselines():
    from lstm_utils.charlm import ngram_bits, unigram_bits
    from lstm_utils.charlm_train import SETTINGS, stream_batches, vocabulary
    from lstm_utils.exercises import bank_08_language_model as bank8

    np = pytest.importorskip("numpy")
    train, valid = lu.tasks.char_corpus()
    vocab = vocabulary(train + valid)
    assert len(vocab) == bank8.VOCAB
    windows = ex.get("charlm-windows")
    assert f"{len(train):,} characters with `batch={bank8.BATCH}` and `seq_len={bank8.SEQ_LEN}`" in \
        windows.question
    per_stream = (len(train) - 1) // bank8.BATCH
    count = ex.get("charlm-windows", reveal=True).expected
    yielded = stream_batches(np.arange(len(train)), bank8.BATCH, bank8.SEQ_LEN)
    assert count == per_stream // bank8.SEQ_LEN == sum(1 for _ in yielded)
    for number in (per_stream, count, per_stream - count * bank8.SEQ_LEN):
        assert f"{number:,}" in windows.explanation, number
    assert (SETTINGS["batch"], SETTINGS["seq_len"]) == (32, 100)        # the shipped settings, as a trap says
    unigram = ex.get("charlm-worse-than-unigram").question
    assert f"scores {unigram_bits(train, valid, vocab):.3f} on the" in unigram
    order = ex.get("charlm-order-7-worse").question
    six, seven = (ngram_bits(train, valid, vocab, k) for k in (6, 7))
    assert seven > six and f"order 6 ({six:.3f} bits" in order and f"order 7 scores {seven:.3f}" in order
    assert f"in {len(train):,} training characters" in order
    fit = bank8._ngram_fit()                                            # the explanation's small n-grams
    assert fit[7][0] < fit[6][0] and fit[7][1] > fit[6][1]
    assert f"{bank8.BPC}" in ex.get("charlm-perplexity").question


def test_exercises_8_greedy_sampling_is_deterministic_and_temperature_reshapes():
    np = pytest.importorskip("numpy")
    from lstm_utils.exercises import bank_08_language_model as bank8

    lm = bank8._logit_model(bank8.LOGITS)
    p = {t: lm.next_char_probs("a", t) for t in (0.5, 1.0, 2.0)}
    assert p[0.5].max() > p[1.0].max() > p[2.0].max() > 1 / 3                # T < 1 sharpens, T > 1 flattens
    z = np.array(bank8.LOGITS) / bank8.TEMPERATURE
    softmax = np.exp(z) / np.exp(z).sum()
    assert np.isclose(ex.get("charlm-temperature-prob", reveal=True).expected, softmax.max())
    assert ex.get("charlm-greedy-repeats", reveal=True).expected == "a"


# --- the exercise notebooks state no answer -------------------------------------------------------------

def _cells(notebook):
    return json.loads((ROOT / "notebooks" / "exercises" / f"{notebook}.ipynb").read_text())["cells"]


def _written(value) -> list[str]:
    """The ways a notebook could state an answer: counts with and without separators, shapes, words."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        return [f"{value:,}", str(value)] if value >= 100 else []
    if isinstance(value, float):
        return [f"{value:.2g}", f"{value:.3g}"]
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):   # gates: each name
        return list(value)
    if isinstance(value, tuple):
        return [", ".join(map(str, value))] if len(value) > 2 else []
    return [value] if isinstance(value, str) and len(value) > 2 else []


@pytest.mark.parametrize("notebook", BANKS)
def test_the_summary_states_no_answer_and_no_check_is_answered(notebook):
    cells = _cells(notebook)
    (summary,) = ["".join(c["source"]) for c in cells if "".join(c["source"]).startswith("## Summary")]
    for e in ex.catalogue(notebook):
        for form in _written(e.answer()):
            assert not re.search(rf"(?<![\w.,]){re.escape(form)}(?![\w,])", summary), (e.id, form)
    checks = [c for c in cells if c["cell_type"] == "code" and "lu.exercises.check(" in "".join(c["source"])]
    assert len(checks) == len(ex.catalogue(notebook))
    for c in checks:                                   # every answer cell is empty, and its output says so
        assert "".join(c["source"]).startswith("answer = None  # your answer\n")
        (shown,) = ["".join(o.get("data", {}).get("text/plain", "")) for o in c["outputs"]]
        assert shown.startswith("[not answered yet]"), shown
    outputs = json.dumps([c.get("outputs", []) for c in cells])
    assert "[correct]" not in outputs and "is right" not in outputs and "not quite" not in outputs
