"""Which private link works, kept from the participant's events on real databases, and rebuilt
from them to the same rows."""

from __future__ import annotations

from projections import private_links
from projections.private_links import Link
from tests.conftest import TODAY
from tests.integration.test_projections import snapshot
from tests.story import Riverside


def test_the_working_link_follows_each_reissue_and_revocation_and_rebuilds_the_same(services):
    story = Riverside.set_up(services.app, TODAY)
    amira, tom = story.people["amira"], story.people["tom"]
    for change in ("reissue", "revoke", "reissue", "reissue"):
        getattr(story.app, f"{change}_private_link")(story.actor, story.partnership, amira)
    story.app.revoke_private_link(story.actor, story.partnership, tom)
    services.read_models.catch_up()

    with services.engine.connect() as conn:
        assert private_links.current(conn, amira) == Link(number=3, revoked=False)
        assert private_links.current(conn, tom) == Link(number=0, revoked=True)
        assert private_links.current(conn, story.people["grace"]) == Link()  # never changed: link 0
        assert private_links.revoked_among(conn, list(story.people.values())) == {tom}
        changes = private_links.changes_of(conn, amira)
    assert [(c["number"], c["revoked"]) for c in changes] == [(3, False), (2, False), (1, True), (1, False)]
    assert {c["recorded_by_name"] for c in changes} == {"Local operator"}
    live = snapshot(services)
    assert live["private_links_changes"]

    services.read_models.rebuild()

    assert snapshot(services) == live
