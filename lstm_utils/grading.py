"""Class grading: the exercise notebooks as an nbgrader assignment or as Otter Assign notebooks.

A lecturer's command (``pip install "lstm-course[grading]"`` brings nbgrader and Otter-Grader)::

    lstm-params grading export --target nbgrader --notebooks E1,E2 --out course
    lstm-params grading export --target otter --notebooks E1 --exercises count-one-gate,count-2-to-3 \\
        --out otter --build

``--notebooks`` names exercise notebooks (``E1`` or ``1`` or ``01_counting``; ``E7``, the coding labs,
once ``lstm_utils/exercises/labs.py`` exists); ``--exercises`` keeps only those ids; ``--build`` also
runs the tool (``nbgrader generate_assignment`` / ``otter assign``). Each exercise notebook becomes one
notebook of the assignment: its prose as it is, each exercise a graded question.

What is graded
--------------
The student's answer cell reads ``answer_1_1 = None  # your answer`` and still calls
``lu.exercises.check`` for instant feedback; each exercise has its own variable, because Otter grades
after the whole notebook ran. The points (:data:`EXERCISE_POINTS` per exercise, :data:`LAB_POINTS` per
coding lab, all or nothing) come from one hidden test per question, the same code for both targets
(:func:`hidden_test`). Tests run in the student's kernel, where the notebook could have replaced
``lu.exercises.check`` or anything else in ``lstm_utils``: the hidden test therefore imports a fresh
copy of ``lstm_utils`` (its modules set aside in ``sys.modules`` while it loads) and asks that copy's
:func:`verdict`, which computes the answer from the bank (an exercise) or runs the reference on the
lab's hidden cases (a coding lab). It does not defend against a notebook that tampers with Python or
NumPy themselves; a lecturer reading the submission sees that.

Targets
-------
``nbgrader``
    ``OUT/nbgrader_config.py`` and ``OUT/source/<name>/<notebook>.ipynb``: solution cells (the answer
    cells, their solution between ``### BEGIN SOLUTION`` / ``### END SOLUTION``) and locked autograded
    test cells holding the hidden test between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``.
    Then ``cd OUT && nbgrader generate_assignment <name>``, and after collecting,
    ``nbgrader autograde <name>``, ``nbgrader export`` (grades.csv), ``nbgrader generate_feedback``.
``otter``
    ``OUT/<notebook>/<notebook>.ipynb``, an Otter Assign master notebook (``# ASSIGNMENT CONFIG``, one
    ``# BEGIN QUESTION`` block per exercise with ``# BEGIN SOLUTION`` and a hidden exception-based
    test) and ``requirements.txt``. Then ``otter assign OUT/<nb>/<nb>.ipynb OUT/<nb>/dist``;
    ``dist/autograder/*.zip`` goes to Gradescope (or ``otter grade``, which needs Docker), and
    ``otter run -a dist/autograder/<nb>-autograder_*.zip SUBMISSION.ipynb`` grades one submission here.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from lstm_utils.exercises.checker import COURSE_ORDER, LAB_PREFIX, get

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

TARGETS = ("nbgrader", "otter")
#: Points of one exercise, and of one coding lab (all or nothing: every hidden case must pass).
EXERCISE_POINTS, LAB_POINTS = 1, 2
DEFAULT_NAME = "lstm-exercises"
#: The coding labs' notebook (lstm_utils.exercises.labs); "E7".
LAB_NOTEBOOK = "07_coding_labs"
#: Where the course's exercise notebooks lie in a clone of the course (the exporter reads them).
SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "exercises"
INSTALL = 'pip install "lstm-course[grading]"'
#: What the student sees where nbgrader removed a solution (nbgrader's own words, without its raise:
#: the answer cell already sets ``answer_1_1 = None``; a lab's body keeps its own ``raise``).
CODE_STUB = "# YOUR CODE HERE"

_CHECK = re.compile(r"""lu\.exercises\.check\(\s*["']([^"']+)["']\s*,\s*(\w+)\s*\)""")


@dataclass(frozen=True)
class Task:
    """One graded question: an exercise (answer a value) or a coding lab (answer a function)."""

    kind: str  # "exercise" or "lab"
    id: str
    prompt: str  # the markdown cell that asks it
    variable: str  # what the student's cell defines: answer_1_1, or the lab's function name
    student: str  # the answer cell as the student gets it
    solution: str  # the lines that replace the student's placeholder in the solution version
    points: int

    @property
    def name(self) -> str:
        """A name nbgrader's grade ids and Otter's test files accept: ``count_one_gate``."""
        return re.sub(r"\W", "_", self.id)


# --- the verdict: what the hidden tests ask a fresh copy of lstm_utils ------------------------------

def verdict(kind: str, task_id: str, given: object) -> bool:
    """Whether ``given`` answers the task: an exercise's value, or a coding lab's function.

    Called by the hidden tests on a fresh copy of ``lstm_utils`` (:func:`hidden_test`), never through
    ``lu.exercises.check``. Never raises on a student's answer: anything unreadable is False.

    Examples
    --------
    >>> verdict("exercise", "count-2-to-3", "72"), verdict("exercise", "count-2-to-3", 73)
    (True, False)
    """
    if kind == "lab":
        return _lab_passes(task_id, given)
    exercise = get(task_id)
    if given is None or given is Ellipsis:
        return False
    try:
        value = exercise.normalise(given)
        return _plain(value) and exercise.agrees(value, exercise.answer()) is True
    except Exception:  # a student's object that fails to be read or compared is a wrong answer
        return False


def _plain(value: object) -> bool:
    """Whether an answer in normal form is built of Python's own types (a student's object whose
    ``__eq__`` says yes to everything is not): int, float (a Reading), bool, str, tuples of them."""
    if isinstance(value, tuple) and type(value) is tuple:
        return all(_plain(v) for v in value)
    return type(value) in (int, float, bool, str) or type(value).__name__ == "Reading"


def _labs() -> dict:
    """The coding labs (``lstm_utils.exercises.labs.LABS``), or {} while that module does not exist.

    This is the extension point for the labs: nothing else here depends on whether they exist.
    """
    if importlib.util.find_spec("lstm_utils.exercises.labs") is None:
        return {}
    return importlib.import_module("lstm_utils.exercises.labs").LABS


def _lab_passes(lab_id: str, fn: object) -> bool:
    """Whether ``fn`` gives the reference's outputs on every hidden case of the lab (float64)."""
    import numpy as np

    lab = _labs()[lab_id]
    if not callable(fn):
        return False
    for args in lab.cases(seed=0):
        expected = lab.reference(*copy.deepcopy(args))
        try:
            got = fn(*copy.deepcopy(args))
            got = got if isinstance(got, tuple) else (got,)
            if len(got) != len(expected):
                return False
            for g, e in zip(got, expected, strict=True):
                g = np.asarray(g, dtype=np.float64)  # a plain ndarray, whatever the student returned
                if g.shape != np.shape(e) or not np.allclose(g, e, rtol=1e-6, atol=1e-9):
                    return False
        except Exception:  # a student's function that raises fails the case
            return False
    return True


