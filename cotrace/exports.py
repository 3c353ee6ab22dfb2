"""Exports for spreadsheets: a policy's audit trail, its decisions, and "you said, we did", as CSV
and JSON, row by row (docs/exports.md is their data dictionary).

Rows are read from the read models in batches and written out as they come, so exporting a policy
with a long history never holds the whole file in memory. Each export is a tuple of column names and
an iterator of rows with exactly those keys; `as_csv` and `as_json` turn the same rows into text.

Personal data: the trail carries the names the trail page shows (decision makers, contributors as
they chose to be known, who recorded each fact), because an export is a copy of that page for the
same readers. The decisions and "you said, we did" carry stakeholder groups, never names.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, select

from domain.vocabulary import group_label
from projections import reads
from projections.directory_tables import (
    citations,
    contributions,
    decision_changes,
    decisions,
    meetings,
    participants,
)
from projections.reads import TrailFilter

Row = dict[str, Any]
BATCH = 500  # rows read from the database at a time


@dataclass(frozen=True)
class Export:
    columns: tuple[str, ...]
    rows: Iterator[Row]


def _batches(conn: Connection, query: Select) -> Iterator[list[Row]]:
    """The query's rows, a batch at a time, from a cursor that streams where the driver can."""
    result = conn.execution_options(yield_per=BATCH).execute(query)
    for partition in result.partitions():
        yield [dict(row._mapping) for row in partition]


# The audit trail.

TRAIL_COLUMNS = (
    "position",
    "kind",
    "what",
    "stage",
    "cycle",
    "happened_on",
    "recorded_at",
    "recorded_on",
    "recorded_by",
    "meeting",
    "decision_id",
    "method",
    "votes_for",
    "votes_against",
    "votes_abstaining",
    "dissent",
    "proposer",
    "decision_makers",
    "decision_maker_groups",
    "cites",
    "supersedes",
    "superseded_by",
    "contribution_id",
    "contributor",
    "contributor_group",
    "channel",
    "response",
    "reason",
    "rating",
)


def audit_trail_export(conn: Connection, policy_id: UUID, only: TrailFilter) -> Export:
    """Every row of the trail the page shows with the same filters and "as of"."""
    return Export(TRAIL_COLUMNS, _trail_rows(conn, policy_id, only))


def _trail_rows(conn: Connection, policy_id: UUID, only: TrailFilter) -> Iterator[Row]:
    for batch in _batches(conn, reads.policy_trail_query(policy_id, only)):
        for row in batch:
            yield _trail_row(row)


def _trail_row(row: Row) -> Row:
    votes = row["votes"] or {}
    contributor = row["contributor"] or {}
    return {
        "position": row["position"],
        "kind": row["kind"],
        "what": row["what"],
        "stage": row["stage"],
        "cycle": row["cycle"],
        "happened_on": row["happened_on"],
        "recorded_at": row["recorded_at"],
        "recorded_on": row["recorded_on"],
        "recorded_by": row["recorded_by_name"],
        "meeting": row["meeting"],
        "decision_id": row["decision_id"],
        "method": row["method"],
        "votes_for": votes.get("for"),
        "votes_against": votes.get("against"),
        "votes_abstaining": votes.get("abstentions"),
        # As the page shows it: the one who dissented by name and group, where the note names someone.
        "dissent": [
            f"{note['by']['name']} ({note['by']['group']}): {note['note']}"
            if note.get("by")
            else note["note"]
            for note in row["dissent"] or []
        ],
        "proposer": (row["proposer"] or {}).get("name"),
        "decision_makers": [person["name"] for person in row["decision_makers"] or []],
        "decision_maker_groups": list(row["decision_maker_groups"] or []),
        "cites": [cited["id"] for cited in row["cites"] or []],
        "supersedes": (row["supersedes"] or {}).get("id"),
        "superseded_by": row["related_decision_id"],
        "contribution_id": row["contribution_id"],
        "contributor": contributor.get("name"),
        "contributor_group": contributor.get("group"),
        "channel": row["channel"],
        "response": row["response"],
        "reason": row["reason"],
        "rating": row["rating"],
    }


# The decisions.

