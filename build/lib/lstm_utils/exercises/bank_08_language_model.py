"""The bank of notebooks/exercises/08_language_model.ipynb: Exercises 8 (the character-level language model).

Questions on notebook 22 (an LSTM that writes: a character-level language model) and the package behind
it: :mod:`lstm_utils.charlm` (the model in NumPy, its bits per character, the baselines and sampling),
:mod:`lstm_utils.charlm_train` (the PyTorch model and the windows of truncated BPTT) and
:func:`lstm_utils.tasks.char_corpus`. Every count is computed from :func:`lstm_utils.count_params` and the
sizes of the model's other two layers; the windows by running
:func:`~lstm_utils.charlm_train.stream_batches` on the corpus' length; the numbers from the functions the
lesson uses (``uniform_bits``, ``CharLM.next_char_probs``). The multiple-choice questions derive their
letter from a computation where one can decide it: a model whose only non-zero parameter is the output
bias scores exactly the unigram baseline; an order-7 n-gram fits its own training text better than order 6
and held-out text worse; greedy sampling falls into a loop. None of them needs the shipped weights. The
words are in bank_08_language_model.toml beside it, as the notebook shows them (tests/test_exercises.py
checks it); tests/test_exercise_concepts.py checks the counts against PyTorch and Keras models.
"""

from __future__ import annotations

import math
from functools import cache

from lstm_utils.counting import count_params
from lstm_utils.exercises.exercise import Exercise, choice_words

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []
#: The letter after the last option of a three-option question: a trap of its own ("there is no option").
BEYOND = "d"

#: The counting questions' model: the corpus' vocabulary of 102 characters, a larger embedding and LSTM
#: than the shipped model's (32 and 256), so that the answers are not notebook 22's printed counts.
VOCAB, EMBED, HIDDEN = 102, 64, 512
#: The windows question: stream_batches on the training text with these settings (not the shipped ones).
BATCH, SEQ_LEN = 64, 128
#: Karpathy's tiny Shakespeare corpus (char-rnn): 65 different characters.
SHAKESPEARE_V = 65
#: The perplexity question's bits per character.
BPC = 1.75
#: The temperature question: three logits and the temperature.
LOGITS, TEMPERATURE = (2.0, 1.0, 0.0), 0.5


def _model(vocab: int, embed: int | None, hidden: int, framework: str, output_bias: bool = True) -> int:
    """Parameters of embedding (or one-hot input, ``embed=None``) -> one LSTM layer -> linear output."""
    inputs = vocab if embed is None else embed
    embedding = 0 if embed is None else vocab * embed                # nn.Embedding(V, e): a V x e table
    lstm = count_params(inputs, hidden, framework=framework)
    return embedding + lstm + vocab * hidden + (vocab if output_bias else 0)


# --- counting the model ---------------------------------------------------------------------------------

def _count_pytorch() -> int:
    return _model(VOCAB, EMBED, HIDDEN, "pytorch")


def _count_pytorch_traps() -> dict:
    right = _count_pytorch()
    return {_model(VOCAB, EMBED, HIDDEN, "keras"): "keras-count",
            _model(VOCAB, None, HIDDEN, "pytorch"): "one-hot-input",
            right - VOCAB: "no-output-bias",
            right - VOCAB * EMBED: "no-embedding",
            count_params(EMBED, HIDDEN, framework="pytorch"): "lstm-only",
            right - VOCAB * HIDDEN - VOCAB: "no-output-layer"}


EXERCISES.append(Exercise(
    id="charlm-count-pytorch", topic="counting", difficulty="medium", minutes=5, kind="count",
    compute=_count_pytorch, traps=_count_pytorch_traps,
))


def _count_onehot_keras() -> int:
    return _model(VOCAB, None, HIDDEN, "keras")


def _count_onehot_keras_traps() -> dict:
    right = _count_onehot_keras()
    return {_model(VOCAB, None, HIDDEN, "pytorch"): "pytorch-count",
            right + VOCAB * VOCAB: "one-hot-weights",
            _model(VOCAB, EMBED, HIDDEN, "keras"): "embedding-kept",
            right - VOCAB: "no-output-bias"}


EXERCISES.append(Exercise(
    id="charlm-count-onehot-keras", topic="counting", difficulty="medium", minutes=5, kind="count",
    compute=_count_onehot_keras, traps=_count_onehot_keras_traps,
))


def _embedding_is() -> str:
    """(c), a lookup is a one-hot vector times the table, if NumPy agrees, and if the options' claims are
    refuted by counts: an embedding of size V costs more than the one-hot input (against (d)), the LSTM's
    W reads e features, not V (against (a))."""
    import numpy as np

    rng = np.random.default_rng(0)
    table = rng.normal(size=(7, 3))                                  # V = 7 characters, e = 3
    k = 4
    one_hot = np.eye(7)[k]
    is_product = bool(np.array_equal(one_hot @ table, table[k]))
    wide = _model(VOCAB, VOCAB, HIDDEN, "keras") > _model(VOCAB, None, HIDDEN, "keras")
    reads_e = count_params(EMBED, HIDDEN) < count_params(VOCAB, HIDDEN)
    return "c" if is_product and wide and reads_e else "b"


