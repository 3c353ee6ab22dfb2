"""What the pages read: plain rows from the projections, in the shape each page needs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, and_, exists, func, select

from projections import audit_trail, directory, provenance
from projections.directory import (
    actions,
    adjustments,
    agenda,
    attendance,
    citations,
    contributions,
    corrections,
    decision_changes,
    decisions,
    meetings,
    members,
    participants,
    partnerships,
    policies,
    stages,
    versions,
)
from projections.keyset import Cursor, Key, Page, page_of

Row = dict[str, Any]


def _rows(conn: Connection, query: Any) -> list[Row]:
    return [dict(row._mapping) for row in conn.execute(query)]


def _one(conn: Connection, query: Any) -> Row | None:
    row = conn.execute(query).first()
    return dict(row._mapping) if row else None


def matching(conn: Connection, ids: Any, names: Any, name: str) -> tuple[bool, list[UUID]]:
    """What `name` names, for a command that takes an id or a piece of a title: (True, [the id] or
    nothing) when it is an id; else (False, the ids whose name holds it, whatever the case)."""
    try:
        wanted = UUID(name)
    except ValueError:
        return False, list(conn.scalars(select(ids).where(func.lower(names).contains(name.lower()))))
    return True, list(conn.scalars(select(ids).where(ids == wanted)))


def all_partnerships(conn: Connection) -> list[Row]:
    policy_count = (
        select(func.count()).where(policies.c.partnership_id == partnerships.c.id).scalar_subquery()
    )
    member_count = select(func.count()).where(members.c.partnership_id == partnerships.c.id).scalar_subquery()
    query = select(
        partnerships.c.id,
        partnerships.c.name,
        policy_count.label("policies"),
        member_count.label("members"),
    ).order_by(partnerships.c.name)
    return _rows(conn, query)


PARTNERSHIP_KEYS = [Key(partnerships.c.name), Key(partnerships.c.id)]


def partnerships_page(
    conn: Connection, size: int, cursor: Cursor | None = None, only: set[UUID] | None = None
) -> Page:
    """The partnerships by name, a page at a time, with how many members and policies each has;
    `only` those (the ones a person holds a role in), if given. Not counted: that would count the
    whole table."""
    query = select(partnerships.c.id, partnerships.c.name, _count_of(policies), _count_of(members, "members"))
    if only is not None:
        query = query.where(partnerships.c.id.in_(only))
    return page_of(conn, query, PARTNERSHIP_KEYS, size, cursor)


def _count_of(table: Any, label: str = "policies") -> Any:
    return (
        select(func.count()).where(table.c.partnership_id == partnerships.c.id).scalar_subquery().label(label)
    )


def partnership(conn: Connection, partnership_id: UUID) -> Row | None:
    return _one(conn, select(partnerships).where(partnerships.c.id == partnership_id))


def partnership_members(conn: Connection, partnership_id: UUID) -> list[Row]:
    query = (
        select(participants.c.id, participants.c.name, members.c.stakeholder_group)
        .join(members, members.c.participant_id == participants.c.id)
        .where(members.c.partnership_id == partnership_id)
        .order_by(participants.c.name)
    )
    return _rows(conn, query)


def partnership_policies(conn: Connection, partnership_id: UUID) -> list[Row]:
    query = select(policies).where(policies.c.partnership_id == partnership_id).order_by(policies.c.title)
    return _rows(conn, query)


def partnership_meetings(conn: Connection, partnership_id: UUID) -> list[Row]:
    query = (
        select(meetings)
        .where(meetings.c.partnership_id == partnership_id)
        .order_by(meetings.c.held_on.desc(), meetings.c.title)
    )
    return _rows(conn, query)


# The partnership page's lists, a page at a time, in the order of their indexes (directory_tables.py).
# Each is counted: the count is over one partnership's rows in an index.
MEETING_KEYS = [Key(meetings.c.held_on, descending=True), Key(meetings.c.title), Key(meetings.c.id)]
POLICY_KEYS = [Key(policies.c.title), Key(policies.c.id)]
MEMBER_KEYS = [Key(participants.c.name), Key(participants.c.id)]
# A members' page's address names a member by id alone, never by name.
MEMBER_CURSOR_KEYS = [Key(participants.c.id)]


def partnership_meetings_page(
    conn: Connection, partnership_id: UUID, size: int, cursor: Cursor | None = None
) -> Page:
    """The partnership's meetings, newest first."""
    query = select(meetings).where(meetings.c.partnership_id == partnership_id)
    return page_of(conn, query, MEETING_KEYS, size, cursor, counted=True)


