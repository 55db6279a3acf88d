"""Browser test of the course website and slides: every page of _build/html opened in headless Chromium.

Runs in `make test` after `make book slides` (the Makefile sets LSTM_SITE_TEST=1; a plain `pytest tests`
skips it). The site is served on 127.0.0.1 from a thread; every request to another host is blocked and
reported. Needs Debian's chromium at /usr/bin/chromium (driven by Playwright): without it the test is
skipped and says why, except under CI=true, where a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from conftest import LOCAL_HOSTS

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
SCREENSHOT_PAGES = ("01_gate_equations", "04_example_100_to_256")
# The learning part's two figures, as the site shows them: page, the call in the cell that draws it, file.
FIGURE_SHOTS = (("17_backprop_through_time", "bptt_graph(", "figure_bptt_graph"),
                ("16_why_gates", "backward=True", "figure_cell_backward"))
# TeX that MathJax should have turned into math: delimiters and the course's favourite commands.
RAW_TEX = re.compile(r"\\[()[\]]|\$\$|\$[^$\s][^$\n]{0,200}?\$|"
                     r"\\(tanh|sigma|odot|cdot|times|frac|tilde|mathbf|mathrm|begin|end|sum|left|right)\b")
# Text of the page as a reader sees it: without code, scripts and rendered math.
VISIBLE_TEXT_JS = """() => {
  const root = (document.querySelector('main') || document.body).cloneNode(true);
  root.querySelectorAll('pre, code, script, style, mjx-container, mjx-assistive-mml, .MathJax, textarea,'
                        + ' .output_area pre, .cell_input').forEach(e => e.remove());
  return root.textContent;
}"""
BROKEN_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return imgs.filter(i => i.naturalWidth === 0).map(i => i.getAttribute('src'));
}"""
MATHJAX_DONE_JS = """() => (window.MathJax && MathJax.startup && MathJax.startup.promise)
  ? MathJax.startup.promise.then(() => true) : true"""

# The Chinese edition (_build/html/zh/): prose blocks a reader sees, as text without code and math.
PROSE_BLOCKS_JS = """() => {
  const root = document.querySelector('main') || document.body;
  const skip = 'pre, code, script, style, mjx-container, mjx-assistive-mml, .MathJax, .headerlink';
  return Array.from(root.querySelectorAll('p, li, h1, h2, h3, h4, td, th'))
    .filter(e => !e.closest('.cell_output, .cell_input, nav, footer, .prev-next-area, .header-article, '
                            + 'details.hide summary, .bd-toc'))
    .map(e => { const c = e.cloneNode(true); c.querySelectorAll(skip).forEach(x => x.remove());
                return c.textContent.replace(/\\s+/g, ' ').trim(); });
}"""
CJK = re.compile(r"[\u4e00-\u9fff]")
# English a Chinese page may show: the references' authors and titles, names and code-like labels.
ENGLISH_ALLOWED = re.compile(r"arXiv|doi|Proceedings|Journal|Conference|Neural Computation|IEEE|"
                             r"Trans\.|et al\.|https?://|MIT|Press|NeurIPS|ICML|ICLR|ACL|EMNLP|Interspeech")
# An unsegmented Chinese query (no spaces): the page splits it into words (book/_ext/static).
ZH_QUERY = "遗忘门的偏置"
ZH_SHOT = "zh/notebooks/01_gate_equations.html"

SKIP_REASON = ("the browser test runs in `make test` / `make site-test`, after `make book slides` "
               "(set LSTM_SITE_TEST=1 to run it by hand)")


def _content_pages() -> list[Path]:
    """Every HTML page of the site a reader can reach (theme fragments and vendored files excluded)."""
    skip = ("_static", "_sources", "_images", "vendor", "_sphinx_design_static")

    def top(path: Path) -> str:  # the folder under the site's root, or under zh/ for the Chinese edition
        parts = path.relative_to(SITE).parts
        return parts[1] if parts[0] == "zh" and len(parts) > 1 else parts[0]

    return sorted(p for p in SITE.rglob("*.html") if top(p) not in skip)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports failures itself
        pass


