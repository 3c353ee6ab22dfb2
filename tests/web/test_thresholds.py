"""A partnership changes the thresholds its policies are judged by, on a page of its own; every verdict
then says what it was judged by and where that differs from the defaults."""

from __future__ import annotations

import re

from tests.web.test_evidence_pages import co_commissioned_with_citizens, text_of
from tests.web.test_meeting_page import post

RAISED = {
    "timely_response_days": "28",
    "key_decision_share": "75",
    "influence_share": "25",
    "dominance_share": "60",
    "citizen_share": "60",
    "reason": "Families asked that citizens hold most seats",
    "happened_on": "2026-06-10",
}


def test_raising_the_citizens_share_changes_the_verdict_and_every_verdict_states_it(client, story):
    co_commissioned_with_citizens(story)  # citizens hold half the seats and half the room
    evidence, dashboard = f"/policies/{story.policy}/evidence", f"/partnerships/{story.partnership}/dashboard"
    before = text_of(client.get(evidence).get_data(as_text=True))
    assert "Whole policy Evidenced level: Transformational" in before
    assert "Judged with these thresholds The defaults: the partnership has not changed them." in before
    assert "Citizens' share: 25% Change the thresholds" in before

    form = client.get(f"/partnerships/{story.partnership}/thresholds").get_data(as_text=True)
    assert 'name="citizen_share"' in form and 'value="25"' in form and 'value="28"' in form
    assert "The default is 25%. The share of attendance" in text_of(form)

    response = post(client, f"/partnerships/{story.partnership}/thresholds", RAISED)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/partnerships/{story.partnership}#thresholds")

    partnership = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Thresholds changed." in partnership
    assert re.search(
        r"Agreed on 10 June 2026, recorded on [^,]+ by Ada Admin, because: "
        "Families asked that citizens hold most seats",
        partnership,
    )

    after = text_of(client.get(evidence).get_data(as_text=True))
    assert "Whole policy Evidenced level: Transformational" not in after
    assert "Citizens hold less than 60%" in after
    assert (
        "The partnership changed them on 10 June 2026, because: Families asked that citizens hold most seats"
        in after
    )
    assert "Citizens' share: 60% (default 25%)" in after and "Dominance share: 60% Citizens'" in after
    board = text_of(client.get(dashboard).get_data(as_text=True))
    assert "Citizens' share: 60% (default 25%)" in board and "Fails: Balance" in board


def test_the_partnership_page_and_the_dashboard_link_to_the_thresholds_page(client, story):
    link = f'href="/partnerships/{story.partnership}/thresholds"'
    assert link in client.get(f"/partnerships/{story.partnership}").get_data(as_text=True)
    assert link in client.get(f"/partnerships/{story.partnership}/dashboard").get_data(as_text=True)


def test_a_share_of_150_and_no_reason_are_told_beside_their_fields_and_nothing_is_recorded(client, story):
    before = story.notifications()
    response = post(
        client,
        f"/partnerships/{story.partnership}/thresholds",
        {**RAISED, "citizen_share": "150", "timely_response_days": "two weeks", "reason": " "},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field, message in {
        "citizen_share": "Enter the citizens&#39; share as a percentage from 0 to 100",
        "timely_response_days": "Enter the days within which a response is timely as a whole number",
        "reason": "Enter why the partnership changed its thresholds",
    }.items():
        assert message in page.split(f'id="form-{field}-error"')[1].split("</p>")[0]
        assert f'href="#form-{field}"' in page  # the error summary links to the field
    assert 'value="150"' in page  # what they typed stays, to correct
    assert "form-key_decision_share-error" not in page
    assert story.notifications() == before


def test_an_unknown_partnership_has_no_thresholds_page(client, story):
    assert client.get(f"/partnerships/{story.policy}/thresholds").status_code == 404


def test_a_verdict_as_of_a_day_before_a_change_is_judged_by_the_thresholds_then(client, story):
    """So a past verdict is reproduced as it was: the change agreed on 10 June was not in force on 5 June."""
    co_commissioned_with_citizens(story)
    assert post(client, f"/partnerships/{story.partnership}/thresholds", RAISED).status_code == 303
    evidence = f"/policies/{story.policy}/evidence"
    before_change = text_of(client.get(evidence, query_string={"as_of": "2026-06-05"}).get_data(as_text=True))
    assert "The defaults: the partnership has not changed them." in before_change
    after_change = text_of(client.get(evidence, query_string={"as_of": "2026-06-12"}).get_data(as_text=True))
    assert "Citizens' share: 60% (default 25%)" in after_change
