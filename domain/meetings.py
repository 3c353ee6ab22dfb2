"""A meeting held by a partnership: when, where, and who was there."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.dates import check_meeting_date, format_date
from domain.errors import Problems
from domain.minutes import MinutesVersion
from domain.wording import NAME, check_length


class Meeting(Aggregate):
    @event("Scheduled")
    def __init__(
        self, partnership_id: UUID, title: str, held_on: date, place: str, recorded_by: UUID
    ) -> None:
        self.partnership_id = partnership_id
        self.title = title
        self.held_on = held_on
        self.place = place
        self.present: list[UUID] = []
        self.apologies: list[UUID] = []
        self.agenda: list[dict] = []  # {"title", "policy_id"}
        self.adjustments: list[dict] = []  # {"kind", "description"}
        self.actions: dict[UUID, dict] = {}  # action id -> {"description", "owner_id", "due_on", "done_on"}
        self.minutes: list[MinutesVersion] = []  # each version written or attached, in order
        self.minutes_approved_on: date | None = None

    @staticmethod
    def check_scheduling(title: str, held_on: date, place: str, today: date) -> None:
        problems = Problems()
        if not title.strip():
            problems.add("title", "Enter a title for the meeting, for example 'Partnership meeting'")
        check_length(problems, "title", title, NAME, "The title")
        check_length(problems, "place", place, NAME, "The place")
        check_meeting_date(problems, "held_on", held_on, today)
        problems.raise_if_any()

    @event("AttendanceRecorded")
    def record_attendance(self, present: list[UUID], apologies: list[UUID], recorded_by: UUID) -> None:
        # Each record of attendance replaces the last: the trail keeps every version.
        self.present = list(present)
        self.apologies = list(apologies)

    @event("AgendaItemAdded")
    def add_agenda_item(self, title: str, policy_id: UUID | None, recorded_by: UUID) -> None:
        self.agenda.append({"title": title, "policy_id": policy_id})

    @event("AccessAdjustmentMade")
    def record_access_adjustment(self, kind: str, description: str, recorded_by: UUID) -> None:
        """Access adjustments made so people could take part: evidence of an inclusive meeting."""
        self.adjustments.append({"kind": kind, "description": description})

    @event("ActionAgreed")
    def agree_action(
        self, action_id: UUID, description: str, owner_id: UUID, due_on: date, recorded_by: UUID
    ) -> None:
        self.actions[action_id] = {
            "description": description,
            "owner_id": owner_id,
            "due_on": due_on,
            "done_on": None,
        }

    @event("ActionCompleted")
    def complete_action(self, action_id: UUID, done_on: date, recorded_by: UUID) -> None:
        self.actions[action_id]["done_on"] = done_on

    @event("MinutesWritten")
    def write_minutes(self, text: str, file_name: str, content_hash: str, recorded_by: UUID) -> None:
        """A version of the minutes: words written here, or a file attached (its name and checksum)."""
        self.minutes.append(MinutesVersion(len(self.minutes) + 1, text, file_name, content_hash))

    class MinutesApproved(Aggregate.Event):
        """The minutes were approved. Version 2 names the version approved by its checksum; version 1
        events, from before minutes were kept in Cotrace, name none and read as such."""

        class_version = 2
        approved_by: list[UUID]
        approved_on: date
        recorded_by: UUID
        content_hash: str | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["content_hash"] = None

    @event(MinutesApproved)
    def approve_minutes(
        self, approved_by: list[UUID], approved_on: date, recorded_by: UUID, content_hash: str | None = None
    ) -> None:
        self.minutes_approved_on = approved_on

    def check_has_taken_place(self, problems: Problems, field: str, today: date, what: str) -> None:
        if self.held_on > today:
            problems.add(
                field,
                f"This meeting is on {format_date(self.held_on)}: {what} once it has taken place",
            )

    def check_present(self, problems: Problems, field: str, people: list[UUID], role: str) -> None:
        absent = [person for person in people if person not in self.present]
        if absent:
            problems.add(
                field,
                f"Choose {role} from the people recorded as present at this meeting",
            )
