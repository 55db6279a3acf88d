"""Build the course website and slide decks from the notebooks present (used by `make book` / `make slides`).

    python book/build.py book     # Jupyter Book (no execution), local JavaScript into _build/html/vendor
    python book/build.py slides   # one reveal.js deck per notebook with slide metadata -> _build/html/slides

The table of contents is the static book/_toc.yml (its globs pick up the notebooks present, in course
order). This script does only what `jupyter-book build` cannot: drop stale pages, copy the JavaScript
from book/node_modules, and export the slide decks.

Nothing is executed: the site shows the outputs stored in the notebooks (verified by nbval in `make test`).
Nothing is fetched at view time: MathJax, reveal.js, require.js and the widget renderer come from
book/node_modules (installed by `npm ci` from book/package-lock.json) and are copied into the site.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import i18n  # book/i18n.py: the Chinese edition (catalogues, notebooks_zh, the site's Chinese words)
from course import CHECK_TAG  # book/course.py: the reading path's one definition

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NODE = BOOK / "node_modules"
BUILD = ROOT / "_build"
SITE = BUILD / "html"
VENDOR = SITE / "vendor"
TOC = BOOK / "_toc.yml"
SLIDES = SITE / "slides"
# The Chinese edition: built from the same sources with the catalogues of book/locales (book/i18n.py),
# in its own build folder, then served from _build/html/zh/.
ZH_BUILD = BUILD / "zh"
ZH_SITE = SITE / "zh"
SEARCH_SEGMENTER = BOOK / "_ext" / "static" / "search_segmenter.js"

# What the site serves from book/node_modules: (source inside node_modules, target inside vendor/, skipped).
VENDOR_FILES = (
    ("mathjax/es5", "mathjax", ("tex-svg*", "tex-mml-*", "mml-*", "tex-chtml-full*", "node-main.js")),
    ("reveal.js/dist", "reveal.js/dist", ("*.map", "*.esm.js")),
    ("reveal.js/plugin/notes", "reveal.js/plugin/notes", ("*.map", "*.esm.js")),
    ("requirejs/require.js", "require.js", ()),
    ("@jupyter-widgets/html-manager/dist", "html-manager", ("*.map", "embed.js*", "libembed-amd.js")),
)


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """The numbered notebooks present, in course order (the decks' order)."""
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def copy_vendor() -> None:
    """Copy the locally installed JavaScript the pages and decks use into _build/html/vendor/."""
    if not NODE.is_dir():
        raise SystemExit("book/node_modules is missing: run `make book` (it runs `npm ci` in book/)")
    for source, target, skip in VENDOR_FILES:
        src, dst = NODE / source, VENDOR / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*skip), dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def _jupyter_book(config: Path, toc: Path, *extra: str) -> None:
    subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--all",
         "--config", str(config), "--toc", str(toc), "--builder", "html", *extra],
        check=True, cwd=ROOT,
    )


def build_book() -> None:
    start = time.perf_counter()
    # Pages of notebooks that were renamed or removed must not linger: drop the pages and write every
    # page again (--all).
    # Everything but the decks and the vendored JavaScript is written again.
    keep = ("slides", "vendor")
    zh_pages = [p for p in ZH_SITE.iterdir() if p.name not in keep] if ZH_SITE.exists() else []
    pages = [p for p in SITE.iterdir() if p.name not in (*keep, "zh")] if SITE.exists() else []
    for stale in (*pages, *zh_pages):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    _jupyter_book(BOOK / "_config.yml", TOC)
    copy_vendor()
    english = time.perf_counter() - start
    build_chinese()
    add_language_switch()
    print(f"book: built {SITE.relative_to(ROOT)} (English {english:.1f} s) and {ZH_SITE.relative_to(ROOT)} "
          f"(Chinese {time.perf_counter() - start - english:.1f} s)")