def hidden_test(task: Task) -> str:
    """The hidden test of a task, the same for both targets: assert a fresh copy's :func:`verdict`.

    The fresh copy: every ``lstm_utils`` module is set aside in ``sys.modules``, ``lstm_utils.grading``
    is imported anew (and with it the banks, the checker and the reference), asked, and the student's
    modules are put back.
    """
    return f'''\
def _fresh_verdict(kind, task_id, given):
    """The verdict of a fresh copy of lstm_utils, not of the one the notebook imported."""
    import importlib
    import sys
    ours = [name for name in sys.modules if name.split(".")[0] == "lstm_utils"]
    kept = {{name: sys.modules.pop(name) for name in ours}}
    try:
        return importlib.import_module("lstm_utils.grading").verdict(kind, task_id, given)
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] == "lstm_utils"]:
            del sys.modules[name]
        sys.modules.update(kept)


assert _fresh_verdict("{task.kind}", "{task.id}", {task.variable}) is True, "{task.id}: not right yet"'''


# --- reading the course's exercise notebooks ---------------------------------------------------------

def notebook_names() -> tuple[str, ...]:
    """The exercise notebooks that can be exported, in course order: the banks' and the labs'."""
    return tuple(sorted(COURSE_ORDER + ((LAB_NOTEBOOK,) if _labs() else ())))


