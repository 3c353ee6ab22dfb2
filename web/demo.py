"""The demonstration partnership: fictional people, an EHE policy in co-commission, two meetings.

Dates are relative to today, so the demo always has a meeting that took place today, ready for a
decision, and one that took place earlier with a decision in the trail.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.application import Cotrace

PARTNERSHIP = "Riverside EHE Policy Partnership"
PEOPLE = [
    ("Amira Hassan", "home_educator"),
    ("Tom Ellis", "home_educator"),
    ("Grace Okafor", "parent_carer"),
    ("Daniel Price", "local_authority"),
    ("Sophie Lang", "he_organisation"),
]


def load_demo(app: Cotrace, actor: UUID, today: date) -> UUID:
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    partnership = app.form_partnership(actor, PARTNERSHIP)
    people = {}
    for name, group in PEOPLE:
        people[name] = app.register_participant(actor, name, group)
        app.add_member(actor, partnership, people[name], joined_on=ago(120))
    app.appoint_chair(actor, partnership, people["Amira Hassan"])

    policy = app.start_policy(
        actor, partnership, "Elective Home Education Policy", "citizens", started_on=ago(90)
    )
    first = app.schedule_meeting(
        actor, partnership, "Opening partnership meeting", ago(60), "Riverside Central Library"
    )
    app.record_attendance(
        actor,
        first,
        present=[people[n] for n in ("Amira Hassan", "Tom Ellis", "Daniel Price", "Sophie Lang")],
        apologies=[people["Grace Okafor"]],
    )
    app.record_decision(
        actor,
        first,
        policy,
        text="Start the new EHE policy from a blank page, with home educators writing the first draft "
        "of its principles.",
        stage="co_commission",
        proposed_by=people["Tom Ellis"],
        decided_by=[people[n] for n in ("Amira Hassan", "Tom Ellis", "Daniel Price", "Sophie Lang")],
        method="consensus",
    )
    tonight = app.schedule_meeting(actor, partnership, "Partnership meeting", today, "Online")
    app.record_attendance(
        actor,
        tonight,
        present=[people[n] for n in ("Amira Hassan", "Grace Okafor", "Daniel Price", "Sophie Lang")],
        apologies=[people["Tom Ellis"]],
    )
    app.schedule_meeting(
        actor,
        partnership,
        "Co-design workshop",
        today + timedelta(days=21),
        "Riverside Community Hall",
    )
    return partnership
