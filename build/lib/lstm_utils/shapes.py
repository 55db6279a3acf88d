"""Output and state shapes of an LSTM layer stack in each counted framework (Keras, PyTorch, MATLAB, ...).

The shapes themselves are each framework's fact: its record's ``output_shapes``
(:mod:`lstm_utils.frameworks`); this module validates the arguments once and looks the record up.
"""

from __future__ import annotations

from lstm_utils._validate import check_bool, check_framework, check_int, check_proj_size
from lstm_utils.frameworks.registry import REGISTRY

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)


def output_shapes(
    framework: str,
    *,
    batch: int,
    seq_len: int,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = False,
    proj_size: int = 0,
    return_sequences: bool = False,
    return_state: bool = False,
) -> dict[str, tuple[int, ...]]:
    """Shapes of what an LSTM layer stack returns for one batch.

    Parameters
    ----------
    framework : str
        A counted framework of the registry ("keras", "pytorch", "matlab", ...; aliases accepted).
    batch, seq_len, input_size, hidden_size, num_layers : int
        All >= 1. ``input_size`` does not change any output shape; it is checked so that a call
        describes a real layer.
    bidirectional : bool
    batch_first : bool
        PyTorch only: ``output`` is (batch, seq, ...) instead of (seq, batch, ...). It never
        changes ``h_n`` and ``c_n``. Keras is always batch first; MATLAB's dlarray format is
        "CBT" (channels, batch, time).
    proj_size : int
        PyTorch only: h (and so ``output`` and ``h_n``) has proj_size features; ``c_n`` keeps
        hidden_size.
    return_sequences, return_state : bool
        Keras arguments of the last layer (and, for MATLAB, OutputMode "sequence" when
        return_sequences, HasStateOutputs when return_state). PyTorch always returns all three.

    Returns
    -------
    dict of name -> shape
        PyTorch: ``output``, ``h_n``, ``c_n``. Keras: ``output``, and with return_state
        ``state_h``, ``state_c`` (bidirectional: ``forward_h``, ``forward_c``, ``backward_h``,
        ``backward_c``). MATLAB: ``output``, and with return_state ``hidden_state``, ``cell_state``.

    Raises
    ------
    TypeError, ValueError
        A bad argument (named, with what is accepted), or a framework whose record has no shapes.

    Examples
    --------
    >>> output_shapes("pytorch", batch=64, seq_len=3, input_size=3, hidden_size=12, num_layers=6)
    {'output': (3, 64, 12), 'h_n': (6, 64, 12), 'c_n': (6, 64, 12)}
    """
    fw = check_framework(framework)
    batch = check_int("batch", batch)
    seq_len = check_int("seq_len", seq_len)
    check_int("input_size", input_size)
    m = check_int("hidden_size", hidden_size)
    layers = check_int("num_layers", num_layers)
    bidirectional = check_bool("bidirectional", bidirectional)
    batch_first = check_bool("batch_first", batch_first)
    proj_size = check_proj_size(proj_size, m, framework=fw)
    return_sequences = check_bool("return_sequences", return_sequences)
    return_state = check_bool("return_state", return_state)
    record = REGISTRY[fw]
    if record.output_shapes is None:
        raise ValueError(f"framework == {framework!r}: the {record.title} record has no output_shapes, "
                         "so lstm_utils cannot give its output shapes.")
    return record.output_shapes(batch=batch, seq_len=seq_len, hidden_size=m, num_layers=layers,
                                directions=2 if bidirectional else 1, batch_first=batch_first,
                                proj_size=proj_size, return_sequences=return_sequences,
                                return_state=return_state)
