"""A meeting held by a partnership: when, where, and who was there."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.dates import check_meeting_date, format_date
from domain.errors import Problems
from domain.minutes import MinutesVersion
from domain.wording import NAME, check_correction_reason, check_length


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
        # Once anyone was recorded present, decisions and contributions may be dated by this meeting:
        # a correction of its date moves them too (domain.commands.redating).
        self.ever_attended = False

    @staticmethod
    def check_scheduling(title: str, held_on: date, place: str, today: date) -> None:
        problems = Problems()
        if not title.strip():
            problems.add("title", "Enter a title for the meeting, for example 'Partnership meeting'")
        check_length(problems, "title", title, NAME, "The title")
        check_length(problems, "place", place, NAME, "The place")
        check_meeting_date(problems, "held_on", held_on, today)
        problems.raise_if_any()

    @event("DetailsCorrected")
    def correct_details(
        self,
        held_on: date,
        place: str,
        previous_held_on: date,
        previous_place: str,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """The date or place was recorded wrong; the meeting is the same one. The event says what
        it read before, as every read model's lookups take the corrected date and place from it."""
        self.held_on = held_on
        self.place = place

    def check_correction(
        self, problems: Problems, held_on: date, place: str, reason: str, happened_on: date, today: date
    ) -> None:
        if held_on == self.held_on and place.strip() == self.place:
            problems.add("held_on", "The corrected date and place are the same as the recorded ones")
        elif held_on != self.held_on:
            check_meeting_date(problems, "held_on", held_on, today)
            done = [a["done_on"] for a in self.actions.values() if a["done_on"]]
            if self.minutes_approved_on:
                done.append(self.minutes_approved_on)
            if done and held_on > min(done):
                problems.add(
                    "held_on",
                    f"Its actions or minutes are recorded on {format_date(min(done))}, before this date",
                )
            elif self.actions and held_on > today:
                problems.add("held_on", "Actions were agreed at this meeting: it has taken place")
        check_length(problems, "place", place, NAME, "The place")
        check_correction_reason(problems, reason, happened_on, today)

    @event("AttendanceRecorded")
    def record_attendance(self, present: list[UUID], apologies: list[UUID], recorded_by: UUID) -> None:
        # Each record of attendance replaces the last: the trail keeps every version.
        self.present = list(present)
        self.apologies = list(apologies)
        self.ever_attended = self.ever_attended or bool(present)

    @event("AgendaItemAdded")
    def add_agenda_item(self, title: str, policy_id: UUID | None, recorded_by: UUID) -> None:
        self.agenda.append({"title": title, "policy_id": policy_id})

    @event("AgendaItemCorrected")
    def correct_agenda_item(
        self,
        number: int,
        title: str,
        policy_id: UUID | None,
        previous_title: str,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """An agenda item's wording was recorded wrong. `number` is its place on the agenda (from 0);
        its policy and what it read before are on the event, for the trail of that policy."""
        self.agenda[number] = {**self.agenda[number], "title": title}

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

    @event("ActionReopened")
    def reopen_action(self, action_id: UUID, reason: str, happened_on: date, recorded_by: UUID) -> None:
        """An action marked done by mistake (or not done after all) is open again; the trail keeps
        the day it was marked done, and why that was wrong."""
        self.actions[action_id]["done_on"] = None

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
