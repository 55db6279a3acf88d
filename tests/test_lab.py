"""The course as learners meet it: JupyterLab started as `make lab` starts it, driven in headless Chromium.

Runs in `make test` (the Makefile's lab-test step sets LSTM_LAB_TEST=1; a plain `pytest tests` skips it).
The server is `jupyter lab --ip=127.0.0.1` with a login token, `--allow-root` when run as root, and the
course's JupyterLab settings from `lab/` on JUPYTER_CONFIG_PATH, exactly as in the Makefile; its runtime,
config, data, user-settings and workspace folders are temporary, autosave is off and checkpoints go to a
temporary folder, so the stored notebooks are never written. Every browser request to another host than
127.0.0.1 is blocked and fails the test, as does any page error. Chromium is Debian's /usr/bin/chromium
(driven by Playwright, launched as in tests/test_site.py): without it the test is skipped and says why,
except under CI=true, where a missing browser fails.

Every wait is on a condition (a selector, a text, the kernel's status), with generous timeouts: on a
loaded two-core machine a kernel that imports matplotlib and ipywidgets takes a while to start.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import LOCAL_HOSTS

import lstm_utils as lu

ROOT = Path(__file__).resolve().parents[1]
LAB_SETTINGS = ROOT / "lab"          # the course's JupyterLab configuration, shared with `make lab`
NOTEBOOKS = ("notebooks/12_explorer.ipynb", "notebooks/00_start_here.ipynb")
START_TIMEOUT = 180                  # s, for the server to answer
WAIT_MS = 600_000                    # ms, for a kernel to start or a notebook to run (loaded machine)
ACTION_MS = 120_000                  # ms, for a page to load or a menu to answer
SKIP_REASON = ("the live JupyterLab test runs in `make test` / `make lab-test` "
               "(set LSTM_LAB_TEST=1 to run it by hand)")

PROMPTS_JS = "() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "\
             ".jp-CodeCell .jp-InputPrompt'), e => e.textContent.trim())"
# Run All stops at the first exception: done when no cell is queued ([*]) and either every cell has run
# or an exception was shown.
RUN_DONE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const prompts = Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt'), e => e.textContent);
  if (prompts.some(t => t.includes('*'))) return false;
  const failed = Array.from(panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]'))
    .some(e => e.textContent.includes('Traceback'));
  return failed || prompts.every(t => /\\[\\d+\\]/.test(t));
}"""
STDERR_JS = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) '
  + '[data-mime-type="application/vnd.jupyter.stderr"]'), e => e.textContent)"""
# The explorer's controls and its totals, read from the page.
EXPLORER_STATE_JS = """ex => {
  const slider = label => Number(Array.from(ex.querySelectorAll('.widget-slider'))
    .find(s => s.querySelector('.widget-label').textContent === label)
    .querySelector('.widget-readout').textContent);
  const box = label => Array.from(ex.querySelectorAll('.widget-checkbox'))
    .find(b => b.textContent.includes(label)).querySelector('input').checked;
  const totals = Array.from(ex.querySelectorAll('.widget-html-content'))
    .find(h => h.textContent.startsWith('Total parameters'));
  return {
    input_size: slider('input_size (n)'), hidden_size: slider('hidden_size (m)'),
    num_layers: slider('num_layers'), proj_size: slider('proj_size'),
    bidirectional: box('bidirectional'), bias: box('bias'),
    cell: ex.querySelector('.widget-dropdown select').value,
    framework: ex.querySelector('.widget-toggle-button.mod-active').dataset.value,
    totals: Object.fromEntries(Array.from(totals.querySelectorAll('thead th'), (th, k) =>
      [th.textContent.trim(), totals.querySelectorAll('tbody td')[k].textContent.trim()])),
  };
}"""


def _digests() -> dict[str, str]:
    return {nb: hashlib.sha256((ROOT / nb).read_bytes()).hexdigest() for nb in NOTEBOOKS}


class Lab:
    """A running `jupyter lab`: its base URL and token, and a small REST client."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url.rstrip("/"), token

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    yield from _serve(tmp_path_factory, [LAB_SETTINGS])


@pytest.fixture(scope="module")
def lab_zh(tmp_path_factory):
    """JupyterLab as `make lab-zh` starts it: lab/zh before lab/ on JUPYTER_CONFIG_PATH."""
    yield from _serve(tmp_path_factory, [LAB_SETTINGS / "zh", LAB_SETTINGS])


