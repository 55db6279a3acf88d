"""Class grading (lstm_utils.grading): both targets exported, built and run on a right and a wrong
submission, offline and without Docker (nbgrader generate_assignment + autograde + export; otter assign
+ otter run); the hidden tests ignore a checker the student's notebook replaced; the command line.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lstm_utils
from lstm_utils import grading
from lstm_utils.cli import main
from lstm_utils.exercises import get

ASSIGNMENT = "lstm-exercises"
#: A few exercises of E1 with their answers as a student may write them (numbers from the course's
#: worked examples: 4 * (5 + 10 + 1) * 10 / 4, 4 * (2 + 3 + 1) * 3, PyTorch's projected 100 -> 256/64).
RIGHT = {"count-one-gate": '"160"', "count-2-to-3": "72", "count-projection": '"186,368"'}
#: The wrong submission: one right answer, one wrong, one object that claims to equal anything; and
#: it replaces the checker, the comparison and the grader's verdict in its own kernel first.
WRONG = {"count-one-gate": "160", "count-2-to-3": "73", "count-projection": "_Anything()"}
TAMPER = """\
import lstm_utils.grading
import lstm_utils.exercises.exercise as _exercise
lu.exercises.check = lambda *args, **kwargs: "correct"
_exercise.Exercise.agrees = lambda self, given, value: True
lstm_utils.grading.verdict = lambda *args, **kwargs: True
class _Anything:
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
"""
#: The coding lab graded beside them once lstm_utils/exercises/labs.py exists (its notebook is E7).
LAB = "lab-step-forward" if "lab-step-forward" in grading._labs() else None
NOTEBOOKS = ["01_counting"] + ([grading.LAB_NOTEBOOK] if LAB else [])
SELECTED = set(RIGHT) | ({LAB} if LAB else set())
FULL = len(RIGHT) * grading.EXERCISE_POINTS + (grading.LAB_POINTS if LAB else 0)
PARTIAL = 1 * grading.EXERCISE_POINTS  # count-one-gate only; the wrong submission leaves the lab as given


def _answered(path: Path, answers: dict[str, str], tamper: str = "", lab_right: bool = False) -> dict:
    """The student notebook at ``path`` with ``answers`` typed in (and ``tamper`` before the first)."""
    nb = json.loads(path.read_text())
    first = True
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        found = re.search(r'check\("([^"]+)", (\w+)\)', source) if cell["cell_type"] == "code" else None
        if found is None:
            continue
        task_id, variable = found.groups()
        if task_id in answers:
            line = f"{variable} = None  # your answer"
            assert line in source, source
            source = source.replace(line, f"{tamper if first else ''}{variable} = {answers[task_id]}")
            first = False
        elif task_id == LAB and lab_right:  # the reference under the student's name
            source = (f"from lstm_utils.exercises.labs import LABS\n\ndef {variable}(*args):\n"
                      f'    return LABS["{LAB}"].reference(*args)\n\n'
                      f'lu.exercises.check("{LAB}", {variable})')
        cell["source"] = source
    return nb


def _run(args: list, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=grading.tool_env())
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_nbgrader_grades_a_right_and_a_wrong_submission(tmp_path):
    grading.export("nbgrader", NOTEBOOKS, tmp_path, exercises=SELECTED, name=ASSIGNMENT)
    assert grading.build("nbgrader", tmp_path, ASSIGNMENT)[0][-3:] == ["generate_assignment", ASSIGNMENT,
                                                                       "--force"]
    released = tmp_path / "release" / ASSIGNMENT
    assert "BEGIN HIDDEN TESTS" not in (released / "01_counting.ipynb").read_text()
    for student, answers, tamper in (("right", RIGHT, ""), ("wrong", WRONG, TAMPER)):
        for notebook in NOTEBOOKS:
            nb = _answered(released / f"{notebook}.ipynb", answers, tamper, lab_right=student == "right")
            target = tmp_path / "submitted" / student / ASSIGNMENT / f"{notebook}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(nb))
    nbgrader = [sys.executable, "-m", "nbgrader"]
    _run([*nbgrader, "autograde", ASSIGNMENT], tmp_path)
    _run([*nbgrader, "export"], tmp_path)
    with open(tmp_path / "grades.csv", newline="") as f:
        grades = {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                  for row in csv.DictReader(f)}
    assert grades == {"right": (FULL, FULL), "wrong": (PARTIAL, FULL)}
    _run([*nbgrader, "generate_feedback", ASSIGNMENT], tmp_path)
    assert (tmp_path / "feedback" / "wrong" / ASSIGNMENT / "01_counting.html").is_file()


def _otter_score(tmp_path: Path, notebook: str, autograder: Path, nb: dict, student: str) -> dict:
    folder = tmp_path / "submissions" / student
    folder.mkdir(parents=True)
    (folder / f"{notebook}.ipynb").write_text(json.dumps(nb))
    _run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(folder),
          f"{notebook}.ipynb"], folder)
    results = json.loads((folder / "results.json").read_text())
    # Gradescope's results format: one entry per question with its score, and "Public Tests"
    return {test["name"]: test["score"] for test in results["tests"] if "score" in test}


def test_otter_grades_a_right_and_a_wrong_submission(tmp_path):
    grading.export("otter", NOTEBOOKS, tmp_path, exercises=SELECTED)
    assert len(grading.build("otter", tmp_path)) == len(NOTEBOOKS)
    scores = {"right": {}, "wrong": {}}
    for notebook in NOTEBOOKS:
        dist = tmp_path / notebook / "dist"
        student = dist / "student" / f"{notebook}.ipynb"
        assert "BEGIN SOLUTION" not in student.read_text() and "186368" not in student.read_text()
        (autograder,) = (dist / "autograder").glob(f"{notebook}-autograder_*.zip")
        scores["right"] |= _otter_score(tmp_path, notebook, autograder, _answered(student, RIGHT, "", True),
                                        f"right-{notebook}")
        scores["wrong"] |= _otter_score(tmp_path, notebook, autograder, _answered(student, WRONG, TAMPER),
                                        f"wrong-{notebook}")
    names = {re.sub(r"\W", "_", task_id) for task_id in SELECTED}
    assert set(scores["right"]) == set(scores["wrong"]) == names
    assert sum(scores["right"].values()) == FULL
    assert sum(scores["wrong"].values()) == PARTIAL
    assert scores["wrong"]["count_one_gate"] == grading.EXERCISE_POINTS


# --- the parts, fast ----------------------------------------------------------------------------------

def test_every_exported_solution_is_right_and_a_wrong_answer_is_not():
    for notebook in grading.COURSE_ORDER:
        for task in (t for t in grading.read_notebook(notebook) if isinstance(t, grading.Task)):
            variable, _, value = task.solution.partition(" = ")
            assert variable == task.variable
            assert grading.verdict("exercise", task.id, eval(value)) is True, task.id
            assert get(task.id, reveal=True).expected is not None
    assert grading.verdict("exercise", "count-2-to-3", "73") is False
    assert grading.verdict("exercise", "count-2-to-3", None) is False


def _hidden_test_result(task: grading.Task, value: object) -> bool:
    namespace = {task.variable: value}
    try:
        exec(grading.hidden_test(task), namespace)
    except AssertionError:
        return False
    return True


def test_the_hidden_test_asks_a_fresh_copy_not_the_notebooks_patched_one(monkeypatch):
    (task,) = [t for t in grading.read_notebook("01_counting", {"count-2-to-3"})
               if isinstance(t, grading.Task)]
    assert _hidden_test_result(task, 72) and not _hidden_test_result(task, 73)
    kept = dict(sys.modules)
    monkeypatch.setattr(grading, "verdict", lambda *args: True)
    monkeypatch.setattr(lstm_utils.exercises.exercise.Exercise, "agrees", lambda self, given, value: True)
    monkeypatch.setattr(lstm_utils.exercises, "check", lambda *args: True)
    assert grading.verdict("exercise", "count-2-to-3", 73) is True  # the patched copy says yes
    assert not _hidden_test_result(task, 73)  # the hidden test does not
    assert _hidden_test_result(task, 72)
    lstm = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "lstm_utils"}
    assert lstm == {k: v for k, v in kept.items() if k.split(".")[0] == "lstm_utils"}  # put back


def test_an_object_that_equals_everything_is_wrong():
    class Anything:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    for exercise_id in ("count-2-to-3", "gates-pytorch-order", "mistake-batch-first-hn",
                        "convert-biases-to-keras"):
        assert grading.verdict("exercise", exercise_id, Anything()) is False


def test_selection_errors_name_the_value_and_the_choices(tmp_path):
    assert grading.resolve_notebooks("E1,2,03_conversions_and_mistakes") == [
        "01_counting", "02_shapes_and_gates", "03_conversions_and_mistakes"]
    with pytest.raises(ValueError, match=r"Unknown value for notebooks: 'E9'\. Possible values are: E1 \(01"):
        grading.resolve_notebooks("E1,E9")
    with pytest.raises(ValueError, match=r"exercises \['count-nothing'\] are not in the notebooks"):
        grading.export("otter", ["01_counting"], tmp_path, exercises={"count-one-gate", "count-nothing"})
    with pytest.raises(ValueError, match=r"Unknown value for target: 'moodle'"):
        grading.export("moodle", ["01_counting"], tmp_path)


def test_a_section_without_its_exercises_is_dropped():
    items = grading.read_notebook("01_counting", {"count-one-gate"})
    text = [item[1] for item in items if not isinstance(item, grading.Task)]
    assert any(t.startswith("## Counting") for t in text) and any(t.startswith("## Summary") for t in text)
    assert [t.id for t in items if isinstance(t, grading.Task)] == ["count-one-gate"]


def test_a_missing_tool_names_the_install_command(monkeypatch):
    real = grading.importlib.util.find_spec
    monkeypatch.setattr(grading.importlib.util, "find_spec",
                        lambda name: None if name == "otter" else real(name))
    with pytest.raises(ImportError, match=re.escape('otter is not installed; class grading needs it: '
                                                    'pip install "lstm-course[grading]"')):
        grading.build("otter", ".")


class _FakeLab:
    """A lab with the interface of lstm_utils.exercises.labs.Lab: f(x) = 2x on two hidden cases."""

    id = "lab-double"

    def cases(self, seed=0):
        import numpy as np

        return [(np.arange(3.0),), (np.ones((2, 2)),)]

    def reference(self, x):
        return (2 * x,)


def test_the_labs_extension_point_exports_and_grades_a_lab(monkeypatch, tmp_path):
    monkeypatch.setattr(grading, "_labs", lambda: {"lab-double": _FakeLab()})
    cell = ('def double(x):\n    """Twice x."""\n    raise NotImplementedError\n\n'
            'lu.exercises.check("lab-double", double)')
    nb = {"cells": [{"cell_type": "markdown", "source": "## Labs", "metadata": {}},
                    {"cell_type": "markdown", "source": "### 7.1 · Double\nid `lab-double`", "metadata": {}},
                    {"cell_type": "code", "source": cell, "metadata": {}, "outputs": []}]}
    (tmp_path / f"{grading.LAB_NOTEBOOK}.ipynb").write_text(json.dumps(nb))
    assert grading.resolve_notebooks("E7") == [grading.LAB_NOTEBOOK]
    (task,) = [t for t in grading.read_notebook(grading.LAB_NOTEBOOK, source=tmp_path)
               if isinstance(t, grading.Task)]
    assert (task.kind, task.variable, task.points) == ("lab", "double", grading.LAB_POINTS)
    solved = grading._with_solution(task, "### BEGIN SOLUTION", "### END SOLUTION")
    assert solved.startswith('def double(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n')
    assert grading.verdict("lab", "lab-double", lambda x: (x + x,)) is True
    assert grading.verdict("lab", "lab-double", lambda x: x + 1) is False
    assert grading.verdict("lab", "lab-double", "not a function") is False
    written = grading.export("otter", [grading.LAB_NOTEBOOK], tmp_path / "out", source=tmp_path)
    master = json.loads(written[-1].read_text())
    assert any("def test_lab_double(double):" in c["source"] for c in master["cells"])


def test_the_command_exports_and_explains_itself(tmp_path, capsys):
    assert main(["grading", "export", "--target", "nbgrader", "--notebooks", "E1", "--exercises",
                 "count-one-gate,count-2-to-3", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "nbgrader generate_assignment lstm-exercises" in out
    source = json.loads((tmp_path / "source" / ASSIGNMENT / "01_counting.ipynb").read_text())
    points = [c["metadata"]["nbgrader"]["points"] for c in source["cells"]
              if c["metadata"].get("nbgrader", {}).get("grade")]
    assert points == [1, 1]
    assert main(["grading", "export", "--help"]) == 0
    assert "--target {nbgrader,otter}" in capsys.readouterr().out


def test_a_bad_command_exits_2_with_one_line():
    proc = subprocess.run([sys.executable, "-m", "lstm_utils", "grading", "export", "--target", "moodle",
                           "--notebooks", "E1", "--out", "x"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("lstm-params grading: error: argument --target: invalid choice: 'moodle'")
    assert "nbgrader" in line and "otter" in line
