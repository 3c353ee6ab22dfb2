"""A contributor's private Atom feed: one entry per response and per decision citing their input,
valid Atom 1.0, and no one else's name in it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from xml.etree import ElementTree

import pytest

from tests.followup_story import Followup, followup_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def riverside(database_url: str, tmp_path) -> Iterator[Followup]:
    app = followup_app(database_url, tmp_path / "instance", None)
    yield Followup.set_up(app)
    app.extensions["cotrace"].close()


def read_feed(riverside: Followup, name: str) -> tuple[ElementTree.Element, bytes]:
    response = riverside.flask_app.test_client().get(f"/my-input/{riverside.feed_token(name)}/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.headers["Cache-Control"] == "private"
    return ElementTree.fromstring(response.data), response.data


def assert_valid_atom(feed: ElementTree.Element) -> None:
    """What RFC 4287 requires of a feed and its entries (and that every date is RFC 3339)."""
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "content"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, required
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")).tzinfo is not None


def test_the_feed_has_an_entry_per_response_and_per_citing_decision(riverside):
    said = riverside.contribute("amira", "Publish the policy in plain English", pseudonym="A parent")
    glossary = riverside.contribute("amira", "Add a glossary")
    from_tom = riverside.contribute("tom", "Meet in the evenings")
    riverside.respond(said, "adapted", "In plain English and Welsh")
    riverside.decide_citing(said, glossary, from_tom)

    feed, raw = read_feed(riverside, "amira")

    assert_valid_atom(feed)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == [  # newest first
        "A decision on EHE policy cites your suggestion",
        "A decision on EHE policy cites your suggestion",
        "Your suggestion on EHE policy: adapted",
    ]
    contents = [entry.findtext(f"{ATOM}content") for entry in feed.findall(f"{ATOM}entry")]
    assert "You said, on 15 June 2026, as A parent: Publish the policy in plain English" in contents[-1]
    assert "Reason: In plain English and Welsh" in contents[-1]
    assert "Response given by: Local authority." in contents[-1]
    assert any("Add a glossary" in c for c in contents[:2])
    assert all("Decision makers: Home educator, Local authority." in c for c in contents[:2])
    assert b"Meet in the evenings" not in raw
    for other in ("Amira", "Tom", "Daniel", "Sophie", "Grace", "Local operator"):
        assert other.encode() not in raw


def test_the_same_feed_keeps_its_ids_and_a_feed_with_no_news_is_still_valid(riverside):
    feed, _ = read_feed(riverside, "grace")
    assert_valid_atom(feed)
    assert feed.findall(f"{ATOM}entry") == []

    riverside.respond(riverside.contribute("grace", "Offer a crèche"), "adopted")
    first, _ = read_feed(riverside, "grace")
    again, _ = read_feed(riverside, "grace")
    assert first.findtext(f"{ATOM}id") == feed.findtext(f"{ATOM}id")
    assert [e.findtext(f"{ATOM}id") for e in first] == [e.findtext(f"{ATOM}id") for e in again]
    assert "Offer a crèche" in first.find(f"{ATOM}entry").findtext(f"{ATOM}content")


def test_a_feed_needs_a_link_this_installation_made(riverside):
    client = riverside.flask_app.test_client()
    assert client.get("/my-input/not-a-token/feed.atom").status_code == 404
    assert client.get(f"/my-input/{riverside.person('amira')}/feed.atom").status_code == 404


def test_control_characters_recorded_without_the_forms_do_not_break_the_feed(riverside):
    # An import or an older record can hold characters XML cannot: the feed leaves them out. (Not
    # NUL: PostgreSQL cannot store it, and the forms leave it out.)
    said = riverside.contribute("amira", "bell\x07 esc\x1b vt\x0b end")
    riverside.respond(said, "adopted")

    feed, _ = read_feed(riverside, "amira")

    assert_valid_atom(feed)
    assert "bell esc vt end" in feed.find(f"{ATOM}entry").findtext(f"{ATOM}content")