def build_chinese() -> None:
    """The Chinese edition: Sphinx's translated build of the same sources (language zh_CN, the catalogues
    of book/locales), its own table of contents and search dictionary; served from _build/html/zh/,
    sharing vendor/ with the English site. The download button serves the Chinese notebooks."""
    import yaml

    i18n.write_notebooks()
    ZH_BUILD.mkdir(parents=True, exist_ok=True)
    userdict = ZH_BUILD / "userdict.txt"
    userdict.write_text(i18n.user_dictionary(), encoding="utf-8")
    config = i18n.zh_config(yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8")), userdict)
    # The vendored JavaScript lives once, in _build/html/vendor: one level further up from zh/_static.
    sphinx = config["sphinx"]["config"]
    sphinx["mathjax_path"] = "../" + sphinx["mathjax_path"]
    sphinx["nb_ipywidgets_js"] = {"../" + k: v for k, v in sphinx["nb_ipywidgets_js"].items()}
    for options in sphinx["nb_ipywidgets_js"].values():
        if "data-jupyter-widgets-cdn" in options:
            options["data-jupyter-widgets-cdn"] = "../" + options["data-jupyter-widgets-cdn"]
    sphinx["offline_site_vendor"] = "../vendor"
    sphinx["html_static_path"] = [str(SEARCH_SEGMENTER.parent)]
    sphinx["html_js_files"] = [["search_segmenter.js", {"priority": 100}]]
    # Key order matters (require.js before the widget renderer that needs it): no sorting.
    (ZH_BUILD / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    toc = i18n.zh_toc(yaml.safe_load(TOC.read_text(encoding="utf-8")))
    (ZH_BUILD / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    built = ZH_BUILD / "_build" / "html"
    if built.exists():
        shutil.rmtree(built)
    _jupyter_book(ZH_BUILD / "_config.yml", ZH_BUILD / "_toc.yml", "--path-output", str(ZH_BUILD))
    shutil.copytree(built, ZH_SITE, dirs_exist_ok=True)
    for notebook in i18n.NOTEBOOKS_ZH.rglob("*.ipynb"):   # the download button: the Chinese notebook
        served = ZH_SITE / "_sources" / "notebooks" / notebook.relative_to(i18n.NOTEBOOKS_ZH)
        if served.exists():
            shutil.copy2(notebook, served)


SWITCH = '<a class="lstm-language-switch" href="{href}" hreflang="{lang}" lang="{lang}">{label}</a>'
SWITCH_STYLE = ("<style>.lstm-language-switch{position:fixed;top:.6rem;right:4.5rem;z-index:1100;"
                "padding:.15rem .6rem;border:1px solid #888;border-radius:.3rem;background:#fff;"
                "font-size:.9rem;text-decoration:none}</style>")


def add_language_switch() -> None:
    """A link English <-> 中文 on every page of both editions, to the same page in the other language;
    on the Chinese pages, the raw HTML blocks in Chinese (i18n.RAW_HTML)."""
    for page in SITE.rglob("*.html"):
        rel = page.relative_to(SITE)
        if rel.parts[0] in ("vendor", "_static", "_sources", "slides") or (
                rel.parts[0] == "zh" and len(rel.parts) > 1 and rel.parts[1] in ("_static", "_sources")):
            continue
        chinese = rel.parts[0] == "zh"
        inner = Path(*rel.parts[1:]) if chinese else rel
        other = (SITE / inner) if chinese else (ZH_SITE / inner)
        if not other.exists():
            continue
        up = "../" * (len(rel.parts) - 1)
        href = up + (inner.as_posix() if chinese else "zh/" + inner.as_posix())
        link = SWITCH.format(href=href, lang="en" if chinese else "zh-CN",
                             label=i18n.SITE_WORDS["switch" if chinese else "switch-en"])
        text = page.read_text(encoding="utf-8")
        if "lstm-language-switch" in text or "<body" not in text:
            continue
        text = re.sub(r"(<body[^>]*>)", lambda m, link=link: m.group(1) + SWITCH_STYLE + link, text, count=1)
        if chinese:
            for english, translated in i18n.RAW_HTML.items():
                text = text.replace(english, translated)
        page.write_text(text, encoding="utf-8")


def has_slides(path: Path) -> bool:
    """True when some cell of the notebook carries slideshow.slide_type metadata."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any(cell.get("metadata", {}).get("slideshow", {}).get("slide_type") for cell in cells)


def _deck_title(path: Path) -> str:
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", "".join(cell["source"]), flags=re.M)
            if match:
                return match.group(1).strip()
    return path.stem


def build_slides() -> list[Path]:
    """The English decks in _build/html/slides and the Chinese ones (from notebooks_zh/) in zh/slides."""
    start = time.perf_counter()
    copy_vendor()
    i18n.write_notebooks()
    written = _build_decks(ROOT / "notebooks", SLIDES, "..", ENGLISH_DECK_WORDS, "en")
    written += _build_decks(i18n.NOTEBOOKS_ZH, ZH_SITE / "slides", "../..", i18n.SITE_WORDS, "zh-CN")
    print(f"slides: {len(written)} deck(s), English and Chinese, in {time.perf_counter() - start:.1f} s "
          f"-> {SLIDES.relative_to(ROOT)}, {(ZH_SITE / 'slides').relative_to(ROOT)}")
    return written


ENGLISH_DECK_WORDS = {
    "slides-title": "Lecture slides: the LSTM layer",
    "slides-intro": ("One reveal.js deck per notebook that carries slide metadata (the core, 01–05, how the "
                     "LSTM learns, 16–20, and the language model, 22), exported from the notebooks' slide "
                     "metadata. Keys: arrows or space to move, <kbd>s</kbd> for speaker notes, <kbd>f</kbd> "
                     "for full screen, <kbd>Esc</kbd> for the overview. To present live with running code, "
                     "open the notebook in JupyterLab and start RISE."),
    "as a page": "as a page", "back": "Back to the course",
    "no decks": "No notebook carries slide metadata yet.",
}


def _build_decks(notebooks: Path, out: Path, up: str, words: dict, lang: str) -> list[Path]:
    """One deck per notebook of ``notebooks`` with slide metadata, into ``out``; ``up`` leads from
    ``out`` to the site's top folder (where vendor/ is)."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    numbered = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    decks = [p for p in numbered if has_slides(p)]
    c = Config()
    c.TemplateExporter.extra_template_basedirs = [str(BOOK / "slides_template")]
    c.SlidesExporter.template_name = "lstm_reveal"
    c.SlidesExporter.reveal_url_prefix = f"{up}/vendor/reveal.js"
    c.SlidesExporter.reveal_scroll = True
    c.SlidesExporter.reveal_theme = "white"  # its fonts ship with reveal.js ("simple" imports Google Fonts)
    c.SlidesExporter.require_js_url = f"{up}/vendor/require.js"
    c.SlidesExporter.mathjax_url = f"{up}/vendor/mathjax/tex-chtml.js"
    c.SlidesExporter.widget_renderer_url = f"{up}/vendor/html-manager/embed-amd.js"
    c.SlidesExporter.jquery_url = ""
    # Check cells (tagged CHECK_TAG: asserts of what the prose quotes) are hidden in the decks, as on the
    # website, where Jupyter Book honours the same tag.
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {CHECK_TAG}
    # Check-yourself answer cells (tag hide-cell: a "Show the answers" toggle on the website, collapsed in
    # JupyterLab) stay in the decks as a fragment or a slide of their own, shown only when the presenter
    # moves on from the questions (tests/test_leaks.py checks their metadata).
    exporter = SlidesExporter(config=c)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in decks:
        body, _ = exporter.from_filename(str(path), resources={"metadata": {"name": path.stem}})
        if lang != "en":
            body = body.replace('<html lang="en">', f'<html lang="{lang}">', 1)
        target = out / f"{path.stem}.slides.html"
        target.write_text(_local_links(body, decks, notebooks), encoding="utf-8")
        written.append(target)
    _write_slides_index(decks, out, words, lang)
    return written


def _local_links(body: str, decks: list[Path], notebooks: Path | None = None) -> str:
    """Point a deck's links to other notebooks at their deck (or page); unlink notebooks not yet written."""
    notebooks = notebooks or ROOT / "notebooks"

    def fix(match: re.Match) -> str:
        target = (notebooks / match["path"]).resolve()
        if not target.is_file() or notebooks not in target.parents:
            # The notebook does not exist (yet): keep the words, drop the link (the browser test reports it).
            return f'<span class="missing-notebook-link">{match["text"]}</span>'
        if target in decks:
            href = f"{target.stem}.slides.html"
        else:
            href = "../notebooks/" + target.relative_to(notebooks).with_suffix(".html").as_posix()
        return f'<a href="{href}"{match["attrs"]}>{match["text"]}</a>'

    link = r'<a href="(?![a-z]+:)(?P<path>[^"#]+\.ipynb)(?:#[^"]*)?"(?P<attrs>[^>]*)>(?P<text>.*?)</a>'
    return re.sub(link, fix, body, flags=re.S)


def _write_slides_index(decks: list[Path], out: Path, words: dict, lang: str) -> None:
    items = "\n".join(
        f'  <li><a href="{p.stem}.slides.html">{html.escape(_deck_title(p))}</a>'
        f' (<a href="../notebooks/{p.stem}.html">{words["as a page"]}</a>)</li>' for p in decks
    ) or f"  <li>{words['no decks']}</li>"
    out.joinpath("index.html").write_text(f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{words["slides-title"]}</title>
<style>body{{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em;line-height:1.5}}</style>
</head>
<body>
<h1>{words["slides-title"].split("：")[0].split(":")[0]}</h1>
<p>{words["slides-intro"]}</p>
<ul>
{items}
</ul>
<p><a href="../index.html">{words["back"]}</a></p>
</body>
</html>
""", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["book", "slides"])
    args = parser.parse_args(argv)
    if args.what == "book":
        build_book()
    else:
        build_slides()
    return 0


if __name__ == "__main__":
    sys.exit(main())
