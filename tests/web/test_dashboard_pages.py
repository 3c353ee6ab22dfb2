"""A partnership with many policies reads its dashboard a page of policies at a time, "as of" kept
in the links, while the counts per rung and of policies needing attention stay the partnership's."""

from __future__ import annotations

from tests.conftest import TODAY
from tests.story import Riverside
from tests.web.test_evidence_pages import days_ago, text_of
from tests.web.test_trail_pages import link
from web.evidence_pages import POLICIES_SHOWN


def test_the_dashboard_lists_a_page_of_policies_and_counts_them_all(client, flask_app):
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    app, actor = story.app, story.actor
    titles = [f"Policy {n:02d}" for n in range(30)]
    started = [app.start_policy(actor, story.partnership, t, "authority", days_ago(40)) for t in titles]
    # On the last page by title (after "EHE policy" and the 30 "Policy nn").
    zoning = app.start_policy(actor, story.partnership, "Zoning", "authority", days_ago(40))
    app.claim_participation_level(
        actor, zoning, "Zoning walk", "co_producing", story.people["daniel"], days_ago(3)
    )
    url = f"/partnerships/{story.partnership}/dashboard"

    first = client.get(url, query_string={"as_of": days_ago(1).isoformat(), "reading": "happened"})
    page = first.get_data(as_text=True)
    text = text_of(page)
    assert first.status_code == 200
    assert page.count('<th scope="row"><a href="/policies/') == POLICIES_SHOWN
    assert "Policies 1 to 25 of 32, by title." in text
    assert "Zoning" not in text.split("Claims on each rung")[0]
    assert "Co-producing Doing with 1" in text  # Zoning's claim, counted from the first page
    assert "32 of the partnership's 32 policies need attention. Those on this page of the table:" in text

    after = link(page, "next")
    assert (
        after is not None
        and "as_of=" in after
        and "reading=happened" in after
        and after.endswith("#policies")
    )
    last = text_of(client.get(after).get_data(as_text=True))
    assert "Policies 26 to 32 of 32, by title." in last and "Zoning" in last.split("Claims on each rung")[0]
    shown_first = [t for t in ["EHE policy", *titles] if t in text.split("Claims on each rung")[0]]
    shown_last = [t for t in ["EHE policy", *titles] if t in last.split("Claims on each rung")[0]]
    assert sorted(shown_first + shown_last) == sorted(["EHE policy", *titles]) and not set(shown_first) & set(
        shown_last
    )
    assert len(started) == 30
