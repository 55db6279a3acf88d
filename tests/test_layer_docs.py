"""The argument tables of lstm_utils.layer_docs match the installed Keras and PyTorch constructors."""

import inspect

import keras
import numpy as np
import pytest
import torch

from lstm_utils.layer_docs import (
    KERAS_LSTM_MEANINGS,
    TORCH_LSTM_MEANINGS,
    ArgumentTable,
    keras_lstm_arguments,
    signature_table,
    torch_lstm_arguments,
)


def test_every_installed_keras_argument_has_a_meaning():
    installed = set(inspect.signature(keras.layers.LSTM).parameters)
    assert installed - set(KERAS_LSTM_MEANINGS) == set(), "new Keras arguments need a meaning"
    assert keras_lstm_arguments().missing == ()


def test_no_keras_meaning_for_an_argument_that_is_gone():
    installed = set(inspect.signature(keras.layers.LSTM).parameters)
    assert set(KERAS_LSTM_MEANINGS) - installed == set()


def test_every_installed_torch_argument_has_a_meaning():
    installed = set(inspect.signature(torch.nn.RNNBase.__init__).parameters) - {"self", "mode"}
    assert installed ^ set(TORCH_LSTM_MEANINGS) == set()
    assert torch_lstm_arguments().missing == ()


def test_keras_defaults_are_the_layers_own():
    layer = keras.layers.LSTM(3)
    defaults = keras_lstm_arguments().defaults()
    assert defaults["units"] == "required"
    assert defaults["kwargs"] == "**kwargs"
    # the default written in the table is the value a default-built layer really holds
    assert defaults["use_bias"] == repr(layer.cell.use_bias)
    assert defaults["unit_forget_bias"] == repr(layer.cell.unit_forget_bias)
    assert defaults["dropout"] == repr(layer.cell.dropout)
    assert defaults["return_sequences"] == repr(layer.return_sequences)
    assert defaults["go_backwards"] == repr(layer.go_backwards)
    assert keras_lstm_arguments().names[0] == "units"


def test_torch_table_arguments_are_accepted_by_nn_lstm_as_keywords():
    table = torch_lstm_arguments()
    assert table.names[:2] == ("input_size", "hidden_size")
    lstm = torch.nn.LSTM(input_size=3, hidden_size=4)
    defaults = table.defaults()
    for name in ("num_layers", "bias", "batch_first", "dropout", "bidirectional", "proj_size"):
        assert defaults[name] == repr(getattr(lstm, name)), name


def test_table_renders_as_text_and_deterministic_html():
    table = keras_lstm_arguments()
    text, page = str(table), table._repr_html_()
    assert text.splitlines()[0].startswith("keras.layers.LSTM (Keras 3.")
    assert len(text.splitlines()) == len(table) + 3
    assert page == keras_lstm_arguments()._repr_html_()
    assert page.count("<tr>") == len(table) + 1
    assert "0x" not in page and "0x" not in repr(table)
    assert isinstance(table, ArgumentTable) and table[0].name == "units"


def test_missing_meanings_are_reported_not_hidden():
    def layer(units, use_bias=True, *args, **kwargs):
        return units

    table = signature_table(layer, {"units": "size"})
    assert table.missing == ("use_bias", "args", "kwargs")
    assert table.defaults() == {"units": "required", "use_bias": "True", "args": "*args",
                                "kwargs": "**kwargs"}
    assert table[1].meaning == "(no meaning recorded)"


def test_html_escapes_meanings():
    table = signature_table(lambda a: a, {"a": "x < y & z"}, title="t")
    assert "x &lt; y &amp; z" in table._repr_html_()


def test_bad_arguments_name_the_argument_and_value():
    with pytest.raises(TypeError, match=r"constructor must be callable .*got 5"):
        signature_table(5, {})
    with pytest.raises(TypeError, match=r"meanings must be a mapping .*got list"):
        signature_table(keras.layers.LSTM, ["units"])


def test_unit_forget_bias_meaning_matches_the_installed_cell():
    # the forget slice is set to 1; the other three slices come from bias_initializer
    layer = keras.layers.LSTM(3, bias_initializer=keras.initializers.Constant(0.5))
    layer.build((None, 2, 4))
    slices = layer.cell.bias.numpy().reshape(4, 3)          # (gate i, f, c, o; unit)
    assert slices.tolist() == [[0.5] * 3, [1.0] * 3, [0.5] * 3, [0.5] * 3]
    assert "bias_initializer" in KERAS_LSTM_MEANINGS["unit_forget_bias"]


def test_dropout_meanings_match_the_installed_cell():
    assert keras.layers.LSTM(3).cell.implementation == 2
    forced = keras.layers.LSTM(3, recurrent_dropout=0.5, implementation=2)
    assert forced.cell.implementation == 1 and forced.cell.dropout_mask_count == 4
    per_gate = keras.layers.LSTM(3, dropout=0.5, implementation=1, seed=0)
    masks = per_gate.cell.get_dropout_mask(keras.ops.ones((8, 4)))
    assert len(masks) == 4
    assert len({tuple(keras.ops.convert_to_numpy(mask).ravel()) for mask in masks}) > 1
    assert "implementation=1" in KERAS_LSTM_MEANINGS["recurrent_dropout"]
    assert "one per gate" in KERAS_LSTM_MEANINGS["dropout"]
    assert "implementation" in KERAS_LSTM_MEANINGS["kwargs"]


def test_implementation_leaves_inference_results_alone():
    x = np.random.default_rng(0).normal(size=(2, 5, 4)).astype("float32")
    fused, per_gate = keras.layers.LSTM(3), keras.layers.LSTM(3, implementation=1)
    for layer in (fused, per_gate):
        layer.build((None, 5, 4))
    per_gate.set_weights(fused.get_weights())
    assert np.allclose(fused(x), per_gate(x), atol=1e-6)
