"""The bank of notebooks/exercises/02_shapes_and_gates.ipynb: Exercises 2 (shapes and gate order).

Each entry's title and question are the ones the notebook shows (tests/test_exercises.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable

from lstm_utils.exercises.exercise import SEED, Exercise, M, shape_of
from lstm_utils.gates import gate_order
from lstm_utils.shapes import output_shapes

EXERCISES: list[Exercise] = []


def _transposed(shape: tuple[int, ...]) -> Callable[[], dict]:
    """The traps of a shape question: the right numbers in the wrong order."""
    def traps() -> dict:
        return {shape[::-1]: "the numbers are right but transposed: check which axis holds the 4m gates."}
    return traps


def _forget_rows() -> tuple[int, int]:
    k = [g.role for g in gate_order("pytorch")].index("forget")
    return (k * M, (k + 1) * M)


def _shape_keras_kernel() -> tuple[int, ...]:
    return shape_of("kernel", "keras")


EXERCISES.append(Exercise(
    id="shape-keras-kernel", topic="shapes", difficulty="easy", minutes=2,
    title="Keras kernel",
    question="""
Keras `LSTM(256)` on 100 features. What is the shape of `layer.kernel` (the input weights of all
four gates)?
""",
    kind="shape", compute=_shape_keras_kernel,
    see=(("04_example_100_to_256", "How Keras stores them"),),
    explanation="Keras keeps inputs on the rows: (n, 4m).",
    traps=_transposed(shape_of("kernel", "keras")),
))


def _shape_pytorch_weight_hh() -> tuple[int, ...]:
    return shape_of("weight_hh_l0", "pytorch")


EXERCISES.append(Exercise(
    id="shape-pytorch-weight-hh", topic="shapes", difficulty="easy", minutes=2,
    title="PyTorch weight_hh_l0",
    question="""
`nn.LSTM(100, 256)`: what is the shape of `weight_hh_l0`?
""",
    kind="shape", compute=_shape_pytorch_weight_hh,
    see=(("04_example_100_to_256", "How PyTorch stores them"),),
    explanation="PyTorch stacks the 4 gates along the rows: (4m, m).",
))


def _shape_matlab_input_weights() -> tuple[int, ...]:
    return shape_of("InputWeights", "matlab")


EXERCISES.append(Exercise(
    id="shape-matlab-input-weights", topic="shapes", difficulty="easy", minutes=2,
    title="MATLAB InputWeights",
    question="""
MATLAB `lstmLayer(256)` on sequences with 100 features. What is the size of `InputWeights`?
(MATLAB writes sizes as rows-by-columns; give it as a pair.)
""",
    kind="shape", compute=_shape_matlab_input_weights,
    see=(("04_example_100_to_256", "How MATLAB stores them"),),
    explanation="4*NumHiddenUnits-by-InputSize.",
    traps=_transposed(shape_of("InputWeights", "matlab")),
))


def _shape_pytorch_hn() -> tuple[int, ...]:
    return output_shapes("pytorch", **SEED)["h_n"]


def _shape_pytorch_hn_traps() -> dict:
    return {output_shapes("pytorch", **SEED)["output"]: "that is `output` (every step of the last "
                                                      "layer); h_n has one row per layer."}


EXERCISES.append(Exercise(
    id="shape-pytorch-hn", topic="shapes", difficulty="medium", minutes=4,
    title="h_n of the source material's model",
    question="""
`nn.LSTM(input_size=3, hidden_size=12, num_layers=6)` receives a batch of 64 sequences of 3 time
steps (the default `batch_first=False`). What is the shape of `h_n`?
""",
    kind="shape", compute=_shape_pytorch_hn,
    see=(('07_pytorch_lstm', "3. The source material's configuration: output, h_n and c_n"),),
    explanation="(num_layers * directions, batch, hidden_size): one final state per layer.",
    traps=_shape_pytorch_hn_traps,
))


def _shape_pytorch_output_batch_first() -> tuple[int, ...]:
    return output_shapes("pytorch", batch_first=True, **SEED)["output"]


EXERCISES.append(Exercise(
    id="shape-pytorch-output-batch-first", topic="shapes", difficulty="medium", minutes=3,
    title="output with batch_first=True",
    question="""
The same layer with `batch_first=True`, fed a (64, 3, 3) tensor. What is the shape of `output`?
""",
    kind="shape", compute=_shape_pytorch_output_batch_first,
    see=(("07_pytorch_lstm", "With `batch_first=True`"),),
    explanation="(batch, seq, hidden_size): batch_first moves the batch axis of input and output only.",
))


def _shape_pytorch_bidirectional_hn() -> tuple[int, ...]:
    return output_shapes("pytorch", bidirectional=True, **SEED)["h_n"]


def _shape_pytorch_bidirectional_hn_traps() -> dict:
    return {(6, 64, 24): "the directions are stacked on the first axis of h_n, not concatenated "
                      "on the last (that is what `output` does)."}


EXERCISES.append(Exercise(
    id="shape-pytorch-bidirectional-hn", topic="shapes", difficulty="medium", minutes=4,
    title="h_n of a bidirectional stack",
    question="""
