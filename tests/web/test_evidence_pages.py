"""The level page of a policy and the partnership's dashboard: the evidence engine, as people read it."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy

from domain.dates import format_date
from projections import evidence
from projections.keyset import encode
from tests.conftest import TODAY, admin_client
from tests.story import Riverside
from web import create_app

NAMES = ("Amira", "Tom", "Daniel", "Sophie", "Grace")


def days_ago(n: int, today: date = TODAY) -> date:
    return today - timedelta(days=n)


def co_commissioned_with_citizens(story: Riverside) -> None:
    """Amira's suggestion is adopted and cited by a co-commission decision she takes with Daniel."""
    app, actor, people, today = story.app, story.actor, story.people, story.today
    meeting = story.meeting_on(days_ago(60, today), ["amira", "tom", "daniel", "sophie"])
    idea = app.submit_contribution(
        actor, story.policy, people["amira"], "suggestion", "Start from families' own experience", "survey",
        happened_on=days_ago(80, today),
    )  # fmt: skip
    app.respond_to_contribution(
        actor, idea, "adopted", "We start there", people["daniel"], days_ago(70, today)
    )
    story.decide(meeting_id=meeting, cites=[idea])


def designed_after_the_fact(story: Riverside) -> None:
    """Co-design: an officer decides alone, then citizens are asked, and someone claims co-producing."""
    app, actor, people, today = story.app, story.actor, story.people, story.today
    app.enter_stage(actor, story.policy, "co_design", days_ago(10, today))
    app.record_decision_outside_meeting(
        actor, story.policy, "Use the neighbouring council's draft", "co_design", [people["daniel"]],
        "delegated", days_ago(5, today),
    )  # fmt: skip
    app.submit_contribution(
        actor,
        story.policy,
        people["tom"],
        "concern",
        "We were not asked",
        "email",
        happened_on=days_ago(2, today),
    )
    app.claim_participation_level(
        actor, story.policy, "Drafting workshop", "co_producing", people["daniel"], days_ago(1, today)
    )


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_a_policy_co_commissioned_with_citizens_is_transformational(client, story):
    co_commissioned_with_citizens(story)
    page = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    text = text_of(page)
    assert "Whole policy Evidenced level: Transformational" in text
    assert "The only answered contribution was adopted or adapted and cited by a decision" in text
    assert "Cycle 1 Evidenced level: Transformational" in text
    assert "<summary>Co-commission: transformational</summary>" in page
    assert "No rung is claimed higher than the evidence shows." in page


def test_deciding_before_asking_citizens_is_intermediate_and_the_claim_is_flagged(client, story):
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    page = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    text = text_of(page)
    assert "Whole policy Evidenced level: Intermediate" in text
    assert "Because: Citizens are key decision makers: fail Not a review after the fact: fail" in text
    assert "No decision in cycle 1, Co-design had a citizen among the decision makers" in text
    assert (
        "'Drafting workshop' (cycle 1, Co-design): claimed co-producing; evidence shows consulting: "
        "the decision was taken before the consultation opened" in text
    )
    assert "<summary>Co-design: intermediate</summary>" in page
    assert "<summary>Co-commission: transformational</summary>" in page


def test_every_verdict_links_to_the_events_that_prove_it(client, flask_app, story):
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    page = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        facts = evidence.policy_facts(conn, story.policy)
    for fact in (*facts.decisions, *facts.claims):
        link = f"/policies/{story.policy}?after={encode((fact.ref - 1,))}#event-{fact.ref}"
        assert f'href="{link}"' in page
        trail = client.get(link.split("#")[0]).get_data(as_text=True)
        assert f'id="event-{fact.ref}"' in trail  # the link lands on the fact's row


def test_a_proof_says_what_the_event_is_and_when_it_happened(client, flask_app, story):
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    client.get(f"/policies/{story.policy}/evidence")  # the read models catch up with the story
    engine = flask_app.extensions["cotrace"].engine
    queries: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        queries.append(statement)

    sqlalchemy.event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", count)
    with engine.connect() as conn:
        facts = evidence.policy_facts(conn, story.policy)

    officer_alone = next(d for d in facts.decisions if d.stage == "co_design")
    opens_at = f"?after={encode((officer_alone.ref - 1,))}#event-{officer_alone.ref}"
    assert (
        f'<a href="/policies/{story.policy}{opens_at}">'
        f"Decision &#39;Use the neighbouring council&#39;s draft&#39;, {format_date(days_ago(5))}</a>"
    ) in page
    text = text_of(page)
    assert f"Concern 'We were not asked', {format_date(days_ago(2))}" in text
    assert f"Policy started: {facts.title}" in text
    assert "Audit trail event" not in text  # every proof was found in the trail
    # All the page's proofs are read at once, not one query per event.
    assert sum("audit_trail" in q for q in queries) == 1


def test_the_charts_are_drawn_with_their_figures_beside_them(client, story):
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    page = client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True)
    assert page.count('role="img"') == 5 and page.count('<details class="details chart__figures">') == 5
    text = text_of(page)
    assert "Cycle 1, Co-design 0 of 1 (0%)" in text and "Cycle 1, Co-commission 1 of 1 (100%)" in text
    assert "Adopted 1" in text and "Awaiting a response 1" in text
    assert "answered in 10 days" in text and "waiting 2 days so far" in text
    assert "Home educator 2 (50%)" in text  # Amira and Tom, at the one decision taken at a meeting


