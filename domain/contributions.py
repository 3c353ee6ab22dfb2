"""A contribution: a participant's input on a policy at a stage, and the response it got.

The response is "you said, we did": adopted, adapted, or not adopted with a reason. Decisions cite
contributions; the contribution does not need to know which (the projections join them).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.dates import check_not_in_future, format_date
from domain.errors import Problems
from domain.vocabulary import CHANNELS, CONTRIBUTION_KINDS, RESPONSES
from domain.wording import CONTRIBUTION, PSEUDONYM, check_correction_reason, check_length


class Contribution(Aggregate):
    @event("Submitted")
    def __init__(
        self,
        policy_id: UUID,
        contributor_id: UUID,
        stage: str,
        cycle: int,
        kind: str,
        text: str,
        channel: str,
        meeting_id: UUID | None,
        pseudonym: str | None,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        self.policy_id = policy_id
        self.contributor_id = contributor_id
        self.stage = stage
        self.cycle = cycle
        self.kind = kind
        self.text = text
        self.channel = channel
        self.meeting_id = meeting_id
        self.pseudonym = pseudonym
        self.happened_on = happened_on
        self.response: str | None = None
        self.reason: str | None = None
        self.responded_on: date | None = None
        self.last_corrected_on: date | None = None

    @staticmethod
    def check_submission(
        problems: Problems,
        kind: str,
        text: str,
        channel: str,
        meeting_id: UUID | None,
        pseudonym: str | None,
        happened_on: date,
        today: date,
    ) -> None:
        if kind not in CONTRIBUTION_KINDS:
            problems.add("kind", "Choose whether this is a view, a suggestion or a concern")
        if not text.strip():
            problems.add(
                "text", "Enter what was said"
            )  # asked of a chair recording it and of a participant giving their own
        check_length(problems, "text", text, CONTRIBUTION, "The contribution")
        check_length(problems, "pseudonym", pseudonym, PSEUDONYM, "The pseudonym")
        if channel not in CHANNELS:
            problems.add("channel", "Choose how the contribution came in")
        elif channel == "meeting" and meeting_id is None:
            problems.add("meeting_id", "Choose the meeting where the contribution was made")
        # Any other channel may still name a meeting: a workshop is often held as one of the
        # partnership's meetings, and the input given there belongs to it, whatever its label.
        check_not_in_future(problems, "happened_on", happened_on, today, "The date of the contribution")

    @event("Responded")
    def respond(
        self, response: str, reason: str, responded_by: UUID, happened_on: date, recorded_by: UUID
    ) -> None:
        self.response = response
        self.reason = reason
        self.responded_on = happened_on

    @event("Corrected")
    def correct(
        self, text: str, contributor_id: UUID, reason: str, happened_on: date, recorded_by: UUID
    ) -> None:
        """The words were recorded wrong (a slip, a misheard phrase); what was said is what counts.
        The contributor's id is on the event because the words are theirs: encrypted with their key."""
        self.text = text
        self.last_corrected_on = happened_on

    @event("Redated")
    def redate(
        self,
        new_date: date,
        previous_date: date,
        meeting_id: UUID,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """The meeting it was made at was recorded on the wrong day, and corrected (the meeting's
        `DetailsCorrected`, with the same reason): it took the meeting's date, so it moves with it.
        `happened_on` is the day of the correction, as on every correction."""
        self.happened_on = new_date

    @event("ResponseCorrected")
    def correct_response(
        self,
        response: str,
        response_reason: str,
        responded_on: date,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """The response was recorded wrong; the day it was given (`responded_on`) stays as it was."""
        self.response = response
        self.reason = response_reason
        self.last_corrected_on = happened_on

    def check_correction(
        self, problems: Problems, reason: str, happened_on: date, today: date, corrects: date
    ) -> None:
        """What every correction of a contribution or its response keeps: a reason, and a date not
        in the future nor before what it corrects (`corrects`: the day that was recorded) or an
        earlier correction."""
        check_correction_reason(problems, reason, happened_on, today, explains="trail")
        earliest = max(corrects, self.last_corrected_on or corrects)
        if happened_on < earliest:
            problems.add(
                "happened_on",
                f"The correction cannot come before what it corrects, recorded as of {format_date(earliest)}",
            )

    def check_response(
        self, problems: Problems, response: str, reason: str, happened_on: date, today: date
    ) -> None:
        if self.response is not None:
            problems.add(
                "response",
                f"This contribution was already answered on {format_date(self.responded_on)}: "
                "a response is never changed",
            )
            return
        if response not in RESPONSES:
            problems.add("response", "Choose adopted, adapted or not adopted")
        elif response != "adopted" and not reason.strip():
            problems.add(
                "reason",
                "Say why it was not adopted" if response == "not_adopted" else "Say how it was adapted",
            )
        check_not_in_future(problems, "happened_on", happened_on, today, "The date of the response")
        if happened_on < self.happened_on:
            problems.add(
                "happened_on",
                f"The response cannot come before the contribution, made on {format_date(self.happened_on)}",
            )
