"""The bank of notebooks/exercises/03_conversions_and_mistakes.ipynb: conversions and misconceptions.

The answers are computed here; the words (titles, questions, hints, feedback) are in
bank_03_conversions_and_mistakes.toml beside it, as the notebook shows them (tests/test_exercises.py
checks it).
"""

from __future__ import annotations

from lstm_utils.counting import count_params, param_table
from lstm_utils.exercises.exercise import SEED, Exercise, M, N, choice_words, count_traps, shape_of
from lstm_utils.gates import gate_order
from lstm_utils.shapes import output_shapes

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []
#: The letter after the last option of a three-option question: a trap of its own ("there is no option").
BEYOND = "d"


#: 3.1's options, as the question writes them: (a PyTorch parameter, transposed?, gate blocks re-ordered?).
KERNEL_OPTIONS = {"a": ("weight_ih_l0", False, False), "b": ("weight_hh_l0", True, False),
                  "c": ("weight_ih_l0", True, True), "d": ("weight_ih_l0", True, False)}


def _where_the_kernel_goes() -> tuple[str, bool, bool]:
    """The PyTorch parameter holding the Keras kernel's numbers, whether it is transposed, and whether
    the gate blocks move (they do when the two frameworks' gate orders differ)."""
    kernel = shape_of("kernel", "keras")
    rows = param_table(N, M, framework="pytorch")
    name = next(r.name for r in rows if sorted(r.shape) == sorted(kernel) and r.name.startswith("weight"))
    transposed = shape_of(name, "pytorch") != kernel
    reordered = [g.role for g in gate_order("keras")] != [g.role for g in gate_order("pytorch")]
    return name, transposed, reordered


def _convert_kernel_to_pytorch() -> str:
    return next(letter for letter, says in KERNEL_OPTIONS.items() if says == _where_the_kernel_goes())


def _convert_kernel_to_pytorch_traps() -> dict:
    return {"a": ("not-transposed", {"kernel": shape_of("kernel", "keras"),
                                     "weight": shape_of("weight_ih_l0", "pytorch")}),
            "b": "weight-hh",
            "c": "reordered"}


EXERCISES.append(Exercise(
    id="convert-kernel-to-pytorch", topic="framework conversions", difficulty="easy", minutes=3, kind="word",
    compute=_convert_kernel_to_pytorch, words=choice_words(list(KERNEL_OPTIONS)),
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


def _mistake_forgot_bias_traps() -> dict:
    return {M: "one-gate-bias",
            count_params(N, M, framework="pytorch") - count_params(N, M, bias=False): "two-biases"}


EXERCISES.append(Exercise(
    id="mistake-forgot-bias", topic="misconceptions", difficulty="easy", minutes=3, kind="count",
    compute=_mistake_forgot_bias, traps=_mistake_forgot_bias_traps,
))


#: 3.8's options: the axes of h_n each claims (the question names them).
H_N_OPTIONS = {"a": ("batch", "layers", "hidden"), "b": ("layers", "batch", "hidden"),
               "c": ("batch", "hidden")}


def _mistake_batch_first_hn() -> str:
    axes = {SEED["batch"]: "batch", SEED["num_layers"]: "layers", SEED["hidden_size"]: "hidden"}  # 3 sizes
    h_n = tuple(axes[size] for size in output_shapes("pytorch", batch_first=True, **SEED)["h_n"])
    return next(letter for letter, says in H_N_OPTIONS.items() if says == h_n)


def _mistake_batch_first_hn_traps() -> dict:
    return {"a": "batch-first-everywhere", "c": "last-step", BEYOND: "no-option-d"}


EXERCISES.append(Exercise(
    id="mistake-batch-first-hn", topic="misconceptions", difficulty="easy", minutes=2, kind="word",
    compute=_mistake_batch_first_hn, words=choice_words([*H_N_OPTIONS, BEYOND]),
    traps=_mistake_batch_first_hn_traps,
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


#: 3.10's options: where each says PyTorch's ``dropout=`` acts.
DROPOUT_OPTIONS = {"a": "between stacked layers", "b": "on the output", "c": "inside the layer"}
#: Where ``nn.LSTM(dropout=p)`` acts: on the outputs of every layer but the last (PyTorch's
#: documentation; tests/test_exercises.py checks that a single layer's training outputs do not change).
PYTORCH_DROPOUT = "between stacked layers"


def _mistake_dropout_one_layer() -> str:
    return next(letter for letter, says in DROPOUT_OPTIONS.items() if says == PYTORCH_DROPOUT)


def _mistake_dropout_one_layer_traps() -> dict:
    return {"b": "on-the-output", "c": "keras-dropout", BEYOND: "no-option-d"}


EXERCISES.append(Exercise(
    id="mistake-dropout-one-layer", topic="misconceptions", difficulty="medium", minutes=3, kind="word",
    compute=_mistake_dropout_one_layer, words=choice_words([*DROPOUT_OPTIONS, BEYOND]),
    traps=_mistake_dropout_one_layer_traps,
))


#: 3.11's options: which steps of ``output`` give (forward final state, backward final state).
LAST_STEP_OPTIONS = {"a": (-1, -1), "b": (0, 0), "c": (-1, 0)}


def _mistake_bidirectional_last_step() -> str:
    """Run a small bidirectional layer with the NumPy reference (two calls of lstm_forward, the backward
    one on the reversed sequence) and find the steps of ``output`` that hold each direction's h_n."""
    import numpy as np

    from lstm_utils.reference import LSTMWeights, lstm_forward

    x = np.random.default_rng(0).standard_normal((2, 5, 4))                 # (batch, time, n)
    forward, (h_forward, _) = lstm_forward(x, LSTMWeights.random(4, 3, seed=1))
    backward, (h_backward, _) = lstm_forward(x[:, ::-1], LSTMWeights.random(4, 3, seed=2))
    output = np.concatenate([forward, backward[:, ::-1]], axis=-1)         # (batch, time, 2m)
    steps = (next(t for t in (-1, 0) if np.allclose(output[:, t, :3], h_forward)),
             next(t for t in (-1, 0) if np.allclose(output[:, t, 3:], h_backward)))
    return next(letter for letter, says in LAST_STEP_OPTIONS.items() if says == steps)


def _mistake_bidirectional_last_step_traps() -> dict:
    return {"a": "last-step-both", "b": "first-step-both", BEYOND: "no-option-d"}


EXERCISES.append(Exercise(
    id="mistake-bidirectional-last-step", topic="misconceptions", difficulty="hard", minutes=6, kind="word",
    compute=_mistake_bidirectional_last_step, words=choice_words([*LAST_STEP_OPTIONS, BEYOND]),
    traps=_mistake_bidirectional_last_step_traps,
))


def _mistake_forget_bias_init() -> int:
    return 1


def _mistake_forget_bias_init_traps() -> dict:
    return {0: "other-gates"}


EXERCISES.append(Exercise(
    id="mistake-forget-bias-init", topic="misconceptions", difficulty="easy", minutes=3, kind="count",
    compute=_mistake_forget_bias_init, traps=_mistake_forget_bias_init_traps,
))
