"""Sphinx extension for the course website: pages that work offline, with nothing loaded from a CDN.

* Jupyter Book 1 always loads sphinx-thebe, whose configuration script (``const THEBE_JS_URL = ...``)
  can end up twice on a page: the browser then stops with "Identifier 'THEBE_JS_URL' has already been
  declared". The site has no live kernel, so the thebe scripts are dropped from every page.
* A link to a notebook that does not exist (yet) is left by MyST as a dead in-page anchor
  (``href="#13_compute_and_memory.ipynb"``); it becomes plain text marked ``missing-notebook-link``,
  so the site never offers a link that leads nowhere, and the browser test reports it.
* A link to the Chinese README (``README.zh-CN.md``, a file for GitHub readers) leads to the Chinese
  edition's README page on the site.
* Pages with saved widget state load the widget renderer from ``vendor/`` (see ``nb_ipywidgets_js`` in
  _config.yml). The renderer finds its icon fonts next to the AMD modules it defines, so require.js
  is told that they live in ``vendor/html-manager/`` (``offline_site_vendor``: ``../vendor`` for the
  Chinese edition in zh/, which shares the English site's); and it typesets with the MathJax 2 call
  ``MathJax.Hub.Queue``, which MathJax 3 lacks, so a small shim maps it to ``MathJax.typesetPromise``.
"""

from __future__ import annotations

import json
import re

from docutils import nodes
from sphinx.builders.html._assets import _JavaScript

WIDGET_RENDERER = "html-manager/embed-amd.js"
# The AMD modules that embed-amd.js defines; each finds its icon fonts next to its own module URL.
WIDGET_MODULES = ("base", "base7", "controls", "controls7", "html-manager")


def widget_module_paths(manager: str) -> dict[str, str]:
    """require.js paths that put every widget module (and so its fonts) in the vendored folder."""
    paths = {f"@jupyter-widgets/{name}": f"{manager}/{name}" for name in WIDGET_MODULES}
    paths["@jupyter-widgets/html-manager/dist"] = manager
    return paths


MATHJAX2_SHIM = """\
window.MathJax = window.MathJax || {};
(function () {
  var hub = {Queue: function () { if (window.MathJax.typesetPromise) { window.MathJax.typesetPromise(); } }};
  var startup = window.MathJax.startup || {};
  window.MathJax.Hub = hub;
  startup.ready = function () { MathJax.startup.defaultReady(); MathJax.Hub = hub; };
  window.MathJax.startup = startup;
})();"""


def _is_thebe(script) -> bool:
    filename = getattr(script, "filename", None) or ""
    body = (getattr(script, "attributes", None) or {}).get("body", "")
    return "thebe" in filename or "THEBE_JS_URL" in body


def _page_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    scripts = [s for s in scripts if not _is_thebe(s)]
    renderer = [i for i, s in enumerate(scripts) if str(getattr(s, "filename", "")).endswith(WIDGET_RENDERER)]
    if renderer:
        manager = context["pathto"](f"{app.config.offline_site_vendor}/html-manager", 1)
        paths = f"require.config({{paths: {json.dumps(widget_module_paths(manager))}}});"
        scripts[renderer[0]:renderer[0]] = [_JavaScript("", body=MATHJAX2_SHIM, priority=500),
                                            _JavaScript("", body=paths, priority=500)]
    context["script_files"] = scripts


DEAD_FILE_LINK = re.compile(r"^#[^#]+\.(ipynb|md)$")


def _unlink_missing_files(app, doctree, docname):
    for ref in list(doctree.findall(nodes.reference)):
        target = ref.get("refuri") or "#" + ref.get("refid", "")
        if DEAD_FILE_LINK.match(target):
            ref.replace_self(nodes.inline("", "", *ref.children, classes=["missing-notebook-link"]))


#: Files of the repository that the Chinese edition's pages stand for on the website: a link to one of them
#: (from the README on GitHub) leads to the page, in the Chinese edition.
CHINESE_FILES = {"README.zh-CN": "README", "translating.zh-CN": "book/translating"}


def _chinese_file_links(app, doctree):
    """A link to README.zh-CN.md (a file GitHub shows, not a page of the site) leads to the Chinese
    edition's README page: zh/README.html from the English site, README.html within the Chinese one.
    (Before MyST resolves links, which would leave it as plain text with a warning.)"""
    import posixpath

    from sphinx import addnodes

    docname = app.env.docname
    chinese = str(app.config.language or "").startswith("zh")
    for node in list(doctree.findall(addnodes.pending_xref)):
        target = posixpath.basename(node.get("reftarget", "")).removesuffix(".md")
        if node.get("reftype") != "myst" or target not in CHINESE_FILES:
            continue
        page = CHINESE_FILES[target]
        up = "../" * docname.count("/")
        uri = f"{up}{page}.html" if chinese else f"{up}zh/{page}.html"
        node.replace_self(nodes.reference("", "", *node.children, internal=False, refuri=uri))


def setup(app):
    app.connect("doctree-read", _chinese_file_links)
    # Where vendor/ lies, from the site's top folder: the Chinese edition, in zh/, shares the English one's.
    app.add_config_value("offline_site_vendor", "vendor", "html")
    app.connect("doctree-resolved", _unlink_missing_files)
    app.connect("html-page-context", _page_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
