"""Time-series preparation for training a recurrent model: windows, a time-ordered split, scaling, baseline.

The pieces, in the order a training notebook uses them:

1. :func:`make_windows` cuts a series of shape (time,) or (time, features) into samples of shape
   (samples, steps, features) -- the layout Keras and PyTorch (``batch_first=True``) expect -- and
   the value that follows each window as its target.
2. :func:`time_split` keeps the earliest samples for training and the latest for validation
   (never shuffled: the model must not see the future it is judged on).
3. :class:`Standardizer` is fitted on the training inputs only and applied to everything.
4. :func:`last_value_forecast` is the naive baseline (tomorrow = today) and :func:`rmse` the score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_utils._validate import check_int, check_real

LAYER = "computation"  # this module's layer of the package (lstm_utils.LAYERS)

__all__ = ["Standardizer", "last_value_forecast", "make_windows", "rmse", "time_split"]


def _as_series(series: object) -> np.ndarray:
    array = np.asarray(series)
    if array.dtype.kind not in "fiu":
        raise TypeError(f"series must hold real numbers, got an array of dtype {array.dtype}.")
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(
            f"series has shape {array.shape}, expected (time,) or (time, features)."
        )
    return array.astype(np.float64) if array.dtype.kind != "f" else array


def make_windows(series: object, steps: int, *, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows of ``steps`` values and the value ``horizon`` steps after each window.

    Parameters
    ----------
    series : array of shape (time,) or (time, features)
    steps : int
        Time steps per sample (>= 1).
    horizon : int
        How far ahead the target lies: 1 means the value right after the window.

    Returns
    -------
    X : ndarray of shape (samples, steps, features)
        ``X[k] = series[k : k + steps]``.
    y : ndarray of shape (samples, features)
        ``y[k] = series[k + steps + horizon - 1]``; ``samples = time - steps - horizon + 1``.

    Raises
    ------
    ValueError
        A series that is not 1-D or 2-D, or too short for one window and its target.
    TypeError
        ``steps`` or ``horizon`` not an int, a series that is not numeric.

    Examples
    --------
    >>> X, y = make_windows(np.arange(6), steps=3)
    >>> X.shape, y.shape
    ((3, 3, 1), (3, 1))
    >>> X[0, :, 0].tolist(), y[0].tolist()
    ([0.0, 1.0, 2.0], [3.0])
    """
    steps = check_int("steps", steps)
    horizon = check_int("horizon", horizon)
    values = _as_series(series)
    samples = len(values) - steps - horizon + 1
    if samples < 1:
        raise ValueError(
            f"series has {len(values)} time steps, too few for steps={steps} and horizon={horizon}: "
            f"needs at least steps + horizon = {steps + horizon}."
        )
    X = np.lib.stride_tricks.sliding_window_view(values[: samples + steps - 1], steps, axis=0)
    # sliding_window_view puts the window last: (samples, features, steps) -> (samples, steps, features)
    X = np.ascontiguousarray(X.transpose(0, 2, 1))
    y = values[steps + horizon - 1 :].copy()              # (samples, features)
    return X, y


