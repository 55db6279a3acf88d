"""No notebook gives an exercise's answer away: Check-yourself answers are collapsed, and no visible output
(or lesson prose) prints the answer of an exercise in lu.exercises' registry.

Each lesson notebook ends with a "## Check yourself" section: questions, then a code cell that prints the
answers (and, in the learning part, a hidden ``# Check:`` cell that asserts them). Several exercises ask the
same questions, so an answer cell is shown collapsed everywhere a learner meets it:

* JupyterLab and Notebook 7 collapse the cell's input and output: ``"jupyter": {"source_hidden": true,
  "outputs_hidden": true}`` and ``"collapsed": true`` (JupyterLab keeps the last two in step when it saves);
* the website (Jupyter Book 1, MyST-NB) puts the whole cell behind a "Show the answers" toggle: the tag
  ``hide-cell`` and the prompt in ``"mystnb": {"code_prompt_show": ...}``; the source is hidden too,
  because its asserts spell the answers out;
* a slide deck (book/build.py) shows the cell as a fragment or on a slide of its own, after the questions.

A markdown cell of the section other than the questions (notebook 16 words its answers out) is wrapped in
``<details>``, which JupyterLab, the website and the decks all show closed.

The leak scan enumerates the exercises through the registry (``lu.exercises.catalogue()``), so exercises
added later are covered: a count answer of 1,000 or more is distinctive enough to search for, written with
or without thousands separators; shapes, small numbers, words and powers of two (layer sizes such as
1,024 = 4 × 256 appear as dimensions everywhere) are not searched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import lstm_utils as lu

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NUMBERED = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
LESSONS = [p for p in NUMBERED if p.name[:2] != "00"]            # 01 … 21; 00 is the course map
EXERCISE_NOTEBOOKS = sorted((NOTEBOOKS / "exercises").glob("[0-9][0-9]_*.ipynb"))  # not solutions.ipynb

CHECK_TAG = "remove-cell"          # book/course.py's check cells: removed from the site and the decks
ANSWER_TAG = "hide-cell"           # MyST-NB: the whole cell behind a toggle
ANSWER_METADATA = {"collapsed": True, "jupyter": {"source_hidden": True, "outputs_hidden": True},
                   "mystnb": {"code_prompt_show": "Show the answers", "code_prompt_hide": "Hide the answers"}}
AFTER_THE_QUESTIONS = {"fragment", "subslide", "slide", "skip"}  # slide types that do not show a cell at once
HEADING = re.compile(r"^## Check yourself\b", flags=re.M)
NEXT_HEADING = re.compile(r"^## ", flags=re.M)
DETAILS = re.compile(r"^\s*<details>.*</details>\s*$", flags=re.S)
SMALLEST = 1000

# Answers a lesson teaches on purpose, which an exercise asks the learner to recall: (value, notebooks where
# the value may be printed, None for every notebook, why). Computed from the package, not typed in.
TAUGHT = (
    (lu.count_params(100, 256), None,
     "the source material's question 100 -> 256, worked in 04, the reference count of the later notebooks"),
    (lu.count_params(100, 256, framework="pytorch", proj_size=64), {"10", "12"},
     "10's worked proj_size example, which 12's explorer sets again"),
    (lu.count_params(64, 32, framework="pytorch"), {"02"},
     "02's table row nn.LSTM(64, 32), which happens to equal another exercise's answer"),
)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def check_yourself(cells: list[dict]) -> tuple[int | None, list[int]]:
    """The index of the "## Check yourself" heading's cell, and those of the cells up to the next heading."""
    headings = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and HEADING.search(_source(c))]
    start = headings[0] if headings else None
    if start is None:
        return None, []
    section = []
    for i in range(start + 1, len(cells)):
        if cells[i]["cell_type"] == "markdown" and NEXT_HEADING.search(_source(cells[i])):
            break
        section.append(i)
    return start, section


def answer_cells(cells: list[dict]) -> list[int]:
    """The Check-yourself cells that print answers: code cells of the section that are neither check cells nor
    cells whose output varies (``# NBVAL_IGNORE_OUTPUT``: the notebook's run time)."""
    return [i for i in check_yourself(cells)[1] if cells[i]["cell_type"] == "code" and
            CHECK_TAG not in _tags(cells[i]) and not _source(cells[i]).startswith("# NBVAL_IGNORE_OUTPUT")]


