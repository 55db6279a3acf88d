"""A character-level LSTM language model in NumPy: the course's shipped model, its baselines and sampling.

A language model gives every next character a probability. Its quality on held-out text is its cross
entropy in **bits per character** (bpc): the mean of ``-log2 p(next character | the text before it)``
over the text; a model that guesses uniformly among V characters scores ``log2 V``, and every bit less
means the model halves its uncertainty about each character (Shannon, 1951, *Prediction and Entropy of
Printed English*, Bell System Technical Journal 30(1)).

The model is an embedding, one LSTM layer and a linear output layer: the character-level LSTM of
Karpathy, Johnson and Fei-Fei (2015, *Visualizing and Understanding Recurrent Networks*, arXiv:1506.02078)
and of d2l's LSTM chapter, which feed one-hot vectors where this model has the embedding.
:class:`CharLM` runs it in float64 with :func:`lstm_utils.reference.lstm_forward`, so its results are
the same on every CPU up to float64 rounding; ``lstm_utils.charlm_train`` trains it in PyTorch and
:func:`load_pretrained` loads the shipped weights (``lstm_utils/data/charlm.npz``, the settings and the
training log beside them in ``charlm.json``).

The baselines are counted from the training text: :func:`uniform_bits`, :func:`unigram_bits` and
:func:`ngram_bits`, an n-gram model with Witten-Bell interpolated smoothing (Witten and Bell, 1991,
*The Zero-Frequency Problem*, IEEE Transactions on Information Theory 37(4)), in the interpolated form
Chen and Goodman study (1999, *An Empirical Study of Smoothing Techniques for Language Modeling*,
Computer Speech & Language 13(4)).
"""

from __future__ import annotations

import json
import math
import numbers
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from lstm_utils._validate import check_int, check_real
from lstm_utils.reference import LSTMWeights, lstm_forward, lstm_step

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["CharLM", "UNKNOWN", "load_pretrained", "ngram_bits", "unigram_bits", "uniform_bits"]

#: The character that stands for every character outside the vocabulary.
UNKNOWN = "~"
DATA = Path(__file__).resolve().parent / "data"
WEIGHTS_FILE = DATA / "charlm.npz"
SETTINGS_FILE = DATA / "charlm.json"


def _check_text(name: str, value: object, *, minimum: int = 0) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}.")
    if len(value) < minimum:
        raise ValueError(f"{name} has {len(value)} characters, must have at least {minimum}.")
    return value


def _check_vocab(vocab: object) -> str:
    vocab = _check_text("vocab", vocab, minimum=1)
    if len(set(vocab)) != len(vocab):
        raise ValueError("vocab repeats a character; each character must appear once.")
    return vocab


