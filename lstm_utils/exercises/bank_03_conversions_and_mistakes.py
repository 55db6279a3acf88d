"""The bank of notebooks/exercises/03_conversions_and_mistakes.ipynb: conversions and misconceptions.

Each entry's title and question are the ones the notebook shows (tests/test_exercises.py checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params, param_table
from lstm_utils.exercises.exercise import SEED, Exercise, M, N, count_traps, shape_of
from lstm_utils.shapes import output_shapes

EXERCISES: list[Exercise] = []


def _torch_partner_of_kernel() -> str:
    kernel = shape_of("kernel", "keras")
    return next(r.name for r in param_table(N, M, framework="pytorch") if r.shape == kernel[::-1])


def _convert_kernel_to_pytorch_traps() -> dict:
    return {"weight_hh_l0": "weight_hh_l0 takes recurrent_kernel (the weights on h_{t-1})."}


EXERCISES.append(Exercise(
    id="convert-kernel-to-pytorch", topic="framework conversions", difficulty="easy", minutes=3,
    title="Where the Keras kernel goes",
    question="""
You copy the weights of a Keras `LSTM(256)` on 100 features into `nn.LSTM(100, 256)`. Which PyTorch
parameter receives the (transposed) Keras `kernel`? Give its name.
""",
    kind="word", compute=_torch_partner_of_kernel,
    see=(
        ("09_side_by_side", "3 · The proof: one weight set, three implementations"),
    ),
    explanation="kernel (n, 4m) transposed is weight_ih_l0 (4m, n); recurrent_kernel goes to weight_hh_l0.",
    words={"weight ih l0": "weight_ih_l0", "weight ih": "weight_ih_l0", "lstm.weight ih l0": "weight_ih_l0"},
    traps=_convert_kernel_to_pytorch_traps,
))


def _convert_biases_to_keras() -> str:
    return "sum"


def _convert_biases_to_keras_traps() -> dict:
    return {"concatenate": "Keras' bias has 4m numbers, not 8m: the two vectors must become one.",
         "bias_ih": "that throws bias_hh away; the layer would compute different gates.",
         "bias_hh": "that throws bias_ih away; the layer would compute different gates."}


EXERCISES.append(Exercise(
    id="convert-biases-to-keras", topic="framework conversions", difficulty="medium", minutes=5,
    title="Two biases into one",
    question="""
Going the other way, PyTorch to Keras: PyTorch has `bias_ih_l0` and `bias_hh_l0`, Keras has one
`bias`. What do you put in Keras' bias? Answer in one word: `"sum"`, `"bias_ih"`, `"bias_hh"` or
`"concatenate"`.
""",
    kind="word", compute=_convert_biases_to_keras,
    see=(("07_pytorch_lstm", "5. Why two biases, and what they cost"),),
    explanation="both vectors are added inside every gate, so only their sum matters: b = b_ih + b_hh "
    "(verified with PyTorch in tests/test_exercises.py).",
    words={"add": "sum", "add them": "sum", "the sum": "sum", "bias ih + bias hh": "sum",
        "b ih + b hh": "sum", "concat": "concatenate", "concatenation": "concatenate",
        "bias ih": "bias_ih", "bias hh": "bias_hh"},
    traps=_convert_biases_to_keras_traps,
))


def _convert_pytorch_extra() -> int:
    return count_params(N, M, framework="pytorch") - count_params(N, M)


def _convert_pytorch_extra_traps() -> dict:
    return {M: "that is one gate's share; the extra bias covers four."}


EXERCISES.append(Exercise(
    id="convert-pytorch-extra", topic="framework conversions", difficulty="easy", minutes=3,
    title="PyTorch's extra parameters",
    question="""
