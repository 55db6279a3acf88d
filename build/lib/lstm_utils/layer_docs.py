"""Argument tables of the frameworks' LSTM constructors, read from the installed signatures.

The names and defaults come from :func:`inspect.signature` of the installed class, so a table
cannot go stale when Keras or PyTorch adds, removes or re-defaults an argument; only the one-line
meanings are written here (:data:`KERAS_LSTM_MEANINGS`, :data:`TORCH_LSTM_MEANINGS`). An argument
that the installed version has and the meanings do not is listed in ``ArgumentTable.missing``
(and the tests fail on it), so a new argument is noticed at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from lstm_utils._table import Column, html_table, text_table

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

#: One-line meaning of every argument of ``keras.layers.LSTM`` (Keras 3).
KERAS_LSTM_MEANINGS = {
    "units": "m, the size of h_t and c_t (features per step of the output); the only required argument",
    "activation": "squashing of the candidate and of c_t before the output gate (tanh)",
    "recurrent_activation": "squashing of the three gates i, f, o (sigmoid keeps them in (0, 1))",
    "use_bias": "keep the bias vector b (4m numbers); False leaves 4m(n+m) parameters",
    "kernel_initializer": "how the input weights W (kernel, shape (n, 4m)) start",
    "recurrent_initializer": "how the recurrent weights U (recurrent_kernel, shape (m, 4m)) start",
    "bias_initializer": "how the bias (4m,) starts",
    "unit_forget_bias": ("set the forget-gate slice of the bias to 1 at the start; the other three slices"
                         " come from bias_initializer (zeros by default)"),
    "kernel_regularizer": "penalty on W added to the loss (for example L2)",
    "recurrent_regularizer": "penalty on U added to the loss",
    "bias_regularizer": "penalty on b added to the loss",
    "activity_regularizer": "penalty on the layer's output added to the loss",
    "kernel_constraint": "projection applied to W after each update (for example max-norm)",
    "recurrent_constraint": "projection applied to U after each update",
    "bias_constraint": "projection applied to b after each update",
    "dropout": ("fraction of x_t dropped while training only (one mask per call reused at every step;"
                " four independent masks, one per gate, when implementation=1)"),
    "recurrent_dropout": ("fraction of h_{t-1} dropped while training only (four masks, one per gate,"
                          " reused at every step); any value > 0 forces implementation=1"),
    "seed": "seed of the dropout masks",
    "return_sequences": "return h_t for every step (batch, time, m) instead of the last one (batch, m)",
    "return_state": "also return the final states [h_T, c_T]",
    "go_backwards": "read the sequence from its last step to its first",
    "stateful": "keep the final states of a batch as the initial states of the next batch",
    "unroll": "unroll the time loop into copies of the step (fast for short sequences, more memory)",
    "use_cudnn": "use NVIDIA's cuDNN kernel when the layer and the device allow it",
    "kwargs": ("base-layer keywords: name, dtype, trainable, ... (input_shape is deprecated:"
               " use keras.Input); also the unlisted implementation=2 (fused) or 1 (per gate):"
               " the same inference result, but 1 draws a dropout mask per gate, so training with"
               " dropout differs"),
}

#: One-line meaning of every argument of ``torch.nn.LSTM`` (read from ``torch.nn.RNNBase``).
TORCH_LSTM_MEANINGS = {
    "input_size": "n, the features of x_t",
    "hidden_size": "m, the size of h_t and c_t",
    "num_layers": "layers stacked, each reading the h_t sequence of the one below",
    "bias": "keep the two bias vectors bias_ih and bias_hh (8m numbers per layer and direction)",
    "batch_first": "input and output as (batch, seq, feature), not (seq, batch, feature); never h_n, c_n",
    "dropout": "dropout on the outputs of every layer except the last (does nothing with one layer)",
    "bidirectional": "add a second LSTM per layer that reads the sequence backwards (the _reverse tensors)",
    "proj_size": "if > 0, project h_t down to proj_size with weight_hr (needs proj_size < hidden_size)",
    "device": "where the parameters are created (cpu, cuda, ...)",
    "dtype": "floating-point type of the parameters",
}


@dataclass(frozen=True)
class ArgumentRow:
    """One constructor argument: its name, its default as text, and what it does."""

    name: str
    default: str
    meaning: str


class ArgumentTable(Sequence):
    """The arguments of one constructor, in signature order; prints as text, renders as HTML."""

    columns = ("argument", "default", "meaning")

    def __init__(self, title: str, rows: Iterable[ArgumentRow], missing: Iterable[str] = ()):
        self.title = title
        self.rows = tuple(rows)
        #: Arguments of the installed signature that have no meaning recorded.
        self.missing = tuple(missing)

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ArgumentRow]:
        return iter(self.rows)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.rows)

    def defaults(self) -> dict[str, str]:
        """Argument name -> default as text (``"required"`` when there is none)."""
        return {row.name: row.default for row in self.rows}

    def _table(self) -> tuple[list[Column], list[tuple[str, str, str]]]:
        columns = [Column("argument", code=True), Column("default", code=True),
                   Column("meaning", free=True, style="text-align:left")]
        return columns, [(r.name, r.default, r.meaning) for r in self.rows]

    def __str__(self) -> str:
        return text_table(*self._table(), title=self.title)

    def __repr__(self) -> str:
        return f"<ArgumentTable {self.title}: {len(self)} arguments>"

    def _repr_html_(self) -> str:
        return html_table(*self._table(), caption=self.title)


def _default_text(parameter: inspect.Parameter) -> str:
    if parameter.kind is inspect.Parameter.VAR_KEYWORD:
        return "**kwargs"
    if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
        return "*args"
    if parameter.default is inspect.Parameter.empty:
        return "required"
    return repr(parameter.default)


def signature_table(
    constructor: Callable,
    meanings: Mapping[str, str],
    *,
    title: str = "",
    skip: Iterable[str] = ("self",),
) -> ArgumentTable:
    """Tabulate a constructor's arguments: names and defaults from its signature, meanings from a dict.

    Parameters
    ----------
    constructor : callable
        A class or function whose :func:`inspect.signature` lists the arguments.
    meanings : mapping of str -> str
        One-line meaning per argument name. An argument without one gets the meaning
        ``"(no meaning recorded)"`` and is listed in ``ArgumentTable.missing``.
    title : str
        Caption of the table (default: the constructor's qualified name).
    skip : iterable of str
        Argument names to leave out (default ``("self",)``).

    Returns
    -------
    ArgumentTable

    Raises
    ------
    TypeError
        ``constructor`` is not callable, or ``meanings`` is not a mapping.

    Examples
    --------
    >>> def layer(units, use_bias=True): ...
    >>> table = signature_table(layer, {"units": "size of h"}, title="layer")
    >>> table.defaults()
    {'units': 'required', 'use_bias': 'True'}
    >>> table.missing
    ('use_bias',)
    """
    if not callable(constructor):
        raise TypeError(f"constructor must be callable (a class or a function), got {constructor!r}.")
    if not isinstance(meanings, Mapping):
        kind = type(meanings).__name__
        raise TypeError(f"meanings must be a mapping of argument name -> text, got {kind}.")
    skip = set(skip)
    rows, missing = [], []
    for name, parameter in inspect.signature(constructor).parameters.items():
        if name in skip:
            continue
        if name not in meanings:
            missing.append(name)
        rows.append(ArgumentRow(name, _default_text(parameter), meanings.get(name, "(no meaning recorded)")))
    return ArgumentTable(title or getattr(constructor, "__qualname__", str(constructor)), rows, missing)


def keras_lstm_arguments() -> ArgumentTable:
    """Every argument of the installed ``keras.layers.LSTM``, its default and its meaning.

    Examples
    --------
    >>> table = keras_lstm_arguments()
    >>> table.defaults()["units"], table.defaults()["unit_forget_bias"]
    ('required', 'True')
    """
    import keras

    return signature_table(keras.layers.LSTM, KERAS_LSTM_MEANINGS,
                           title=f"keras.layers.LSTM (Keras {keras.__version__})")


def torch_lstm_arguments() -> ArgumentTable:
    """Every argument of the installed ``torch.nn.LSTM``, its default and its meaning.

    ``torch.nn.LSTM.__init__`` is declared as ``(*args, **kwargs)`` and hands everything to
    ``torch.nn.RNNBase.__init__(mode="LSTM", ...)``, so the signature is read from ``RNNBase``
    without ``mode``.

    Examples
    --------
    >>> table = torch_lstm_arguments()
    >>> table.names[:3]
    ('input_size', 'hidden_size', 'num_layers')
    """
    import torch

    version = torch.__version__.split("+")[0]
    return signature_table(torch.nn.RNNBase.__init__, TORCH_LSTM_MEANINGS, skip=("self", "mode"),
                           title=f"torch.nn.LSTM (PyTorch {version})")
