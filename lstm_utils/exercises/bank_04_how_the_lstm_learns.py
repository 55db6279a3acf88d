"""The bank of notebooks/exercises/04_how_the_lstm_learns.ipynb: Exercises 4 (how the LSTM learns).

Questions on notebooks 16 (why gates), 17 (backpropagation through time) and 18 (the adding problem).
Each entry's title and question are the ones the notebook shows (tests/test_exercises.py checks it).
NumPy and the package's NumPy modules are imported inside the functions that compute the answers, so
that importing the exercises stays light.
"""

from __future__ import annotations

from lstm_utils import cost
from lstm_utils.exercises.exercise import Exercise, M, N

EXERCISES: list[Exercise] = []

WHY_GATES, BPTT, LONG_MEMORY = "16_why_gates", "17_backprop_through_time", "18_long_memory_task"


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
    return {"input": "the input gate scales what is written into the cell (i_t * g_t), not what is kept.",
            "output": "the output gate acts on the way from c_t to h_t, not from c_t to c_{t-1}."}


EXERCISES.append(Exercise(
    id="learn-direct-path-gate", topic="gradients", difficulty="easy", minutes=3,
    title="The factor on the cell state's direct path",
    question=r"""
The cell state is updated by $c_t = f_t \odot c_{t-1} + i_t \odot g_t$. Going backwards along this
direct path (with $h_{t-1}$ held fixed), the gradient $\partial L/\partial c_t$ is multiplied element
by element by one gate's activations to give its share of $\partial L/\partial c_{t-1}$. Which gate?
Give its name or symbol.
""",
    kind="gates", compute=_direct_path_gate,
    see=((WHY_GATES, "3 · The LSTM: a direct path along the cell state"),
         (BPTT, "2. One step backwards, in the order the code runs it")),
    explanation="the forget gate: dc_t/dc_{t-1} = diag(f_t), and dL/dc_{t-1} = dL/dc_t * f_t "
    "(one step of lu.lstm_backward gives exactly f_t).",
    traps=_direct_path_gate_traps,
))


def _sigmoid_power(bias: float, steps: int) -> float:
    """sigma(b)^steps: the direct path's factor over ``steps`` steps if every f_t sat at sigma(b)."""
    import numpy as np

    from lstm_utils.reference import sigmoid

    return float(sigmoid(np.float64(bias)) ** steps)


def _forget_bias_one_50() -> float:
    return _sigmoid_power(1.0, 50)


def _forget_bias_one_50_traps() -> dict:
    return {_sigmoid_power(0.0, 50): "that is sigma(0)^50 = 0.5^50, a forget-gate bias of 0.",
            _sigmoid_power(1.0, 1): "that is one step; the factor is applied at each of the 50 steps."}


