"""The course's reading path, read from the notebooks themselves: order, prerequisites, times, slides.

    python book/course.py times            # the time of every notebook by the course's one method
    python book/course.py slides [NB ...]  # the slide decks: slides, longest slide, slides over the limit
    python book/course.py prerequisites    # each notebook's prerequisites, as its first cell states them

One fact, one place: a notebook's prerequisites are the notebook links on its ``*Prerequisites:*`` line;
its time is computed from its own prose, code and stored run time by :func:`minutes`; the order is the
order of the file names (which the site's table of contents globs and the course map in 00 list).
``tests/test_course.py`` checks that the course map, the README's plans, the site's order and these agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = NOTEBOOKS / "exercises"

# The time method (README, "Reading order and times"): prose read at WORDS_PER_MINUTE, CELL_MINUTES for
# every lesson code cell (read the code, run it, compare its output with the prose), the run time the
# stored notebook recorded, and, in an exercise notebook, the minutes lu.exercises.catalogue estimates
# for its exercises (their answer cells are in those minutes, not counted again); rounded up to 5 min.
WORDS_PER_MINUTE = 70
CELL_MINUTES = 1.0
ROUND_TO = 5

# A code cell with this tag is a check: it asserts what the prose quotes; the website and the slides
# hide it (Jupyter Book honours the tag; book/build.py removes it from the decks), nbval runs it.
CHECK_TAG = "remove-cell"
SLIDE_WORD_LIMIT = 120
PREREQUISITES = "*Prerequisites:*"


def course_notebooks() -> list[Path]:
    """The numbered notebooks, then the exercise notebooks, in reading order (file-name order)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb"))


def key(path: Path) -> str:
    """The course's short name of a notebook: "07" for notebooks/07_*, "E4" for exercises/04_*."""
    path = Path(path).resolve()
    if path.parent == EXERCISES.resolve():
        return "solutions" if path.stem == "solutions" else f"E{int(path.name[:2])}"
    return path.name[:2]