def resolve_notebooks(spec: str) -> list[str]:
    """``"E1,E7"`` (or ``"1,7"``, ``"01_counting"``) -> the notebooks' names.

    Raises
    ------
    ValueError
        A name that is none of them: the message names it and the accepted ones.
    """
    names = notebook_names()
    by_number = {str(int(name[:2])): name for name in names}
    found = []
    for word in (w.strip() for w in spec.split(",")):
        number = re.fullmatch(r"[Ee]?0*(\d+)", word)
        name = by_number.get(number.group(1)) if number else (word if word in names else None)
        if name is None:
            labs = "" if _labs() else f" (E7, {LAB_NOTEBOOK}, once lstm_utils/exercises/labs.py exists)"
            raise ValueError(f"Unknown value for notebooks: {word!r}. Possible values are: "
                             f"{', '.join(f'E{int(n[:2])} ({n})' for n in names)}{labs}.")
        found.append(name)
    return found


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def read_notebook(notebook: str, exercises: set[str] | None = None, source: Path = SOURCE) -> list:
    """A course notebook as cells to keep (``("markdown"|"code", text)``) and :class:`Task` s.

    ``exercises``: keep only these ids; a ``##`` section left without its exercises is dropped.

    Raises
    ------
    ValueError
        An answer cell whose markdown cell before it does not name its id (a notebook out of step
        with its bank).
    """
    path = source / f"{notebook}.ipynb"
    if not path.is_file():
        raise ValueError(f"{path}: no such notebook; the exporter reads the course's notebooks from a "
                         "clone of the course (pass source= to read them elsewhere)")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sections: list[list] = [[]]
    for k, cell in enumerate(cells):
        text = _source(cell)
        if cell["cell_type"] == "markdown" and text.startswith("## "):
            sections.append([])
        match = _CHECK.search(text) if cell["cell_type"] == "code" else None
        if match is None:
            sections[-1].append((cell["cell_type"], text))
            continue
        prompt = sections[-1].pop() if sections[-1] and sections[-1][-1][0] == "markdown" else ("", "")
        if f"`{match.group(1)}`" not in prompt[1]:
            raise ValueError(f"{path}: cell {k} checks {match.group(1)!r}, but the markdown cell before it "
                             "does not name that id")
        sections[-1].append(_task(match.group(1), prompt[1], text))
    kept = []
    for section in sections:
        tasks = [item for item in section if isinstance(item, Task)]
        chosen = [item for item in section if not isinstance(item, Task) or exercises is None
                  or item.id in exercises]
        if tasks and not any(isinstance(item, Task) for item in chosen):
            continue
        kept += chosen
    return kept


def _task(task_id: str, prompt: str, cell: str) -> Task:
    """The task of an answer cell: an exercise (``answer = None``) or a coding lab (a function)."""
    if task_id.startswith(LAB_PREFIX):
        return _lab_task(task_id, prompt, cell)
    exercise = get(task_id, reveal=True)
    variable = "answer_" + exercise.number.replace(".", "_")
    value = exercise.expected
    value = float(value) if isinstance(value, float) else value  # a Reading as the float it is
    return Task("exercise", task_id, prompt, variable,
                student=f'{variable} = None  # your answer\nlu.exercises.check("{task_id}", {variable})',
                solution=f"{variable} = {value!r}", points=EXERCISE_POINTS)


def _lab_task(lab_id: str, prompt: str, cell: str) -> Task:
    """The task of a coding lab's cell: ``def fn(...):`` with a body to write, then ``check(id, fn)``.

    The student's body is the cell's own; the solution body calls the lab's reference (the course
    ships no other solution).
    """
    match = re.search(r"^def (\w+)\((.*?)\)[^:]*:\n", cell, flags=re.MULTILINE | re.DOTALL)
    if match is None or _labs().get(lab_id) is None:
        raise ValueError(f"coding lab {lab_id!r}: its cell must define a function (def name(...):) and "
                         "lstm_utils.exercises.labs.LABS must have the lab")
    args = ", ".join(a.split(":")[0].split("=")[0].strip() for a in match.group(2).split(",") if a.strip())
    solution = ("    from lstm_utils.exercises.labs import LABS\n"
                f'    return LABS["{lab_id}"].reference({args})')
    return Task("lab", lab_id, prompt, match.group(1), student=cell.rstrip(), solution=solution,
                points=LAB_POINTS)