@pytest.fixture(scope="module")
def server():
    if os.environ.get("LSTM_SITE_TEST") != "1":
        pytest.skip(SKIP_REASON)
    if not (SITE / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: `make book` (and `make slides`) first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()



@pytest.fixture(scope="module")
def crawl(server, browser):
    """Open every page once; collect what each test below checks."""
    found = {"external": [], "errors": [], "raw_tex": [], "images": [], "links": set(), "sidebar": [],
             "decks": {}, "widgets": {}, "pages": [], "search": None, "missing": [], "phone": [],
             "checks": [], "figures": {}, "answers": {}, "zh_lang": [], "zh_english": [], "zh_search": None,
             "zh_pages": 0}
    context = browser.new_context(viewport={"width": 1280, "height": 860}, service_workers="block")
    current = {"page": ""}

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            found["external"].append(f"{current['page']}: {route.request.url}")
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and found["errors"].append(
        f"{current['page']}: console: {m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: found["errors"].append(f"{current['page']}: page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and found["errors"].append(
        f"{current['page']}: HTTP {r.status} for {r.url}"))

    for path in _content_pages():
        rel = path.relative_to(SITE).as_posix()
        current["page"] = rel
        found["pages"].append(rel)
        page.goto(f"{server}/{rel}", wait_until="load")
        if 'http-equiv="Refresh"' in path.read_text(encoding="utf-8"):  # index.html: a redirect
            page.wait_for_url(lambda url, rel=rel: not url.endswith(rel))
            page.wait_for_load_state("load")
        page.evaluate(MATHJAX_DONE_JS)
        if rel.startswith("slides/") and rel.endswith(".slides.html"):
            try:
                page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()",
                                       timeout=60_000)
                found["decks"][rel] = page.evaluate("() => Reveal.getTotalSlides()")
            except Exception as exc:  # reported by test_every_slide_deck_opens
                found["decks"][rel] = f"reveal.js did not initialise: {exc}".splitlines()[0]
            page.evaluate(MATHJAX_DONE_JS)
            text = page.evaluate(VISIBLE_TEXT_JS.replace("document.querySelector('main')",
                                                         "document.querySelector('.slides')"))
        else:
            text = page.evaluate(VISIBLE_TEXT_JS)
        if page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count():
            try:
                page.wait_for_selector(".jupyter-widgets", timeout=60_000)
                found["widgets"][rel] = page.locator(".jupyter-widgets").count()
            except Exception:
                found["widgets"][rel] = 0
        if "# Check:" in text:  # check cells (tag remove-cell) are for nbval, not for readers
            found["checks"].append(rel)
        for match in RAW_TEX.finditer(text):
            found["raw_tex"].append(f"{rel}: ...{text[max(0, match.start() - 40):match.end() + 40]!r}...")
        found["images"] += [f"{rel}: {src}" for src in page.evaluate(BROKEN_IMAGES_JS)]
        found["missing"] += [f"{rel}: {t}" for t in page.eval_on_selector_all(
            ".missing-notebook-link", "els => els.map(e => e.textContent.trim())")]
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            url = urldefrag(href).url
            if urlparse(url).hostname in LOCAL_HOSTS:
                found["links"].add((url, rel))
        stem = Path(rel).stem
        if stem in SCREENSHOT_PAGES and rel.startswith("notebooks/"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            # The theme scrolls the sidebar to the current entry; show its top (the course's start).
            page.evaluate("document.querySelectorAll('.bd-sidebar-primary, .bd-sidebar-primary *')"
                          ".forEach(e => { e.scrollTop = 0; })")
            page.screenshot(path=str(SHOTS / f"{stem}.png"))
        for shot_page, call, name in FIGURE_SHOTS:
            if stem == shot_page and rel.startswith("notebooks/"):
                SHOTS.mkdir(parents=True, exist_ok=True)
                figure = page.locator("div.cell", has_text=call).first.locator("img").first
                figure.scroll_into_view_if_needed()
                figure.screenshot(path=str(SHOTS / f"{name}.png"))
                found["figures"][name] = SHOTS / f"{name}.png"
        if re.match(r"zh/(notebooks/|README|book/)", rel):
            found["zh_pages"] += 1
            lang = page.evaluate("document.documentElement.lang")
            if lang != "zh-CN":
                found["zh_lang"].append(f"{rel}: lang={lang!r}")
            for block in page.evaluate(PROSE_BLOCKS_JS):
                if (len(re.findall(r"[A-Za-z]{2,}", block)) >= 4 and not CJK.search(block)
                        and not ENGLISH_ALLOWED.search(block)):
                    found["zh_english"].append(f"{rel}: {block[:120]!r}")
            if rel == ZH_SHOT:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / "zh_page.png"))
        if re.fullmatch(r"notebooks/\d\d_[^/]+\.html", rel):  # last: opening the answers changes the page
            found["answers"][stem] = _answer_toggles(page)

    # On a phone (390 px wide) no page may scroll sideways: wide tables and code scroll in their own box.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                service_workers="block")
    phone.route("**/*", route)
    small = phone.new_page()
    for rel in found["pages"]:
        if rel.startswith(("notebooks/", "README", "book/", "zh/notebooks/", "zh/README", "zh/book/")):
            current["page"] = f"{rel} (phone)"
            small.goto(f"{server}/{rel}", wait_until="load")
            small.evaluate(MATHJAX_DONE_JS)
            width = small.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if width > 1:
                found["phone"].append(f"{rel}: {width} px wider than the screen")
    phone.close()
    current["page"] = "index.html"

    # The sidebar as a reader sees it on the landing page (index.html redirects to 00_start_here).
    page.goto(f"{server}/index.html", wait_until="load")
    page.wait_for_url("**/notebooks/*.html")
    found["sidebar"] = page.eval_on_selector_all(
        ".bd-sidebar-primary nav a.reference.internal", "els => els.map(a => a.href)")
    # Full-text search runs offline in the browser from searchindex.js.
    page.goto(f"{server}/search.html?q=forget", wait_until="load")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=60_000)
        found["search"] = page.locator("#search-results ul.search li").count()
    except Exception:
        found["search"] = 0
    # The Chinese site's search: jieba's index, and the query cut into words in the browser.
    page.goto(f"{server}/zh/search.html?q={ZH_QUERY}", wait_until="load")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=60_000)
        found["zh_search"] = page.eval_on_selector_all("#search-results ul.search li a",
                                                       "els => els.map(a => a.getAttribute('href'))")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "zh_search.png"))
    except Exception:
        found["zh_search"] = []
    context.close()
    return found