def _serve(tmp_path_factory, settings: list[Path]):
    if os.environ.get("LSTM_LAB_TEST") != "1":
        pytest.skip(SKIP_REASON)
    tmp = tmp_path_factory.mktemp("lab")
    folders = {name: tmp / name for name in ("runtime", "config", "data", "settings", "workspaces",
                                              "checkpoints", "ipython")}
    for folder in folders.values():
        folder.mkdir()
    # Autosave off: running the notebooks must not rewrite the stored ones.
    docmanager = folders["settings"] / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    config_path = os.pathsep.join(filter(None, [*map(str, settings), os.environ.get("JUPYTER_CONFIG_PATH")]))
    env = {**os.environ, "JUPYTER_CONFIG_PATH": config_path,
           "JUPYTER_RUNTIME_DIR": str(folders["runtime"]), "JUPYTER_CONFIG_DIR": str(folders["config"]),
           "JUPYTER_DATA_DIR": str(folders["data"]), "JUPYTERLAB_SETTINGS_DIR": str(folders["settings"]),
           "JUPYTERLAB_WORKSPACES_DIR": str(folders["workspaces"]), "IPYTHONDIR": str(folders["ipython"])}
    token = secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", "--port=0", "--no-browser",
               f"--IdentityProvider.token={token}",
               f"--FileCheckpoints.checkpoint_dir={folders['checkpoints']}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    before = _digests()
    log = tmp / "jupyter.log"
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        info_file = folders["runtime"] / f"jpserver-{process.pid}.json"
        deadline = time.monotonic() + START_TIMEOUT
        server = None
        while server is None:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with code {process.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer within {START_TIMEOUT} s:\n{log.read_text()}")
            if info_file.exists():
                try:
                    candidate = Lab(json.loads(info_file.read_text())["url"], token)
                    candidate.api("/api/status")
                    server = candidate
                except (ValueError, KeyError, OSError):
                    pass  # the file is being written, or the server is not listening yet
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert _digests() == before, "the stored notebooks were rewritten while the test ran"



@pytest.fixture
def open_notebook(browser, lab):
    """Open a notebook in a fresh JupyterLab workspace; check page errors and hosts when the test ends."""
    problems = {"external": [], "errors": []}
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    context.set_default_timeout(ACTION_MS)             # clicks and page loads, under load too

    def route(route):
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            problems["external"].append(url)
            route.abort()

    context.route("**/*", route)

    def opener(path: str):
        page = context.new_page()
        page.on("pageerror", lambda e: problems["errors"].append(f"{path}: page error: {e}"))
        workspace = re.sub(r"\W", "-", Path(path).stem)
        page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{path}?token={lab.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=WAIT_MS)
        _wait_for_idle_kernel(page)
        return page

    yield opener
    try:
        toasts = [text for page in context.pages for text in
                  page.eval_on_selector_all(".jp-toast-message", "els => els.map(e => e.textContent)")]
        context.close()
    finally:
        lab.shut_down_kernels()
    assert not problems["external"], f"requests that left 127.0.0.1: {problems['external']}"
    assert not problems["errors"], problems["errors"]
    assert not [t for t in toasts if "news" in t.lower()], f"the news pop-up showed: {toasts}"


def _wait_for_idle_kernel(page) -> None:
    # The status bar reads "No Kernel | Initializing", then "Python 3 (ipykernel) | Idle".
    page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"^Python 3.*\| Idle$")).wait_for(
        timeout=WAIT_MS)


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator("li.lm-Menu-item", has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(
        f"^{re.escape(item)}$"))).click()


def _run_all(page) -> tuple[list[str], list[str]]:
    """Expand every cell (the Check-yourself answers are stored collapsed, and a collapsed cell shows no
    prompt), clear every output, Run > Run All Cells, wait; return the prompts and stderr's texts."""
    _menu(page, "View", "Expand All Code")
    _menu(page, "View", "Expand All Outputs")
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"() => ({PROMPTS_JS})().every(t => !/\\d/.test(t))", timeout=WAIT_MS)
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_DONE_JS, timeout=WAIT_MS)
    _wait_for_idle_kernel(page)
    return page.evaluate(PROMPTS_JS), page.evaluate(STDERR_JS)


