"""The bank of notebooks/exercises/06_lstm_variants.ipynb: Exercises 6 (the LSTM variants, counted).

Questions on notebook 20 (the LSTM's family tree) and :mod:`lstm_utils.variants`, Greff et al.'s
(2017, arXiv:1503.04069) vanilla LSTM and its variants. Every count comes from
:func:`lstm_utils.variants.count_params` (one bias vector per gate, a diagonal peephole as m weights),
imported when the answer is computed. Each entry's title and question are the ones the notebook shows
(tests/test_exercises.py checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params as framework_count
from lstm_utils.exercises.exercise import Exercise, M, N

EXERCISES: list[Exercise] = []

FAMILY = "20_lstm_family_tree"
#: Sections of notebook 20 the hints point to.
ORIGINAL_1997 = (FAMILY, "3. 1997: the constant error carousel (Hochreiter and Schmidhuber)")
FORGET_GATE = (FAMILY, "4. 2000: the forget gate (Gers, Schmidhuber and Cummins)")
PEEPHOLES = (FAMILY, '5. 2000: peepholes (Gers and Schmidhuber, "Recurrent nets that time and count")')
BIDIRECTIONAL = (FAMILY,
                 "6. 2005: bidirectional LSTM and full backpropagation through time (Graves and Schmidhuber)")
COMPARISONS = (FAMILY, "8. 2015 and 2017: what the large comparisons found — and what cuDNN runs")
PUBLISHED = (FAMILY, "9. Published models, counted")
ONE_GATE = ("04_example_100_to_256", "The tensors of one gate")


def _count(*args, **kwargs) -> int:
    from lstm_utils.variants import count_params

    return count_params(*args, **kwargs)


def _peepholes(variant: str) -> int:
    from lstm_utils.variants import VARIANT_INFO

    return len(VARIANT_INFO[variant].peepholes)


def _variant_np() -> int:
    return _count(N, M, "NP")


def _variant_np_traps() -> dict:
    return {_count(N, M, "V"): "that is V, with three peepholes; NP has none.",
            framework_count(N, M, framework="pytorch"): "that is PyTorch's count with its second bias; "
                                                        "papers (and lu.variants) count one bias per gate."}


EXERCISES.append(Exercise(
    id="variant-np-100-256", topic="variants", difficulty="easy", minutes=3,
    title="NP: the LSTM the frameworks ship",
    question="""
Greff et al.'s variant NP ("no peepholes") is the LSTM of Keras, PyTorch, MATLAB and cuDNN. Counted as
papers count (one bias vector per gate), how many parameters does an NP layer with x_t of size 100 and
h_t of size 256 have?
""",
    kind="count", compute=_variant_np,
    see=(ONE_GATE, FORGET_GATE),
    explanation="four blocks (candidate and the three gates) of m(n + m) + m: the same number as Keras's "
    "LSTM(256) on 100 features.",
    traps=_variant_np_traps,
))


def _peephole_weights() -> int:
    return (_count(N, M, "V") - _count(N, M, "NP")) // _peepholes("V")


def _peephole_weights_traps() -> dict:
    return {M * M: "a peephole is diagonal: unit k of the cell feeds only unit k of its gate, m weights, "
                   "not an m x m matrix.",
            3 * M: "that is all three peepholes of V; the question asks for one."}


EXERCISES.append(Exercise(
    id="variant-peephole-size", topic="variants", difficulty="easy", minutes=3,
    title="What one peephole costs",
    question="""
A peephole connection lets a gate see the cell state: in V, $i_t = \\sigma(W_i x_t + U_i h_{t-1} +
p_i \\odot c_{t-1} + b_i)$, with $p_i$ a vector. How many weights does one peephole add to a layer with
h_t of size 256?
""",
    kind="count", compute=_peephole_weights,
    see=(PEEPHOLES,),
    explanation="m = 256 weights per peephole (a diagonal connection, p * c element by element); V has "
    "three, to the input, forget and output gates.",
    traps=_peephole_weights_traps,
))


def _variant_v() -> int:
    return _count(N, M, "V")


def _variant_v_traps() -> dict:
    return {_count(N, M, "NP"): "that leaves out the three peepholes.",
            _count(N, M, "NP") + 3 * M * M: "a peephole is diagonal: m weights each, not m x m."}


EXERCISES.append(Exercise(
    id="variant-v-100-256", topic="variants", difficulty="medium", minutes=4,
    title="V: the vanilla LSTM with peepholes",
    question="""
