"""An auditor downloads a policy's trail, decisions and "you said, we did" for a spreadsheet, and a
decision's provenance as W3C PROV-JSON, checked with the `prov` library."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from prov.model import ProvDocument

from cotrace.exports import DECISION_COLUMNS, TRAIL_COLUMNS, YOU_SAID_COLUMNS
from tests.conftest import TODAY
from tests.policy_life import ANSWERED, CORRECTED, DELEGATED, NOT_ADOPTED, REASON_NOT_ADOPTED, PolicyLife
from tests.story import Riverside
from tests.web.test_private_links import account_with_role


@pytest.fixture
def life(flask_app) -> PolicyLife:
    return PolicyLife.lived(Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY))


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.is_streamed, "written row by row, not built whole in memory"
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b""), "RFC 4180 ends lines with CRLF"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def json_rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "application/json"
    assert response.is_streamed
    return json.loads(response.get_data(as_text=True))


def test_the_trail_exports_every_row_with_its_columns(client, life):
    policy = life.story.policy
    rows = csv_rows(client.get(f"/policies/{policy}/audit-trail.csv"))
    assert len(rows) == 17  # as many as the page shows (test_policy_trail)
    assert tuple(rows[0]) == TRAIL_COLUMNS
    decided = next(
        r for r in rows if r["kind"] == "decision_recorded" and r["decision_id"] == str(life.decided)
    )
    assert decided["decision_makers"] == "Amira; Daniel"
    assert decided["decision_maker_groups"] == "Home educator; Local authority"
    assert decided["dissent"] == "Tom (Home educator): Wanted a longer consultation"  # as the page shows
    assert decided["cites"] == str(life.answered)
    assert decided["happened_on"] == TODAY.isoformat()
    answered = next(r for r in rows if r["contribution_id"] == str(life.answered))
    assert answered["contributor"] == "A. Riverside"  # as the page shows it: the pseudonym
    as_json = json_rows(client.get(f"/policies/{policy}/audit-trail.json"))
    assert [r["position"] for r in as_json] == [int(r["position"]) for r in rows]
    assert set(as_json[0]) == set(TRAIL_COLUMNS)


def test_minutes_are_in_the_trail_page_and_its_export_for_each_policy_on_the_agenda(client, life):
    story = life.story
    other = story.app.start_policy(story.actor, story.partnership, "SEND strategy", "authority", TODAY)
    story.app.add_agenda_item(story.actor, story.meeting, "Strategy", other)
    checksum = story.app.write_minutes(story.actor, story.meeting, "Agreed to ask families first")
    story.app.approve_minutes(story.actor, story.meeting, [story.people["amira"]], TODAY, checksum)
    for policy in (story.policy, other):
        page = client.get(f"/policies/{policy}", query_string={"kind": "minutes"}).get_data(as_text=True)
        assert f"Minutes of Partnership meeting written in Cotrace, version 1 (SHA-256 {checksum})." in page
        assert f"approved by Amira: version 1 (SHA-256 {checksum})." in page
        rows = csv_rows(client.get(f"/policies/{policy}/audit-trail.csv"))
        assert [r["kind"] for r in rows if r["kind"].startswith("minutes")] == [
            "minutes_written",
            "minutes_approved",
        ]


def test_the_trail_export_honours_the_filters_and_as_of(client, life):
    policy = life.story.policy
    decisions = csv_rows(client.get(f"/policies/{policy}/audit-trail.csv?kind=decisions"))
    assert len(decisions) == 6 and {r["kind"] for r in decisions} <= {
        "decision_recorded",
        "decision_corrected",
        "decision_reversed",
        "decision_superseded",
    }
    day = (TODAY - timedelta(days=25)).isoformat()
    as_of = client.get(f"/policies/{policy}/audit-trail.json?as_of={day}")
    assert all(r["happened_on"] <= day for r in json_rows(as_of))
    assert f"-as-of-{day}-" in as_of.headers["Content-Disposition"]
    refused = client.get(f"/policies/{policy}/audit-trail.csv?from=not-a-date")
    assert refused.status_code == 400
    assert "The file was not made. The 'from' date must be a real date" in refused.get_data(as_text=True)


def test_the_decisions_export_has_one_row_per_decision_as_it_stands(client, life):
    rows = csv_rows(client.get(f"/policies/{life.story.policy}/decisions.csv"))
    assert tuple(rows[0]) == DECISION_COLUMNS
    assert len(rows) == 3
    decided = next(r for r in rows if r["decision_id"] == str(life.decided))
    assert decided["text"] == CORRECTED  # as it reads now
    assert decided["status"] == "superseded"
    assert decided["superseded_by"] == str(life.delegated)
    assert decided["corrected_on"] == TODAY.isoformat()
    assert decided["cites"] == str(life.answered)
    assert decided["decision_maker_groups"] == "Home educator; Local authority"
    # The dissent, after the group of the one who dissented (Tom, a home educator), never their name.
    assert decided["dissent"] == "Home educator: Wanted a longer consultation"
    assert (
        decided["method"] == "consensus" and decided["stage"] == "co_commission" and decided["cycle"] == "1"
    )
    delegated = next(
        r
        for r in json_rows(client.get(f"/policies/{life.story.policy}/decisions.json"))
        if r["text"] == DELEGATED
    )
    assert delegated["supersedes"] == str(life.decided) and delegated["meeting_id"] is None
    assert delegated["decision_makers"] == 1 and delegated["cites"] == []
    assert delegated["dissent"] == []


def test_you_said_we_did_has_one_row_per_contribution_with_its_response(client, life):
    response = client.get(f"/policies/{life.story.policy}/you-said-we-did.csv")
    rows = csv_rows(response)
    assert tuple(rows[0]) == YOU_SAID_COLUMNS
    assert [r["text"] for r in rows] == [ANSWERED, NOT_ADOPTED]
    answered, not_adopted = rows
    assert answered["contributor_group"] == "Home educator"
    assert answered["response"] == "adopted" and answered["days_taken"] == "20"
    assert answered["cited_by"] == str(life.decided)
    assert not_adopted["reason"] == REASON_NOT_ADOPTED and not_adopted["channel"] == "email"
    assert not_adopted["days_taken"] == "15" and not_adopted["cited_by"] == ""
    body = response.get_data(as_text=True)
    assert "Amira" not in body and "Grace" not in body and "A. Riverside" not in body
    disposition = response.headers["Content-Disposition"]
    assert disposition == (
        f'attachment; filename="cotrace-policy-{life.story.policy}-you-said-we-did-{TODAY.isoformat()}.csv"'
    )


def test_a_formula_in_someones_words_is_shown_as_text_in_the_csv(client, flask_app):
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    formula = '=HYPERLINK("https://example.org","click me")'
    story.app.submit_contribution(
        story.actor, story.policy, story.people["tom"], "view", formula, "survey", happened_on=TODAY
    )
    rows = csv_rows(client.get(f"/policies/{story.policy}/you-said-we-did.csv"))
    assert rows[0]["text"] == "'" + formula
    # The JSON is for programs, which run nothing: it keeps the words exactly as they were written.
    assert json_rows(client.get(f"/policies/{story.policy}/you-said-we-did.json"))[0]["text"] == formula


def test_the_prov_json_round_trips_through_the_prov_library_and_names_no_one(client, life):
    response = client.get(f"/decisions/{life.decided}/provenance.json")
    assert response.status_code == 200
    content = response.get_data(as_text=True)
    document = ProvDocument.deserialize(content=content, format="json")
    again = ProvDocument.deserialize(content=document.serialize(format="json"), format="json")
    assert again == document
    assert len(again.get_records()) == len(document.get_records())
    produced = json.loads(content)
    records = sum(len(produced.get(kind, {})) for kind in produced if kind != "prefix")
    assert len(document.get_records()) == records  # nothing we wrote was dropped on parsing
    agents = produced["agent"]
    amira = f"cotrace:participant/{life.story.people['amira']}"
    assert agents[amira]["cotrace:stakeholder_group"] == "home_educator"
    assert agents[amira]["prov:type"] == {"$": "prov:Person", "type": "prov:QUALIFIED_NAME"}
    assert f"cotrace:contribution/{life.answered}" in produced["entity"]
    assert f"cotrace:meeting/{life.story.meeting}" in produced["activity"]
    derived = [(r["prov:generatedEntity"], r["prov:usedEntity"]) for r in produced["wasDerivedFrom"].values()]
    assert (f"cotrace:decision/{life.delegated}", f"cotrace:decision/{life.decided}") in derived
    for name in ("Amira", "Tom", "Daniel", "Sophie", "Grace", "A. Riverside"):
        assert name not in content
    # The dissent: made while the decision was taken, attributed to Tom, who is a dissenter in it.
    dissent = f"cotrace:decision/{life.decided}/dissent/1"
    assert produced["entity"][dissent]["cotrace:note"] == "Wanted a longer consultation"
    tom = f"cotrace:participant/{life.story.people['tom']}"
    assert (dissent, tom) in [
        (r["prov:entity"], r["prov:agent"]) for r in produced["wasAttributedTo"].values()
    ]
    roles = [(r["prov:agent"], r["prov:role"]["$"]) for r in produced["wasAssociatedWith"].values()]
    assert (tom, "cotrace:dissenter") in roles
    assert agents[tom]["cotrace:stakeholder_group"] == "home_educator"


def test_an_auditor_gets_the_downloads_and_a_member_does_not(flask_app, life):
    story = life.story
    auditor = account_with_role(flask_app, story, "Alex Auditor", "auditor")
    member = account_with_role(flask_app, story, "Morgan Member", "member")
    public = flask_app.test_client()
    addresses = [
        f"/policies/{story.policy}/audit-trail.csv",
        f"/policies/{story.policy}/decisions.json",
        f"/policies/{story.policy}/you-said-we-did.csv",
        f"/decisions/{life.decided}/provenance.json",
    ]
    for address in addresses:
        assert auditor.get(address).status_code == 200, address
        assert member.get(address).status_code == 403, address
        sent = public.get(address)
        assert sent.status_code == 302 and "/sign-in" in sent.headers["Location"], address
    page = auditor.get(f"/policies/{story.policy}?kind=decisions").get_data(as_text=True)
    assert f'href="/policies/{story.policy}/audit-trail.csv?kind=decisions"' in page
    assert f'href="/policies/{story.policy}/you-said-we-did.json"' in page
    assert f'href="/decisions/{life.decided}/provenance.json"' in auditor.get(
        f"/decisions/{life.decided}"
    ).get_data(as_text=True)
    members_page = member.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Download as CSV" not in members_page
    assert "PROV-JSON" not in member.get(f"/decisions/{life.decided}").get_data(as_text=True)


def test_times_in_an_export_say_they_are_utc(client, life):
    rows = json_rows(client.get(f"/policies/{life.story.policy}/decisions.json"))
    assert all(row["recorded_at"].endswith("+00:00") for row in rows)
