"""Every form Cotrace receives is refused without this session's form token, so another site cannot
make a signed-in browser record anything (issue 12). The routes come from the app's URL map, so a
POST route added later is covered without a line here; each is sent with the ids of real things (a
real action, a real sign-in link), so a request that got through would really write.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect

from tests.conftest import signed_in
from tests.web.url_map import World, open_world, routes

# The routes another program posts to without a form of ours, each with a secret in its address
# instead (`csrf.exempt`). Written out, so that exempting a route by mistake fails here.
EXEMPT = {"my_input.unsubscribe"}  # RFC 8058 one-click unsubscribe: the mail client posts
REFUSAL = "The form has expired"
SESSION_TOKEN = "the-token-of-this-session"
# How a forged form comes: each sets this browser's session, then sends a body and headers.
FORGERIES = {
    "no token": (SESSION_TOKEN, {}, {}),
    "a wrong token": (SESSION_TOKEN, {"csrf_token": "forged"}, {}),
    "another session's token": (SESSION_TOKEN, {"csrf_token": "the-token-of-another-session"}, {}),
    "a wrong token in the htmx header": (SESSION_TOKEN, {}, {"X-CSRF-Token": "forged", "HX-Request": "true"}),
    "an empty token, the session having none": (None, {"csrf_token": ""}, {}),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    database = tmp_path_factory.mktemp("form-tokens") / "cotrace.db"
    opened = open_world(f"sqlite:///{database}", str(tmp_path_factory.mktemp("instance")))
    yield opened
    opened.close()


# Written by reading a page, by design: a session's last-seen time (at most once a minute).
SEEN = {("sign_in_sessions", "last_seen_at")}
# And the secret the second-factor set-up page shows, new each time the page is shown.
SHOWN = SEEN | {("credentials", "totp_pending_secret")}


def everything_stored(world: World, ignoring: set[tuple[str, str]] = SEEN) -> dict[str, list[tuple]]:
    """Every row of every table: the event log, the read models, and the tables outside the log
    (sessions, passwords, links, throttle), whose writes are no events; but for the columns
    `ignoring` (table, column)."""
    engine = world.app.extensions["cotrace"].engine
    stored = {}
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():  # as stored: raw values, no type to read them
            columns = [
                f'"{c["name"]}"'
                for c in inspect(conn).get_columns(table)
                if (table, c["name"]) not in ignoring
            ]
            rows = conn.exec_driver_sql(f'SELECT {", ".join(columns)} FROM "{table}"')
            stored[table] = sorted((tuple(row) for row in rows), key=repr)
    assert "sign_in_sessions" in stored and len(stored) > 20
    return stored


def with_session_token(client, session_token: str | None):
    """The browser's session as a forgery finds it: holding this token, or none yet."""
    with client.session_transaction() as cookie:
        cookie.pop("csrf", None)
        if session_token is not None:
            cookie["csrf"] = session_token
    return client


def test_the_only_routes_without_form_tokens_are_the_ones_meant(world):
    exempt = {
        endpoint
        for endpoint, _ in routes(world.app, "POST")
        if getattr(world.app.view_functions[endpoint], "csrf_exempt", False)
    }
    assert exempt == EXEMPT


@pytest.mark.parametrize("role", ["admin", "chair"])
def test_every_post_without_this_sessions_token_is_refused_and_writes_nothing(world, role):
    log = world.app.extensions["cotrace"].app.recorder
    browser = signed_in(world.app, *world.people[role])  # before the snapshot: signing in writes
    before, head = everything_stored(world), log.max_notification_id()
    wrong = []
    posted = routes(world.app, "POST")
    assert len(posted) > 30  # the map was read, not an empty list walked
    for endpoint, rule in posted:
        if endpoint in EXEMPT:
            continue
        url = world.address(rule, endpoint, real=True)
        for forgery, (session_token, body, headers) in FORGERIES.items():
            answer = with_session_token(browser, session_token).post(url, data=body, headers=headers)
            if answer.status_code != 400 or REFUSAL not in answer.get_data(as_text=True):
                wrong.append(f"POST {url} with {forgery}: {answer.status_code}, expected 400 ({REFUSAL})")
            if log.max_notification_id() != head:
                wrong.append(f"POST {url} with {forgery} recorded an event")
                head = log.max_notification_id()
    assert wrong == [], "\n".join(wrong)
    assert everything_stored(world) == before


def test_the_same_form_with_this_sessions_token_is_received(world):
    """The refusals above are the token's doing: with the right token, the same kind of request
    reaches its page (which explains its own mistakes, with nothing to do with the token)."""
    client = with_session_token(signed_in(world.app, *world.people["admin"]), SESSION_TOKEN)
    answer = client.post("/partnerships/new", data={"csrf_token": SESSION_TOKEN, "name": ""})
    assert answer.status_code == 422 and REFUSAL not in answer.get_data(as_text=True)


@pytest.mark.parametrize("role", ["public", "admin"])
def test_a_head_request_is_answered_as_the_page_and_writes_nothing(world, role):
    """HEAD is not a form: it takes no form token, so it must never do what a POST does (a mail
    scanner asking for the head of a sign-in link must not use the link up)."""
    log = world.app.extensions["cotrace"].app.recorder
    browser = world.app.test_client() if role == "public" else signed_in(world.app, *world.people[role])
    before, head = everything_stored(world, SHOWN), log.max_notification_id()
    pages = [world.address(rule, endpoint, real=True) for endpoint, rule in routes(world.app, "HEAD")]
    headed = {url: browser.head(url).status_code for url in pages}
    assert log.max_notification_id() == head
    assert everything_stored(world, SHOWN) == before
    got = {url: browser.get(url).status_code for url in pages}
    assert headed == got  # the page's own answer, whatever it is: shown, redirected, refused