Greff et al.'s vanilla LSTM V has a forget gate and peepholes from the cell to the input, forget and
output gates. How many parameters does a V layer with x_t of size 100 and h_t of size 256 have?
""",
    kind="count", compute=_variant_v,
    see=(ONE_GATE, PEEPHOLES),
    explanation="NP's 4(m(n + m) + m) plus three peepholes of m weights.",
    traps=_variant_v_traps,
))


def _variant_cifg() -> int:
    return _count(N, M, "CIFG")


def _variant_cifg_traps() -> dict:
    return {_count(N, M, "V"): "that is V; in CIFG the forget gate f_t = 1 - i_t has no weights of its own.",
            _count(N, M, "V") - (M * (N + M) + M): "the coupled forget gate loses its peephole too.",
            _count(N, M, "NP") - (M * (N + M) + M): "CIFG keeps the peepholes of the input and output "
                                                    "gates."}


EXERCISES.append(Exercise(
    id="variant-cifg-100-256", topic="variants", difficulty="medium", minutes=5,
    title="CIFG: coupled input and forget gates",
    question="""
In the CIFG variant the forget gate is computed from the input gate, $f_t = 1 - i_t$, so it has no
weights, no bias and no peephole of its own; the input and output gates keep their peepholes. How many
parameters does a CIFG layer 100 → 256 have?
""",
    kind="count", compute=_variant_cifg,
    see=(ONE_GATE, COMPARISONS),
    explanation="three blocks (candidate, input and output gates) of m(n + m) + m, plus two peepholes of m.",
    traps=_variant_cifg_traps,
))


def _lstm_1997() -> int:
    # NFG without its peepholes (the 1997 LSTM had neither a forget gate nor peepholes)
    return _count(N, M, "NFG") - _peepholes("NFG") * M


def _lstm_1997_traps() -> dict:
    return {_count(N, M, "NFG"): "that is NFG with its two peepholes; peepholes came only in 2000.",
            _count(N, M, "NP"): "that is today's LSTM, with a forget gate (added in 2000)."}


EXERCISES.append(Exercise(
    id="variant-lstm-1997", topic="variants", difficulty="medium", minutes=5,
    title="The 1997 LSTM",
    question="""
Hochreiter and Schmidhuber's LSTM of 1997 had input and output gates but no forget gate (Gers,
Schmidhuber and Cummins added it in 2000) and no peepholes (Gers and Schmidhuber, 2000). Count a layer
100 → 256 of it as papers count (one bias per block); in Greff et al.'s names it is NFG without
peepholes.
""",
    kind="count", compute=_lstm_1997,
    see=(ONE_GATE, ORIGINAL_1997),
    explanation="three blocks (candidate, input and output gates) of m(n + m) + m: the cell only "
    "accumulates, c_t = c_{t-1} + i_t * g_t.",
    traps=_lstm_1997_traps,
))


def _variant_fgr() -> int:
    return _count(N, M, "FGR")


def _variant_fgr_traps() -> dict:
    return {_count(N, M, "V") + 3 * M * M: "each of the three gates reads the previous activations of all "
                                           "three gates: nine m x m matrices, not three.",
            _count(N, M, "V"): "that is V without the gate recurrence."}


EXERCISES.append(Exercise(
    id="variant-fgr-100-256", topic="variants", difficulty="hard", minutes=6,
    title="FGR: full gate recurrence",
    question="""
