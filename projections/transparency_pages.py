"""Public transparency pages: which policies publish one (a column of the directory's policies,
kept here), and the queries the public pages read.

Every query here selects its columns one by one and none of them names a person: no participant's
name or pseudonym, no proposer, no dissenter, and no contributor's words. Cotrace records no consent
to publish what someone said, so the public sees what the partnership said back (a response's
reason), never the contribution itself; decisions show their decision makers' stakeholder groups.
"""

from __future__ import annotations

from functools import singledispatch
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, case, func, select

from domain.policies import Policy
from domain.vocabulary import RESPONSES
from projections import audit_tables, evidence
from projections.batch import Batch
from projections.directory_tables import (
    contributions,
    decision_changes,
    decisions,
    partnerships,
    policies,
    stages,
)
from projections.keyset import Cursor, Key, Page, page_of
from projections.runner import recorded_day

Row = dict[str, Any]

AWAITING = "awaiting"  # a contribution with no response yet, as the summary counts it


@singledispatch
def transparency_page_entry(event: Any, conn: Connection, position: int) -> None:
    """Events other than publishing and withdrawing a page are passed over (the directory hands
    every event here, after its own handlers)."""


@transparency_page_entry.register
def _(event: Policy.TransparencyPagePublished, conn: Batch, position: int) -> None:
    conn.update(policies, event.originator_id, public_page_since=recorded_day(event.timestamp))


@transparency_page_entry.register
def _(event: Policy.TransparencyPageWithdrawn, conn: Batch, position: int) -> None:
    conn.update(policies, event.originator_id, public_page_since=None)


def _rows(conn: Connection, query: Any) -> list[Row]:
    return [dict(row._mapping) for row in conn.execute(query)]


_PUBLISHED = select(
    policies.c.id,
    policies.c.title,
    policies.c.partnership_id,
    partnerships.c.name.label("partnership_name"),
    policies.c.initiated_by,
    policies.c.started_on,
    policies.c.stage,
    policies.c.cycle,
    policies.c.adopted_on,
    policies.c.retired_on,
    policies.c.public_page_since,
).join(partnerships, partnerships.c.id == policies.c.partnership_id)


def published_policies(conn: Connection) -> list[Row]:
    """Every policy whose page is published, by partnership then title."""
    query = _PUBLISHED.where(policies.c.public_page_since.is_not(None)).order_by(
        partnerships.c.name, policies.c.title
    )
    return _rows(conn, query)


PUBLISHED_KEYS = [Key(policies.c.title), Key(policies.c.id)]


def published_policies_page(conn: Connection, size: int, cursor: Cursor | None = None) -> Page:
    """The policies whose page is published, by title, a page at a time (the home page's list), in
    the order of their own partial index: not counted, as that would count every published page."""
    query = _PUBLISHED.where(policies.c.public_page_since.is_not(None))
    return page_of(conn, query, PUBLISHED_KEYS, size, cursor)


def published_policy(conn: Connection, policy_id: UUID) -> Row | None:
    """The policy, if its page is published; None otherwise, as for an unknown one."""
    query = _PUBLISHED.where(policies.c.id == policy_id).where(policies.c.public_page_since.is_not(None))
    found = _rows(conn, query)
    return found[0] if found else None


def started_ref(conn: Connection, policy_id: UUID) -> int | None:
    """The position of the policy's start, which the evidence's verdicts of absence link to."""
    table = evidence.policies
    return conn.scalar(select(table.c.started_ref).where(table.c.id == policy_id))


DECISION_KEYS = [Key(decisions.c.position)]


def public_decisions_page(conn: Connection, policy_id: UUID, size: int, cursor: Cursor | None = None) -> Page:
    """A page of the policy's decisions, oldest first: what, when, at which stage, how, and the
    stakeholder groups of those who took it, with what became of it since (never who proposed or
    dissented). By the decisions' index by policy: the public page of a policy decided on for years
    would otherwise list thousands (counted, as one policy's).

    What became of it is told by its kind and date, not its reason: a reason for a reversal or a
    supersession is often about someone ("as Tom's dissent had warned", in the demo), while the
    decision's own text and a response's reason are what the partnership publishes as its record."""
    page = page_of(conn, _public_decisions(policy_id), DECISION_KEYS, size, cursor, counted=True)
    _with_changes(conn, page.rows)
    return page


