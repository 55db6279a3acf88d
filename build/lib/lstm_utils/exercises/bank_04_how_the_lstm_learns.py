"""The bank of notebooks/exercises/04_how_the_lstm_learns.ipynb: Exercises 4 (how the LSTM learns).

Questions on notebooks 16 (why gates), 17 (backpropagation through time) and 18 (the adding problem).
The answers are computed here; the words (titles, questions, hints, feedback) are in
bank_04_how_the_lstm_learns.toml beside it, as the notebook shows them (tests/test_exercises.py checks it).
NumPy and the package's NumPy modules are imported inside the functions that compute the answers, so
that importing the exercises stays light.
"""

from __future__ import annotations

from lstm_utils import cost
from lstm_utils.exercises.exercise import Exercise, M, N, choice_words, framework_words

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []


def _direct_path_gate() -> list[str]:
    """The gate equal to dL/dc_{t-1} when dL/dc_t = 1 and nothing else: one step of lu.lstm_backward."""
    import numpy as np

    from lstm_utils.backward import lstm_backward
    from lstm_utils.reference import LSTMWeights, lstm_step

    rng = np.random.default_rng(0)
    weights = LSTMWeights.random(3, 4, seed=0, dtype=np.float64)
    x, h, c = rng.normal(size=(1, 1, 3)), rng.normal(size=(1, 4)), rng.normal(size=(1, 4))
    _, _, (_, dc_prev) = lstm_backward(x, weights, None, h, c, d_c_n=np.ones((1, 4)))
    _, _, gates = lstm_step(x[:, 0], h, c, weights)
    return [role for role, value in gates.items() if np.allclose(value, dc_prev, rtol=0, atol=1e-12)]


def _direct_path_gate_traps() -> dict:
    return {"input": "input",
            "output": "output"}


EXERCISES.append(Exercise(
    id="learn-direct-path-gate", topic="gradients", difficulty="easy", minutes=3, kind="gates",
    compute=_direct_path_gate, traps=_direct_path_gate_traps,
))


def _sigmoid_power(bias: float, steps: int) -> float:
    """sigma(b)^steps: the direct path's factor over ``steps`` steps if every f_t sat at sigma(b)."""
    import numpy as np

    from lstm_utils.reference import sigmoid

    return float(sigmoid(np.float64(bias)) ** steps)


def _forget_bias_one_50() -> float:
    return _sigmoid_power(1.0, 50)


def _forget_bias_one_50_traps() -> dict:
    return {_sigmoid_power(0.0, 50): "bias-zero",
            _sigmoid_power(1.0, 1): "one-step"}


EXERCISES.append(Exercise(
    id="learn-forget-bias-one-50", topic="gradients", difficulty="easy", minutes=3, kind="number",
    tolerance=0.05, compute=_forget_bias_one_50, traps=_forget_bias_one_50_traps,
))


def _rnn_bound(sigma_max: float, steps: int) -> float:
    """sigma_max(U)^steps, with sigma_max(U) taken by NumPy from a matrix U scaled to it."""
    import numpy as np

    U = np.random.default_rng(0).normal(size=(8, 8))
    U *= sigma_max / np.linalg.norm(U, ord=2)           # now sigma_max(U) = sigma_max
    return float(np.linalg.norm(U, ord=2) ** steps)


def _rnn_bound_09_50() -> float:
    return _rnn_bound(0.9, 50)


def _rnn_bound_09_50_traps() -> dict:
    return {0.9 * 50: "times-not-power",
            _rnn_bound(0.9, 1): "one-step"}


EXERCISES.append(Exercise(
    id="learn-rnn-bound-50", topic="gradients", difficulty="medium", minutes=4, kind="number", tolerance=0.05,
    compute=_rnn_bound_09_50, traps=_rnn_bound_09_50_traps,
))