def _answer_toggles(page) -> tuple[int, bool | None, bool | None]:
    """The "Show the answers" toggles of a page (MyST-NB's <details> of a cell tagged hide-cell): how many,
    whether the first one's cell is visible before a click on its summary, and after it."""
    toggles = page.locator("details.hide", has_text="Show the answers")
    if not toggles.count():
        return 0, None, None
    cell = toggles.first.locator(".cell_input, .cell_output").first
    before = cell.is_visible()
    toggles.first.locator("summary").click()
    return toggles.count(), before, cell.is_visible()


def test_every_page_was_opened(crawl):
    assert "index.html" in crawl["pages"] and "notebooks/00_start_here.html" in crawl["pages"]
    print(f"{len(crawl['pages'])} pages opened, {len(crawl['decks'])} slide deck(s), "
          f"{len(crawl['links'])} internal links")


def test_no_request_leaves_localhost(crawl):
    assert not crawl["external"], "blocked requests to other hosts:\n" + "\n".join(crawl["external"])


def test_no_console_or_page_errors(crawl):
    assert not crawl["errors"], "\n".join(crawl["errors"])


def test_no_raw_tex_in_page_text(crawl):
    assert not crawl["raw_tex"], "math left as TeX:\n" + "\n".join(crawl["raw_tex"])


def test_every_image_loads(crawl):
    assert not crawl["images"], "images that did not load:\n" + "\n".join(crawl["images"])


def test_every_internal_link_returns_200(crawl):
    bad = []
    for url in sorted({u for u, _ in crawl["links"]}):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as err:
            status = err.code
        if status != 200:
            pages = sorted(p for u, p in crawl["links"] if u == url)
            bad.append(f"{status} {url} (linked from {', '.join(pages[:3])})")
    assert not bad, "\n".join(bad)


def test_pages_fit_a_phone_screen(crawl):
    assert not crawl["phone"], "pages that scroll sideways on a phone:\n" + "\n".join(crawl["phone"])


def test_no_link_to_a_notebook_that_does_not_exist(crawl):
    assert not crawl["missing"], "links to notebooks that do not exist (shown as plain text):\n" + \
        "\n".join(crawl["missing"])


def _course_files() -> list[str]:
    numbered = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    exercises = sorted((ROOT / "notebooks" / "exercises").glob("*.ipynb"))
    return [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in numbered + exercises]


