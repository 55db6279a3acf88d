"""lstm_utils.gradients: every measurement against autograd or a hand-worked case; argument checks."""

import subprocess
import sys

import numpy as np
import pytest
import torch

import lstm_utils as lu
from lstm_utils import gradients


def _layer(kind, n=3, m=4, seed=0, **kw):
    torch.manual_seed(seed)
    return getattr(torch.nn, kind)(n, m, **kw).double()


def test_importing_the_module_does_not_load_torch():
    code = "import sys, lstm_utils.gradients; assert 'torch' not in sys.modules, 'torch loaded'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_module_is_reachable_from_the_package():
    assert lu.gradients is gradients and "gradients" in dir(lu)


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("batch_first", [True, False])
def test_input_gradient_norms_equal_autograd_sequence_by_sequence(kind, batch_first):
    module = _layer(kind, batch_first=batch_first)
    x = torch.randn(3, 7, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)  # (b, t, n)
    got = gradients.input_gradient_norms(module, x if batch_first else x.transpose(0, 1))
    assert got.shape == (3, 7) and got.dtype == np.float64
    for s in range(3):                                        # one sequence at a time, unbatched
        xs = x[s].clone().requires_grad_(True)                # (time, n)
        out, _ = module(xs)
        (grad,) = torch.autograd.grad(out[-1].sum(), xs)
        expected = grad.norm(dim=1).flip(0).numpy()           # distance 0 first
        np.testing.assert_allclose(got[s], expected, rtol=1e-12)


def test_input_gradient_norms_of_a_one_unit_linear_regime_rnn_halve_per_step():
    rnn = torch.nn.RNN(1, 1, bias=False, batch_first=True)
    with torch.no_grad():
        rnn.weight_ih_l0.fill_(2.0)
        rnn.weight_hh_l0.fill_(0.5)
    # x = 0 keeps h = 0, so tanh' = 1: dL/dx_{T-d} = 2 * 0.5^d
    np.testing.assert_allclose(gradients.input_gradient_norms(rnn, torch.zeros(2, 4, 1)),
                               [[2.0, 1.0, 0.5, 0.25]] * 2)


def test_input_gradient_norms_reject_bad_modules_and_inputs():
    with pytest.raises(TypeError, match=r"module must be one of torch.nn.RNN, torch.nn.GRU, torch.nn.LSTM, "
                                        r"got Linear"):
        gradients.input_gradient_norms(torch.nn.Linear(2, 2), torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r"num_layers == 2, bidirectional == False"):
        gradients.input_gradient_norms(torch.nn.LSTM(2, 2, num_layers=2), torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r"num_layers == 1, bidirectional == True"):
        gradients.input_gradient_norms(torch.nn.GRU(2, 2, bidirectional=True), torch.zeros(1, 2, 2))
    with pytest.raises(TypeError, match=r"x must be a torch.Tensor, got ndarray"):
        gradients.input_gradient_norms(torch.nn.RNN(2, 2), np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match=r"x has shape \(1, 2, 3\), expected \(batch, time, input_size\) "
                                         r"with input_size == 2"):
        gradients.input_gradient_norms(torch.nn.RNN(2, 2, batch_first=True), torch.zeros(1, 2, 3))
    with pytest.raises(ValueError, match=r"expected \(time, batch, input_size\)"):
        gradients.input_gradient_norms(torch.nn.RNN(2, 2), torch.zeros(2, 2))


