"""The facts the evidence engine judges: per policy, its stages, decisions, contributions and claims,
each with the two dates (happened, recorded) and its position in the log.

The verdicts are computed from the facts (domain/evidence/), for a day (whether a response is late
depends on it), a reading and the partnership's thresholds. They are kept, once computed, in
`published` (cotrace/published_verdicts.py writes them), each with the `stamp` of its policy it was
computed from: the position of the last event that changed the policy's facts or its partnership's
thresholds. Every such event moves the stamp here, in the transaction that records it, and clears
the policy's kept verdicts, so a page never reads a verdict its facts have moved past. A rebuild
starts them afresh: the facts are what it must reproduce exactly.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    insert,
    select,
    update,
)

from domain.contributions import Contribution
from domain.decisions import Decision
from domain.evidence import ClaimFact, ContributionFact, DecisionFact, PolicyFacts, StageFact
from domain.partnerships import Partnership
from domain.people import Participant
from domain.policies import Policy
from projections.batch import Batch
from projections.lookups import Lookups
from projections.read_model import ReadModel
from projections.runner import POSITION, recorded_day

metadata = MetaData()

lookups = Lookups(
    metadata,
    "evidence",
    people="stakeholder_group",
    meetings="present",
    policies="partnership_id title initiated_by started_on started_ref started_recorded_on retired_on "
    "retired_recorded_on",
)
people, meetings, policies = lookups.people, lookups.meetings, lookups.policies
stages = Table(
    "evidence_stages",
    metadata,
    Column("ref", POSITION, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("cycle", Integer, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("entered_on", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
)
decisions = Table(
    "evidence_decisions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("cycle", Integer, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("method", String(32), nullable=False),
    Column("outside_meeting", Boolean, nullable=False),
    Column("maker_groups", JSON, nullable=False),
    Column("present_groups", JSON, nullable=False),
    Column("cites", JSON, nullable=False),
    Column("ref", POSITION, nullable=False),
    Column("dated_ref", POSITION),  # the last move with its meeting's corrected date
    # Whose groups they are (ids as text), for a group corrected later.
    Column("maker_ids", JSON, nullable=False),
    Column("present_ids", JSON, nullable=False),
)
# The people each decision counts the groups of, found by person when a group is corrected.
decision_people = Table(
    "evidence_decision_people",
    metadata,
    Column("participant_id", Uuid, primary_key=True),
    Column("decision_id", Uuid, primary_key=True),
)
contributions = Table(
    "evidence_contributions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("cycle", Integer, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("stakeholder_group", String(32), nullable=False),
    Column("contributor_id", Uuid, nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("ref", POSITION, nullable=False),
    Column("response", String(32)),
    Column("responded_on", Date),
    Column("response_recorded_on", Date),
    Column("response_ref", POSITION),
    Column("dated_ref", POSITION),
)
claims = Table(
    "evidence_claims",
    metadata,
    Column("ref", POSITION, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("activity", Text, nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("ladder", String(32), nullable=False),
    Column("rung", String(64), nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
)

# Each policy's stamp: the position of the last event that changed its facts, or its partnership's
# thresholds. A verdict kept with an older stamp is never read.
stamps = Table(
    "evidence_stamps",
    metadata,
    Column("policy_id", Uuid, primary_key=True),
    Column("changed_at", POSITION, nullable=False),
)
# The verdicts, charts and dashboard line of a policy, as pages show them: for today ("now"), or as
# of a past day in one reading; judged by these thresholds (their values as JSON, sorted by name).
published = Table(
    "evidence_published",
    metadata,
    Column("policy_id", Uuid, primary_key=True),
    Column("view", String(16), primary_key=True),  # "now", "happened" or "recorded"
    Column("day", Date, primary_key=True),
    Column("thresholds", String(255), primary_key=True),
    Column("stamp", POSITION, nullable=False),
    Column("line", JSON, nullable=False),  # the dashboard's line: read alone, it stays small
    Column("content", JSON, nullable=False),  # the assessments and the charts
)


# The events a policy's facts are made of, and where each names its policy.
FACT_EVENTS: dict[type, Any] = {
    Policy.StageEntered: lambda conn, e: e.originator_id,
    Policy.ParticipationLevelClaimed: lambda conn, e: e.originator_id,
    Policy.Retired: lambda conn, e: e.originator_id,
    Contribution.Submitted: lambda conn, e: e.policy_id,
    Contribution.Responded: lambda conn, e: (conn.row(contributions, e.originator_id) or {}).get("policy_id"),
    Contribution.ResponseCorrected: lambda conn, e: (conn.row(contributions, e.originator_id) or {}).get(
        "policy_id"
    ),
    Contribution.Redated: lambda conn, e: (conn.row(contributions, e.originator_id) or {}).get("policy_id"),
    Decision.Recorded: lambda conn, e: e.policy_id,
    Decision.Redated: lambda conn, e: (conn.row(decisions, e.originator_id) or {}).get("policy_id"),
}


class Evidence(ReadModel):
    name = "evidence"
    version = 6  # 2: the days a policy's start and retirement were recorded, for "as recorded";
    # 3: the verdicts kept for pages, and each policy's stamp; 4: corrected responses; 5: whose
    # groups each fact counts, for corrected groups; 6: decisions and contributions moved with
    # their meeting's corrected date
    metadata = metadata
    lookups = lookups
    handler_indexes = ("ix_evidence_contributions_contributor_id", "ix_evidence_policies_partnership_id")

    def apply(self, conn: Batch, event: Any, position: int) -> None:
        super().apply(conn, event, position)
        if isinstance(event, Policy.Started):
            conn.insert(stamps, dict(policy_id=event.originator_id, changed_at=position))
        elif type(event) in FACT_EVENTS:
            policy_id = FACT_EVENTS[type(event)](conn, event)
            conn.update(stamps, policy_id, changed_at=position)
            conn.delete_where(published, "policy_id", policy_id)

    @singledispatchmethod
    def _on(self, event: Any, conn: Batch, position: int) -> None:
        """Events that are not evidence are passed over."""

    @_on.register
    def _(self, event: Policy.StageEntered, conn: Batch, position: int) -> None:
        conn.execute(
            insert(stages),
            dict(
                ref=position,
                policy_id=event.originator_id,
                cycle=event.cycle,
                stage=event.stage,
                entered_on=event.entered_on,
                recorded_on=recorded_day(event.timestamp),
            ),
        )

    @_on.register
    def _(self, event: Policy.ParticipationLevelClaimed, conn: Batch, position: int) -> None:
        conn.execute(
            insert(claims),
            dict(
                ref=position,
                policy_id=event.originator_id,
                activity=event.activity,
                cycle=event.cycle,
                stage=event.stage,
                ladder=event.ladder,
                rung=event.rung,
                happened_on=event.happened_on,
                recorded_on=recorded_day(event.timestamp),
            ),
        )

    @_on.register
    def _(self, event: Contribution.Submitted, conn: Batch, position: int) -> None:
        conn.execute(
            insert(contributions),
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                cycle=event.cycle,
                stage=event.stage,
                happened_on=event.happened_on,
                recorded_on=recorded_day(event.timestamp),
                stakeholder_group=_group(conn, event.contributor_id),
                contributor_id=event.contributor_id,
                channel=event.channel,
                ref=position,
            ),
        )

    @_on.register
    def _(self, event: Contribution.Responded, conn: Batch, position: int) -> None:
        conn.update(
            contributions,
            event.originator_id,
            response=event.response,
            responded_on=event.happened_on,
            response_recorded_on=recorded_day(event.timestamp),
            response_ref=position,
        )

    @_on.register
    def _(self, event: Contribution.ResponseCorrected, conn: Batch, position: int) -> None:
        # The corrected response is what is judged, as of the day the response was given: the record
        # was wrong, not the response late. The fact now cites the correction, which states both.
        conn.update(contributions, event.originator_id, response=event.response, response_ref=position)

    @_on.register
    def _(self, event: Contribution.Redated, conn: Batch, position: int) -> None:
        # Judged on the day it was really made; the fact cites the move for its date (`dated_ref`)
        # and its first event for the rest, and the trail shows the move beside it.
        conn.update(contributions, event.originator_id, happened_on=event.new_date, dated_ref=position)

    @_on.register
    def _(self, event: Decision.Redated, conn: Batch, position: int) -> None:
        conn.update(decisions, event.originator_id, happened_on=event.new_date, dated_ref=position)

    @_on.register
    def _(self, event: Decision.Recorded, conn: Batch, position: int) -> None:
        present_ids: list[UUID] = []
        if event.meeting_id is not None:
            meeting = conn.row(meetings, event.meeting_id)
            ids = (meeting and meeting["present"]) or []
            present_ids = [UUID(p) for p in ids]
        groups = _groups(conn, {*present_ids, *event.decided_by})
        present = [groups[p] for p in present_ids]
        makers = [groups[p] for p in event.decided_by]
        conn.execute(
            insert(decisions),
            dict(
                id=event.originator_id,
                policy_id=event.policy_id,
                cycle=event.cycle,
                stage=event.stage,
                happened_on=event.happened_on,
                recorded_on=recorded_day(event.timestamp),
                method=event.method,
                outside_meeting=event.meeting_id is None,
                maker_groups=sorted(makers),
                present_groups=sorted(present),
                cites=[str(c) for c in (event.cites or [])],
                ref=position,
                maker_ids=[str(p) for p in event.decided_by],
                present_ids=[str(p) for p in present_ids],
            ),
        )
        counted = {*present_ids, *event.decided_by}
        conn.insert(
            decision_people,
            [{"participant_id": p, "decision_id": event.originator_id} for p in sorted(counted)],
        )

    @_on.register
    def _(self, event: Participant.StakeholderGroupCorrected, conn: Batch, position: int) -> None:
        """A group recorded wrong was never true: every fact of theirs counts them in the corrected
        group, as a corrected response is judged in place of the one recorded (the lookup of people
        already has it). Each policy they took part in is judged again."""
        changed: set[UUID] = set()
        for row in conn.rows_where(contributions, "contributor_id", event.originator_id):
            conn.update(contributions, row["id"], stakeholder_group=event.stakeholder_group)
            changed.add(row["policy_id"])
        ids = [
            r["decision_id"] for r in conn.rows_where(decision_people, "participant_id", event.originator_id)
        ]
        for decision in conn.rows(decisions, ids).values():
            makers = [UUID(p) for p in decision["maker_ids"]]
            present = [UUID(p) for p in decision["present_ids"]]
            groups = _groups(conn, {*makers, *present})
            conn.update(
                decisions,
                decision["id"],
                maker_groups=sorted(groups[p] for p in makers),
                present_groups=sorted(groups[p] for p in present),
            )
            changed.add(decision["policy_id"])
        for policy_id in changed:
            conn.update(stamps, policy_id, changed_at=position)
            conn.delete_where(published, "policy_id", policy_id)

    @_on.register
    def _(self, event: Partnership.ThresholdsChanged, conn: Batch, position: int) -> None:
        """Every policy of the partnership is judged by other thresholds from now on, and perhaps
        as of past days too: their kept verdicts go."""
        of_partnership = select(policies.c.id).where(policies.c.partnership_id == event.originator_id)
        conn.execute(update(stamps).where(stamps.c.policy_id.in_(of_partnership)).values(changed_at=position))
        conn.execute(published.delete().where(published.c.policy_id.in_(of_partnership)))


def _group(conn: Batch, participant_id: UUID) -> str | None:
    person = conn.row(people, participant_id)
    return person and person["stakeholder_group"]


def _groups(conn: Batch, ids: set[UUID]) -> dict[UUID, str]:
    """Stakeholder groups of several people, those the batch has not seen read in one query."""
    return {key: row["stakeholder_group"] for key, row in conn.rows(people, ids).items()}


def policy_facts(conn: Connection, policy_id: UUID) -> PolicyFacts | None:
    """Everything the evidence engine needs about one policy, in the engine's own terms."""
    policy = conn.execute(select(policies).where(policies.c.id == policy_id)).first()
    if policy is None:
        return None

    def rows(table: Table) -> list[Any]:
        # Every column but the policy's own id, which each row would parse again: thousands of rows.
        wanted = [c for c in table.c if c.key != "policy_id"]
        query = select(*wanted).where(table.c.policy_id == policy_id).order_by(table.c.ref)
        return list(conn.execute(query))

    contribution_rows = rows(contributions)
    # A decision cites contributions by id as text: the policy's own are parsed once, not per citation.
    ids = {str(r.id): r.id for r in contribution_rows}

    return PolicyFacts(
        policy_id=policy.id,
        title=policy.title,
        initiated_by=policy.initiated_by,
        started_on=policy.started_on,
        started_ref=policy.started_ref,
        retired_on=policy.retired_on,
        started_recorded_on=policy.started_recorded_on,
        retired_recorded_on=policy.retired_recorded_on,
        stages=tuple(StageFact(r.cycle, r.stage, r.entered_on, r.recorded_on, r.ref) for r in rows(stages)),
        decisions=tuple(
            DecisionFact(
                id=r.id,
                cycle=r.cycle,
                stage=r.stage,
                happened_on=r.happened_on,
                recorded_on=r.recorded_on,
                method=r.method,
                outside_meeting=r.outside_meeting,
                maker_groups=tuple(r.maker_groups),
                present_groups=tuple(r.present_groups),
                cites=tuple(ids.get(c) or UUID(c) for c in r.cites),
                ref=r.ref,
                dated_ref=r.dated_ref,
            )
            for r in rows(decisions)
        ),
        contributions=tuple(
            ContributionFact(
                id=r.id,
                cycle=r.cycle,
                stage=r.stage,
                happened_on=r.happened_on,
                recorded_on=r.recorded_on,
                group=r.stakeholder_group,
                channel=r.channel,
                ref=r.ref,
                response=r.response,
                responded_on=r.responded_on,
                response_recorded_on=r.response_recorded_on,
                response_ref=r.response_ref,
                dated_ref=r.dated_ref,
            )
            for r in contribution_rows
        ),
        claims=tuple(
            ClaimFact(r.activity, r.cycle, r.stage, r.ladder, r.rung, r.happened_on, r.recorded_on, r.ref)
            for r in rows(claims)
        ),
    )


def partnership_policy_ids(conn: Connection, partnership_id: UUID) -> list[UUID]:
    query = (
        select(policies.c.id).where(policies.c.partnership_id == partnership_id).order_by(policies.c.title)
    )
    return list(conn.scalars(query))
