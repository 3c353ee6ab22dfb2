"""A partnership: a standing group that co-produces policies, and its members."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Problems
from domain.wording import NAME, check_length


class Partnership(Aggregate):
    @event("Formed")
    def __init__(self, name: str, recorded_by: UUID) -> None:
        self.name = name
        self.members: dict[UUID, str] = {}  # participant id -> stakeholder group
        self.joined: dict[UUID, date] = {}  # participant id -> the day they joined
        self.chair_id: UUID | None = None

    @staticmethod
    def check_name(name: str) -> None:
        problems = Problems()
        if not name.strip():
            problems.add("name", "Enter the partnership's name")
        check_length(problems, "name", name, NAME, "The name")
        problems.raise_if_any()

    @event("MemberJoined")
    def add_member(
        self, participant_id: UUID, stakeholder_group: str, joined_on: date, recorded_by: UUID
    ) -> None:
        self.members[participant_id] = stakeholder_group
        self.joined[participant_id] = joined_on

    @event("ChairAppointed")
    def appoint_chair(self, participant_id: UUID, recorded_by: UUID) -> None:
        self.chair_id = participant_id

    def is_member(self, participant_id: UUID) -> bool:
        return participant_id in self.members
