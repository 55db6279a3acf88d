"""The bank of notebooks/exercises/06_lstm_variants.ipynb: Exercises 6 (the LSTM variants, counted).

Questions on notebook 20 (the LSTM's family tree) and :mod:`lstm_utils.variants`, Greff et al.'s
(2017, arXiv:1503.04069) vanilla LSTM and its variants. Every count comes from
:func:`lstm_utils.variants.count_params` (one bias vector per gate, a diagonal peephole as m weights),
imported when the answer is computed. The words are in bank_06_lstm_variants.toml beside it, as the notebook
shows them (tests/test_exercises.py checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params as framework_count
from lstm_utils.exercises.exercise import Exercise, M, N

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []

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
