"""The bank of notebooks/exercises/03_conversions_and_mistakes.ipynb: conversions and misconceptions.

The answers are computed here; the words (titles, questions, hints, feedback) are in
bank_03_conversions_and_mistakes.toml beside it, as the notebook shows them (tests/test_exercises.py
checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params, param_table
from lstm_utils.exercises.exercise import SEED, Exercise, M, N, count_traps, shape_of
from lstm_utils.shapes import output_shapes

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []


def _torch_partner_of_kernel() -> str:
    kernel = shape_of("kernel", "keras")
    return next(r.name for r in param_table(N, M, framework="pytorch") if r.shape == kernel[::-1])


def _convert_kernel_to_pytorch_traps() -> dict:
    return {"weight_hh_l0": "weight-hh"}


EXERCISES.append(Exercise(
    id="convert-kernel-to-pytorch", topic="framework conversions", difficulty="easy", minutes=3, kind="word",
    compute=_torch_partner_of_kernel,
    words={"weight ih l0": "weight_ih_l0", "weight ih": "weight_ih_l0", "lstm.weight ih l0": "weight_ih_l0"},
    traps=_convert_kernel_to_pytorch_traps,
))


def _convert_biases_to_keras() -> str:
    return "sum"


def _convert_biases_to_keras_traps() -> dict:
    return {"concatenate": "concatenate",
         "bias_ih": "bias-ih-only",
         "bias_hh": "bias-hh-only"}


EXERCISES.append(Exercise(
    id="convert-biases-to-keras", topic="framework conversions", difficulty="medium", minutes=5, kind="word",
    compute=_convert_biases_to_keras,
    words={"add": "sum", "add them": "sum", "the sum": "sum", "bias ih + bias hh": "sum",
        "b ih + b hh": "sum", "concat": "concatenate", "concatenation": "concatenate",
        "bias ih": "bias_ih", "bias hh": "bias_hh"},
    traps=_convert_biases_to_keras_traps,
))


def _convert_pytorch_extra() -> int:
    return count_params(N, M, framework="pytorch") - count_params(N, M)


def _convert_pytorch_extra_traps() -> dict:
    return {M: "one-gate-share"}


EXERCISES.append(Exercise(
    id="convert-pytorch-extra", topic="framework conversions", difficulty="easy", minutes=3, kind="count",
    compute=_convert_pytorch_extra, traps=_convert_pytorch_extra_traps,
))


def _convert_matlab_bilstm() -> tuple[int, ...]:
    return param_table(40, 128, framework="matlab", bidirectional=True)[0].shape


def _convert_matlab_bilstm_traps() -> dict:
    return {(512, 40): "one-direction"}


EXERCISES.append(Exercise(
    id="convert-matlab-bilstm", topic="framework conversions", difficulty="medium", minutes=4, kind="shape",
    compute=_convert_matlab_bilstm, traps=_convert_matlab_bilstm_traps,
))


def _mistake_time_steps() -> int:
    return count_params(5, 10)


EXERCISES.append(Exercise(
    id="mistake-time-steps", topic="misconceptions", difficulty="easy", minutes=2, kind="count",
    compute=_mistake_time_steps, traps=count_traps(5, 10, steps=1000),
))


def _mistake_tensors_not_numbers() -> int:
    return len(param_table(N, M))


def _mistake_tensors_not_numbers_traps() -> dict:
    return {12: "one-matrix-per-gate",
         15: "source-material",
         len(param_table(N, M, framework="pytorch")): "pytorch"}


EXERCISES.append(Exercise(
    id="mistake-tensors-not-numbers", topic="misconceptions", difficulty="easy", minutes=2, kind="count",
    compute=_mistake_tensors_not_numbers, traps=_mistake_tensors_not_numbers_traps,
))


def _mistake_forgot_bias() -> int:
    return count_params(N, M) - count_params(N, M, bias=False)


EXERCISES.append(Exercise(
    id="mistake-forgot-bias", topic="misconceptions", difficulty="easy", minutes=3, kind="count",
    compute=_mistake_forgot_bias,
))


def _mistake_batch_first_hn() -> bool:
    return (output_shapes("pytorch", batch_first=True, **SEED)["h_n"]
            != output_shapes("pytorch", batch_first=False, **SEED)["h_n"])


EXERCISES.append(Exercise(
    id="mistake-batch-first-hn", topic="misconceptions", difficulty="easy", minutes=2, kind="bool",
    compute=_mistake_batch_first_hn,
))


def _mistake_units() -> str:
    return "units"


def _mistake_units_traps() -> dict:
    return {"time steps": "time-steps",
         "features": "features"}


EXERCISES.append(Exercise(
    id="mistake-units", topic="misconceptions", difficulty="easy", minutes=2, kind="word",
    compute=_mistake_units,
    words={"hidden units": "units", "hidden size": "units", "hidden_size": "units", "m": "units",
        "numhiddenunits": "units", "unit": "units", "timesteps": "time steps", "steps": "time steps",
        "time step": "time steps", "feature": "features"},
    traps=_mistake_units_traps,
))


def _mistake_dropout_one_layer() -> bool:
    return False


EXERCISES.append(Exercise(
    id="mistake-dropout-one-layer", topic="misconceptions", difficulty="medium", minutes=3, kind="bool",
    compute=_mistake_dropout_one_layer,
))


def _mistake_bidirectional_last_step() -> bool:
    return False


EXERCISES.append(Exercise(
    id="mistake-bidirectional-last-step", topic="misconceptions", difficulty="hard", minutes=6, kind="bool",
    compute=_mistake_bidirectional_last_step,
))


def _mistake_forget_bias_init() -> int:
    return 1


def _mistake_forget_bias_init_traps() -> dict:
    return {0: "other-gates"}


EXERCISES.append(Exercise(
    id="mistake-forget-bias-init", topic="misconceptions", difficulty="easy", minutes=3, kind="count",
    compute=_mistake_forget_bias_init, traps=_mistake_forget_bias_init_traps,
))