def _has(metadata: dict, wanted: dict) -> bool:
    return all(_has(metadata.get(k, {}), v) if isinstance(v, dict) else metadata.get(k) == v
               for k, v in wanted.items())


def collapse_problems(cells: list[dict]) -> list[str]:
    """What keeps a notebook's Check-yourself answers from being collapsed, one line per cell."""
    start, section = check_yourself(cells)
    if start is None:
        return ["no '## Check yourself' section"]
    answers = answer_cells(cells)
    if not answers:
        return [f"cell {start}: the Check-yourself section has no answer cell"]
    deck = any(c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in cells)
    found = []
    for i in answers:
        metadata = cells[i].get("metadata", {})
        if ANSWER_TAG not in _tags(cells[i]):
            found.append(f"cell {i}: tag {ANSWER_TAG!r} missing (the website's toggle)")
        if not _has(metadata, ANSWER_METADATA):
            found.append(f"cell {i}: metadata must include {json.dumps(ANSWER_METADATA)}")
        slide_type = metadata.get("slideshow", {}).get("slide_type", "-")
        if deck and slide_type not in AFTER_THE_QUESTIONS:
            found.append(f"cell {i}: slide_type {slide_type!r} shows the answers with the questions; use "
                         f"one of {sorted(AFTER_THE_QUESTIONS)}")
    for i in section:
        if cells[i]["cell_type"] == "markdown" and not DETAILS.match(_source(cells[i])):
            found.append(f"cell {i}: markdown after the questions must be wrapped in <details>...</details>")
    return found


def is_hidden(cell: dict) -> bool:
    """True for a cell whose output no reader sees without a click: removed, or collapsed and toggled."""
    tags, metadata = _tags(cell), cell.get("metadata", {})
    if {CHECK_TAG, "remove-output", "remove_output"} & set(tags):
        return True
    toggled = bool({"hide-cell", "hide-output"} & set(tags))
    return toggled and _has(metadata, {"jupyter": {"outputs_hidden": True}})


def visible_text(path: Path, prose: bool) -> list[tuple[str, str]]:
    """(where, text) of every output a reader sees at once, and, with ``prose``, of every markdown cell."""
    found = []
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "code" and not is_hidden(cell):
            for output in cell.get("outputs", []):
                texts = [output.get("text", "")] + [v for k, v in output.get("data", {}).items()
                                                    if k.startswith("text/")]
                found += [(f"cell {i} output", "".join(t) if isinstance(t, list) else t) for t in texts]
        elif cell["cell_type"] == "markdown" and prose and not DETAILS.match(_source(cell)):
            found.append((f"cell {i} prose", _source(cell)))
    return found


def written(value: int) -> re.Pattern:
    """``value`` as a notebook may print it: 365568, 365,568, 365_568, 365 568 (or thin spaces), 365{,}568."""
    forms = {str(value), f"{value:,}", f"{value:_}", f"{value:,}".replace(",", " "),
             f"{value:,}".replace(",", "\u202f"), f"{value:,}".replace(",", "{,}")}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    before = r"(?<![\d.,_])(?<!\d\{,\})"  # not the end of a longer number: 1,366,336 or 1{,}366{,}336
    after = r"(?![\d_]|[.,]\d|\{,\}\d)"   # nor its start: 366,3361 or 366,336.5
    return re.compile(f"{before}(?:{alternatives}){after}")


def distinctive_answers() -> dict[int, list[str]]:
    """Count answers of SMALLEST or more, not powers of two: {value: ["6.4 variant-v-100-256", ...]}."""
    answers: dict[int, list[str]] = {}
    for entry in lu.exercises.catalogue():
        exercise = lu.exercises.get(entry.id, reveal=True)
        if exercise.kind != "count":
            continue
        value = int(exercise.expected)
        if value >= SMALLEST and value & (value - 1):
            answers.setdefault(value, []).append(f"{exercise.number} {exercise.id}")
    return answers


def _taught(value: int, notebook: str) -> bool:
    return any(value == v and (where is None or notebook in where) for v, where, _ in TAUGHT)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def leaks(paths: list[Path], prose: bool, answers: dict[int, list[str]]) -> list[str]:
    found = []
    for path in paths:
        texts = visible_text(path, prose)
        for value, exercises in answers.items():
            if _taught(value, path.name[:2]) and path.parent == NOTEBOOKS:
                continue
            pattern = written(value)
            for where, text in texts:
                if match := pattern.search(text):
                    found.append(f"{_name(path)} {where}: {match[0]!r}, the answer of exercise "
                                 f"{' and '.join(exercises)}")
    return found


