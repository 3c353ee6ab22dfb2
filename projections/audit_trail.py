"""The audit trail: one row per fact in a policy's life, with both of its times and who recorded it.

Names and groups are resolved as they stood when the fact was recorded, from lookup tables this
projection keeps for itself (`audit_tables.lookups`), so it can be dropped and rebuilt on its own.
This module keeps a policy's own life (started, stages, ratings, versions, adoption, claims, agenda,
the minutes of the meetings it was on the agenda of, its transparency page published and withdrawn);
`audit_decisions` the entries for contributions and decisions; `audit_entries` how an entry is
written.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from domain.meetings import Meeting
from domain.policies import Policy
from domain.vocabulary import INITIATORS, LADDER_LABELS, RAG_RATINGS, rung, stage_label
from projections.audit_decisions import decision_entry
from projections.audit_entries import meeting_title, people_named, write_entry
from projections.audit_tables import KIND_FILTERS, lookups, meetings, metadata, trail, trail_groups
from projections.batch import Batch
from projections.read_model import ReadModel
from projections.runner import recorded_day

__all__ = ["KIND_FILTERS", "AuditTrail", "recorded_day", "trail", "trail_groups"]


class AuditTrail(ReadModel):
    name = "audit_trail"
    version = 6  # 2: the trail indexed by policy and position, for its pages; 3: corrections of
    # contributions, of responses and of agenda items; 4: minutes written and approved; 5: decisions
    # and contributions moved with their meeting's corrected date; 6: indexed by policy and by kind,
    # each with the days
    metadata = metadata
    lookups = lookups
    # Contributions and decisions have their entries in `audit_decisions`.
    handlers_elsewhere = (decision_entry,)

    @singledispatchmethod
    def _on(self, event: Any, conn: Batch, position: int) -> None:
        """Events that are not part of a policy's life are passed over."""

    # A policy's life.

    @_on.register
    def _(self, event: Policy.Started, conn: Batch, position: int) -> None:
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_started",
            what=f"Policy started: {event.title}. Initiated by {INITIATORS[event.initiated_by].lower()}.",
            happened_on=event.started_on,
        )

    @_on.register
    def _(self, event: Policy.StageEntered, conn: Batch, position: int) -> None:
        if event.restarted_from is None:
            what = f"Entered {stage_label(event.stage)}, cycle {event.cycle}."
        else:
            what = f"Cycle {event.cycle} started, from {stage_label(event.restarted_from)}: {event.reason}"
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="stage_entered",
            what=what,
            reason=event.reason,
            stage=event.stage,
            cycle=event.cycle,
            happened_on=event.entered_on,
        )

    @_on.register
    def _(self, event: Policy.Rated, conn: Batch, position: int) -> None:
        comment = f" {event.comment}" if event.comment else ""
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_rated",
            what=f"Rated {RAG_RATINGS[event.rating]} for {event.aspect}.{comment}",
            happened_on=event.happened_on,
            meeting=meeting_title(conn, event.meeting_id),
            rating=event.rating,
        )

    @_on.register
    def _(self, event: Policy.VersionPublished, conn: Batch, position: int) -> None:
        link = f" {event.link}" if event.link else ""
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="version_published",
            what=f"Published {event.title}, version {event.version_label} "
            f"(SHA-256 {event.content_hash}).{link}",
            happened_on=event.happened_on,
        )

    @_on.register
    def _(self, event: Policy.Adopted, conn: Batch, position: int) -> None:
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_adopted",
            what="Policy adopted.",
            happened_on=event.happened_on,
        )

    @_on.register
    def _(self, event: Policy.Retired, conn: Batch, position: int) -> None:
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_retired",
            what="Policy retired.",
            reason=event.reason,
            happened_on=event.happened_on,
        )

    @_on.register
    def _(self, event: Policy.TransparencyPagePublished, conn: Batch, position: int) -> None:
        # Done in Cotrace itself, so it happened when it was recorded.
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="transparency_page_published",
            what="Transparency page published: anyone can read it without signing in.",
            happened_on=recorded_day(event.timestamp),
        )

    @_on.register
    def _(self, event: Policy.TransparencyPageWithdrawn, conn: Batch, position: int) -> None:
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="transparency_page_withdrawn",
            what="Transparency page withdrawn: only the partnership's readers can see the record.",
            reason=event.reason or None,
            happened_on=recorded_day(event.timestamp),
        )

    @_on.register
    def _(self, event: Policy.ParticipationLevelClaimed, conn: Batch, position: int) -> None:
        claimant = people_named(conn, {event.claimed_by})[event.claimed_by]
        write_entry(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="participation_level_claimed",
            what=f"{claimant['name']} claimed “{rung(event.ladder, event.rung).label}” on the "
            f"{LADDER_LABELS[event.ladder]} for {event.activity}.",
            stage=event.stage,
            cycle=event.cycle,
            happened_on=event.happened_on,
            groups={claimant["code"]},
        )

    @_on.register
    def _(self, event: Meeting.AgendaItemAdded, conn: Batch, position: int) -> None:
        if event.policy_id is None:
            return
        meeting = conn.row(meetings, event.originator_id)
        assert meeting is not None, event.originator_id
        on_agenda = meeting["agenda_policies"] or []
        if str(event.policy_id) not in on_agenda:
            conn.update(meetings, event.originator_id, agenda_policies=[*on_agenda, str(event.policy_id)])
        write_entry(
            conn,
            event,
            position,
            policy_id=event.policy_id,
            kind="agenda_item_added",
            what=f"On the agenda of {meeting['title']}: {event.title}",
            happened_on=meeting["held_on"],
            meeting=meeting["title"],
        )

    @_on.register
    def _(self, event: Meeting.AgendaItemCorrected, conn: Batch, position: int) -> None:
        if event.policy_id is None:
            return
        meeting = conn.row(meetings, event.originator_id)
        write_entry(
            conn,
            event,
            position,
            policy_id=event.policy_id,
            kind="agenda_item_corrected",
            what=f"The agenda of {meeting['title']} was corrected. It read “{event.previous_title}”; "
            f"it now reads “{event.title}”.",
            reason=event.reason,
            happened_on=event.happened_on,
            meeting=meeting["title"],
        )

    # A meeting's minutes, in the trail of every policy on its agenda: the record of what was said
    # about the policy, and which words were approved.

    @_on.register
    def _(self, event: Meeting.MinutesWritten, conn: Batch, position: int) -> None:
        meeting = conn.row(meetings, event.originator_id)
        assert meeting is not None, event.originator_id
        versions = [*(meeting["minutes"] or []), event.content_hash]
        conn.update(meetings, event.originator_id, minutes=versions)
        if event.file_name:
            what = (
                f"Minutes of {meeting['title']} attached, version {len(versions)}: the file "
                f"“{event.file_name}” (SHA-256 {event.content_hash})."
            )
        else:
            what = (
                f"Minutes of {meeting['title']} written in Cotrace, version {len(versions)} "
                f"(SHA-256 {event.content_hash})."
            )
        for policy_id in meeting["agenda_policies"] or []:
            write_entry(
                conn,
                event,
                position,
                policy_id=UUID(policy_id),
                kind="minutes_written",
                what=what,
                happened_on=recorded_day(event.timestamp),  # written in Cotrace, when recorded
                meeting=meeting["title"],
            )

    @_on.register
    def _(self, event: Meeting.MinutesApproved, conn: Batch, position: int) -> None:
        meeting = conn.row(meetings, event.originator_id)
        assert meeting is not None, event.originator_id
        approvers = people_named(conn, set(event.approved_by))
        names = ", ".join(str(approvers[person]["name"]) for person in event.approved_by)
        if event.content_hash is None:
            what = f"Minutes of {meeting['title']} approved by {names}; the minutes are kept outside Cotrace."
        else:
            versions = meeting["minutes"] or []
            number = len(versions) - versions[::-1].index(event.content_hash)
            what = (
                f"Minutes of {meeting['title']} approved by {names}: version {number} "
                f"(SHA-256 {event.content_hash})."
            )
        for policy_id in meeting["agenda_policies"] or []:
            write_entry(
                conn,
                event,
                position,
                policy_id=UUID(policy_id),
                kind="minutes_approved",
                what=what,
                happened_on=event.approved_on,
                meeting=meeting["title"],
                groups={str(person["code"]) for person in approvers.values()},
            )
