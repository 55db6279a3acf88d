"""Parameter counts that papers print for their LSTM models, where they print them, and the models rebuilt.

Each entry of :data:`PUBLISHED` holds one figure as a paper (or a later paper's table) prints it,
rounded as printed, with the architecture the paper describes. :func:`build` rebuilds the model in
PyTorch (on the ``meta`` device by default: shapes without memory, so 384 million parameters cost
nothing) and :func:`count` counts it, either the PyTorch way (two bias vectors per LSTM gate) or
with one bias per gate (Keras, MATLAB and most papers) or with no biases at all (connection
weights only). PyTorch's LSTM has no peepholes; where the paper's LSTM has them
(``PublishedCount.lstm == "V"``, Greff et al.'s name), the one-bias and weights-only counts add
them, three vectors of m weights per layer and direction. ``PublishedCount.rounds_to`` says
whether a count, rounded the way the paper rounds, gives the printed figure.

Sources (the figures and sizes checked against the papers' text):

* Sutskever, Vinyals and Le 2014, "Sequence to Sequence Learning with Neural Networks",
  arXiv:1409.3215, section 3.4: 4-layer LSTMs of 1000 cells, 1000-dimensional word embeddings, an
  input vocabulary of 160,000 and an output vocabulary of 80,000, "384M parameters of which 64M are
  pure recurrent connections (32M for the encoder LSTM and 32M for the decoder LSTM)". Section 2
  uses "the LSTM formulation from Graves": Graves 2013, "Generating Sequences With Recurrent Neural
  Networks", arXiv:1308.0850, equations 7-11, an LSTM with peepholes (V).
* Zaremba, Sutskever and Vinyals 2014, "Recurrent Neural Network Regularization", arXiv:1409.2329:
  2-layer LSTMs of 650 (medium) and 1500 (large) units on the 10,000-word Penn Treebank, without
  peepholes (NP); the counts 20M and 66M are tabulated by Merity, Keskar and Socher 2017
  (arXiv:1708.02182, Table 1).
* Merity, Keskar and Socher 2017, "Regularizing and Optimizing LSTM Language Models",
  arXiv:1708.02182, Table 1, "AWD-LSTM - 3-layer LSTM (tied)": 24M; three layers, 1150 hidden
  units, 400-dimensional embeddings, the last layer of 400 units so that the softmax can share
  (tie) the embedding matrix.
* Graves, Mohamed and Hinton 2013, "Speech Recognition with Deep Recurrent Neural Networks",
  arXiv:1303.5778, Table 1: CTC-3L-250H (three bidirectional LSTM layers of 250 cells per
  direction, with peepholes) 3.8M weights, and CTC-3L-500H-TANH (the same with tanh RNN layers
  of 500) 3.7M; 123 inputs (40 filter-bank coefficients plus energy, with first and second
  derivatives), 62 outputs (61 phonemes and the CTC blank).
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_utils._validate import check_bool, check_choice

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["PUBLISHED", "BIASES", "PublishedCount", "build", "count"]

#: How biases are counted: PyTorch's two vectors per gate, one per gate, or none (weights only).
BIASES = ("pytorch", "one", "none")


@dataclass(frozen=True)
class PublishedCount:
    """One parameter count as a paper prints it.

    Attributes
    ----------
    key : str
        The name used by :func:`build` and :func:`count`.
    model : str
        The model as the paper names it.
    source : str
        Authors, year, arXiv id and the section or table that prints the figure.
    printed : str
        The figure as printed ("384M", "3.8M").
    figure : int
        The printed figure as a whole number (384_000_000).
    step : int
        The rounding step of the printed figure (1_000_000 for "384M", 100_000 for "3.8M").
    lstm : str
        The paper's LSTM in Greff et al.'s names (:data:`lstm_utils.variants.VARIANTS`): "V" with
        peepholes, "NP" without; "" for a model without LSTM layers.
    """

    key: str
    model: str
    source: str
    printed: str
    figure: int
    step: int
    lstm: str = "NP"

    def rounds_to(self, n: int) -> bool:
        """Whether ``n`` rounded to the nearest multiple of ``step`` is the printed figure.

        Examples
        --------
        >>> PUBLISHED["seq2seq"].rounds_to(384_144_000)
        True
        """
        return (n + self.step // 2) // self.step * self.step == self.figure


_S2S = "Sutskever, Vinyals and Le 2014, arXiv:1409.3215, section 3.4"      # their LSTM: Graves 2013, V
_MERITY = "Merity, Keskar and Socher 2017, arXiv:1708.02182, Table 1"
_GRAVES = "Graves, Mohamed and Hinton 2013, arXiv:1303.5778, Table 1"

#: The published counts, by key.
PUBLISHED = {p.key: p for p in (
    PublishedCount("seq2seq", "seq2seq: 4-layer peephole LSTM encoder and decoder, 1000 cells", _S2S,
                   "384M", 384_000_000, 1_000_000, lstm="V"),
    PublishedCount("seq2seq_lstms", "seq2seq: the two LSTMs alone (32M each)", _S2S,
                   "64M", 64_000_000, 1_000_000, lstm="V"),
    PublishedCount("zaremba_medium", "Zaremba et al. 2014 (arXiv:1409.2329), medium: 2 x 650", _MERITY,
                   "20M", 20_000_000, 1_000_000),
    PublishedCount("zaremba_large", "Zaremba et al. 2014 (arXiv:1409.2329), large: 2 x 1500", _MERITY,
                   "66M", 66_000_000, 1_000_000),
    PublishedCount("awd_lstm", "AWD-LSTM - 3-layer LSTM (tied)", _MERITY, "24M", 24_000_000, 1_000_000),
    PublishedCount("ctc_3l_250h", "CTC-3L-250H: 3 bidirectional peephole LSTM layers of 250", _GRAVES,
                   "3.8M", 3_800_000, 100_000, lstm="V"),
    PublishedCount("ctc_3l_500h_tanh", "CTC-3L-500H-TANH: 3 bidirectional tanh RNN layers of 500",
                   _GRAVES, "3.7M", 3_700_000, 100_000, lstm=""),
)}


def _modules():
    import torch
    from torch import nn

    class Seq2Seq(nn.Module):
        """Sutskever et al. 2014: separate encoder and decoder LSTMs (without the paper's peepholes),
        a softmax over 80,000 words."""

        def __init__(self, bias: bool):
            super().__init__()
            self.source_embedding = nn.Embedding(160_000, 1000)
            self.target_embedding = nn.Embedding(80_000, 1000)
            self.encoder = nn.LSTM(1000, 1000, num_layers=4, bias=bias)
            self.decoder = nn.LSTM(1000, 1000, num_layers=4, bias=bias)
            self.softmax = nn.Linear(1000, 80_000, bias=bias)

    class WordLM(nn.Module):
        """A word-level LSTM language model: embedding, stacked LSTMs, softmax (optionally tied)."""

        def __init__(self, vocab: int, sizes: list[int], bias: bool, tied: bool):
            super().__init__()
            self.encoder = nn.Embedding(vocab, sizes[0])
            pairs = zip(sizes[:-1], sizes[1:], strict=True)            # (input, hidden) of each layer
            self.rnns = nn.ModuleList(nn.LSTM(a, b, bias=bias) for a, b in pairs)
            self.decoder = nn.Linear(sizes[-1], vocab, bias=bias)
            if tied:                       # the softmax reuses the embedding matrix (vocab, sizes[-1])
                self.decoder.weight = self.encoder.weight

    class Speech(nn.Module):
        """Graves et al. 2013's CTC networks: stacked bidirectional layers, 62 softmax outputs."""

        def __init__(self, kind: str, hidden: int, bias: bool):
            super().__init__()
            rnn = nn.LSTM if kind == "lstm" else nn.RNN
            self.rnn = rnn(123, hidden, num_layers=3, bidirectional=True, bias=bias)
            self.output = nn.Linear(2 * hidden, 62, bias=bias)

    return torch, Seq2Seq, WordLM, Speech


def build(key: str, *, bias: bool = True, tied: bool = True, device: str = "meta"):
    """The model of ``PUBLISHED[key]`` in PyTorch (batch-second modules, as the frameworks build them).

    Parameters
    ----------
    key : str
        One of :data:`PUBLISHED` ("seq2seq_lstms" builds the whole seq2seq model).
    bias : bool
        PyTorch's biases (two per LSTM gate, one per Linear unit), or none.
    tied : bool
        AWD-LSTM only: the softmax shares the embedding matrix, as the paper's "(tied)" says.
    device : str
        ``"meta"`` (default) builds shapes without allocating memory.

    Notes
    -----
    PyTorch's LSTM has no peepholes: ``seq2seq`` and ``ctc_3l_250h``, whose papers use them, are
    built without them; :func:`count` adds them when it counts one bias or weights only.

    Examples
    --------
    >>> sum(p.numel() for p in build("awd_lstm").parameters())
    24221600
    """
    key = check_choice("key", key, tuple(PUBLISHED))
    torch, Seq2Seq, WordLM, Speech = _modules()
    with torch.device(device):
        if key.startswith("seq2seq"):
            return Seq2Seq(bias)
        if key == "zaremba_medium":
            return WordLM(10_000, [650, 650, 650], bias, tied=False)
        if key == "zaremba_large":
            return WordLM(10_000, [1500, 1500, 1500], bias, tied=False)
        if key == "awd_lstm":
            return WordLM(10_000, [400, 1150, 1150, 400], bias, tied=tied)
        return Speech("lstm" if key == "ctc_3l_250h" else "rnn", 250 if key == "ctc_3l_250h" else 500, bias)


def count(key: str, biases: str = "pytorch", *, tied: bool = True, peepholes: bool | None = None) -> int:
    """Parameters of ``PUBLISHED[key]`` with ``biases`` counted one of the :data:`BIASES` ways.

    ``"pytorch"`` is ``sum(p.numel())`` of :func:`build` (shared weights once), PyTorch's LSTM
    without peepholes; ``"one"`` keeps one bias vector per gate (Keras's count: PyTorch's minus one
    ``bias_hh`` per LSTM/RNN layer and direction); ``"none"`` counts connection weights only. The
    last two include the paper's peepholes where it has them (``PUBLISHED[key].lstm == "V"``): three
    vectors of ``hidden_size`` weights per LSTM layer and direction, as :mod:`lstm_utils.variants`
    counts V.

    Parameters
    ----------
    key : str
        One of :data:`PUBLISHED`.
    biases : str
        One of :data:`BIASES`.
    tied : bool
        AWD-LSTM only: count the tied softmax and embedding matrix once.
    peepholes : bool or None
        None (default): as the paper's LSTM (never with ``biases="pytorch"``); True or False to count
        them or not whatever the paper did (``"pytorch"`` accepts only False or None).

    Raises
    ------
    ValueError
        An unknown ``key`` or ``biases``, or ``peepholes=True`` with ``biases="pytorch"``.

    Examples
    --------
    >>> count("seq2seq", "none")                       # Graves's LSTM: 4 x 2 x 3 x 1000 peephole weights
    384024000
    >>> count("seq2seq", "none", peepholes=False)
    384000000
    >>> count("seq2seq_lstms", "pytorch")
    64064000
    """
    key = check_choice("key", key, tuple(PUBLISHED))
    biases = check_choice("biases", biases, BIASES)
    if peepholes is not None:
        check_bool("peepholes", peepholes)
    if biases == "pytorch" and peepholes:
        raise ValueError("peepholes == True, but PyTorch's LSTM has none: biases='pytorch' counts "
                         "without them; use biases='one' or 'none' to count the paper's peepholes.")
    with_peepholes = (PUBLISHED[key].lstm == "V" and biases != "pytorch") if peepholes is None else peepholes
    model = build(key, bias=biases != "none", tied=tied)
    if key == "seq2seq_lstms":
        parts = [model.encoder, model.decoder]
    else:
        parts = [model]
    total = sum(p.numel() for part in parts for p in part.parameters())
    if biases == "one":
        # drop PyTorch's second bias vector: one bias_hh_l{k}[_reverse] per recurrent layer and direction
        total -= sum(p.numel() for part in parts for name, p in part.named_parameters()
                     if name.rsplit(".", 1)[-1].startswith("bias_hh"))
    if with_peepholes:
        # p_i, p_f, p_o: three vectors of hidden_size per LSTM layer and direction
        import torch

        total += sum(3 * lstm.hidden_size * lstm.num_layers * (2 if lstm.bidirectional else 1)
                     for part in parts for lstm in part.modules() if isinstance(lstm, torch.nn.LSTM))
    return int(total)
