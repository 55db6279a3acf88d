"""The Chinese edition (book/i18n.py): one translation source, everything else generated and current.

* every message of every catalogue (book/locales/zh_CN/LC_MESSAGES) is translated, not fuzzy, and keeps
  its math, inline code, link targets, numbers and placeholders, in the glossary's terms;
* the catalogues are current: Sphinx's extraction of today's English gives exactly their messages;
* notebooks_zh/ and README.zh-CN.md are current (regenerating gives the same bytes), and a Chinese
  notebook's code cells, outputs and metadata are the English notebook's;
* the Chinese table of contents mirrors the English one; the glossary is consistent and 00 shows it;
* the exercises speak Chinese in the Chinese notebooks, and accept Chinese words for answers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("babel", reason="the catalogues are read with Babel (the site's tools)")
pytest.importorskip("myst_parser", reason="the markdown blocks are found with MyST's parser (the site's)")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book"))
import i18n  # noqa: E402  (book/i18n.py)

PAGES = i18n.catalog_pages()
ENGLISH_NOTEBOOKS = i18n.course_notebooks()


def test_every_page_of_the_site_has_a_catalogue():
    notebooks = {p.relative_to(ROOT).with_suffix("").as_posix() for p in ENGLISH_NOTEBOOKS}
    assert notebooks | {"README"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_every_message_is_translated_and_keeps_what_it_must(page):
    found = []
    for message in i18n.read_catalog(i18n.catalog_path(page)):
        if not message.id:
            continue
        if message.fuzzy:
            found.append(f"fuzzy (the English changed: check the translation): {message.id[:100]!r}")
        elif not (i18n.automatic(message) and message.string == message.id):
            found += [f"{p}: {message.id[:100]!r}" for p in i18n.problems(message.id, message.string)]
    assert not found, f"{i18n.catalog_path(page).relative_to(ROOT)}:\n" + "\n".join(found)


def test_problems_catches_what_a_translator_can_lose():
    english = "The forget gate $f_t$ of `nn.LSTM` has 40 weights ([notebook 02](02_x.ipynb))."
    link = "（[笔记本 02](02_x.ipynb)）"

    def found(translation: str, what: str) -> bool:
        return any(what in problem for problem in i18n.problems(english, translation))

    assert i18n.problems(english, f"`nn.LSTM` 的遗忘门 $f_t$ 有 40 个权重{link}。") == []
    assert found(f"`nn.LSTM` 的遗忘门 f_t 有 40 个权重{link}", "math")
    assert found(f"`nn.LSTM` 的遗忘门 $f_t$ 有四十个权重{link}", "numbers")
    assert found("`nn.LSTM` 的遗忘门 $f_t$ 有 40 个权重（笔记本 02）", "link")
    assert found(f"nn.LSTM 的遗忘门 $f_t$ 有 40 个权重{link}", "code")
    assert found(f"`nn.LSTM` 的忘记门 $f_t$ 有 40 个权重{link}", "忘记门")
    assert any("markup" in p for p in i18n.problems("**Why?** The bias is one.", "**为什么？**偏置为一。"))
    assert i18n.problems("**Why?** The bias is one.", "**为什么？** 偏置为一。") == []
    assert i18n.problems("August 2015", "2015 年 8 月") == []
    assert any("no Chinese" in p for p in i18n.problems(english, english))
    assert i18n.problems("Hello {name:,} there", "你好 {name} 啊") != []


def test_the_catalogues_are_current(tmp_path):
    """Re-extraction of today's English gives exactly the catalogues' messages (`make translations`)."""
    templates = i18n.gettext_templates(tmp_path)
    extracted = {pot.relative_to(templates).with_suffix("").as_posix(): pot
                 for pot in templates.rglob("*.pot")}
    assert sorted(extracted) == PAGES, "a page was added or removed: run `make translations`"
    stale = []
    for page, pot in extracted.items():
        fresh = {m.id for m in i18n.read_catalog(pot) if m.id}
        stored = {m.id for m in i18n.read_catalog(i18n.catalog_path(page)) if m.id}
        if fresh != stored:
            stale.append(f"{page}: {len(fresh - stored)} new, {len(stored - fresh)} gone, e.g. "
                         f"{sorted(fresh ^ stored)[0][:80]!r}")
    assert not stale, "run `make translations`, then translate:\n" + "\n".join(stale)


def test_the_chinese_notebooks_and_readme_are_current():
    stale = [str(i18n.zh_path(p).relative_to(ROOT)) for p in ENGLISH_NOTEBOOKS
             if not i18n.zh_path(p).exists()
             or i18n.zh_path(p).read_text(encoding="utf-8") != i18n.translated_notebook(p)]
    extra = {p for p in i18n.NOTEBOOKS_ZH.rglob("*.ipynb")} - {i18n.zh_path(p) for p in ENGLISH_NOTEBOOKS}
    assert not stale and not extra, f"run `make translations` (stale: {stale}, extra: {sorted(extra)})"
    for page, target in i18n.MARKDOWN_ZH.items():
        assert target.read_text(encoding="utf-8") == i18n.translated_markdown(page), "run `make translations`"
    sections = Path(str(i18n.SECTIONS).format(language=i18n.LANGUAGE))
    assert sections.read_text(encoding="utf-8") == i18n.section_names(), "run `make translations`"


def test_a_chinese_hint_names_the_chinese_section():
    from lstm_utils.exercises import text

    heading = text.section_name("02_example_13x5_to_10", "One gate, by hand", "zh_CN")
    assert i18n.CJK.search(heading)
    assert text.hint([["02_example_13x5_to_10", "One gate, by hand"]], "zh_CN") == \
        f"参见 02_example_13x5_to_10 的“{heading}”一节"


@pytest.mark.parametrize("path", ENGLISH_NOTEBOOKS, ids=lambda p: p.stem)
def test_a_chinese_notebook_has_the_english_code_outputs_and_metadata(path):
    english = json.loads(path.read_text(encoding="utf-8"))
    chinese = json.loads(i18n.zh_path(path).read_text(encoding="utf-8"))
    assert chinese["metadata"] == english["metadata"]
    assert len(chinese["cells"]) == len(english["cells"])
    for ours, theirs in zip(english["cells"], chinese["cells"], strict=True):
        assert theirs["cell_type"] == ours["cell_type"] and theirs["metadata"] == ours["metadata"]
        if ours["cell_type"] == "code":
            assert theirs == ours
        elif ours["source"] and re.search(r"[A-Za-z]{4,}", "".join(ours["source"])):
            assert i18n.CJK.search("".join(theirs["source"])), "".join(ours["source"])[:200]


def test_translate_cell_replaces_block_by_block():
    source = ("## The forget gate\n\nIt decides what\nthe cell keeps.\n\n* one item\n  wrapped\n* two\n\n"
              "| a | b |\n|---|---|\n| gate | 4 |\n\n$$\nx = 1\n$$\n\n```python\nprint('hi')\n```")
    table = {"The forget gate": "遗忘门", "It decides what the cell keeps.": "它决定细胞保留什么。",
             "one item wrapped": "第一项", "two": "第二项", "gate": "门", "b": "乙"}
    out = i18n.translate_cell(source, table)
    assert out == ("## 遗忘门\n\n它决定细胞保留什么。\n\n* 第一项\n* 第二项\n\n"
                   "| a | 乙 |\n|---|---|\n| 门 | 4 |\n\n$$\nx = 1\n$$\n\n```python\nprint('hi')\n```")
    assert i18n.translate_cell(source, {}) == source


def test_the_chinese_table_of_contents_mirrors_the_english_one():
    import yaml

    english = yaml.safe_load((ROOT / "book" / "_toc.yml").read_text(encoding="utf-8"))
    chinese = i18n.zh_toc(english)

    def shape(toc):
        return [[{k: v for k, v in ch.items() if k != "title"} for ch in part["chapters"]]
                for part in toc["parts"]]

    assert chinese["root"] == english["root"] and shape(chinese) == shape(english)
    for part in chinese["parts"]:
        assert i18n.CJK.search(part["caption"]), f"part caption not translated: {part['caption']!r}"
        for chapter in part["chapters"]:
            assert "title" not in chapter or i18n.CJK.search(chapter["title"]), chapter


def test_the_glossary_is_consistent_and_00_shows_it():
    terms = i18n.glossary()
    chosen = {t["zh"] for t in terms}
    assert len(terms) >= 60 and len(chosen) == len(terms), "one Chinese term per concept"
    for term in terms:
        assert set(term) <= {"en", "zh", "avoid", "note"} and term["en"] and term["zh"]
        assert not set(term.get("avoid", [])) & chosen, f"{term['en']}: avoids a term the glossary uses"
    # 00_start_here's glossary table: its Chinese column uses the glossary's terms, and none it avoids.
    start = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    table = next("".join(c["source"]) for c in start["cells"] if "## Glossary" in "".join(c["source"]))
    rows = [line.split("|")[2].strip() for line in table.splitlines()[1:]
            if line.startswith("| ") and i18n.CJK.search(line.split("|")[2])]
    rows = rows[1:]  # the header row: | English | 中文 | ...
    assert len(rows) >= 20
    for cell in rows:
        for word in re.split(r",\s*", cell):
            assert word in chosen, f"00's glossary shows {word!r}, which glossary.toml does not choose"
    assert i18n.user_dictionary().splitlines()[0].endswith(" 100000")


def test_every_exercise_word_is_translated():
    from lstm_utils.exercises import text

    names = sorted(p.stem for p in text.HERE.glob("*.toml") if p.stem.count(".") == 0)
    assert {"common", "labs"} <= set(names)
    found = {name: i18n.bank_problems(name) for name in names}
    assert not any(found.values()), {k: v[:5] for k, v in found.items() if v}
    assert "zh_CN" in text.languages()


def _in_chinese_notebooks(code: str) -> str:
    """Run ``code`` in a Python started in notebooks_zh/, as a Chinese notebook's kernel is."""
    env = {k: v for k, v in os.environ.items() if k != "LSTM_COURSE_LANGUAGE"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], cwd=i18n.NOTEBOOKS_ZH, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_exercises_speak_chinese_in_the_chinese_notebooks():
    out = _in_chinese_notebooks(
        "import lstm_utils.exercises as ex\n"
        "print(ex.get('count-one-gate').markdown)\n"
        "print(ex.check('count-one-gate', None))\n"
        "print(ex.check('count-one-gate', 3))\n")
    assert i18n.CJK.search(out.splitlines()[0]), out
    assert "尚未作答" in out and "还不对" in out, out


