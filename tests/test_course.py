"""The reading path: one order, prerequisites before the notebooks that need them, one time method,
plans that contain what their notebooks need, slides short enough to present, checks out of the lesson.

book/course.py is the one definition of the rules; these tests hold the course map (00_start_here), the
README's plans, the site's table of contents and the notebooks to it.
"""

from __future__ import annotations

import fnmatch
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book"))
import course  # noqa: E402

NOTEBOOKS = course.course_notebooks()
LESSONS = [p for p in NOTEBOOKS if course.key(p)[0] != "E"]
KEYS = [course.key(p) for p in NOTEBOOKS]
# The learning part: its lesson cells carry no assert (the checks sit in hidden check cells) and each
# notebook is a slide deck.
LEARNING_PART = ["16", "17", "18", "19", "20", "22"]
DECKS = ["01", "02", "03", "04", "05", *LEARNING_PART]


def _by_key(k: str) -> Path:
    return NOTEBOOKS[KEYS.index(k)]


def _markdown(path: Path) -> str:
    return "\n\n".join(course.source(c) for c in course.cells(path) if c["cell_type"] == "markdown")


def _course_map() -> list[tuple[str, int]]:
    """(number, minutes) of each row of the course map in 00_start_here, in the map's order."""
    text = _markdown(ROOT / "notebooks" / "00_start_here.ipynb")
    return [(m[1], int(m[2])) for m in
            re.finditer(r"^\| (\d\d) \| \[.+\]\(.+\.ipynb\) \|.*\| (\d+) min \|$", text, flags=re.M)]


def _readme_plans() -> tuple[list[str], list[tuple[str, int, list[str]]], str]:
    """The plan names, the rows (number, minutes, one cell per plan) and the teaching section's text."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- teaching:start -->"):readme.index("<!-- teaching:end -->")]
    plans = [p.strip() for p in re.search(r"^\| # \| notebook \| time \|(.+)\|$", section, flags=re.M)[1]
             .split("|")]
    rows = [(number, int(minutes), [t.strip() for t in ticks.split("|")]) for number, minutes, ticks in
            re.findall(r"^\| (\d\d|E\d) \| [^|]+ \| (\d+) min \|(.*)\|$", section, flags=re.M)]
    return plans, rows, section


def _plan_minutes(cell: str, full: int) -> int:
    """A plan's cell: "✓" (the whole notebook), "N min" (the part the plan names), or empty."""
    if cell == "✓":
        return full
    if not cell:
        return 0
    match = re.fullmatch(r"(\d+) min", cell)
    assert match, f"a plan cell must be '✓', 'N min' or empty, not {cell!r}"
    return int(match[1])


