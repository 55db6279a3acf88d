"""The bank of notebooks/exercises/05_variable_length_sequences.ipynb: Exercises 5 (padding and packing).

Questions on notebook 19 (variable-length sequences). Each entry's title and question are the ones the
notebook shows (tests/test_exercises.py checks it, and checks the Keras and PyTorch answers against the
installed frameworks). NumPy and the NumPy reference are imported inside the functions that use them.
"""

from __future__ import annotations

from lstm_utils import cost
from lstm_utils.exercises.exercise import Exercise

EXERCISES: list[Exercise] = []

VARIABLE = "19_variable_length_sequences"

#: The batch of the packing questions: four sequences of these lengths, right-padded.
LENGTHS = (6, 2, 4, 4)
#: The batch of the padding-cost questions, in the order it is cut into batches of two.
COST_LENGTHS, COST_N, COST_M, COST_BATCH = (12, 3, 10, 5), 16, 32, 2
#: The vocabulary of the embedding questions: tokens 1..VOCAB, EMBED-dimensional vectors.
VOCAB, EMBED = 10_000, 128


def _pad_sequences_default() -> str:
    return "pre"


def _pad_sequences_default_traps() -> dict:
    return {"post": "post is what you must ask for (padding=\"post\"); the default pads at the front."}


EXERCISES.append(Exercise(
    id="pad-sequences-default", topic="padding", difficulty="easy", minutes=2,
    title="Where pad_sequences pads",
    question="""
`keras.utils.pad_sequences([[3, 1], [5, 9, 2]])` is called without a `padding` argument. Does it put
the zeros before or after the shorter sequence? Answer `"pre"` (before) or `"post"` (after).
""",
    kind="word", compute=_pad_sequences_default,
    see=((VARIABLE, "`pad_sequences` pads at the front by default"),),
    explanation="padding=\"pre\" (and truncating=\"pre\") are the defaults: [[0, 3, 1], [5, 9, 2]] "
    "(read from the installed Keras in notebook 19 and tests/test_exercises.py).",
    words={"before": "pre", "front": "pre", "at the front": "pre", "start": "pre", "left": "pre",
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
    return {VOCAB: "index 0 is reserved for padding and needs a row too: the indices run from 0 to 10,000."}


EXERCISES.append(Exercise(
    id="mask-zero-embedding", topic="masking", difficulty="easy", minutes=2,
    title="The row that mask_zero reserves",
    question="""
A vocabulary of 10,000 words, numbered 1 to 10,000, goes into a Keras
`Embedding(input_dim, 128, mask_zero=True)`, so that token 0 can mean padding. What `input_dim` does
it need?
""",
    kind="count", compute=_mask_zero_rows,
    see=((VARIABLE, "`Embedding(mask_zero=True)` and the reserved index 0"),),
    explanation="input_dim is the number of rows, one per index 0 to 10,000: 10,001 (0 is not a word, but "
    "it is an index the layer must look up).",
    traps=_mask_zero_rows_traps,
))


def _mask_zero_embedding() -> int:
    return _embedding_params(VOCAB, EMBED, mask_zero=True)


def _mask_zero_embedding_traps() -> dict:
    return {VOCAB * EMBED: "that is 10,000 rows; index 0, reserved for padding, needs a row too.",
            _mask_zero_rows(): "that is input_dim, the number of rows; each row holds 128 numbers."}


EXERCISES.append(Exercise(
    id="mask-zero-embedding-params", topic="masking", difficulty="easy", minutes=1,
    title="The parameters of that embedding",
    question="""
The same `Embedding(input_dim, 128, mask_zero=True)`, with the `input_dim` of the previous exercise. How
many parameters does it hold?
""",
    kind="count", compute=_mask_zero_embedding,
    see=((VARIABLE, "`Embedding(mask_zero=True)` and the reserved index 0"),),
    explanation="10,001 rows (0 is not a word) of 128 numbers each; the padding row costs 128 parameters.",
    traps=_mask_zero_embedding_traps,
))


def _masking_changes_count() -> bool:
    return False            # Masking owns no weights (tests/test_exercises.py counts both models in Keras)


EXERCISES.append(Exercise(
    id="masking-parameter-count", topic="masking", difficulty="easy", minutes=2,
    title="Does a mask cost parameters?",
    question="""
`Sequential([Input((None, 8)), Masking(0.0), LSTM(64)])` against the same model without `Masking`: does
the mask change the number of trainable parameters? Answer True or False.
""",
    kind="bool", compute=_masking_changes_count,
    see=((VARIABLE, "7. Padding and masking change no parameter, but they cost compute"),),
    explanation="Masking has no weights, and the number and shapes of the LSTM's weights do not depend on "
    "which steps are real. What a mask changes is what is computed, and therefore the gradients and the "
    "values the weights learn (tests/test_exercises.py counts both models in Keras).",
))


def _keras_masked_output() -> str:
    return "last output"


def _keras_masked_output_traps() -> dict:
    return {"zeros": "zeros are what a masked Bidirectional writes (zero_output_for_mask=True); a plain "
                     "LSTM has zero_output_for_mask=False."}


EXERCISES.append(Exercise(
    id="keras-masked-output", topic="masking", difficulty="medium", minutes=4,
    title="What a masked Keras LSTM writes at padded steps",
    question="""
A unidirectional Keras `LSTM(4, return_sequences=True)` behind `Masking(0.0)` reads a sequence of 3 real
steps padded to 7. What does its output hold at steps 3 to 6? Answer `"zeros"` or `"last output"` (its
output at step 2, repeated).
""",
    kind="word", compute=_keras_masked_output,
    see=((VARIABLE, "`Masking`"), (VARIABLE, "`Bidirectional` with a mask, and without one")),
    explanation="a masked step keeps the previous state and repeats the last valid output "
    "(zero_output_for_mask is False); only Bidirectional sets it, and writes zeros (checked with Keras in "
    "notebook 19 and tests/test_exercises.py).",
    words={"last": "last output", "the last output": "last output", "last valid output": "last output",
           "repeated": "last output", "repeat": "last output", "repeats": "last output",
           "zero": "zeros", "0": "zeros"},
    traps=_keras_masked_output_traps,
))


def _still_running(lengths: tuple[int, ...]) -> tuple[int, ...]:
    """batch_sizes of a packed batch: per step t, the number of sequences with length > t."""
    return tuple(sum(length > t for length in lengths) for t in range(max(lengths)))


def _packed_batch_sizes() -> tuple[int, ...]:
    return _still_running(LENGTHS)


def _packed_batch_sizes_traps() -> dict:
    return {tuple(sorted(LENGTHS, reverse=True)): "those are the lengths, sorted; batch_sizes has one entry "
                                                   "per time step, not per sequence.",
            (len(LENGTHS),) * max(LENGTHS): "packing stores no padding: a step counts only the sequences "
                                            "that are still running."}


EXERCISES.append(Exercise(
    id="packed-batch-sizes", topic="packing", difficulty="medium", minutes=5,
    title="batch_sizes of a packed batch",
    question="""
Four sequences of lengths 6, 2, 4 and 4 are right-padded to 6 steps and packed with
`pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)`. What is
`packed.batch_sizes`? Give it as a list (`packed.batch_sizes.tolist()`).
""",
    kind="shape", compute=_packed_batch_sizes,
    see=((VARIABLE, "4. PyTorch: packed sequences"),),
    explanation="one entry per time step: how many sequences are still running at that step, 4, 4, 3, 3, "
    "then 1 and 1; the LSTM runs step t on that many rows only.",
    traps=_packed_batch_sizes_traps,
))


def _packed_data_rows() -> int:
    return sum(_still_running(LENGTHS))


def _packed_data_rows_traps() -> dict:
    return {len(LENGTHS) * max(LENGTHS): "that is the padded array, 4 x 6 steps; packing keeps the real "
                                         "steps only."}


EXERCISES.append(Exercise(
    id="packed-data-rows", topic="packing", difficulty="easy", minutes=2,
    title="Rows of packed.data",
    question="""
The same packed batch (lengths 6, 2, 4, 4) with 3 features per step: `packed.data` is a 2-D tensor.
How many rows does it have?
""",
    kind="count", compute=_packed_data_rows,
    see=((VARIABLE, "4. PyTorch: packed sequences"),),
    explanation="one row per real step: sum(lengths) = sum(batch_sizes); no padding is stored.",
    traps=_packed_data_rows_traps,
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
    return {3: "step 3 (L - 1) holds the forward direction's final state; the backward direction reads "
               "the sequence from its end and finishes at its start.",
            5: "output[:, -1] is padding for this sequence: PyTorch writes zeros there."}


EXERCISES.append(Exercise(
    id="packed-backward-final-step", topic="packing", difficulty="hard", minutes=5,
    title="Where the backward direction's h_n sits",
    question="""
The same batch goes through `nn.LSTM(3, m, batch_first=True, bidirectional=True)` packed, and
`pad_packed_sequence` turns the output back into a (4, 6, 2m) tensor. For a sequence of 4 real steps,
at which time index t does `output[b, t, m:]` equal `h_n[1][b]`, the backward direction's final state?
""",
    kind="count", compute=_backward_final_step,
    see=((VARIABLE, "4. PyTorch: packed sequences"),),
    explanation="t = 0: the backward direction reads each sequence from its own last real step back to "
    "its first, so it ends at step 0 (the NumPy reference with lu.reverse_padded and PyTorch agree).",
    traps=_backward_final_step_traps,
))


def _padding_macs_in_order() -> int:
    return cost.padding_macs(COST_LENGTHS, COST_N, COST_M, batch_size=COST_BATCH)


def _padding_macs_in_order_traps() -> dict:
    steps = _padding_macs_in_order() // cost.matmul_macs(COST_N, COST_M)
    return {steps: "that is the number of padded steps; each costs 4m(n + m) multiply-adds.",
            cost.padding_macs(sorted(COST_LENGTHS), COST_N, COST_M, batch_size=COST_BATCH):
                "that is after sorting by length; the question keeps the order 12, 3, 10, 5."}


EXERCISES.append(Exercise(
    id="padding-macs-in-order", topic="padding cost", difficulty="medium", minutes=6,
    title="Multiply-adds spent on padding",
    question="""
Sequences of lengths 12, 3, 10 and 5 are cut, in this order, into batches of 2 and each batch is padded
to its longest sequence. An unmasked 16 → 32 LSTM runs every step of each padded batch. How many
multiply-adds of the matrix products go to padded steps?
""",
    kind="count", compute=_padding_macs_in_order,
    see=((VARIABLE, "7. Padding and masking change no parameter, but they cost compute"),),
    explanation="batch (12, 3): 24 - 15 = 9 padded steps, batch (10, 5): 20 - 15 = 5; 14 steps of "
    "4m(n + m) = 6,144 multiply-adds each (lu.cost.padding_macs).",
    traps=_padding_macs_in_order_traps,
))


def _padding_macs_sorted() -> int:
    return cost.padding_macs(sorted(COST_LENGTHS), COST_N, COST_M, batch_size=COST_BATCH)


def _padding_macs_sorted_traps() -> dict:
    return {_padding_macs_in_order(): "that is the unsorted order; sort the lengths first: 3, 5, 10, 12.",
            0: "sorted batches still pad: (3, 5) and (10, 12) each have one shorter sequence."}


EXERCISES.append(Exercise(
    id="padding-macs-sorted", topic="padding cost", difficulty="medium", minutes=4,
    title="The same batches, sorted by length",
    question="""
Now sort the same four sequences by length before cutting them into batches of 2 (bucketing). How many
multiply-adds go to padded steps now?
""",
    kind="count", compute=_padding_macs_sorted,
    see=((VARIABLE, "7. Padding and masking change no parameter, but they cost compute"),),
    explanation="batches (3, 5) and (10, 12): 2 + 2 = 4 padded steps instead of 14, each 6,144 "
    "multiply-adds.",
    traps=_padding_macs_sorted_traps,
))