def test_chinese_words_are_accepted_as_answers():
    from lstm_utils.exercises import answers, check

    assert answers.as_gates("输入门，遗忘门，候选值，输出门") == ("input", "forget", "candidate", "output")
    assert answers.as_gates("遗忘门、输入门") == ("forget", "input")
    assert answers.as_gates("重置门", cell="gru") == ("reset",)
    assert answers.as_word("相加") == "add" and answers.as_word("（b）") == "(b)"
    assert check("convert-biases-to-keras", "相加").ok is True
    assert check("pad-sequences-default", "前面").ok is True


def test_the_chinese_jupyterlab_settings_are_the_course_settings_plus_the_language():
    english = json.loads((ROOT / "lab" / "settings" / "overrides.json").read_text(encoding="utf-8"))
    chinese = json.loads((ROOT / "lab" / "zh" / "settings" / "overrides.json").read_text(encoding="utf-8"))
    assert chinese == {**english, "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "lab-zh:" in makefile and "notebooks_zh/00_start_here.ipynb" in makefile
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    assert re.search(r"^jupyterlab-language-pack-zh-CN==", constraints, re.M)


def test_the_readmes_link_each_other():
    assert "README.zh-CN.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](README.md)" in i18n.README_ZH.read_text(encoding="utf-8")


def test_the_contributors_page_is_in_both_editions():
    assert (ROOT / "book" / "translating.md").exists()
    assert "book/translating" in PAGES
    assert "book/translating" in (ROOT / "book" / "_toc.yml").read_text(encoding="utf-8")


def test_the_same_english_is_translated_the_same_way():
    """A link to a notebook ("01 · Gate equations") and a short message (a heading such as "Check
    yourself", a table cell) read the same on every page (`python book/i18n.py consistency`)."""
    found = i18n.inconsistencies()
    assert not found, "\n".join(f"{english}: {sorted(ways)}" for english, ways in sorted(found.items()))


def test_every_raw_html_block_has_its_chinese():
    """Sphinx does not extract raw HTML: the pages' raw blocks are translated in i18n.RAW_HTML."""
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").glob("*.md"))
    raw = re.findall(r"^<p>.*</p>$", sources, re.M)
    assert sorted(raw) == sorted(i18n.RAW_HTML), "a raw HTML block without its Chinese in i18n.RAW_HTML"
    assert all(i18n.CJK.search(chinese) for chinese in i18n.RAW_HTML.values())


def test_a_chinese_hint_shows_headings_as_a_reader_sees_them():
    """A heading's translation may start with an escaped marker ("2\\. 反向的一步"): hints quote it plain."""
    from lstm_utils.exercises import checker, labs

    hints = [e.hint for e in checker._registry("zh_CN").values()] + \
        [lab.hint for lab in labs._labs("zh_CN").values()]
    assert hints and not [h for h in hints if "\\" in h]


def test_an_english_edit_of_an_exercise_flags_its_translation(tmp_path, monkeypatch):
    sources = json.loads(i18n.EXERCISE_SOURCES.read_text(encoding="utf-8"))
    folder = ROOT / "lstm_utils" / "exercises"
    assert set(sources) == {p.stem for p in folder.glob("*.toml") if "." not in p.stem}
    sources["bank_01_counting"]["exercises.count-one-gate.question"] = "0" * 12  # as if the English changed
    changed = tmp_path / "exercises.json"
    changed.write_text(json.dumps(sources), encoding="utf-8")
    monkeypatch.setattr(i18n, "EXERCISE_SOURCES", changed)
    found = i18n.bank_problems("bank_01_counting")
    assert len(found) == 1 and "count-one-gate.question: the English changed" in found[0]