DECISION_COLUMNS = (
    "decision_id",
    "happened_on",
    "recorded_at",
    "stage",
    "cycle",
    "meeting_id",
    "meeting",
    "text",
    "status",
    "method",
    "votes_for",
    "votes_against",
    "votes_abstaining",
    "dissent",
    "decision_makers",
    "decision_maker_groups",
    "cites",
    "supersedes",
    "superseded_by",
    "corrected_on",
    "reversed_on",
    "first_recorded_on",  # the date it was first recorded as taken, when its meeting's date was corrected
)


def decisions_export(conn: Connection, policy_id: UUID) -> Export:
    return Export(DECISION_COLUMNS, _decision_rows(conn, policy_id))


def _decision_rows(conn: Connection, policy_id: UUID) -> Iterator[Row]:
    query = (
        select(decisions, meetings.c.title.label("meeting_title"))
        .outerjoin(meetings, meetings.c.id == decisions.c.meeting_id)
        .where(decisions.c.policy_id == policy_id)
        .order_by(decisions.c.position)
    )
    for batch in _batches(conn, query):
        ids = [row["id"] for row in batch]
        cites = _grouped(conn, select(citations.c.decision_id, citations.c.contribution_id), ids)
        changes = _changes(conn, ids)
        groups = _groups(conn, {note["by"] for row in batch for note in row["dissent"] if note.get("by")})
        for row in batch:
            yield _decision_row(row, cites.get(row["id"], []), changes.get(row["id"], []), groups)


def _groups(conn: Connection, people: set[str]) -> dict[str, str]:
    """The stakeholder group of each person named, by id as text: an export names no one."""
    if not people:
        return {}
    query = select(participants.c.id, participants.c.stakeholder_group).where(
        participants.c.id.in_([UUID(person) for person in people])
    )
    return {str(person): group for person, group in conn.execute(query)}


def _dissent(notes: list[dict], groups: dict[str, str]) -> list[str]:
    """Each note of dissent, after the group of the one who dissented where a note names someone."""
    return [
        f"{group_label(groups[note['by']])}: {note['note']}"
        if groups.get(note.get("by") or "")
        else note["note"]
        for note in notes
    ]


def _grouped(conn: Connection, query: Select, decision_ids: list[UUID]) -> dict[UUID, list[UUID]]:
    """Contribution ids by decision, for the decisions of one batch, in the order they were cited."""
    found: dict[UUID, list[UUID]] = {}
    positions = select(contributions.c.id, contributions.c.position).subquery()
    ordered = (
        query.where(citations.c.decision_id.in_(decision_ids))
        .outerjoin(positions, positions.c.id == citations.c.contribution_id)
        .order_by(positions.c.position, citations.c.contribution_id)
    )
    for decision_id, contribution_id in conn.execute(ordered):
        found.setdefault(decision_id, []).append(contribution_id)
    return found


def _changes(conn: Connection, decision_ids: list[UUID]) -> dict[UUID, list[Row]]:
    found: dict[UUID, list[Row]] = {}
    query = (
        select(decision_changes)
        .where(decision_changes.c.decision_id.in_(decision_ids))
        .order_by(decision_changes.c.position)
    )
    for row in conn.execute(query):
        found.setdefault(row.decision_id, []).append(dict(row._mapping))
    return found


def _decision_row(row: Row, cites: list[UUID], changes: list[Row], groups: dict[str, str]) -> Row:
    votes = row["votes"] or {}
    reversed_on = [c["happened_on"] for c in changes if c["kind"] == "reversed"]
    redated = [c for c in changes if c["kind"] == "redated"]
    return {
        "decision_id": row["id"],
        "happened_on": row["happened_on"],
        "recorded_at": row["recorded_at"],
        "stage": row["stage"],
        "cycle": row["cycle"],
        "meeting_id": row["meeting_id"],
        "meeting": row["meeting_title"],
        "text": row["text"],  # as it reads now: the directory keeps the latest correction
        "status": row["status"],
        "method": row["method"],
        "votes_for": votes.get("for"),
        "votes_against": votes.get("against"),
        "votes_abstaining": votes.get("abstentions"),
        "dissent": _dissent(row["dissent"] or [], groups),
        "decision_makers": len(row["decided_by"]),
        "decision_maker_groups": [group_label(g) for g in row["decision_maker_groups"]],
        "cites": cites,
        "supersedes": row["supersedes"],
        "superseded_by": row["superseded_by"],
        "corrected_on": [c["happened_on"] for c in changes if c["kind"] == "corrected"],
        "reversed_on": reversed_on[-1] if reversed_on else None,
        "first_recorded_on": redated[0]["previous_on"] if redated else None,
    }