For x_t of size 100 and h_t of size 256, how many more parameters does PyTorch's `nn.LSTM` have than
Keras' `LSTM`?
""",
    kind="count", compute=_convert_pytorch_extra,
    see=(('05_common_mistakes', "5 · Forgetting PyTorch's second bias"),),
    explanation="one extra bias vector of 4m.",
    traps=_convert_pytorch_extra_traps,
))


def _convert_matlab_bilstm() -> tuple[int, ...]:
    return param_table(40, 128, framework="matlab", bidirectional=True)[0].shape


def _convert_matlab_bilstm_traps() -> dict:
    return {(512, 40): "that is one direction; bilstmLayer stacks both in the same array."}


EXERCISES.append(Exercise(
    id="convert-matlab-bilstm", topic="framework conversions", difficulty="medium", minutes=4,
    title="MATLAB's bilstmLayer",
    question="""
MATLAB `bilstmLayer(128)` on sequences with 40 features. What is the size of its `InputWeights`?
""",
    kind="shape", compute=_convert_matlab_bilstm,
    see=(("08_matlab_lstmlayer", "2 · `bilstmLayer`: both directions in one array"),),
    explanation="both directions in one array: 8*NumHiddenUnits-by-InputSize.",
    traps=_convert_matlab_bilstm_traps,
))


def _mistake_time_steps() -> int:
    return count_params(5, 10)


EXERCISES.append(Exercise(
    id="mistake-time-steps", topic="misconceptions", difficulty="easy", minutes=2,
    title="Longer sequences, more parameters?",
    question="""
The Keras `LSTM(10)` on 5 features now reads sequences of 1,000 time steps instead of 13. How many
parameters does it have?
""",
    kind="count", compute=_mistake_time_steps,
    see=(("05_common_mistakes", "4 · Multiplying by the number of time steps"),),
    explanation="the same weights are used at every step; the count does not depend on the length.",
    traps=count_traps(5, 10, steps=1000),
))


def _mistake_tensors_not_numbers() -> int:
    return len(param_table(N, M))


def _mistake_tensors_not_numbers_traps() -> dict:
    return {12: "Keras does not keep one matrix per gate: the four gates share each tensor.",
         15: "that is the wrong answer from the source material.",
         len(param_table(N, M, framework="pytorch")): "that is PyTorch's number (two biases)."}


EXERCISES.append(Exercise(
    id="mistake-tensors-not-numbers", topic="misconceptions", difficulty="easy", minutes=2,
    title="Tensors are not parameters",
    question="""
One answer in the source material says an LSTM with x_t of size 100 and h_t of size 256 has "15
parameters". How many parameter **tensors** does a Keras `LSTM(256)` actually store? (`len(layer.weights)`)
""",
    kind="count", compute=_mistake_tensors_not_numbers,
    see=(("05_common_mistakes", "1 · Counting tensors instead of numbers"),),
    explanation="kernel, recurrent_kernel and bias: the four gates share each tensor.",
    traps=_mistake_tensors_not_numbers_traps,
))


def _mistake_forgot_bias() -> int:
    return count_params(N, M) - count_params(N, M, bias=False)


EXERCISES.append(Exercise(
    id="mistake-forgot-bias", topic="misconceptions", difficulty="easy", minutes=3,
    title="Forgetting the biases",
    question="""
A learner counts 4·(m·n + m·m) for n = 100, m = 256. How many parameters of the Keras layer are
missing from that count?
""",
    kind="count", compute=_mistake_forgot_bias,
    see=(("05_common_mistakes", "3 · Forgetting the biases"),),
    explanation="one bias of m per gate: 4m.",
))


def _mistake_batch_first_hn() -> bool:
    return (output_shapes("pytorch", batch_first=True, **SEED)["h_n"]
            != output_shapes("pytorch", batch_first=False, **SEED)["h_n"])


EXERCISES.append(Exercise(
    id="mistake-batch-first-hn", topic="misconceptions", difficulty="easy", minutes=2,
    title="Does batch_first change h_n?",
    question="""
