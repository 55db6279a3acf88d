"""The bank of notebooks/exercises/01_counting.ipynb: Exercises 1 (counting by hand, then checked).

The answers are computed here; the words (titles, questions, hints, feedback) are in
bank_01_counting.toml beside it, as the notebook shows them (tests/test_exercises.py checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params
from lstm_utils.exercises.exercise import Exercise, M, N, count_traps
from lstm_utils.gates import gate_order

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []


def _count_one_gate() -> int:
    return count_params(5, 10) // len(gate_order("keras"))


def _count_one_gate_traps() -> dict:
    gates = len(gate_order("keras"))
    return {count_params(5, 10): "four-gates",
            count_params(5, 10, bias=False) // gates: "no-biases",
            10 * 5 + 10: "no-recurrent-weights"}  # m*n + m: W and b, U (m x m) left out


EXERCISES.append(Exercise(
    id="count-one-gate", topic="counting", difficulty="easy", minutes=3, kind="count",
    compute=_count_one_gate, traps=_count_one_gate_traps,
))


def _count_keras_13x5_10() -> int:
    return count_params(5, 10)


EXERCISES.append(Exercise(
    id="count-keras-13x5-10", topic="counting", difficulty="easy", minutes=2, kind="count",
    compute=_count_keras_13x5_10, traps=count_traps(5, 10, steps=13),
))


def _count_pytorch_13x5_10() -> int:
    return count_params(5, 10, framework="pytorch")


EXERCISES.append(Exercise(
    id="count-pytorch-13x5-10", topic="counting", difficulty="easy", minutes=3, kind="count",
    compute=_count_pytorch_13x5_10, traps=count_traps(5, 10, "pytorch"),
))


def _count_2_to_3() -> int:
    return count_params(2, 3)


EXERCISES.append(Exercise(
    id="count-2-to-3", topic="counting", difficulty="easy", minutes=3, kind="count", compute=_count_2_to_3,
    traps=count_traps(2, 3),
))


def _count_100_to_256() -> int:
    return count_params(N, M)


EXERCISES.append(Exercise(
    id="count-100-to-256", topic="counting", difficulty="medium", minutes=5, kind="count",
    compute=_count_100_to_256, traps=count_traps(N, M),
))


def _count_small_model() -> int:
    return count_params(3, 4) + (4 * 2 + 2)


def _count_small_model_traps() -> dict:
    return {count_params(5, 4) + 10: "steps-as-features",
         count_params(3, 4): "lstm-alone"}


EXERCISES.append(Exercise(
    id="count-small-model", topic="counting", difficulty="medium", minutes=5, kind="count",
    compute=_count_small_model, traps=_count_small_model_traps,
))


def _count_gru_keras() -> int:
    return count_params(32, 64, cell="gru")


def _count_gru_keras_traps() -> dict:
    return {count_params(32, 64, cell="gru", reset_after=False):
         "reset-after-false",
         count_params(32, 64): "lstm"}


EXERCISES.append(Exercise(
    id="count-gru-keras", topic="counting", difficulty="medium", minutes=6, kind="count",
    compute=_count_gru_keras, traps=_count_gru_keras_traps,
))


def _count_stacked_pytorch() -> int:
    return count_params(300, 512, framework="pytorch", num_layers=2)


def _count_stacked_pytorch_traps() -> dict:
    return {2 * count_params(300, 512, framework="pytorch"):
         "second-layer-input",
         count_params(300, 512, num_layers=2): "one-bias"}


EXERCISES.append(Exercise(
    id="count-stacked-pytorch", topic="counting", difficulty="hard", minutes=8, kind="count",
    compute=_count_stacked_pytorch, traps=_count_stacked_pytorch_traps,
))


def _count_bidirectional_keras() -> int:
    return count_params(16, 32, bidirectional=True)


def _count_bidirectional_keras_traps() -> dict:
    return {count_params(16, 32): "one-direction"}


EXERCISES.append(Exercise(
    id="count-bidirectional-keras", topic="counting", difficulty="medium", minutes=5, kind="count",
    compute=_count_bidirectional_keras, traps=_count_bidirectional_keras_traps,
))


def _count_projection() -> int:
    return count_params(N, M, framework="pytorch", proj_size=64)


def _count_projection_traps() -> dict:
    return {count_params(N, M, framework="pytorch") + 64 * 256:
         "weight-hh-shrinks"}


EXERCISES.append(Exercise(
    id="count-projection", topic="counting", difficulty="hard", minutes=8, kind="count",
    compute=_count_projection, traps=_count_projection_traps,
))
