"""A whole policy life on top of the Riverside story: every kind of fact an audit trail shows.

Contributions and their responses, an agenda item and a rating at today's meeting, a decision citing
a contribution with dissent noted, its correction and its supersession by a delegated officer
decision taken outside a meeting, a decision reversed, a version published, a rung claimed, the
policy adopted. `Clock` sets the time the event store stamps on what is recorded, so a test can
record a fact late (the library's clock, not our code: the app's calendar stays TODAY).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

import eventsourcing.domain
import pytest

from tests.story import Riverside

DECIDED = "Ask families before any officer drafts a word"
CORRECTED = "Ask families before any officer drafts the policy"
DELEGATED = "Run the family survey for six weeks, not four"
REVERSED = "Hold every meeting in the council offices"
ANSWERED = "Ask families before writing anything"
NOT_ADOPTED = "Publish every draft in plain English"
REASON_NOT_ADOPTED = "Drafts are published only after legal review"
CHECKSUM = "a" * 64


@dataclass
class PolicyLife:
    story: Riverside
    answered: UUID  # Amira's contribution, under a pseudonym, adopted and cited
    not_adopted: UUID  # Grace's contribution by email, not adopted
    decided: UUID  # at today's meeting, corrected, then superseded
    delegated: UUID  # outside a meeting, superseding `decided`
    reversed: UUID

    @classmethod
    def lived(cls, story: Riverside, retire: bool = False) -> PolicyLife:
        app, actor, people, today = story.app, story.actor, story.people, story.today
        answered = app.submit_contribution(
            actor,
            story.policy,
            people["amira"],
            "suggestion",
            ANSWERED,
            "survey",
            happened_on=today - timedelta(days=30),
            pseudonym="A. Riverside",
        )
        not_adopted = app.submit_contribution(
            actor,
            story.policy,
            people["grace"],
            "concern",
            NOT_ADOPTED,
            "email",
            happened_on=today - timedelta(days=20),
        )
        app.respond_to_contribution(
            actor, answered, "adopted", "", people["daniel"], today - timedelta(days=10)
        )
        app.respond_to_contribution(
            actor, not_adopted, "not_adopted", REASON_NOT_ADOPTED, people["daniel"], today - timedelta(days=5)
        )
        app.add_agenda_item(actor, story.meeting, "Principles of the new policy", story.policy)
        app.add_agenda_item(actor, story.meeting, "Any other business")  # names no policy
        app.rate_policy(
            actor, story.policy, "Communication with families", "amber", "Letters arrive late", story.meeting
        )
        decided = story.decide(
            text=DECIDED,
            cites=[answered],
            consulted=[people["grace"]],
            informed=[people["sophie"]],
            dissent=[{"by": people["tom"], "note": "Wanted a longer consultation"}],
        )
        app.correct_decision(actor, decided, CORRECTED, "A slip in the minutes", today)
        delegated = app.record_decision_outside_meeting(
            actor,
            story.policy,
            DELEGATED,
            "co_commission",
            [people["daniel"]],
            "delegated",
            today,
            supersedes=decided,
            supersession_reason="Legal advice on the survey's length",
        )
        reversed_ = story.decide(text=REVERSED, proposed_by=people["sophie"])
        app.reverse_decision(actor, reversed_, "Families asked for places they can reach", today)
        app.publish_document_version(
            actor, story.policy, "EHE policy", "Draft 1", CHECKSUM, "https://example.org/draft-1", today
        )
        app.claim_participation_level(
            actor, story.policy, "Drafting workshop", "co_producing", people["amira"], today
        )
        app.adopt_policy(actor, story.policy, today)
        if retire:
            app.retire_policy(actor, story.policy, "Replaced by the 2027 policy", today)
        return cls(story, answered, not_adopted, decided, delegated, reversed_)


class Clock:
    """The time the event store stamps on each event it records, set by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now: datetime | None = None
        monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", self._now)

    def set(self, day: date, at: time = time(10, 0)) -> None:
        self.now = datetime.combine(day, at, tzinfo=UTC)

    def _now(self) -> datetime:
        if self.now is None:
            return datetime.now(tz=UTC)
        self.now += timedelta(microseconds=1)  # each event later than the last, as in life
        return self.now
