"""The adding problem: deterministic, well-formed, and with the trivial error the docs state."""

import numpy as np
import pytest

from lstm_utils.tasks import TRIVIAL_MSE, adding_problem


def test_same_seed_same_data_other_seed_other_data():
    x1, y1 = adding_problem(8, 20, seed=5)
    x2, y2 = adding_problem(8, 20, seed=5)
    x3, _ = adding_problem(8, 20, seed=6)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert not np.array_equal(x1, x3)


@pytest.mark.parametrize("steps", [2, 3, 10, 101])
def test_one_marker_in_each_half_and_target_is_their_sum(steps):
    x, y = adding_problem(500, steps, seed=1, dtype="float64")
    assert x.shape == (500, steps, 2) and y.shape == (500,) and x.dtype == y.dtype == np.float64
    markers = x[..., 1]
    half = steps // 2
    assert set(np.unique(markers)) <= {0.0, 1.0} and np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :half].sum(axis=1) == 1) and np.all(markers[:, half:].sum(axis=1) == 1)
    assert np.all((x[..., 0] >= 0) & (x[..., 0] < 1))
    np.testing.assert_allclose(y, (x[..., 0] * markers).sum(axis=1))


def test_trivial_error_is_the_variance_of_the_sum():
    _, y = adding_problem(200_000, 30, seed=0, dtype="float64")
    assert TRIVIAL_MSE == pytest.approx(1 / 6)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(TRIVIAL_MSE, rel=0.01)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"steps == 1, must be an int >= 2"):
        adding_problem(4, 1)
    with pytest.raises(TypeError, match=r"n_samples must be an int >= 1, got 2.5"):
        adding_problem(2.5, 10)
    with pytest.raises(ValueError, match=r"dtype == 'int8'"):
        adding_problem(2, 10, dtype="int8")