def _large_sigma_must_explode() -> bool:
    """Does sigma_max(U) > 1 force growth? A U with sigma_max > 1 whose 50th power is tiny says no."""
    import numpy as np

    U = np.array([[0.5, 1.0], [0.0, 0.5]])               # sigma_max about 1.21, eigenvalues 0.5
    assert np.linalg.norm(U, ord=2) > 1
    # even with tanh' = 1 at every step (no shrinking by tanh), the product is U^50
    return bool(np.linalg.norm(np.linalg.matrix_power(U, 50), ord=2) > 1)


def _sigma_above_one() -> str:
    """(a) "yes, it must grow" if the example grows, else (b) "no, the bound is only a bound"."""
    return "a" if _large_sigma_must_explode() else "b"


def _sigma_above_one_traps() -> dict:
    return {"a": "bound-forces-growth", "c": "tanh-forbids-growth", "d": "forget-gate"}


EXERCISES.append(Exercise(
    id="learn-sigma-above-one", topic="gradients", difficulty="medium", minutes=4, kind="word",
    compute=_sigma_above_one, words=choice_words("abcd"), traps=_sigma_above_one_traps,
))


def _why_cell_path() -> str:
    """(a), the direct path's factor is the forget gate alone, if one step of lu.lstm_backward says so."""
    return "a" if _direct_path_gate() == ["forget"] else "b"


def _why_cell_path_traps() -> dict:
    return {"b": "more-parameters", "c": "sigmoid-derivative", "d": "never-vanishes"}


EXERCISES.append(Exercise(
    id="learn-why-cell-path", topic="gradients", difficulty="medium", minutes=4, kind="word",
    compute=_why_cell_path, words=choice_words("abcd"), traps=_why_cell_path_traps,
))


#: The frameworks the question names ("two of the three"): its choices, not the registry's list.
ASKED = ("keras", "pytorch", "matlab")


def _framework_forget_bias_zero() -> str:
    from lstm_utils.frameworks import side_by_side

    table = side_by_side(N, M)
    (name,) = [fw for fw in ASKED if table[fw].forget_bias_one is False]
    return name


def _framework_forget_bias_zero_traps() -> dict:
    return {"keras": "keras",
            "matlab": "matlab"}


EXERCISES.append(Exercise(
    id="learn-forget-bias-framework", topic="gradients", difficulty="easy", minutes=3, kind="word",
    compute=_framework_forget_bias_zero,
    words={**framework_words(), "nn.lstm": "pytorch"},  # every alias check_framework accepts, and the class
    traps=_framework_forget_bias_zero_traps,
))


def _keras_global_clip() -> str:
    """The Keras switch that clips what PyTorch's clip_grad_norm_ clips (from CLIPPING_SWITCHES)."""
    from lstm_utils.gradients import CLIPPING_SWITCHES

    (what,) = [clips for fw, switch, clips in CLIPPING_SWITCHES
               if fw == "pytorch" and switch.startswith("torch.nn.utils.clip_grad_norm_")]
    (switch,) = [s for fw, s, clips in CLIPPING_SWITCHES if fw == "keras" and clips == what]
    return switch.removeprefix("optimizer argument ")


def _keras_global_clip_traps() -> dict:
    return {"clipnorm": "clipnorm",
            "clipvalue": "clipvalue"}


EXERCISES.append(Exercise(
    id="learn-keras-global-clipnorm", topic="gradients", difficulty="medium", minutes=3, kind="word",
    compute=_keras_global_clip,
    words={"global clipnorm": "global_clipnorm", "global clipnorm=1": "global_clipnorm",
           "global clipnorm=1.0": "global_clipnorm"},
    traps=_keras_global_clip_traps,
))


def _clip_by_norm(gradient: list[float], max_norm: float) -> list[float]:
    """Clipping by norm (notebook 16, section 5): g <- (max_norm / ||g||) g if ||g|| > max_norm."""
    norm = sum(v * v for v in gradient) ** 0.5
    return [v * max_norm / norm for v in gradient] if norm > max_norm else list(gradient)