The same six-layer layer with `bidirectional=True` (and `batch_first=False`). What is the shape of
`h_n` now?
""",
    kind="shape", compute=_shape_pytorch_bidirectional_hn,
    see=(
        ("07_pytorch_lstm", "With `bidirectional=True`"),
        ("10_stacked_bidirectional_projection", "5. The layout of `h_n` and `c_n`"),
    ),
    explanation="one final state per layer and direction: (2 * num_layers, batch, hidden_size).",
    traps=_shape_pytorch_bidirectional_hn_traps,
))


def _shape_keras_return_sequences() -> tuple[int, ...]:
    return output_shapes("keras", batch=32, seq_len=13, input_size=5, hidden_size=10,
                      return_sequences=True)["output"]


def _shape_keras_return_sequences_traps() -> dict:
    return {(32, 10): "that is return_sequences=False (the last step only)."}


EXERCISES.append(Exercise(
    id="shape-keras-return-sequences", topic="shapes", difficulty="easy", minutes=3,
    title="Keras return_sequences=True",
    question="""
Keras `LSTM(10, return_sequences=True)` receives a batch of 32 samples, each 13 time steps of 5
features. What is the shape of its output?
""",
    kind="shape", compute=_shape_keras_return_sequences,
    see=(("06_keras_lstm", "3. What comes back: `return_sequences` and `return_state`"),),
    explanation="one h_t per time step: (batch, steps, units).",
    traps=_shape_keras_return_sequences_traps,
))


def _gates_pytorch_order() -> list[str]:
    return [g.role for g in gate_order("pytorch")]


EXERCISES.append(Exercise(
    id="gates-pytorch-order", topic="gate order", difficulty="easy", minutes=3,
    title="PyTorch's gate order",
    question="""
In which order does PyTorch stack the four gate blocks inside `weight_ih_l0`? Give the four gates
as a list, from the first rows to the last (names or symbols).
""",
    kind="gates", compute=_gates_pytorch_order,
    see=(("07_pytorch_lstm", "2. Parameter names and shapes"), ("09_side_by_side", "1 · The table"),),
    explanation="PyTorch: i, f, g, o (input, forget, cell candidate g, output).",
))


def _gates_onnx_order() -> list[str]:
    return [g.role for g in gate_order("onnx")]


def _gates_onnx_order_traps() -> dict:
    return {tuple(g.role for g in gate_order("pytorch")): "that is PyTorch's (and Keras') order."}


EXERCISES.append(Exercise(
    id="gates-onnx-order", topic="gate order", difficulty="medium", minutes=4,
    title="ONNX's gate order",
    question="""
ONNX's LSTM operator stores the gates in a different order from Keras, PyTorch and MATLAB. Give its
order (first block to last).
""",
    kind="gates", compute=_gates_onnx_order,
    see=(('09_side_by_side', "4 · The same weights in MATLAB's and ONNX's layouts"),),
    explanation="ONNX: i, o, f, c. Weights moved to ONNX must be re-ordered block by block.",
    traps=_gates_onnx_order_traps,
))


def _gates_keras_gru_order() -> list[str]:
    return [g.role for g in gate_order("keras", cell="gru")]


def _gates_keras_gru_order_traps() -> dict:
    return {tuple(g.role for g in gate_order("pytorch", cell="gru")):
         "that is PyTorch's GRU order (r, z, n); Keras starts with the update gate."}


EXERCISES.append(Exercise(
    id="gates-keras-gru-order", topic="gate order", difficulty="medium", minutes=4,
    title="Keras' GRU gate order",
    question="""
A Keras `GRU` stacks three blocks in its `kernel`. Give their order (update, reset, candidate, in
some order).
""",
    kind="gates", compute=_gates_keras_gru_order,
    see=(('11_gru_and_simple_rnn', "4 · The GRU's gate order"),),
    explanation="Keras: z, r, h (update, reset, candidate); PyTorch and MATLAB put reset first.",
    cell="gru",
    traps=_gates_keras_gru_order_traps,
))


def _gates_forget_rows_traps() -> dict:
    return {(0, M): "rows 0:256 are the input gate; the forget gate is the second block."}


EXERCISES.append(Exercise(
    id="gates-forget-rows", topic="gate order", difficulty="medium", minutes=5,
    title="Where the forget gate lives",
    question="""
`nn.LSTM(100, 256)`: which rows of `weight_ih_l0` belong to the forget gate? Give the start and the
stop of the Python slice, e.g. `(0, 10)` for rows 0 to 9.
""",
    kind="shape", compute=_forget_rows,
    see=(
        ("07_pytorch_lstm", "2. Parameter names and shapes"),
        ("05_common_mistakes", "7 · Gate names swapped"),
    ),
    explanation="the second block of 256 rows: weight_ih_l0[256:512].",
    traps=_gates_forget_rows_traps,
))
