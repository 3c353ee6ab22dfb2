"""The directory's rows for the whole record of a meeting, on SQLite and PostgreSQL, and their rebuild."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from projections import directory, reads
from tests.conftest import TODAY
from tests.integration.test_projections import snapshot
from tests.story import Riverside


def a_whole_meeting(story: Riverside) -> dict:
    """A meeting logged in full: agenda, adjustment, a contribution, decisions citing it, actions."""
    app, actor, people = story.app, story.actor, story.people
    app.add_agenda_item(actor, story.meeting, "Principles of the new policy", story.policy)
    app.add_agenda_item(actor, story.meeting, "Any other business")
    app.record_access_adjustment(actor, story.meeting, "time", "Held after school hours")
    contribution = app.submit_contribution(
        actor,
        story.policy,
        people["amira"],
        "suggestion",
        "Ask families before writing anything",
        "meeting",
        meeting_id=story.meeting,
        pseudonym="River mum",
    )
    decision = story.decide(
        cites=[contribution],
        consulted=[people["sophie"]],
        informed=[people["grace"]],
        dissent=[{"by": None, "note": "One member wanted a survey first"}],
    )
    corrected = story.decide(text="Meet monthly")
    app.correct_decision(actor, corrected, "Meet every month", "Typo in the minutes", TODAY)
    reversed_ = story.decide(text="Publish drafts on paper only")
    app.reverse_decision(actor, reversed_, "Families asked for drafts online too", TODAY)
    app.respond_to_contribution(actor, contribution, "adopted", "", people["daniel"], TODAY)
    action = app.agree_action(
        actor, story.meeting, "Write to families", people["daniel"], TODAY + timedelta(days=14)
    )
    app.agree_action(actor, story.meeting, "Book the hall", people["tom"], TODAY + timedelta(days=7))
    app.complete_action(actor, story.meeting, action, TODAY)
    app.approve_minutes(actor, story.meeting, [people["amira"], people["daniel"]], TODAY)
    app.set_contact_preferences(actor, people["amira"], "amira@example.org", True)
    return {"contribution": contribution, "decision": decision, "corrected": corrected, "reversed": reversed_}


def test_the_directory_lists_the_whole_record_of_a_meeting(services):
    story = Riverside.set_up(services.app, TODAY)
    made = a_whole_meeting(story)
    services.read_models.catch_up()

    with services.engine.connect() as conn:
        assert [(a["title"], a["policy_title"]) for a in reads.meeting_agenda(conn, story.meeting)] == [
            ("Principles of the new policy", "EHE policy"),
            ("Any other business", None),
        ]
        assert [(a["kind"], a["description"]) for a in reads.meeting_adjustments(conn, story.meeting)] == [
            ("time", "Held after school hours")
        ]
        [contribution] = reads.meeting_contributions(conn, story.meeting)
        assert contribution["pseudonym"] == "River mum"
        assert contribution["stage"] == "co_commission"  # the policy's current stage, by default
        assert (contribution["response"], contribution["responded_on"]) == ("adopted", TODAY)
        assert contribution["responded_by"] == story.people["daniel"]

        decisions = {d["id"]: d for d in reads.meeting_decisions(conn, story.meeting)}
        cited = decisions[made["decision"]]
        assert [c["id"] for c in cited["cites"]] == [made["contribution"]]
        assert cited["consulted"] == [str(story.people["sophie"])]
        assert cited["informed"] == [str(story.people["grace"])]
        assert cited["dissent"] == [{"by": None, "note": "One member wanted a survey first"}]
        assert cited["status"] == "standing"
        corrected = decisions[made["corrected"]]
        assert (corrected["status"], corrected["text"]) == ("corrected", "Meet every month")
        assert corrected["changes"][0]["previous_text"] == "Meet monthly"
        assert decisions[made["reversed"]]["status"] == "reversed"
        assert decisions[made["reversed"]]["changes"][0]["reason"] == "Families asked for drafts online too"

        citing = reads.decisions_citing(conn, [made["contribution"]])
        assert [d["id"] for d in citing] == [made["decision"]]

        actions = reads.meeting_actions(conn, story.meeting)
        assert [(a["description"], a["done_on"]) for a in actions] == [
            ("Write to families", TODAY),
            ("Book the hall", None),
        ]
        meeting = reads.meeting(conn, story.meeting)
        assert meeting["minutes_approved_on"] == TODAY
        assert meeting["minutes_approved_by"] == [str(story.people["amira"]), str(story.people["daniel"])]
        amira = reads.participant(conn, story.people["amira"])
        assert (amira["email"], amira["email_consent"]) == ("amira@example.org", True)


def test_the_whole_record_rebuilds_to_the_same_rows(services):
    story = Riverside.set_up(services.app, TODAY)
    a_whole_meeting(story)
    story.app.publish_document_version(
        story.actor, story.policy, "EHE policy", "Draft 1", "a" * 64, "https://example.org/d1", TODAY
    )
    story.app.adopt_policy(story.actor, story.policy, TODAY)
    services.read_models.catch_up()
    live = snapshot(services)

    services.read_models.rebuild()

    assert snapshot(services) == live
    for table in (
        "directory_contributions",
        "directory_citations",
        "directory_agenda",
        "directory_adjustments",
        "directory_actions",
        "directory_decision_changes",
        "directory_versions",
    ):
        assert live[table], table
    with services.engine.connect() as conn:
        assert conn.scalar(select(directory.policies.c.adopted_on)) == TODAY
