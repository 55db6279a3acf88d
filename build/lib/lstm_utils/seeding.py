"""Seeded PyTorch initial weights that are the same numbers on every CPU.

``torch.manual_seed(0)`` followed by ``torch.nn.LSTM(...)`` does *not* give the same weights everywhere:
PyTorch 2.13's ``uniform_`` and ``normal_`` take a vectorised path on CPUs with AVX2 or AVX-512 and a
scalar one where PyTorch does not use those kernels (``ATEN_CPU_CAPABILITY=default`` imitates such a
CPU), and the two paths round the same seed's numbers differently: a float32 weight changes in its last
bits. That is enough: a training run or an exploding gradient amplifies it (notebook 16's exploding
gradient moved by a factor of two), and the stored output of a notebook that trains from PyTorch's own
initialisation is then not what a learner's CPU prints.

:func:`torch_init` draws every parameter from the distribution PyTorch's default initialisation uses,
but with NumPy's ``default_rng(seed)``, whose numbers do not depend on the CPU, and copies them into the
module. The training data of the course come from NumPy too (:mod:`lstm_utils.tasks`), so a seeded run
starts from the same numbers on every machine; what still differs is the rounding of the arithmetic,
which the notebooks handle by computing in float64 and printing only the digits that survive.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lstm_utils._validate import check_int

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["RECURRENT_LAYERS", "torch_init"]

#: The modules whose every parameter PyTorch draws from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)).
RECURRENT_LAYERS = ("RNN", "GRU", "LSTM", "RNNCell", "GRUCell", "LSTMCell")
_LEAVES = (*RECURRENT_LAYERS, "Linear", "Embedding")


def _bound(module: Any, kind: str) -> float | None:
    """Half-width of PyTorch's default uniform initialisation of ``module`` (None: standard normal)."""
    if kind in RECURRENT_LAYERS:
        return 1.0 / np.sqrt(module.hidden_size)
    if kind == "Linear":            # kaiming_uniform_(a=sqrt(5)) for the weight, the same bound for the bias
        return 1.0 / np.sqrt(module.in_features)
    return None                     # Embedding: N(0, 1)


def torch_init(module: Any, seed: int = 0) -> Any:
    """Re-draw ``module``'s parameters as PyTorch's default initialisation does, from NumPy's ``seed``.

    Every ``torch.nn.RNN``, ``GRU``, ``LSTM`` (any number of layers, either direction, with
    ``proj_size``) and their ``...Cell`` forms get U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in every
    tensor; a ``torch.nn.Linear`` gets U(-1/sqrt(in_features), 1/sqrt(in_features)) in its weight and
    bias; a ``torch.nn.Embedding`` gets N(0, 1). These are the distributions of PyTorch's own
    ``reset_parameters``; only the random numbers differ, and they are the same on every CPU. The
    parameters are drawn in ``module.named_modules()`` order from one ``numpy.random.default_rng(seed)``,
    in float64, and cast to each parameter's dtype.

    Parameters
    ----------
    module : torch.nn.Module
        One of the layers above, or a module built from them (its other submodules must have no
        parameters of their own).
    seed : int
        Seed of ``numpy.random.default_rng``, at least 0.

    Returns
    -------
    torch.nn.Module
        ``module`` itself, changed in place, so that ``model = torch_init(Model(), seed=0)`` reads.

    Raises
    ------
    TypeError
        ``module`` is not a ``torch.nn.Module``, or contains a module with parameters of another kind.

    Examples
    --------
    >>> import torch
    >>> lstm = torch_init(torch.nn.LSTM(2, 4), seed=0)
    >>> round(lstm.weight_ih_l0[0, 0].item(), 6)      # the same number on every CPU
    0.136962
    >>> bool(lstm.weight_hh_l0.abs().max() <= 0.5)    # 1 / sqrt(hidden_size)
    True
    """
    import torch

    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}.")
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    for name, sub in module.named_modules():
        kind = type(sub).__name__
        own = list(sub.named_parameters(recurse=False))
        if not own:
            continue
        if kind not in _LEAVES or not isinstance(sub, getattr(torch.nn, kind)):
            where = f"module.{name}" if name else "module"
            raise TypeError(
                f"{where} is a {kind} with parameters of its own; torch_init knows the default "
                f"initialisation of torch.nn.{', torch.nn.'.join(_LEAVES)}.")
        bound = _bound(sub, kind)
        with torch.no_grad():
            for _, p in own:
                shape = tuple(p.shape)
                values = (rng.normal(size=shape) if bound is None
                          else rng.uniform(-bound, bound, size=shape))
                p.copy_(torch.from_numpy(values).to(p.dtype))
    return module