def _clipping_vanishing() -> str:
    """(c), clipping leaves a small gradient as it is, if clipping a vanished gradient changes nothing."""
    vanished = [3e-14, 4e-14]                              # notebook 16's simple RNN at distance 50
    return "c" if _clip_by_norm(vanished, 1.0) == vanished else "a"


def _clipping_vanishing_traps() -> dict:
    return {"a": "clip-scales-up", "b": "clip-by-value", "d": "clip-direction"}


EXERCISES.append(Exercise(
    id="learn-clipping-vanishing", topic="gradients", difficulty="easy", minutes=3, kind="word",
    compute=_clipping_vanishing, words=choice_words("abcd"), traps=_clipping_vanishing_traps,
))


def _backward_macs_100_256() -> int:
    return cost.backward_macs(N, M)


def _backward_macs_100_256_traps() -> dict:
    return {cost.matmul_macs(N, M): "forward-pass",
            cost.backward_macs(N, M, input_grad=False): "no-input-gradient",
            cost.matmul_macs(N, M) + cost.backward_macs(N, M): "forward-again"}


EXERCISES.append(Exercise(
    id="learn-backward-macs", topic="backpropagation through time", difficulty="medium", minutes=5,
    kind="count", compute=_backward_macs_100_256, traps=_backward_macs_100_256_traps,
))


def _weight_gradient_over_steps() -> str:
    """How the per-step contributions make dW: chained one-step passes of lu.lstm_backward, compared."""
    import numpy as np

    from lstm_utils.backward import lstm_backward
    from lstm_utils.reference import LSTMWeights, lstm_forward

    rng = np.random.default_rng(0)
    batch, steps, n, m = 2, 4, 3, 4
    weights = LSTMWeights.random(n, m, seed=0, dtype=np.float64)
    x, d_out = rng.normal(size=(batch, steps, n)), rng.normal(size=(batch, steps, m))
    full = lstm_backward(x, weights, d_out)[0].W
    states = [(np.zeros((batch, m)), np.zeros((batch, m)))]
    states += [lstm_forward(x[:, : t + 1], weights)[1] for t in range(steps)]
    dh = dc = None
    parts = []
    for t in reversed(range(steps)):                     # step t alone, fed what step t+1 sends back
        dw_t, _, (dh, dc) = lstm_backward(x[:, t : t + 1], weights, d_out[:, t : t + 1], *states[t],
                                          d_h_n=dh, d_c_n=dc)
        parts.append(dw_t.W)
    candidates = {"sum": sum(parts), "average": sum(parts) / steps, "last": parts[0]}
    (found,) = [k for k, v in candidates.items() if np.allclose(v, full, rtol=0, atol=1e-12)]
    return found


def _weight_gradient_over_steps_traps() -> dict:
    return {"last": "last",
            "average": "average"}


EXERCISES.append(Exercise(
    id="learn-weight-gradient-sum", topic="backpropagation through time", difficulty="easy", minutes=3,
    kind="word", compute=_weight_gradient_over_steps,
    words={"add": "sum", "added": "sum", "the sum": "sum", "summed": "sum", "mean": "average",
           "the average": "average", "last step": "last", "the last": "last"},
    traps=_weight_gradient_over_steps_traps,
))


def _cached_values_per_step() -> int:
    return cost.activation_values(N, M)


def _cached_values_per_step_traps() -> dict:
    unit = sum(cost.ACTIVATIONS_PER_UNIT.values())
    return {unit * M: "no-input",
            4 * M: "gates-only",
            4 * M + N: "gates-and-input"}


EXERCISES.append(Exercise(
    id="learn-cached-values", topic="backpropagation through time", difficulty="medium", minutes=4,
    kind="count", compute=_cached_values_per_step, traps=_cached_values_per_step_traps,
))


