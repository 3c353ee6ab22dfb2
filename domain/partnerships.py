"""A partnership: a standing group that co-produces policies, its members, and the thresholds its
policies' evidence is judged by."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.dates import check_not_in_future
from domain.errors import Problems
from domain.evidence.thresholds import DAYS, DEFAULT_THRESHOLDS, Stated, Thresholds, stated
from domain.wording import NAME, REASON, check_length


class Partnership(Aggregate):
    @event("Formed")
    def __init__(self, name: str, recorded_by: UUID) -> None:
        self.name = name
        self.members: dict[UUID, str] = {}  # participant id -> stakeholder group
        self.joined: dict[UUID, date] = {}  # participant id -> the day they joined
        self.chair_id: UUID | None = None
        self.thresholds = DEFAULT_THRESHOLDS
        self.roles: dict[UUID, set[str]] = {}  # account id -> its roles in this partnership

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

    @event("RoleGranted")
    def grant_role(self, account_id: UUID, role: str, recorded_by: UUID) -> None:
        self.roles.setdefault(account_id, set()).add(role)

    @event("RoleRevoked")
    def revoke_role(self, account_id: UUID, role: str, recorded_by: UUID) -> None:
        self.roles.get(account_id, set()).discard(role)

    def has_role(self, account_id: UUID, role: str) -> bool:
        return role in self.roles.get(account_id, set())

    def is_member(self, participant_id: UUID) -> bool:
        return participant_id in self.members

    @event("ThresholdsChanged")
    def change_thresholds(
        self, values: dict[str, float], reason: str, happened_on: date, recorded_by: UUID
    ) -> None:
        """The partnership agreed to judge its policies by other thresholds: all five are recorded,
        so the event alone says what every later verdict was judged by."""
        self.thresholds = Thresholds(**values)

    def thresholds_with(
        self, changes: Mapping[str, float], reason: str, happened_on: date, today: date
    ) -> dict[str, float]:
        """The thresholds with these changes (the others as they stand); raises RulesBroken with a
        message for each value that cannot be a threshold, and for a missing reason."""
        problems = Problems()
        for name in sorted(set(changes) - set(asdict(self.thresholds))):
            problems.add(name, f"There is no threshold called '{name}'")
        for threshold in stated(self.thresholds):
            if threshold.name in changes:
                _check_threshold(problems, threshold, changes[threshold.name])
        if not reason.strip():
            problems.add("reason", "Enter why the partnership changed its thresholds")
        check_length(problems, "reason", reason, REASON, "The reason")
        check_not_in_future(problems, "happened_on", happened_on, today, "The date the change was agreed")
        problems.raise_if_any()
        return {**asdict(self.thresholds), **changes}


def _check_threshold(problems: Problems, threshold: Stated, value: object) -> None:
    label = threshold.label.lower()
    if threshold.unit == DAYS:
        if not (type(value) is int and 1 <= value <= 365):
            problems.add(threshold.name, f"Enter the {label} as a whole number from 1 to 365")
    elif not (type(value) in (int, float) and 0 <= value <= 1):
        problems.add(threshold.name, f"Enter the {label} as a percentage from 0 to 100")