def _tempered(scores: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(scores / temperature) of a vector; the one-hot vector of the largest score at temperature 0.

    The scores are shifted to a maximum of 0 before the division, so a tiny temperature gives the one-hot
    limit instead of an overflow.
    """
    if temperature == 0:
        return np.eye(len(scores))[int(np.argmax(scores))]
    with np.errstate(over="ignore"):                 # a tiny temperature: -inf for all but the largest
        e = np.exp((scores - scores.max()) / temperature)
    return e / e.sum()


def _check_seed(seed: object) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        seed = int(seed)
    return check_int("seed", seed, minimum=0)


class CharLM:
    """Embedding -> one LSTM layer -> linear layer over the vocabulary, run in NumPy (float64).

    Parameters
    ----------
    vocab : str
        The vocabulary, one character per index; it must contain :data:`UNKNOWN`.
    embedding : array of shape (V, e)
        Row k is the input vector of character ``vocab[k]`` (an ``nn.Embedding`` weight).
    weights : LSTMWeights
        The LSTM layer (input size e, hidden size m), gates in the course's order.
    W_out : array of shape (V, m), b_out : array of shape (V,)
        The output layer: ``logits_t = W_out @ h_t + b_out`` (an ``nn.Linear(m, V)``).
    settings : dict, optional
        How the weights were made (the training script writes them); kept as ``.settings``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> lm = CharLM("ab~", rng.normal(size=(3, 2)), LSTMWeights.random(2, 4), rng.normal(size=(3, 4)),
    ...             np.zeros(3))
    >>> lm.encode("abc").tolist()       # 'c' is outside the vocabulary
    [0, 1, 2]
    >>> lm.counts()
    {'embedding': 6, 'lstm': 112, 'output': 15, 'total': 133}
    >>> len(lm.sample("ab", 5, seed=1)) == 2 + 5
    True
    """

    def __init__(self, vocab: str, embedding: object, weights: LSTMWeights, W_out: object, b_out: object,
                 settings: dict | None = None) -> None:
        vocab = _check_vocab(vocab)
        if UNKNOWN not in vocab:
            raise ValueError(f"vocab must contain the unknown character {UNKNOWN!r}.")
        V = len(vocab)
        self.vocab = vocab
        self.index = {ch: k for k, ch in enumerate(vocab)}
        self.embedding = np.asarray(embedding, dtype=np.float64)
        self.weights = weights.astype(np.float64)
        self.W_out = np.asarray(W_out, dtype=np.float64)
        self.b_out = np.asarray(b_out, dtype=np.float64)
        e, m = self.weights.input_size, self.weights.hidden_size
        for name, array, shape in (("embedding", self.embedding, (V, e)), ("W_out", self.W_out, (V, m)),
                                   ("b_out", self.b_out, (V,))):
            if array.shape != shape:
                raise ValueError(f"{name} has shape {array.shape}, must be {shape} "
                                 f"(vocabulary {V}, embedding {e}, hidden {m}).")
        self.settings = dict(settings or {})

    def __repr__(self) -> str:
        return (f"CharLM(vocabulary={len(self.vocab)}, embedding={self.weights.input_size}, "
                f"hidden={self.weights.hidden_size}, parameters={self.counts()['total']})")

    # --- characters and indices -------------------------------------------------------------------
    def encode(self, text: str) -> np.ndarray:
        """The indices of ``text``'s characters; a character outside the vocabulary becomes UNKNOWN's."""
        text = _check_text("text", text)
        unknown = self.index[UNKNOWN]
        return np.fromiter((self.index.get(ch, unknown) for ch in text), dtype=np.int64, count=len(text))

    def decode(self, indices: object) -> str:
        """The characters of some indices."""
        return "".join(self.vocab[int(k)] for k in np.asarray(indices).ravel())

    def counts(self) -> dict[str, int]:
        """Parameters of each part: V*e, 4*(m*(e + m) + m) and V*m + V, and their total."""
        parts = {"embedding": self.embedding.size, "lstm": self.weights.count(),
                 "output": self.W_out.size + self.b_out.size}
        return {**parts, "total": sum(parts.values())}

    # --- running the model --------------------------------------------------------------------------
    def run(self, text: str, state: tuple[np.ndarray, np.ndarray] | None = None, *,
            return_cache: bool = False):
        """Read ``text`` from ``state`` (zeros if None): the logits after each character, and the state.

        Returns ``logits`` of shape (len(text), V), row t scoring the character after ``text[t]``, and
        ``(h, c)`` of shape (m,) each; with ``return_cache=True`` also the
        :class:`~lstm_utils.reference.LSTMCache` of the pass (gates and cell states at every step).
        """
        x = self.embedding[self.encode(text)][None]                     # (1, T, e)
        h0, c0 = (None, None) if state is None else (state[0][None], state[1][None])
        result = lstm_forward(x, self.weights, h0, c0, return_cache=return_cache)
        outputs, (h, c) = result[0], result[1]
        logits = outputs[0] @ self.W_out.T + self.b_out                 # (T, V)
        if return_cache:
            return logits, (h[0], c[0]), result[2]
        return logits, (h[0], c[0])

    def bits_per_char(self, text: str) -> float:
        """Mean of -log2 p(text[t+1] | text[:t+1]) over the text from its second character (zero start)."""
        text = _check_text("text", text, minimum=2)
        logits, _ = self.run(text[:-1])
        z = logits - logits.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))        # natural log-probabilities
        targets = self.encode(text[1:])
        return float(-log_p[np.arange(len(targets)), targets].mean() / math.log(2))

    def next_char_probs(self, prompt: str, temperature: float = 1.0) -> np.ndarray:
        """The distribution of the character after ``prompt``: softmax(logits / temperature), shape (V,).

        At ``temperature=0`` the one-hot vector of the most likely character (what greedy sampling takes).
        """
        prompt = _check_text("prompt", prompt, minimum=1)
        temperature = check_real("temperature", temperature, min_val=0.0)
        logits, _ = self.run(prompt)
        return _tempered(logits[-1], temperature)

    def sample(self, prompt: str, n: int, temperature: float = 1.0, seed: int | None = 0) -> str:
        """``prompt`` and ``n`` characters drawn one at a time, each fed back as the next input.

        Each character is drawn from softmax(logits / temperature) with ``numpy.random.default_rng(seed)``:
        the same seed writes the same text (the default, 0, makes every call alike; ``seed=None`` draws
        fresh randomness). ``temperature=0`` takes the most likely character every time (greedy) and
        draws no random number. Below 1 the distribution is sharpened, above 1 flattened.
        """
        prompt = _check_text("prompt", prompt, minimum=1)
        n = check_int("n", n, minimum=0)
        temperature = check_real("temperature", temperature, min_val=0.0)
        seed = _check_seed(seed)
        rng = np.random.default_rng(seed)
        logits, (h, c) = self.run(prompt[:-1]) if len(prompt) > 1 else (None, (None, None))
        m = self.weights.hidden_size
        h = np.zeros(m) if h is None else h
        c = np.zeros(m) if c is None else c
        k = self.encode(prompt[-1])[0]
        out = []
        for _ in range(n):
            h, c, _ = lstm_step(self.embedding[k], h, c, self.weights)
            scores = self.W_out @ h + self.b_out                         # (V,)
            if temperature == 0:
                k = int(np.argmax(scores))
            else:
                cumulative = np.cumsum(_tempered(scores, temperature))   # u * total < total: k <= V - 1
                k = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            out.append(self.vocab[k])
        return prompt + "".join(out)

    # --- to and from PyTorch ------------------------------------------------------------------------
    @classmethod
    def from_torch(cls, model: object, vocab: str, settings: dict | None = None) -> CharLM:
        """The NumPy copy of a PyTorch model with ``.embedding``, ``.lstm`` (one layer) and ``.head``."""
        from lstm_utils.convert import from_torch

        def array(tensor: object) -> np.ndarray:
            return tensor.detach().cpu().double().numpy()

        return cls(vocab, array(model.embedding.weight), from_torch(model.lstm), array(model.head.weight),
                   array(model.head.bias), settings)

    def arrays(self) -> dict[str, np.ndarray]:
        """The weights as named arrays (what ``charlm.npz`` holds)."""
        return {"embedding": self.embedding, "W": self.weights.W, "U": self.weights.U, "b": self.weights.b,
                "W_out": self.W_out, "b_out": self.b_out}


def load_pretrained() -> CharLM:
    """The course's shipped model: trained by ``python -m lstm_utils.charlm_train`` on
    :func:`lstm_utils.tasks.char_corpus`; ``.settings`` holds the settings and the training log.

    Examples
    --------
    >>> lm = load_pretrained()
    >>> lm.sample("The LSTM", 0)
    'The LSTM'
    """
    settings = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
    with np.load(WEIGHTS_FILE) as data:
        arrays = {name: data[name] for name in data.files}
    weights = LSTMWeights(arrays["W"], arrays["U"], arrays["b"])
    return CharLM(settings["vocab"], arrays["embedding"], weights, arrays["W_out"], arrays["b_out"], settings)


# --- baselines ---------------------------------------------------------------------------------------
def uniform_bits(vocab_size: int) -> float:
    """Bits per character of the uniform model over ``vocab_size`` characters: log2(vocab_size).

    >>> uniform_bits(128)
    7.0
    """
    return math.log2(check_int("vocab_size", vocab_size))


def unigram_bits(train: str, text: str, vocab: str) -> float:
    """Bits per character on ``text[1:]`` of character frequencies counted in ``train``.

    The order-1 case of :func:`ngram_bits`: the counts interpolated with the uniform distribution.

    >>> round(unigram_bits("aab", "ab", "ab~"), 3)      # p(b) = (1 + 2 * 1/3) / (3 + 2)
    1.585
    """
    return ngram_bits(train, text, vocab, order=1)


def ngram_bits(train: str, text: str, vocab: str, order: int) -> float:
    """Bits per character on ``text[1:]`` of an n-gram model of ``train``, Witten-Bell interpolated.

    The probability of character c after the context h (the ``order - 1`` characters before it, fewer at
    the start of the text) is ``(C(h c) + T(h) * p(c | h')) / (C(h) + T(h))``, where C counts in the
    training text, T(h) is the number of different characters seen after h, and h' is h without its
    first character; below the unigram lies the uniform distribution over ``vocab``. Characters
    outside ``vocab`` count as :data:`UNKNOWN`.

    Examples
    --------
    >>> round(ngram_bits("abababab", "abab", "ab~", order=2), 3)
    0.177
    """
    order = check_int("order", order)
    vocab = _check_vocab(vocab)
    train, text = (_check_text(name, t, minimum=2) for name, t in (("train", train), ("text", text)))
    known = set(vocab)
    train, text = ("".join(ch if ch in known else UNKNOWN for ch in t) for t in (train, text))
    counts: list[dict[str, Counter]] = [defaultdict(Counter) for _ in range(order)]
    for j in range(order):                                # counts[j][h][c]: contexts h of length j
        for t in range(j, len(train)):
            counts[j][train[t - j:t]][train[t]] += 1
    totals = [{h: (sum(c.values()), len(c)) for h, c in level.items()} for level in counts]
    bits = 0.0
    for t in range(1, len(text)):
        p = 1.0 / len(vocab)                               # the floor: the uniform distribution
        for j in range(0, min(order - 1, t) + 1):          # from the unigram to the longest context
            h = text[t - j:t]
            if h not in totals[j]:
                break
            n, types = totals[j][h]
            p = (counts[j][h][text[t]] + types * p) / (n + types)
        bits -= math.log2(p)
    return bits / (len(text) - 1)