In PyTorch, does `batch_first=True` change the shape of `h_n`? Answer True or False.
""",
    kind="bool", compute=_mistake_batch_first_hn,
    see=(("05_common_mistakes", "9 · `batch_first` thought to change `h_n`"),),
    explanation="batch_first applies to input and output only; h_n and c_n stay "
    "(layers*directions, batch, m).",
))


def _mistake_units() -> str:
    return "units"


def _mistake_units_traps() -> dict:
    return {"time steps": "13 is the number of time steps; the layer does not know it in advance.",
         "features": "5 is the number of features per step."}


EXERCISES.append(Exercise(
    id="mistake-units", topic="misconceptions", difficulty="easy", minutes=2,
    title="What does 10 count?",
    question="""
In `LSTM(10)` on inputs of shape (13, 5), what does 10 count? Answer `"time steps"`, `"features"` or
`"units"`.
""",
    kind="word", compute=_mistake_units,
    see=(
        ("05_common_mistakes", "8 · `units` read as time steps or as features"),
        ("00_start_here", "Glossary (术语表)"),
    ),
    explanation="10 is the size of h_t and c_t (hidden_size, NumHiddenUnits); 13 is the time steps, "
    "5 the features.",
    words={"hidden units": "units", "hidden size": "units", "hidden_size": "units", "m": "units",
        "numhiddenunits": "units", "unit": "units", "timesteps": "time steps", "steps": "time steps",
        "time step": "time steps", "feature": "features"},
    traps=_mistake_units_traps,
))


def _mistake_dropout_one_layer() -> bool:
    return False


EXERCISES.append(Exercise(
    id="mistake-dropout-one-layer", topic="misconceptions", difficulty="medium", minutes=3,
    title="dropout with one layer",
    question="""
`nn.LSTM(10, 20, num_layers=1, dropout=0.5)`, in training mode: does the `dropout` argument change
the outputs? Answer True or False.
""",
    kind="bool", compute=_mistake_dropout_one_layer,
    see=(("05_common_mistakes", "11 · `dropout` with a single PyTorch layer"),),
    explanation="PyTorch applies it between stacked layers only (not after the last), and warns when "
    "num_layers is 1 (verified in tests/test_exercises.py).",
))


def _mistake_bidirectional_last_step() -> bool:
    return False


EXERCISES.append(Exercise(
    id="mistake-bidirectional-last-step", topic="misconceptions", difficulty="hard", minutes=6,
    title="output[:, -1] in a bidirectional layer",
    question="""
`nn.LSTM(4, 3, bidirectional=True, batch_first=True)`. Is `output[:, -1]` equal to
`torch.cat([h_n[0], h_n[1]], dim=1)` (the final states of both directions)? Answer True or False.
""",
    kind="bool", compute=_mistake_bidirectional_last_step,
    see=(
        ("05_common_mistakes", "10 · `output[:, -1]` taken for the final state of a bidirectional layer"),
    ),
    explanation="the backward direction ends at t = 0, so its final state is output[:, 0, 3:], not "
    "output[:, -1, 3:] (verified in tests/test_exercises.py).",
))


def _mistake_forget_bias_init() -> int:
    return 1


def _mistake_forget_bias_init_traps() -> dict:
    return {0: "0 is where the other gates' biases start; the forget slice is set to 1."}


EXERCISES.append(Exercise(
    id="mistake-forget-bias-init", topic="misconceptions", difficulty="easy", minutes=3,
    title="The forget bias at the start",
    question="""
A fresh Keras `LSTM(10)` (default `unit_forget_bias=True`): what value does every entry of the
forget gate's slice of `bias` start at?
""",
    kind="count", compute=_mistake_forget_bias_init,
    see=(
        ("06_keras_lstm", "`unit_forget_bias`: the forget slice starts at 1"),
        ("05_common_mistakes", "12 · Assuming both frameworks start the forget-gate bias alike"),
    ),
    explanation="1, so that the cell starts by keeping its memory (verified in tests/test_exercises.py).",
    traps=_mistake_forget_bias_init_traps,
))
