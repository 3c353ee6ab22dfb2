"""What a tester found the web app left open (issue 12): no request size limit, cookies and caches
without the usual protections, private tokens in the access log, a non-ASCII form token a 500."""

from __future__ import annotations

import io
import logging
import threading
import urllib.request

import pytest
from werkzeug.serving import make_server

from tests.conftest import TODAY
from web import MAX_REQUEST_BYTES, PrivateLinksFilter, commands, create_app
from web.private_links import FEED, PAGE, current_token


def with_form_token(client) -> None:
    with client.session_transaction() as session:
        session["csrf"] = "token"


def publish(client, story, document: bytes):
    with_form_token(client)
    return client.post(
        f"/policies/{story.policy}/versions/new",
        data={
            "csrf_token": "token",
            "title": "EHE policy",
            "version_label": "Draft 1",
            "content_hash": "",
            "link": "",
            "published_on": "2026-06-01",
            "document": (io.BytesIO(document), "ehe.pdf"),
        },
        content_type="multipart/form-data",
    )


def test_a_request_larger_than_the_limit_is_refused_with_a_plain_message(client, story, flask_app):
    assert MAX_REQUEST_BYTES == 20 * 1024 * 1024
    response = publish(client, story, b"x" * (MAX_REQUEST_BYTES + 1))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page
    assert "at most 20 MB" in page
    assert flask_app.extensions["cotrace"].app.repository.get(story.policy).versions == []


def test_a_document_of_a_reasonable_size_is_still_accepted(client, story, flask_app):
    response = publish(client, story, b"%PDF" + b"x" * (15 * 1024 * 1024))
    assert response.status_code == 303
    assert len(flask_app.extensions["cotrace"].app.repository.get(story.policy).versions) == 1


def test_the_upload_says_how_large_a_document_may_be(client, story):
    page = client.get(f"/policies/{story.policy}/versions/new").get_data(as_text=True)
    assert "At most 20 MB" in page


def test_the_session_cookie_is_http_only_and_same_site(client):
    client.get("/partnerships/new")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure  # served over plain http here: a Secure cookie would never come back


def test_served_over_https_the_session_cookie_is_secure(database_url, tmp_path):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "TODAY": lambda: TODAY, "SECRET_KEY": "tests"}
        | {"BASE_URL": "https://cotrace.example.org"},
        instance_path=str(tmp_path / "instance"),
    )
    try:
        client = app.test_client()
        client.get("/sign-in", base_url="https://cotrace.example.org")
        assert client.get_cookie("session", domain="cotrace.example.org").secure
    finally:
        app.extensions["cotrace"].close()


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_private_pages_and_form_pages_are_not_stored(client, flask_app, story):
    with flask_app.app_context(), commands.reading() as conn:
        token = current_token(conn, PAGE, story.people["amira"])
        feed = current_token(conn, FEED, story.people["amira"])
    shown = f"/partnerships/{story.partnership}/members/{story.people['amira']}/private-link"
    for private in (f"/my-input/{token}", "/unsubscribe/not-a-token", shown):
        assert client.get(private).headers.get("Cache-Control") == "no-store", private
    # The feed chose for itself: a feed reader keeps it, no shared cache does.
    assert client.get(f"/my-input/{feed}/feed.atom").headers.get("Cache-Control") == "private"
    assert client.get("/partnerships/new").headers.get("Cache-Control") == "no-store"


def test_a_non_ascii_form_token_is_a_bad_request_not_a_crash(client):
    with_form_token(client)
    response = client.post("/partnerships/new", data={"csrf_token": "é", "name": "Anything"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)


def werkzeug_record(line: str) -> logging.LogRecord:
    """A record as werkzeug's request log makes it (`WSGIRequestHandler.log_request`)."""
    return logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - [%s] "%s" %s %s',
        ("127.0.0.1", "15/Jun/2026 10:00:00", line, "200", "-"),
        None,
    )


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("GET /my-input/abc.DEF-1_2 HTTP/1.1", "GET /my-input/[private] HTTP/1.1"),
        ("GET /my-input/abc.DEF/feed.atom HTTP/1.1", "GET /my-input/[private]/feed.atom HTTP/1.1"),
        ("POST /my-input/abc/contact HTTP/1.1", "POST /my-input/[private]/contact HTTP/1.1"),
        ("GET /unsubscribe/abc.def?x=1 HTTP/1.1", "GET /unsubscribe/[private]?x=1 HTTP/1.1"),
        ("GET /partnerships/new HTTP/1.1", "GET /partnerships/new HTTP/1.1"),
    ],
)
def test_the_request_log_hides_private_tokens(line: str, logged: str):
    record = werkzeug_record(line)
    assert PrivateLinksFilter().filter(record)
    assert logged in record.getMessage()


def test_a_served_request_is_logged_without_its_token(flask_app, story, caplog):
    with flask_app.app_context(), commands.reading() as conn:
        token = current_token(conn, PAGE, story.people["amira"])
    assert any(isinstance(f, PrivateLinksFilter) for f in logging.getLogger("werkzeug").filters)
    server = make_server("127.0.0.1", 0, flask_app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/my-input/{token}", timeout=10).read()
    finally:
        server.shutdown()
        thread.join(5)
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "werkzeug")
    assert "/my-input/[private]" in logged
    assert token not in logged