def partnership_policies_page(
    conn: Connection, partnership_id: UUID, size: int, cursor: Cursor | None = None, words: str = ""
) -> Page:
    """The partnership's policies, by title; only those whose title holds every one of `words`."""
    query = select(policies).where(policies.c.partnership_id == partnership_id)
    for word in words.split():
        query = query.where(func.lower(policies.c.title).like(f"%{word.lower()}%"))
    return page_of(conn, query, POLICY_KEYS, size, cursor, counted=True)


def policies_named(conn: Connection, partnership_id: UUID, ids: Iterable[UUID]) -> list[Row]:
    """These policies of the partnership (those of another are left out), by title."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return []
    query = (
        select(policies)
        .where(policies.c.partnership_id == partnership_id, policies.c.id.in_(wanted))
        .order_by(policies.c.title, policies.c.id)
    )
    return _rows(conn, query)


def partnership_members_page(
    conn: Connection, partnership_id: UUID, size: int, cursor: Cursor | None = None
) -> Page:
    """The partnership's members, by name. The names are the participants'; the partnership's own
    members are found by its key in `directory_members`, then sorted: a partnership's size, not the
    store's."""
    query = (
        select(
            participants.c.id,
            participants.c.name,
            members.c.stakeholder_group,
            participants.c.email.is_not(None).label("has_email"),  # whether there is one to correct
        )
        .join(members, members.c.participant_id == participants.c.id)
        .where(members.c.partnership_id == partnership_id)
    )
    return page_of(conn, query, MEMBER_KEYS, size, cursor, counted=True, named_by=_member_key)


