"""Published models' parameter counts: every rebuilt model rounds to the paper's printed figure, the
counting conventions agree with lu.count_params, lu.variants and lu.explain, peepholes are counted where
the paper's LSTM has them, and tying matters."""

import pytest

import lstm_utils as lu
from lstm_utils.published import BIASES, PUBLISHED, build, count


@pytest.mark.parametrize("key", PUBLISHED)
@pytest.mark.parametrize("biases", BIASES)
def test_every_convention_rounds_to_the_printed_figure(key, biases):
    assert PUBLISHED[key].rounds_to(count(key, biases)), (key, biases, count(key, biases))


def test_rounding_is_to_the_printed_step():
    p = PUBLISHED["ctc_3l_250h"]
    assert p.rounds_to(3_750_000) and p.rounds_to(3_849_999)
    assert not p.rounds_to(3_749_999) and not p.rounds_to(3_850_000)


def test_seq2seq_is_graves_lstm_with_peepholes_and_rounds_the_same_without():
    # Sutskever et al. use Graves 2013's LSTM (V): three peephole vectors of 1000 per layer
    assert PUBLISHED["seq2seq"].lstm == PUBLISHED["seq2seq_lstms"].lstm == "V"
    assert count("seq2seq", "none") == 384_024_000
    assert count("seq2seq_lstms", "none") == 64_024_000
    v_lstm = lu.variants.count_params(1000, 1000, "V", num_layers=4)           # one bias per gate
    assert count("seq2seq_lstms", "one") == 2 * v_lstm == 64_056_000
    # without the peepholes, the connection weights are the printed figures exactly
    assert count("seq2seq", "none", peepholes=False) == 384_000_000
    assert count("seq2seq_lstms", "none", peepholes=False) == 64_000_000
    assert count("seq2seq_lstms", "one", peepholes=False) == 2 * lu.count_params(1000, 1000, num_layers=4)
    assert count("seq2seq_lstms", "pytorch") == 64_064_000
    assert count("seq2seq", "pytorch") == 384_144_000
    model = build("seq2seq")
    assert sum(p.numel() for p in model.encoder.parameters()) == lu.count_params(
        1000, 1000, num_layers=4, framework="pytorch") == 32_032_000
    encoder_weights = sum(p.numel() for p in build("seq2seq", bias=False).encoder.parameters())
    assert encoder_weights + 4 * 3 * 1000 == 32_012_000                       # "32M" either way
    for n in (count("seq2seq", "none"), count("seq2seq_lstms", "none"), encoder_weights + 12_000):
        assert n % 1_000_000 < 500_000                                       # rounds down to the printed M


def test_peepholes_can_be_counted_or_left_out_whatever_the_paper_did():
    assert count("zaremba_large", "one", peepholes=True) - count("zaremba_large", "one") == 2 * 3 * 1500
    assert count("ctc_3l_250h", "none") - count("ctc_3l_250h", "none", peepholes=False) == 3 * 2 * 3 * 250
    assert count("ctc_3l_500h_tanh", "one", peepholes=True) == count("ctc_3l_500h_tanh", "one")   # no LSTM
    assert count("seq2seq", "pytorch", peepholes=False) == count("seq2seq", "pytorch")


def test_one_bias_is_the_keras_count():
    lstms = lu.count_params(650, 650, num_layers=2, framework="keras")
    assert count("zaremba_medium", "one") == 10_000 * 650 + lstms + 650 * 10_000 + 10_000
    awd = sum(lu.count_params(a, b, framework="keras") for a, b in ((400, 1150), (1150, 1150), (1150, 400)))
    assert count("awd_lstm", "one") == 10_000 * 400 + awd + 10_000


def test_graves_counted_with_peepholes_is_the_v_variant():
    lstm = lu.variants.count_params(123, 250, "V", num_layers=3, bidirectional=True)
    assert count("ctc_3l_250h", "one") == lstm + 500 * 62 + 62 == 3_787_562
    # without peepholes (PyTorch's form, one bias) it is 3 layers x 2 directions x 3 x 250 fewer
    assert count("ctc_3l_250h", "pytorch") - 3 * 2 * 4 * 250 == lstm - 3 * 2 * 3 * 250 + 500 * 62 + 62


def test_tying_is_what_makes_awd_lstm_24m():
    untied = count("awd_lstm", tied=False)
    assert untied - count("awd_lstm") == 10_000 * 400
    assert not PUBLISHED["awd_lstm"].rounds_to(untied)


@pytest.mark.parametrize("key", ["seq2seq", "zaremba_large", "awd_lstm", "ctc_3l_500h_tanh"])
def test_explain_agrees_on_the_meta_device(key):
    e = lu.explain(build(key))
    assert e.total == count(key, "pytorch")
    assert all(row.agrees for row in e.rows if row.agrees is not None)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"peepholes == True, but PyTorch's LSTM has none"):
        count("seq2seq", "pytorch", peepholes=True)
    with pytest.raises(TypeError, match=r"peepholes must be True or False, got 'yes'"):
        count("seq2seq", "one", peepholes="yes")
    with pytest.raises(ValueError, match=r"Unknown value for key: 'gpt2'. Possible values are: \('seq2seq'"):
        count("gpt2")
    with pytest.raises(ValueError, match=r"Unknown value for biases: 'two'.*'pytorch', 'one', 'none'"):
        count("seq2seq", "two")
