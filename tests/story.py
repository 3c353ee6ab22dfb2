"""The Riverside partnership as tests meet it: people, an EHE policy in co-commission, a meeting held
today with attendance recorded. Tests read like the partnership's story from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.application import Cotrace


@dataclass
class Riverside:
    app: Cotrace
    actor: UUID
    partnership: UUID
    policy: UUID
    meeting: UUID
    people: dict[str, UUID]
    today: date

    @classmethod
    def set_up(cls, app: Cotrace, today: date) -> Riverside:
        actor = app.create_local_operator()
        partnership = app.form_partnership(actor, "Riverside EHE Policy Partnership")
        people = {}
        for name, group in [
            ("amira", "home_educator"),
            ("tom", "home_educator"),
            ("daniel", "local_authority"),
            ("sophie", "he_organisation"),
            ("grace", "parent_carer"),
        ]:
            people[name] = app.register_participant(actor, name.title(), group)
            app.add_member(actor, partnership, people[name], joined_on=today - timedelta(days=100))
        policy = app.start_policy(
            actor, partnership, "EHE policy", "citizens", started_on=today - timedelta(days=90)
        )
        meeting = app.schedule_meeting(actor, partnership, "Partnership meeting", today, "Library")
        app.record_attendance(
            actor,
            meeting,
            present=[people[n] for n in ("amira", "tom", "daniel", "sophie")],
            apologies=[people["grace"]],
        )
        return cls(app, actor, partnership, policy, meeting, people, today)

    def decide(self, **overrides: Any) -> UUID:
        """Records a decision at today's meeting; each keyword replaces one part of a good one."""
        command: dict[str, Any] = dict(
            meeting_id=self.meeting,
            policy_id=self.policy,
            text="Start from a blank page",
            stage="co_commission",
            proposed_by=self.people["tom"],
            decided_by=[self.people["amira"], self.people["daniel"]],
            method="consensus",
        )
        command.update(overrides)
        return self.app.record_decision(self.actor, **command)

    def meeting_on(self, day: date, present: list[str]) -> UUID:
        meeting = self.app.schedule_meeting(self.actor, self.partnership, "Another meeting", day, "")
        if present:
            self.app.record_attendance(self.actor, meeting, [self.people[n] for n in present], [])
        return meeting

    def notifications(self) -> int:
        return self.app.recorder.max_notification_id() or 0
