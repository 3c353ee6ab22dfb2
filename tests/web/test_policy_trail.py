"""An auditor filters a policy's audit trail, looks at it as of a day, and opens a decision's provenance."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import TODAY
from tests.policy_life import (
    ANSWERED,
    CORRECTED,
    DECIDED,
    DELEGATED,
    NOT_ADOPTED,
    REVERSED,
    Clock,
    PolicyLife,
)
from tests.story import Riverside
from tests.web.test_meeting_page import HTMX


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def life(flask_app) -> PolicyLife:
    return PolicyLife.lived(Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY))


def trail_rows(page: str) -> list[str]:
    body = page.split('class="table audit-trail"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr id="event-\d+"[^>]*>(.*?)</tr>', body, flags=re.S)


def get(client, life: PolicyLife, **args: str):
    return client.get(f"/policies/{life.story.policy}", query_string=args)


def test_the_whole_trail_shows_every_kind_of_fact(client, life):
    page = get(client, life).get_data(as_text=True)
    rows = trail_rows(page)
    assert len(rows) == 17
    assert "Adopted on 15 June 2026." in page
    assert "Taken outside a meeting: delegated officer decision" in page
    assert "Suggestion from A. Riverside (Home educator)" in page
    assert "Supersession:" in page and "Correction:" in page and "Reversal:" in page
    assert f'href="/decisions/{life.decided}"' in page
    assert f'Supersedes <a href="/decisions/{life.decided}">the decision of 15 June 2026</a>' in page


def test_each_filter_narrows_the_rows(client, life):
    everything = len(trail_rows(get(client, life).get_data(as_text=True)))

    decisions = trail_rows(get(client, life, kind="decisions").get_data(as_text=True))
    assert len(decisions) == 6
    assert all("Provenance of this decision" in row for row in decisions)

    parent_carers = trail_rows(get(client, life, group="parent_carer").get_data(as_text=True))
    assert len(parent_carers) == 2 and all(NOT_ADOPTED in row for row in parent_carers)

    co_design = get(client, life, stage="co_design").get_data(as_text=True)
    assert trail_rows(co_design) == [] and "No fact in the trail matches" in co_design

    may = trail_rows(get(client, life, **{"from": "2026-05-01", "to": "2026-05-31"}).get_data(as_text=True))
    assert len(may) == 2 and ANSWERED in may[0] and NOT_ADOPTED in may[1]
    assert 0 < len(decisions) < everything


def test_the_form_keeps_what_was_chosen(client, life):
    page = get(client, life, kind="decisions", group="local_authority").get_data(as_text=True)
    assert '<option value="decisions" selected>' in page
    assert '<option value="local_authority" selected>' in page


@pytest.mark.parametrize(
    "args, field, message",
    [
        ({"from": "2026-02-31"}, "from", "The &#39;from&#39; date must be a real date"),
        ({"to": "yesterday"}, "to", "The &#39;to&#39; date must be a real date"),
        ({"from": "2026-06-01", "to": "2026-05-01"}, "to", "must be the same as or after the &#39;from&#39;"),
        ({"as_of": "15/06/2026"}, "as_of", "The &#39;as of&#39; date must be a real date"),
        ({"as_of": "0001-01-01"}, "as_of", "must be on or after 1 January 1990"),
        ({"as_of": "2099-01-01"}, "as_of", "cannot be in the future"),
        # A choice not offered (an edited or old address) was ignored, and the trail looked filtered.
        ({"stage": "nonsense"}, "stage", "Choose a stage from the list: “nonsense” is not one Cotrace"),
        ({"group": "wizards"}, "group", "Choose a stakeholder group from the list"),
        ({"kind": "gossip"}, "kind", "Choose a kind of event from the list"),
    ],
)
def test_a_date_that_cannot_be_read_is_explained_next_to_its_field(client, life, args, field, message):
    response = get(client, life, **args)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    next_to_field = re.search(rf'<p class="field-error" id="trail-{field}-error">(.*?)</p>', page, re.S)
    assert next_to_field and message in next_to_field.group(1)
    assert f'href="#trail-{field}"' in page  # the summary links to the field
    assert 'aria-invalid="true"' in page


def test_htmx_gets_only_the_policy_record(client, life):
    response = get(client, life, kind="decisions")
    full = response.get_data(as_text=True)
    partial = client.get(
        f"/policies/{life.story.policy}", query_string={"kind": "decisions"}, headers=HTMX
    ).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial
    assert partial.lstrip().startswith('<div id="policy-record">')
    assert trail_rows(partial) == trail_rows(full)
    assert 'hx-push-url="true"' in partial


def test_htmx_with_a_bad_date_gets_the_record_with_the_message(client, life):
    response = client.get(f"/policies/{life.story.policy}", query_string={"to": "nope"}, headers=HTMX)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<html" not in page and 'id="trail-to-error"' in page


def test_as_of_a_day_a_decision_recorded_later_is_not_shown_and_the_stage_is_as_it_was(
    flask_app, client, clock
):
    clock.set(TODAY)
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    story.decide(text="Taken and recorded today")
    clock.set(TODAY + timedelta(days=21))
    story.decide(text="Taken today, recorded three weeks later", stage="co_design")

    now = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Now at <strong>Co-design</strong>" in now
    assert "Taken today, recorded three weeks later" in now

    query = {"as_of": TODAY.isoformat(), "reading": "recorded"}
    then = client.get(f"/policies/{story.policy}", query_string=query)
    page = then.get_data(as_text=True)
    assert then.status_code == 200
    assert "As of 15 June 2026" in page
    assert "Then at <strong>Co-commission</strong>, cycle 1" in page
    assert "Taken and recorded today" in page
    assert "Taken today, recorded three weeks later" not in page
    assert page.count("not yet") == 3  # co-design had not been entered, as far as the record showed

    # As it happened (the default), the late record counts on the day it happened, and says so.
    happened = client.get(f"/policies/{story.policy}", query_string={"as_of": TODAY.isoformat()})
    page = happened.get_data(as_text=True)
    assert "Then at <strong>Co-design</strong>, cycle 1" in page
    assert "Taken today, recorded three weeks later" in page
    assert page.count("Recorded later, on 6 July 2026") >= 1
    assert "Recorded later, on 15 June 2026" not in page


def test_as_of_a_day_before_adoption_the_policy_is_not_adopted(flask_app, client, clock):
    clock.set(TODAY - timedelta(days=90))
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    clock.set(TODAY)
    life = PolicyLife.lived(story)

    assert "Adopted on 15 June 2026." in get(client, life, as_of=TODAY.isoformat()).get_data(as_text=True)
    earlier = get(client, life, as_of=(TODAY - timedelta(days=1)).isoformat()).get_data(as_text=True)
    assert "Then at <strong>Co-commission</strong>, cycle 1." in earlier
    assert "Adopted on" not in earlier


def test_the_provenance_page_shows_what_a_decision_rests_on_and_what_came_after(client, life):
    response = client.get(f"/decisions/{life.decided}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert DECIDED in page and CORRECTED in page
    assert "This decision was <strong>superseded</strong>" in page
    assert "Partnership meeting</a>, 15 June 2026, Library" in page
    assert 'Tom <span class="group">(Home educator)</span>' in page  # the proposer
    assert re.search(r"Sent apologies</dt><dd><ul class=\"plain\"><li>Grace", page)
    assert re.search(r"Consulted</dt><dd><ul class=\"plain\"><li>Grace", page)
    assert re.search(r"Informed</dt><dd><ul class=\"plain\"><li>Sophie", page)
    assert "Wanted a longer consultation" in page
    assert ANSWERED in page and "Response: Adopted" in page
    assert f'href="/contributions/{life.answered}"' in page
    assert f'href="/decisions/{life.delegated}"' in page  # the decision after it
    assert "Legal advice on the survey&#39;s length" in page
    assert "by Local operator" in page


def test_a_decision_taken_outside_a_meeting_says_so_and_links_back(client, life):
    page = client.get(f"/decisions/{life.delegated}").get_data(as_text=True)
    assert DELEGATED in page
    assert "Taken outside a meeting: delegated officer decision" in page
    assert "Present at the meeting" not in page
    assert f'href="/decisions/{life.decided}"' in page  # the decision it superseded
    assert "This decision cites no contribution." in page


def test_a_reversed_decision_says_so(client, life):
    page = client.get(f"/decisions/{life.reversed}").get_data(as_text=True)
    assert REVERSED in page and "This decision was <strong>reversed</strong>" in page
    assert "Families asked for places they can reach" in page


def test_an_unknown_decision_is_not_found(client, life):
    assert client.get(f"/decisions/{life.story.policy}").status_code == 404


def test_the_meeting_page_links_each_decision_to_its_provenance(client, life):
    page = client.get(f"/meetings/{life.story.meeting}").get_data(as_text=True)
    assert f'href="/decisions/{life.decided}"' in page
    assert f'href="/decisions/{life.reversed}"' in page


def test_an_unknown_choice_keeps_the_page_usable(client, life):
    response = get(client, life, stage="nonsense")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Any stage" in page and "Clear filters" in page  # the form is there to choose again
    assert get(client, life, stage="co_design").status_code == 200


def test_as_recorded_before_a_policy_was_recorded_it_says_so_not_that_it_had_not_started(
    flask_app, client, clock
):
    clock.set(TODAY)  # the policy started 90 days before, and is recorded today
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    a_week_before = (TODAY - timedelta(days=7)).isoformat()

    recorded = client.get(
        f"/policies/{story.policy}", query_string={"as_of": a_week_before, "reading": "recorded"}
    )
    page = recorded.get_data(as_text=True)
    assert recorded.status_code == 200
    assert "Started on 17 March 2026." in page
    assert "It had not started on that date." not in page  # it had: it was not recorded yet
    assert "None of it had been recorded by that date." in page

    happened = client.get(f"/policies/{story.policy}", query_string={"as_of": a_week_before})
    assert "Then at <strong>Co-commission</strong>" in happened.get_data(as_text=True)