def members_named(conn: Connection, partnership_id: UUID, ids: Iterable[UUID]) -> list[Row]:
    """These members of the partnership (those not members are left out), by name."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return []
    query = (
        select(participants.c.id, participants.c.name, members.c.stakeholder_group)
        .join(members, members.c.participant_id == participants.c.id)
        .where(members.c.partnership_id == partnership_id, participants.c.id.in_(wanted))
        .order_by(participants.c.name, participants.c.id)
    )
    return _rows(conn, query)


def _member_key(conn: Connection, participant_id: UUID) -> tuple[str, UUID] | None:
    name = conn.scalar(select(participants.c.name).where(participants.c.id == participant_id))
    return None if name is None else (name, participant_id)


def policy(conn: Connection, policy_id: UUID) -> Row | None:
    return _one(conn, select(policies).where(policies.c.id == policy_id))


def policy_stages(conn: Connection, policy_id: UUID) -> list[Row]:
    query = select(stages).where(stages.c.policy_id == policy_id).order_by(stages.c.position)
    return _rows(conn, query)


def policy_stages_of_latest_cycles(conn: Connection, policy_id: UUID, cycles: int) -> list[Row]:
    """The stages entered in the policy's last `cycles` cycles: a policy goes round the Iriss cycle
    year after year, and its whole timeline grows with its age (by the primary key's index)."""
    latest = select(func.max(stages.c.cycle)).where(stages.c.policy_id == policy_id).scalar_subquery()
    query = (
        select(stages)
        .where(stages.c.policy_id == policy_id, stages.c.cycle > latest - cycles)
        .order_by(stages.c.position)
    )
    return _rows(conn, query)


@dataclass(frozen=True)
class TrailFilter:
    """What an auditor narrows a policy's trail to; every part is optional.

    `as_of` shows the trail as it stood at the end of that day, in one of the two readings: the
    facts that had happened by then, whenever recorded (`as_recorded` False, the default: history
    brought in later counts on the days it happened), or only those also recorded by then
    (`as_recorded`: a decision logged three weeks late is not in the trail of the week after it).
    """

    stage: str | None = None
    group: str | None = None
    kind: str | None = None
    happened_from: date | None = None
    happened_to: date | None = None
    as_of: date | None = None
    as_recorded: bool = False


def policy_trail(conn: Connection, policy_id: UUID, only: TrailFilter | None = None) -> list[Row]:
    return _rows(conn, policy_trail_query(policy_id, only))


TRAIL_KEYS = [Key(audit_trail.trail.c.position)]


def policy_trail_page(
    conn: Connection,
    policy_id: UUID,
    only: TrailFilter | None = None,
    size: int = 50,
    cursor: Cursor | None = None,
) -> Page:
    """One page of the trail, oldest first, as the page filters it, and where it stands in the
    filtered trail: counted, as the count is over one policy's rows in its index."""
    query = policy_trail_query(policy_id, only).order_by(None)
    return page_of(conn, query, TRAIL_KEYS, size, cursor, counted=True)


def policy_trail_query(policy_id: UUID, only: TrailFilter | None = None) -> Select:
    """The trail's rows, oldest first, as the page filters them: an export streams them all, the
    page reads them a page at a time (`policy_trail_page`)."""
    only = only or TrailFilter()
    trail = audit_trail.trail
    query = select(trail).where(trail.c.policy_id == policy_id).order_by(trail.c.position)
    if only.stage:
        query = query.where(trail.c.stage == only.stage)
    if only.group:
        groups = audit_trail.trail_groups
        query = query.where(
            exists()
            .where(groups.c.position == trail.c.position)
            .where(groups.c.policy_id == trail.c.policy_id)
            .where(groups.c.stakeholder_group == only.group)
        )
    if only.kind in audit_trail.KIND_FILTERS:
        query = query.where(trail.c.kind.in_(audit_trail.KIND_FILTERS[only.kind][1]))
    if only.happened_from:
        query = query.where(trail.c.happened_on >= only.happened_from)
    if only.happened_to:
        query = query.where(trail.c.happened_on <= only.happened_to)
    if only.as_of:
        query = query.where(trail.c.happened_on <= only.as_of)
        if only.as_recorded:
            query = query.where(trail.c.recorded_on <= only.as_of)
    return query


def policy_adopted_and_retired(
    conn: Connection, policy_id: UUID, as_of: date | None = None, as_recorded: bool = False
) -> Row:
    """When the policy was adopted and retired, if it was (by the end of `as_of`, if given)."""
    only = TrailFilter(kind="documents", as_of=as_of, as_recorded=as_recorded)
    # In no order: the trail's index by policy and kind then finds them (a policy is adopted once,
    # and retired once), where the trail's order would read every row of the policy.
    trail = audit_trail.trail
    query = policy_trail_query(policy_id, only).with_only_columns(trail.c.kind, trail.c.happened_on)
    query = query.order_by(None)
    found = {row.kind: row.happened_on for row in conn.execute(query)}
    return {"adopted_on": found.get("policy_adopted"), "retired_on": found.get("policy_retired")}


def policy_stages_as_of(
    conn: Connection, policy_id: UUID, as_of: date, as_recorded: bool = False, cycles: int | None = None
) -> list[Row]:
    """The stage timeline as it stood at the end of `as_of` (its last `cycles` cycles, if given),
    from the trail's stage rows, read by the trail's index by policy and kind."""
    trail = audit_trail.trail
    day = policy_trail_query(policy_id, TrailFilter(as_of=as_of, as_recorded=as_recorded)).whereclause
    entered = and_(day, trail.c.kind == "stage_entered")
    query = select(
        trail.c.cycle, trail.c.stage, trail.c.happened_on.label("entered_on"), trail.c.position
    ).where(entered)
    if cycles is not None:
        latest = select(func.max(trail.c.cycle)).where(entered).scalar_subquery()
        query = query.where(trail.c.cycle > latest - cycles)
    return _rows(conn, query.order_by(trail.c.position))


def meeting(conn: Connection, meeting_id: UUID) -> Row | None:
    return _one(conn, select(meetings).where(meetings.c.id == meeting_id))


def meeting_attendance(conn: Connection, meeting_id: UUID) -> dict[UUID, str]:
    query = select(attendance.c.participant_id, attendance.c.status).where(
        attendance.c.meeting_id == meeting_id
    )
    return {row.participant_id: row.status for row in conn.execute(query)}


def meeting_decisions(conn: Connection, meeting_id: UUID) -> list[Row]:
    """The meeting's decisions, each with the contributions it cites and what became of it since."""
    query = (
        select(decisions, policies.c.title.label("policy_title"))
        .join(policies, policies.c.id == decisions.c.policy_id)
        .where(decisions.c.meeting_id == meeting_id)
        .order_by(decisions.c.position)
    )
    return _with_citations_and_changes(conn, _rows(conn, query))


def _with_citations_and_changes(conn: Connection, found: list[Row]) -> list[Row]:
    ids = [row["id"] for row in found]
    cited = _rows(
        conn,
        select(citations.c.decision_id, contributions)
        .join(contributions, contributions.c.id == citations.c.contribution_id)
        .where(citations.c.decision_id.in_(ids))
        .order_by(contributions.c.position),
    )
    changes = _rows(
        conn,
        select(decision_changes)
        .where(decision_changes.c.decision_id.in_(ids))
        .order_by(decision_changes.c.position),
    )
    for row in found:
        row["cites"] = [c for c in cited if c["decision_id"] == row["id"]]
        row["changes"] = [c for c in changes if c["decision_id"] == row["id"]]
    return found


def meeting_agenda(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = (
        select(agenda, policies.c.title.label("policy_title"))
        .outerjoin(policies, policies.c.id == agenda.c.policy_id)
        .where(agenda.c.meeting_id == meeting_id)
        .order_by(agenda.c.position)
    )
    return _rows(conn, query)


def meeting_adjustments(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = select(adjustments).where(adjustments.c.meeting_id == meeting_id).order_by(adjustments.c.position)
    return _rows(conn, query)


def meeting_actions(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = select(actions).where(actions.c.meeting_id == meeting_id).order_by(actions.c.position)
    return _rows(conn, query)


def meeting_contributions(conn: Connection, meeting_id: UUID) -> list[Row]:
    query = (
        select(contributions, policies.c.title.label("policy_title"))
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(contributions.c.meeting_id == meeting_id)
        .order_by(contributions.c.position)
    )
    return _rows(conn, query)


# A partnership's contributions, a page at a time: those awaiting a response oldest first (the
# longest waiting at the top), those answered newest first. Counted: over one partnership's index.
AWAITING_KEYS = [Key(contributions.c.position)]
ANSWERED_KEYS = [Key(contributions.c.position, descending=True)]


def _partnership_contributions(partnership_id: UUID) -> Select:
    return (
        select(contributions, policies.c.title.label("policy_title"))
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(contributions.c.partnership_id == partnership_id)
    )


def contributions_awaiting_page(
    conn: Connection, partnership_id: UUID, size: int, cursor: Cursor | None = None
) -> Page:
    query = _partnership_contributions(partnership_id).where(contributions.c.response.is_(None))
    return page_of(conn, query, AWAITING_KEYS, size, cursor, counted=True)


def contributions_answered_page(
    conn: Connection, partnership_id: UUID, size: int, cursor: Cursor | None = None
) -> Page:
    query = _partnership_contributions(partnership_id).where(contributions.c.response.is_not(None))
    return page_of(conn, query, ANSWERED_KEYS, size, cursor, counted=True)


def citable_contributions(
    conn: Connection,
    partnership_id: UUID,
    policy_id: UUID | None,
    limit: int,
    words: str = "",
    chosen: list[UUID] | None = None,
) -> tuple[list[Row], bool]:
    """The contributions a decision may cite, as the decision form offers them, newest first, at
    most `limit`: those on the policy (those at its current stage and cycle first), or on any of the
    partnership's policies when `policy_id` is None. Only those whose words or pseudonym hold every
    word of `words`, or whose id it holds (a contribution's address pasted in). Any already `chosen`
    come first, so a form sent back with a mistake keeps them. Returns the rows, and whether more
    matched than `limit`."""
    citable = select(contributions, policies.c.title.label("policy_title")).join(
        policies, policies.c.id == contributions.c.policy_id
    )
    if policy_id is None:
        citable = citable.where(contributions.c.partnership_id == partnership_id)
    else:
        citable = citable.where(contributions.c.policy_id == policy_id)
    found = _rows(conn, citable.where(contributions.c.id.in_(chosen))) if chosen else []
    query = citable.where(contributions.c.id.not_in([row["id"] for row in found]))
    ids = _ids_in(words)
    if ids:
        query = query.where(contributions.c.id.in_(ids))
    else:
        for word in words.split():
            pattern = f"%{word.lower()}%"
            query = query.where(
                func.lower(contributions.c.text).like(pattern)
                | func.lower(func.coalesce(contributions.c.pseudonym, "")).like(pattern)
            )
    newest = contributions.c.position.desc()
    first: list[Row] = []
    now = (
        conn.execute(select(policies.c.stage, policies.c.cycle).where(policies.c.id == policy_id)).first()
        if policy_id is not None
        else None
    )
    if now is not None and now.stage is not None:
        this_stage = (contributions.c.stage == now.stage) & (contributions.c.cycle == now.cycle)
        first = _rows(conn, query.where(this_stage).order_by(newest).limit(limit + 1))
        query = query.where(~this_stage)
    offered = first + _rows(conn, query.order_by(newest).limit(limit + 1 - len(first)))
    return found + offered[:limit], len(offered) > limit


def _ids_in(text: str) -> list[UUID]:
    found = []
    for candidate in re.findall(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}", text):
        try:
            found.append(UUID(candidate))
        except ValueError:
            continue
    return found


def contribution(conn: Connection, contribution_id: UUID) -> Row | None:
    query = (
        select(contributions, policies.c.title.label("policy_title"), policies.c.partnership_id)
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(contributions.c.id == contribution_id)
    )
    return _one(conn, query)


def decisions_citing(conn: Connection, contribution_ids: list[UUID]) -> list[Row]:
    """Decisions that cite any of the contributions, each row naming the contribution it cites."""
    query = (
        select(citations.c.contribution_id, decisions)
        .join(decisions, decisions.c.id == citations.c.decision_id)
        .where(citations.c.contribution_id.in_(contribution_ids))
        .order_by(decisions.c.position)
    )
    return _rows(conn, query)


def participant(conn: Connection, participant_id: UUID) -> Row | None:
    return _one(conn, select(participants).where(participants.c.id == participant_id))


def contributions_by(conn: Connection, participant_id: UUID) -> list[Row]:
    """A participant's own contributions, newest first, with where their policy stands now."""
    query = (
        select(
            contributions,
            policies.c.title.label("policy_title"),
            policies.c.stage.label("policy_stage"),
            policies.c.cycle.label("policy_cycle"),
            policies.c.adopted_on.label("policy_adopted_on"),
            policies.c.retired_on.label("policy_retired_on"),
        )
        .join(policies, policies.c.id == contributions.c.policy_id)
        .where(contributions.c.contributor_id == participant_id)
        .order_by(contributions.c.position.desc())
    )
    return _rows(conn, query)


def latest_versions(conn: Connection, policy_ids: list[UUID]) -> dict[UUID, Row]:
    """Each policy's latest published document version, for those that have one."""
    query = select(versions).where(versions.c.policy_id.in_(policy_ids)).order_by(versions.c.position)
    return {row["policy_id"]: row for row in _rows(conn, query)}


def corrections_of(conn: Connection, subject_ids: Iterable[UUID]) -> dict[UUID, list[Row]]:
    """The corrections of these contributions or actions, oldest first, with who recorded each
    (`recorded_by_name`), by the id of what each corrects: a page shows them beside the original."""
    wanted = list(subject_ids)
    found: dict[UUID, list[Row]] = {}
    if not wanted:
        return found
    query = (
        select(corrections, directory.operators.c.name.label("recorded_by_name"))
        .outerjoin(directory.operators, directory.operators.c.id == corrections.c.recorded_by)
        .where(corrections.c.subject_id.in_(wanted))
        .order_by(corrections.c.position)
    )
    for row in _rows(conn, query):
        for day in ("done_on", "held_on", "happened_on"):
            if row["previous"].get(day):
                row["previous"] = {**row["previous"], day: date.fromisoformat(row["previous"][day])}
        found.setdefault(row["subject_id"], []).append(row)
    return found


def names(conn: Connection) -> dict[str, str]:
    """Participants' and operators' names by id (as text, as ids appear in templates and JSON)."""
    found = {}
    for table in (participants, directory.operators):
        found.update({str(row.id): row.name for row in conn.execute(select(table.c.id, table.c.name))})
    return found


def names_of(conn: Connection, ids: Iterable[UUID | None]) -> dict[str, str]:
    """The names of these participants and operators (by id as text, as `names` has them): what a
    page of a list needs, rather than every name in the store."""
    wanted = {i for i in ids if i is not None}
    found: dict[str, str] = {}
    if wanted:
        for table in (participants, directory.operators):
            query = select(table.c.id, table.c.name).where(table.c.id.in_(wanted))
            found.update({str(row.id): row.name for row in conn.execute(query)})
    return found


def decision_provenance(conn: Connection, decision_id: UUID) -> Row | None:
    """A decision with all it rests on and all that came after it, or None for an unknown id."""
    decisions_ = provenance.decisions
    found = _one(conn, select(decisions_).where(decisions_.c.id == decision_id))
    if found is None:
        return None
    if found["meeting"]:
        found["meeting"]["held_on"] = date.fromisoformat(found["meeting"]["held_on"])
    contributions, cites = provenance.contributions, provenance.cites
    found["answered"] = _rows(
        conn,
        select(contributions)
        .join(cites, cites.c.contribution_id == contributions.c.id)
        .where(cites.c.decision_id == decision_id)
        .order_by(cites.c.order),
    )
    found["amendments"] = _amendments(conn, decision_id)
    found["before"] = _chain(conn, found["supersedes"], earlier=True)
    found["after"] = _chain(conn, _superseded_by(conn, decision_id), earlier=False)
    return found


def _amendments(conn: Connection, decision_id: UUID) -> list[Row]:
    amendments = provenance.amendments
    query = select(amendments).where(amendments.c.decision_id == decision_id).order_by(amendments.c.position)
    return _rows(conn, query)


def _superseded_by(conn: Connection, decision_id: UUID) -> UUID | None:
    amendments = provenance.amendments
    return conn.scalar(
        select(amendments.c.superseded_by)
        .where(amendments.c.decision_id == decision_id)
        .where(amendments.c.kind == "superseded")
    )


def _chain(conn: Connection, start: UUID | None, earlier: bool) -> list[Row]:
    """The decisions this one superseded (earlier) or that superseded it (later), nearest first."""
    decisions_ = provenance.decisions
    chain: list[Row] = []
    seen: set[UUID] = set()
    current = start
    while current is not None and current not in seen:
        seen.add(current)
        row = _one(
            conn,
            select(
                decisions_.c.id, decisions_.c.text, decisions_.c.happened_on, decisions_.c.supersedes
            ).where(decisions_.c.id == current),
        )
        if row is None:
            break
        row["amendments"] = _amendments(conn, current)
        chain.append(row)
        current = row["supersedes"] if earlier else _superseded_by(conn, current)
    return chain