def test_every_notebook_is_a_page_in_the_sidebar_in_course_order(crawl):
    sidebar = [urlparse(u).path.lstrip("/") for u in crawl["sidebar"]]
    missing = [f for f in _course_files() if f not in sidebar]
    assert not missing, f"notebooks missing from the site's table of contents: {missing}"
    missing_pages = [f for f in _course_files() if not (SITE / f).exists()]
    assert not missing_pages, f"notebooks without a page: {missing_pages}"
    numbered = [s for s in sidebar if re.fullmatch(r"notebooks/\d\d_.+\.html", s)]
    assert numbered == sorted(numbered), f"sidebar not in course order: {numbered}"
    orphans = [p for p in crawl["pages"] if p.startswith("notebooks/") and p not in sidebar]
    assert not orphans, f"pages not reachable from the sidebar: {orphans}"


def test_every_slide_deck_opens(crawl):
    expected = [p for p in _course_files() if p.startswith("notebooks/") and "exercises/" not in p
                and _has_slide_metadata(ROOT / Path(p).with_suffix(".ipynb"))]
    decks = {f"slides/{Path(p).stem}.slides.html" for p in expected}
    assert decks <= set(crawl["decks"]), f"decks not built (run `make slides`): {decks - set(crawl['decks'])}"
    broken = {deck: n for deck, n in crawl["decks"].items() if not isinstance(n, int) or n < 2}
    assert not broken, f"slide decks that did not open: {broken}"


def _has_slide_metadata(path: Path) -> bool:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any(c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in cells)


def test_saved_widget_state_renders_locally(crawl):
    broken = [page for page, n in crawl["widgets"].items() if n == 0]
    assert not broken, f"pages whose saved widget state did not render: {broken}"


def test_full_text_search_finds_pages(crawl):
    assert crawl["search"] > 0, "search.html?q=forget found nothing"


def test_screenshots_for_the_readme(crawl):
    for stem in SCREENSHOT_PAGES:
        if (SITE / "notebooks" / f"{stem}.html").exists():
            shot = SHOTS / f"{stem}.png"
            assert shot.exists() and shot.stat().st_size > 10_000, shot
            print(f"screenshot: {shot.relative_to(ROOT)}")
    assert SHOTS.is_dir() or not any((SITE / "notebooks" / f"{s}.html").exists() for s in SCREENSHOT_PAGES)


def test_check_cells_are_hidden_on_pages_and_in_decks(crawl):
    assert not crawl["checks"], f"pages or decks that show a check cell: {crawl['checks']}"


def test_the_learning_part_figures_are_on_their_pages(crawl):
    for _, _, name in FIGURE_SHOTS:
        shot = crawl["figures"].get(name)
        assert shot is not None and shot.stat().st_size > 10_000, f"figure {name} not found on its page"
        print(f"screenshot: {shot.relative_to(ROOT)}")


def test_check_yourself_answers_are_behind_a_toggle(crawl):
    # tests/test_leaks.py checks the cell metadata; this checks what a reader of the website sees.
    lessons = [p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) if p.name[:2] != "00"]
    seen = {stem: crawl["answers"].get(stem) for stem in lessons}
    bad = {stem: state for stem, state in seen.items()
           if state is None or state[0] < 1 or state[1:] != (False, True)}
    assert not bad, ("pages whose Check-yourself answers are not behind a 'Show the answers' toggle, as "
                     f"(toggles, visible before a click, visible after): {bad}")


def test_every_chinese_page_is_chinese(crawl):
    """The Chinese edition: every page of it opened (lang zh-CN), its prose in Chinese: no paragraph, list
    item, heading or table cell of four English words or more outside code, math, outputs and references."""
    english = {p for p in crawl["pages"] if re.match(r"(notebooks/|README|book/)", p)}
    chinese = {p.removeprefix("zh/") for p in crawl["pages"] if p.startswith("zh/")}
    assert english <= chinese, f"pages without a Chinese edition: {sorted(english - chinese)}"
    assert crawl["zh_pages"] >= len(english)
    assert not crawl["zh_lang"], crawl["zh_lang"]
    assert not crawl["zh_english"], "English prose on Chinese pages:\n" + "\n".join(crawl["zh_english"])
    shot = (SHOTS / "zh_page.png").relative_to(ROOT)
    print(f"{crawl['zh_pages']} Chinese pages opened; screenshot: {shot}")


def test_a_chinese_search_without_spaces_finds_its_page(crawl):
    hits = crawl["zh_search"]
    assert hits, f"zh/search.html?q={ZH_QUERY} found nothing"
    assert any("notebooks/" in h for h in hits), hits
    print(f"{len(hits)} hits for {ZH_QUERY}; screenshot: {(SHOTS / 'zh_search.png').relative_to(ROOT)}")
