"""The bank of notebooks/exercises/02_shapes_and_gates.ipynb: Exercises 2 (shapes and gate order).

The answers are computed here; the words (titles, questions, hints, feedback) are in
bank_02_shapes_and_gates.toml beside it, as the notebook shows them (tests/test_exercises.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable

from lstm_utils.exercises.exercise import SEED, Exercise, M, shape_of
from lstm_utils.gates import gate_order
from lstm_utils.shapes import output_shapes

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []


def _transposed(shape: tuple[int, ...]) -> Callable[[], dict]:
    """The traps of a shape question: the right numbers in the wrong order (common.toml's
    ``transposed``)."""
    def traps() -> dict:
        return {shape[::-1]: "transposed"}
    return traps


def _forget_rows() -> tuple[int, int]:
    k = [g.role for g in gate_order("pytorch")].index("forget")
    return (k * M, (k + 1) * M)


def _shape_keras_kernel() -> tuple[int, ...]:
    return shape_of("kernel", "keras")


EXERCISES.append(Exercise(
    id="shape-keras-kernel", topic="shapes", difficulty="easy", minutes=2, kind="shape",
    compute=_shape_keras_kernel, traps=_transposed(shape_of("kernel", "keras")),
))


def _shape_pytorch_weight_hh() -> tuple[int, ...]:
    return shape_of("weight_hh_l0", "pytorch")


def _shape_pytorch_weight_hh_traps() -> dict:
    weight_hh = shape_of("weight_hh_l0", "pytorch")
    return {weight_hh[::-1]: "transposed",
            shape_of("weight_ih_l0", "pytorch"): "weight-ih",
            (M, M): "one-gate-block"}


EXERCISES.append(Exercise(
    id="shape-pytorch-weight-hh", topic="shapes", difficulty="easy", minutes=2, kind="shape",
    compute=_shape_pytorch_weight_hh, traps=_shape_pytorch_weight_hh_traps,
))


def _shape_matlab_input_weights() -> tuple[int, ...]:
    return shape_of("InputWeights", "matlab")


EXERCISES.append(Exercise(
    id="shape-matlab-input-weights", topic="shapes", difficulty="easy", minutes=2, kind="shape",
    compute=_shape_matlab_input_weights, traps=_transposed(shape_of("InputWeights", "matlab")),
))


def _shape_pytorch_hn() -> tuple[int, ...]:
    return output_shapes("pytorch", **SEED)["h_n"]


def _shape_pytorch_hn_traps() -> dict:
    return {output_shapes("pytorch", **SEED)["output"]: "output"}


EXERCISES.append(Exercise(
    id="shape-pytorch-hn", topic="shapes", difficulty="medium", minutes=4, kind="shape",
    compute=_shape_pytorch_hn, traps=_shape_pytorch_hn_traps,
))


def _shape_pytorch_output_batch_first() -> tuple[int, ...]:
    return output_shapes("pytorch", batch_first=True, **SEED)["output"]


def _shape_pytorch_output_batch_first_traps() -> dict:
    shapes = output_shapes("pytorch", batch_first=True, **SEED)
    return {output_shapes("pytorch", batch_first=False, **SEED)["output"]: "sequence-first",
            shapes["h_n"]: "h-n",
            (SEED["batch"], SEED["hidden_size"]): "last-step-only"}


EXERCISES.append(Exercise(
    id="shape-pytorch-output-batch-first", topic="shapes", difficulty="medium", minutes=3, kind="shape",
    compute=_shape_pytorch_output_batch_first, traps=_shape_pytorch_output_batch_first_traps,
))


def _shape_pytorch_bidirectional_hn() -> tuple[int, ...]:
    return output_shapes("pytorch", bidirectional=True, **SEED)["h_n"]


def _shape_pytorch_bidirectional_hn_traps() -> dict:
    return {(6, 64, 24): "directions-concatenated"}


EXERCISES.append(Exercise(
    id="shape-pytorch-bidirectional-hn", topic="shapes", difficulty="medium", minutes=4, kind="shape",
    compute=_shape_pytorch_bidirectional_hn, traps=_shape_pytorch_bidirectional_hn_traps,
))


def _shape_keras_return_sequences() -> tuple[int, ...]:
    return output_shapes("keras", batch=32, seq_len=13, input_size=5, hidden_size=10,
                      return_sequences=True)["output"]


def _shape_keras_return_sequences_traps() -> dict:
    return {(32, 10): "last-step-only"}


EXERCISES.append(Exercise(
    id="shape-keras-return-sequences", topic="shapes", difficulty="easy", minutes=3, kind="shape",
    compute=_shape_keras_return_sequences, traps=_shape_keras_return_sequences_traps,
))


def _gates_pytorch_order() -> list[str]:
    return [g.role for g in gate_order("pytorch")]


def _gates_pytorch_order_traps() -> dict:
    pytorch = _gates_pytorch_order()
    forget_first = ["forget", *(role for role in pytorch if role != "forget")]  # as many texts write them
    return {tuple(g.role for g in gate_order("onnx")): "onnx-order",
            tuple(forget_first): "forget-first"}


EXERCISES.append(Exercise(
    id="gates-pytorch-order", topic="gate order", difficulty="easy", minutes=3, kind="gates",
    compute=_gates_pytorch_order, traps=_gates_pytorch_order_traps,
))


def _gates_onnx_order() -> list[str]:
    return [g.role for g in gate_order("onnx")]


def _gates_onnx_order_traps() -> dict:
    return {tuple(g.role for g in gate_order("pytorch")): "pytorch-order"}


EXERCISES.append(Exercise(
    id="gates-onnx-order", topic="gate order", difficulty="medium", minutes=4, kind="gates",
    compute=_gates_onnx_order, traps=_gates_onnx_order_traps,
))


def _gates_keras_gru_order() -> list[str]:
    return [g.role for g in gate_order("keras", cell="gru")]


def _gates_keras_gru_order_traps() -> dict:
    return {tuple(g.role for g in gate_order("pytorch", cell="gru")):
         "pytorch-order"}


EXERCISES.append(Exercise(
    id="gates-keras-gru-order", topic="gate order", difficulty="medium", minutes=4, kind="gates",
    compute=_gates_keras_gru_order, cell="gru", traps=_gates_keras_gru_order_traps,
))


def _gates_forget_rows_traps() -> dict:
    return {(0, M): "input-gate-rows"}


EXERCISES.append(Exercise(
    id="gates-forget-rows", topic="gate order", difficulty="medium", minutes=5, kind="shape",
    compute=_forget_rows, traps=_gates_forget_rows_traps,
))