EXERCISES.append(Exercise(
    id="learn-forget-bias-one-50", topic="gradients", difficulty="easy", minutes=3,
    title="A forget-gate bias of 1 over 50 steps",
    question=r"""
Suppose every forget gate sat exactly at its bias $b_f = 1$, so $f_t = \sigma(1)$ at every step. By
what factor does the direct path along the cell state scale the gradient over 50 steps, that is,
what is $\sigma(1)^{50}$? Two significant figures are enough (for example `1.2e-3`).
""",
    kind="number", tolerance=0.05, compute=_forget_bias_one_50,
    see=((WHY_GATES, "4 · What the forget-gate bias does over 50 steps"),),
    explanation="the same factor sigma(1) at each of the 50 steps, sigma(1)^50; with b_f = 0 it would be "
    "0.5^50, smaller by orders of magnitude.",
    traps=_forget_bias_one_50_traps,
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
    return {0.9 * 50: "the bound multiplies one factor per step: 0.9 to the power 50, not 0.9 times 50.",
            _rnn_bound(0.9, 1): "that is one step; the bound has one factor per step."}


EXERCISES.append(Exercise(
    id="learn-rnn-bound-50", topic="gradients", difficulty="medium", minutes=4,
    title="The simple RNN's bound over 50 steps",
    question=r"""
A simple RNN $h_t = \tanh(W x_t + U h_{t-1} + b)$ has a recurrent matrix with largest singular value
$\sigma_{\max}(U) = 0.9$. What upper bound does the product of Jacobians give for
$\lVert \partial h_T / \partial h_{T-50} \rVert_2$? Two significant figures are enough.
""",
    kind="number", tolerance=0.05, compute=_rnn_bound_09_50,
    see=((WHY_GATES, "2 · The simple RNN: a product of Jacobians"),),
    explanation="each step's Jacobian diag(tanh') U has norm at most sigma_max(U), because tanh' <= 1, so "
    "the product of 50 of them has norm at most 0.9^50: the gradient must vanish.",
    traps=_rnn_bound_09_50_traps,
))


def _large_sigma_must_explode() -> bool:
    """Does sigma_max(U) > 1 force growth? A U with sigma_max > 1 whose 50th power is tiny says no."""
    import numpy as np

    U = np.array([[0.5, 1.0], [0.0, 0.5]])               # sigma_max about 1.21, eigenvalues 0.5
    assert np.linalg.norm(U, ord=2) > 1
    # even with tanh' = 1 at every step (no shrinking by tanh), the product is U^50
    return bool(np.linalg.norm(np.linalg.matrix_power(U, 50), ord=2) > 1)


EXERCISES.append(Exercise(
    id="learn-sigma-above-one", topic="gradients", difficulty="medium", minutes=4,
    title="Above 1 means exploding?",
    question=r"""
Notebook 16's simple RNN has $\sigma_{\max}(U)$ just above 1. Does $\sigma_{\max}(U) > 1$ mean that
the gradient $\partial h_T/\partial h_t$ of a simple RNN must grow with the distance $T - t$? Answer
True or False.
""",
    kind="bool", compute=_large_sigma_must_explode,
    see=((WHY_GATES, "2 · The simple RNN: a product of Jacobians"),),
    explanation="sigma_max(U) > 1 is necessary for an explosion, not sufficient (Pascanu, Mikolov and "
    "Bengio 2013): sigma_max^d is only an upper bound. Notebook 16's layer still vanishes: over many "
    "steps the product shrinks at about the rate of U's spectral radius, which is below 1.",
))


def _framework_forget_bias_zero() -> str:
    from lstm_utils.frameworks import side_by_side

    table = side_by_side(N, M)
    (name,) = [fw for fw in ("keras", "pytorch", "matlab") if table[fw].forget_bias_one is False]
    return name


def _framework_forget_bias_zero_traps() -> dict:
    return {"keras": "Keras starts the forget slice at 1 (unit_forget_bias=True).",
            "matlab": "MATLAB's default BiasInitializer, \"unit-forget-gate\", starts the forget gate at 1."}


EXERCISES.append(Exercise(
    id="learn-forget-bias-framework", topic="gradients", difficulty="easy", minutes=3,
    title="Who starts the forget gate near 0?",
    question="""
Two of the three frameworks start the forget-gate bias of a new LSTM layer at 1. Which one starts it
near 0 instead? Answer `"keras"`, `"pytorch"` or `"matlab"`.
""",
    kind="word", compute=_framework_forget_bias_zero,
    see=((WHY_GATES, "4 · What the forget-gate bias does over 50 steps"),),
    explanation="PyTorch draws every bias, the forget gate's included, uniformly in +-1/sqrt(m) (and adds "
    "two of them); Keras (unit_forget_bias=True) and MATLAB (\"unit-forget-gate\") start it at 1.",
    words={"torch": "pytorch", "nn.lstm": "pytorch", "tf.keras": "keras", "tensorflow": "keras"},
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
    return {"clipnorm": "clipnorm scales each variable's gradient by its own norm, which changes the "
                        "direction of the whole step.",
            "clipvalue": "clipvalue cuts each element, which changes the direction too."}


EXERCISES.append(Exercise(
    id="learn-keras-global-clipnorm", topic="gradients", difficulty="medium", minutes=3,
    title="Keras's switch for PyTorch's clip_grad_norm_",
    question="""
PyTorch's `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)` rescales all gradients
together so that their joint norm is at most 1. Which argument of a Keras optimizer does the same?
Give its name.
""",
    kind="word", compute=_keras_global_clip,
    see=((WHY_GATES, "Each framework's switch"),),
    explanation="global_clipnorm divides every gradient by the same factor, as clip_grad_norm_ and MATLAB's "
    "\"global-l2norm\" do; clipnorm clips each variable on its own.",
    words={"global clipnorm": "global_clipnorm", "global clipnorm=1": "global_clipnorm",
           "global clipnorm=1.0": "global_clipnorm"},
    traps=_keras_global_clip_traps,
))


def _backward_macs_100_256() -> int:
    return cost.backward_macs(N, M)


def _backward_macs_100_256_traps() -> dict:
    return {cost.matmul_macs(N, M): "that is the forward pass; the backward pass has four products of "
                                    "that size, not two.",
            cost.backward_macs(N, M, input_grad=False): "that leaves out dx_t = sum_k W_k^T dz_{k,t}; the "
                                                         "question asks for the input's gradient too.",
            cost.matmul_macs(N, M) + cost.backward_macs(N, M): "that adds the forward pass that "
                                                               "lu.lstm_backward runs again first."}


EXERCISES.append(Exercise(
    id="learn-backward-macs", topic="backpropagation through time", difficulty="medium", minutes=5,
    title="Multiply-adds of one backward step",
    question=r"""
The 100 → 256 layer (n = 100, m = 256). How many multiply-adds does the backward pass cost per time
step and per sample, including the gradient of the input $\partial L/\partial x_t$? (The forward pass
costs $4m(n + m)$.)
""",
    kind="count", compute=_backward_macs_100_256,
    see=((BPTT, "5. Multiply-adds: the backward pass costs twice the forward"),),
    explanation="four products as large as a forward one, each over the four blocks k: "
    "dh_{t-1} = sum_k U_k^T dz_{k,t} and dU_k = dz_{k,t} h_{t-1}^T (4m*m each), dW_k = dz_{k,t} x_t^T and "
    "dx_t = sum_k W_k^T dz_{k,t} (4m*n each), 8m(n + m) in all, twice the forward pass "
    "(lu.cost.backward_macs).",
    traps=_backward_macs_100_256_traps,
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
    return {"last": "every step uses W, so every step contributes to dW, not only the last one.",
            "average": "the contributions are added, not averaged: a longer sequence gives more terms."}


EXERCISES.append(Exercise(
    id="learn-weight-gradient-sum", topic="backpropagation through time", difficulty="easy", minutes=3,
    title="The gradient of a shared weight",
    question=r"""
Each block $k \in \{i, f, c, o\}$ uses the same input weights $W_k$ (m × n) at every one of the $T$
steps. For one sample, step $t$ alone would contribute $\delta z_{k,t}\, x_t^\top$ (an m × n matrix,
with $\delta z_{k,t} = \partial L/\partial z_{k,t}$) to $\partial L/\partial W_k$. How does BPTT combine
these contributions? Answer `"sum"`, `"average"` or `"last"` (the last step's contribution only).
""",
    kind="word", compute=_weight_gradient_over_steps,
    see=((BPTT, "4. The weight gradients add up over the steps"),),
    explanation="dW_k = sum_t dz_{k,t} x_t^T, and likewise dU_k = sum_t dz_{k,t} h_{t-1}^T and "
    "db_k = sum_t dz_{k,t}: the gradient of a shared weight is the sum of one contribution per step "
    "(chained one-step passes of lu.lstm_backward add up to the full one).",
    words={"add": "sum", "added": "sum", "the sum": "sum", "summed": "sum", "mean": "average",
           "the average": "average", "last step": "last", "the last": "last"},
    traps=_weight_gradient_over_steps_traps,
))


def _cached_values_per_step() -> int:
    return cost.activation_values(N, M)


def _cached_values_per_step_traps() -> dict:
    unit = sum(cost.ACTIVATIONS_PER_UNIT.values())
    return {unit * M: "that leaves out the input x_t (n values), which dW_k = sum_t dz_{k,t} x_t^T needs.",
            4 * M: "that is i_t, f_t, g_t and o_t only; c_t, tanh(c_t) and h_t are kept too.",
            4 * M + N: "that is i_t, f_t, g_t, o_t and x_t; c_t, tanh(c_t) and h_t are kept too."}


EXERCISES.append(Exercise(
    id="learn-cached-values", topic="backpropagation through time", difficulty="medium", minutes=4,
    title="What the backward pass needs to keep",
    question=r"""
For the backward pass, the forward pass of the 100 → 256 layer keeps, for every step and sample, the
gates $i_t$, $f_t$, $o_t$, the candidate $g_t$, then $c_t$, $\tanh(c_t)$, $h_t$ and the input $x_t$. How
many values is that per step and per sample?
""",
    kind="count", compute=_cached_values_per_step,
    see=((BPTT, "6. Memory: what the backward pass needs is notebook 13's activation memory"),),
    explanation="7 values per unit (i_t, f_t, g_t, o_t, c_t, tanh(c_t), h_t) and the n inputs: 7m + n, "
    "notebook 13's activation memory (lu.cost.activation_values).",
    traps=_cached_values_per_step_traps,
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


EXERCISES.append(Exercise(
    id="learn-truncated-zero", topic="backpropagation through time", difficulty="easy", minutes=3,
    title="Truncated at 20 steps: a dependency 30 steps back",
    question=r"""
A 100-step sequence is trained with truncated BPTT in chunks of 20 steps (the state is carried from
chunk to chunk, the graph is cut), and the loss $L_T$ is at the last step only. Is
$\partial L_T/\partial x_{T-30}$ exactly zero? Answer True or False.
""",
    kind="bool", compute=_truncated_30_back_is_zero,
    see=((BPTT, "What it can no longer see"),),
    explanation="x_{T-30} lies in an earlier chunk, and the cut (detach() in PyTorch, stateful=True in "
    "Keras) stops the gradient at the start of the last chunk: exactly zero, although x_{T-30} still "
    "changes h_T in the forward pass.",
))


def _truncated_nonzero_steps() -> int:
    import numpy as np

    return int(np.count_nonzero(_truncated_input_gradients(100, 20)))


def _truncated_nonzero_steps_traps() -> dict:
    return {80: "that is the number of inputs whose gradient is zero.",
            19: "that is the longest lag, from x_{T-19} to the loss at step T; the question counts the "
                "inputs x_{T-19}, ..., x_T, and x_T is one of them.",
            100: "the cut stops the gradient at the start of the last chunk."}


EXERCISES.append(Exercise(
    id="learn-truncated-reach", topic="backpropagation through time", difficulty="medium", minutes=4,
    title="How many inputs a truncation length of 20 still reaches",
    question=r"""
The same set-up: 100 steps, chunks of 20, the loss at the last step only. For how many of the 100
inputs $x_1, \dots, x_T$ ($T = 100$) is $\partial L_T/\partial x_t$ non-zero?
""",
    kind="count", compute=_truncated_nonzero_steps,
    see=((BPTT, "What it can no longer see"),),
    explanation="the 20 inputs of the last chunk, x_{T-19} to x_T: from a loss at the end of a chunk of k "
    "steps, the gradient reaches back at most k - 1 = 19 steps, however long the sequence.",
    traps=_truncated_nonzero_steps_traps,
))


def _adding_trivial_error() -> float:
    from lstm_utils.tasks import TRIVIAL_MSE

    return TRIVIAL_MSE


def _adding_trivial_error_traps() -> dict:
    from lstm_utils.tasks import TRIVIAL_MSE

    return {TRIVIAL_MSE / 2: "1/12 is the error of a model that remembers one of the two values exactly.",
            TRIVIAL_MSE ** 0.5: "that is the root of the mean squared error; the question asks for the "
                                "mean squared error."}


EXERCISES.append(Exercise(
    id="learn-adding-trivial-error", topic="long memory", difficulty="medium", minutes=5,
    title="The adding problem's trivial error",
    question="""
In the adding problem, the target is the sum of two values drawn independently and uniformly from
[0, 1). A model that ignores its input and always predicts the mean target, 1, has which mean squared
error? Give it as a fraction or a decimal (three significant figures).
""",
    kind="number", tolerance=0.005, compute=_adding_trivial_error,
    see=((LONG_MEMORY, "2. The error of the trivial answer"),),
    explanation="the variance of u1 + u2: 2 * 1/12 = 1/6, about 0.167 (lu.tasks.TRIVIAL_MSE). A model "
    "must go below it to have learnt anything, and below 1/12 to use both values.",
    traps=_adding_trivial_error_traps,
))
