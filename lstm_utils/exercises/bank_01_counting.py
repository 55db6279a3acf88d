"""The bank of notebooks/exercises/01_counting.ipynb: Exercises 1 (counting by hand, then checked).

Each entry's title and question are the ones the notebook shows (tests/test_exercises.py checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params
from lstm_utils.exercises.exercise import Exercise, M, N, count_traps
from lstm_utils.gates import gate_order

EXERCISES: list[Exercise] = []


def _count_one_gate() -> int:
    return count_params(5, 10) // len(gate_order("keras"))


def _count_one_gate_traps() -> dict:
    return {count_params(5, 10): "that is all four gates."}


EXERCISES.append(Exercise(
    id="count-one-gate", topic="counting", difficulty="easy", minutes=3,
    title="One gate of LSTM(10) on 5 features",
    question="""
A Keras `LSTM(10)` reads sequences with 5 features per time step. How many parameters does **one**
gate (for example the forget gate) own? Count its weights on `[h_{t-1}, x_t]` and its bias.
""",
    kind="count", compute=_count_one_gate,
    see=(("02_example_13x5_to_10", "One gate, by hand"),),
    explanation="m*(n+m) + m with n = 5, m = 10.",
    traps=_count_one_gate_traps,
))


def _count_keras_13x5_10() -> int:
    return count_params(5, 10)


EXERCISES.append(Exercise(
    id="count-keras-13x5-10", topic="counting", difficulty="easy", minutes=2,
    title="The whole LSTM(10) on 5 features",
    question="""
Same layer: Keras `LSTM(10)` on inputs of shape (13, 5) — 13 time steps, 5 features. How many
trainable parameters does the layer have in total?
""",
    kind="count", compute=_count_keras_13x5_10,
    see=(("02_example_13x5_to_10", "The general formula"),),
    explanation="4(m(n+m) + m) = 4 gates of m(n+m) + m.",
    traps=count_traps(5, 10, steps=13),
))


def _count_pytorch_13x5_10() -> int:
    return count_params(5, 10, framework="pytorch")


EXERCISES.append(Exercise(
    id="count-pytorch-13x5-10", topic="counting", difficulty="easy", minutes=3,
    title="The same layer in PyTorch",
    question="""
Now build the same layer in PyTorch: `nn.LSTM(input_size=5, hidden_size=10)`. How many parameters
does `sum(p.numel() for p in lstm.parameters())` report?
""",
    kind="count", compute=_count_pytorch_13x5_10,
    see=(("02_example_13x5_to_10", "Referee 3: PyTorch disagrees"),),
    explanation="PyTorch adds a second bias vector (bias_hh) of 4m.",
    traps=count_traps(5, 10, "pytorch"),
))


def _count_2_to_3() -> int:
    return count_params(2, 3)


EXERCISES.append(Exercise(
    id="count-2-to-3", topic="counting", difficulty="easy", minutes=3,
    title="x_t of size 2, h_t of size 3",
    question="""
An LSTM has inputs x_t of size 2 and a hidden state h_t of size 3. How many parameters does it have
(Keras or MATLAB: one bias per gate)?
""",
    kind="count", compute=_count_2_to_3,
    see=(("03_example_2_to_3", "Part 1: n = 2, m = 3"),),
    explanation="per gate 3x(3+2) weights + 3 biases, times four gates.",
    traps=count_traps(2, 3),
))


def _count_100_to_256() -> int:
    return count_params(N, M)


EXERCISES.append(Exercise(
    id="count-100-to-256", topic="counting", difficulty="medium", minutes=5,
    title="x_t of size 100, h_t of size 256",
    question="""
The question from the source material: x_t has 100 features, h_t has 256 units. How many parameters
do W, U and b of all four gates hold together (Keras)?
""",
    kind="count", compute=_count_100_to_256,
    see=(("04_example_100_to_256", "The tensors of one gate"),),
    explanation="W: 4x256x100, U: 4x256x256, b: 4x256.",
    traps=count_traps(N, M),
))


def _count_small_model() -> int:
    return count_params(3, 4) + (4 * 2 + 2)


def _count_small_model_traps() -> dict:
    return {count_params(5, 4) + 10: "the LSTM sees 3 features per step; 5 is the number of steps.",
         count_params(3, 4): "that is the LSTM alone; add the Dense layer."}


EXERCISES.append(Exercise(
    id="count-small-model", topic="counting", difficulty="medium", minutes=5,
    title="LSTM(4) + Dense(2)",
    question="""
