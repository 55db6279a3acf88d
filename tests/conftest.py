"""Shared test set-up: quiet frameworks, reproducible hypothesis runs, framework fixtures."""

import os
from pathlib import Path

# Before any framework import: the same quiet, bit-stable set-up as the Makefile exports.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Layers are built for real, so examples are slow: no deadline, few examples, same examples each run.
settings.register_profile(
    "course",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))


# ---------------------------------------------------------------------------------------------
# Headless Chromium for the browser tests (tests/test_site.py, tests/test_lab.py)
# ---------------------------------------------------------------------------------------------

#: Debian's Chromium; CI installs it (.ci/run). Elsewhere the browser tests skip with the reason.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: The only hosts a page may send a request to.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module; skipped (failed under CI=true) where it is missing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) for this test"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()

