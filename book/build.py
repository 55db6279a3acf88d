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

from course import CHECK_TAG  # book/course.py: the reading path's one definition

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NODE = BOOK / "node_modules"
BUILD = ROOT / "_build"
SITE = BUILD / "html"
VENDOR = SITE / "vendor"
TOC = BOOK / "_toc.yml"
SLIDES = SITE / "slides"

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


def build_book() -> None:
    start = time.perf_counter()
    # Pages of notebooks that were renamed or removed must not linger: drop the content pages and
    # write every page again (--all); slides/ and vendor/ stay.
    for stale in (SITE / "notebooks", SITE / "_sources", SITE / "README.html"):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--all",
         "--config", str(BOOK / "_config.yml"), "--toc", str(TOC), "--builder", "html"],
        check=True, cwd=ROOT,
    )
    copy_vendor()
    print(f"book: built {SITE.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s")


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
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    start = time.perf_counter()
    copy_vendor()
    numbered = course_notebooks()
    decks = [p for p in numbered if has_slides(p)]
    c = Config()
    c.TemplateExporter.extra_template_basedirs = [str(BOOK / "slides_template")]
    c.SlidesExporter.template_name = "lstm_reveal"
    c.SlidesExporter.reveal_url_prefix = "../vendor/reveal.js"
    c.SlidesExporter.reveal_scroll = True
    c.SlidesExporter.reveal_theme = "white"  # its fonts ship with reveal.js ("simple" imports Google Fonts)
    c.SlidesExporter.require_js_url = "../vendor/require.js"
    c.SlidesExporter.mathjax_url = "../vendor/mathjax/tex-chtml.js"
    c.SlidesExporter.widget_renderer_url = "../vendor/html-manager/embed-amd.js"
    c.SlidesExporter.jquery_url = ""
    # Check cells (tagged CHECK_TAG: asserts of what the prose quotes) are hidden in the decks, as on the
    # website, where Jupyter Book honours the same tag.
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {CHECK_TAG}
    # Check-yourself answer cells (tag hide-cell: a "Show the answers" toggle on the website, collapsed in
    # JupyterLab) stay in the decks as a fragment or a slide of their own, shown only when the presenter
    # moves on from the questions (tests/test_leaks.py checks their metadata).
    exporter = SlidesExporter(config=c)
    SLIDES.mkdir(parents=True, exist_ok=True)
    written = []
    for path in decks:
        body, _ = exporter.from_filename(str(path), resources={"metadata": {"name": path.stem}})
        out = SLIDES / f"{path.stem}.slides.html"
        out.write_text(_local_links(body, decks), encoding="utf-8")
        written.append(out)
    _write_slides_index(decks)
    print(f"slides: {len(written)} deck(s) from {len(numbered)} notebooks in "
          f"{time.perf_counter() - start:.1f} s -> {SLIDES.relative_to(ROOT)}")
    return written


def _local_links(body: str, decks: list[Path]) -> str:
    """Point a deck's links to other notebooks at their deck (or page); unlink notebooks not yet written."""
    notebooks = ROOT / "notebooks"

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


def _write_slides_index(decks: list[Path]) -> None:
    items = "\n".join(
        f'  <li><a href="{p.stem}.slides.html">{html.escape(_deck_title(p))}</a>'
        f' (<a href="../notebooks/{p.stem}.html">as a page</a>)</li>' for p in decks
    ) or "  <li>No notebook carries slide metadata yet.</li>"
    SLIDES.joinpath("index.html").write_text(f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lecture slides: the LSTM layer</title>
<style>body{{font-family:sans-serif;max-width:42em;margin:2em auto;padding:0 1em;line-height:1.5}}</style>
</head>
<body>
<h1>Lecture slides</h1>
<p>One reveal.js deck per notebook that carries slide metadata (the core, 01–05, how the LSTM learns,
16–20, and the language model, 22), exported from the notebooks' slide metadata. Keys: arrows or
space to move, <kbd>s</kbd> for speaker notes, <kbd>f</kbd> for full screen, <kbd>Esc</kbd> for the overview.
To present live with running code, open the notebook in JupyterLab and start RISE.</p>
<ul>
{items}
</ul>
<p><a href="../index.html">Back to the course</a></p>
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
