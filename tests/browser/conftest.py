"""A real Cotrace served on a free local port, and Debian's Chromium driven by Playwright.

Chromium is /usr/bin/chromium (never a downloaded browser). Without it these tests skip, except in
CI, where `.ci/run` installs it and a missing browser fails the run.

Every browser test fails on an error in the browser's console (a Content-Security-Policy violation
among them) or one thrown in a page, unless the test marks it expected:
`@pytest.mark.console_error("words", ...)`, each the words of an error it means to cause.
`COTRACE_SCREENSHOTS=folder` keeps a screenshot of each page `assert_accessible` checks.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from flask import Flask
from werkzeug.serving import make_server

from cotrace import credentials, sign_in_sessions
from cotrace.accounts import open_account
from tests.conftest import ADMIN, TODAY
from tests.story import Riverside
from web import create_app

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

CHROMIUM = "/usr/bin/chromium"
# Where screenshots go, if anywhere: `COTRACE_SCREENSHOTS=test-artifacts` (a folder git ignores).
SCREENSHOTS = os.environ.get("COTRACE_SCREENSHOTS")
# The browser logs every 422 an htmx form gets back, though it is how Cotrace answers a form with
# mistakes (shown next to their fields): the one console error that is no fault.
ANSWERED_WITH_MISTAKES = "the server responded with a status of 422"


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


@pytest.fixture(autouse=True)
def console_errors(browser, request, monkeypatch) -> Iterator[list[str]]:
    """What the browser reported as errors in this test: its console, and errors thrown in a page.
    Every context the test opens is watched, however it opens it."""
    said: list[str] = []
    new_context = browser.new_context

    def watched_context(**options: Any) -> BrowserContext:
        context = new_context(**options)
        context.on("console", lambda message: said.append(message.text) if message.type == "error" else None)
        context.on("weberror", lambda error: said.append(f"Uncaught: {error.error}"))
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield said
    marked = [words for marker in request.node.iter_markers("console_error") for words in marker.args]
    expected = [ANSWERED_WITH_MISTAKES, *marked]
    unexpected = [
        text
        for text in said
        if "Content Security Policy" in text or not any(words in text for words in expected)
    ]  # a CSP violation is never expected: the policy must hold on every page
    assert not unexpected, "the browser's console had errors:\n" + "\n".join(unexpected)


@pytest.fixture
def served_app(tmp_path) -> Iterator[tuple[str, Riverside, Flask]]:
    """The app on SQLite, the Riverside story in it, served at a base URL."""
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'cotrace.db'}", "TODAY": lambda: TODAY},
        instance_path=str(tmp_path / "instance"),
    )
    services = app.extensions["cotrace"]
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", story, app
    finally:
        server.shutdown()
        services.close()


@pytest.fixture
def served(served_app) -> tuple[str, Riverside]:
    base, story, _ = served_app
    return base, story


def sign_in(context, served_app, kind: str = "account", principal_id: UUID | None = None) -> None:
    """Signs the browser context in, as signing in does: a server-side session, and its token in
    the session cookie. Without `principal_id`, as an admin with a second factor (every page open)."""
    base, _, app = served_app
    services = app.extensions["cotrace"]
    if principal_id is None:
        with services.engine.connect() as conn:
            principal_id = credentials.account_for_email(conn, ADMIN[1])
        principal_id = principal_id or open_account(services, None, *ADMIN, is_admin=True)
    with services.engine.begin() as conn:
        token = sign_in_sessions.open_session(conn, kind, principal_id, datetime.now(UTC), True)
    cookie = app.session_interface.get_signing_serializer(app).dumps({"sid": token})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])


@pytest.fixture
def page(browser, served_app):
    """A page in a browser signed in as an admin."""
    context = browser.new_context()
    sign_in(context, served_app)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser, served_app):
    """A page in a browser without JavaScript, signed in as an admin."""
    context = browser.new_context(java_script_enabled=False)
    sign_in(context, served_app)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def public_page(browser):
    """A page in a browser with no one signed in."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page, name: str) -> None:
    """axe-core finds no violation on the page as it stands; with COTRACE_SCREENSHOTS set, a screenshot
    is kept to look at, named by `name` and the width it was read at."""
    from axe_playwright_python.sync_playwright import Axe

    keep_screenshot(page, name)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def expect_focus(page, selector: str) -> None:
    """The element matching selector has the focus, waited for by Playwright itself. (wait_for_function
    evaluates its string in the page, which the strict CSP, with no 'unsafe-eval', can refuse.)"""
    from playwright.sync_api import expect

    expect(page.locator(f"{selector}:focus")).to_have_count(1, timeout=2000)


def keep_screenshot(page, name: str) -> None:
    """With COTRACE_SCREENSHOTS set, the whole page as a person sees it, in that folder as
    NAME-WIDTH.png (meeting-375.png); without, nothing (screenshots cost time)."""
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else "default"
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)