# ---- the rules on small notebooks: each can fail --------------------------------------------------------

def _md(text: str, **metadata) -> dict:
    return {"cell_type": "markdown", "metadata": metadata, "source": [text]}


def _code(text: str, output: str = "", **metadata) -> dict:
    outputs = [{"output_type": "stream", "name": "stdout", "text": [output]}] if output else []
    return {"cell_type": "code", "metadata": metadata, "source": [text], "outputs": outputs,
            "execution_count": 1}


def _collapsed(**more) -> dict:
    return {"tags": [ANSWER_TAG], **json.loads(json.dumps(ANSWER_METADATA)), **more}


def test_an_answer_cell_needs_the_collapse_metadata_the_tag_and_a_later_slide():
    questions = _md("## Check yourself\n\n1. How many?", slideshow={"slide_type": "slide"})
    check = _code("# Check: x\nassert a == 1", tags=[CHECK_TAG])
    run_time = _code("# NBVAL_IGNORE_OUTPUT\nprint(t)", "3 s")
    good = [questions, _code("print(a)", "1. 365,568", **_collapsed(slideshow={"slide_type": "fragment"})),
            check, run_time, _md("## Summary")]
    assert answer_cells(good) == [1] and collapse_problems(good) == []
    bare = [questions, _code("print(a)", "1. 365,568"), check, _md("## Summary")]
    assert [p.split(":")[0] for p in collapse_problems(bare)] == ["cell 1"] * 3
    same_slide = [questions, _code("print(a)", "1", **_collapsed()), _md("## Summary")]
    assert collapse_problems(same_slide) == [
        "cell 1: slide_type '-' shows the answers with the questions; use one of "
        "['fragment', 'skip', 'slide', 'subslide']"]
    spelled_out = [*good[:2], _md("Answers: (1) 365,568."), _md("## Summary")]
    assert collapse_problems(spelled_out) == ["cell 2: markdown after the questions must be wrapped in "
                                              "<details>...</details>"]
    spelled_out[2] = _md("<details>\n<summary>Answers</summary>\n\n(1) 365,568.\n\n</details>")
    assert collapse_problems(spelled_out) == []
    assert collapse_problems([_md("# Title")]) == ["no '## Check yourself' section"]


def test_an_answer_is_found_in_any_of_its_written_forms_and_not_inside_other_numbers():
    pattern = written(366336)
    for text in ("V 366,336", "366336 parameters", "= 366_336", "$366{,}336$", "366 336", "(366,336)."):
        assert pattern.search(text), text
    for text in ("1,366,336", "366,3361", "366,336.5", "7366336", "3,366{,}336"):
        assert not pattern.search(text), text


def test_a_printed_answer_is_a_leak_unless_collapsed(tmp_path):
    value = max(distinctive_answers())
    cells = [_md("# 99"), _code("print(x)", f"total {value:,}"), _md("## Check yourself\n\n1. ?"),
             _code("print(a)", f"1. {value}", **_collapsed())]
    path = tmp_path / "99_x.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    answers = {value: ["9.9 an-exercise"]}
    assert leaks([path], True, answers) == [
        f"99_x.ipynb cell 1 output: '{value:,}', the answer of exercise 9.9 an-exercise"]
    cells[1] = _code("print(x)", f"total {value:,}", tags=[CHECK_TAG])
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert leaks([path], True, answers) == []


# ---- the course ---------------------------------------------------------------------------------------

def test_the_registry_has_answers_to_search_for():
    answers = distinctive_answers()
    assert len(answers) >= 10, answers          # the banks have many count exercises of 1,000 or more


@pytest.mark.parametrize("path", LESSONS, ids=[p.name[:2] for p in LESSONS])
def test_check_yourself_answers_are_collapsed(path):
    problems = collapse_problems(_cells(path))
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_no_visible_output_or_lesson_prose_prints_an_exercise_answer():
    answers = distinctive_answers()
    found = leaks(NUMBERED, True, answers) + leaks(EXERCISE_NOTEBOOKS, False, answers)
    assert not found, "exercise answers a reader sees without a click:\n" + "\n".join(found)