def test_decay_curve_is_the_median_ratio_to_distance_zero():
    norms = [[2.0, 1.0, 0.5], [1.0, 0.1, 0.01], [4.0, 4.0, 4.0]]
    # ratios per row: (1, .5, .25), (1, .1, .01), (1, 1, 1): medians 1, .5, .25
    np.testing.assert_allclose(gradients.decay_curve(norms), [1.0, 0.5, 0.25])
    with pytest.raises(ValueError, match=r"norms must have shape \(batch, time\), got shape \(3,\)"):
        gradients.decay_curve([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"norms\[:, 0\] .* must be positive"):
        gradients.decay_curve([[0.0, 1.0]])


def test_rnn_jacobian_norms_equal_autograd_and_respect_both_bounds():
    n, m, T = 3, 5, 12
    rnn = _layer("RNN", n, m, seed=3)
    with torch.no_grad():
        rnn.weight_hh_l0 *= 3.0                              # sigma_max > 1: the bounds differ
    x = torch.randn(T, n, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    h0 = torch.randn(m, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    got = gradients.rnn_jacobian_norms(rnn, x, h0)
    assert set(got) == {"measured", "step_bound", "sigma_bound"}
    assert all(v.shape == (T + 1,) for v in got.values())
    with torch.no_grad():
        states, _ = rnn(x, h0.reshape(1, m))                  # (time, m): h_1 ... h_T
    starts = torch.cat([h0.reshape(1, m), states])            # h_0 ... h_T
    for d in range(T + 1):
        def h_T(h, d=d):
            return rnn(x[T - d:], h.reshape(1, m))[1].reshape(m) if d else h
        J = torch.func.jacrev(h_T)(starts[T - d])
        assert got["measured"][d] == pytest.approx(torch.linalg.matrix_norm(J, ord=2).item(), rel=1e-10)
    sigma_max = torch.linalg.matrix_norm(rnn.weight_hh_l0, ord=2).item()
    np.testing.assert_allclose(got["sigma_bound"], sigma_max ** np.arange(T + 1))
    assert np.all(got["measured"] <= got["step_bound"] * (1 + 1e-12))
    assert np.all(got["step_bound"] <= got["sigma_bound"] * (1 + 1e-12))


def test_rnn_jacobian_norms_reject_relu_other_layers_and_bad_shapes():
    with pytest.raises(ValueError, match=r"module.nonlinearity == 'relu', must be 'tanh'"):
        gradients.rnn_jacobian_norms(torch.nn.RNN(2, 2, nonlinearity="relu"), torch.zeros(3, 2))
    with pytest.raises(TypeError, match=r"module must be one of torch.nn.RNN, got LSTM"):
        gradients.rnn_jacobian_norms(torch.nn.LSTM(2, 2), torch.zeros(3, 2))
    with pytest.raises(ValueError, match=r"x has shape \(1, 3, 2\), expected \(time, input_size\)"):
        gradients.rnn_jacobian_norms(torch.nn.RNN(2, 2), torch.zeros(1, 3, 2))


@pytest.mark.parametrize("value", [0.0, 1.0, 5, -2.5])
def test_set_forget_bias_sets_the_forget_gate_and_nothing_else(value):
    lstm = _layer("LSTM", 3, 4)
    before = lu.from_torch(lstm)
    gradients.set_forget_bias(lstm, value)
    after = lu.from_torch(lstm)
    forget = lu.GATE_ORDER.index("forget")
    np.testing.assert_array_equal(after.b[forget], np.full(4, float(value)))
    for k in range(4):
        if k != forget:
            np.testing.assert_array_equal(after.b[k], before.b[k])
    np.testing.assert_array_equal(after.W, before.W)
    np.testing.assert_array_equal(after.U, before.U)


def test_set_forget_bias_rejects_bad_arguments():
    with pytest.raises(TypeError, match=r"module must be one of torch.nn.LSTM, got GRU"):
        gradients.set_forget_bias(torch.nn.GRU(2, 2), 1.0)
    with pytest.raises(TypeError, match=r"value must be a finite real number, got True \(type bool\)"):
        gradients.set_forget_bias(torch.nn.LSTM(2, 2), True)
    with pytest.raises(ValueError, match=r"bias == False: there is no forget-gate bias"):
        gradients.set_forget_bias(torch.nn.LSTM(2, 2, bias=False), 1.0)


def test_forget_gate_product_equals_the_forget_gates_recomputed_from_torch():
    n, m, B, T, steps = 3, 4, 2, 9, 5
    lstm = _layer("LSTM", n, m, seed=5, batch_first=True)
    gradients.set_forget_bias(lstm, 1.0)
    x = torch.randn(B, T, n, generator=torch.Generator().manual_seed(6), dtype=torch.float64)
    got = gradients.forget_gate_product(lu.from_torch(lstm), x.numpy(), steps)
    with torch.no_grad():
        h, _ = lstm(x)                                        # (B, T, m)
        h_prev = torch.cat([torch.zeros(B, 1, m, dtype=torch.float64), h[:, :-1]], dim=1)
        rows = slice(m, 2 * m)                                # PyTorch's forget block: i, f, g, o
        # f_t = sigmoid(W_f x_t + b_if + U_f h_{t-1} + b_hf)
        f = torch.sigmoid(x @ lstm.weight_ih_l0[rows].T + lstm.bias_ih_l0[rows]
                          + h_prev @ lstm.weight_hh_l0[rows].T + lstm.bias_hh_l0[rows])   # (B, T, m)
    np.testing.assert_allclose(got, f[:, T - steps:].prod(dim=1).numpy(), rtol=1e-12)


def test_forget_gate_product_of_zero_weights_is_one_half_per_step():
    w = lu.LSTMWeights(np.zeros((4, 2, 1)), np.zeros((4, 2, 2)), np.zeros((4, 2)))
    np.testing.assert_allclose(gradients.forget_gate_product(w, np.ones((3, 6, 1)), steps=4),
                               np.full((3, 2), 0.5 ** 4))


def test_forget_gate_product_rejects_bad_steps_and_shapes():
    w = lu.LSTMWeights.random(1, 2)
    with pytest.raises(ValueError, match=r"steps == 7, must be <= time == 6"):
        gradients.forget_gate_product(w, np.ones((1, 6, 1)), steps=7)
    with pytest.raises(ValueError, match=r"steps == 0, must be an int >= 1"):
        gradients.forget_gate_product(w, np.ones((1, 6, 1)), steps=0)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, time, input_size\), got shape \(6, "):
        gradients.forget_gate_product(w, np.ones((6, 1)), steps=2)


def test_clipping_switches_exist_in_the_installed_frameworks():
    import inspect

    import keras

    rows = gradients.CLIPPING_SWITCHES
    assert {fw for fw, _, _ in rows} == {"pytorch", "keras", "matlab"}
    for fw, switch, _ in rows:
        if fw == "pytorch":
            name, args = switch.removeprefix("torch.nn.utils.").split("(")
            params = list(inspect.signature(getattr(torch.nn.utils, name)).parameters)
            assert [a.strip() for a in args.rstrip(")").split(",")] == params[:2], switch
        elif fw == "keras":
            argument = switch.split()[-1]
            assert inspect.signature(keras.optimizers.SGD).parameters[argument].default is None, switch
    matlab_methods = [s.split('"')[1] for fw, s, _ in rows if fw == "matlab"]
    assert matlab_methods == ["l2norm", "global-l2norm", "absolute-value"]
