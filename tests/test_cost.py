"""lstm_utils.cost against what PyTorch actually does: profiled products, saved tensors, weight bytes."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.profiler import ProfilerActivity, profile

from lstm_utils import cost, count_params

# torch.backends.mkldnn.flags() warns that TF32 on Intel GPUs is unavailable: irrelevant on this CPU path.
pytestmark = pytest.mark.filterwarnings("ignore:TF32 acceleration:UserWarning")

sizes = st.integers(min_value=1, max_value=12)


def _profiled_ops(n: int, m: int, batch: int, steps: int) -> list:
    """Operator events of one no-grad forward pass of torch.nn.LSTM on PyTorch's generic CPU path.

    oneDNN is switched off: its fused kernel (aten::mkldnn_rnn_layer) reports no FLOPs, whereas the
    generic path runs one aten::mm for the hoisted input projection and one aten::addmm per step.
    """
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(n, m, batch_first=True)
    x = torch.randn(batch, steps, n)
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), profile(
        activities=[ProfilerActivity.CPU], with_flops=True, record_shapes=True
    ) as prof:
        lstm(x)
    return list(prof.key_averages(group_by_input_shape=True))


@given(n=sizes, m=sizes, batch=st.integers(1, 4), steps=st.integers(1, 6))
def test_matmul_macs_equal_the_products_pytorch_profiles(n, m, batch, steps):
    events = _profiled_ops(n, m, batch, steps)
    profiled_flops = sum(e.flops for e in events if e.key in ("aten::mm", "aten::addmm"))
    # the profiler counts 2 FLOPs per multiply-add of a matrix product
    assert profiled_flops == 2 * cost.matmul_macs(n, m, batch=batch, steps=steps)


def test_elementwise_ops_after_the_bias_equal_the_profiled_ones():
    n, m, batch, steps = 5, 10, 3, 7
    events = _profiled_ops(n, m, batch, steps)
    # The activations and the cell/hidden updates act on (batch, m) tensors, one element per op.
    names = {"aten::sigmoid_", "aten::tanh_", "aten::tanh", "aten::mul", "aten::add_"}
    profiled = sum(e.count * batch * m for e in events
                   if e.key in names and e.input_shapes[0] == [batch, m])
    bias_adds = cost.ELEMENTWISE_PER_UNIT["bias add (4 gates)"] * m * batch * steps
    assert profiled == cost.elementwise_ops(m, batch=batch, steps=steps) - bias_adds == 9 * m * batch * steps


def _saved_values(n: int, m: int, batch: int, steps: int) -> int:
    """Numbers autograd keeps for backward in one forward pass (generic CPU path), each tensor once."""
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(n, m, batch_first=True)
    x = torch.randn(batch, steps, n)
    seen = {}

    def pack(t):
        seen[(t.data_ptr(), tuple(t.shape))] = t.numel()
        return t

    hooks = torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t)
    with torch.backends.mkldnn.flags(enabled=False), hooks:
        lstm(x)
    return sum(seen.values())


@pytest.mark.parametrize(("n", "m", "batch"), [(5, 10, 3), (1, 16, 2), (7, 3, 4)])
def test_activation_values_per_step_equal_what_autograd_saves(n, m, batch):
    # The weights are saved once whatever the length: the difference of two lengths is the per-step part.
    per_step = (_saved_values(n, m, batch, 9) - _saved_values(n, m, batch, 4)) // 5
    assert per_step == cost.activation_values(n, m, batch=batch) == batch * (7 * m + n)
    assert cost.activation_values(n, m, batch=batch, steps=5) == 5 * per_step


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.float64, torch.bfloat16])
def test_param_bytes_equal_the_bytes_of_torch_parameters(dtype):
    lstm = torch.nn.LSTM(100, 256, num_layers=2, bidirectional=True).to(dtype)
    nbytes = sum(p.numel() * p.element_size() for p in lstm.parameters())
    name = str(dtype).removeprefix("torch.")
    expected = cost.param_bytes(100, 256, dtype=name, framework="pytorch", num_layers=2, bidirectional=True)
    assert nbytes == expected
    assert cost.param_bytes(100, 256, dtype=dtype, framework="pytorch", num_layers=2,
                            bidirectional=True) == expected


def test_param_bytes_equal_the_bytes_of_keras_weights():
    keras = pytest.importorskip("keras")
    layer = keras.layers.LSTM(256)
    layer.build((None, 13, 100))
    nbytes = sum(np.asarray(w).nbytes for w in layer.get_weights())   # float32 by default
    assert nbytes == cost.param_bytes(100, 256) == 4 * 365_568
    assert cost.param_bytes(100, 256, dtype=np.float16) == nbytes // 2


def test_matmul_macs_are_the_weight_count_without_biases_per_step():
    for n, m in [(5, 10), (2, 3), (100, 256)]:
        weights_only = count_params(n, m) - 4 * m
        assert cost.matmul_macs(n, m) == weights_only


def test_linear_in_batch_and_steps_quadratic_in_hidden_size():
    base = cost.matmul_macs(100, 256)
    assert cost.matmul_macs(100, 256, batch=32, steps=100) == 3200 * base
    big = cost.matmul_macs(1, 4096) / cost.matmul_macs(1, 2048)
    assert math.isclose(big, 4.0, rel_tol=1e-3)
    assert cost.flops(5, 10, batch=2, steps=3) == 2 * cost.matmul_macs(5, 10, batch=2, steps=3) + 6 * 130


def test_activation_bytes_and_format():
    assert cost.activation_bytes(100, 256, batch=32, steps=100, dtype="float16") == 2 * 6_054_400
    assert cost.format_bytes(0) == "0 B"
    assert cost.format_bytes(1024) == "1.00 KiB"
    assert cost.format_bytes(3 * 1024**3) == "3.00 GiB"
    assert cost.format_bytes(5 * 1024**5) == "5120.00 TiB"


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: cost.matmul_macs(0, 4), ValueError, r"input_size == 0, must be an int >= 1"),
        (lambda: cost.matmul_macs(3, 2.5), TypeError, r"hidden_size must be an int >= 1, got 2.5"),
        (lambda: cost.matmul_macs(3, 4, batch=-1), ValueError, r"batch == -1"),
        (lambda: cost.elementwise_ops(4, steps=True), TypeError, r"steps must be an int >= 1, got True"),
        (lambda: cost.activation_bytes(3, 4, dtype="int8"), ValueError,
         r"Unknown value for dtype: 'int8'. Possible values are: \('float64', 'float32', 'float16'"),
        (lambda: cost.param_bytes(3, 4, framework="caffe"), ValueError, r"Unknown value for framework"),
        (lambda: cost.format_bytes(-1), ValueError, r"n == -1, must be an int >= 0"),
    ],
)
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