# --- the two targets --------------------------------------------------------------------------------

def _markdown(text: str, **metadata) -> dict:
    return {"cell_type": "markdown", "metadata": metadata, "source": text}


def _code(text: str, **metadata) -> dict:
    return {"cell_type": "code", "metadata": metadata, "source": text, "outputs": [],
            "execution_count": None}


def _raw(text: str) -> dict:
    return {"cell_type": "raw", "metadata": {}, "source": text}


def _notebook(cells: list[dict]) -> dict:
    for k, cell in enumerate(cells):
        cell["id"] = f"cell-{k}"
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}}


def _with_solution(task: Task, begin: str, end: str) -> str:
    """The answer cell with its solution between the target's markers.

    An exercise: the placeholder line stays, the solution follows it; a lab: the solution goes at the
    top of the function's body, before the student's own body (which the solution's return skips).
    """
    if task.kind == "exercise":
        placeholder, check = task.student.split("\n", 1)
        return f"{placeholder}\n{begin}\n{task.solution}\n{end}\n{check}"
    head, _, body = task.student.partition(":\n")
    # a docstring stays first
    doc = re.match(r'(\s+(?:"""|\'\'\')[\s\S]*?(?:"""|\'\'\')\n)', body)
    doc_text = doc.group(1) if doc else ""
    return f"{head}:\n{doc_text}    {begin}\n{task.solution}\n    {end}\n{body[len(doc_text):]}"


def to_nbgrader(items: list) -> dict:
    """The nbgrader source notebook: answer cells as solution cells, one locked autograded test cell
    per task with its :func:`hidden_test` between ``### BEGIN/END HIDDEN TESTS``."""
    cells = []
    for item in items:
        if not isinstance(item, Task):
            cells.append(_markdown(item[1]) if item[0] == "markdown" else _code(item[1]))
            continue
        common = {"schema_version": 3, "task": False}
        cells.append(_markdown(item.prompt))
        cells.append(_code(_with_solution(item, "### BEGIN SOLUTION", "### END SOLUTION"), nbgrader={
            "grade": False, "solution": True, "locked": False, "grade_id": f"answer-{item.name}", **common}))
        test = (f"# Autograded ({item.points} point{'s' * (item.points > 1)}): {item.id}. A hidden test "
                "compares your answer with lstm_utils's own.\n"
                f"### BEGIN HIDDEN TESTS\n{hidden_test(item)}\n### END HIDDEN TESTS")
        cells.append(_code(test, nbgrader={"grade": True, "solution": False, "locked": True,
                                           "grade_id": f"test-{item.name}", "points": item.points, **common}))
    return _notebook(cells)


def to_otter(items: list, name: str) -> dict:
    """The Otter Assign master notebook: ``# ASSIGNMENT CONFIG`` and one question block per task, its
    solution and one hidden exception-based test (:func:`hidden_test` inside ``def test_...``)."""
    config = (f"# ASSIGNMENT CONFIG\nname: {name}\nrequirements: requirements.txt\nexport_cell: false\n"
              "solutions_pdf: false\ngenerate:\n  pdf: false\ntests:\n  ok_format: false\n")
    cells = [_raw(config)]
    for item in items:
        if not isinstance(item, Task):
            cells.append(_markdown(item[1]) if item[0] == "markdown" else _code(item[1]))
            continue
        test_body = "\n".join(("    " + line) if line else "" for line in hidden_test(item).splitlines())
        solution = (_with_solution(item, "# BEGIN SOLUTION", "# END SOLUTION") if item.kind == "lab" else
                    _with_solution(item, "# BEGIN SOLUTION NO PROMPT", "# END SOLUTION")
                    .replace(f"{item.variable} = None  # your answer",
                             f'""" # BEGIN PROMPT\n{item.variable} = None  # your answer\n""" # END PROMPT'))
        cells += [
            _raw(f"# BEGIN QUESTION\nname: {item.name}\npoints: {item.points}"),
            _markdown(item.prompt),
            _raw("# BEGIN SOLUTION"),
            _code(solution),
            _raw("# END SOLUTION"),
            _raw("# BEGIN TESTS"),
            _code(f'""" # BEGIN TEST CONFIG\nhidden: true\n""" # END TEST CONFIG\n'
                  f"def test_{item.name}({item.variable}):\n{test_body}"),
            _raw("# END TESTS"),
            _raw("# END QUESTION"),
        ]
    return _notebook(cells)


