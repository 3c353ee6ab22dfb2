"""The Content-Security-Policy and the other security headers are on every response Cotrace gives
(issue 12): every GET route of the URL map, as an admin, a member, a chair of another partnership
and the public (pages, redirects to sign in, refusals, "not found"), static files, and each error
page (400, 401, 404, 405, 410, 413, 500). A route added later is walked without a line here.

The headers expected are written out here, apart from `web/__init__.py`, so that a policy loosened
by mistake shows as a failure rather than as a new truth.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import signed_in
from tests.web.url_map import World, open_world, routes
from web import MAX_REQUEST_BYTES, access, create_app

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",  # no inline script, no other site's
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",  # a form cannot be made to post elsewhere
    "frame-ancestors": "'none'",  # no site may frame Cotrace (clickjacking)
    "base-uri": "'none'",
}
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def missing_headers(response) -> list[str]:
    """What a response lacks of the headers expected, in words; empty when it has them all."""
    found = response.headers.get("Content-Security-Policy")
    missing = []
    if found is None:
        missing.append("no Content-Security-Policy")
    else:
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in found.split(";") if part.strip()
        )
        if directives != POLICY:
            missing.append(f"Content-Security-Policy {found!r}")
    for name, value in HEADERS.items():
        if response.headers.get(name) != value:
            missing.append(f"{name}: {response.headers.get(name)!r}")
    return missing


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    database = tmp_path_factory.mktemp("headers") / "cotrace.db"
    opened = open_world(f"sqlite:///{database}", str(tmp_path_factory.mktemp("instance")))
    yield opened
    opened.close()


def browsers(world: World) -> dict[str, object]:
    return {
        "the public": world.app.test_client(),
        "an admin": signed_in(world.app, *world.people["admin"]),
        "an admin without a second factor yet": signed_in(
            world.app, *world.people["admin"], second_factor=False
        ),
        "a member": signed_in(world.app, *world.people["member"]),
        "a chair of another partnership": signed_in(world.app, *world.people["other chair"]),
        "a participant": signed_in(world.app, *world.people["participant"]),
    }


def test_every_page_of_the_url_map_carries_the_headers_whoever_asks(world):
    wrong, statuses = [], set()
    pages = routes(world.app, "GET")
    assert len(pages) > 20  # the map was read, not an empty list walked
    for who, browser in browsers(world).items():
        for endpoint, rule in pages:
            for real in (True, False):  # a real id or token, and one that names nothing
                url = world.address(rule, endpoint, real=real)
                for method in ("GET", "HEAD", "OPTIONS"):
                    response = browser.open(url, method=method)
                    statuses.add(response.status_code)
                    if problems := missing_headers(response):
                        wrong.append(f"{method} {url} as {who} ({response.status_code}): {problems}")
    assert wrong == [], "\n".join(wrong)
    assert {200, 302, 303, 403, 404} <= statuses  # pages, redirects, refusals and "not found" all seen


def test_every_form_answer_carries_the_headers(world):
    """Each POST route as the public (refused, or the public form's own answer) and without a form
    token (400)."""
    wrong, statuses = [], set()
    for endpoint, rule in routes(world.app, "POST"):
        url = world.address(rule, endpoint)
        public = world.app.test_client()
        with public.session_transaction() as cookie:
            cookie["csrf"] = "token"
        for who, response in (
            ("the public", public.post(url, data={"csrf_token": "token"})),
            ("an admin without a form token", signed_in(world.app, *world.people["admin"]).post(url)),
        ):
            statuses.add(response.status_code)
            if problems := missing_headers(response):
                wrong.append(f"POST {url} as {who} ({response.status_code}): {problems}")
    assert wrong == [], "\n".join(wrong)
    assert {303, 400, 401, 422} <= statuses


def test_the_favicon_is_ours_offline_and_within_the_policy(world):
    """Browsers ask every site for /favicon.ico: it answers (it was a 404 on every page), from our
    own files, with the headers; every page links the same icon, which the CSP's img-src allows."""
    anyone = world.app.test_client()
    icon = anyone.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg")
    assert "<style" not in icon.get_data(as_text=True) and "<script" not in icon.get_data(as_text=True)
    assert missing_headers(icon) == []
    page = anyone.get("/sign-in").get_data(as_text=True)
    assert '<link rel="icon" href="/static/icon.svg" type="image/svg+xml">' in page
    assert anyone.get("/static/icon.svg").data == icon.data


def test_static_files_and_error_pages_carry_the_headers(world):
    admin = signed_in(world.app, *world.people["admin"])
    css = admin.get("/static/cotrace.css")
    answers = {
        "a static file": css,
        "a static file not changed since": admin.get(
            "/static/cotrace.css", headers={"If-None-Match": css.headers["ETag"]}
        ),
        "a static file that does not exist": admin.get("/static/no-such-file.css"),
        "a page that does not exist": admin.get("/no-such-page"),
        "a method the page does not take": admin.open(f"/meetings/{world.ids['meeting_id']}/decisions"),
        "a method no page takes": admin.open("/", method="DELETE"),
        "a request too large": admin.post(
            f"/partnerships/{world.ids['partnership_id']}/meetings",
            data={"title": "x" * (MAX_REQUEST_BYTES + 1)},
        ),
        "a used sign-in link": public_post(
            world, f"/sign-in/email/{world.real['tokens']['sign_in_link']}", 2
        ),
    }
    expected = {
        "a static file": 200,
        "a static file not changed since": 304,
        "a static file that does not exist": 404,
        "a page that does not exist": 404,
        "a method the page does not take": 405,
        "a method no page takes": 405,
        "a request too large": 413,
        "a used sign-in link": 410,
    }
    assert {what: answer.status_code for what, answer in answers.items()} == expected
    wrong = {what: problems for what, answer in answers.items() if (problems := missing_headers(answer))}
    assert wrong == {}


def public_post(world: World, url: str, times: int):
    """The answer to the last of `times` posts of the same form, each from a browser of the public."""
    for _ in range(times):
        client = world.app.test_client()
        with client.session_transaction() as cookie:
            cookie["csrf"] = "token"
        answer = client.post(url, data={"csrf_token": "token"})
    return answer


def test_a_server_error_page_carries_the_headers(database_url, tmp_path, monkeypatch):
    """A bug in a view (500) still answers with the policy: the page is the app's, not the server's."""
    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "tests", "PROPAGATE_EXCEPTIONS": False},
        instance_path=str(tmp_path / "instance"),
    )
    try:

        def broken() -> str:
            raise RuntimeError("a bug")

        app.add_url_rule("/broken", "broken", broken)
        monkeypatch.setitem(access.RULES, "broken", access.PUBLIC)
        response = app.test_client().get("/broken")
        assert response.status_code == 500
        assert missing_headers(response) == []
    finally:
        app.extensions["cotrace"].close()