def _embedding_is_traps() -> dict:
    return {"a": "w-keeps-v", "b": "embedding-frozen", "d": "always-cheaper"}


EXERCISES.append(Exercise(
    id="charlm-embedding-lookup", topic="counting", difficulty="easy", minutes=3, kind="word",
    compute=_embedding_is, words=choice_words("abcd"), traps=_embedding_is_traps,
))


# --- batches and truncated BPTT -------------------------------------------------------------------------

def _train_length() -> int:
    from lstm_utils.tasks import char_corpus

    return len(char_corpus()[0])


def _windows(length: int, batch: int, seq_len: int) -> int:
    import numpy as np

    from lstm_utils.charlm_train import stream_batches

    return sum(1 for _ in stream_batches(np.arange(length), batch, seq_len))


def _windows_answer() -> int:
    return _windows(_train_length(), BATCH, SEQ_LEN)


def _windows_traps() -> dict:
    from lstm_utils.charlm_train import SETTINGS

    length = _train_length()
    per_stream = (length - 1) // BATCH
    return {length // SEQ_LEN: "one-stream",
            -(-per_stream // SEQ_LEN): "partial-window",
            per_stream: "stream-length",
            _windows_answer() * BATCH: "rows-not-windows",
            _windows(length, SETTINGS["batch"], SETTINGS["seq_len"]): "shipped-settings"}


EXERCISES.append(Exercise(
    id="charlm-windows", topic="backpropagation through time", difficulty="medium", minutes=5,
    kind="count", compute=_windows_answer, traps=_windows_traps,
))


def _why_detach() -> str:
    """(b), carry the values and cut the graph, if stream_batches' row b of window k + 1 continues row b
    of window k (so the carried state is the right start: option (a) would throw it away)."""
    import numpy as np

    from lstm_utils.charlm_train import stream_batches

    windows = [x for x, _ in stream_batches(np.arange(10_000), 8, 50)]
    continues = all(np.array_equal(later[:, 0], earlier[:, -1] + 1)
                    for earlier, later in zip(windows, windows[1:], strict=False))
    return "b" if continues else "a"


def _why_detach_traps() -> dict:
    return {"a": "detach-resets", "c": "detach-dropout", "d": "detach-needed-to-pass"}


EXERCISES.append(Exercise(
    id="charlm-why-detach", topic="backpropagation through time", difficulty="medium", minutes=4,
    kind="word", compute=_why_detach, words=choice_words("abcd"), traps=_why_detach_traps,
))


# --- bits per character ---------------------------------------------------------------------------------

def _uniform_bits() -> float:
    from lstm_utils.charlm import uniform_bits

    return uniform_bits(SHAKESPEARE_V)


def _uniform_bits_traps() -> dict:
    return {math.log(SHAKESPEARE_V): "natural-log",
            math.log10(SHAKESPEARE_V): "log-ten",
            1 / SHAKESPEARE_V: "probability-not-bits",
            float(SHAKESPEARE_V): "perplexity-not-bits"}


EXERCISES.append(Exercise(
    id="charlm-uniform-bits", topic="bits per character", difficulty="easy", minutes=3, kind="number",
    tolerance=0.005, compute=_uniform_bits, traps=_uniform_bits_traps,
))


def _perplexity() -> float:
    return 2.0 ** BPC


def _perplexity_traps() -> dict:
    return {math.e ** BPC: "natural-exponent",
            10.0 ** BPC: "exponent-ten",
            2.0 ** -BPC: "probability-not-perplexity",
            BPC * math.log(2): "nats-not-perplexity",
            BPC ** 2: "squared"}


EXERCISES.append(Exercise(
    id="charlm-perplexity", topic="bits per character", difficulty="easy", minutes=3, kind="number",
    tolerance=0.005, compute=_perplexity, traps=_perplexity_traps,
))


@cache
def _bias_only_vs_unigram() -> tuple[float, float]:
    """Bits per character on the first 5,000 validation characters of a model whose only non-zero
    parameters are its output bias, log of the add-one character frequencies of the training text, and
    of the unigram baseline on the same text."""
    from collections import Counter

    import numpy as np

    from lstm_utils.charlm import CharLM, unigram_bits
    from lstm_utils.charlm_train import vocabulary
    from lstm_utils.reference import LSTMWeights
    from lstm_utils.tasks import char_corpus

    train, valid = char_corpus()
    valid = valid[:5000]
    vocab = vocabulary(train + valid)
    V = len(vocab)
    seen = Counter(train)
    counts = np.array([seen[ch] + 1 for ch in vocab], dtype=np.float64)
    zero = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.zeros((4, 1)))
    lm = CharLM(vocab, np.zeros((V, 1)), zero, np.zeros((V, 1)), np.log(counts / counts.sum()))
    return lm.bits_per_char(valid), unigram_bits(train, valid, vocab)


