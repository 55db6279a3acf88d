"""The bank of notebooks/exercises/05_variable_length_sequences.ipynb: Exercises 5 (padding and packing).

Questions on notebook 19 (variable-length sequences). The answers are computed here; the words
(titles, questions, hints, feedback) are in bank_05_variable_length_sequences.toml beside it, as the
notebook shows them (tests/test_exercises.py checks it, and checks the Keras and PyTorch answers against
the installed frameworks). NumPy and the NumPy reference are imported inside the functions that use them.
"""

from __future__ import annotations

from lstm_utils import cost
from lstm_utils.exercises.exercise import Exercise, choice_words

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

EXERCISES: list[Exercise] = []

#: The batch of the packing questions: four sequences of these lengths, right-padded.
LENGTHS = (6, 2, 4, 4)
#: The batch of the padding-cost questions, in the order it is cut into batches of two.
COST_LENGTHS, COST_N, COST_M, COST_BATCH = (12, 3, 10, 5), 16, 32, 2
#: The vocabulary of the embedding questions: tokens 1..VOCAB, EMBED-dimensional vectors.
VOCAB, EMBED = 10_000, 128
#: The letter after the last option of a three-option question: a trap of its own ("there is no option").
BEYOND = "d"


def _pad_sequences_default() -> str:
    return "pre"


def _pad_sequences_default_traps() -> dict:
    return {"post": "post", "unpadded": "unpadded", BEYOND: "no-option-d"}


EXERCISES.append(Exercise(
    id="pad-sequences-default", topic="padding", difficulty="easy", minutes=2, kind="word",
    compute=_pad_sequences_default,
    words={**choice_words({"a": "pre", "b": "post", "c": "unpadded", BEYOND: BEYOND}),
           "before": "pre", "front": "pre", "at the front": "pre", "start": "pre", "left": "pre",
           "after": "post", "end": "post", "at the end": "post", "back": "post", "right": "post"},
    traps=_pad_sequences_default_traps,
))


def _embedding_rows(vocab: int, *, mask_zero: bool) -> int:
    """Rows of an Embedding for tokens 1..vocab: index 0 is a row of its own when it means padding."""
    return vocab + 1 if mask_zero else vocab


def _embedding_params(vocab: int, dim: int, *, mask_zero: bool) -> int:
    """Parameters of that Embedding: one dim-vector per row."""
    return _embedding_rows(vocab, mask_zero=mask_zero) * dim


def _mask_zero_rows() -> int:
    return _embedding_rows(VOCAB, mask_zero=True)


def _mask_zero_rows_traps() -> dict:
    return {VOCAB: ("no-padding-row", {"vocab": VOCAB})}


EXERCISES.append(Exercise(
    id="mask-zero-embedding", topic="masking", difficulty="easy", minutes=2, kind="count",
    compute=_mask_zero_rows, traps=_mask_zero_rows_traps,
))


def _mask_zero_embedding() -> int:
    return _embedding_params(VOCAB, EMBED, mask_zero=True)


def _mask_zero_embedding_traps() -> dict:
    return {VOCAB * EMBED: ("no-padding-row", {"vocab": VOCAB}),
            _mask_zero_rows(): ("input-dim", {"dim": EMBED})}


EXERCISES.append(Exercise(
    id="mask-zero-embedding-params", topic="masking", difficulty="easy", minutes=1, kind="count",
    compute=_mask_zero_embedding, traps=_mask_zero_embedding_traps,
))


def _masking_changes_count() -> bool:
    return False            # Masking owns no weights (tests/test_exercises.py counts both models in Keras)


def _masking_parameter_count() -> str:
    """(b) "no: Masking has no weights, the mask changes what is computed" if the count does not change."""
    return "a" if _masking_changes_count() else "b"


def _masking_parameter_count_traps() -> dict:
    return {"a": "masking-weights", "c": "padding-bias", "d": "changes-nothing"}