def cells(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def is_check(cell: dict) -> bool:
    """True for a check cell: code tagged CHECK_TAG (hidden on the website and in the slides)."""
    return cell["cell_type"] == "code" and CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def is_exercise(cell: dict) -> bool:
    """True for an exercise's answer cell (it calls lu.exercises.check)."""
    return cell["cell_type"] == "code" and "exercises.check(" in source(cell)


_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", flags=re.S)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def prose_words(markdown: str) -> int:
    """Words a reader reads in a markdown cell: a formula counts as one word, a link as its text."""
    text = _MATH.sub(" formula ", markdown)
    text = _LINK.sub(r" \1 ", text)
    text = _TAG.sub(" ", text)
    return len(_WORD.findall(text))


def _seconds(cell: dict) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = dt.datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = dt.datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except KeyError:
        return 0.0
    return max((end - start).total_seconds(), 0.0)


def _raw_minutes(chosen: list[dict]) -> tuple[int, int, float, float]:
    """Words, lesson code cells, run seconds and raw minutes of some cells (no exercise minutes)."""
    words = sum(prose_words(source(c)) for c in chosen if c["cell_type"] == "markdown")
    lesson = [c for c in chosen if c["cell_type"] == "code" and not is_check(c) and not is_exercise(c)]
    run = sum(_seconds(c) for c in chosen)
    return words, len(lesson), run, words / WORDS_PER_MINUTE + CELL_MINUTES * len(lesson) + run / 60


def _rounded(raw: float) -> int:
    return ROUND_TO * math.ceil(raw / ROUND_TO - 1e-9)


def time_parts(path: Path) -> dict[str, float]:
    """The inputs of the time method for one notebook, and the minutes they give."""
    all_cells = cells(path)
    words, lesson, run, raw = _raw_minutes(all_cells)
    exercise_minutes = 0
    if Path(path).resolve().parent == EXERCISES.resolve():
        sys.path.insert(0, str(ROOT))
        from lstm_utils import exercises

        exercise_minutes = exercises.catalogue(Path(path).stem).total_minutes
    raw += exercise_minutes
    return {"words": words, "lesson_cells": lesson, "checks": sum(map(is_check, all_cells)),
            "run_s": run, "exercise_min": exercise_minutes, "raw_min": raw, "minutes": _rounded(raw)}


_SECTION = re.compile(r"^## (\d+)\s*[.·]", flags=re.M)


def sections(path: Path) -> dict[str, list[int]]:
    """The numbered sections of a notebook: {"3": [indices of its cells], ...}; "set-up" holds the cells
    before the first "## " heading (title, prerequisites, the set-up cell). A section runs from its
    "## N." (or "## N ·") heading to the next "## " heading."""
    found: dict[str, list[int]] = {"set-up": []}
    current = "set-up"
    for index, cell in enumerate(cells(path)):
        if cell["cell_type"] == "markdown" and re.search(r"^## ", source(cell), flags=re.M):
            numbered = _SECTION.search(source(cell))
            current = numbered[1] if numbered else None
            if current:
                found[current] = []
        if current:
            found[current].append(index)
    return found


def section_minutes(path: Path, numbers: list[str]) -> int:
    """The time method applied to a part of a notebook: its set-up cells and the sections named."""
    table = sections(path)
    unknown = [n for n in numbers if n not in table or n == "set-up"]
    if unknown:
        raise ValueError(f"{Path(path).name}: no section {unknown}; it has {sorted(set(table) - {'set-up'})}")
    all_cells = cells(path)
    chosen = [all_cells[i] for n in ["set-up", *numbers] for i in table[n]]
    return _rounded(_raw_minutes(chosen)[3])


def minutes(path: Path) -> int:
    """A first-time learner's time for one notebook by the course's one method (see time_parts)."""
    return int(time_parts(path)["minutes"])


_PREREQ_LINK = re.compile(r"\[[^\]]*\]\(((?:\.\./)?\d\d_[\w-]+\.ipynb)(?:#[^)]*)?\)")


def prerequisites(path: Path) -> list[str]:
    """The notebooks a notebook names on its one ``*Prerequisites:*`` line, as keys ("01", "E4").

    The line is the first line of the notebook's markdown that starts with ``*Prerequisites:*``; every
    notebook on it is a link (``[07 · PyTorch nn.LSTM](07_pytorch_lstm.ipynb)``), and a two-digit number
    outside a link is an error (a prerequisite named but not machine-readable).
    """
    for cell in cells(path):
        if cell["cell_type"] != "markdown":
            continue
        for line in source(cell).splitlines():
            if line.startswith(PREREQUISITES):
                outside = _PREREQ_LINK.sub(" ", line)
                outside = re.sub(r"\[[^\]]*\]\([^)]*\)", " ", outside)
                stray = re.findall(r"(?<![\d.×,])\b\d\d\b(?![\d.,])", _MATH.sub(" ", outside))
                if stray:
                    raise ValueError(f"{Path(path).name}: the prerequisites line names {stray} without a "
                                     f"link; write each prerequisite as [NN · title](NN_name.ipynb)")
                return [key(Path(path).parent / target) for target in _PREREQ_LINK.findall(line)]
    raise ValueError(f"{Path(path).name}: no line starting with {PREREQUISITES!r}")


def slides(path: Path) -> list[dict]:
    """The slides of a notebook's deck: [{"cell": index of its first cell, "words": prose words}, ...].

    A cell whose slide_type is "slide" or "subslide" starts a slide; "fragment", "-" and no type continue
    it; "skip" and "notes" cells and check cells are not shown. Words are the prose words of the slide's
    markdown (code is shown as code and not counted). No slide metadata: no deck, an empty list.
    """
    deck: list[dict] = []
    for index, cell in enumerate(cells(path)):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
        if kind in ("slide", "subslide"):
            deck.append({"cell": index, "words": 0})
        if kind in ("skip", "notes") or is_check(cell) or not deck:
            continue
        if cell["cell_type"] == "markdown":
            deck[-1]["words"] += prose_words(source(cell))
    return deck


def _times() -> None:
    columns = ("words", "cells", "checks", "run s", "ex min", "raw", "time")
    print(f"{'#':<4} " + " ".join(f"{c:>6}" for c in columns))
    for path in course_notebooks():
        p = time_parts(path)
        print(f"{key(path):<4} {p['words']:>6} {p['lesson_cells']:>6} {p['checks']:>6} {p['run_s']:>6.0f} "
              f"{p['exercise_min']:>6} {p['raw_min']:>6.1f} {p['minutes']:>4} min")


def _slides(paths: list[Path]) -> None:
    for path in paths or course_notebooks():
        deck = slides(path)
        if deck:
            longest = max(deck, key=lambda s: s["words"])
            over = [s["cell"] for s in deck if s["words"] > SLIDE_WORD_LIMIT]
            print(f"{key(path)}: {len(deck)} slides, longest {longest['words']} words "
                  f"(cell {longest['cell']}); over {SLIDE_WORD_LIMIT}: {over or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["times", "slides", "prerequisites"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.what == "times":
        _times()
    elif args.what == "slides":
        _slides(args.notebooks)
    else:
        for path in args.notebooks or course_notebooks():
            try:
                print(f"{key(path)}: {', '.join(prerequisites(path)) or '-'}")
            except ValueError as exc:
                print(f"{key(path)}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
