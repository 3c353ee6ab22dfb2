"""A real Cotrace served on a free local port, and Debian's Chromium driven by Playwright.

Chromium is /usr/bin/chromium (never a downloaded browser). Without it these tests skip, except in
CI, where `.ci/run` installs it and a missing browser fails the run.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask
from werkzeug.serving import make_server

from cotrace import credentials, sign_in_sessions
from cotrace.accounts import open_account
from tests.conftest import ADMIN, TODAY
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
    """axe-core finds no violation on the page as it stands; a screenshot is kept to look at."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
