"""Output and state shapes of an LSTM layer stack in Keras, PyTorch and MATLAB."""

from __future__ import annotations

from lstm_utils._validate import check_bool, check_framework, check_int, check_proj_size


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
    framework : {"keras", "pytorch", "matlab"}
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
    d = 2 if bidirectional else 1

    if fw == "pytorch":
        h_out = proj_size or m
        output = (batch, seq_len, d * h_out) if batch_first else (seq_len, batch, d * h_out)
        return {"output": output, "h_n": (d * layers, batch, h_out), "c_n": (d * layers, batch, m)}

    if fw == "keras":
        shapes = {"output": (batch, seq_len, d * m) if return_sequences else (batch, d * m)}
        if return_state:
            if bidirectional:
                shapes.update(forward_h=(batch, m), forward_c=(batch, m),
                              backward_h=(batch, m), backward_c=(batch, m))
            else:
                shapes.update(state_h=(batch, m), state_c=(batch, m))
        return shapes

    # MATLAB: formatted dlarray "CBT" (channels, batch, time); OutputMode "last" drops T.
    shapes = {"output": (d * m, batch, seq_len) if return_sequences else (d * m, batch)}
    if return_state:
        shapes.update(hidden_state=(d * m, batch), cell_state=(d * m, batch))
    return shapes
