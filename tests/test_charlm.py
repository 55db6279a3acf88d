"""The character-level language model: its corpus, shipped weights, baselines and training script."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.charlm import UNKNOWN, CharLM, ngram_bits, uniform_bits, unigram_bits
from lstm_utils.charlm_train import stream_batches, vocabulary


@pytest.fixture(scope="module")
def corpus():
    return lu.tasks.char_corpus()


@pytest.fixture(scope="module")
def lm():
    return lu.charlm.load_pretrained()


def test_corpus_is_two_strings_as_recorded(corpus):
    train, valid = corpus
    assert isinstance(train, str) and isinstance(valid, str)
    record = json.loads((lu.tasks.CORPUS_DIR / "char_corpus.json").read_text(encoding="utf-8"))
    assert (len(train), len(valid)) == (record["characters"]["train"], record["characters"]["valid"])
    assert not set(valid) - set(train), "a validation character never seen in training"
    assert len(vocabulary(train + valid)) == 102 and UNKNOWN in train


def test_shipped_model_matches_its_log_and_its_size(lm, corpus):
    _, valid = corpus
    assert lm.vocab == vocabulary("".join(corpus))
    assert lm.counts() == {"embedding": 102 * 32, "lstm": 4 * (256 * (32 + 256) + 256),
                           "output": 256 * 102 + 102, "total": 325_414}
    bpc = lm.bits_per_char(valid)
    assert bpc == pytest.approx(lm.settings["history"][-1][2], abs=1e-3)
    assert bpc < ngram_bits(*corpus, lm.vocab, order=6) < unigram_bits(*corpus, lm.vocab) < uniform_bits(102)
    assert lu.charlm.WEIGHTS_FILE.stat().st_size < 2_000_000


def test_sample_is_deterministic_for_a_seed_and_greedy_at_zero(lm):
    a = lm.sample("The LSTM", 50, temperature=1.0, seed=3)
    assert a == lm.sample("The LSTM", 50, temperature=1.0, seed=3) and len(a) == 8 + 50
    assert a.startswith("The LSTM") and set(a) <= set(lm.vocab)
    assert lm.sample("The LSTM", 50, temperature=1.0, seed=4) != a
    greedy = lm.sample("The LSTM", 30, temperature=0, seed=0)
    assert greedy == lm.sample("The LSTM", 30, temperature=0, seed=9)
    # greedy is the argmax of the next-character distribution, one character at a time
    assert greedy[8] == lm.vocab[int(np.argmax(lm.next_char_probs("The LSTM")))]
    assert lm.sample("x", 0) == "x"
    # a tiny temperature is the greedy limit, not an overflow
    assert lm.sample("The LSTM", 30, temperature=1e-300) == greedy
    assert lm.next_char_probs("The LSTM", temperature=0).max() == 1.0


def test_temperature_sharpens_and_flattens(lm):
    entropy = [float(-(p * np.log2(p)).sum()) for p in
               (lm.next_char_probs("The forget", temperature=t) for t in (0.5, 1.0, 2.0))]
    assert entropy[0] < entropy[1] < entropy[2] < math.log2(102)


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda lm: lm.sample("", 5), ValueError, "prompt has 0 characters"),
    (lambda lm: lm.sample(12, 5), TypeError, "prompt must be a str"),
    (lambda lm: lm.sample("a", -1), ValueError, "n"),
    (lambda lm: lm.sample("a", 5, temperature=-0.5), ValueError, "temperature == -0.5"),
    (lambda lm: lm.next_char_probs("a", temperature=-1), ValueError, "temperature == -1"),
    (lambda lm: lm.sample("a", 5, seed=-2), ValueError, "seed == -2"),
    (lambda lm: lm.bits_per_char("a"), ValueError, "text has 1 characters"),
])
def test_bad_input_names_the_argument(lm, call, error, words):
    with pytest.raises(error, match=words):
        call(lm)


def test_numpy_model_equals_pytorch():
    torch = pytest.importorskip("torch")
    vocab = "ab c~"
    model = lu.charlm_train.build_model(len(vocab), 3, 4, seed=1, dtype=torch.float64).eval()
    lm = CharLM.from_torch(model, vocab)
    text = "abc ab~ cab"
    with torch.no_grad():
        expected = model(torch.from_numpy(lm.encode(text))[None])[0][0].numpy()
    logits, _ = lm.run(text)
    np.testing.assert_allclose(logits, expected, atol=1e-12)


def test_ngram_gives_a_distribution():
    train, vocab = "the cat sat on the mat; the hat", "the casmon;~"
    for order in (1, 2, 3):
        # bits("thc") * 2 = -log2 p(h | t) - log2 p(c | "th"); remove the first character's cost
        first = ngram_bits(train, "th", vocab, order)
        total = sum(2.0 ** -(2 * ngram_bits(train, "th" + c, vocab, order) - first) for c in vocab)
        assert total == pytest.approx(1.0)
    assert unigram_bits(train, "at", vocab) == ngram_bits(train, "at", vocab, order=1)
    with pytest.raises(ValueError, match="order"):
        ngram_bits(train, "at", vocab, order=0)
    with pytest.raises(ValueError, match="repeats"):
        ngram_bits(train, "at", "aab", order=2)


def test_stream_batches_refuse_a_text_too_short_for_one_window():
    with pytest.raises(ValueError, match="fewer than one window of seq_len=5"):
        list(stream_batches(np.arange(10), batch=4, seq_len=5))
    with pytest.raises(ValueError, match="batch"):
        list(stream_batches(np.arange(10), batch=0, seq_len=5))


def test_training_script_refuses_to_overwrite_the_shipped_weights_with_other_settings():
    result = subprocess.run([sys.executable, "-m", "lstm_utils.charlm_train", "--steps", "5"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "give --out DIR" in result.stderr


def test_stream_batches_cut_streams_and_shift_targets():
    ids = np.arange(101)
    windows = list(stream_batches(ids, batch=4, seq_len=5))
    assert len(windows) == 5 and all(x.shape == y.shape == (4, 5) for x, y in windows)
    assert all((y == x + 1).all() for x, y in windows)
    assert [int(w[0][1, 0]) for w in windows] == [25, 30, 35, 40, 45]   # stream 1 read in order


def test_text_heatmap_rejects_a_value_count_that_does_not_match():
    with pytest.raises(ValueError, match="one per character"):
        lu.plots.text_heatmap("abc", [1.0, 2.0])


def test_training_script_still_runs(tmp_path):
    pytest.importorskip("torch")
    result = subprocess.run([sys.executable, "-m", "lstm_utils.charlm_train", "--steps", "3", "--out",
                             str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "charlm.json").read_text(encoding="utf-8"))
    assert record["steps"] == 3 and record["history"][-1][0] == 3
    with np.load(tmp_path / "charlm.npz") as data:
        assert data["W"].shape == (4, 256, 32) and data["W"].dtype == np.float32