EXERCISES.append(Exercise(
    id="masking-parameter-count", topic="masking", difficulty="easy", minutes=2, kind="word",
    compute=_masking_parameter_count, words=choice_words("abcd"), traps=_masking_parameter_count_traps,
))


def _keras_masked_output() -> str:
    return "last output"


def _keras_masked_output_traps() -> dict:
    return {"zeros": "zeros", "computed": "computed", BEYOND: "no-option-d"}


EXERCISES.append(Exercise(
    id="keras-masked-output", topic="masking", difficulty="medium", minutes=4, kind="word",
    compute=_keras_masked_output,
    words={**choice_words({"a": "zeros", "b": "last output", "c": "computed", BEYOND: BEYOND}),
           "last": "last output", "the last output": "last output", "last valid output": "last output",
           "repeated": "last output", "repeat": "last output", "repeats": "last output",
           "zero": "zeros", "0": "zeros"},
    traps=_keras_masked_output_traps,
))


def _padded_batch(lengths: tuple[int, ...]):
    """A right-padded float64 batch of these lengths (3 features), seeded, and LSTM weights 3 -> 4."""
    import numpy as np

    from lstm_utils.reference import LSTMWeights

    x = np.random.default_rng(0).normal(size=(len(lengths), max(lengths), 3))
    for b, length in enumerate(lengths):
        x[b, length:] = 0.0                                              # right padding
    return x, LSTMWeights.random(3, 4, seed=0, dtype=np.float64)


def _unmasked_wrong_direction() -> str:
    """Which direction of a bidirectional layer is wrong at the real steps without a mask: each direction
    run by the NumPy reference with and without the lengths, compared at the real steps."""
    import numpy as np

    from lstm_utils.reference import lstm_forward, reverse_padded

    lengths = np.array(LENGTHS)
    x, weights = _padded_batch(LENGTHS)
    real = np.arange(max(LENGTHS))[None, :] < lengths[:, None]            # (batch, time)
    forward_ok = np.allclose(lstm_forward(x, weights)[0][real],
                             lstm_forward(x, weights, lengths=lengths)[0][real], rtol=0, atol=1e-12)
    unmasked = lstm_forward(x[:, ::-1], weights)[0][:, ::-1]             # reads the padded array backwards
    masked = reverse_padded(lstm_forward(reverse_padded(x, lengths), weights, lengths=lengths)[0], lengths)
    backward_ok = np.allclose(unmasked[real], masked[real], rtol=0, atol=1e-12)
    return {(True, False): "b", (False, True): "a", (True, True): "c"}.get((forward_ok, backward_ok), "d")


def _unmasked_wrong_direction_traps() -> dict:
    return {"a": "forward-reads-padding", "c": "only-h-n", "d": "both-directions"}


EXERCISES.append(Exercise(
    id="unmasked-bidirectional-direction", topic="padding", difficulty="medium", minutes=4, kind="word",
    compute=_unmasked_wrong_direction, words=choice_words("abcd"), traps=_unmasked_wrong_direction_traps,
))


def _still_running(lengths: tuple[int, ...]) -> tuple[int, ...]:
    """batch_sizes of a packed batch: per step t, the number of sequences with length > t."""
    return tuple(sum(length > t for length in lengths) for t in range(max(lengths)))


def _packed_batch_sizes() -> tuple[int, ...]:
    return _still_running(LENGTHS)


def _packed_batch_sizes_traps() -> dict:
    return {tuple(sorted(LENGTHS, reverse=True)): "sorted-lengths",
            (len(LENGTHS),) * max(LENGTHS): "no-padding-stored"}


EXERCISES.append(Exercise(
    id="packed-batch-sizes", topic="packing", difficulty="medium", minutes=5, kind="shape",
    compute=_packed_batch_sizes, traps=_packed_batch_sizes_traps,
))


def _packed_data_rows() -> int:
    return sum(_still_running(LENGTHS))


