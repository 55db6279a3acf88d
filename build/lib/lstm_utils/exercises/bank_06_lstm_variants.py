"""The bank of notebooks/exercises/06_lstm_variants.ipynb: Exercises 6 (the LSTM variants, counted).

Questions on notebook 20 (the LSTM's family tree) and :mod:`lstm_utils.variants`, Greff et al.'s (2017,
arXiv:1503.04069) vanilla LSTM and its variants. Every count comes from
:func:`lstm_utils.variants.count_params` (one bias vector per gate, a diagonal peephole as m weights),
imported when the answer is computed; the multiple-choice questions on what the variants are for derive
their letter from :mod:`lstm_utils.variants` where a computation can decide it, and otherwise name the
notebook 20 section (and Greff et al.'s abstract) that states the fact. The words are in
bank_06_lstm_variants.toml beside it, as the notebook shows them (tests/test_exercises.py checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params as framework_count
from lstm_utils.exercises.exercise import Exercise, M, N, choice_words

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []
#: The letter after the last option of a three-option question: a trap of its own ("there is no option").
BEYOND = "d"

def _count(*args, **kwargs) -> int:
    from lstm_utils.variants import count_params

    return count_params(*args, **kwargs)


def _peepholes(variant: str) -> int:
    from lstm_utils.variants import VARIANT_INFO

    return len(VARIANT_INFO[variant].peepholes)


def _variant_np() -> int:
    return _count(N, M, "NP")


def _variant_np_traps() -> dict:
    return {_count(N, M, "V"): "v",
            framework_count(N, M, framework="pytorch"): "pytorch"}


EXERCISES.append(Exercise(
    id="variant-np-100-256", topic="variants", difficulty="easy", minutes=3, kind="count",
    compute=_variant_np, traps=_variant_np_traps,
))


def _peephole_weights() -> int:
    return (_count(N, M, "V") - _count(N, M, "NP")) // _peepholes("V")


def _peephole_weights_traps() -> dict:
    return {M * M: "full-matrix",
            3 * M: "three-peepholes"}


EXERCISES.append(Exercise(
    id="variant-peephole-size", topic="variants", difficulty="easy", minutes=3, kind="count",
    compute=_peephole_weights, traps=_peephole_weights_traps,
))


def _output_peephole_reads() -> str:
    """Which cell state V's output-gate peephole reads: one step of lu.variants with only p_o non-zero,
    against o_t computed by hand from c_{t-1} (a) and from c_t (b)."""
    import numpy as np

    from lstm_utils.reference import sigmoid
    from lstm_utils.variants import VariantWeights, variant_forward

    rng = np.random.default_rng(0)
    w = VariantWeights.random("V", 2, 3, seed=0, dtype=np.float64)
    P = {**w.arrays, "p_i": np.zeros(3), "p_f": np.zeros(3)}
    x, h0, c0 = rng.normal(size=(1, 1, 2)), rng.normal(size=(1, 3)), rng.normal(size=(1, 3))
    _, (h, c) = variant_forward(x, VariantWeights("V", P), h0, c0)

    def pre(k):                                                          # W_k x_t + U_k h_{t-1} + b_k
        return x[:, 0] @ P[f"W_{k}"].T + h0 @ P[f"U_{k}"].T + P[f"b_{k}"]

    c_t = sigmoid(pre("f")) * c0 + sigmoid(pre("i")) * np.tanh(pre("c"))
    assert np.allclose(c, c_t, rtol=0, atol=1e-12)
    reads = {"a": c0, "b": c_t}
    (letter,) = [k for k, cell in reads.items()
                 if np.allclose(h, sigmoid(pre("o") + P["p_o"] * cell) * np.tanh(c_t), rtol=0, atol=1e-12)]
    return letter


def _output_peephole_reads_traps() -> dict:
    return {"a": "output-reads-old-cell", "c": "peephole-reads-h", BEYOND: "no-option-d"}


EXERCISES.append(Exercise(
    id="variant-output-peephole", topic="variants", difficulty="medium", minutes=3, kind="word",
    compute=_output_peephole_reads, words=choice_words("abc" + BEYOND), traps=_output_peephole_reads_traps,
))


def _variant_v() -> int:
    return _count(N, M, "V")


def _variant_v_traps() -> dict:
    return {_count(N, M, "NP"): "no-peepholes",
            _count(N, M, "NP") + 3 * M * M: "full-matrices"}


EXERCISES.append(Exercise(
    id="variant-v-100-256", topic="variants", difficulty="medium", minutes=4, kind="count",
    compute=_variant_v, traps=_variant_v_traps,
))


def _variant_cifg() -> int:
    return _count(N, M, "CIFG")


def _variant_cifg_traps() -> dict:
    return {_count(N, M, "V"): "v",
            _count(N, M, "V") - (M * (N + M) + M): "forget-peephole-kept",
            _count(N, M, "NP") - (M * (N + M) + M): "no-peepholes"}


EXERCISES.append(Exercise(
    id="variant-cifg-100-256", topic="variants", difficulty="medium", minutes=5, kind="count",
    compute=_variant_cifg, traps=_variant_cifg_traps,
))


def _cifg_trade() -> str:
    """(d), one block and one peephole fewer (about a quarter of V's count at 100 -> 256): lu.variants."""
    saved = _count(N, M, "V") - _count(N, M, "CIFG")                   # the forget block and its peephole
    share = _count(N, M, "CIFG") / _count(N, M, "V")                     # 75.0 % (74.6 % at 5 -> 10)
    return "d" if saved == M * (N + M) + M + M and 0.74 < share < 0.76 else "b"


def _cifg_trade_traps() -> dict:
    return {"a": "cifg-hurt", "b": "cifg-saves-nothing", "c": "cifg-peepholes-only"}


EXERCISES.append(Exercise(
    id="variant-cifg-trade", topic="variants", difficulty="medium", minutes=4, kind="word",
    compute=_cifg_trade, words=choice_words("abcd"), traps=_cifg_trade_traps,
))


def _lstm_1997() -> int:
    # NFG without its peepholes (the 1997 LSTM had neither a forget gate nor peepholes)
    return _count(N, M, "NFG") - _peepholes("NFG") * M


def _lstm_1997_traps() -> dict:
    return {_count(N, M, "NFG"): "nfg",
            _count(N, M, "NP"): "forget-gate"}


EXERCISES.append(Exercise(
    id="variant-lstm-1997", topic="variants", difficulty="medium", minutes=5, kind="count",
    compute=_lstm_1997, traps=_lstm_1997_traps,
))


def _unbounded_cell() -> str:
    """(c), the cell only accumulates, if on 200 steps of a constant input the 1997 cell (NFG without
    peepholes) grows past 50 while NP's stays below 1 (notebook 20, section 3's run)."""
    import numpy as np

    from lstm_utils.variants import VariantWeights, variant_forward

    nfg = VariantWeights.random("NFG", 3, 4, seed=0, dtype=np.float64)
    nfg_1997 = VariantWeights("NFG", {k: np.zeros_like(a) if k.startswith("p_") else a
                                      for k, a in nfg.arrays.items()})
    x_const = np.full((1, 200, 3), 0.5)
    c_nfg = variant_forward(x_const, nfg_1997)[1][1]
    c_np = variant_forward(x_const, VariantWeights.random("NP", 3, 4, seed=0, dtype=np.float64))[1][1]
    return "c" if np.abs(c_nfg).max() > 50 and np.abs(c_np).max() < 1 else "a"


def _unbounded_cell_traps() -> dict:
    return {"a": "forget-gate-grows", "b": "tanh-bounds-cell", "d": "input-gate-closes"}


EXERCISES.append(Exercise(
    id="variant-nfg-unbounded", topic="variants", difficulty="medium", minutes=4, kind="word",
    compute=_unbounded_cell, words=choice_words("abcd"), traps=_unbounded_cell_traps,
))


def _variant_fgr() -> int:
    return _count(N, M, "FGR")


def _variant_fgr_traps() -> dict:
    return {_count(N, M, "V") + 3 * M * M: "three-matrices",
            _count(N, M, "V"): "v"}


EXERCISES.append(Exercise(
    id="variant-fgr-100-256", topic="variants", difficulty="hard", minutes=6, kind="count",
    compute=_variant_fgr, traps=_variant_fgr_traps,
))


def _variant_stacked_bidirectional() -> int:
    return _count(40, 128, "V", num_layers=2, bidirectional=True)


def _variant_stacked_bidirectional_traps() -> dict:
    return {2 * _count(40, 128, "V", bidirectional=True): "second-layer-input",
            _count(40, 128, "V") + _count(128, 128, "V"): "one-direction",
            2 * (_count(40, 128, "V") + _count(128, 128, "V")):
                "second-layer-one-direction"}


EXERCISES.append(Exercise(
    id="variant-stacked-bidirectional", topic="variants", difficulty="hard", minutes=8, kind="count",
    compute=_variant_stacked_bidirectional, traps=_variant_stacked_bidirectional_traps,
))


def _sutskever_lstms() -> int:
    # encoder and decoder: each 4 layers of 1000 cells on 1000-dimensional embeddings, Graves's LSTM (V)
    return 2 * _count(1000, 1000, "V", num_layers=4)


def _sutskever_lstms_traps() -> dict:
    np_one_bias = 2 * _count(1000, 1000, "NP", num_layers=4)
    return {2 * 4 * 4 * 1000 * (1000 + 1000): "connection-weights",
            2 * 4 * (4 * 1000 * (1000 + 1000) + 3 * 1000): "peepholes-no-biases",
            np_one_bias: "no-peepholes",
            2 * framework_count(1000, 1000, framework="pytorch", num_layers=4):
                "pytorch",
            _count(1000, 1000, "V", num_layers=4): "one-lstm",
            2 * _count(1000, 1000, "V"): "one-layer"}


EXERCISES.append(Exercise(
    id="variant-sutskever-2014", topic="published models", difficulty="hard", minutes=8, kind="count",
    compute=_sutskever_lstms, traps=_sutskever_lstms_traps,
))


def _lstmp_is() -> str:
    """(b), PyTorch's proj_size, if its count is LSTMP's (lu.variants, V with proj_size) without the three
    peepholes and with a second bias vector, as notebook 20 counts both."""
    r = 128
    pytorch = framework_count(N, M, framework="pytorch", proj_size=r)
    return "b" if pytorch == _count(N, M, "V", proj_size=r) - 3 * M + 4 * M else "a"


def _lstmp_is_traps() -> dict:
    return {"a": "matlab-compresses", "c": "not-the-same-layer", "d": "one-of-them"}


EXERCISES.append(Exercise(
    id="variant-lstmp-which", topic="variants", difficulty="medium", minutes=4, kind="word",
    compute=_lstmp_is, words=choice_words("abcd"), traps=_lstmp_is_traps,
))


def _gru_coupling() -> str:
    """(c), CIFG: lu.variants' one coupled variant (f_t = 1 - i_t, as the GRU's z_t and 1 - z_t)."""
    from lstm_utils.variants import VARIANT_INFO, VARIANTS

    (coupled,) = [v for v in VARIANTS if VARIANT_INFO[v].coupled]
    return {"NFG": "a", "FGR": "b", "CIFG": "c", "NP": "d"}[coupled]


def _gru_coupling_traps() -> dict:
    return {"a": "gru-not-nfg", "b": "gru-not-fgr", "d": "gru-not-np"}


EXERCISES.append(Exercise(
    id="variant-gru-coupling", topic="variants", difficulty="easy", minutes=3, kind="word",
    compute=_gru_coupling, words=choice_words("abcd"), traps=_gru_coupling_traps,
))


def _greff_no_improvement() -> str:
    # Greff et al. 2017, abstract: "none of the variants can improve upon the standard LSTM architecture
    # significantly"; notebook 20, section 8, quotes it.
    return "c"


def _greff_no_improvement_traps() -> dict:
    return {"a": "fgr-improved", "b": "cifg-improved", "d": "np-improved"}


EXERCISES.append(Exercise(
    id="variant-greff-no-improvement", topic="variants", difficulty="easy", minutes=3, kind="word",
    compute=_greff_no_improvement, words=choice_words("abcd"), traps=_greff_no_improvement_traps,
))


def _greff_critical() -> str:
    # Greff et al. 2017, abstract: the forget gate and the output activation function are "its most
    # critical components"; notebook 20, section 8.
    return "b"


def _greff_critical_traps() -> dict:
    return {"a": "peepholes-recurrence", "c": "input-side", "d": "output-gate-peepholes"}


EXERCISES.append(Exercise(
    id="variant-greff-critical", topic="variants", difficulty="medium", minutes=3, kind="word",
    compute=_greff_critical, words=choice_words("abcd"), traps=_greff_critical_traps,
))


def _nfg_adding() -> str:
    # Notebook 20, section 10: NFG's median error below V's and NP's over five seeds (asserted there), and
    # the reasons its prose gives: little to forget, and bias 0 halving V's and NP's cells at the start.
    # The count that trap (a) refutes is computed: NFG has fewer parameters than V.
    return "b" if _count(N, M, "NFG") < _count(N, M, "V") else "a"


def _nfg_adding_traps() -> dict:
    return {"a": ("nfg-more-parameters", {"nfg": _count(N, M, "NFG"), "v": _count(N, M, "V")}),
            "c": "peepholes-forget", "d": "forget-gate-prevents"}


EXERCISES.append(Exercise(
    id="variant-nfg-adding", topic="variants", difficulty="hard", minutes=5, kind="word",
    compute=_nfg_adding, words=choice_words("abcd"), traps=_nfg_adding_traps,
))