def _toc_order() -> list[str]:
    """The notebooks in the order the site's sidebar lists them (book/_toc.yml's globs, expanded)."""
    toc = yaml.safe_load((ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    names = sorted(p.relative_to(ROOT).with_suffix("").as_posix() for p in NOTEBOOKS)
    order = [toc["root"]]
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            if "glob" in chapter:
                order += [n for n in names if fnmatch.fnmatch(n, chapter["glob"])]
    return [course.key(ROOT / f"{n}.ipynb") for n in order]


# ---- the rules' own definitions ------------------------------------------------------------------

def test_prose_words_counts_a_formula_as_one_word_and_a_link_as_its_text():
    text = "The gate $f_t = \\sigma(W_f x_t + U_f h_{t-1} + b_f)$ is in [notebook 01](01_x.ipynb)."
    assert course.prose_words(text) == 7
    assert course.prose_words("$$c_t = f_t \\odot c_{t-1}$$ <b>bold</b> word") == 3


def test_prerequisites_reject_a_notebook_named_without_a_link(tmp_path):
    lines = ["# 99 · x\n", "\n", "*Prerequisites:* notebooks 01 and [04](04_a.ipynb).\n"]
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": lines}]}
    path = tmp_path / "99_x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ValueError, match=r"\['01'\] without a link"):
        course.prerequisites(path)
    nb["cells"][0]["source"][2] = "*Prerequisites:* [01](01_a.ipynb), [04](04_a.ipynb); the chain rule.\n"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert course.prerequisites(path) == ["01", "04"]


def test_slides_split_at_slide_and_subslide_and_skip_checks(tmp_path):
    def md(text, kind=None):
        meta = {"slideshow": {"slide_type": kind}} if kind else {}
        return {"cell_type": "markdown", "metadata": meta, "source": [text]}

    check = {"cell_type": "code", "metadata": {"tags": [course.CHECK_TAG]}, "source": ["# Check: x\n"],
             "outputs": [], "execution_count": 1}
    cells = [md("one two", "slide"), md("three"), check, md("four five six", "subslide"),
             md("hidden words here", "skip")]
    path = tmp_path / "99_x.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert course.slides(path) == [{"cell": 0, "words": 3}, {"cell": 3, "words": 3}]


# ---- one reading order -------------------------------------------------------------------------------

def test_every_notebook_states_its_prerequisites_on_one_machine_readable_line():
    for path in NOTEBOOKS:
        course.prerequisites(path)  # raises with the notebook's name and what is wrong


@pytest.mark.parametrize("path", NOTEBOOKS, ids=KEYS)
def test_prerequisites_come_before_the_notebook(path):
    own = course.key(path)
    for needed in course.prerequisites(path):
        assert needed in KEYS, f"{own} names {needed}, which is not a course notebook"
        assert needed[0] != "E", f"{own}: an exercise notebook is no prerequisite ({needed})"
        if own[0] != "E":
            assert KEYS.index(needed) < KEYS.index(own), f"{own} needs {needed}, which comes later"


def test_map_readme_and_site_list_the_notebooks_in_one_order():
    lesson_keys = [course.key(p) for p in LESSONS]
    assert [number for number, _ in _course_map()] == lesson_keys, "00's course map: other notebooks or order"
    _, rows, _ = _readme_plans()
    assert [number for number, _, _ in rows] == KEYS, "README's reading-order table: other notebooks or order"
    assert _toc_order() == KEYS, "book/_toc.yml lists the notebooks in another order"


# ---- honest times, one method ---------------------------------------------------------------------

def test_course_map_and_readme_give_every_notebook_the_method_s_time():
    method = {course.key(p): course.minutes(p) for p in NOTEBOOKS}
    stale = {n: (m, method[n]) for n, m in _course_map() if m != method[n]}
    assert not stale, f"course map (stated, method): {stale}; `python book/course.py times` prints the table"
    _, rows, _ = _readme_plans()
    stale = {n: (m, method[n]) for n, m, _ in rows if m != method[n]}
    assert not stale, f"README table (stated, method): {stale}; `python book/course.py times` prints them"


def test_plans_add_up_and_contain_their_notebooks_prerequisites():
    plans, rows, section = _readme_plans()
    assert rows and all(len(cells) == len(plans) for _, _, cells in rows), "a row has too few or many plans"
    totals = [int(t) for t in re.findall(r"\*\*(\d+) min\*\*", section)]
    sums = [sum(_plan_minutes(cells[i], minutes) for _, minutes, cells in rows) for i in range(len(plans))]
    assert totals == sums, f"plan totals {totals} but the rows add up to {sums}"
    bullet = r"^\* \*\*([^*(]+)\((\d+) min[^*]*\*\*(.*?)(?=^\* \*\*|^#|\Z)"
    bullets = re.findall(bullet, section, flags=re.M | re.S)
    assert [int(m) for _, m, _ in bullets] == sums, "the plans' descriptions quote other totals"
    assert sums[0] <= 90, "the lecture plan must fit in 90 minutes"
    for i, plan in enumerate(plans):
        taken = {number: cells[i] for number, _, cells in rows if cells[i]}
        description = bullets[i][2]
        for number, cell in taken.items():
            if cell != "✓":  # a part of the notebook: the plan's description must say which part
                assert re.search(rf"\b{number}\b", description), \
                    f"plan {plan!r} takes {cell} of {number} but its description does not say what to read"
                if i == 0:  # the lecture: the minutes are presenting time, the lecturer's call
                    continue
                named = re.search(rf"\b{number} sections? (\d+(?:(?:, | and )\d+\b(?! sections?\b))*)",
                                  " ".join(description.split()))
                assert named, f"plan {plan!r}: name the sections of {number} it takes ('sections 1 and 2')"
                parts = re.findall(r"\d+", named[1])
                expected = course.section_minutes(_by_key(number), parts)
                assert _plan_minutes(cell, 0) == expected, \
                    f"plan {plan!r}: {number} sections {parts} take {expected} min by the method, not {cell}"
                continue
            missing = [p for p in course.prerequisites(_by_key(number)) if p not in taken]
            assert not missing, f"plan {plan!r} contains {number} without its prerequisites {missing}"


# ---- slides and check cells -----------------------------------------------------------------------

def test_sections_run_from_a_numbered_heading_to_the_next_heading(tmp_path):
    md = [{"cell_type": "markdown", "metadata": {}, "source": [text]} for text in
          ("# Title", "## 1. One", "more of one", "## Matrix facts", "## 2 · Two", "## Summary")]
    path = tmp_path / "99_x.ipynb"
    path.write_text(json.dumps({"cells": md}), encoding="utf-8")
    assert course.sections(path) == {"set-up": [0], "1": [1, 2], "2": [4]}
    assert course.section_minutes(path, ["1"]) == 5
    with pytest.raises(ValueError, match="no section"):
        course.section_minutes(path, ["3"])


@pytest.mark.parametrize("number", DECKS)
def test_every_deck_has_short_slides(number):
    deck = course.slides(_by_key(number))
    assert len(deck) >= 5, f"{number} has no slide deck (slide metadata)"
    long = [(s["cell"], s["words"]) for s in deck if s["words"] > course.SLIDE_WORD_LIMIT]
    assert not long, f"{number}: slides (first cell, words) over {course.SLIDE_WORD_LIMIT} words: {long}"


@pytest.mark.parametrize("path", LESSONS, ids=[course.key(p) for p in LESSONS])
def test_check_cells_are_hidden_silent_and_say_what_they_check(path):
    for index, cell in enumerate(course.cells(path)):
        if not course.is_check(cell):
            continue
        where = f"{path.name} cell {index}"
        assert course.source(cell).startswith("# Check:"), f"{where}: a check cell starts with '# Check:'"
        assert cell["metadata"].get("slideshow", {}).get("slide_type") == "skip", \
            f"{where}: a check cell is skipped in the slides (slide_type 'skip')"
        assert not cell.get("outputs"), f"{where}: a check cell prints nothing (the prose may not rely on it)"


@pytest.mark.parametrize("number", LEARNING_PART)
def test_learning_part_lesson_cells_carry_no_assert(number):
    path = _by_key(number)
    scaffolding = [i for i, c in enumerate(course.cells(path)) if c["cell_type"] == "code"
                   and not course.is_check(c) and re.search(r"^\s*assert\b", course.source(c), flags=re.M)]
    assert not scaffolding, f"{path.name}: asserts in lesson cells {scaffolding}; move them to a check cell"
    assert any(course.is_check(c) for c in course.cells(path)), f"{path.name} has no check cell"
