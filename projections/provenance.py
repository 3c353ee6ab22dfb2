"""Decision provenance: for each decision, everything an auditor asks of it on one page.

Who proposed and took it (and their groups), who was present at its meeting and who sent apologies
(attendance as it stood when the decision was recorded), who was consulted and informed, the
contributions it answered with their responses, both of its times, and what came after it:
corrections, a reversal, the decision that superseded it. Every name is resolved from lookup tables
this projection keeps for itself, so it rebuilds alone.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from domain.contributions import Contribution
from domain.decisions import Decision
from domain.meetings import Meeting
from projections.batch import Batch
from projections.lookups import Lookups
from projections.people_lookup import Person, named_by_decision, people_in, shown
from projections.read_model import ReadModel
from projections.runner import POSITION

metadata = MetaData()

lookups = Lookups(
    metadata,
    "provenance",
    people="name stakeholder_group",
    operators=True,
    policies="title",
    meetings="title held_on place",
)
people, policies, meetings = lookups.people, lookups.policies, lookups.meetings
attendance = Table(
    "provenance_attendance",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("participant_id", Uuid, primary_key=True),
    Column("status", String(16), nullable=False),
)
contributions = Table(
    "provenance_contributions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False),
    Column("contributor", String(200), nullable=False),  # the pseudonym if given, else the name
    Column("contributor_group", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("response", String(32)),
    Column("reason", Text),
    Column("responded_by", JSON),  # {"name", "group"}
    Column("responded_on", Date),
)
decisions = Table(
    "provenance_decisions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("policy_title", String(300), nullable=False),
    Column("meeting_id", Uuid),
    Column("meeting", JSON),  # {"title", "held_on", "place"}; None when taken outside a meeting
    Column("stage", String(32), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("text", Text, nullable=False),  # as first recorded: corrections are listed after it
    Column("method", String(32), nullable=False),
    Column("votes", JSON),
    Column("proposer", JSON, nullable=False),
    Column("decision_makers", JSON, nullable=False),  # [{"name", "group"}]
    Column("present", JSON, nullable=False),
    Column("apologies", JSON, nullable=False),
    Column("consulted", JSON, nullable=False),
    Column("informed", JSON, nullable=False),
    Column("dissent", JSON, nullable=False),  # [{"by": {"name", "group"} or None, "note"}]
    Column("supersedes", Uuid),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("position", POSITION, nullable=False),
)
cites = Table(
    "provenance_cites",
    metadata,
    Column("decision_id", Uuid, primary_key=True),
    Column("contribution_id", Uuid, primary_key=True),
    Column("order", Integer, nullable=False),
)
# Corrections, reversals and supersessions: each a row of its own, after the decision it names.
amendments = Table(
    "provenance_amendments",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("decision_id", Uuid, nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # corrected, reversed, superseded, redated
    Column("text", Text),  # the corrected wording
    Column("previous_on", Date),  # redated: the date it was recorded as taken on
    Column("reason", Text, nullable=False),
    Column("superseded_by", Uuid),
    Column("meeting", String(300)),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)


class Provenance(ReadModel):
    name = "provenance"
    version = 2  # 2: decisions and contributions moved with their meeting's corrected date
    metadata = metadata
    lookups = lookups

    @singledispatchmethod
    def _on(self, event: Any, conn: Batch, position: int) -> None:
        """Events that say nothing about a decision's provenance are passed over."""

    @_on.register
    def _(self, event: Meeting.AttendanceRecorded, conn: Batch, position: int) -> None:
        conn.delete_where(attendance, "meeting_id", event.originator_id)
        rows = [
            {"meeting_id": event.originator_id, "participant_id": person, "status": status}
            for status, people_ in (("present", event.present), ("apologies", event.apologies))
            for person in people_
        ]
        if rows:
            conn.insert(attendance, rows)

    @_on.register
    def _(self, event: Contribution.Submitted, conn: Batch, position: int) -> None:
        person = people_in(conn, people, [event.contributor_id])[event.contributor_id]
        conn.insert(
            contributions,
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                contributor=event.pseudonym or person["name"],
                contributor_group=person["code"],
                kind=event.kind,
                text=event.text,
                channel=event.channel,
                stage=event.stage,
                cycle=event.cycle,
                happened_on=event.happened_on,
            ),
        )

    @_on.register
    def _(self, event: Contribution.Responded, conn: Batch, position: int) -> None:
        responder = people_in(conn, people, [event.responded_by])[event.responded_by]
        conn.update(
            contributions,
            event.originator_id,
            response=event.response,
            reason=event.reason or None,
            responded_by=shown(responder),
            responded_on=event.happened_on,
        )

    @_on.register
    def _(self, event: Contribution.Corrected, conn: Batch, position: int) -> None:
        # A decision's provenance quotes what it answers as it should have been recorded.
        conn.update(contributions, event.originator_id, text=event.text)

    @_on.register
    def _(self, event: Contribution.ResponseCorrected, conn: Batch, position: int) -> None:
        conn.update(
            contributions, event.originator_id, response=event.response, reason=event.response_reason or None
        )

    @_on.register
    def _(self, event: Decision.Recorded, conn: Batch, position: int) -> None:
        present: list[UUID] = []
        apologies: list[UUID] = []
        meeting = None
        if event.meeting_id is not None:
            found = conn.row(meetings, event.meeting_id)
            assert found is not None, event.meeting_id
            meeting = {
                "title": found["title"],
                "held_on": found["held_on"].isoformat(),
                "place": found["place"],
            }
            for row in conn.rows_where(attendance, "meeting_id", event.meeting_id):
                (present if row["status"] == "present" else apologies).append(row["participant_id"])
        named = people_in(conn, people, [*named_by_decision(event), *present, *apologies])
        policy = conn.row(policies, event.policy_id)
        conn.insert(
            decisions,
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                policy_title=policy and policy["title"],
                meeting_id=event.meeting_id,
                meeting=meeting,
                stage=event.stage,
                cycle=event.cycle,
                text=event.text,
                method=event.method,
                votes=event.votes,
                proposer=shown(named[event.proposed_by]),
                decision_makers=[shown(named[p]) for p in event.decided_by],
                present=_listed(named, present),
                apologies=_listed(named, apologies),
                consulted=[shown(named[p]) for p in event.consulted],
                informed=[shown(named[p]) for p in event.informed],
                dissent=[
                    {"by": shown(named[UUID(str(n["by"]))]) if n.get("by") else None, "note": n["note"]}
                    for n in event.dissent
                ],
                supersedes=event.supersedes,
                happened_on=event.happened_on,
                recorded_at=event.timestamp,
                recorded_by=named[event.recorded_by]["name"],
                position=position,
            ),
        )
        if event.cites:
            conn.insert(
                cites,
                [
                    {"decision_id": event.originator_id, "contribution_id": c, "order": n}
                    for n, c in enumerate(event.cites)
                ],
            )

    @_on.register
    def _(self, event: Decision.Redated, conn: Batch, position: int) -> None:
        """Moved with its meeting's corrected date: shown on the new date, the meeting as it now
        reads, and the move listed after it with the date it replaced."""
        found = conn.row(meetings, event.meeting_id)
        meeting = found and {
            "title": found["title"],
            "held_on": found["held_on"].isoformat(),
            "place": found["place"],
        }
        conn.update(decisions, event.originator_id, happened_on=event.new_date, meeting=meeting)
        self._amendment(conn, event, position, kind="redated", previous_on=event.previous_date)

    @_on.register
    def _(self, event: Contribution.Redated, conn: Batch, position: int) -> None:
        conn.update(contributions, event.originator_id, happened_on=event.new_date)

    @_on.register
    def _(self, event: Decision.Corrected, conn: Batch, position: int) -> None:
        self._amendment(conn, event, position, kind="corrected", text=event.text)

    @_on.register
    def _(self, event: Decision.Reversed, conn: Batch, position: int) -> None:
        meeting = None
        if event.meeting_id is not None:
            found = conn.row(meetings, event.meeting_id)
            meeting = found and found["title"]
        self._amendment(conn, event, position, kind="reversed", meeting=meeting)

    @_on.register
    def _(self, event: Decision.Superseded, conn: Batch, position: int) -> None:
        self._amendment(conn, event, position, kind="superseded", superseded_by=event.superseded_by)

    @staticmethod
    def _amendment(conn: Batch, event: Any, position: int, **values: Any) -> None:
        recorder = people_in(conn, people, [event.recorded_by])[event.recorded_by]
        conn.insert(
            amendments,
            dict(
                position=position,
                decision_id=event.originator_id,
                reason=event.reason,
                happened_on=event.happened_on,
                recorded_at=event.timestamp,
                recorded_by=recorder["name"],
                **values,
            ),
        )


def _listed(named: dict[UUID, Person], ids: list[UUID]) -> list[Person]:
    # By name, so a rebuild lists them in the same order whatever order the database returned.
    people = [shown(named[p]) for p in ids]
    return sorted(people, key=lambda person: (str(person["name"]), str(person["group"])))
