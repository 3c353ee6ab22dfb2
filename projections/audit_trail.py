"""The audit trail: one row per fact in a policy's life, with both of its times and who recorded it.

Names and groups are resolved as they stood when the fact was recorded, from lookup tables this
projection keeps for itself, so it can be dropped and rebuilt on its own. Nothing is edited in place:
a correction, reversal or supersession is a row of its own that names the decision it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, insert, select, update

from domain.contributions import Contribution
from domain.dates import format_date
from domain.decisions import Decision
from domain.meetings import Meeting
from domain.people import Operator, Participant
from domain.policies import Policy
from domain.vocabulary import (
    CONTRIBUTION_KINDS,
    DECISION_METHODS,
    INITIATORS,
    LADDER_LABELS,
    RAG_RATINGS,
    RESPONSES,
    group_label,
    rung,
    stage_label,
)
from projections.audit_tables import (
    KIND_FILTERS,
    contributions,
    decisions,
    meetings,
    metadata,
    people,
    policies,
    trail,
    trail_groups,
)
from projections.runner import recorded_day

__all__ = ["KIND_FILTERS", "AuditTrail", "recorded_day", "trail", "trail_groups"]

# The lookups every event makes are built once: building a statement costs more than running it.
PEOPLE_NAMED = select(people).where(people.c.id.in_(bindparam("ids", expanding=True)))
MEETING_TITLE = select(meetings.c.title).where(meetings.c.id == bindparam("id"))
POLICY_NOW = select(policies).where(policies.c.id == bindparam("id"))


class AuditTrail:
    name = "audit_trail"
    metadata = metadata

    def apply(self, conn: Connection, event: Any, position: int) -> None:
        self._on(event, conn, position)

    @singledispatchmethod
    def _on(self, event: Any, conn: Connection, position: int) -> None:
        """Events that are not part of a policy's trail are passed over."""

    # Lookups: who, which meeting, which contribution, which decision.

    @_on.register
    def _(self, event: Operator.Created, conn: Connection, position: int) -> None:
        conn.execute(insert(people), dict(id=event.originator_id, name=event.name))

    @_on.register
    def _(self, event: Participant.Registered, conn: Connection, position: int) -> None:
        conn.execute(
            insert(people),
            dict(
                id=event.originator_id,
                name=event.name,
                stakeholder_group=event.stakeholder_group,
            ),
        )

    @_on.register
    def _(self, event: Meeting.Scheduled, conn: Connection, position: int) -> None:
        conn.execute(insert(meetings), dict(id=event.originator_id, title=event.title, held_on=event.held_on))

    # A policy's life.

    @_on.register
    def _(self, event: Policy.Started, conn: Connection, position: int) -> None:
        conn.execute(insert(policies), dict(id=event.originator_id))
        self._row(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_started",
            what=f"Policy started: {event.title}. Initiated by {INITIATORS[event.initiated_by].lower()}.",
            happened_on=event.started_on,
        )

    @_on.register
    def _(self, event: Policy.StageEntered, conn: Connection, position: int) -> None:
        conn.execute(
            update(policies)
            .where(policies.c.id == event.originator_id)
            .values(stage=event.stage, cycle=event.cycle)
        )
        self._row(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="stage_entered",
            what=f"Entered {stage_label(event.stage)}, cycle {event.cycle}.",
            stage=event.stage,
            cycle=event.cycle,
            happened_on=event.entered_on,
        )

    @_on.register
    def _(self, event: Policy.Rated, conn: Connection, position: int) -> None:
        comment = f" {event.comment}" if event.comment else ""
        self._row(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_rated",
            what=f"Rated {RAG_RATINGS[event.rating]} for {event.aspect}.{comment}",
            happened_on=event.happened_on,
            meeting=_meeting_title(conn, event.meeting_id),
            rating=event.rating,
        )

    @_on.register
    def _(self, event: Policy.VersionPublished, conn: Connection, position: int) -> None:
        link = f" {event.link}" if event.link else ""
        self._row(
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
    def _(self, event: Policy.Adopted, conn: Connection, position: int) -> None:
        self._row(
            conn,
            event,
            position,
            policy_id=event.originator_id,
            kind="policy_adopted",
            what="Policy adopted.",
            happened_on=event.happened_on,
        )

    @_on.register
    def _(self, event: Policy.Retired, conn: Connection, position: int) -> None:
        self._row(
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
    def _(self, event: Policy.ParticipationLevelClaimed, conn: Connection, position: int) -> None:
        claimant = _people(conn, {event.claimed_by})[event.claimed_by]
        self._row(
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
    def _(self, event: Meeting.AgendaItemAdded, conn: Connection, position: int) -> None:
        if event.policy_id is None:
            return
        meeting = conn.execute(select(meetings).where(meetings.c.id == event.originator_id)).one()
        self._row(
            conn,
            event,
            position,
            policy_id=event.policy_id,
            kind="agenda_item_added",
            what=f"On the agenda of {meeting.title}: {event.title}",
            happened_on=meeting.held_on,
            meeting=meeting.title,
        )

    # Contributions and their responses.

    @_on.register
    def _(self, event: Contribution.Submitted, conn: Connection, position: int) -> None:
        person = _people(conn, {event.contributor_id})[event.contributor_id]
        contributor = event.pseudonym or person["name"]
        conn.execute(
            insert(contributions),
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                contributor=contributor,
                stakeholder_group=person["code"],
                kind=event.kind,
                text=event.text,
                stage=event.stage,
                cycle=event.cycle,
            ),
        )
        self._row(
            conn,
            event,
            position,
            policy_id=event.policy_id,
            kind="contribution_submitted",
            what=event.text,
            stage=event.stage,
            cycle=event.cycle,
            happened_on=event.happened_on,
            meeting=_meeting_title(conn, event.meeting_id),
            contribution_id=event.originator_id,
            contributor={"name": contributor, "group": person["group"], "kind": event.kind},
            channel=event.channel,
            groups={person["code"]},
        )

    @_on.register
    def _(self, event: Contribution.Responded, conn: Connection, position: int) -> None:
        contribution = conn.execute(
            select(contributions).where(contributions.c.id == event.originator_id)
        ).one()
        responder = _people(conn, {event.responded_by})[event.responded_by]
        self._row(
            conn,
            event,
            position,
            policy_id=contribution.policy_id,
            kind="contribution_responded",
            what=f"{RESPONSES[event.response]}: the {CONTRIBUTION_KINDS[contribution.kind].lower()} "
            f"“{contribution.text}”. Response given by {responder['name']}.",
            reason=event.reason or None,
            stage=contribution.stage,
            cycle=contribution.cycle,
            happened_on=event.happened_on,
            contribution_id=event.originator_id,
            contributor={
                "name": contribution.contributor,
                "group": group_label(contribution.stakeholder_group),
                "kind": contribution.kind,
            },
            response=event.response,
            groups={contribution.stakeholder_group},
        )

    # Decisions, and what came after them.

    @_on.register
    def _(self, event: Decision.Recorded, conn: Connection, position: int) -> None:
        named = _people(
            conn,
            {
                event.recorded_by,
                event.proposed_by,
                *event.decided_by,
                *event.consulted,
                *event.informed,
                *(UUID(str(n["by"])) for n in event.dissent if n.get("by")),
            },
        )
        conn.execute(
            insert(decisions),
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                text=event.text,
                happened_on=event.happened_on,
                stage=event.stage,
                cycle=event.cycle,
                decision_maker_groups=list(event.decision_maker_groups),
            ),
        )
        cited = (
            conn.execute(select(contributions).where(contributions.c.id.in_(event.cites))).all()
            if event.cites
            else []
        )
        by_id = {row.id: row for row in cited}
        self._row(
            conn,
            event,
            position,
            policy_id=event.policy_id,
            kind="decision_recorded",
            what=event.text,
            stage=event.stage,
            cycle=event.cycle,
            happened_on=event.happened_on,
            meeting=_meeting_title(conn, event.meeting_id),
            outside_meeting=event.meeting_id is None,
            decision_id=event.originator_id,
            method=DECISION_METHODS[event.method],
            recorded_by_name=named[event.recorded_by]["name"],
            proposer=_shown(named[event.proposed_by]),
            decision_makers=[_shown(named[p]) for p in event.decided_by],
            decision_maker_groups=[group_label(g) for g in event.decision_maker_groups],
            votes=event.votes,
            cites=[_cited(by_id[c]) for c in event.cites if c in by_id],
            consulted=[_shown(named[p]) for p in event.consulted],
            informed=[_shown(named[p]) for p in event.informed],
            dissent=[
                {
                    "by": _shown(named[UUID(str(n["by"]))]) if n.get("by") else None,
                    "note": n["note"],
                }
                for n in event.dissent
            ],
            supersedes=_decision_named(conn, event.supersedes),
            groups=set(event.decision_maker_groups),
        )

    @_on.register
    def _(self, event: Decision.Corrected, conn: Connection, position: int) -> None:
        earlier = _decision(conn, event.originator_id)
        conn.execute(update(decisions).where(decisions.c.id == earlier.id).values(text=event.text))
        self._amendment(
            conn,
            event,
            position,
            earlier,
            kind="decision_corrected",
            what=f"The record of the decision of {format_date(earlier.happened_on)} was corrected. "
            f"It read “{earlier.text}”; it now reads “{event.text}”.",
        )

    @_on.register
    def _(self, event: Decision.Reversed, conn: Connection, position: int) -> None:
        earlier = _decision(conn, event.originator_id)
        self._amendment(
            conn,
            event,
            position,
            earlier,
            kind="decision_reversed",
            what=f"The decision of {format_date(earlier.happened_on)}, “{earlier.text}”, was reversed.",
            meeting=_meeting_title(conn, event.meeting_id),
        )

    @_on.register
    def _(self, event: Decision.Superseded, conn: Connection, position: int) -> None:
        earlier = _decision(conn, event.originator_id)
        later = _decision(conn, event.superseded_by)
        self._amendment(
            conn,
            event,
            position,
            earlier,
            kind="decision_superseded",
            what=f"The decision of {format_date(earlier.happened_on)}, “{earlier.text}”, was superseded "
            f"by the decision “{later.text}”.",
            related_decision_id=later.id,
        )

    def _amendment(self, conn: Connection, event: Any, position: int, earlier: Any, **values: Any) -> None:
        self._row(
            conn,
            event,
            position,
            policy_id=earlier.policy_id,
            stage=earlier.stage,
            cycle=earlier.cycle,
            happened_on=event.happened_on,
            decision_id=earlier.id,
            reason=event.reason,
            groups=set(earlier.decision_maker_groups),
            **values,
        )

    @staticmethod
    def _row(conn: Connection, event: Any, position: int, groups: Iterable[str] = (), **values: Any) -> None:
        if "recorded_by_name" not in values:
            values["recorded_by_name"] = _people(conn, {event.recorded_by})[event.recorded_by]["name"]
        if values.get("stage") is None:
            # A fact without a stage of its own (a rating, a version) belongs to the stage the
            # policy was at when it was recorded.
            current = conn.execute(POLICY_NOW, {"id": values["policy_id"]}).one()
            values.update(stage=current.stage, cycle=current.cycle)
        conn.execute(
            insert(trail),
            dict(
                position=position,
                recorded_at=event.timestamp,
                recorded_on=recorded_day(event.timestamp),
                **values,
            ),
        )
        if groups:
            conn.execute(
                insert(trail_groups),
                [{"position": position, "stakeholder_group": group} for group in sorted(groups)],
            )


def _people(conn: Connection, ids: set[UUID]) -> dict[UUID, dict[str, str | None]]:
    """Names, group codes and group labels of the people named by an event, in one query."""
    rows = conn.execute(PEOPLE_NAMED, {"ids": list(ids)}).all()
    return {
        row.id: {
            "name": row.name,
            "code": row.stakeholder_group,
            "group": group_label(row.stakeholder_group) if row.stakeholder_group else None,
        }
        for row in rows
    }


def _shown(person: dict[str, str | None]) -> dict[str, str | None]:
    return {"name": person["name"], "group": person["group"]}


def _cited(contribution: Any) -> dict[str, str]:
    return {
        "id": str(contribution.id),
        "contributor": contribution.contributor,
        "group": group_label(contribution.stakeholder_group),
        "kind": CONTRIBUTION_KINDS[contribution.kind],
        "text": contribution.text,
    }


def _meeting_title(conn: Connection, meeting_id: UUID | None) -> str | None:
    if meeting_id is None:
        return None
    return conn.scalar(MEETING_TITLE, {"id": meeting_id})


def _decision(conn: Connection, decision_id: UUID) -> Any:
    return conn.execute(select(decisions).where(decisions.c.id == decision_id)).one()


def _decision_named(conn: Connection, decision_id: UUID | None) -> dict[str, str] | None:
    if decision_id is None:
        return None
    earlier = _decision(conn, decision_id)
    return {"id": str(earlier.id), "text": earlier.text, "happened_on": format_date(earlier.happened_on)}
