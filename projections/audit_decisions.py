"""The audit trail's entries for contributions and their responses, and for decisions and what
came after them (corrections, reversals, supersessions, moves with their meeting's corrected date).

Nothing is edited in place: a correction, reversal or supersession is an entry of its own that names
the decision it changes. `AuditTrail` hands every event here too, after its own handlers.
"""

from __future__ import annotations

from functools import singledispatch
from typing import Any
from uuid import UUID

from sqlalchemy import update

from domain.contributions import Contribution
from domain.dates import format_date
from domain.decisions import Decision
from domain.vocabulary import CONTRIBUTION_KINDS, DECISION_METHODS, RESPONSES, group_label
from projections.audit_entries import (
    cited,
    decision_named,
    decision_row,
    meeting_title,
    people_named,
    write_entry,
)
from projections.audit_tables import contributions, decisions, trail
from projections.batch import Batch, Row
from projections.people_lookup import named_by_decision, shown


@singledispatch
def decision_entry(event: Any, conn: Batch, position: int) -> None:
    """Events that are not part of a policy's trail are passed over."""


# Contributions and their responses.


@decision_entry.register
def _(event: Contribution.Submitted, conn: Batch, position: int) -> None:
    person = people_named(conn, {event.contributor_id})[event.contributor_id]
    contributor = event.pseudonym or person["name"]
    conn.insert(
        contributions,
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
    write_entry(
        conn,
        event,
        position,
        policy_id=event.policy_id,
        kind="contribution_submitted",
        what=event.text,
        stage=event.stage,
        cycle=event.cycle,
        happened_on=event.happened_on,
        meeting=meeting_title(conn, event.meeting_id),
        contribution_id=event.originator_id,
        contributor={"name": contributor, "group": person["group"], "kind": event.kind},
        channel=event.channel,
        groups={person["code"]},
    )


@decision_entry.register
def _(event: Contribution.Responded, conn: Batch, position: int) -> None:
    contribution = conn.row(contributions, event.originator_id)
    assert contribution is not None, event.originator_id
    responder = people_named(conn, {event.responded_by})[event.responded_by]
    write_entry(
        conn,
        event,
        position,
        policy_id=contribution["policy_id"],
        kind="contribution_responded",
        what=f"{RESPONSES[event.response]}: the {CONTRIBUTION_KINDS[contribution['kind']].lower()} "
        f"“{contribution['text']}”. Response given by {responder['name']}.",
        reason=event.reason or None,
        stage=contribution["stage"],
        cycle=contribution["cycle"],
        happened_on=event.happened_on,
        contribution_id=event.originator_id,
        contributor={
            "name": contribution["contributor"],
            "group": group_label(contribution["stakeholder_group"]),
            "kind": contribution["kind"],
        },
        response=event.response,
        groups={contribution["stakeholder_group"]},
    )


@decision_entry.register
def _(event: Contribution.Corrected, conn: Batch, position: int) -> None:
    contribution = dict(conn.row(contributions, event.originator_id))  # as it read before
    conn.update(contributions, event.originator_id, text=event.text)
    _contribution_correction(
        conn,
        event,
        position,
        contribution,
        kind="contribution_corrected",
        what=f"The record of the {CONTRIBUTION_KINDS[contribution['kind']].lower()} was corrected. "
        f"It read “{contribution['text']}”; it now reads “{event.text}”.",
    )


@decision_entry.register
def _(event: Contribution.ResponseCorrected, conn: Batch, position: int) -> None:
    contribution = dict(conn.row(contributions, event.originator_id))
    conn.update(
        contributions,
        event.originator_id,
        corrected_response=event.response,
        corrected_reason=event.response_reason or None,
    )
    given = f"{RESPONSES[event.response]}" + (f" ({event.response_reason})" if event.response_reason else "")
    _contribution_correction(
        conn,
        event,
        position,
        contribution,
        kind="response_corrected",
        what=f"The response of {format_date(event.responded_on)} to the "
        f"{CONTRIBUTION_KINDS[contribution['kind']].lower()} “{contribution['text']}” was corrected: "
        f"it now reads {given}.",
        response=event.response,
    )


@decision_entry.register
def _(event: Contribution.Redated, conn: Batch, position: int) -> None:
    contribution = dict(conn.row(contributions, event.originator_id))
    _moved_entry(conn, event, "contribution_submitted", "contribution_id")
    _contribution_correction(
        conn,
        event,
        position,
        contribution,
        kind="contribution_redated",
        what=f"The {CONTRIBUTION_KINDS[contribution['kind']].lower()} “{contribution['text']}” was "
        f"recorded as made on {format_date(event.previous_date)}; it was made on "
        f"{format_date(event.new_date)}, as its meeting's date was corrected.",
    )


def _moved_entry(conn: Batch, event: Any, kind: str, column: str) -> None:
    """The entry of a decision or contribution moved with its meeting's corrected date sits on
    the new date, as the evidence judges it, so the trail "as of" a day agrees with the verdicts;
    the move's own entry says the date it replaced."""
    conn.execute(
        update(trail)
        .where(trail.c[column] == event.originator_id, trail.c.kind == kind)
        .values(happened_on=event.new_date)
    )


def _contribution_correction(
    conn: Batch, event: Any, position: int, contribution: Row, **values: Any
) -> None:
    """An entry about an earlier contribution: it sits in that contribution's stage and cycle."""
    write_entry(
        conn,
        event,
        position,
        policy_id=contribution["policy_id"],
        stage=contribution["stage"],
        cycle=contribution["cycle"],
        happened_on=event.happened_on,
        contribution_id=contribution["id"],
        contributor={
            "name": contribution["contributor"],
            "group": group_label(contribution["stakeholder_group"]),
            "kind": contribution["kind"],
        },
        reason=event.reason,
        groups={contribution["stakeholder_group"]},
        **values,
    )


# Decisions, and what came after them.


@decision_entry.register
def _(event: Decision.Recorded, conn: Batch, position: int) -> None:
    named = people_named(conn, set(named_by_decision(event)))
    conn.insert(
        decisions,
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
    by_id = conn.rows(contributions, event.cites) if event.cites else {}
    write_entry(
        conn,
        event,
        position,
        policy_id=event.policy_id,
        kind="decision_recorded",
        what=event.text,
        stage=event.stage,
        cycle=event.cycle,
        happened_on=event.happened_on,
        meeting=meeting_title(conn, event.meeting_id),
        outside_meeting=event.meeting_id is None,
        decision_id=event.originator_id,
        method=DECISION_METHODS[event.method],
        recorded_by_name=named[event.recorded_by]["name"],
        proposer=shown(named[event.proposed_by]),
        decision_makers=[shown(named[p]) for p in event.decided_by],
        decision_maker_groups=[group_label(g) for g in event.decision_maker_groups],
        votes=event.votes,
        cites=[cited(by_id[c]) for c in event.cites if c in by_id],
        consulted=[shown(named[p]) for p in event.consulted],
        informed=[shown(named[p]) for p in event.informed],
        dissent=[
            {
                "by": shown(named[UUID(str(n["by"]))]) if n.get("by") else None,
                "note": n["note"],
            }
            for n in event.dissent
        ],
        supersedes=decision_named(conn, event.supersedes),
        groups=set(event.decision_maker_groups),
    )


@decision_entry.register
def _(event: Decision.Corrected, conn: Batch, position: int) -> None:
    earlier = decision_row(conn, event.originator_id)
    happened_on, text = earlier["happened_on"], earlier["text"]
    conn.update(decisions, earlier["id"], text=event.text)
    _amendment(
        conn,
        event,
        position,
        earlier,
        kind="decision_corrected",
        what=f"The record of the decision of {format_date(happened_on)} was corrected. "
        f"It read “{text}”; it now reads “{event.text}”.",
    )


@decision_entry.register
def _(event: Decision.Reversed, conn: Batch, position: int) -> None:
    earlier = decision_row(conn, event.originator_id)
    _amendment(
        conn,
        event,
        position,
        earlier,
        kind="decision_reversed",
        what=f"The decision of {format_date(earlier['happened_on'])}, “{earlier['text']}”, was reversed.",
        meeting=meeting_title(conn, event.meeting_id),
    )


@decision_entry.register
def _(event: Decision.Superseded, conn: Batch, position: int) -> None:
    earlier = decision_row(conn, event.originator_id)
    later = decision_row(conn, event.superseded_by)
    _amendment(
        conn,
        event,
        position,
        earlier,
        kind="decision_superseded",
        what=f"The decision of {format_date(earlier['happened_on'])}, “{earlier['text']}”, was superseded "
        f"by the decision “{later['text']}”.",
        related_decision_id=later["id"],
    )


@decision_entry.register
def _(event: Decision.Redated, conn: Batch, position: int) -> None:
    earlier = decision_row(conn, event.originator_id)
    conn.update(decisions, earlier["id"], happened_on=event.new_date)
    _moved_entry(conn, event, "decision_recorded", "decision_id")
    _amendment(
        conn,
        event,
        position,
        earlier,
        kind="decision_redated",
        what=f"The decision “{earlier['text']}” was recorded as taken on {format_date(event.previous_date)}; "
        f"it was taken on {format_date(event.new_date)}, as its meeting's date was corrected.",
        meeting=meeting_title(conn, event.meeting_id),
    )


def _amendment(conn: Batch, event: Any, position: int, earlier: Row, **values: Any) -> None:
    """An entry about an earlier decision: it sits in that decision's stage and cycle."""
    write_entry(
        conn,
        event,
        position,
        policy_id=earlier["policy_id"],
        stage=earlier["stage"],
        cycle=earlier["cycle"],
        happened_on=event.happened_on,
        decision_id=earlier["id"],
        reason=event.reason,
        groups=set(earlier["decision_maker_groups"]),
        **values,
    )
