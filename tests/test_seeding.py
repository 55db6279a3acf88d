"""lu.torch_init: PyTorch's default initial distributions, drawn from NumPy so every CPU gets the same."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import lstm_utils as lu  # noqa: E402


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_bounds_are_pytorchs(kind):
    # The same bound PyTorch's own reset_parameters uses: 1/sqrt(hidden_size) for every tensor.
    layer = lu.torch_init(getattr(torch.nn, kind)(3, 100, num_layers=2, bidirectional=True), seed=4)
    for name, p in layer.named_parameters():
        values = p.detach().numpy()
        assert np.abs(values).max() <= 1 / 10, name
        assert np.abs(values).max() > 0.9 / 10, name           # the whole interval is used
        assert abs(values.mean()) < 0.05, name


def test_linear_and_embedding():
    model = torch.nn.Sequential(torch.nn.Embedding(50, 16), torch.nn.Linear(16, 100))
    lu.torch_init(model, seed=0)
    emb, lin = model[0].weight.detach().numpy(), model[1].weight.detach().numpy()
    assert abs(emb.std() - 1) < 0.1 and np.abs(emb).max() > 2          # N(0, 1)
    assert np.abs(lin).max() <= 0.25 and np.abs(lin).max() > 0.24      # 1/sqrt(in_features) = 1/4
    assert np.abs(model[1].bias.detach().numpy()).max() <= 0.25


def test_same_numbers_whatever_torch_seed_and_dtype():
    torch.manual_seed(1)
    a = lu.torch_init(torch.nn.LSTM(2, 8), seed=7)
    torch.manual_seed(2)
    b = lu.torch_init(torch.nn.LSTM(2, 8).double(), seed=7)
    c = lu.torch_init(torch.nn.LSTM(2, 8), seed=8)
    assert b.weight_hh_l0.dtype == torch.float64
    for (name, pa), (_, pb), (_, pc) in zip(a.named_parameters(), b.named_parameters(),
                                            c.named_parameters(), strict=True):
        assert torch.equal(pa, pb.float()), name                 # float32 = float64 rounded
        assert not torch.equal(pa, pc), name
    # The first number is NumPy's first draw: nothing of torch's random state enters.
    first = np.random.default_rng(7).uniform(-1 / np.sqrt(8), 1 / np.sqrt(8))
    assert a.weight_ih_l0[0, 0].item() == np.float32(first)


def test_same_numbers_under_another_cpu_capability():
    # What a learner's CPU does: ATEN_CPU_CAPABILITY=default takes PyTorch's non-vectorised kernels, whose
    # uniform_ rounds the same seed's numbers differently; torch_init's numbers stay the same.
    code = ("import torch, lstm_utils as lu; torch.manual_seed(0); l = torch.nn.LSTM(2, 16); "
            "own = l.weight_hh_l0.detach().numpy().tobytes().hex(); lu.torch_init(l, seed=0); "
            "print(own[:64], l.weight_hh_l0.detach().numpy().tobytes().hex()[:64])")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "ATEN_CPU_CAPABILITY": cap}).stdout.split()
            for cap in ("default", "avx2")]
    assert runs[0][1] == runs[1][1]


def test_clear_errors():
    with pytest.raises(TypeError, match="module must be a torch.nn.Module, got list"):
        lu.torch_init([1, 2])
    with pytest.raises(TypeError, match=r"module\.0 is a Conv1d .* torch\.nn\.LSTM"):
        lu.torch_init(torch.nn.Sequential(torch.nn.Conv1d(2, 2, 3)))
    with pytest.raises(ValueError, match="seed"):
        lu.torch_init(torch.nn.LSTM(2, 3), seed=-1)
