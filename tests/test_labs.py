"""The coding labs: a correct solution passes, each classic mistake is named, the feedback never raises."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.exercises import labs, text

ROOT = Path(__file__).resolve().parents[1]
ORDER = (0, 1, 2, 3)  # the blocks i, f, c, o of W, U, b


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- solutions written as a learner would, each with the switches of its classic mistakes ------------------

def step_forward(x_t, h_prev, c_prev, W, U, b, *, order=ORDER, swapped=False, no_tanh_c=False,
                 sigmoid_candidate=False):
    """One step; ``order`` names the blocks the learner reads as i, f, c, o."""
    ii, ff, cc, oo = order
    z = [x_t @ W[k].T + h_prev @ U[k].T + b[k] for k in range(4)]
    i, f, o = sigmoid(z[ii]), sigmoid(z[ff]), sigmoid(z[oo])
    g = sigmoid(z[cc]) if sigmoid_candidate else np.tanh(z[cc])
    c_t = f * c_prev + i * g
    h_t = o * c_t if no_tanh_c else o * np.tanh(c_t)
    return (c_t, h_t) if swapped else (h_t, c_t)


def step_backward(x_t, h_prev, c_prev, W, U, b, dh_t, dc_t, *, order=ORDER, no_forget_factor=False,
                  no_dh_into_dc=False, tanh_c_linear=False, tanh_g_linear=False):
    ii, ff, cc, oo = order
    z = [x_t @ W[k].T + h_prev @ U[k].T + b[k] for k in range(4)]
    i, f, g, o = sigmoid(z[ii]), sigmoid(z[ff]), np.tanh(z[cc]), sigmoid(z[oo])
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    do = dh_t * tanh_c
    dtanh_c = 1 - tanh_c if tanh_c_linear else 1 - tanh_c ** 2
    dc = dc_t if no_dh_into_dc else dc_t + dh_t * o * dtanh_c
    di, df, dg = dc * g, dc * c_prev, dc * i
    dc_prev = dc if no_forget_factor else dc * f
    dz_by_gate = {ii: di * i * (1 - i), ff: df * f * (1 - f),
                  cc: dg * ((1 - g) if tanh_g_linear else (1 - g ** 2)), oo: do * o * (1 - o)}
    dz = [dz_by_gate[k] for k in range(4)]                 # block k of W receives the gradient of its gate
    dW = np.stack([d.T @ x_t for d in dz])
    dU = np.stack([d.T @ h_prev for d in dz])
    db = np.stack([d.sum(axis=0) for d in dz])
    dx_t = sum(d @ W[k] for k, d in enumerate(dz))
    dh_prev = sum(d @ U[k] for k, d in enumerate(dz))
    return dx_t, dh_prev, dc_prev, dW, dU, db


def bptt(x, h0, c0, W, U, b, d_outputs, *, keep="sum", recurrent_dh=True, carry_dc=True, every_output=True):
    steps = x.shape[1]
    hs, cs = [h0], [c0]
    for t in range(steps):
        h, c = step_forward(x[:, t], hs[-1], cs[-1], W, U, b)
        hs.append(h)
        cs.append(c)
    dx = np.zeros_like(x)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    dh, dc = np.zeros_like(h0), np.zeros_like(c0)
    for t in reversed(range(steps)):
        d_out = d_outputs[:, t] if every_output or t == steps - 1 else 0.0
        upstream = d_out + dh if recurrent_dh else d_out
        dx[:, t], dh, dc_new, dW_t, dU_t, db_t = step_backward(x[:, t], hs[t], cs[t], W, U, b, upstream, dc)
        dc = dc_new if carry_dc else np.zeros_like(dc)
        if keep == "last":                                # overwritten: the first step's contribution
            dW, dU, db = dW_t, dU_t, db_t
        else:
            dW, dU, db = dW + dW_t, dU + dU_t, db + db_t
    if keep == "mean":
        dW, dU, db = dW / steps, dU / steps, db / steps
    if not carry_dc:
        dc = dc_new
    return dx, dh, dc, dW, dU, db


def forward_lengths(x, h0, c0, W, U, b, lengths, *, mistake=None):
    batch, steps, _ = x.shape
    outputs = np.zeros((batch, steps, h0.shape[1]))
    h, c = h0, c0
    hs, cs = [h0], [c0]
    for t in range(steps):
        h_new, c_new = step_forward(x[:, t], h, c, W, U, b)
        valid = (t < lengths)[:, None] if mistake != "no-lengths" else np.ones((batch, 1), bool)
        outputs[:, t] = np.where(valid, h_new, h if mistake == "outputs-not-zeroed" else 0.0)
        h, c = np.where(valid, h_new, h), np.where(valid, c_new, c)
        h_all, c_all = step_forward(x[:, t], hs[-1], cs[-1], W, U, b)
        hs.append(h_all)
        cs.append(c_all)
    if mistake == "states-after-padding":
        return outputs, hs[-1], cs[-1]
    if mistake == "off-by-one":
        rows = np.arange(batch)
        return outputs, np.stack(hs)[lengths - 1, rows], np.stack(cs)[lengths - 1, rows]
    return outputs, h, c


def count_params(n, m, framework):
    total = 4 * (m * n + m * m + m)
    return total + 4 * m if framework == "pytorch" else total


SOLUTIONS = {"lab-step-forward": step_forward, "lab-step-backward": step_backward, "lab-bptt": bptt,
             "lab-forward-lengths": forward_lengths, "lab-count-params": count_params}


# --- the interface ---------------------------------------------------------------------------------------

def test_the_labs_their_signatures_and_the_catalogue():
    assert list(labs.LABS) == list(SOLUTIONS)
    assert labs.LABS["lab-step-forward"].signature == "fn(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t)"
    assert labs.LABS["lab-step-backward"].outputs == ("dx_t", "dh_prev", "dc_prev", "dW", "dU", "db")
    cat = lu.exercises.catalogue(lu.exercises.LAB_NOTEBOOK)
    assert [lab.id for lab in cat] == list(SOLUTIONS) and [lab.number for lab in cat][:2] == ["7.1", "7.2"]
    assert cat.total_minutes == sum(lab.minutes for lab in labs.LABS.values()) == 65
    assert lu.exercises.get("lab-bptt") is labs.LABS["lab-bptt"]
    assert "lab-bptt" not in [e.id for e in lu.exercises.catalogue()]     # the banks only
    with pytest.raises(ValueError, match=r"Unknown value for exercise_id: 'lab-step-forwards'.*"
                                         r"Did you mean 'lab-step-forward'\?"):
        lu.exercises.check("lab-step-forwards", step_forward)


@pytest.mark.parametrize("lab_id", list(SOLUTIONS))
def test_a_correct_solution_passes_every_case(lab_id):
    feedback = lu.exercises.check(lab_id, SOLUTIONS[lab_id])
    assert feedback.ok is True, feedback
    lab = labs.LABS[lab_id]
    assert str(feedback) == (f"[correct] {lab_id}: all {len(lab.cases())} hidden cases agree with the "
                             f"package's reference {lab.reference_name}.")
    assert labs.grade(lab_id, SOLUTIONS[lab_id]) == (len(lab.cases()),) * 2


@pytest.mark.parametrize("lab_id", list(SOLUTIONS))
def test_the_cases_are_float64_of_several_shapes_and_the_reference_is_the_package_s(lab_id):
    lab = labs.LABS[lab_id]
    cases = lab.cases()
    assert len(cases) >= 3 and repr(lab.cases(seed=1)) != repr(cases) and repr(lab.cases()) == repr(cases)
    if lab_id == "lab-count-params":
        assert {fw for _, _, fw in cases} >= {"keras", "pytorch", "matlab", "flax"}
        assert all(lab.reference(*c) == (lu.count_params(c[0], c[1], framework=c[2]),) for c in cases)
        return
    assert all(a.dtype in (np.float64, np.int64) for case in cases for a in case)
    x, h = cases[0][0], cases[0][1]
    assert x.shape[0] == 1 and x.shape[-1] != h.shape[1]              # batch 1, n != m
    assert len({case[0].shape for case in cases}) == len(cases)
    for args in cases:
        weights = lu.LSTMWeights(*args[3:6])
        out = lab.reference(*args)
        assert len(out) == len(lab.outputs)
        if lab_id == "lab-step-forward":
            h_t, c_t, _ = lu.lstm_step(args[0], args[1], args[2], weights)
            np.testing.assert_allclose(out[0], h_t, rtol=1e-12)
            np.testing.assert_allclose(out[1], c_t, rtol=1e-12)


def test_the_step_backward_variants_start_from_the_reference():
    """The buggy variants are built from lstm_utils.backward._step_backward; with no bug they are the
    reference (lu.lstm_backward), so a variant differs from it by its one mistake only."""
    for args in labs.LABS["lab-step-backward"].cases():
        variants = {key: out for key, _, out in labs._step_backward_bugs(args)}
        expected = labs.LABS["lab-step-backward"].reference(*args)
        mine = step_backward(*args, no_forget_factor=True)
        for k, (a, b) in enumerate(zip(variants["no-forget-factor"], mine, strict=True)):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, err_msg=str(k))
        np.testing.assert_allclose(variants["no-forget-factor"][0], expected[0], rtol=1e-10, atol=1e-12)


# --- the classic mistakes --------------------------------------------------------------------------------

def _with(fn, **switches):
    def buggy(*args):
        return fn(*args, **switches)
    return buggy


def _read_as(take, fn, grads=False):
    """``fn`` run by a learner who reads block ``take[k]`` of W, U, b as gate k (and, with ``grads``,
    stacks dW, dU, db the same way)."""
    take = list(take)
    back = list(np.argsort(take))

    def buggy(x, h0, c0, W, U, b, last):
        out = fn(x, h0, c0, W[take], U[take], b[take], last)
        return (*out[:3], *(d[back] for d in out[3:])) if grads else out
    return buggy


BUGS = [
    ("lab-step-forward", _with(step_forward, order=(1, 0, 2, 3)),
     "the blocks of W, U and b read in the order f, i, c, o; lu.GATE_ORDER stacks them i, f, c, o"),
    ("lab-step-forward", _with(step_forward, order=(0, 1, 3, 2)),
     "read in the order i, f, o, c;"),
    ("lab-step-forward", _with(step_forward, swapped=True), "(c_t, h_t) returned in place of (h_t, c_t)."),
    ("lab-step-forward", _with(step_forward, no_tanh_c=True),
     "h_t = o_t * c_t; the output is o_t * tanh(c_t)."),
    ("lab-step-forward", _with(step_forward, sigmoid_candidate=True),
     "the candidate g_t through the sigmoid"),
    ("lab-step-backward", _with(step_backward, order=(2, 0, 1, 3)), "read in the order f, c, i, o;"),
    ("lab-step-backward", _with(step_backward, no_forget_factor=True),
     "dc_prev is dc_t passed on unchanged; the cell state's direct path multiplies it by f_t"),
    ("lab-step-backward", _with(step_backward, no_dh_into_dc=True),
     "the path from dh_t into dc_t is missing"),
    ("lab-step-backward", _with(step_backward, tanh_c_linear=True),
     "tanh'(c_t) written as 1 - tanh(c_t); the derivative of tanh is 1 - tanh(c_t)^2."),
    ("lab-step-backward", _with(step_backward, tanh_g_linear=True),
     "the candidate's tanh' written as 1 - g_t"),
    ("lab-step-backward", _with(step_backward, tanh_c_linear=True, tanh_g_linear=True),
     "tanh' written as 1 - tanh in both places"),
    ("lab-bptt", _with(bptt, keep="last"), "dW, dU and db are step 1's contribution alone; the weights are "
                                           "shared by all 5 steps"),
    ("lab-bptt", _with(bptt, keep="mean"), "the average of the steps' contributions"),
    ("lab-bptt", _with(bptt, recurrent_dh=False), "each step receives d_outputs[:, t] alone"),
    ("lab-bptt", _with(bptt, carry_dc=False), "dc is not carried from one step to the one before"),
    ("lab-bptt", _with(bptt, every_output=False), "only the last output's gradient is used"),
    ("lab-bptt", _read_as((1, 0, 2, 3), bptt, grads=True), "read in the order f, i, c, o;"),
    ("lab-forward-lengths", _read_as((3, 1, 2, 0), forward_lengths), "read in the order o, f, c, i;"),
    ("lab-forward-lengths", _with(forward_lengths, mistake="no-lengths"),
     "the padding is run like real steps"),
    ("lab-forward-lengths", _with(forward_lengths, mistake="states-after-padding"),
     "h_n and c_n are the states after the padding (at step T)"),
    ("lab-forward-lengths", _with(forward_lengths, mistake="outputs-not-zeroed"),
     "the outputs at the padded steps repeat the last valid h_t"),
    ("lab-forward-lengths", _with(forward_lengths, mistake="off-by-one"),
     "h_n and c_n are the states at step lengths[b] - 1, one step off"),
]


@pytest.mark.parametrize(("lab_id", "buggy", "said"), BUGS, ids=[f"{b[0]}-{k}" for k, b in enumerate(BUGS)])
def test_each_classic_mistake_is_named(lab_id, buggy, said):
    feedback = lu.exercises.check(lab_id, buggy)
    assert feedback.ok is False, feedback
    assert said in feedback.message, feedback.message
    assert feedback.message.startswith("on hidden case 1 of ")
    assert f'more help: lu.exercises.hint("{lab_id}", 1).' in feedback.message
    assert labs.grade(lab_id, buggy)[0] < labs.grade(lab_id, buggy)[1]


def test_every_bug_message_is_triggered_by_a_test():
    """Each bug key of labs.toml is recognised in BUGS above (the gate order in every lab that has it)."""
    seen = set()
    for lab_id, buggy, _ in BUGS:
        lab, args = labs.LABS[lab_id], labs.LABS[lab_id].cases()[0]
        given = [np.asarray(v) for v in buggy(*args)]
        for key, _params, variant in lab.variants(args):
            if all(labs._close(g, np.asarray(v)) for g, v in zip(given, variant, strict=True)):
                seen.add((lab_id, key))
                break
    expected = {(lab.id, key) for lab in labs.LABS.values() for key in lab.bugs}
    assert seen == expected


def test_a_wrong_count_names_the_framework_s_trap():
    one_bias = lu.exercises.check("lab-count-params", lambda n, m, framework: 4 * (m * n + m * m + m))
    assert one_bias.ok is False
    assert re.search(r"^for fn\(\d+, \d+, 'pytorch'\) your function returned [\d,]+: that is the "
                     r"Keras/MATLAB count: PyTorch keeps two bias vectors", one_bias.message)
    off = lu.exercises.check("lab-count-params", lambda n, m, framework: 7)
    assert off.message.startswith("for fn(") and "which is not that layer's count." in off.message
    text_answer = lu.exercises.check("lab-count-params", lambda n, m, framework: "640")
    assert "your function returned '640' (str) for fn(" in text_answer.message
    assert "expected a whole number (an int)." in text_answer.message
    assert lu.exercises.check("lab-count-params", lambda n, m, fw: np.int64(count_params(n, m, fw))).ok


# --- shapes, types, exceptions, nothing, mutation ----------------------------------------------------------

def test_wrong_shapes_are_named_before_values():
    def dW_transposed(*args):
        out = step_backward(*args)
        return (*out[:3], out[3].transpose(0, 2, 1), *out[4:])

    feedback = lu.exercises.check("lab-step-backward", dW_transposed)
    assert feedback.ok is False
    assert feedback.message == ("dW has shape (4, 3, 4), expected (4, 4, 3) "
                                "(hidden case 1 of 4: batch=1, n=3, m=4).")

    def flat_dW(*args):
        out = step_backward(*args)
        return (*out[:3], out[3].reshape(-1, out[3].shape[2]), *out[4:])

    assert lu.exercises.check("lab-step-backward", flat_dW).message.startswith(
        "dW has shape (16, 3), expected (4, 4, 3)")


def test_the_number_and_type_of_the_returned_values():
    one = lu.exercises.check("lab-step-forward", lambda *args: step_forward(*args)[0])
    assert one.message == "your function returned an array of shape (1, 4); expected 2 values: h_t, c_t."
    three = lu.exercises.check("lab-step-forward", lambda *args: (*step_forward(*args), 0))
    assert three.message == "your function returned a tuple of length 3; expected 2 values: h_t, c_t."
    words = lu.exercises.check("lab-step-forward", lambda *args: ("h", "c"))
    assert words.message == "h_t is 'h' (str), not an array of numbers."
    lists = lu.exercises.check("lab-step-forward", lambda *args: [a.tolist() for a in step_forward(*args)])
    assert lists.ok is True                                   # nested lists of floats are arrays too


def test_a_wrong_value_names_the_first_wrong_array_and_its_largest_error():
    def off(*args):
        dx, dh, dc, dW, dU, db = step_backward(*args)
        db = db.copy()
        db[2, 1] += 0.5
        return dx, dh, dc, dW, dU, db

    feedback = lu.exercises.check("lab-step-backward", off)
    assert feedback.message.startswith(
        "db is the first wrong array on hidden case 1 of 4 (batch=1, n=3, m=4): largest error 0.5 at index "
        "(2, 1). Hint: see 17_backprop_through_time, section '2. One step backwards, in the order the code "
        "runs it'")
    as32 = lu.exercises.check("lab-step-forward",
                              lambda *args: tuple((a + 1e-3).astype(np.float32) for a in step_forward(*args)))
    assert "Your h_t is float32; the cases are float64: keep their dtype." in as32.message
    nan = lu.exercises.check("lab-step-forward", lambda *args: (np.full_like(args[1], np.nan), args[2]))
    assert nan.message.startswith("h_t is the first wrong array") and "largest error inf" in nan.message


def test_an_exception_in_the_learner_s_code_is_shown_with_its_line_and_never_raised():
    def untransposed(x_t, h_prev, c_prev, W, U, b):
        i = sigmoid(x_t @ W[0] + h_prev @ U[0].T + b[0])
        return i, i

    feedback = lu.exercises.check("lab-step-forward", untransposed)
    assert feedback.ok is False
    assert feedback.message.startswith("on hidden case 1 of 4 (batch=1, n=3, m=4) your function raised "
                                       "ValueError: matmul: Input operand 1 has a mismatch")
    line = untransposed.__code__.co_firstlineno + 1                 # the line of the product, in this file
    assert feedback.message.endswith(
        f", in untransposed, line {line}: i = sigmoid(x_t @ W[0] + h_prev @ U[0].T + b[0]).")
    assert "Traceback" not in feedback.message and "test_labs.py" not in feedback.message

    def bare(*args):
        raise KeyError

    assert "your function raised KeyError, in bare, line" in lu.exercises.check("lab-bptt", bare).message


@pytest.mark.parametrize("answer", [None, ...])
def test_nothing_yet_is_not_answered(answer):
    feedback = lu.exercises.check("lab-step-backward", answer)
    assert feedback.ok is None and feedback.status == "not answered yet"
    assert str(feedback) == ("[not answered yet] lab-step-backward: write the function's body (in place of "
                             "raise NotImplementedError) and run the cell.")
    assert labs.grade("lab-step-backward", answer) == (0, 4)


def test_a_skeleton_is_not_answered_and_a_non_function_is_named():
    def skeleton(x_t, h_prev, c_prev, W, U, b):
        raise NotImplementedError

    def empty(x_t, h_prev, c_prev, W, U, b):
        ...

    assert lu.exercises.check("lab-step-forward", skeleton).ok is None
    forgot = lu.exercises.check("lab-step-forward", empty)         # a body without its return line
    assert forgot.ok is False and "returned None: does it end with return h_t, c_t?" in forgot.message
    wrong = lu.exercises.check("lab-step-forward", 3)
    assert wrong.ok is False
    assert wrong.message == ("the answer must be a function fn(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t); "
                             "got 3 (int).")


def test_inputs_changed_in_place_are_named_and_the_cases_stay_intact():
    def in_place(x_t, h_prev, c_prev, W, U, b):
        h_t, c_t = step_forward(x_t, h_prev, c_prev, W, U, b)
        c_prev *= 0.0
        c_prev += c_t                                          # the caller's c_prev overwritten
        return h_t, c_prev

    feedback = lu.exercises.check("lab-step-forward", in_place)
    assert feedback.ok is False
    assert feedback.message.startswith("your function changed its argument c_prev in place (hidden case 1 of "
                                       "4)")
    assert lu.exercises.check("lab-step-forward", step_forward).ok          # the hidden cases are unharmed


def test_grade_counts_the_cases_passed():
    def batch_one_only(x_t, *args):
        if x_t.shape[0] != 1:
            raise RuntimeError("only one sample")
        return step_forward(x_t, *args)

    assert labs.grade("lab-step-forward", batch_one_only) == (1, 4)
    assert labs.grade("lab-step-forward", "not a function") == (0, 4)


# --- the hint ladder and the words ------------------------------------------------------------------------

def test_the_hint_ladder():
    lab = labs.LABS["lab-step-backward"]
    assert str(lu.exercises.hint(lab.id)) == ("3 hints, each more detailed than the one before: set the "
                                              "level to 1, 2, ... 3 (the last is nearly the code).")
    one, three = lu.exercises.hint(lab.id, 1), lu.exercises.hint(lab.id, 3)
    assert one == f"Hint 1 of 3: {lab.hints[0]}" and three.startswith(one + "\n\nHint 2 of 3: ")
    assert three.endswith(f"Hint 3 of 3: {lab.hints[2]}") and repr(three) == str(three)
    with pytest.raises(ValueError, match=r"level == 4, must be in 0\.\.3: lab 'lab-step-backward' has 3 "
                                         r"hints\."):
        lu.exercises.hint(lab.id, 4)
    for lab in labs.LABS.values():
        assert len(lab.hints) >= 3 and len(set(lab.hints)) == len(lab.hints)


def test_every_check_sentence_is_used_and_every_lab_has_its_words():
    source = (ROOT / "lstm_utils" / "exercises" / "labs.py").read_text(encoding="utf-8")
    words = text.load("labs")
    for key in words["check"]:
        assert f'"{key}"' in source, f"labs.toml: check.{key} is not used by labs.py"
    assert set(words["check"]) == set(text.LAB_CHECK)
    for lab in labs.LABS.values():
        assert lab.title and lab.question and lab.see and set(lab.messages) == set(lab.bugs)
        for key, message in lab.messages.items():
            assert text.placeholders(message) <= set(lab.bugs[key]), (lab.id, key)


def test_the_hints_of_a_failed_check_point_to_existing_sections():
    for lab in labs.LABS.values():
        for notebook, section in lab.see:
            cells = __import__("json").loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
            headings = {line.lstrip("#").strip() for c in cells if c["cell_type"] == "markdown"
                        for line in "".join(c["source"]).splitlines() if line.startswith("#")}
            assert section in headings, (lab.id, notebook, section)


def test_a_placeholder_the_code_does_not_give_is_named(tmp_path):
    source = text.path_of("labs").read_text(encoding="utf-8")
    (tmp_path / "labs.toml").write_text(source.replace('right = "all {cases}', 'right = "all {count}'),
                                        encoding="utf-8")
    with pytest.raises(ValueError, match=r"labs.toml: check.right: the placeholder\(s\) \['count'\] are not "
                                         r"given by its code"):
        text.load("labs", root=tmp_path)
    (tmp_path / "labs.toml").write_text(source.replace("hints = [", "hint = [", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"labs.toml: lab 'lab-step-forward': missing key\(s\) \['hints'\]"):
        text.load("labs", root=tmp_path)


def test_the_notebook_shows_each_lab_and_its_check_cell():
    import json

    nb = json.loads((ROOT / "notebooks" / "exercises" / "07_coding_labs.ipynb").read_text())
    markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for lab in labs.LABS.values():
        assert lab.markdown in markdown, lab.id
        assert f'lu.exercises.check("{lab.id}", ' in code and f'lu.exercises.hint("{lab.id}", ' in code
    assert "raise NotImplementedError" in code
