"""The LSTM variants of Greff et al. (2017): their equations, their parameter counts, and a forward pass.

Greff, Srivastava, Koutník, Steunebrink and Schmidhuber, "LSTM: A Search Space Odyssey", IEEE
Transactions on Neural Networks and Learning Systems 28(10), 2017, arXiv:1503.04069, compared the
"vanilla" LSTM (section II) with eight variants, each one change away from it (section IV). The
vanilla LSTM, in this course's names (candidate ``g`` is the paper's block input ``z``; ``h`` its
block output ``y``)::

    g_t = tanh(W_c x_t + U_c h_{t-1} + b_c)                      candidate (block input)
    i_t = sigmoid(W_i x_t + U_i h_{t-1} + p_i * c_{t-1} + b_i)   input gate
    f_t = sigmoid(W_f x_t + U_f h_{t-1} + p_f * c_{t-1} + b_f)   forget gate
    c_t = f_t * c_{t-1} + i_t * g_t                              cell state
    o_t = sigmoid(W_o x_t + U_o h_{t-1} + p_o * c_t + b_o)       output gate (peeks at the new cell)
    h_t = o_t * tanh(c_t)                                        hidden state (block output)

The peepholes ``p_i``, ``p_f``, ``p_o`` are vectors of m weights ("diagonal" connections from the
cell to its own gates). ``NP`` (no peepholes) is the LSTM that Keras, PyTorch, MATLAB and cuDNN
ship (cuDNN has neither peepholes nor coupled gates); ONNX's ``LSTM`` operator computes ``V`` (its
input ``P``) and can couple the gates (``input_forget=1``). The variants are described by
:data:`VARIANT_INFO`; :func:`count_params` counts them as papers do (one bias vector per gate, a
peephole as m weights) and :func:`variant_forward` runs one layer in NumPy with
:class:`VariantWeights`. :func:`torch_module` builds the same layer as a trainable PyTorch module
(for experiments; it loops in Python). Both loop over one step function, ``_step``, which takes the
pre-activations ``W_k x_t + U_k h_{t-1} + b_k`` and computes the equations above on NumPy arrays or
torch tensors alike.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from lstm_utils._validate import as_float_array, check_bool, check_choice, check_int, check_real, check_shape
from lstm_utils.reference import LSTMWeights, check_weights, sigmoid

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = [
    "TORCH_DTYPES",
    "VARIANTS",
    "VARIANT_INFO",
    "Variant",
    "VariantWeights",
    "check_variant_weights",
    "count_params",
    "parameter_names",
    "to_onnx",
    "torch_module",
    "variant_forward",
]

#: Greff et al.'s names: the vanilla LSTM and its eight one-change variants, in the paper's order.
VARIANTS = ("V", "NIG", "NFG", "NOG", "NIAF", "NOAF", "NP", "CIFG", "FGR")

#: The three sigmoid gates, by their symbol; "c" is the candidate (block input).
_GATES = ("i", "f", "o")


@dataclass(frozen=True)
class Variant:
    """One LSTM variant: what it keeps of the vanilla LSTM and how its equations differ.

    Attributes
    ----------
    name : str
        Greff et al.'s abbreviation, one of :data:`VARIANTS`.
    title : str
        The name spelled out.
    doc : str
        The variant's equations' difference from ``V`` and where the paper defines it.
    gates : tuple of str
        The sigmoid gates that have weights of their own (symbols among "i", "f", "o").
    peepholes : tuple of str
        The gates with a peephole vector.
    input_activation, output_activation : bool
        Whether ``tanh`` is applied to the candidate (input activation) and to the cell before the
        output gate (output activation).
    coupled : bool
        ``f_t = 1 - i_t`` (the forget gate has no weights of its own).
    full_recurrence : bool
        Every gate also reads the previous activations of all three gates (nine m x m matrices).
    """

    name: str
    title: str
    doc: str
    gates: tuple[str, ...] = _GATES
    peepholes: tuple[str, ...] = _GATES
    input_activation: bool = True
    output_activation: bool = True
    coupled: bool = False
    full_recurrence: bool = False


_SEC = "Greff et al. 2017, section IV (the list of variants); the vanilla LSTM is section II."

#: Each variant of :data:`VARIANTS` with its definition.
VARIANT_INFO = {
    "V": Variant("V", "vanilla LSTM", "The reference: forget gate, peepholes to all three gates, tanh "
                 "on the candidate and on the cell. Greff et al. 2017, section II (forward pass)."),
    "NIG": Variant("NIG", "no input gate", f"i_t = 1: every candidate is written into the cell. {_SEC}",
                   gates=("f", "o"), peepholes=("f", "o")),
    "NFG": Variant("NFG", "no forget gate", "f_t = 1: the cell only accumulates, as in the 1997 LSTM "
                   f"(Hochreiter and Schmidhuber), the constant error carousel. {_SEC}",
                   gates=("i", "o"), peepholes=("i", "o")),
    "NOG": Variant("NOG", "no output gate", f"o_t = 1: h_t = tanh(c_t). {_SEC}",
                   gates=("i", "f"), peepholes=("i", "f")),
    "NIAF": Variant("NIAF", "no input activation function",
                    f"g_t = W_c x_t + U_c h_{{t-1}} + b_c, without tanh. {_SEC}", input_activation=False),
    "NOAF": Variant("NOAF", "no output activation function", f"h_t = o_t * c_t, without tanh. {_SEC}",
                    output_activation=False),
    "NP": Variant("NP", "no peepholes", "p_i = p_f = p_o = 0: the gates do not see the cell; this is "
                  f"the LSTM of Keras, PyTorch, MATLAB and cuDNN. {_SEC}", peepholes=()),
    "CIFG": Variant("CIFG", "coupled input and forget gate", "f_t = 1 - i_t: the forget gate has no "
                    f"weights and no peephole of its own (as in the GRU). {_SEC}",
                    gates=("i", "o"), peepholes=("i", "o"), coupled=True),
    "FGR": Variant("FGR", "full gate recurrence", "Each gate also reads the previous activations of "
                   "all gates: i_t gets + R_ii i_{t-1} + R_if f_{t-1} + R_io o_{t-1}, and so on for f_t "
                   "and o_t (nine more m x m matrices), as in the 1997 LSTM's gate recurrence. "
                   f"{_SEC}", full_recurrence=True),
}


def _variant(value: object) -> Variant:
    return VARIANT_INFO[check_choice("variant", value, VARIANTS)]       # any case; raises, listing VARIANTS


def parameter_names(variant: str = "V") -> tuple[str, ...]:
    """The trainable arrays of one layer of ``variant``, in a fixed order.

    ``W_k`` (m, n), ``U_k`` (m, m) and ``b_k`` (m,) for the candidate ``c`` and each gate with
    weights, ``p_k`` (m,) for each peephole, and for FGR ``R_kj`` (m, m): gate k reading gate j's
    previous activation.

    Examples
    --------
    >>> parameter_names("CIFG")
    ('W_c', 'U_c', 'b_c', 'W_i', 'U_i', 'b_i', 'W_o', 'U_o', 'b_o', 'p_i', 'p_o')
    """
    v = _variant(variant)
    names = []
    for k in ("c", *v.gates):
        names += [f"W_{k}", f"U_{k}", f"b_{k}"]
    names += [f"p_{k}" for k in v.peepholes]
    if v.full_recurrence:
        names += [f"R_{k}{j}" for k in v.gates for j in v.gates]
    return tuple(names)


def _shapes(variant: str, n: int, m: int) -> dict[str, tuple[int, ...]]:
    kinds = {"W": (m, n), "U": (m, m), "b": (m,), "p": (m,), "R": (m, m)}
    return {name: kinds[name[0]] for name in parameter_names(variant)}


def count_params(
    input_size: int, hidden_size: int, variant: str = "V", *, num_layers: int = 1,
    bidirectional: bool = False, proj_size: int = 0,
) -> int:
    """Trainable numbers of an LSTM ``variant``, counted as papers count them.

    One bias vector per gate (Keras's and MATLAB's convention, not PyTorch's two), a diagonal
    peephole as m weights. Per layer and direction, with k the number of weight blocks (candidate
    plus the gates that have weights), P the number of peepholes and, for FGR, nine more m x m::

        k * (m * n + m * m + m) + P * m  (+ 9 * m * m)

    Stacked layers read the previous layer's output: m features, 2m after a bidirectional layer.

    With ``proj_size`` r > 0 the layer is Sak, Senior and Beaufays's LSTMP ("Long Short-Term Memory
    Based Recurrent Neural Network Architectures for Large Vocabulary Speech Recognition", 2014,
    arXiv:1402.1128): a recurrent projection ``r_t = W_r h_t`` (r x m weights) is the layer's output
    and what the gates read at the next step, so each U_k is m x r and the next layer sees r (2r)
    features.

    Parameters
    ----------
    input_size, hidden_size : int
        n and m, both >= 1.
    variant : str
        One of :data:`VARIANTS` (case-insensitive).
    num_layers : int
        Stacked layers, >= 1.
    bidirectional : bool
        Two directions per layer, each with its own weights.
    proj_size : int
        r, the size of the recurrent projection (LSTMP); 0 (default) for none.

    Examples
    --------
    >>> count_params(100, 256, "NP")       # the frameworks' LSTM: 4 * (256 * (100 + 256) + 256)
    365568
    >>> count_params(100, 256, "V", proj_size=128)   # LSTMP: 4 * 256 * (100 + 128 + 1) + 3 * 256 + 128 * 256
    268032
    >>> count_params(100, 256, "V")        # plus three peepholes of 256
    366336
    >>> count_params(100, 256, "CIFG")     # three blocks, two peepholes
    274688
    """
    n = check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    layers = check_int("num_layers", num_layers)
    directions = 2 if check_bool("bidirectional", bidirectional) else 1
    r = check_int("proj_size", proj_size, minimum=0)
    _variant(variant)
    out = r or m                                   # what a layer outputs and its gates read back
    total = 0
    for layer in range(layers):
        features = n if layer == 0 else directions * out
        shapes = _shapes(variant, features, m)
        # U_k reads the previous output: (m, m), or (m, r) with a projection
        one = sum(int(np.prod((m, out) if k.startswith("U_") else s)) for k, s in shapes.items())
        one += r * m                               # W_r (r, m): r_t = W_r h_t
        total += directions * one
    return total


class VariantWeights:
    """The trainable arrays of one layer (one direction) of an LSTM variant, by name.

    Parameters
    ----------
    variant : str
        One of :data:`VARIANTS`.
    arrays : dict
        Exactly the names of :func:`parameter_names` (``variant``), with the shapes given there.
        They are stored as read-only copies of one floating dtype, in a read-only mapping: like
        :class:`~lstm_utils.reference.LSTMWeights`, the object cannot change.

    Raises
    ------
    ValueError
        A name missing or unknown, or a shape that does not fit; the message names the array.

    Examples
    --------
    >>> w = VariantWeights.random("V", 3, 2)
    >>> w
    VariantWeights('V', input_size=3, hidden_size=2, dtype=float32, 15 arrays, 54 numbers)
    >>> w.count() == count_params(3, 2, "V")
    True
    """

    __slots__ = ("variant", "arrays")

    def __init__(self, variant: str, arrays: Mapping) -> None:
        info = _variant(variant)
        if not isinstance(arrays, Mapping):
            raise TypeError(f"arrays must be a dict of name -> array, got {type(arrays).__name__}.")
        expected = parameter_names(info.name)
        missing = [k for k in expected if k not in arrays]
        unknown = [k for k in arrays if k not in expected]
        if missing or unknown:
            raise ValueError(
                f"arrays for variant {info.name!r} must have exactly the names {expected}; "
                f"missing {tuple(missing)}, unknown {tuple(unknown)}."
            )
        as_arrays = {k: as_float_array(k, arrays[k]) for k in expected}
        W_c = as_arrays["W_c"]
        if W_c.ndim != 2:
            raise ValueError(f"W_c has {W_c.ndim} dimensions, expected 2: (hidden_size, input_size).")
        m, n = W_c.shape
        labels = {"W": (("hidden_size", m), ("input_size", n)), "U": (("hidden_size", m),) * 2,
                  "b": (("hidden_size", m),), "p": (("hidden_size", m),), "R": (("hidden_size", m),) * 2}
        for k, a in as_arrays.items():
            check_shape(k, a, labels[k[0]])
        dtype = np.result_type(*as_arrays.values())
        object.__setattr__(self, "variant", info.name)
        copies = {k: np.array(a, dtype=dtype, copy=True) for k, a in as_arrays.items()}
        for a in copies.values():
            a.flags.writeable = False                                # immutable, as the object
        object.__setattr__(self, "arrays", MappingProxyType(copies))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("VariantWeights is immutable: build a new one instead.")

    @classmethod
    def random(cls, variant: str, input_size: int, hidden_size: int, seed: int = 0,
               dtype: object = np.float32) -> VariantWeights:
        """Every array drawn uniformly from [-1/sqrt(m), 1/sqrt(m)] (PyTorch's LSTM init)."""
        n = check_int("input_size", input_size)
        m = check_int("hidden_size", hidden_size)
        rng = np.random.default_rng(check_int("seed", seed, minimum=0))
        bound = 1.0 / np.sqrt(m)
        shapes = _shapes(_variant(variant).name, n, m)
        return cls(variant, {k: rng.uniform(-bound, bound, s).astype(dtype) for k, s in shapes.items()})

    @classmethod
    def from_lstm(cls, weights: LSTMWeights, variant: str = "NP") -> VariantWeights:
        """Lift the frameworks' LSTM weights into ``variant``; new peepholes and matrices are zeros.

        ``from_lstm(w, "NP")`` computes exactly what ``lstm_forward(x, w)`` does; ``"V"`` with zero
        peepholes too. A variant without a gate (or coupled) drops that gate's weights.
        """
        weights = check_weights(weights)
        n, m, dt = weights.input_size, weights.hidden_size, weights.dtype
        source = {"c": weights.gate("candidate"), "i": weights.gate("input"),
                  "f": weights.gate("forget"), "o": weights.gate("output")}
        arrays = {}
        for k, shape in _shapes(_variant(variant).name, n, m).items():
            kind, gate = k[0], k[2:]
            if kind in "WUb":
                arrays[k] = source[gate]["WUb".index(kind)]
            else:
                arrays[k] = np.zeros(shape, dtype=dt)
        return cls(variant, arrays)

    @property
    def input_size(self) -> int:
        """n, the number of features per time step."""
        return self.arrays["W_c"].shape[1]

    @property
    def hidden_size(self) -> int:
        """m, the number of hidden units."""
        return self.arrays["W_c"].shape[0]

    @property
    def dtype(self) -> np.dtype:
        """The floating dtype shared by every array."""
        return self.arrays["W_c"].dtype

    def count(self) -> int:
        """Number of trainable numbers; equals :func:`count_params` for one layer."""
        return int(sum(a.size for a in self.arrays.values()))

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[check_choice("name", name, tuple(self.arrays))]

    def __repr__(self) -> str:
        return (f"VariantWeights({self.variant!r}, input_size={self.input_size}, "
                f"hidden_size={self.hidden_size}, dtype={self.dtype.name}, {len(self.arrays)} arrays, "
                f"{self.count()} numbers)")


def check_variant_weights(weights: object) -> VariantWeights:
    """Return ``weights`` if it is a :class:`VariantWeights`; a TypeError that says how to build one if not.

    The message has the form of :func:`lstm_utils.reference.check_weights`.

    Examples
    --------
    >>> check_variant_weights(VariantWeights.random("NP", 1, 1)).count()
    12
    """
    if not isinstance(weights, VariantWeights):
        raise TypeError(
            f"weights must be a VariantWeights, got {type(weights).__name__}; build one with "
            "VariantWeights(variant, arrays), VariantWeights.random or VariantWeights.from_lstm."
        )
    return weights


def _step(
    v: Variant, pre: dict, c_prev: object, P: object, one: object, sigmoid: object, tanh: object
) -> tuple:
    """One time step of variant ``v`` from its pre-activations, on NumPy arrays or torch tensors alike.

    ``pre[k]`` is ``W_k x_t + U_k h_{t-1} + b_k`` (FGR: plus its gate recurrence) for the candidate
    ``"c"`` and each gate with weights, each (batch, m); ``P`` maps ``"p_k"`` to the peepholes;
    ``one`` is a (batch, m) array of ones, the value of a gate the variant lacks; ``sigmoid`` and
    ``tanh`` are the array library's. Returns h_t, c_t and the gates (i_t, f_t, o_t).
    """

    def peep(k: str, cell: object) -> object:
        return P[f"p_{k}"] * cell if k in v.peepholes else 0.0

    # g_t = tanh(W_c x_t + U_c h_{t-1} + b_c)          (NIAF: no tanh)
    g = tanh(pre["c"]) if v.input_activation else pre["c"]
    # i_t = sigmoid(W_i x_t + U_i h_{t-1} + p_i * c_{t-1} + b_i)       (NIG: 1)
    i = sigmoid(pre["i"] + peep("i", c_prev)) if "i" in v.gates else one
    # f_t = sigmoid(W_f x_t + U_f h_{t-1} + p_f * c_{t-1} + b_f)       (NFG: 1, CIFG: 1 - i_t)
    f = 1.0 - i if v.coupled else sigmoid(pre["f"] + peep("f", c_prev)) if "f" in v.gates else one
    # c_t = f_t * c_{t-1} + i_t * g_t
    c = f * c_prev + i * g
    # o_t = sigmoid(W_o x_t + U_o h_{t-1} + p_o * c_t + b_o)           (NOG: 1)
    o = sigmoid(pre["o"] + peep("o", c)) if "o" in v.gates else one
    # h_t = o_t * tanh(c_t)                             (NOAF: no tanh)
    h = o * (tanh(c) if v.output_activation else c)
    return h, c, (i, f, o)


def variant_forward(
    x: object, weights: VariantWeights, h0: object = None, c0: object = None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Run one layer of an LSTM variant over a batch of sequences, one line per equation (in ``_step``).

    Parameters
    ----------
    x : array of shape (batch, time, input_size)
    weights : VariantWeights
    h0, c0 : arrays of shape (batch, hidden_size), optional
        Initial states; zeros if omitted. (FGR's previous gate activations start at zero.)

    Returns
    -------
    outputs : ndarray of shape (batch, time, hidden_size)
    (h_n, c_n) : ndarrays of shape (batch, hidden_size)

    Examples
    --------
    >>> from lstm_utils.reference import lstm_forward
    >>> w = LSTMWeights.random(3, 2, dtype=np.float64)
    >>> x = np.random.default_rng(0).normal(size=(2, 5, 3))
    >>> out, _ = variant_forward(x, VariantWeights.from_lstm(w, "NP"))
    >>> bool(np.allclose(out, lstm_forward(x, w)[0], rtol=0, atol=1e-12))
    True
    """
    weights = check_variant_weights(weights)
    v = VARIANT_INFO[weights.variant]
    n, m = weights.input_size, weights.hidden_size
    x = as_float_array("x", x)
    check_shape("x", x, (("batch", None), ("time", None), ("input_size", n)))
    dtype = np.result_type(x.dtype, weights.dtype)
    x = x.astype(dtype, copy=False)
    batch = x.shape[0]
    states = []
    for name, s in (("h0", h0), ("c0", c0)):
        s = np.zeros((batch, m), dtype) if s is None else as_float_array(name, s, dtype)
        check_shape(name, s, (("batch", batch), ("hidden_size", m)))
        states.append(s)
    h, c = states
    P = {k: a.astype(dtype, copy=False) for k, a in weights.arrays.items()}
    one = np.ones((batch, m), dtype)
    prev = {k: np.zeros((batch, m), dtype) for k in v.gates}     # FGR: gate activations at t-1
    outputs = []
    for t in range(x.shape[1]):
        x_t = x[:, t, :]                                                    # (batch, n)
        # W_k x_t + U_k h_{t-1} + b_k for the candidate and each gate with weights    each (batch, m)
        pre = {k: x_t @ P[f"W_{k}"].T + h @ P[f"U_{k}"].T + P[f"b_{k}"] for k in ("c", *v.gates)}
        if v.full_recurrence:                # + sum_j R_kj gate_j(t-1) for each gate k
            pre.update({k: pre[k] + sum(prev[j] @ P[f"R_{k}{j}"].T for j in v.gates) for k in v.gates})
        h, c, gates = _step(v, pre, c, P, one, sigmoid, np.tanh)
        prev = dict(zip(_GATES, gates, strict=True))
        outputs.append(h)
    out = np.stack(outputs, axis=1) if outputs else np.zeros((batch, 0, m), dtype)
    return out, (h, c)


@functools.cache
def _torch_class():
    import torch
    from torch import nn

    class VariantLSTM(nn.Module):
        """One layer of an LSTM variant in PyTorch (batch-first), for training experiments."""

        def __init__(self, variant: str, input_size: int, hidden_size: int, forget_bias: float, seed: int,
                     dtype: str):
            super().__init__()
            self.variant = _variant(variant).name
            init = VariantWeights.random(self.variant, input_size, hidden_size, seed, dtype=dtype)
            arrays = dict(init.arrays)
            if "b_f" in arrays:
                arrays["b_f"] = np.full_like(arrays["b_f"], forget_bias)
            # np.array copies: a parameter trains in place, the stored arrays are read-only
            self.params = nn.ParameterDict({k: nn.Parameter(torch.from_numpy(np.array(a)))
                                            for k, a in arrays.items()})

        def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
            v, P = VARIANT_INFO[self.variant], self.params
            blocks = ("c", *v.gates)                        # candidate, then the gates with weights
            batch, m = x.shape[0], P["W_c"].shape[0]
            # The blocks stacked, so that one product per step serves them all (as cuDNN does).
            W = torch.cat([P[f"W_{k}"] for k in blocks])                              # (k*m, n)
            U = torch.cat([P[f"U_{k}"] for k in blocks])                              # (k*m, m)
            b = torch.cat([P[f"b_{k}"] for k in blocks])                              # (k*m,)
            x_proj = x @ W.T + b                                                      # (batch, time, k*m)
            if v.full_recurrence:
                R = torch.cat([torch.cat([P[f"R_{k}{j}"] for j in v.gates], dim=1)
                               for k in v.gates])                                     # (3m, 3m)
            h = x.new_zeros(batch, m)
            c = x.new_zeros(batch, m)
            one = x.new_ones(batch, m)
            prev = x.new_zeros(batch, len(v.gates) * m)     # FGR: gate activations at t-1, (batch, 3m)
            outputs = []
            for t in range(x.shape[1]):
                # W_k x_t + b_k + U_k h_{t-1} for every block k at once
                z = x_proj[:, t] + h @ U.T                                            # (batch, k*m)
                if v.full_recurrence:
                    # + sum_j R_kj gate_j(t-1) for every gate k
                    z = torch.cat([z[:, :m], z[:, m:] + prev @ R.T], dim=1)
                pre = dict(zip(blocks, z.split(m, dim=1), strict=True))
                h, c, gates = _step(v, pre, c, P, one, torch.sigmoid, torch.tanh)   # the NumPy forward's step
                if v.full_recurrence:
                    prev = torch.cat(gates, dim=1)
                outputs.append(h)
            return torch.stack(outputs, dim=1), (h, c)

        def to_numpy(self) -> VariantWeights:
            """The module's current weights as :class:`VariantWeights`."""
            return VariantWeights(self.variant, {k: p.detach().cpu().numpy() for k, p in self.params.items()})

    return VariantLSTM


#: The floating dtypes :func:`torch_module` builds its parameters in, by name.
TORCH_DTYPES = ("float32", "float64")


def _dtype_name(dtype: object) -> str:
    """``dtype`` as one of :data:`TORCH_DTYPES`: a torch dtype, a NumPy dtype or type, or its name."""
    import torch

    if isinstance(dtype, torch.dtype):
        name = str(dtype).removeprefix("torch.")
    elif isinstance(dtype, str):
        name = dtype
    elif isinstance(dtype, np.dtype) or (isinstance(dtype, type) and issubclass(dtype, np.generic)):
        name = np.dtype(dtype).name
    else:
        raise TypeError(f"dtype must be a torch dtype, a NumPy dtype or a name such as 'float64', "
                        f"got {dtype!r} (type {type(dtype).__name__}).")
    if name not in TORCH_DTYPES:
        raise ValueError(f"dtype == {dtype!r}, must be float32 or float64 (torch.float32, torch.float64, "
                         f"np.float32, np.float64 or the names {TORCH_DTYPES}).")
    return name


def torch_module(variant: str, input_size: int, hidden_size: int, *, forget_bias: float = 0.0,
                 seed: int = 0, dtype: object = "float32"):
    """A trainable one-layer PyTorch module of ``variant`` (batch-first), seeded.

    Its weights start as :meth:`VariantWeights.random` with ``seed`` (uniform in ±1/sqrt(m), drawn
    by NumPy, so the same numbers on every CPU), with the forget-gate bias set to ``forget_bias``
    where the variant has a forget gate of its own. ``module(x)`` returns ``(outputs, (h_n, c_n))``
    like :func:`variant_forward`, and ``module.to_numpy()`` gives the weights back for it. It runs a
    Python loop over the steps: use small sizes.

    Parameters
    ----------
    variant : str
        One of :data:`VARIANTS` (case-insensitive).
    input_size, hidden_size : int
        n and m, both >= 1.
    forget_bias : float
        Initial value of ``b_f``, a finite real number (ignored by variants without a forget gate of
        their own).
    seed : int
        Seed of the initial weights, >= 0.
    dtype : str, torch.dtype or NumPy dtype
        ``"float32"`` (default) or ``"float64"`` (also ``torch.float64``, ``np.float64``): the dtype of
        every parameter; ``x`` must have the same. Small trainings in float64 replay to more digits on
        another CPU.

    Raises
    ------
    TypeError, ValueError
        An argument of the wrong type or out of range; the message names it.

    Examples
    --------
    >>> import torch
    >>> module = torch_module("CIFG", 2, 3, seed=0, dtype="float64")
    >>> module.params["W_c"].dtype, sum(p.numel() for p in module.parameters()) == count_params(2, 3, "CIFG")
    (torch.float64, True)
    """
    n = check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    seed = check_int("seed", seed, minimum=0)
    forget_bias = check_real("forget_bias", forget_bias)
    return _torch_class()(variant, n, m, forget_bias, seed, _dtype_name(dtype))


def to_onnx(weights: VariantWeights) -> dict[str, object]:
    """The ONNX ``LSTM`` operator's inputs and attribute for a V, NP or CIFG layer (one direction).

    ONNX computes the vanilla LSTM: its optional input ``P`` [1, 3*hidden_size] holds the peepholes
    in the order i, o, f, and its attribute ``input_forget=1`` couples the input and forget gates.
    The ONNX specification says only that the gates are coupled; ``f = 1 - i`` is what ONNX
    Runtime's CPU kernel computes (tests/test_variants.py runs it against CIFG). The other variants
    have no ONNX form. Returns ``{"W", "R", "B", "P", "input_forget"}``; ``W``, ``R``
    and ``B`` as :func:`lstm_utils.convert.to_onnx` (a coupled forget gate gets zero weights there,
    which ONNX ignores), ``P`` None for NP.

    Examples
    --------
    >>> onnx = to_onnx(VariantWeights.random("CIFG", 3, 2))
    >>> onnx["W"].shape, onnx["P"].shape, onnx["input_forget"]
    ((1, 8, 3), (1, 6), 1)
    """
    from lstm_utils.convert import to_onnx as lstm_to_onnx

    weights = check_variant_weights(weights)
    if weights.variant not in ("V", "NP", "CIFG"):
        raise ValueError(f"variant {weights.variant!r} has no ONNX LSTM form; accepted: ('V', 'NP', 'CIFG').")
    A, dt = weights.arrays, weights.dtype
    n, m = weights.input_size, weights.hidden_size
    zeros = {"W": np.zeros((m, n), dt), "U": np.zeros((m, m), dt), "b": np.zeros(m, dt)}
    blocks = {kind: np.stack([A.get(f"{kind}_{k}", zeros[kind]) for k in ("i", "f", "c", "o")])
              for kind in ("W", "U", "b")}                           # neutral gate order i, f, c, o
    W, R, B = lstm_to_onnx(LSTMWeights(blocks["W"], blocks["U"], blocks["b"]))
    P = None
    if weights.variant != "NP":
        P = np.concatenate([A.get(f"p_{k}", np.zeros(m, dt)) for k in ("i", "o", "f")]).reshape(1, 3 * m)
    return {"W": W, "R": R, "B": B, "P": P, "input_forget": int(weights.variant == "CIFG")}
