"""The directory: partnerships, their members, policies and stages, meetings and their record
(attendance, agenda, access adjustments, actions, minutes), contributions and their responses, and
decisions with what they cite and what became of them.

Pages list and look up things from here; the audit trail has tables of its own so each projection
can be rebuilt alone.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from sqlalchemy import insert, select, update

from domain.contributions import Contribution
from domain.decisions import Decision
from domain.meetings import Meeting
from domain.partnerships import Partnership
from domain.people import Participant
from domain.policies import Policy
from projections.batch import Batch
from projections.directory_tables import (
    actions,
    adjustments,
    agenda,
    attendance,
    citations,
    contributions,
    corrections,
    decision_changes,
    decisions,
    lookups,
    meetings,
    members,
    metadata,
    operators,  # noqa: F401 - pages read the directory's tables from here
    participants,  # noqa: F401
    partnerships,
    policies,  # noqa: F401
    stages,
    versions,
)
from projections.read_model import ReadModel
from projections.transparency_pages import transparency_page_entry


class Directory(ReadModel):
    name = "directory"
    # 2: whether each policy's transparency page is published; 3: the indexes of the pages' lists,
    # and each contribution's partnership; 4: the corrections of contributions, responses, actions,
    # meetings, agenda items and members' names; 5: decisions and contributions moved with their
    # meeting's corrected date, and the date each replaced; 6: a policy's decisions indexed in order, its
    # contributions by response
    version = 6
    metadata = metadata
    lookups = lookups
    handlers_elsewhere = (transparency_page_entry,)
    handler_indexes = ("directory_members_by_participant", "ix_directory_agenda_meeting_id")

    @singledispatchmethod
    def _on(self, event: Any, conn: Batch, position: int) -> None:
        """Events the directory does not show are passed over."""

    @_on.register
    def _(self, event: Partnership.Formed, conn: Batch, position: int) -> None:
        conn.execute(insert(partnerships), dict(id=event.originator_id, name=event.name))

    @_on.register
    def _(self, event: Partnership.MemberJoined, conn: Batch, position: int) -> None:
        conn.execute(
            insert(members),
            dict(
                partnership_id=event.originator_id,
                participant_id=event.participant_id,
                stakeholder_group=event.stakeholder_group,
                joined_on=event.joined_on,
            ),
        )

    @_on.register
    def _(self, event: Participant.NameCorrected, conn: Batch, position: int) -> None:
        # The lookup of people already has the corrected name (`projections.lookups`).
        _correction(conn, event, position, event.originator_id, "member_name", name=event.previous_name)

    @_on.register
    def _(self, event: Participant.EmailCorrected, conn: Batch, position: int) -> None:
        # The address it replaced is for the chair's eyes, as the address is (the members page).
        _correction(conn, event, position, event.originator_id, "member_email", email=event.previous_email)

    @_on.register
    def _(self, event: Participant.StakeholderGroupCorrected, conn: Batch, position: int) -> None:
        # A member of several partnerships is of the one group in each.
        conn.execute(
            update(members)
            .where(members.c.participant_id == event.originator_id)
            .values(stakeholder_group=event.stakeholder_group)
        )
        _correction(
            conn, event, position, event.originator_id, "member_group", stakeholder_group=event.previous_group
        )

    @_on.register
    def _(self, event: Partnership.ChairAppointed, conn: Batch, position: int) -> None:
        conn.update(partnerships, event.originator_id, chair_id=event.participant_id)

    @_on.register
    def _(self, event: Policy.StageEntered, conn: Batch, position: int) -> None:
        conn.execute(
            insert(stages),
            dict(
                policy_id=event.originator_id,
                cycle=event.cycle,
                stage=event.stage,
                entered_on=event.entered_on,
                position=position,
            ),
        )

    @_on.register
    def _(self, event: Meeting.AttendanceRecorded, conn: Batch, position: int) -> None:
        conn.delete_where(attendance, "meeting_id", event.originator_id)
        rows = [
            {"meeting_id": event.originator_id, "participant_id": person, "status": status}
            for status, people in (("present", event.present), ("apologies", event.apologies))
            for person in people
        ]
        if rows:
            conn.execute(insert(attendance), rows)

    @_on.register
    def _(self, event: Decision.Recorded, conn: Batch, position: int) -> None:
        conn.execute(
            insert(decisions),
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                meeting_id=event.meeting_id,
                stage=event.stage,
                cycle=event.cycle,
                text=event.text,
                proposed_by=event.proposed_by,
                decided_by=[str(p) for p in event.decided_by],
                decision_maker_groups=list(event.decision_maker_groups),
                method=event.method,
                votes=event.votes,
                happened_on=event.happened_on,
                recorded_at=event.timestamp,
                recorded_by=event.recorded_by,
                position=position,
                consulted=[str(p) for p in event.consulted or []],
                informed=[str(p) for p in event.informed or []],
                dissent=[
                    {"by": str(n["by"]) if n.get("by") else None, "note": n["note"]}
                    for n in event.dissent or []
                ],
                supersedes=event.supersedes,
                status="standing",
            ),
        )
        cited = list(dict.fromkeys(event.cites or []))
        if cited:
            conn.execute(
                insert(citations),
                [{"decision_id": event.originator_id, "contribution_id": c} for c in cited],
            )

    @_on.register
    def _(self, event: Decision.Corrected, conn: Batch, position: int) -> None:
        previous = conn.row(decisions, event.originator_id)
        self._change(conn, event, position, "corrected", previous_text=previous and previous["text"])
        conn.update(decisions, event.originator_id, text=event.text, status="corrected")

    @_on.register
    def _(self, event: Decision.Reversed, conn: Batch, position: int) -> None:
        self._change(conn, event, position, "reversed")
        conn.update(decisions, event.originator_id, status="reversed")

    @_on.register
    def _(self, event: Decision.Superseded, conn: Batch, position: int) -> None:
        self._change(conn, event, position, "superseded", superseded_by=event.superseded_by)
        conn.update(decisions, event.originator_id, status="superseded", superseded_by=event.superseded_by)

    @_on.register
    def _(self, event: Decision.Redated, conn: Batch, position: int) -> None:
        """Moved with its meeting's corrected date: the meeting's pages show it on the new date, and
        the change beside it says the date it replaced, when and why."""
        self._change(conn, event, position, "redated", previous_on=event.previous_date)
        conn.update(decisions, event.originator_id, happened_on=event.new_date)

    @staticmethod
    def _change(conn: Batch, event: Any, position: int, kind: str, **values: Any) -> None:
        conn.execute(
            insert(decision_changes),
            dict(
                position=position,
                decision_id=event.originator_id,
                kind=kind,
                reason=event.reason,
                happened_on=event.happened_on,
                **values,
            ),
        )

    @_on.register
    def _(self, event: Policy.VersionPublished, conn: Batch, position: int) -> None:
        conn.execute(
            insert(versions),
            dict(
                position=position,
                policy_id=event.originator_id,
                title=event.title,
                version_label=event.version_label,
                link=event.link,
                published_on=event.happened_on,
            ),
        )

    @_on.register
    def _(self, event: Meeting.AgendaItemAdded, conn: Batch, position: int) -> None:
        conn.execute(
            insert(agenda),
            dict(
                position=position,
                meeting_id=event.originator_id,
                title=event.title,
                policy_id=event.policy_id,
            ),
        )

    @_on.register
    def _(self, event: Meeting.AgendaItemCorrected, conn: Batch, position: int) -> None:
        items = conn.scalars(
            select(agenda.c.position)
            .where(agenda.c.meeting_id == event.originator_id)
            .order_by(agenda.c.position)
        ).all()
        _correction(
            conn,
            event,
            position,
            event.originator_id,
            "agenda_item",
            number=event.number,
            title=event.previous_title,
        )
        conn.execute(update(agenda).where(agenda.c.position == items[event.number]).values(title=event.title))

    @_on.register
    def _(self, event: Meeting.AccessAdjustmentMade, conn: Batch, position: int) -> None:
        conn.execute(
            insert(adjustments),
            dict(
                position=position,
                meeting_id=event.originator_id,
                kind=event.kind,
                description=event.description,
            ),
        )

    @_on.register
    def _(self, event: Meeting.ActionAgreed, conn: Batch, position: int) -> None:
        conn.execute(
            insert(actions),
            dict(
                id=event.action_id,
                meeting_id=event.originator_id,
                description=event.description,
                owner_id=event.owner_id,
                due_on=event.due_on,
                position=position,
            ),
        )

    @_on.register
    def _(self, event: Meeting.ActionCompleted, conn: Batch, position: int) -> None:
        conn.update(actions, event.action_id, done_on=event.done_on)

    @_on.register
    def _(self, event: Meeting.DetailsCorrected, conn: Batch, position: int) -> None:
        # The lookup of meetings already has the corrected date and place (`projections.lookups`).
        _correction(
            conn,
            event,
            position,
            event.originator_id,
            "meeting",
            held_on=event.previous_held_on,
            place=event.previous_place,
        )

    @_on.register
    def _(self, event: Meeting.ActionReopened, conn: Batch, position: int) -> None:
        done_on = (conn.row(actions, event.action_id) or {}).get("done_on")
        _correction(conn, event, position, event.action_id, "action_reopened", done_on=done_on)
        conn.update(actions, event.action_id, done_on=None)

    @_on.register
    def _(self, event: Meeting.MinutesApproved, conn: Batch, position: int) -> None:
        conn.update(
            meetings,
            event.originator_id,
            minutes_approved_on=event.approved_on,
            minutes_approved_by=[str(p) for p in event.approved_by],
        )

    @_on.register
    def _(self, event: Contribution.Submitted, conn: Batch, position: int) -> None:
        # Its partnership's, kept on the row, so a partnership's contributions are read from its index.
        policy = conn.row(policies, event.policy_id)
        partnership_id = policy and policy["partnership_id"]
        conn.execute(
            insert(contributions),
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                partnership_id=partnership_id,
                contributor_id=event.contributor_id,
                stage=event.stage,
                cycle=event.cycle,
                kind=event.kind,
                text=event.text,
                channel=event.channel,
                meeting_id=event.meeting_id,
                pseudonym=event.pseudonym,
                happened_on=event.happened_on,
                recorded_at=event.timestamp,
                position=position,
            ),
        )

    @_on.register
    def _(self, event: Contribution.Responded, conn: Batch, position: int) -> None:
        conn.update(
            contributions,
            event.originator_id,
            response=event.response,
            reason=event.reason,
            responded_by=event.responded_by,
            responded_on=event.happened_on,
        )

    @_on.register
    def _(self, event: Contribution.Corrected, conn: Batch, position: int) -> None:
        previous = conn.row(contributions, event.originator_id)["text"]
        _correction(conn, event, position, event.originator_id, "contribution", text=previous)
        conn.update(contributions, event.originator_id, text=event.text)

    @_on.register
    def _(self, event: Contribution.Redated, conn: Batch, position: int) -> None:
        _correction(conn, event, position, event.originator_id, "redated", happened_on=event.previous_date)
        conn.update(contributions, event.originator_id, happened_on=event.new_date)

    @_on.register
    def _(self, event: Contribution.ResponseCorrected, conn: Batch, position: int) -> None:
        row = conn.row(contributions, event.originator_id)
        _correction(
            conn,
            event,
            position,
            event.originator_id,
            "response",
            response=row["response"],
            reason=row["reason"],
        )
        conn.update(contributions, event.originator_id, response=event.response, reason=event.response_reason)


def _correction(conn: Batch, event: Any, position: int, subject_id: Any, kind: str, **previous: Any) -> None:
    """A correction's row: what it corrects, and what that read before (dates as ISO text, for JSON)."""
    conn.insert(
        corrections,
        dict(
            position=position,
            subject_id=subject_id,
            kind=kind,
            previous={k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in previous.items()},
            reason=event.reason,
            happened_on=event.happened_on,
            recorded_by=event.recorded_by,
        ),
    )