def time_split(
    X: object, y: object, *, val_fraction: float = 0.2
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split samples in time order: the first ``1 - val_fraction`` for training, the rest for validation.

    Parameters
    ----------
    X, y : arrays with the same first axis (samples, in time order)
    val_fraction : float
        Share of samples kept for validation, in (0, 1); the count is rounded to the nearest integer.

    Returns
    -------
    X_train, y_train, X_val, y_val : ndarray

    Raises
    ------
    TypeError
        ``val_fraction`` not a real number.
    ValueError
        ``val_fraction`` outside (0, 1), ``X`` and ``y`` of different lengths, or a split that leaves
        one side empty.

    Examples
    --------
    >>> X, y = make_windows(np.arange(13), steps=3)
    >>> parts = time_split(X, y, val_fraction=0.2)
    >>> [p.shape[0] for p in parts]                        # 10 samples: 8 train, 2 validation
    [8, 8, 2, 2]
    >>> parts[2][0, :, 0].tolist()                         # validation starts after training
    [8.0, 9.0, 10.0]
    """
    X, y = np.asarray(X), np.asarray(y)
    val_fraction = check_real("val_fraction", val_fraction, min_val=0, max_val=1,
                              include_boundaries="neither")
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(
            f"X and y must have the same number of samples, got X of shape {X.shape} "
            f"and y of shape {y.shape}."
        )
    n_val = round(len(X) * val_fraction)
    n_train = len(X) - n_val
    if n_val < 1 or n_train < 1:
        raise ValueError(
            f"val_fraction={val_fraction!r} of {len(X)} samples leaves {n_train} for training and "
            f"{n_val} for validation; both need at least one."
        )
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


@dataclass(frozen=True)
class Standardizer:
    """Per-feature scaling ``(x - mean) / std``, with the mean and std of the training data only.

    Fit it with :meth:`fit` on the training inputs, then :meth:`transform` training and validation
    data alike; :meth:`inverse_transform` turns predictions back into the series' units. Fitting on
    all the data would leak the validation period's level and spread into training.

    Attributes
    ----------
    mean, std : ndarray of shape (features,)

    Examples
    --------
    >>> s = Standardizer.fit(np.array([[1.0], [3.0]]))
    >>> float(s.mean[0]), float(s.std[0])
    (2.0, 1.0)
    >>> s.transform(np.array([5.0])).tolist(), s.inverse_transform(np.array([3.0])).tolist()
    ([3.0], [5.0])
    """

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, train: object) -> Standardizer:
        """Mean and standard deviation of each feature (last axis) over all other axes of ``train``."""
        values = np.asarray(train, dtype=np.float64)
        if values.ndim == 0 or values.size == 0:
            raise ValueError(f"train must be a non-empty array, got shape {values.shape}.")
        flat = values.reshape(-1, values.shape[-1]) if values.ndim > 1 else values[:, None]
        std = flat.std(axis=0)
        if np.any(std == 0):
            raise ValueError("train has a feature with zero spread (std == 0); it cannot be scaled.")
        return cls(flat.mean(axis=0), std)

    def transform(self, values: object) -> np.ndarray:
        """``(values - mean) / std``; the last axis of ``values`` holds the features."""
        return (np.asarray(values, dtype=np.float64) - self.mean) / self.std

    def inverse_transform(self, values: object) -> np.ndarray:
        """``values * std + mean``: back to the series' units."""
        return np.asarray(values, dtype=np.float64) * self.std + self.mean


def last_value_forecast(X: object) -> np.ndarray:
    """The naive (persistence) forecast: the next value equals the window's last one.

    Parameters
    ----------
    X : array of shape (samples, steps, features)

    Returns
    -------
    ndarray of shape (samples, features)

    Examples
    --------
    >>> X, y = make_windows(np.array([1.0, 2.0, 4.0, 8.0]), steps=2)
    >>> last_value_forecast(X)[:, 0].tolist(), y[:, 0].tolist()
    ([2.0, 4.0], [4.0, 8.0])
    """
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(f"X has shape {X.shape}, expected (samples, steps, features).")
    return X[:, -1, :].copy()


def rmse(y_true: object, y_pred: object) -> float:
    """Root mean squared error, ``sqrt(mean((y_true - y_pred) ** 2))``, over every entry.

    Raises
    ------
    ValueError
        If the shapes differ (a (n,) against an (n, 1) would broadcast to (n, n) silently).

    Examples
    --------
    >>> rmse([4.0, 8.0], [2.0, 4.0])                  # sqrt((4 + 16) / 2)
    3.1622776601683795
    """
    a, b = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"y_true has shape {a.shape} but y_pred has shape {b.shape}; they must match.")
    if a.size == 0:
        raise ValueError("y_true and y_pred are empty.")
    return float(np.sqrt(np.mean((a - b) ** 2)))
