"""Three gunicorn workers and `cotrace worker` on one PostgreSQL database: a chair adds an agenda
item, then at once reads the meeting page on a new connection (served by whichever worker the
kernel picks), and sees the item, thirty times running."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cotrace import sign_in_sessions
from cotrace.accounts import open_account
from tests.conftest import ADMIN, TODAY
from tests.processes import answering, cotrace_env, free_port, running, wait_until
from tests.story import Riverside
from web import create_app

pytestmark = pytest.mark.postgres


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, *args: object, **kwargs: object
    ) -> None:  # the 303 is an answer to look at, not to follow
        return None


def test_each_request_reads_its_own_writes_across_three_web_workers(postgresql_url, tmp_path: Path):
    env = cotrace_env(tmp_path / "instance", DATABASE_URL=postgresql_url, SECRET_KEY="tests")
    app = create_app(
        {"DATABASE_URL": postgresql_url, "SECRET_KEY": "tests", "TODAY": lambda: TODAY},
        instance_path=str(tmp_path / "instance"),
    )
    services = app.extensions["cotrace"]
    story = Riverside.set_up(services.app, TODAY)
    admin = open_account(services, None, *ADMIN, is_admin=True)
    with services.engine.begin() as conn:
        token = sign_in_sessions.open_session(conn, "account", admin, datetime.now(UTC), True)
    cookie = app.session_interface.get_signing_serializer(app).dumps({"sid": token})
    services.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/meetings/{story.meeting}"
    jar = http.cookiejar.CookieJar()
    jar.set_cookie(
        http.cookiejar.Cookie(
            0,
            "session",
            cookie,
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            False,
            None,
            None,
            {},
        )
    )
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    # Processes started together on a new database set up one at a time (test_starting_together.py).
    serve = ["serve", "--port", str(port), "--workers", "3", "--threads", "2"]
    with running(serve, env, tmp_path / "serve.log") as server:
        wait_until(lambda: answering(base + "/"), 60, "the home page", server)
        with running(["worker", "--interval", "600"], env, tmp_path / "worker.log") as worker:
            worker.wait_for_output("Worker started")
            read_own_writes(browser, page, story.meeting)
            assert worker.process.poll() is None
    assert "Traceback" not in server.output() + worker.output()


def read_own_writes(browser, page: str, meeting) -> None:
    for n in range(30):
        shown = browser.open(page, timeout=10).read().decode()
        form = shown[shown.index(f'action="/meetings/{meeting}/agenda#agenda"') :]
        fields = {
            name: re.search(rf'name="{name}" value="([^"]+)"', form).group(1)
            for name in ("csrf_token", "submission")
        }
        body = urllib.parse.urlencode({**fields, "title": f"Item {n}"}).encode()
        try:
            browser.open(urllib.request.Request(f"{page}/agenda", data=body), timeout=10)
        except urllib.error.HTTPError as answer:
            assert answer.code == 303, answer.read().decode()[:500]
        again = browser.open(page, timeout=10).read().decode()  # a new connection each time
        assert f"Item {n}" in again, f"item {n} not on the page read straight after"
