"""Synthetic long-memory tasks as data: the adding problem, deterministic given a seed.

The adding problem tests whether a network can carry two numbers across many steps. This module makes
the form of Le, Jaitly and Hinton (2015, *A Simple Way to Initialize Recurrent Networks of Rectified
Linear Units*, arXiv:1504.00941): each time step has two features, a value drawn uniformly from [0, 1)
and a marker that is 1 at exactly two steps and 0 elsewhere; every sequence has the same length, and the
target is the sum of the two marked values. The markers fall as Arjovsky, Shah and Bengio place them
(2016, *Unitary Evolution Recurrent Neural Networks*, ICML, arXiv:1511.06464): the first uniformly in
the first half of the sequence, the second uniformly in the second half.

Hochreiter and Schmidhuber posed the task first (1997, *Long Short-Term Memory*, Neural Computation
9(8), experiment 4), in another form: values in [-1, 1]; a marker of 1 at the two marked steps, -1 at
the first and the last step and 0 elsewhere; the first marked value X1 at one of the first ten steps,
the second, X2, at one of the first T/2 - 1 steps not yet marked; lengths drawn at random between T and
T + T/10; the target 0.5 + (X1 + X2) / 4; a sequence counted as correct if the absolute error at its
end is below 0.04.

A model that ignores its input does best by always predicting the mean target, 1.0; its mean
squared error is then the variance of a sum of two independent uniform values,
``TRIVIAL_MSE = 2 / 12``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lstm_utils._validate import check_int

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["TRIVIAL_MSE", "adding_problem", "char_corpus"]

#: Mean squared error of always predicting the mean target 1.0: Var(u1 + u2) = 2 * (1/12).
TRIVIAL_MSE = 2.0 / 12.0


def adding_problem(
    n_samples: int, steps: int, *, seed: int = 0, dtype: str = "float32"
) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of the adding problem and their targets.

    Parameters
    ----------
    n_samples : int
        Number of sequences, at least 1.
    steps : int
        Length of every sequence, at least 2 (one marker in each half, as Arjovsky et al. place them).
    seed : int
        Seed of ``numpy.random.default_rng``: the same seed gives the same data.
    dtype : str
        Floating dtype of both arrays.

    Returns
    -------
    x : ndarray of shape (n_samples, steps, 2)
        ``x[..., 0]`` the values in [0, 1), ``x[..., 1]`` the markers (two 1s per sequence).
    y : ndarray of shape (n_samples,)
        The sum of each sequence's two marked values.

    Raises
    ------
    TypeError, ValueError
        If ``n_samples`` or ``steps`` is not an int of the accepted range, or ``seed`` not an int.

    Examples
    --------
    >>> x, y = adding_problem(3, 10, seed=1)
    >>> x.shape, y.shape
    ((3, 10, 2), (3,))
    >>> x[..., 1].sum(axis=1).tolist()
    [2.0, 2.0, 2.0]
    >>> bool(np.allclose(y, (x[..., 0] * x[..., 1]).sum(axis=1)))
    True
    """
    n_samples = check_int("n_samples", n_samples)
    steps = check_int("steps", steps, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    if dtype not in ("float16", "float32", "float64"):
        raise ValueError(f"dtype == {dtype!r}, must be one of ('float16', 'float32', 'float64').")
    rng = np.random.default_rng(seed)
    values = rng.random((n_samples, steps))
    half = steps // 2
    rows = np.arange(n_samples)
    first = rng.integers(0, half, size=n_samples)          # a step in the first half
    second = rng.integers(half, steps, size=n_samples)     # a step in the second half
    markers = np.zeros((n_samples, steps))
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1).astype(dtype)  # (n_samples, steps, 2)
    y = (x[rows, first, 0] + x[rows, second, 0]).astype(dtype)
    return x, y


#: Where the character-level language model's corpus lives (a snapshot; see :func:`char_corpus`).
CORPUS_DIR = Path(__file__).resolve().parent / "data"


def char_corpus() -> tuple[str, str]:
    """The corpus of the character-level language model (notebook 22): ``(train_text, valid_text)``.

    The text is this course's own prose, snapshotted: the markdown cells of its notebooks (00-21 and the
    exercise notebooks, in reading order) as they stood when ``python -m lstm_utils.charlm_train
    --snapshot-corpus`` wrote them to ``lstm_utils/data/`` (``char_corpus.json`` records the commit,
    the licence and the rules), so later edits to the course do not change the corpus. Every
    tenth cell (the 10th, 20th, ...) is held out as validation text; a character seen fewer than 20 times
    in the whole prose is replaced by ``lstm_utils.charlm.UNKNOWN`` ("~"). The course is under the MIT
    licence. Nothing is downloaded.

    Examples
    --------
    >>> train, valid = char_corpus()
    >>> isinstance(train, str), len(train) > 8 * len(valid) > 0
    (True, True)
    """
    return tuple((CORPUS_DIR / f"char_corpus_{part}.txt").read_text(encoding="utf-8")
                 for part in ("train", "valid"))