In the FGR variant every gate also reads the previous activations of all three gates: $i_t$ gets
$+\\,R_{ii}\\, i_{t-1} + R_{if}\\, f_{t-1} + R_{io}\\, o_{t-1}$, with each $R$ an m × m matrix, and so do
$f_t$ and $o_t$. Everything else is as in V. How many parameters does an FGR layer 100 → 256 have?
""",
    kind="count", compute=_variant_fgr,
    see=(ORIGINAL_1997,),
    explanation="V's count plus nine m x m matrices (3 gates x 3 previous activations); at m = 256 the "
    "gate recurrence alone is 589,824 weights, more than all of V.",
    traps=_variant_fgr_traps,
))


def _variant_stacked_bidirectional() -> int:
    return _count(40, 128, "V", num_layers=2, bidirectional=True)


def _variant_stacked_bidirectional_traps() -> dict:
    return {2 * _count(40, 128, "V", bidirectional=True): "the second layer reads the first layer's two "
                                                         "directions, 2 x 128 = 256 features, not 40.",
            _count(40, 128, "V") + _count(128, 128, "V"): "that is one direction per layer; each layer "
                                                          "has two.",
            2 * (_count(40, 128, "V") + _count(128, 128, "V")):
                "the second layer reads both directions of the first: 256 features, not 128."}


EXERCISES.append(Exercise(
    id="variant-stacked-bidirectional", topic="variants", difficulty="hard", minutes=8,
    title="Two bidirectional layers of V",
    question="""
A speech recogniser in the style of Graves et al. stacks two bidirectional layers of the vanilla LSTM V
(with peepholes), 128 units per direction, on 40 input features. How many parameters do the two layers
have together?
""",
    kind="count", compute=_variant_stacked_bidirectional,
    see=(BIDIRECTIONAL,
         ("10_stacked_bidirectional_projection", "3. Bidirectional: the second layer reads 2m features")),
    explanation="layer 1: two directions of V 40 -> 128; layer 2: two directions of V 256 -> 128, because "
    "it reads both directions' outputs side by side.",
    traps=_variant_stacked_bidirectional_traps,
))


def _sutskever_lstms() -> int:
    # encoder and decoder: each 4 layers of 1000 cells on 1000-dimensional embeddings, Graves's LSTM (V)
    return 2 * _count(1000, 1000, "V", num_layers=4)


def _sutskever_lstms_traps() -> dict:
    np_one_bias = 2 * _count(1000, 1000, "NP", num_layers=4)
    return {2 * 4 * 4 * 1000 * (1000 + 1000): "that is the connection weights alone (exactly the paper's "
                                              "64M), without the biases and the peepholes; the question "
                                              "asks for every trainable number.",
            2 * 4 * (4 * 1000 * (1000 + 1000) + 3 * 1000): "that is the weights with the peepholes but "
                                                          "without the biases: add one bias vector per "
                                                          "gate.",
            np_one_bias: "that leaves out the peepholes: Graves's LSTM has three vectors of 1000 per "
                         "layer.",
            2 * framework_count(1000, 1000, framework="pytorch", num_layers=4):
                "that is PyTorch's count: two biases per gate and no peepholes; count one bias and the "
                "peepholes.",
            _count(1000, 1000, "V", num_layers=4): "that is one of the two LSTMs; the encoder and the "
                                                   "decoder have their own.",
            2 * _count(1000, 1000, "V"): "each LSTM has four layers."}


EXERCISES.append(Exercise(
    id="variant-sutskever-2014", topic="published models", difficulty="hard", minutes=8,
    title="Sutskever et al.'s two LSTMs, counted in full",
    question="""
Sutskever, Vinyals and Le (2014, arXiv:1409.3215) translate with an encoder LSTM and a decoder LSTM,
each 4 layers of 1000 cells reading 1000-dimensional word embeddings, and write that 64M of their 384M
parameters are in the LSTMs. Their LSTM is Graves's (2013, arXiv:1308.0850), with peepholes: Greff et
al.'s V. How many trainable numbers do the two LSTMs have together, counted as `lu.variants` counts
(one bias vector per gate, each peephole m weights)? Give the exact number; notebook 20 shows that it
rounds to the paper's 64M, as the other conventions do.
""",
    kind="count", compute=_sutskever_lstms,
    see=(PUBLISHED,
         ("10_stacked_bidirectional_projection", "2. Stacking: the second layer reads m features")),
    explanation="each LSTM: 4 layers of 4(1000(1000 + 1000) + 1000) + 3 x 1000 = 8,007,000, so "
    "32,028,000 per LSTM (the paper's \"32M for the 'encoder' LSTM and 32M for the 'decoder' LSTM\") "
    "and 64,056,000 for both. The connection weights alone, without peepholes and biases, are exactly "
    "64,000,000; "
    "every convention rounds to 64M. The other 320M are the embeddings and the 80,000-word softmax.",
    traps=_sutskever_lstms_traps,
))
