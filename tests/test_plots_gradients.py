"""lu.plots.gradient_vs_distance: what it draws and its argument checks."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from lstm_utils import plots


def test_one_line_per_curve_against_the_distance_on_a_log_scale():
    curves = {"simple RNN": [1.0, 1e-2, 1e-4, 1e-6], "LSTM": np.array([1.0, 0.5, 0.25, 0.125])}
    fig = plots.gradient_vs_distance(curves, title="test")
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["simple RNN", "LSTM"]
    np.testing.assert_array_equal(lines[0].get_xdata(), [0, 1, 2, 3])
    np.testing.assert_allclose(lines[1].get_ydata(), [1.0, 0.5, 0.25, 0.125])
    assert ax.get_yscale() == "log" and ax.get_title() == "test"
    assert ax.get_xlabel().startswith("distance T − t")
    assert plots.gradient_vs_distance({"a": [1.0]}).axes[0].get_title() == "How far back the gradient reaches"


def test_draws_on_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.gradient_vs_distance({"a": [1.0, 0.5]}, ax=ax) is fig


def test_bad_curves_are_named():
    with pytest.raises(TypeError, match=r"curves must be a mapping of label -> values, got list"):
        plots.gradient_vs_distance([1.0, 0.5])
    with pytest.raises(ValueError, match=r"curves is empty"):
        plots.gradient_vs_distance({})
    with pytest.raises(ValueError, match=r"curve 'RNN' has values that are not positive and finite"):
        plots.gradient_vs_distance({"LSTM": [1.0, 0.5], "RNN": [1.0, 0.0]})
    with pytest.raises(ValueError, match=r"curve 'RNN' must be a non-empty 1-D sequence, got shape \(0,\)"):
        plots.gradient_vs_distance({"RNN": []})
    with pytest.raises(ValueError, match=r"curve 'x' has values that are not positive and finite"):
        plots.gradient_vs_distance({"x": [1.0, float("nan")]})
