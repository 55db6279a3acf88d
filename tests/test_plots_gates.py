"""The gates-over-time figure: its panels, lines and shaded steps, and its argument checks."""

import numpy as np
import pytest

from lstm_utils import plots


def _sequence(time=7, m=3, seed=0):
    rng = np.random.default_rng(seed)
    gates = {name: rng.random((time, m)) for name in ("input", "forget", "candidate", "output")}
    return gates, rng.normal(size=(time, m))


def test_four_panels_with_gate_labels_colours_and_the_time_axis():
    gates, cell = _sequence()
    fig = plots.gates_over_time(gates, cell, marked_steps=[1, 5], title="adding problem")
    assert len(fig.axes) == 4
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "input gate $i_t$", "forget gate $f_t$", "output gate $o_t$", "cell state $c_t$"]
    assert fig.axes[-1].get_xlabel() == "time step t"
    assert fig._suptitle.get_text() == "adding problem"
    for ax, role in zip(fig.axes[:3], ("input", "forget", "output"), strict=True):
        assert ax.get_lines()[0].get_color() == plots.GATE_COLOURS[role]
        assert ax.get_ylim() == (-0.05, 1.05)
    assert plots.gates_over_time(gates, cell)._suptitle.get_text() == "Gates of an LSTM over one sequence"


def test_by_default_each_panel_draws_the_mean_over_units():
    gates, cell = _sequence(time=7, m=3)
    fig = plots.gates_over_time(gates, cell)
    for ax, values in zip(fig.axes, (gates["input"], gates["forget"], gates["output"], cell), strict=True):
        (line,) = ax.get_lines()[:1]
        assert line.get_label() == "mean of 3 units"
        np.testing.assert_array_equal(line.get_xdata(), np.arange(7))
        np.testing.assert_allclose(line.get_ydata(), values.mean(axis=1))


def test_chosen_units_get_one_line_each_with_their_values():
    gates, cell = _sequence(time=7, m=3)
    fig = plots.gates_over_time(gates, cell, units=[2, np.int64(0)])
    forget = [line for line in fig.axes[1].get_lines() if line.get_label().startswith("unit")]
    assert [line.get_label() for line in forget] == ["unit 2", "unit 0"]
    assert [line.get_linestyle() for line in forget] == ["-", "--"]
    np.testing.assert_array_equal(forget[0].get_ydata(), gates["forget"][:, 2])
    cell_lines = [line for line in fig.axes[3].get_lines() if line.get_label() == "unit 0"]
    np.testing.assert_array_equal(cell_lines[0].get_ydata(), cell[:, 0])


def test_marked_steps_are_shaded_in_every_panel_and_named_once_in_the_legend():
    gates, cell = _sequence(time=10)
    fig = plots.gates_over_time(gates, cell, marked_steps=np.array([2, 8]))
    for ax in fig.axes:
        spans = [p.get_x() for p in ax.patches]
        assert spans == [1.5, 7.5]
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["marked step", "mean of 3 units"]
    assert all(len(ax.patches) == 0 for ax in plots.gates_over_time(gates, cell).axes)


def test_the_figure_displays_as_png():
    gates, cell = _sequence()
    assert plots.gates_over_time(gates, cell)._repr_png_().startswith(b"\x89PNG")


def test_bad_shapes_are_named():
    gates, cell = _sequence(time=6, m=3)
    with pytest.raises(ValueError, match=r"gates\['forget'\] has shape \(6, 2\), "
                                         r"expected \(time=6, hidden_size=3\)"):
        plots.gates_over_time({**gates, "forget": np.zeros((6, 2))}, cell)
    with pytest.raises(ValueError, match=r"gates\['input'\] has shape \(1, 6, 3\), "
                                         r"expected \(time, hidden_size\)"):
        plots.gates_over_time({**gates, "input": np.zeros((1, 6, 3))}, cell)
    with pytest.raises(ValueError, match=r"cell has shape \(5, 3\), expected \(time=6, hidden_size=3\)"):
        plots.gates_over_time(gates, cell[:5])


def test_bad_arguments_are_named():
    gates, cell = _sequence(time=6, m=3)
    with pytest.raises(TypeError, match=r"gates must be a mapping .* got list"):
        plots.gates_over_time([gates["input"]], cell)
    with pytest.raises(ValueError, match=r"gates has no 'output' array.*got keys \['forget', 'input'\]"):
        plots.gates_over_time({"input": gates["input"], "forget": gates["forget"]}, cell)
    with pytest.raises(TypeError, match=r"gates\['output'\] must hold real numbers"):
        plots.gates_over_time({**gates, "output": np.full((6, 3), "a")}, cell)
    with pytest.raises(ValueError, match=r"marked_steps\[1\] == 6, must be < time = 6"):
        plots.gates_over_time(gates, cell, marked_steps=[0, 6])
    with pytest.raises(ValueError, match=r"marked_steps\[0\] == -1, must be an int >= 0"):
        plots.gates_over_time(gates, cell, marked_steps=[-1])
    with pytest.raises(TypeError, match=r"marked_steps\[0\] must be an int >= 0, got 1.5"):
        plots.gates_over_time(gates, cell, marked_steps=[1.5])
    with pytest.raises(ValueError, match=r"units\[0\] == 3, must be < hidden_size = 3"):
        plots.gates_over_time(gates, cell, units=[3])
    with pytest.raises(ValueError, match=r"units == \[1, 1\], must be 1 to 4 different units"):
        plots.gates_over_time(gates, cell, units=[1, 1])
    many = {name: np.zeros((6, 5)) for name in gates}
    with pytest.raises(ValueError, match=r"units == \[0, 1, 2, 3, 4\], must be 1 to 4 .* all 5 units"):
        plots.gates_over_time(many, np.zeros((6, 5)), units=range(5))
    with pytest.raises(ValueError, match=r"units == \[\], must be 1 to 4"):
        plots.gates_over_time(gates, cell, units=[])
