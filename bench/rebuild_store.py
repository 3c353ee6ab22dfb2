"""A store of about N events made with the real commands, for the rebuild and snapshot benchmarks.

Partnerships of 20 members, each with policies in co-design and meetings where members attend,
decide, contribute and get responses: the shapes of event the read models see most. The commands
are the application's own (`Cotrace`), called directly; the read models are left behind, for a
catch-up or a rebuild to apply.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.application import Cotrace

TODAY = date(2026, 6, 1)
GROUPS = ("home_educator", "parent_carer", "young_person", "local_authority", "education", "health")
MEMBERS = 20
POLICIES = 5
# Events one meeting makes: scheduled, attendance, 2 decisions, 4 contributions, 4 responses.
EVENTS_PER_MEETING = 12


def make_store(app: Cotrace, events: int) -> int:
    """Records about `events` events; returns how many the log holds."""
    actor = app.create_local_operator()
    number = 0
    while (app.recorder.max_notification_id() or 0) < events:
        _partnership(app, actor, number, events - (app.recorder.max_notification_id() or 0))
        number += 1
    return app.recorder.max_notification_id() or 0


def _partnership(app: Cotrace, actor: UUID, number: int, left: int) -> None:
    start = TODAY - timedelta(days=900)
    partnership = app.form_partnership(actor, f"Partnership {number}")
    people = []
    for i in range(MEMBERS):
        person = app.register_participant(actor, f"Person {number}-{i}", GROUPS[i % len(GROUPS)])
        app.add_member(actor, partnership, person, joined_on=start)
        people.append(person)
    app.appoint_chair(actor, partnership, people[3])
    policies = []
    for i in range(POLICIES):
        policy = app.start_policy(actor, partnership, f"Policy {number}-{i}", "citizens", start)
        app.enter_stage(actor, policy, "co_design", start + timedelta(days=1))
        policies.append(policy)
    meetings = min(400, max(1, left // EVENTS_PER_MEETING))
    for m in range(meetings):
        held_on = start + timedelta(days=2 + m * 2)
        meeting = app.schedule_meeting(actor, partnership, f"Meeting {m}", held_on, "Library")
        present = [people[(m + k) % MEMBERS] for k in range(8)]
        app.record_attendance(actor, meeting, present, [people[(m + 9) % MEMBERS]])
        policy = policies[m % POLICIES]
        contributions = []
        for k in range(4):
            contributions.append(
                app.submit_contribution(
                    actor, policy, present[k], "suggestion", f"Idea {m}-{k}", "meeting", meeting_id=meeting
                )
            )
        for k, contribution in enumerate(contributions):
            response = ("adopted", "adapted", "not_adopted", "adopted")[k]
            app.respond_to_contribution(actor, contribution, response, "Agreed", people[3], held_on)
        for k in range(2):
            app.record_decision(
                actor,
                meeting_id=meeting,
                policy_id=policy,
                text=f"Decision {m}-{k}",
                stage="co_design",
                proposed_by=present[0],
                decided_by=present[:4],
                method="consensus",
                cites=contributions[k : k + 2],
            )