def _truncated_input_gradients(steps: int, chunk: int):
    """|dL_T/dx_t| per step for L_T = sum(h_T) under truncated BPTT in chunks, with lu.lstm_backward.

    Each chunk starts from the carried state; the gradient it would send into that state is dropped
    (the cut), so only the last chunk, which holds the loss, receives a gradient.
    """
    import numpy as np

    from lstm_utils.backward import lstm_backward
    from lstm_utils.reference import LSTMWeights, lstm_forward

    rng = np.random.default_rng(0)
    n, m = 2, 4
    weights = LSTMWeights.random(n, m, seed=0, dtype=np.float64)
    x = rng.normal(size=(1, steps, n))
    h, c = np.zeros((1, m)), np.zeros((1, m))
    dx = []
    for start in range(0, steps, chunk):
        piece = x[:, start : start + chunk]
        last = start + chunk >= steps
        # the chunk's upstream gradient: dL_T/dh_T for the last chunk, none for the others (cut)
        _, dx_piece, _ = lstm_backward(piece, weights, None, h, c, d_h_n=np.ones((1, m)) if last else None)
        dx.append(dx_piece)
        _, (h, c) = lstm_forward(piece, weights, h, c)   # carry the state
    return np.linalg.norm(np.concatenate(dx, axis=1)[0], axis=1)      # (steps,)


def _truncated_30_back_is_zero() -> bool:
    steps = 100
    return bool(_truncated_input_gradients(steps, 20)[steps - 30 - 1] == 0.0)   # x_{T-30}, 0-based


def _truncated_zero() -> str:
    """(a) "yes, exactly zero: the cut" if the truncated gradient at x_{T-30} is 0.0, else (b)."""
    return "a" if _truncated_30_back_is_zero() else "b"


def _truncated_zero_traps() -> dict:
    return {"b": "state-carries-gradient", "c": "vanished", "d": "same-as-full"}


EXERCISES.append(Exercise(
    id="learn-truncated-zero", topic="backpropagation through time", difficulty="easy", minutes=3,
    kind="word", compute=_truncated_zero, words=choice_words("abcd"), traps=_truncated_zero_traps,
))


def _truncated_nonzero_steps() -> int:
    import numpy as np

    return int(np.count_nonzero(_truncated_input_gradients(100, 20)))


def _truncated_nonzero_steps_traps() -> dict:
    return {80: "zero-gradients",
            19: "longest-lag",
            100: "no-cut"}


EXERCISES.append(Exercise(
    id="learn-truncated-reach", topic="backpropagation through time", difficulty="medium", minutes=4,
    kind="count", compute=_truncated_nonzero_steps, traps=_truncated_nonzero_steps_traps,
))


def _truncation_cannot_learn() -> str:
    """(b), dependencies across a chunk boundary get no gradient, if the gradient of a last-step loss is
    zero before the last chunk and non-zero inside it (the truncated run above)."""
    norms = _truncated_input_gradients(100, 20)
    return "b" if (norms[:80] == 0).all() and (norms[80:] > 0).all() else "a"


def _truncation_cannot_learn_traps() -> dict:
    return {"a": "state-passes-everything", "c": "chunk-own-steps", "d": "no-recurrent-gradient"}


EXERCISES.append(Exercise(
    id="learn-truncation-cannot-learn", topic="backpropagation through time", difficulty="medium",
    minutes=4, kind="word", compute=_truncation_cannot_learn, words=choice_words("abcd"),
    traps=_truncation_cannot_learn_traps,
))


def _adding_trivial_error() -> float:
    from lstm_utils.tasks import TRIVIAL_MSE

    return TRIVIAL_MSE


def _adding_trivial_error_traps() -> dict:
    from lstm_utils.tasks import TRIVIAL_MSE

    return {TRIVIAL_MSE / 2: "one-value-remembered",
            TRIVIAL_MSE ** 0.5: "root"}


EXERCISES.append(Exercise(
    id="learn-adding-trivial-error", topic="long memory", difficulty="medium", minutes=5, kind="number",
    tolerance=0.005, compute=_adding_trivial_error, traps=_adding_trivial_error_traps,
))
