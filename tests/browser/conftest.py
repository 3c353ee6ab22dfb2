"""A real Cotrace served on a free local port, and Debian's Chromium driven by Playwright.

Chromium is /usr/bin/chromium (never a downloaded browser). Without it these tests skip, except in
CI, where `.ci/run` installs it and a missing browser fails the run.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import TODAY
from tests.story import Riverside
from web import create_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def served_app(tmp_path):
    """The app on SQLite, before it is served: for a test that needs its services (an account)."""
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'cotrace.db'}", "TODAY": lambda: TODAY},
        instance_path=str(tmp_path / "instance"),
    )
    yield app
    app.extensions["cotrace"].close()


@pytest.fixture
def served(served_app) -> Iterator[tuple[str, Riverside]]:
    """The app on SQLite, the Riverside story in it, served at a base URL."""
    services = served_app.extensions["cotrace"]
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    server = make_server("127.0.0.1", 0, served_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", story
    finally:
        server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page, name: str) -> None:
    """axe-core finds no violation on the page as it stands; a screenshot is kept to look at."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
