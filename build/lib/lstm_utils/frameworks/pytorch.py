"""PyTorch: the record of ``torch.nn.LSTM``, ``torch.nn.GRU`` and ``torch.nn.RNN``.

Every fact here is checked against the installed torch by the tests named in ``RECORD.sources``
(``named_parameters()`` of built modules, ``RNNBase``'s signature and ``reset_parameters`` source).
"""

from __future__ import annotations

from lstm_utils.frameworks.base import (
    Framework,
    Gate,
    LayerSpec,
    SideFacts,
    TensorRow,
    lstm_layer,
    tensors_of,
)

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)

_BOUND = "U(-1/sqrt(m), 1/sqrt(m))"


def _rows(s: LayerSpec) -> list[TensorRow]:
    """PyTorch stores weight_ih_l{k} (G*m, n), weight_hh_l{k} (G*m, r), bias_ih_l{k}, bias_hh_l{k}.

    r is proj_size when a projection is used (then weight_hr_l{k} (proj_size, m) shrinks h),
    otherwise m. The backward direction's tensors carry the suffix ``_reverse``.
    """
    g = s.gate_blocks
    m = s.hidden_size
    r = s.proj_size or m
    rows = []
    n = s.input_size
    for k in range(s.num_layers):
        for direction, suffix in (("forward", ""), ("backward", "_reverse"))[: s.directions]:
            rows.append(TensorRow("pytorch", k, direction, f"weight_ih_l{k}{suffix}", (g * m, n),
                                  "input weights"))
            rows.append(TensorRow("pytorch", k, direction, f"weight_hh_l{k}{suffix}", (g * m, r),
                                  "recurrent weights"))
            if s.bias:
                rows.append(TensorRow("pytorch", k, direction, f"bias_ih_l{k}{suffix}", (g * m,),
                                      "bias"))
                rows.append(TensorRow("pytorch", k, direction, f"bias_hh_l{k}{suffix}", (g * m,),
                                      "bias"))
            if s.proj_size:
                rows.append(TensorRow("pytorch", k, direction, f"weight_hr_l{k}{suffix}", (r, m),
                                      "projection"))
        n = r * s.directions
    return rows


def _output_shapes(*, batch: int, seq_len: int, hidden_size: int, num_layers: int, directions: int,
                   batch_first: bool, proj_size: int, return_sequences: bool,
                   return_state: bool) -> dict[str, tuple[int, ...]]:
    """output, h_n and c_n, always; batch_first changes output only; proj_size shrinks h, not c."""
    m, d = hidden_size, directions
    h_out = proj_size or m
    output = (batch, seq_len, d * h_out) if batch_first else (seq_len, batch, d * h_out)
    return {"output": output, "h_n": (d * num_layers, batch, h_out), "c_n": (d * num_layers, batch, m)}


RECORD = Framework(
    name="pytorch",
    title="PyTorch",
    aliases=("torch",),
    lstm_gates=(Gate("i", "input gate", "input"), Gate("f", "forget gate", "forget"),
                Gate("g", "cell gate", "candidate"), Gate("o", "output gate", "output")),
    gru_gates=(Gate("r", "reset gate", "reset"), Gate("z", "update gate", "update"),
               Gate("n", "new gate", "candidate")),
    side=SideFacts(
        formula="W_ih x_t + b_ih + W_hh h_{t-1} + b_hh",
        gate_activation="sigmoid",
        state_activation="tanh",
        activations="sigmoid gates, tanh candidate and cell (fixed)",
        initialisation=f"{_BOUND} for every tensor",
        input_init=_BOUND,
        recurrent_init=_BOUND,
        bias_init=_BOUND,
        forget_bias_one=False,
        input_layout=("time", "batch", "features"),
        layout_note="(time, batch, features); batch_first=True: (batch, time, features)",
    ),
    lstm_tensors=lambda n, m: tensors_of(_rows(lstm_layer(n, m, "pytorch"))),
    param_rows=_rows,
    output_shapes=_output_shapes,
    shapes_note="PyTorch returns output and (h_n, c_n); batch_first changes output only.",
    converters={"from": "lstm_utils.convert:from_torch", "into": "lstm_utils.convert:load_into_torch"},
    explain="lstm_utils.explaining:_explain_torch",
    model_package="torch",
    model_base="nn.Module",
    model_words="a torch.nn.Module",
    total_source="sum(p.numel() for p in model.parameters())",
    options=("proj_size",),
    sources=("https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html", "tests/test_frameworks.py",
             "tests/test_counting_frameworks.py", "tests/test_convert.py", "tests/test_explain.py"),
)