The Keras model `Sequential([Input((5, 3)), LSTM(4), Dense(2, activation="sigmoid")])`: how many
trainable parameters does `model.summary()` report in total?
""",
    kind="count", compute=_count_small_model,
    see=(("03_example_2_to_3", "Part 2: a small model, `LSTM(4)` + `Dense(2)`"),),
    explanation="the LSTM on 3 features with 4 units, plus Dense: 4 inputs x 2 units + 2 biases.",
    traps=_count_small_model_traps,
))


def _count_gru_keras() -> int:
    return count_params(32, 64, cell="gru")


def _count_gru_keras_traps() -> dict:
    return {count_params(32, 64, cell="gru", reset_after=False):
         "that is reset_after=False; the default keeps a second (recurrent) bias.",
         count_params(32, 64): "that is an LSTM (four gates); a GRU has three."}


EXERCISES.append(Exercise(
    id="count-gru-keras", topic="counting", difficulty="medium", minutes=6,
    title="A Keras GRU",
    question="""
Keras `GRU(64)` on 32 features, with the default `reset_after=True`. How many parameters?
""",
    kind="count", compute=_count_gru_keras,
    see=(('11_gru_and_simple_rnn', "2 · The seed's 2 → 3, for all three cells"),),
    explanation="three gates; reset_after=True keeps an input bias and a recurrent bias: 3(m(n+m) + 2m).",
    traps=_count_gru_keras_traps,
))


def _count_stacked_pytorch() -> int:
    return count_params(300, 512, framework="pytorch", num_layers=2)


def _count_stacked_pytorch_traps() -> dict:
    return {2 * count_params(300, 512, framework="pytorch"):
         "the second layer reads the first layer's 512-wide h, not the 300 input features.",
         count_params(300, 512, num_layers=2): "that is one bias per gate; this is PyTorch."}


EXERCISES.append(Exercise(
    id="count-stacked-pytorch", topic="counting", difficulty="hard", minutes=8,
    title="Two stacked layers in PyTorch",
    question="""
`nn.LSTM(input_size=300, hidden_size=512, num_layers=2)`. How many parameters? Remember what the
second layer receives as its input.
""",
    kind="count", compute=_count_stacked_pytorch,
    see=(("10_stacked_bidirectional_projection", "2. Stacking: the second layer reads m features"),),
    explanation="layer 0: 300 -> 512; layer 1: 512 -> 512; each with PyTorch's two biases.",
    traps=_count_stacked_pytorch_traps,
))


def _count_bidirectional_keras() -> int:
    return count_params(16, 32, bidirectional=True)


def _count_bidirectional_keras_traps() -> dict:
    return {count_params(16, 32): "that is one direction; Bidirectional holds two copies."}


EXERCISES.append(Exercise(
    id="count-bidirectional-keras", topic="counting", difficulty="medium", minutes=5,
    title="A bidirectional Keras layer",
    question="""
`Bidirectional(LSTM(32))` on 16 features per step (Keras). How many parameters?
""",
    kind="count", compute=_count_bidirectional_keras,
    see=(
        ("10_stacked_bidirectional_projection", "3. Bidirectional: the second layer reads 2m features"),
        ("06_keras_lstm", "6. Bidirectional and stacked layers"),
    ),
    explanation="two independent LSTMs, one per direction, each 16 -> 32.",
    traps=_count_bidirectional_keras_traps,
))


def _count_projection() -> int:
    return count_params(N, M, framework="pytorch", proj_size=64)


def _count_projection_traps() -> dict:
    return {count_params(N, M, framework="pytorch") + 64 * 256:
         "weight_hh shrinks too: it acts on the projected h of size 64, so it is (1024, 64)."}


EXERCISES.append(Exercise(
    id="count-projection", topic="counting", difficulty="hard", minutes=8,
    title="PyTorch's projection",
    question="""
`nn.LSTM(input_size=100, hidden_size=256, proj_size=64)`. How many parameters? (With a projection,
h_t has 64 numbers, and the recurrent weights act on that h.)
""",
    kind="count", compute=_count_projection,
    see=(
        ("10_stacked_bidirectional_projection",
            "PyTorch: `proj_size` shrinks h and adds `weight_hr`"),
    ),
    explanation="weight_ih (1024, 100), weight_hh (1024, 64), two biases (1024,), weight_hr (64, 256).",
    traps=_count_projection_traps,
))
