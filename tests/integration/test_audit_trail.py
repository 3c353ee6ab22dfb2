"""Every fact of a policy's life in its audit trail and in decision provenance, on SQLite and
PostgreSQL; both rebuild to the same rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from projections.reads import TrailFilter, decision_provenance, policy_stages_as_of, policy_trail
from tests.conftest import TODAY
from tests.integration.test_projections import snapshot
from tests.policy_life import (
    ANSWERED,
    CORRECTED,
    DECIDED,
    DELEGATED,
    NOT_ADOPTED,
    REASON_NOT_ADOPTED,
    REVERSED,
    Clock,
    PolicyLife,
)
from tests.story import Riverside


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def lived(services, retire: bool = False) -> PolicyLife:
    life = PolicyLife.lived(Riverside.set_up(services.app, TODAY), retire=retire)
    services.read_models.catch_up()
    return life


def trail_of(services, life: PolicyLife, only: TrailFilter | None = None) -> list[dict]:
    with services.engine.connect() as conn:
        return policy_trail(conn, life.story.policy, only or TrailFilter())


def test_every_fact_of_a_policys_life_has_a_row_in_order(services):
    life = lived(services, retire=True)
    assert [row["kind"] for row in trail_of(services, life)] == [
        "policy_started",
        "stage_entered",
        "contribution_submitted",
        "contribution_submitted",
        "contribution_responded",
        "contribution_responded",
        "agenda_item_added",  # the item naming no policy is in no policy's trail
        "policy_rated",
        "decision_recorded",
        "decision_corrected",
        "decision_recorded",
        "decision_superseded",
        "decision_recorded",
        "decision_reversed",
        "version_published",
        "participation_level_claimed",
        "policy_adopted",
        "policy_retired",
    ]


def test_contributions_show_the_pseudonym_or_the_name_with_group_channel_and_stage(services):
    life = lived(services)
    rows = trail_of(services, life, TrailFilter(kind="contributions"))
    submitted, other, adopted, not_adopted = rows
    assert submitted["what"] == ANSWERED
    assert submitted["contributor"] == {
        "name": "A. Riverside",
        "group": "Home educator",
        "kind": "suggestion",
    }
    assert submitted["channel"] == "survey"
    assert (submitted["stage"], submitted["cycle"]) == ("co_commission", 1)
    assert submitted["happened_on"] == TODAY - timedelta(days=30)
    assert other["contributor"]["name"] == "Grace" and other["channel"] == "email"
    assert adopted["response"] == "adopted" and adopted["contributor"]["name"] == "A. Riverside"
    assert "Response given by Daniel" in adopted["what"]
    assert not_adopted["response"] == "not_adopted"
    assert not_adopted["reason"] == REASON_NOT_ADOPTED
    assert NOT_ADOPTED in not_adopted["what"]
    assert not_adopted["happened_on"] == TODAY - timedelta(days=5)


def test_a_decision_row_shows_what_it_cites_and_who_was_consulted_informed_and_dissented(services):
    life = lived(services)
    decided = next(r for r in trail_of(services, life) if r["decision_id"] == life.decided)
    assert decided["what"] == DECIDED  # the original wording stays in its row
    assert decided["outside_meeting"] is False and decided["meeting"] == "Partnership meeting"
    assert decided["cites"] == [
        {
            "id": str(life.answered),
            "contributor": "A. Riverside",
            "group": "Home educator",
            "kind": "Suggestion",
            "text": ANSWERED,
        }
    ]
    assert decided["consulted"] == [{"name": "Grace", "group": "Parent carer"}]
    assert decided["informed"] == [{"name": "Sophie", "group": "Home education organisation"}]
    assert decided["dissent"] == [
        {"by": {"name": "Tom", "group": "Home educator"}, "note": "Wanted a longer consultation"}
    ]


def test_corrections_supersessions_and_reversals_are_new_rows_that_name_the_earlier_decision(services):
    life = lived(services)
    rows = {row["kind"]: row for row in trail_of(services, life, TrailFilter(kind="decisions"))}
    corrected = rows["decision_corrected"]
    assert corrected["decision_id"] == life.decided
    assert f"It read “{DECIDED}”; it now reads “{CORRECTED}”" in corrected["what"]
    assert corrected["reason"] == "A slip in the minutes"

    superseded = rows["decision_superseded"]
    assert superseded["decision_id"] == life.decided and superseded["related_decision_id"] == life.delegated
    assert f"“{CORRECTED}”, was superseded by the decision “{DELEGATED}”" in superseded["what"]
    assert superseded["reason"] == "Legal advice on the survey's length"

    delegated = next(r for r in trail_of(services, life) if r["decision_id"] == life.delegated)
    assert delegated["outside_meeting"] is True and delegated["meeting"] is None
    assert delegated["method"] == "Delegated officer decision"
    assert delegated["supersedes"] == {
        "id": str(life.decided),
        "text": CORRECTED,
        "happened_on": "15 June 2026",
    }

    reversed_ = rows["decision_reversed"]
    assert reversed_["decision_id"] == life.reversed and REVERSED in reversed_["what"]
    assert reversed_["reason"] == "Families asked for places they can reach"


def test_the_policys_own_facts_are_rows_at_the_stage_it_was_at(services):
    life = lived(services, retire=True)
    rows = {row["kind"]: row for row in trail_of(services, life)}
    assert rows["policy_rated"]["rating"] == "amber"
    assert rows["policy_rated"]["what"] == "Rated Amber for Communication with families. Letters arrive late"
    assert rows["policy_rated"]["meeting"] == "Partnership meeting"
    assert "Draft 1" in rows["version_published"]["what"] and "a" * 64 in rows["version_published"]["what"]
    assert rows["participation_level_claimed"]["what"] == (
        "Amira claimed “Co-producing” on the Wokingham co-production ladder for Drafting workshop."
    )
    assert rows["policy_retired"]["reason"] == "Replaced by the 2027 policy"
    assert rows["agenda_item_added"]["what"] == (
        "On the agenda of Partnership meeting: Principles of the new policy"
    )
    assert all(row["stage"] == "co_commission" for row in rows.values() if row["kind"] != "policy_started")


def test_filters_narrow_the_trail_by_group_stage_and_dates(services):
    life = lived(services)
    parent_carers = trail_of(services, life, TrailFilter(group="parent_carer"))
    assert [row["kind"] for row in parent_carers] == ["contribution_submitted", "contribution_responded"]
    officers = trail_of(services, life, TrailFilter(group="local_authority", kind="decisions"))
    assert {row["decision_id"] for row in officers} == {life.decided, life.delegated, life.reversed}
    assert trail_of(services, life, TrailFilter(stage="co_design")) == []
    window = trail_of(
        services,
        life,
        TrailFilter(happened_from=TODAY - timedelta(days=25), happened_to=TODAY - timedelta(days=6)),
    )
    assert [row["kind"] for row in window] == ["contribution_submitted", "contribution_responded"]


def test_as_of_a_day_the_trail_and_stages_are_what_was_recorded_by_its_end(services, clock):
    clock.set(TODAY)
    story = Riverside.set_up(services.app, TODAY)
    story.decide(text="Taken and recorded today")
    clock.set(TODAY + timedelta(days=21))
    story.decide(text="Taken today, recorded three weeks later", stage="co_design")
    services.read_models.catch_up()

    with services.engine.connect() as conn:
        then = policy_trail(conn, story.policy, TrailFilter(as_of=TODAY, as_recorded=True))
        stages_then = policy_stages_as_of(conn, story.policy, TODAY, as_recorded=True)
        now = policy_trail(
            conn, story.policy, TrailFilter(as_of=TODAY + timedelta(days=21), as_recorded=True)
        )
        stages_now = policy_stages_as_of(conn, story.policy, TODAY + timedelta(days=21), as_recorded=True)
        before = policy_trail(
            conn, story.policy, TrailFilter(as_of=TODAY - timedelta(days=1), as_recorded=True)
        )
        happened = policy_trail(conn, story.policy, TrailFilter(as_of=TODAY))
        stages_happened = policy_stages_as_of(conn, story.policy, TODAY)

    assert [row["what"] for row in then if row["kind"] == "decision_recorded"] == ["Taken and recorded today"]
    assert [s["stage"] for s in stages_then] == ["co_commission"]
    assert len(now) == len(then) + 2  # the late decision and the stage it opened
    assert [s["stage"] for s in stages_now] == ["co_commission", "co_design"]
    assert before == []  # nothing had been recorded by then
    # As it happened (the default reading), the late record counts on the day it was taken.
    assert len(happened) == len(now)
    assert [s["stage"] for s in stages_happened] == ["co_commission", "co_design"]


def test_decision_provenance_holds_what_the_decision_rests_on_and_what_came_after(services):
    life = lived(services)
    # Attendance changed after the decision: provenance keeps it as it stood then.
    people = life.story.people
    services.app.record_attendance(
        life.story.actor, life.story.meeting, [people["amira"], people["daniel"]], []
    )
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        decided = decision_provenance(conn, life.decided)
        delegated = decision_provenance(conn, life.delegated)

    assert decided["text"] == DECIDED and decided["policy_title"] == "EHE policy"
    assert decided["meeting"]["title"] == "Partnership meeting"
    assert decided["proposer"] == {"name": "Tom", "group": "Home educator"}
    assert [p["name"] for p in decided["decision_makers"]] == ["Amira", "Daniel"]
    assert [p["name"] for p in decided["present"]] == ["Amira", "Daniel", "Sophie", "Tom"]
    assert decided["apologies"] == [{"name": "Grace", "group": "Parent carer"}]
    assert decided["consulted"] == [{"name": "Grace", "group": "Parent carer"}]
    assert decided["recorded_by"] == "Local operator"
    [answered] = decided["answered"]
    assert answered["text"] == ANSWERED and answered["contributor"] == "A. Riverside"
    assert answered["response"] == "adopted" and answered["responded_by"]["name"] == "Daniel"
    assert [a["kind"] for a in decided["amendments"]] == ["corrected", "superseded"]
    assert decided["amendments"][0]["text"] == CORRECTED
    assert [d["id"] for d in decided["after"]] == [life.delegated]
    assert decided["before"] == []

    assert delegated["meeting"] is None and delegated["method"] == "delegated"
    assert delegated["present"] == [] and delegated["answered"] == []
    assert [d["id"] for d in delegated["before"]] == [life.decided]
    assert delegated["after"] == []


def test_the_trail_and_provenance_rebuild_to_the_same_rows(services):
    lived(services, retire=True)
    live = snapshot(services)

    services.read_models.rebuild()

    assert snapshot(services) == live
    assert len(live["audit_trail"]) == 18 and live["audit_trail_groups"]
    assert len(live["provenance_decisions"]) == 3 and live["provenance_amendments"]


def test_a_meetings_minutes_are_in_the_trail_of_every_policy_on_its_agenda(services):
    """Issue 15: minutes written, attached and approved were in no policy's trail."""
    story = Riverside.set_up(services.app, TODAY)
    app, actor = story.app, story.actor
    other = app.start_policy(actor, story.partnership, "SEND strategy", "authority", TODAY)
    unrelated = app.start_policy(actor, story.partnership, "Training", "authority", TODAY)
    app.add_agenda_item(actor, story.meeting, "Principles", story.policy)
    app.add_agenda_item(actor, story.meeting, "Strategy", other)
    app.add_agenda_item(actor, story.meeting, "More on the principles", story.policy)
    draft = app.write_minutes(actor, story.meeting, "Agreed to ask families first")
    attached = app.write_minutes(actor, story.meeting, "", "June minutes.pdf", "b" * 64)
    app.approve_minutes(
        actor, story.meeting, [story.people["amira"], story.people["daniel"]], TODAY, attached
    )
    services.read_models.catch_up()

    only_minutes = TrailFilter(kind="minutes")
    with services.engine.connect() as conn:
        trails = [policy_trail(conn, policy, only_minutes) for policy in (story.policy, other)]
        assert policy_trail(conn, unrelated, only_minutes) == []
        amiras = policy_trail(conn, story.policy, TrailFilter(group="home_educator", kind="minutes"))
    for rows in trails:
        assert [(row["kind"], row["what"]) for row in rows] == [
            (
                "minutes_written",
                f"Minutes of Partnership meeting written in Cotrace, version 1 (SHA-256 {draft}).",
            ),
            (
                "minutes_written",
                "Minutes of Partnership meeting attached, version 2: the file “June minutes.pdf” "
                f"(SHA-256 {'b' * 64}).",
            ),
            (
                "minutes_approved",
                f"Minutes of Partnership meeting approved by Amira, Daniel: version 2 (SHA-256 {'b' * 64}).",
            ),
        ]
        assert rows[-1]["happened_on"] == TODAY and rows[-1]["meeting"] == "Partnership meeting"
    assert [row["kind"] for row in amiras] == ["minutes_approved"]


def test_minutes_approved_before_cotrace_kept_them_say_so(services):
    story = Riverside.set_up(services.app, TODAY)
    story.app.add_agenda_item(story.actor, story.meeting, "Principles", story.policy)
    story.app.approve_minutes(story.actor, story.meeting, [story.people["amira"]], TODAY)
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        [row] = policy_trail(conn, story.policy, TrailFilter(kind="minutes"))
    assert row["what"] == (
        "Minutes of Partnership meeting approved by Amira; the minutes are kept outside Cotrace."
    )