def _worse_than_unigram() -> str:
    """(d), broken, if the output bias alone scores the unigram baseline (to 1e-6 bits per character)."""
    bias_only, unigram = _bias_only_vs_unigram()
    return "d" if abs(bias_only - unigram) < 1e-6 else "a"


def _worse_than_unigram_traps() -> dict:
    return {"a": "not-overfitting", "b": "more-steps-alone", "c": "bpc-comparable"}


EXERCISES.append(Exercise(
    id="charlm-worse-than-unigram", topic="bits per character", difficulty="medium", minutes=4,
    kind="word", compute=_worse_than_unigram, words=choice_words("abcd"), traps=_worse_than_unigram_traps,
))


@cache
def _ngram_fit() -> dict[int, tuple[float, float]]:
    """Order -> (bits per character on its own training text, on held-out text): n-gram models of the
    first 20,000 training characters, scored on themselves and on the first 5,000 validation characters."""
    from lstm_utils.charlm import ngram_bits
    from lstm_utils.charlm_train import vocabulary
    from lstm_utils.tasks import char_corpus

    train, valid = char_corpus()
    vocab = vocabulary(train + valid)
    train, valid = train[:20_000], valid[:5000]
    return {order: (ngram_bits(train, train, vocab, order), ngram_bits(train, valid, vocab, order))
            for order in (6, 7)}


def _order_seven() -> str:
    """(a), too few counts for its contexts, if order 7 fits its own training text better than order 6
    and held-out text worse."""
    fit = _ngram_fit()
    return "a" if fit[7][0] < fit[6][0] and fit[7][1] > fit[6][1] else "b"


def _order_seven_traps() -> dict:
    return {"b": "context-hurts", "c": "smoothing-cuts", "d": "valid-in-train"}


EXERCISES.append(Exercise(
    id="charlm-order-7-worse", topic="bits per character", difficulty="medium", minutes=4, kind="word",
    compute=_order_seven, words=choice_words("abcd"), traps=_order_seven_traps,
))


# --- sampling and temperature ---------------------------------------------------------------------------

def _logit_model(logits: tuple[float, ...]):
    """A CharLM whose every prediction is softmax(logits): all its weights are zero but the output bias."""
    import numpy as np

    from lstm_utils.charlm import UNKNOWN, CharLM
    from lstm_utils.reference import LSTMWeights

    V = len(logits)
    vocab = "abcdefghijklmnopqrstuvwxyz"[: V - 1] + UNKNOWN
    zero = LSTMWeights(np.zeros((4, 1, 1)), np.zeros((4, 1, 1)), np.zeros((4, 1)))
    return CharLM(vocab, np.zeros((V, 1)), zero, np.zeros((V, 1)), np.array(logits, dtype=np.float64))


def _top_probability(temperature: float) -> float:
    return float(_logit_model(LOGITS).next_char_probs("a", temperature).max())


def _temperature_prob() -> float:
    return _top_probability(TEMPERATURE)


def _temperature_prob_traps() -> dict:
    import numpy as np

    z = np.array(LOGITS)
    times_t = np.exp(z * TEMPERATURE) / np.exp(z * TEMPERATURE).sum()
    return {_top_probability(1.0): "temperature-ignored",
            float(times_t.max()): "times-temperature",
            _top_probability(1.0) ** (1 / TEMPERATURE): "not-renormalised",
            1 / len(LOGITS): "uniform",
            1.0: "greedy"}


EXERCISES.append(Exercise(
    id="charlm-temperature-prob", topic="sampling", difficulty="medium", minutes=5, kind="number",
    tolerance=0.005, compute=_temperature_prob, traps=_temperature_prob_traps,
))


def _repeats() -> str:
    """The temperature, as its letter, whose 120 sampled characters end in a loop (a period of at most 30
    over the last 60) and are the same for two seeds: a small random CharLM sampled at T = 0, 1 and 2."""
    import numpy as np

    from lstm_utils.charlm import CharLM
    from lstm_utils.reference import LSTMWeights

    rng = np.random.default_rng(0)
    vocab, e, m = "abcde~", 4, 8
    lm = CharLM(vocab, rng.normal(size=(6, e)), LSTMWeights.random(e, m, seed=0, dtype=np.float64),
                3 * rng.normal(size=(6, m)), np.zeros(6))

    def loops(temperature: float) -> bool:
        one, two = (lm.sample("ab", 120, temperature, seed=seed)[2:] for seed in (0, 1))
        tail = one[-60:]
        return one == two and any(tail[p:] == tail[:-p] for p in range(1, 31))

    (letter,) = [k for k, t in (("a", 0.0), ("b", 1.0), ("c", 2.0)) if loops(t)]
    return letter


def _repeats_traps() -> dict:
    return {"b": "t-one-loops", "c": "t-two-loops", BEYOND: "no-option-d"}


EXERCISES.append(Exercise(
    id="charlm-greedy-repeats", topic="sampling", difficulty="easy", minutes=3, kind="word",
    compute=_repeats, words=choice_words("abc" + BEYOND), traps=_repeats_traps,
))
