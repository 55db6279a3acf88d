"""lstm_utils.timeseries: windows, time-ordered split, training-only scaling, baseline and RMSE."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_utils import timeseries as ts


@given(length=st.integers(2, 60), features=st.integers(1, 3), steps=st.integers(1, 10),
       horizon=st.integers(1, 4))
def test_windows_are_consecutive_slices_with_the_following_target(length, features, steps, horizon):
    series = np.arange(length * features, dtype=np.float64).reshape(length, features)
    if length < steps + horizon:
        with pytest.raises(ValueError, match=r"too few for steps="):
            ts.make_windows(series, steps, horizon=horizon)
        return
    X, y = ts.make_windows(series, steps, horizon=horizon)
    samples = length - steps - horizon + 1
    assert X.shape == (samples, steps, features) and y.shape == (samples, features)
    for k in range(samples):                    # the plain-loop definition, element by element
        np.testing.assert_array_equal(X[k], series[k : k + steps])
        np.testing.assert_array_equal(y[k], series[k + steps + horizon - 1])


def test_one_dimensional_series_gets_a_feature_axis_and_ints_become_floats():
    X, y = ts.make_windows([1, 2, 3, 4, 5], 2)
    assert X.shape == (3, 2, 1) and X.dtype == np.float64
    assert y[:, 0].tolist() == [3.0, 4.0, 5.0]


@given(samples=st.integers(2, 200), val_fraction=st.floats(0.05, 0.95))
def test_time_split_keeps_order_and_loses_nothing(samples, val_fraction):
    X = np.arange(samples)[:, None, None] * np.ones((1, 3, 1))
    y = np.arange(samples)[:, None]
    n_val = round(samples * val_fraction)
    if n_val < 1 or n_val > samples - 1:
        with pytest.raises(ValueError, match=r"both need at least one"):
            ts.time_split(X, y, val_fraction=val_fraction)
        return
    X_tr, y_tr, X_va, y_va = ts.time_split(X, y, val_fraction=val_fraction)
    assert len(X_va) == len(y_va) == n_val and len(X_tr) == len(y_tr) == samples - n_val
    # every training sample comes before every validation sample, and together they are all samples
    assert y_tr.max() < y_va.min()
    np.testing.assert_array_equal(np.concatenate([y_tr, y_va]), y)


def test_standardizer_uses_only_the_data_it_was_fitted_on():
    train = np.array([1.0, 2.0, 3.0, 4.0])[:, None]
    later = np.array([100.0, 200.0])[:, None]
    s = ts.Standardizer.fit(train)
    assert s.mean.tolist() == [2.5] and np.isclose(s.std[0], np.std([1, 2, 3, 4]))
    scaled = s.transform(later)
    assert scaled[0, 0] > 50          # validation far above training stays far above: no leak
    np.testing.assert_allclose(s.inverse_transform(s.transform(later)), later)


def test_standardizer_is_per_feature_over_samples_and_steps():
    rng = np.random.default_rng(0)
    X = rng.normal([[3.0, -2.0]], [[2.0, 0.5]], size=(50, 7, 2))
    s = ts.Standardizer.fit(X)
    np.testing.assert_allclose(s.mean, X.reshape(-1, 2).mean(axis=0))
    np.testing.assert_allclose(s.std, X.reshape(-1, 2).std(axis=0))
    Z = s.transform(X)
    np.testing.assert_allclose(Z.reshape(-1, 2).mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.reshape(-1, 2).std(axis=0), 1.0)


def test_last_value_forecast_and_rmse_on_a_worked_example():
    X, y = ts.make_windows([2.0, 4.0, 8.0, 6.0], steps=2)
    naive = ts.last_value_forecast(X)
    assert naive[:, 0].tolist() == [4.0, 8.0]
    assert y[:, 0].tolist() == [8.0, 6.0]
    assert ts.rmse(y, naive) == pytest.approx(np.sqrt((16 + 4) / 2))
    assert ts.rmse(y, y) == 0.0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ts.make_windows(np.zeros((2, 2, 2)), 1), ValueError,
         r"series has shape \(2, 2, 2\), expected \(time,\) or \(time, features\)"),
        (lambda: ts.make_windows(["a", "b"], 1), TypeError, r"series must hold real numbers"),
        (lambda: ts.make_windows([1.0, 2.0], 0), ValueError, r"steps == 0, must be an int >= 1"),
        (lambda: ts.make_windows([1.0, 2.0], 2), ValueError,
         r"series has 2 time steps, too few for steps=2 and horizon=1"),
        (lambda: ts.time_split(np.zeros((5, 2, 1)), np.zeros((4, 1))), ValueError,
         r"X and y must have the same number of samples"),
        (lambda: ts.time_split(np.zeros((5, 2, 1)), np.zeros((5, 1)), val_fraction=1.0), ValueError,
         r"val_fraction == 1.0, must be a real number in \(0, 1\)\.$"),
        (lambda: ts.time_split(np.zeros((5, 2, 1)), np.zeros((5, 1)), val_fraction=0), ValueError,
         r"val_fraction == 0, must be a real number in \(0, 1\)\.$"),
        (lambda: ts.time_split(np.zeros((5, 2, 1)), np.zeros((5, 1)), val_fraction=float("nan")), ValueError,
         r"val_fraction == nan, must be a real number in \(0, 1\)\.$"),
        (lambda: ts.time_split(np.zeros((5, 2, 1)), np.zeros((5, 1)), val_fraction="0.2"), TypeError,
         r"val_fraction must be a real number in \(0, 1\), got '0.2' \(type str\)\.$"),
        (lambda: ts.time_split(np.zeros((5, 2, 1)), np.zeros((5, 1)), val_fraction=True), TypeError,
         r"val_fraction must be a real number in \(0, 1\), got True \(type bool\)\.$"),
        (lambda: ts.Standardizer.fit(np.ones((3, 1))), ValueError, r"zero spread"),
        (lambda: ts.Standardizer.fit([]), ValueError, r"train must be a non-empty array"),
        (lambda: ts.last_value_forecast(np.zeros((3, 2))), ValueError,
         r"X has shape \(3, 2\), expected \(samples, steps, features\)"),
        (lambda: ts.rmse(np.zeros(3), np.zeros((3, 1))), ValueError,
         r"y_true has shape \(3,\) but y_pred has shape \(3, 1\)"),
    ],
)
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