# "You said, we did".

YOU_SAID_COLUMNS = (
    "contribution_id",
    "happened_on",
    "recorded_at",
    "stage",
    "cycle",
    "kind",
    "channel",
    "meeting_id",
    "contributor_group",
    "text",
    "response",
    "reason",
    "responded_on",
    "days_taken",
    "cited_by",
)


def you_said_we_did_export(conn: Connection, policy_id: UUID) -> Export:
    return Export(YOU_SAID_COLUMNS, _you_said_rows(conn, policy_id))


def _you_said_rows(conn: Connection, policy_id: UUID) -> Iterator[Row]:
    query = (
        select(contributions, participants.c.stakeholder_group)
        .outerjoin(participants, participants.c.id == contributions.c.contributor_id)
        .where(contributions.c.policy_id == policy_id)
        .order_by(contributions.c.position)
    )
    for batch in _batches(conn, query):
        ids = [row["id"] for row in batch]
        cited_by: dict[UUID, list[UUID]] = {}
        citing = (
            select(citations.c.contribution_id, citations.c.decision_id)
            .join(decisions, decisions.c.id == citations.c.decision_id)
            .where(citations.c.contribution_id.in_(ids))
            .order_by(decisions.c.position)
        )
        for contribution_id, decision_id in conn.execute(citing):
            cited_by.setdefault(contribution_id, []).append(decision_id)
        for row in batch:
            yield _you_said_row(row, cited_by.get(row["id"], []))


def _you_said_row(row: Row, cited_by: list[UUID]) -> Row:
    answered = row["responded_on"]
    group = row["stakeholder_group"]
    return {
        "contribution_id": row["id"],
        "happened_on": row["happened_on"],
        "recorded_at": row["recorded_at"],
        "stage": row["stage"],
        "cycle": row["cycle"],
        "kind": row["kind"],
        "channel": row["channel"],
        "meeting_id": row["meeting_id"],
        "contributor_group": group_label(group) if group else None,
        "text": row["text"],
        "response": row["response"],
        "reason": row["reason"],
        "responded_on": answered,
        "days_taken": (answered - row["happened_on"]).days if answered else None,
        "cited_by": cited_by,
    }


# Writing the rows out.


def _plain(value: Any) -> Any:
    """A value as JSON has it: ids and dates as text (ISO 8601), lists item by item."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        # SQLite hands back the stored UTC time without its zone: say it is UTC, on both databases.
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): text a
# participant wrote, such as "=HYPERLINK(...)" or "-2+3", would run on the auditor's machine. A
# leading apostrophe makes Excel and LibreOffice show the text as it is. Tab and carriage return
# are on OWASP's list as well, as some spreadsheets strip them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # Several values in one cell, each neutralised: the cell starts with the first of them.
        return "; ".join(_cell(item) for item in value)
    if isinstance(value, str):
        return neutralised(value)
    return str(value)  # numbers: never text someone wrote, so never a formula


# Excel reads a CSV file as the machine's legacy code page unless it starts with the UTF-8
# byte order mark; every other tool that matters skips it.
BOM = "\ufeff"


def as_csv(columns: Iterable[str], rows: Iterable[Row]) -> Iterator[str]:
    """RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a
    line break (quotes doubled), one chunk of text per row."""
    columns = tuple(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield BOM + line(columns)
    for row in rows:
        yield line(_cell(row[name]) for name in columns)


def as_json(columns: Iterable[str], rows: Iterable[Row]) -> Iterator[str]:
    """A JSON list of objects, one per row, with the CSV's columns as keys, written as it goes."""
    columns = tuple(columns)
    first = True
    yield "["
    for row in rows:
        item = json.dumps({name: _plain(row[name]) for name in columns}, ensure_ascii=False)
        yield ("\n" if first else ",\n") + item
        first = False
    yield "\n]\n"


def filename(what: str, policy_id: UUID, day: date, extension: str, as_of: date | None = None) -> str:
    """The file's name: the policy by id and the day, never a person's name (a file name travels)."""
    seen_as_of = f"-as-of-{as_of.isoformat()}" if as_of else ""
    return f"cotrace-policy-{policy_id}-{what}{seen_as_of}-{day.isoformat()}.{extension}"