def test_no_person_is_named_on_the_level_page_or_the_dashboard(client, story):
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    for url in (f"/policies/{story.policy}/evidence", f"/partnerships/{story.partnership}/dashboard"):
        response = client.get(url)
        assert response.status_code == 200
        for name in NAMES:
            assert not re.search(rf"\b{name}\b", response.get_data(as_text=True)), (name, url)


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("31", "2", "2026", "The date to see the evidence as of must be a real date"),
        ("yesterday", "", "", "The date to see the evidence as of must include a month and year"),
        ("1", "7", "2026", "The date cannot be in the future"),
    ],
)
def test_an_as_of_date_that_cannot_be_right_is_explained_next_to_the_field(
    client, story, day, month, year, message
):
    asked = {"as_of-day": day, "as_of-month": month, "as_of-year": year}
    response = client.get(f"/policies/{story.policy}/evidence", query_string=asked)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field_error = page.split('id="evidence-as_of-error"')[1].split("</p>")[0]
    assert message in field_error
    assert 'href="#evidence-as_of"' in page and 'aria-invalid="true"' in page
    assert f'name="as_of-day" value="{day}"' in page  # what they typed stays, to correct


@pytest.mark.parametrize("as_of", ["2026-02-31", "yesterday"])
def test_an_as_of_date_in_a_link_that_cannot_be_right_is_explained_too(client, story, as_of):
    response = client.get(f"/policies/{story.policy}/evidence", query_string={"as_of": as_of})
    assert response.status_code == 422
    field_error = response.get_data(as_text=True).split('id="evidence-as_of-error"')[1].split("</p>")[0]
    assert "The date to see the evidence as of must be a real date" in field_error


def test_an_as_of_date_asked_as_day_month_and_year_is_the_one_a_link_asks_for(client, story):
    co_commissioned_with_citizens(story)
    linked = client.get(f"/policies/{story.policy}/evidence", query_string={"as_of": "2026-03-01"})
    typed = client.get(
        f"/policies/{story.policy}/evidence",
        query_string={"as_of-day": "1", "as_of-month": "3", "as_of-year": "2026", "reading": "happened"},
    )
    assert linked.status_code == typed.status_code == 200
    assert "as of <strong>1 March 2026</strong>" in typed.get_data(as_text=True)
    # The link's date is shown split into the three fields, to change one of them.
    page = linked.get_data(as_text=True)
    assert 'name="as_of-day" value="1"' in page and 'name="as_of-month" value="3"' in page
    assert 'name="as_of-year" value="2026"' in page


def test_an_unknown_policy_or_partnership_is_not_found(client, story):
    assert client.get(f"/policies/{story.partnership}/evidence").status_code == 404
    assert client.get(f"/partnerships/{story.policy}/dashboard").status_code == 404


# "As of": the facts as anyone could have known them on a day, so happened *and recorded* by then.
# The log stamps each event with the machine's clock, so the story here is set a year after it:
# every event is recorded before the days asked about, and only what happened by then counts.


@pytest.fixture
def ahead(database_url, tmp_path):
    today = date.today() + timedelta(days=365)
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "TODAY": lambda: today, "SECRET_KEY": "tests"},
        instance_path=str(tmp_path / "instance"),
    )
    yield admin_client(app), Riverside.set_up(app.extensions["cotrace"].app, today)
    app.extensions["cotrace"].close()


def test_as_of_a_day_gives_the_verdict_as_it_stood_then(ahead):
    client, story = ahead
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    url = f"/policies/{story.policy}/evidence"

    before_the_officer_decided = days_ago(7, story.today).isoformat()
    then = text_of(client.get(url, query_string={"as_of": before_the_officer_decided}).get_data(as_text=True))
    now = text_of(client.get(url).get_data(as_text=True))

    assert "Whole policy Evidenced level: Transformational" in then
    assert "Whole policy Evidenced level: Intermediate" in now
    assert "claimed co-producing" not in then and "claimed co-producing" in now
    assert "Cycle 1, Co-design no decision yet" in then  # the charts are drawn as of the day too
    assert "Cycle 1, Co-design 0 of 1 (0%)" in now


def test_the_dashboard_shows_each_policy_its_level_claims_and_what_needs_attention(client, story):
    co_commissioned_with_citizens(story)
    app, actor, people = story.app, story.actor, story.people
    strategy = app.start_policy(actor, story.partnership, "SEND strategy", "authority", days_ago(30))
    app.record_decision_outside_meeting(
        actor, strategy, "Adopt last year's strategy", "co_commission", [people["daniel"]], "delegated",
        days_ago(20),
    )  # fmt: skip
    app.claim_participation_level(
        actor, strategy, "Strategy launch", "co_producing", people["daniel"], days_ago(10)
    )

    page = client.get(f"/partnerships/{story.partnership}/dashboard").get_data(as_text=True)
    text = text_of(page)
    assert (
        f'href="/policies/{story.policy}/evidence"' in page
        and f'href="/policies/{strategy}/evidence"' in page
    )
    assert "EHE policy : evidence of co-production Co-commission 1 Transformational None claimed" in text
    assert (
        "SEND strategy : evidence of co-production Co-commission 1 Basic Co-producing (Strategy launch)"
        in text
    )
    assert "Co-producing Doing with 1" in text and "Co-designing Doing with 0" in text
    attention = text.split("Needs attention")[1]
    assert "EHE policy" not in attention
    assert "SEND strategy The evidenced level is basic Fails: From conception" in attention
    assert "Claimed higher than the evidence shows: 'Strategy launch'" in attention
