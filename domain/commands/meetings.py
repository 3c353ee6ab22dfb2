"""Commands about meetings: scheduling, attendance, agenda, access adjustments, actions, minutes."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.commands.base import unique
from domain.commands.redating import DatedByMeeting, RedatingCommands
from domain.dates import check_not_in_future, format_date
from domain.errors import Problems
from domain.meetings import Meeting
from domain.minutes import check_approvable, check_minutes, check_writable, text_checksum
from domain.partnerships import Partnership
from domain.people import Participant
from domain.policies import Policy
from domain.vocabulary import ACCESS_ADJUSTMENTS
from domain.wording import NAME, REASON, check_correction_reason, check_length


class MeetingCommands(RedatingCommands):
    def schedule_meeting(
        self, actor: UUID, partnership_id: UUID, title: str, held_on: date, place: str
    ) -> UUID:
        self._get(Partnership, partnership_id)
        Meeting.check_scheduling(title, held_on, place, self.today())
        meeting = Meeting(
            partnership_id=partnership_id,
            title=title.strip(),
            held_on=held_on,
            place=place.strip(),
            recorded_by=actor,
        )
        self.save(meeting)
        return meeting.id

    def record_attendance(
        self, actor: UUID, meeting_id: UUID, present: list[UUID], apologies: list[UUID]
    ) -> None:
        meeting = self._get(Meeting, meeting_id)
        partnership = self._get(Partnership, meeting.partnership_id)
        problems = Problems()
        meeting.check_has_taken_place(problems, "present", self.today(), "record attendance")
        if any(not partnership.is_member(p) for p in [*present, *apologies]):
            problems.add("present", "Choose people who are members of this partnership")
        not_yet = [
            p
            for p in unique([*present, *apologies])
            if partnership.joined.get(p, meeting.held_on) > meeting.held_on
        ]
        if not_yet:
            problems.add(
                "present",
                f"{self._names(not_yet)} joined the partnership after this meeting, on "
                f"{format_date(max(partnership.joined[p] for p in not_yet))}: leave them out",
            )
        sent_apologies = set(apologies)
        both = [p for p in unique(present) if p in sent_apologies and partnership.is_member(p)]
        if both:
            names = self._names(both)
            problems.add("apologies", f"{names} cannot be both present and sending apologies: untick one")
        problems.raise_if_any()
        meeting.record_attendance(present=unique(present), apologies=unique(apologies), recorded_by=actor)
        self.save(meeting)

    def _names(self, people: list[UUID]) -> str:
        """Who a message is about, by name: "Amira and Tom"."""
        return " and ".join(self._get(Participant, p).name for p in people)

    def add_agenda_item(
        self, actor: UUID, meeting_id: UUID, title: str, policy_id: UUID | None = None
    ) -> None:
        meeting = self._get(Meeting, meeting_id)
        problems = Problems()
        if not title.strip():
            problems.add("title", "Enter the agenda item")
        check_length(problems, "title", title, NAME, "The agenda item")
        if policy_id is not None:
            policy = self._find(
                problems, "policy_id", Policy, policy_id, "Choose one of this partnership's policies"
            )
            if policy is not None and policy.partnership_id != meeting.partnership_id:
                problems.add("policy_id", "Choose one of this partnership's policies")
        problems.raise_if_any()
        meeting.add_agenda_item(title=title.strip(), policy_id=policy_id, recorded_by=actor)
        self.save(meeting)

    def correct_agenda_item(
        self, actor: UUID, meeting_id: UUID, number: int, title: str, reason: str, happened_on: date
    ) -> None:
        """The wording of an agenda item (the `number`th, from 0) was recorded wrong."""
        meeting = self._get(Meeting, meeting_id)
        problems = Problems()
        if not 0 <= number < len(meeting.agenda):
            problems.add("title", "Choose one of this meeting's agenda items")
            problems.raise_if_any()
        item = meeting.agenda[number]
        if not title.strip():
            problems.add("title", "Enter the agenda item")
        elif title.strip() == item["title"]:
            problems.add("title", "The corrected agenda item is the same as the recorded one")
        check_length(problems, "title", title, NAME, "The agenda item")
        check_correction_reason(problems, reason, happened_on, self.today())
        problems.raise_if_any()
        meeting.correct_agenda_item(
            number=number,
            title=title.strip(),
            policy_id=item["policy_id"],
            previous_title=item["title"],
            reason=reason.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(meeting)

    def record_access_adjustment(self, actor: UUID, meeting_id: UUID, kind: str, description: str) -> None:
        meeting = self._get(Meeting, meeting_id)
        problems = Problems()
        if kind not in ACCESS_ADJUSTMENTS:
            problems.add("kind", "Choose time, place, format or support")
        if not description.strip():
            problems.add("description", "Describe the adjustment, for example 'Held after school hours'")
        check_length(problems, "description", description, REASON, "The description")
        problems.raise_if_any()
        meeting.record_access_adjustment(kind=kind, description=description.strip(), recorded_by=actor)
        self.save(meeting)

    def agree_action(
        self, actor: UUID, meeting_id: UUID, description: str, owner_id: UUID | None, due_on: date
    ) -> UUID:
        meeting = self._get(Meeting, meeting_id)
        partnership = self._get(Partnership, meeting.partnership_id)
        problems = Problems()
        meeting.check_has_taken_place(problems, "description", self.today(), "record the actions it agreed")
        if not description.strip():
            problems.add("description", "Enter the action agreed")
        check_length(problems, "description", description, REASON, "The action")
        if owner_id is None or not partnership.is_member(owner_id):
            problems.add("owner_id", "Choose who owns the action from the partnership's members")
        if due_on < meeting.held_on:
            problems.add(
                "due_on", f"The due date cannot be before the meeting, on {format_date(meeting.held_on)}"
            )
        problems.raise_if_any()
        action_id = uuid4()
        meeting.agree_action(
            action_id=action_id,
            description=description.strip(),
            owner_id=owner_id,
            due_on=due_on,
            recorded_by=actor,
        )
        self.save(meeting)
        return action_id

    def complete_action(self, actor: UUID, meeting_id: UUID, action_id: UUID, done_on: date) -> None:
        meeting = self._get(Meeting, meeting_id)
        problems = Problems()
        action = meeting.actions.get(action_id)
        if action is None:
            problems.add("action_id", "Choose one of this meeting's actions")
        elif action["done_on"] is not None:
            problems.add("action_id", f"This action was done on {format_date(action['done_on'])}")
        check_not_in_future(problems, "done_on", done_on, self.today(), "The date it was done")
        if done_on < meeting.held_on:
            problems.add("done_on", "An action cannot be done before the meeting that agreed it")
        problems.raise_if_any()
        meeting.complete_action(action_id=action_id, done_on=done_on, recorded_by=actor)
        self.save(meeting)

    def correct_meeting(
        self, actor: UUID, meeting_id: UUID, held_on: date, place: str, reason: str, happened_on: date
    ) -> None:
        """The meeting's date or place was recorded wrong: corrected, with the original beside it.
        Each decision and contribution it dated moves to the corrected date with it, by an event of
        its own naming the same reason, all saved together (`domain.commands.redating`)."""
        meeting = self._get(Meeting, meeting_id)
        problems = Problems()
        meeting.check_correction(problems, held_on, place, reason, happened_on, self.today())
        dated = DatedByMeeting()
        if held_on != meeting.held_on and meeting.ever_attended and not problems.has("held_on"):
            dated = self._dated_by(meeting)
            self._check_redating(problems, meeting, dated, held_on)
        problems.raise_if_any()
        for record in dated.records:
            record.redate(
                new_date=held_on,
                previous_date=record.happened_on,
                meeting_id=meeting.id,
                reason=reason.strip(),
                happened_on=happened_on,
                recorded_by=actor,
            )
        meeting.correct_details(
            held_on=held_on,
            place=place.strip(),
            previous_held_on=meeting.held_on,
            previous_place=meeting.place,
            reason=reason.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(meeting, *dated.records)

    def reopen_action(
        self, actor: UUID, meeting_id: UUID, action_id: UUID, reason: str, happened_on: date
    ) -> None:
        """An action marked done by mistake: open again, with the reason beside the day it was marked."""
        meeting = self._get(Meeting, meeting_id)
        problems = Problems()
        action = meeting.actions.get(action_id)
        if action is None:
            problems.add("action_id", "Choose one of this meeting's actions")
        elif action["done_on"] is None:
            problems.add("action_id", "This action is not marked done: there is nothing to reopen")
        if not reason.strip():
            problems.add("reason", "Give the reason it is reopened, so the trail explains it")
        check_length(problems, "reason", reason, REASON, "The reason")
        check_not_in_future(problems, "happened_on", happened_on, self.today(), "The date it was reopened")
        if action is not None and action["done_on"] is not None and happened_on < action["done_on"]:
            problems.add(
                "happened_on",
                f"It cannot be reopened before it was marked done, on {format_date(action['done_on'])}",
            )
        problems.raise_if_any()
        meeting.reopen_action(
            action_id=action_id, reason=reason.strip(), happened_on=happened_on, recorded_by=actor
        )
        self.save(meeting)

    def approve_minutes(
        self,
        actor: UUID,
        meeting_id: UUID,
        approved_by: list[UUID],
        approved_on: date,
        content_hash: str | None = None,
    ) -> None:
        """`content_hash` names the version of the minutes the approvers read; None only for
        minutes kept outside Cotrace (history brought in)."""
        meeting = self._get(Meeting, meeting_id)
        partnership = self._get(Partnership, meeting.partnership_id)
        problems = Problems()
        check_approvable(problems, meeting.minutes, content_hash)
        if meeting.minutes_approved_on is not None:
            problems.add(
                "approved_by", f"The minutes were approved on {format_date(meeting.minutes_approved_on)}"
            )
        if not approved_by or any(not partnership.is_member(p) for p in approved_by):
            problems.add("approved_by", "Choose who approved the minutes from the partnership's members")
        check_not_in_future(problems, "approved_on", approved_on, self.today(), "The approval date")
        if approved_on < meeting.held_on:
            problems.add("approved_on", "Minutes cannot be approved before the meeting took place")
        problems.raise_if_any()
        meeting.approve_minutes(
            approved_by=unique(approved_by),
            approved_on=approved_on,
            recorded_by=actor,
            content_hash=content_hash,
        )
        self.save(meeting)

    def write_minutes(
        self, actor: UUID, meeting_id: UUID, text: str, file_name: str = "", content_hash: str = ""
    ) -> str:
        """A new version of the meeting's minutes: words, or a file's name and SHA-256 checksum (the
        web layer works it out from the file). Returns the version's checksum."""
        meeting = self._get(Meeting, meeting_id)
        problems = Problems()
        meeting.check_has_taken_place(problems, "text", self.today(), "write its minutes")
        check_writable(problems, meeting.minutes_approved_on, "text")
        check_minutes(problems, text, file_name, content_hash)
        problems.raise_if_any()
        # A browser sends a textarea's lines ending CR LF: the words, and so their checksum, are
        # the same however they were typed.
        words = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        checksum = text_checksum(words) if words else content_hash
        meeting.write_minutes(
            text=words, file_name=file_name.strip(), content_hash=checksum, recorded_by=actor
        )
        self.save(meeting)
        return checksum
