"""The Chinese edition: one translation source (book/locales/zh_CN), everything else generated from it.

    python book/i18n.py extract     # English -> book/locales/zh_CN/LC_MESSAGES/<page>.po (merged)
    python book/i18n.py notebooks   # the .po files -> notebooks_zh/ (code, outputs, metadata: the English)
    python book/i18n.py status      # messages, words and the share translated, per catalogue

and the translators' tools (book/translating.md):

    python book/i18n.py todo PAGE [--all]      # the messages that need a translator, numbered
    python book/i18n.py apply PAGE FILE.json   # {"12": "译文"}: write translations, print their problems
    python book/i18n.py accept PAGE N...       # a fuzzy translation that still holds: clear its mark
    python book/i18n.py check PAGE             # every problem of the page's translations
    python book/i18n.py bankcheck NAME [--accept]  # an exercise file's translation (bank_01_counting, labs)
    python book/i18n.py consistency            # English translated in more than one way across pages

How it works (the contributor's page, book/translating.md, says it for people):

* Sphinx's gettext builder extracts every prose block of every page of the site (each markdown block of
  each notebook's markdown cells, the README, book/*.md); code cells and outputs never. ``extract`` merges
  what it finds into one ``.po`` file per page: a new block becomes an empty message, a changed one keeps
  its old translation marked fuzzy (a translator checks it), a removed one is dropped.
* Two kinds of messages are filled here, not by translators: display math (``$$...$$``: kept as written)
  and the exercise cells of the exercise notebooks, whose Chinese comes from the banks' translations
  (``lstm_utils/exercises/*.zh_CN.toml``), so that a question is translated in one place.
* The Chinese site is Sphinx's translated build of the same sources (``language: zh_CN``), so heading
  ids, math, links, code and outputs stay those of the English site. The Chinese notebooks
  (``notebooks_zh/``, for JupyterLab, the site's download button and the Chinese slides) are the English
  notebooks with each markdown block replaced by its translation, block by block (:func:`translate_cell`);
  the same markdown parser as the site's (MyST's) finds the blocks.
* The glossary (book/locales/zh_CN/glossary.toml) is the one Chinese term per concept the translation
  uses; tests/test_translation.py checks every message against it.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LANGUAGE = "zh_CN"
LOCALES = BOOK / "locales"
CATALOGS = LOCALES / LANGUAGE / "LC_MESSAGES"
GLOSSARY = LOCALES / LANGUAGE / "glossary.toml"
#: What English each Chinese exercise string was translated from (a hash per key, per TOML file), so that
#: an English edit of a bank flags its translation (bankcheck; `bankcheck NAME --accept` records it).
EXERCISE_SOURCES = LOCALES / LANGUAGE / "exercises.json"
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOKS_ZH = ROOT / "notebooks_zh"
README_ZH = ROOT / "README.zh-CN.md"
#: The markdown pages with a generated Chinese file beside them (for readers of the repository on GitHub).
MARKDOWN_ZH = {"README": README_ZH, "book/translating": BOOK / "translating.zh-CN.md"}
#: The site's own words that no page holds (the page titles and prose come from the catalogues).
SITE_WORDS = {
    "title": "LSTM 层：一门可执行的课程",
    "About the course and teaching guide": "关于本课程与教学指南",
    "Lecture slides": "课堂幻灯片",
    "Contributing to the Chinese edition": "为中文版做贡献",
    "search": "搜索本课程…",
    "switch": "English",          # on a Chinese page: the link to the English one
    "switch-en": "中文",           # on an English page: the link to the Chinese one
    "slides-title": "课堂幻灯片：LSTM 层",
    "slides-intro": ("每个带幻灯片元数据的笔记本导出为一套 reveal.js 幻灯片（核心部分 01–05、"
                     "LSTM 如何学习 16–20，以及语言模型 22）。按键：方向键或空格翻页，"
                     "<kbd>s</kbd> 打开演讲者备注，<kbd>f</kbd> 全屏，<kbd>Esc</kbd> 总览。"
                     "要现场运行代码讲课，请在 JupyterLab 中打开笔记本并启动 RISE。"),
    "as a page": "网页版",
    "back": "返回课程",
    "no decks": "还没有笔记本带幻灯片元数据。",
}
#: Raw HTML blocks of the pages (Sphinx does not extract them), as the built English page shows them and in
#: Chinese: book/build.py replaces them on the Chinese pages.
RAW_HTML = {
    ('<p><a href="../slides/index.html">Open the list of slide decks</a> (built by <code>make slides</code>)'
     '.</p>'):
        '<p><a href="../slides/index.html">打开幻灯片列表</a>（由 <code>make slides</code> 生成）。</p>',
}
#: The comment on a message this script fills (translators edit the source it names instead).
AUTO_MATH = "generated: display math is kept as written"
AUTO_BANK = "generated from {source}: edit the translation there"
THEME_CATALOG = "sphinx.po"  # the theme's words Sphinx and the theme leave in English (by hand)
MYST_EXTENSIONS = {"colon_fence", "dollarmath", "amsmath"}  # book/_config.yml's parse.myst_enable_extensions


# --------------------------------------------------------------------------------------------- catalogs
def catalog_path(page: str) -> Path:
    """The .po file of a page of the site (``notebooks/00_start_here``, ``README``)."""
    return CATALOGS / f"{page}.po"


def catalog_pages() -> list[str]:
    """Every page with a catalogue, as ``notebooks/00_start_here`` (sorted); sphinx.po, the theme's
    words, is not a page."""
    return sorted(p.relative_to(CATALOGS).with_suffix("").as_posix() for p in CATALOGS.rglob("*.po")
                  if p.relative_to(CATALOGS).as_posix() != THEME_CATALOG)


def read_catalog(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def write_catalog(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        # A fuzzy message keeps the English it was translated from (#| msgid): a PO editor shows the change.
        write_po(handle, catalog, width=0, omit_header=False, ignore_obsolete=True, include_previous=True)


def gettext_templates(out: Path) -> Path:
    """Run Sphinx's gettext builder over the site's sources; returns the folder of the .pot files."""
    subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--all",
         "--config", str(BOOK / "_config.yml"), "--toc", str(BOOK / "_toc.yml"), "--builder", "custom",
         "--custom-builder", "gettext", "--path-output", str(out)],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    return out / "_build" / "gettext"


def _relative_locations(message) -> list[tuple[str, int]]:
    """Sphinx writes locations relative to its output folder: make them relative to the repository."""
    located = []
    for filename, line in message.locations:
        name = Path(filename).as_posix()
        for prefix in ("notebooks/", "README", "book/"):
            at = name.find(prefix)
            if at >= 0:
                name = name[at:]
                break
        located.append((name, line))
    return located


def extract() -> list[str]:
    """Re-extract the English messages and merge them into the catalogues; returns the pages written."""
    from babel.messages.catalog import Catalog

    start = time.perf_counter()
    filled, pending = automatic_translations()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        templates = gettext_templates(Path(tmp))
        for pot in sorted(templates.rglob("*.pot")):
            page = pot.relative_to(templates).with_suffix("").as_posix()
            template = read_catalog(pot)
            path = catalog_path(page)
            old = read_catalog(path) if path.exists() else None
            # The header's dates stay: a catalogue whose messages did not change is not rewritten.
            dates = {"creation_date": old.creation_date, "revision_date": old.revision_date} if old else {}
            new = Catalog(locale=LANGUAGE, project="The LSTM layer, executed", version="1",
                          copyright_holder="The LSTM course authors", charset="utf-8", fuzzy=False, **dates)
            new.language_team = "zh_CN"
            for message in template:
                if not message.id:
                    continue
                string, flags, comments, previous = "", set(), [], ()
                if message.id in filled:
                    string, comment = filled[message.id]
                    comments = [comment]
                elif message.id in pending:
                    comments = [pending[message.id]]
                elif old is not None and old.get(message.id) is not None and old.get(message.id).string:
                    kept = old.get(message.id)
                    string, flags, comments = kept.string, set(kept.flags), list(kept.user_comments)
                    previous = kept.previous_id
                    string = escape_block_start(string)
                elif old is not None:
                    similar = _similar(old, message.id)
                    if similar is not None:  # a changed block: its old translation, to be checked
                        string, flags, previous = similar.string, {"fuzzy"}, similar.id
                new.add(message.id, string, locations=_relative_locations(message), flags=flags,
                        user_comments=comments, previous_id=previous if "fuzzy" in flags else ())
            write_catalog(new, path)
            written.append(page)
    print(f"extract: {len(written)} catalogues in {time.perf_counter() - start:.1f} s -> "
          f"{CATALOGS.relative_to(ROOT)}")
    return written


def _similar(catalog, msgid: str):
    """The translated message of ``catalog`` most like ``msgid`` (difflib ratio >= 0.75), or None."""
    import difflib

    best, score = None, 0.75
    for message in catalog:
        if message.id and message.string and isinstance(message.id, str):
            ratio = difflib.SequenceMatcher(None, message.id, msgid).ratio()
            if ratio > score:
                best, score = message, ratio
    return best


# ------------------------------------------------------------------------------------- markdown blocks
@cache
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)


def message_id(text: str) -> str:
    """A block's text as Sphinx's gettext writes it: line breaks as spaces, stripped."""
    return text.replace("\n", " ").strip()


def blocks(source: str) -> list[tuple[str, str, int, int]]:
    """The translatable blocks of a markdown cell, in order: ``(kind, msgid, first line, end line)``.

    ``kind`` is "block" (a paragraph or heading: its lines), "cell" (a table cell: in its row's line)
    or "math" (a display-math block). Raw HTML and code blocks are not translated (Sphinx skips them too).
    """
    found = []
    tokens = _parser().parse(source)
    for k, token in enumerate(tokens):
        if token.type == "inline" and token.map and token.content.strip():
            parent = tokens[k - 1].type if k else ""
            kind = "cell" if parent in ("th_open", "td_open") else "block"
            found.append((kind, message_id(token.content), token.map[0], token.map[1]))
        elif token.type in ("math_block", "math_block_label", "amsmath") and token.map:
            # Sphinx keeps a math block's text as written (its line breaks too), unlike a paragraph's.
            found.append(("math", token.content, token.map[0], token.map[1]))
    return found


def translate_cell(source: str, translations: dict[str, str]) -> str:
    """``source`` (a markdown cell) with each block that has a translation replaced by it.

    A paragraph or heading keeps its first line's prefix (``## ``, ``* ``, ``1. ``, ``> ``) and
    becomes one line (a translation's own line breaks are kept, indented like the block); a table cell is
    replaced inside its row. Blocks without a translation stay as they are.
    """
    lines = source.split("\n")
    replaced: dict[int, str | None] = {}   # line -> new text (None: the line is dropped)
    cursor: dict[int, int] = {}            # a table row's position after the cells already replaced
    for kind, msgid, first, end in blocks(source):
        new = translations.get(msgid)
        if not new or kind == "math":
            continue
        if kind == "cell":
            row = replaced.get(first, lines[first])
            at = row.find(msgid.split(" ")[0], cursor.get(first, 0))
            old_cell = _cell_text(row, at)
            row = row[:at] + new + row[at + len(old_cell):]
            replaced[first] = row
            cursor[first] = at + len(new)
            continue
        head = lines[first]
        content_start = _content_start(head, msgid)
        prefix = head[:content_start]
        indent = " " * len(prefix) if prefix.strip() else prefix
        replaced[first] = prefix + new.replace("\n", "\n" + indent)
        for line in range(first + 1, end):
            replaced[line] = None
    out = []
    for k, line in enumerate(lines):
        if k in replaced:
            if replaced[k] is not None:
                out.append(replaced[k])
        else:
            out.append(line)
    return "\n".join(out)


def _content_start(line: str, msgid: str) -> int:
    first_word = msgid.split(" ")[0]
    at = line.find(first_word)
    if at < 0:
        raise ValueError(f"block {msgid[:60]!r} not found in its first line {line!r}")
    return at


def _cell_text(row: str, at: int) -> str:
    """The text of the table cell starting at ``at`` in ``row``, up to its closing unescaped ``|``."""
    k = at
    while k < len(row):
        if row[k] == "|" and row[k - 1] != "\\":
            break
        k += 1
    return row[at:k].rstrip()


# ------------------------------------------------------------------------------------ notebooks_zh
def course_notebooks() -> list[Path]:
    """The English notebooks with a page on the site (numbered notebooks, exercises, solutions)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + sorted((NOTEBOOKS / "exercises").glob("*.ipynb"))


def translations(page: str) -> dict[str, str]:
    """msgid -> msgstr of a page's catalogue: translated messages only (not fuzzy, not empty)."""
    path = catalog_path(page)
    if not path.exists():
        return {}
    return {m.id: m.string for m in read_catalog(path)
            if m.id and m.string and not m.fuzzy}


def _chinese_targets(text: str, readme: bool = False) -> str:
    """Links of a Chinese page lead to the Chinese pages: README.md -> README.zh-CN.md (and so for every
    page of :data:`MARKDOWN_ZH`) and, in the README, notebooks/ -> notebooks_zh/ (the notebooks' own
    relative links already stay inside notebooks_zh/)."""
    for page in MARKDOWN_ZH:
        name = re.escape(Path(page).name)
        text = re.sub(rf"\]\(([^)\s]*?){name}\.md(#[^)]*)?\)", rf"](\1{Path(page).name}.zh-CN.md\2)", text)
    if readme:
        text = re.sub(r"\]\(notebooks/", "](notebooks_zh/", text)
    return text


def translated_notebook(path: Path) -> str:
    """The Chinese notebook of the English notebook ``path``, as the text of its .ipynb file."""
    page = path.relative_to(ROOT).with_suffix("").as_posix()
    table = translations(page)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            cell["source"] = _split_lines(_chinese_targets(translate_cell(source, table)))
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def translated_readme() -> str:
    """README.zh-CN.md: README.md with each block translated (from the README's catalogue)."""
    return translated_markdown("README")


def translated_markdown(page: str) -> str:
    """The generated Chinese file of a markdown page of :data:`MARKDOWN_ZH`, each block translated."""
    english = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    note = (f"<!-- Generated from {page}.md and book/locales/zh_CN/LC_MESSAGES/{page}.po by "
            "`make translations`: edit those, not this file (book/translating.md). -->\n")
    # The English page links to this file near its top; this file's first line links back.
    text = _chinese_targets(translate_cell(english, translations(page)), readme=page == "README")
    return note + f"**[English]({Path(page).name}.md)** · 中文\n\n" + text


def _split_lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [line + "\n" for line in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


SECTIONS = ROOT / "lstm_utils" / "data" / "sections.{language}.json"  # lstm_utils.exercises.text.SECTIONS


def section_names() -> str:
    """The JSON of the Chinese headings of every section an exercise's or a lab's hint points to
    ("notebook#English heading" -> Chinese heading), from the notebooks' catalogues."""
    sys.path.insert(0, str(ROOT))
    from lstm_utils.exercises import labs, text

    pairs = set()
    for name in [p.stem for p in text.HERE.glob("bank_*.toml") if p.stem.count(".") == 0]:
        pairs |= {tuple(place) for entry in text.load(name)["exercises"].values() for place in entry["see"]}
    pairs |= {tuple(place) for lab in labs._labs(text.ENGLISH).values() for place in lab.see}
    names = {}
    for notebook, section in sorted(pairs):
        chinese = translations(f"notebooks/{notebook}").get(section)
        if chinese:  # as a reader sees the heading: without escape_block_start's backslash
            names[f"{notebook}#{section}"] = re.sub(r"^(\d+)\\([.)])|^\\([-+*>#])", r"\1\2\3", chinese)
    return json.dumps(names, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def zh_path(path: Path) -> Path:
    return NOTEBOOKS_ZH / path.relative_to(NOTEBOOKS)


def write_notebooks() -> list[Path]:
    """Write notebooks_zh/ from the catalogues (and drop notebooks that no longer exist in English)."""
    start = time.perf_counter()
    wanted = {zh_path(p): p for p in course_notebooks()}
    for old in NOTEBOOKS_ZH.rglob("*.ipynb") if NOTEBOOKS_ZH.exists() else []:
        if old not in wanted:
            old.unlink()
    for target, source in wanted.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        text = translated_notebook(source)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    names = section_names()
    path = Path(str(SECTIONS).format(language=LANGUAGE))
    if not path.exists() or path.read_text(encoding="utf-8") != names:
        path.write_text(names, encoding="utf-8")
    for page, target in MARKDOWN_ZH.items():
        chinese = translated_markdown(page)
        if not target.exists() or target.read_text(encoding="utf-8") != chinese:
            target.write_text(chinese, encoding="utf-8")
    print(f"notebooks: {len(MARKDOWN_ZH)} Chinese markdown files and {len(wanted)} Chinese notebooks in "
          f"{time.perf_counter() - start:.1f} s -> {NOTEBOOKS_ZH.relative_to(ROOT)}")
    return list(wanted)


# --------------------------------------------------------------------------- automatic translations
def automatic_translations() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """The messages this script fills: msgid -> (msgstr, comment). Display math is kept as written; an
    exercise cell's blocks come from its bank's Chinese words (same blocks, in the same order). Second,
    the exercise cells' messages whose bank has no Chinese for them yet: msgid -> comment."""
    filled: dict[str, tuple[str, str]] = {}
    pending: dict[str, str] = {}
    for path in course_notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for kind, msgid, _, _ in blocks("".join(cell["source"])):
                if kind == "math":
                    filled[msgid] = (msgid, AUTO_MATH)
    for english, chinese, source in exercise_cells():
        ours, theirs = blocks(english), blocks(chinese)
        if [k for k, *_ in ours] != [k for k, *_ in theirs]:
            raise ValueError(f"{source}: the Chinese exercise cell has other blocks than the English one:\n"
                             f"{english}\n---\n{chinese}")
        translated = (ROOT / source).exists()  # a title may rightly read the same: "LSTM(4) + Dense(2)"
        for (kind, msgid, *_), (_, msgstr, *_) in zip(ours, theirs, strict=True):
            if kind != "math" and (msgstr != msgid or translated):
                filled[msgid] = (msgstr, AUTO_BANK.format(source=source))
            elif kind != "math":
                pending[msgid] = f"to be generated from {source}: translate it there"
    return filled, pending


def exercise_cells() -> list[tuple[str, str, str]]:
    """(English markdown, Chinese markdown, translation file) of every exercise and coding lab (the
    Chinese is English where its translation file lacks the words)."""
    sys.path.insert(0, str(ROOT))
    from lstm_utils.exercises import checker, labs, text

    cells = []
    for item in checker._registry(text.ENGLISH).values():
        zh = checker._registry(LANGUAGE)[item.id]
        source = f"lstm_utils/exercises/bank_{item.notebook}.{LANGUAGE}.toml"
        cells.append((item.markdown, zh.markdown, source))
    chinese_labs = labs._labs(LANGUAGE)
    for lab in labs._labs(text.ENGLISH).values():
        zh = chinese_labs[lab.id]
        cells.append((lab.markdown, zh.markdown, f"lstm_utils/exercises/labs.{LANGUAGE}.toml"))
    return cells


# ------------------------------------------------------------------------------------- the Chinese site
def zh_toc(english: dict) -> dict:
    """The Chinese table of contents: the English one with its part captions translated (from the root
    page's catalogue, where Sphinx extracts them) and its titles from :data:`SITE_WORDS`."""
    import copy

    root = translations(english["root"])
    toc = copy.deepcopy(english)
    for part in toc.get("parts", []):
        part["caption"] = root.get(part["caption"]) or part["caption"]
        for chapter in part.get("chapters", []):
            if "title" in chapter:
                chapter["title"] = SITE_WORDS.get(chapter["title"], chapter["title"])
    return toc


def zh_config(english: dict, userdict: Path) -> dict:
    """The Chinese build's Jupyter Book configuration: the English one, in zh_CN, searched with jieba."""
    import copy

    config = copy.deepcopy(english)
    config["title"] = SITE_WORDS["title"]
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {name: str(BOOK / path) for name, path in sphinx["local_extensions"].items()}
    sphinx["config"].update({
        "language": LANGUAGE,
        "html_search_language": "zh",
        # jieba cuts Chinese text into words for the search index; the user dictionary keeps the
        # glossary's terms whole (an absolute path: a missing file would be skipped silently).
        "html_search_options": {"dict": str(userdict)},
    })
    sphinx["config"]["html_theme_options"] = {**sphinx["config"].get("html_theme_options", {}),
                                              "search_bar_text": SITE_WORDS["search"]}
    return config


def user_dictionary() -> str:
    """jieba's user dictionary: every glossary term (and its parts joined by 、) with a high frequency."""
    terms = []
    for term in glossary():
        for word in re.split(r"[、，, ]+", term["zh"]):
            if CJK.search(word) and word not in terms:
                terms.append(word)
    return "".join(f"{word} 100000\n" for word in terms)


# ------------------------------------------------------------------------------------------- status
def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]+(?:['’-][A-Za-z]+)*", text))


def status() -> dict[str, tuple[int, int, int]]:
    """page -> (messages, translated (not fuzzy), English words)."""
    table = {}
    for page in catalog_pages():
        messages = [m for m in read_catalog(catalog_path(page)) if m.id]
        done = sum(1 for m in messages if m.string and not m.fuzzy)
        table[page] = (len(messages), done, sum(words(m.id) for m in messages))
    return table


@cache
def glossary() -> list[dict]:
    """The glossary's entries: ``en`` (the English term), ``zh`` (the one Chinese term the course uses),
    ``avoid`` (other Chinese names it does not use) and optionally ``note``."""
    return tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))["term"]


# ------------------------------------------------------------------------------------ what is kept
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_TARGET = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<(https?://[^>]+)>")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
CJK = re.compile(r"[\u4e00-\u9fff]")


def kept(text: str) -> dict[str, list[str]]:
    """What a translation must keep of ``text``: its inline math, inline code, link targets and numbers
    (numbers outside math, code and link targets), each as a sorted list."""
    math = _MATH.findall(text)
    rest = _MATH.sub(" ", text)
    code = [m.group(0) for m in _CODE.finditer(rest)]
    rest = _CODE.sub(" ", rest)
    targets = [a or b for a, b in _TARGET.findall(rest)]
    rest = _TARGET.sub("] ", rest)
    placeholders = re.findall(r"\{[a-z_]*(?::[^}]*)?\}", rest)
    numbers = [n.replace(",", "") for n in _NUMBER.findall(re.sub(r"\{[^}]*\}", " ", rest))]
    return {"math": sorted(math), "code": sorted(code), "link targets": sorted(targets),
            "numbers": sorted(numbers), "placeholders": sorted(placeholders)}


def markup(text: str) -> dict[str, int]:
    """How many bold, italic and link spans markdown (MyST's parser) reads in ``text``."""
    counts = {"bold": 0, "italic": 0, "link": 0}
    names = {"strong_open": "bold", "em_open": "italic", "link_open": "link"}
    for token in _parser().parseInline(text)[0].children or []:
        if token.type in names:
            counts[names[token.type]] += 1
    return counts


_BLOCK_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+*>]|#+)(?=\s|$)")


def escape_block_start(msgstr: str) -> str:
    """A translation that starts like a list item or a heading ("2. 输入门", "+ NumPy", "#") with that
    marker escaped ("2\\. 输入门"): Sphinx parses a translation on its own, where "2. " would make a list and
    the translation would be dropped for not being a title; markdown shows the escaped text unchanged."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", msgstr, count=1)


def _uses(text: str, avoided: str) -> bool:
    """True when ``text`` uses the avoided term: an occurrence that is not the start of one of the
    course's own terms running past it ("LSTM 细胞状态" holds "LSTM 细胞" only as part of 细胞状态)."""
    chosen = [t["zh"] for t in glossary()]
    at = text.find(avoided)
    while at >= 0:
        end = at + len(avoided)
        if not any(_overlaps_past(text, term, at, end) for term in chosen):
            return True
        at = text.find(avoided, at + 1)
    return False


def _overlaps_past(text: str, term: str, at: int, end: int) -> bool:
    """Whether an occurrence of ``term`` overlaps text[at:end] and runs past ``end``."""
    start = text.find(term, max(0, at - len(term) + 1))
    while 0 <= start < end:
        if start + len(term) > end:
            return True
        start = text.find(term, start + 1)
    return False


def problems(msgid: str, msgstr: str, block: bool = True) -> list[str]:
    """What is wrong with ``msgstr`` as the translation of ``msgid``: lost or added math, code, link
    targets or placeholders, a lost number (one may be added: "八月" can be "8 月"), markup that markdown
    reads otherwise, a term the glossary avoids, or English prose left untranslated."""
    found = []
    if not msgstr:
        return ["not translated"]
    ours, theirs = kept(msgid), kept(msgstr)
    for what in ours:
        lost = list((Counter(ours[what]) - Counter(theirs[what])).elements())
        added = list((Counter(theirs[what]) - Counter(ours[what])).elements())
        # A number may be added (Chinese writes "2015 年 8 月" for "August 2015"), never lost.
        if lost or (added and what != "numbers"):
            found.append(f"{what} differ: lost {lost}, added {added}")
    if block and escape_block_start(msgstr) != msgstr:  # a catalogue's message: one block of a page
        found.append("starts like a list item or a heading: escape the marker (apply does it), e.g. 2\\. ")
    ours, theirs = markup(msgid), markup(msgstr)
    if ours != theirs:
        found.append(f"markup differs (bold, italics, links as markdown reads them): {ours} -> {theirs}"
                     " (a closing ** right after Chinese punctuation and before a character is not read "
                     "as bold: move the punctuation out)")
    for term in glossary():
        for avoided in term.get("avoid", []):
            if _uses(msgstr, avoided):
                found.append(f"uses {avoided!r}: the glossary's term for {term['en']!r} is {term['zh']!r}")
    prose = _CODE.sub(" ", _MATH.sub(" ", _TARGET.sub("] ", msgid)))
    if words(prose) >= 4 and not CJK.search(msgstr):
        found.append("no Chinese in the translation of an English sentence")
    return found


# ------------------------------------------------------------------------------------ translators' tools
def _messages(page: str):
    if not catalog_path(page).exists():
        raise SystemExit(f"no catalogue for page {page!r}: a page is written as "
                         f"notebooks/06_keras_lstm (no .ipynb); the pages are {', '.join(catalog_pages())}")
    catalog = read_catalog(catalog_path(page))
    return catalog, [m for m in catalog if m.id]


def automatic(message) -> bool:
    """True for a message this script fills (display math, exercise cells): translators skip it."""
    return any(c.startswith(("generated", "to be generated")) for c in message.user_comments)


def todo(page: str, everything: bool = False) -> None:
    """Print the page's messages that need a translator (empty or fuzzy; all with ``everything``)."""
    _, messages = _messages(page)
    for k, message in enumerate(messages):
        if automatic(message):
            continue
        if everything or not message.string or message.fuzzy:
            print(f"[{k}] {message.id}")
            if message.string:
                print(f"    {'(fuzzy) ' if message.fuzzy else ''}-> {message.string}")


def apply(page: str, source: Path) -> int:
    """Set translations from a JSON file {"number": "translation"} (numbers as ``todo`` prints them);
    prints each translation's problems (:func:`problems`) and returns their count."""
    catalog, messages = _messages(page)
    given = json.loads(source.read_text(encoding="utf-8"))
    count = 0
    for key, string in given.items():
        message = messages[int(key)]
        message.string = string = escape_block_start(string)
        message.flags.discard("fuzzy")
        for problem in problems(message.id, string):
            count += 1
            print(f"[{key}] {problem}\n    {message.id[:120]}")
    write_catalog(catalog, catalog_path(page))
    print(f"apply: {len(given)} translations written to {catalog_path(page).relative_to(ROOT)}, "
          f"{count} problem(s)")
    return count


def accept(page: str, numbers: list[int]) -> None:
    """Clear the fuzzy mark of the page's messages ``numbers`` (as ``todo`` prints them): their translation
    still says what the changed English says (a typo fixed in the English, a reworded aside)."""
    catalog, messages = _messages(page)
    for k in numbers:
        print(f"[{k}] {messages[k].id[:100]}\n    -> {messages[k].string[:100]}")
        messages[k].flags.discard("fuzzy")
        messages[k].previous_id = ()
    write_catalog(catalog, catalog_path(page))


def check(page: str) -> int:
    """Print every problem of the page's translations; returns their count."""
    _, messages = _messages(page)
    count = 0
    for k, message in enumerate(messages):
        if automatic(message) and message.string == message.id:
            continue  # display math, kept as written
        for problem in problems(message.id, message.string) if not message.fuzzy else ["fuzzy"]:
            count += 1
            print(f"[{k}] {problem}\n    {message.id[:120]}")
    print(f"check {page}: {count} problem(s)")
    return count


def _english_hash(value: object) -> str:
    import hashlib

    return hashlib.sha1(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:12]


def _bank_strings(name: str) -> tuple[dict, dict]:
    """The English and Chinese strings of an exercise translation file, by dotted key (``see`` and empty
    English left out: a reference, or nothing to say)."""
    sys.path.insert(0, str(ROOT))
    from lstm_utils.exercises import text

    english = {".".join(k): v for k, v in text._flat(text._read(text.path_of(name, text.ENGLISH))).items()
               if k[-1] != "see" and v not in ("", [])}
    path = text.path_of(name, LANGUAGE)
    chinese = {".".join(k): v for k, v in (text._flat(text._read(path)) if path.exists() else {}).items()}
    return english, chinese


def accept_bank(name: str) -> int:
    """Record the English each translated string of ``name`` now translates (after checking them)."""
    english, chinese = _bank_strings(name)
    sources = json.loads(EXERCISE_SOURCES.read_text(encoding="utf-8")) if EXERCISE_SOURCES.exists() else {}
    sources[name] = {key: _english_hash(value) for key, value in english.items() if key in chinese}
    EXERCISE_SOURCES.write_text(json.dumps(sources, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return len(sources[name])


def bank_problems(name: str) -> list[str]:
    """The problems of an exercise translation file (``bank_01_counting``, ``labs``, ``common``): each
    translated string against its English one (:func:`problems`), keys not translated yet (``see`` is a
    reference, never translated), strings whose English changed since they were translated
    (:data:`EXERCISE_SOURCES`), and exercise cells whose Chinese has other markdown blocks."""
    english, chinese = _bank_strings(name)
    sources = json.loads(EXERCISE_SOURCES.read_text(encoding="utf-8")) if EXERCISE_SOURCES.exists() else {}
    recorded = sources.get(name, {})
    found = []
    for dotted, value in english.items():
        if dotted not in chinese:
            found.append(f"{dotted}: not translated")
            continue
        if recorded.get(dotted) != _english_hash(value):
            found.append(f"{dotted}: the English changed since it was translated: check the Chinese, then "
                         f"`python book/i18n.py bankcheck {name} --accept`")
        zh = chinese[dotted]
        pairs = zip(value, zh, strict=False) if isinstance(value, list) else [(value, zh)]
        for en, zh in pairs:
            if isinstance(en, str):
                found += [f"{dotted}: {p}" for p in problems(en, zh, block=False)]
    for en, zh, source in exercise_cells():
        same = [b[0] for b in blocks(en)] == [b[0] for b in blocks(zh)]
        if Path(source).stem.split(".")[0] == name and not same:
            found.append(f"{source}: the Chinese cell has other markdown blocks than the English:\n{zh}")
    return found


_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def inconsistencies() -> dict[str, dict[str, list[str]]]:
    """English that the catalogues translate in more than one way: the text of a link to a notebook
    ("01 · Gate equations", by its English text and target), and short messages (headings, table cells
    of at most five words) that occur on several pages. English -> {Chinese: [pages]} (two or more)."""
    seen: dict[str, dict[str, list[str]]] = {}
    for page in catalog_pages():
        for message in read_catalog(catalog_path(page)):
            if not message.id or not message.string or message.fuzzy:
                continue
            # Kept in English on purpose (a name, the English column of 00's glossary) is not a translation.
            if words(message.id) <= 5 and not _LINK.search(message.id) and message.string != message.id:
                seen.setdefault(message.id, {}).setdefault(message.string, []).append(page)
            theirs = {}
            for text, target in _LINK.findall(_CODE.sub(" ", message.string)):
                theirs.setdefault(target, []).append(text)
            for text, target in _LINK.findall(_CODE.sub(" ", message.id)):  # a link in code is code
                if re.search(r"\d\d_[a-z0-9_]+\.ipynb$", target) and len(theirs.get(target, [])) == 1:
                    key = f"[{text}]({Path(target).name})"
                    seen.setdefault(key, {}).setdefault(theirs[target][0], []).append(page)
    return {english: ways for english, ways in seen.items() if len(ways) > 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["extract", "notebooks", "status", "todo", "apply", "accept", "check",
                                         "bankcheck", "consistency"])
    parser.add_argument("page", nargs="?", help="todo/apply/accept/check: a page, as "
                        "notebooks/01_gate_equations; bankcheck: an exercise file, as bank_01_counting")
    parser.add_argument("file", nargs="*", help="apply: the JSON file of translations; accept: numbers")
    parser.add_argument("--all", action="store_true", help="todo: every message, translated or not")
    parser.add_argument("--accept", action="store_true",
                        help="bankcheck: record the English the file's translations now translate")
    args = parser.parse_args(argv)
    if args.what == "bankcheck" and not args.page:
        folder = ROOT / "lstm_utils" / "exercises"
        names = sorted(p.stem for p in folder.glob("*.toml") if "." not in p.stem)
        parser.error(f"bankcheck needs an exercise file (one of: {', '.join(names)})")
    if args.what in ("todo", "apply", "accept", "check") and not args.page:
        parser.error(f"{args.what} needs a page (one of: {', '.join(catalog_pages())})")
    if args.what == "extract":
        extract()
    elif args.what == "notebooks":
        write_notebooks()
    elif args.what == "todo":
        todo(args.page, args.all)
    elif args.what == "apply":
        if len(args.file) != 1:
            parser.error("apply needs one JSON file of translations")
        return 1 if apply(args.page, Path(args.file[0])) else 0
    elif args.what == "accept":
        if not args.file or not all(n.isdigit() for n in args.file):
            parser.error("accept needs the numbers of the messages whose translation still holds")
        accept(args.page, [int(n) for n in args.file])
    elif args.what == "check":
        return 1 if check(args.page) else 0
    elif args.what == "consistency":
        found = inconsistencies()
        for english, ways in sorted(found.items()):
            print(english)
            for chinese, pages in ways.items():
                print(f"    {chinese}    ({len(pages)}: {', '.join(sorted(set(pages))[:4])})")
        print(f"consistency: {len(found)} English text(s) translated in more than one way")
        return 1 if found else 0
    elif args.what == "bankcheck":
        if args.accept:
            print(f"bankcheck: recorded the English of {accept_bank(args.page)} translated strings")
        found = bank_problems(args.page)
        print("\n".join(found) + f"\nbankcheck {args.page}: {len(found)} problem(s)")
        return 1 if found else 0
    else:
        table = status()
        for page, (count, done, n) in table.items():
            print(f"{page:55} {done:5}/{count:<5} messages  {n:6} words")
        count = sum(v[0] for v in table.values())
        done = sum(v[1] for v in table.values())
        n = sum(v[2] for v in table.values())
        print(f"{'all':55} {done:5}/{count:<5} messages  {n:6} words  ({100 * done / max(count, 1):.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