def _assert_ran_cleanly(prompts: list[str], stderr: list[str]) -> None:
    errors = [text for text in stderr
              if "Traceback" in text or re.search(r"^\w*(Error|Exception)\b", text, re.M)]
    assert not errors, "a cell shows an error:\n" + "\n---\n".join(errors)
    # A fresh kernel, every code cell run once, in order: [1], [2], ... .
    assert prompts == [f"[{k}]:" for k in range(1, len(prompts) + 1)], prompts


def _expected_totals(state: dict) -> dict[str, str]:
    """What the totals row must read for the explorer's controls: lu.count_params, or 'none'."""
    layer = {k: state[k] for k in ("input_size", "hidden_size", "cell", "num_layers", "bidirectional", "bias",
                                   "proj_size")}
    totals = {}
    for fw in lu.frameworks.counted():                     # the explorer shows every counted framework
        try:
            totals[fw] = f"{lu.count_params(framework=fw, **layer):,}"
        except (TypeError, ValueError):
            totals[fw] = "none (see below)"
    return totals


def test_course_settings_are_in_effect(lab):
    # lab/settings/overrides.json: no news, no update check, no extension manager.
    notification = lab.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = {k: v["default"] for k, v in notification["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False
    manager = lab.api("/lab/api/settings/@jupyterlab/extensionmanager-extension:plugin")
    assert manager["schema"]["properties"]["enabled"]["default"] is False
    # lab/jupyter_lab_config.py: the server side of the same.
    request = urllib.request.Request(f"{lab.url}/lab", headers={"Authorization": f"token {lab.token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        page = response.read().decode()
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert config["news"] == {"disabled": True}
    assert config["extensionManager"]["name"] == "read-only"
    assert config["extensionManager"]["can_install"] is False


def test_explorer_follows_the_hidden_size_slider(open_notebook):
    page = open_notebook("notebooks/12_explorer.ipynb")
    _assert_ran_cleanly(*_run_all(page))

    explorer = page.locator(".widget-vbox", has_text="LSTM explorer")
    explorer.wait_for(timeout=WAIT_MS)
    assert explorer.count() == 1
    state = explorer.evaluate(EXPLORER_STATE_JS)
    assert state["totals"] == _expected_totals(state), state     # where the notebook left it

    new = 300 if state["hidden_size"] != 300 else 301
    slider = explorer.locator(".widget-slider", has=page.locator(".widget-label", has_text="hidden_size (m)"))
    readout = slider.locator(".widget-readout")
    readout.fill(str(new))
    readout.press("Enter")
    expected = _expected_totals({**state, "hidden_size": new})
    assert expected != state["totals"]
    page.wait_for_function("""([ex, want]) => {
        const totals = Array.from(ex.querySelectorAll('.widget-html-content'))
          .find(h => h.textContent.startsWith('Total parameters'));
        const cells = Array.from(totals.querySelectorAll('tbody td'), td => td.textContent.trim());
        return cells.join('|') === want;
      }""", arg=[explorer.element_handle(), "|".join(expected.values())], timeout=WAIT_MS)
    after = explorer.evaluate(EXPLORER_STATE_JS)
    assert after == {**state, "hidden_size": new, "totals": expected}
    assert slider.locator("[role=slider]").get_attribute("aria-valuenow") in (str(new), f"{new}.0")


def test_start_here_runs_without_errors(open_notebook):
    page = open_notebook("notebooks/00_start_here.ipynb")
    prompts, stderr = _run_all(page)
    _assert_ran_cleanly(prompts, stderr)
    assert len(prompts) >= 3


def test_the_chinese_jupyterlab_speaks_chinese(browser, lab_zh):
    """`make lab-zh`: the Chinese notebooks in JupyterLab with the zh_CN language pack: the first menu is
    文件 (File), and the notebook's first heading is Chinese."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    context.set_default_timeout(ACTION_MS)
    try:
        page = context.new_page()
        page.goto(f"{lab_zh.url}/lab/workspaces/zh/tree/notebooks_zh/00_start_here.ipynb?token={lab_zh.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownCell h1", timeout=WAIT_MS)
        menus = page.eval_on_selector_all(".lm-MenuBar-itemLabel", "els => els.map(e => e.textContent)")
        heading = page.locator(".jp-NotebookPanel .jp-MarkdownCell h1").first.text_content()
        shots = ROOT / "_build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "jupyterlab_zh.png"))
    finally:
        context.close()
        lab_zh.shut_down_kernels()
    assert menus[:2] == ["文件", "编辑"], menus
    assert re.search(r"[\u4e00-\u9fff]", heading), heading