def _packed_data_rows_traps() -> dict:
    return {len(LENGTHS) * max(LENGTHS): ("padded-array", {"batch": len(LENGTHS), "steps": max(LENGTHS)})}


EXERCISES.append(Exercise(
    id="packed-data-rows", topic="packing", difficulty="easy", minutes=2, kind="count",
    compute=_packed_data_rows, traps=_packed_data_rows_traps,
))


def _backward_final_step() -> int:
    """The step of the padded output where the backward direction's final state sits (NumPy reference)."""
    import numpy as np

    from lstm_utils.reference import LSTMWeights, lstm_forward, reverse_padded

    lengths = np.array(LENGTHS)
    x = np.random.default_rng(0).normal(size=(len(LENGTHS), max(LENGTHS), 3))
    for b, length in enumerate(LENGTHS):
        x[b, length:] = 0.0                                              # right padding
    weights = LSTMWeights.random(3, 4, seed=0, dtype=np.float64)
    out, (h_n, _) = lstm_forward(reverse_padded(x, lengths), weights, lengths=lengths)
    out = reverse_padded(out, lengths)                                   # back in the input's order
    b = LENGTHS.index(4)                                                 # a sequence of 4 real steps
    (step,) = [t for t in range(max(LENGTHS)) if np.array_equal(out[b, t], h_n[b])]
    return step


def _backward_final_step_traps() -> dict:
    return {3: "forward-direction",
            5: "padding"}


EXERCISES.append(Exercise(
    id="packed-backward-final-step", topic="packing", difficulty="hard", minutes=5, kind="count",
    compute=_backward_final_step, traps=_backward_final_step_traps,
))


def _packing_saves() -> str:
    """(b), the padded steps' multiply-adds, if a packed batch runs fewer steps than its padded array."""
    packed_steps = sum(_still_running(LENGTHS))                          # = sum(lengths)
    return "b" if packed_steps < len(LENGTHS) * max(LENGTHS) else "c"


def _packing_saves_traps() -> dict:
    return {"a": "packing-parameters", "c": "packing-nothing", "d": "packing-weight-gradients"}


EXERCISES.append(Exercise(
    id="packing-saves", topic="packing", difficulty="easy", minutes=3, kind="word",
    compute=_packing_saves, words=choice_words("abcd"), traps=_packing_saves_traps,
))


def _listed(lengths) -> str:
    """Lengths as the messages write them: "12, 3, 10, 5"."""
    return ", ".join(str(length) for length in lengths)


def _padding_macs_in_order() -> int:
    return cost.padding_macs(COST_LENGTHS, COST_N, COST_M, batch_size=COST_BATCH)


def _padding_macs_in_order_traps() -> dict:
    steps = _padding_macs_in_order() // cost.matmul_macs(COST_N, COST_M)
    return {steps: "padded-steps",
            cost.padding_macs(sorted(COST_LENGTHS), COST_N, COST_M, batch_size=COST_BATCH):
                ("sorted", {"lengths": _listed(COST_LENGTHS)})}


EXERCISES.append(Exercise(
    id="padding-macs-in-order", topic="padding cost", difficulty="medium", minutes=6, kind="count",
    compute=_padding_macs_in_order, traps=_padding_macs_in_order_traps,
))


def _padding_macs_sorted() -> int:
    return cost.padding_macs(sorted(COST_LENGTHS), COST_N, COST_M, batch_size=COST_BATCH)


def _padding_macs_sorted_traps() -> dict:
    return {_padding_macs_in_order(): ("unsorted", {"lengths": _listed(sorted(COST_LENGTHS))}),
            0: "no-padding"}


EXERCISES.append(Exercise(
    id="padding-macs-sorted", topic="padding cost", difficulty="medium", minutes=4, kind="count",
    compute=_padding_macs_sorted, traps=_padding_macs_sorted_traps,
))