# --- export and build ---------------------------------------------------------------------------------

def export(target: str, notebooks: list[str], out: str | Path, *, exercises: set[str] | None = None,
           name: str = DEFAULT_NAME, source: Path = SOURCE) -> list[Path]:
    """Write the assignment for ``target`` ("nbgrader" or "otter") under ``out``; returns the files.

    Raises
    ------
    ValueError
        An unknown target, notebook or exercise id (the message names it and the accepted ones), or a
        selection that keeps no exercise.
    """
    if target not in TARGETS:
        raise ValueError(f"Unknown value for target: {target!r}. Possible values are: {TARGETS}.")
    out = Path(out)
    read = {notebook: read_notebook(notebook, exercises, source) for notebook in notebooks}
    found = {item.id for items in read.values() for item in items if isinstance(item, Task)}
    if exercises is not None and (missing := sorted(exercises - found)):
        raise ValueError(f"exercises {missing} are not in the notebooks {notebooks}")
    if not found:
        raise ValueError(f"no exercise to grade in {notebooks}")
    written = []
    if target == "nbgrader":
        written.append(_write(out / "nbgrader_config.py",
                              "# nbgrader's settings for this course directory (lstm-params grading export)\n"
                              "c = get_config()  # noqa: F821\n"
                              f"c.CourseDirectory.root = '.'\n"
                              f"c.ClearSolutions.code_stub = {{'python': {CODE_STUB!r}}}\n"))
        for notebook, items in read.items():
            written.append(_write(out / "source" / name / f"{notebook}.ipynb", to_nbgrader(items)))
        return written
    for notebook, items in read.items():
        folder = out / notebook
        written.append(_write(folder / "requirements.txt", _requirements()))
        written.append(_write(folder / f"{notebook}.ipynb", to_otter(items, notebook)))
    return written


def _requirements() -> str:
    """The autograder's requirements (Gradescope installs them): the course package and its NumPy."""
    from importlib.metadata import version

    return ("# What the autograder needs beyond Otter: the course package (which grades) and NumPy.\n"
            "# Replace the next line by where your students' lstm-course comes from (a wheel built with\n"
            "# `pip wheel --no-deps .`, listed under files: in the ASSIGNMENT CONFIG, or a git URL).\n"
            "# lstm-course\n"
            f"numpy=={version('numpy')}\n")


def _write(path: Path, content: str | dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else json.dumps(content, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def require(tool: str) -> None:
    """Raise ImportError naming the install command if ``tool`` ("nbgrader" or "otter") is missing."""
    if importlib.util.find_spec(tool) is None:
        raise ImportError(f"{tool} is not installed; class grading needs it: {INSTALL}", name=tool)


def build(target: str, out: str | Path, name: str = DEFAULT_NAME,
          notebooks: list[str] | None = None) -> list[list[str]]:
    """Run the tool on an export: ``nbgrader generate_assignment``, or ``otter assign`` on each of
    ``notebooks`` (default: every master notebook under ``out``).

    Returns the commands run. Raises ImportError (naming ``pip install "lstm-course[grading]"``) if
    the tool is missing, ``subprocess.CalledProcessError`` if it fails.
    """
    out = Path(out)
    require("nbgrader" if target == "nbgrader" else "otter")
    if target == "nbgrader":
        commands = [[sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force"]]
        cwd = [out]
    else:
        masters = sorted(p for p in out.glob("*/*.ipynb") if p.stem == p.parent.name
                         and (notebooks is None or p.stem in notebooks))
        commands = [[sys.executable, "-m", "otter", "assign", p.name, "dist"] for p in masters]
        cwd = [p.parent for p in masters]
    for command, folder in zip(commands, cwd, strict=True):
        subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True, env=tool_env())
    return commands


def tool_env() -> dict[str, str]:
    """The environment to run nbgrader and Otter in: this Python's scripts first on PATH (nbgrader
    calls ``alembic`` by name, also when the virtual environment is not activated)."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