def _public_decisions(policy_id: UUID) -> Select:
    return select(
        decisions.c.id,
        decisions.c.position,
        decisions.c.happened_on,
        decisions.c.stage,
        decisions.c.cycle,
        decisions.c.text,
        decisions.c.method,
        decisions.c.votes,
        decisions.c.decision_maker_groups,
        decisions.c.status,
        (decisions.c.meeting_id.is_(None)).label("outside_meeting"),
    ).where(decisions.c.policy_id == policy_id)


def _with_changes(conn: Connection, found: list[Row]) -> list[Row]:
    """Each decision with what became of it since, by kind and date."""
    changes = _rows(
        conn,
        select(
            decision_changes.c.decision_id,
            decision_changes.c.kind,
            decision_changes.c.happened_on,
        )
        .where(decision_changes.c.decision_id.in_([row["id"] for row in found]))
        .order_by(decision_changes.c.position),
    )
    for row in found:
        row["changes"] = [c for c in changes if c["decision_id"] == row["id"]]
    return found


def response_counts(conn: Connection, policy_id: UUID) -> dict[str, int]:
    """How many of the policy's contributions got each response, and how many await one."""
    query = (
        select(contributions.c.response, func.count())
        .where(contributions.c.policy_id == policy_id)
        .group_by(contributions.c.response)
    )
    counted = {response or AWAITING: count for response, count in conn.execute(query)}
    return {code: counted.get(code, 0) for code in (*RESPONSES, AWAITING)}


RESPONSE_KEYS = [Key(audit_tables.trail.c.position)]


def public_responses_page(conn: Connection, policy_id: UUID, size: int, cursor: Cursor | None = None) -> Page:
    """A page of the responses the partnership gave, oldest first: its kind, the kind of input it
    answered, when and at which stage, and the partnership's reason. Read from the audit trail, whose
    rows sit at the positions the evidence's verdicts link to, by its index by policy and kind; counted
    from that index alone (every response answers a contribution: the join adds no row nor takes one)."""
    trail = audit_tables.trail
    responded = select(trail.c.position).where(
        trail.c.policy_id == policy_id, trail.c.kind == "contribution_responded"
    )
    query = _public_responses(policy_id)
    return page_of(conn, query, RESPONSE_KEYS, size, cursor, counted=True, counted_from=responded)


def _public_responses(policy_id: UUID) -> Select:
    trail, answered = audit_tables.trail, audit_tables.contributions
    return (
        select(
            trail.c.position,
            trail.c.happened_on,
            trail.c.stage,
            trail.c.cycle,
            # A response corrected since is shown as corrected: the public page says what was done.
            func.coalesce(answered.c.corrected_response, trail.c.response).label("response"),
            case(
                (answered.c.corrected_response.is_not(None), answered.c.corrected_reason),
                else_=trail.c.reason,
            ).label("reason"),
            answered.c.kind.label("contribution_kind"),
        )
        .join(answered, answered.c.id == trail.c.contribution_id)
        .where(trail.c.policy_id == policy_id)
        .where(trail.c.kind == "contribution_responded")
    )


def public_facts_among(conn: Connection, policy_id: UUID, refs: list[int]) -> dict[int, str]:
    """Which of these positions are the policy's decisions ("decision"), responses ("response") and
    stages entered ("stage"): where a verdict's proof on the public page links when its fact is on
    another page of a list, or in a cycle the timeline does not show."""
    if not refs:
        return {}
    trail = audit_tables.trail
    decided = select(decisions.c.position).where(
        decisions.c.policy_id == policy_id, decisions.c.position.in_(refs)
    )
    found = {position: "decision" for position in conn.scalars(decided)}
    responded = select(trail.c.position).where(
        trail.c.policy_id == policy_id, trail.c.kind == "contribution_responded", trail.c.position.in_(refs)
    )
    found.update({position: "response" for position in conn.scalars(responded)})
    entered = select(stages.c.position).where(stages.c.policy_id == policy_id, stages.c.position.in_(refs))
    found.update({position: "stage" for position in conn.scalars(entered)})
    return found
