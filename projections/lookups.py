"""The lookups a read model keeps for itself: the people, policies and meetings its rows name.

Every read model keeps tables of these of its own, so that it can be dropped and rebuilt alone, with
names as they stood when each fact was recorded. `Lookups` declares them, with the columns that read
model asks for, and keeps them: `ReadModel.process_event` hands it every event before the read
model's own handlers, so a handler finds the lookups of its own event already written.

A read model asks for columns by name, several in a string separated by spaces ("title held_on"):
each is declared as `COLUMNS` has it and written by the events `WRITES` names for it. A column it
gives as a `Column` is declared as given: the shared writes fill it if an event writes a column of
that name, and the read model's own handlers otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from domain.accounts import Account
from domain.meetings import Meeting
from domain.people import Operator, Participant
from domain.policies import Policy
from projections.batch import Batch
from projections.runner import POSITION, recorded_day

COLUMNS: dict[str, Callable[[], Column]] = {
    # people
    "name": lambda: Column("name", String(200), nullable=False),
    "stakeholder_group": lambda: Column("stakeholder_group", String(32), nullable=False),
    "registered_at": lambda: Column("registered_at", DateTime(timezone=True), nullable=False),
    "email": lambda: Column("email", String(254)),
    "email_consent": lambda: Column("email_consent", Boolean, nullable=False),
    # policies and meetings
    "partnership_id": lambda: Column("partnership_id", Uuid, nullable=False, index=True),
    "title": lambda: Column("title", String(300), nullable=False),
    # policies
    "initiated_by": lambda: Column("initiated_by", String(32), nullable=False),
    "started_on": lambda: Column("started_on", Date, nullable=False),
    "started_ref": lambda: Column("started_ref", POSITION, nullable=False),  # Policy.Started's position
    "stage": lambda: Column("stage", String(32)),
    "cycle": lambda: Column("cycle", Integer),
    "adopted_on": lambda: Column("adopted_on", Date),
    "retired_on": lambda: Column("retired_on", Date),
    # the days they were recorded, for the "as recorded" reading of "as of"
    "started_recorded_on": lambda: Column("started_recorded_on", Date),
    "retired_recorded_on": lambda: Column("retired_recorded_on", Date),
    # meetings
    "held_on": lambda: Column("held_on", Date, nullable=False),
    "place": lambda: Column("place", String(300), nullable=False),
    "present": lambda: Column("present", JSON, nullable=False),  # ids as text, from the attendance
}

# A column's value: the event's attribute of that name, or computed from the event and its position.
Value = str | Callable[[Any, int], Any]


def _constant(value: Any) -> Value:
    return lambda event, position: value


# What each event writes to the lookup of its kind: (kind, whether it adds the row, {column: value}).
# Only the columns a lookup has are written; an event that adds a row adds it whatever columns it has.
WRITES: dict[type, tuple[str, bool, dict[str, Value]]] = {
    Operator.Created: ("operators", True, {"name": "name"}),
    Account.Opened: ("operators", True, {"name": "name"}),
    Participant.Registered: (
        "people",
        True,
        {
            "name": "name",
            "stakeholder_group": "stakeholder_group",
            "registered_at": "timestamp",
            "email": _constant(None),
            "email_consent": _constant(False),
        },
    ),
    Participant.NameCorrected: ("people", False, {"name": "name"}),
    Participant.EmailCorrected: ("people", False, {"email": "email"}),
    Participant.StakeholderGroupCorrected: ("people", False, {"stakeholder_group": "stakeholder_group"}),
    Participant.ContactPreferencesSet: (
        "people",
        False,
        {"email": "email", "email_consent": "email_consent"},
    ),
    Policy.Started: (
        "policies",
        True,
        {
            **{c: c for c in ("partnership_id", "title", "initiated_by", "started_on")},
            "started_ref": lambda event, position: position,
            "started_recorded_on": lambda event, position: recorded_day(event.timestamp),
        },
    ),
    Policy.StageEntered: ("policies", False, {"stage": "stage", "cycle": "cycle"}),
    Policy.Adopted: ("policies", False, {"adopted_on": "happened_on"}),
    Policy.Retired: (
        "policies",
        False,
        {
            "retired_on": "happened_on",
            "retired_recorded_on": lambda event, position: recorded_day(event.timestamp),
        },
    ),
    Meeting.Scheduled: (
        "meetings",
        True,
        {
            **{c: c for c in ("partnership_id", "title", "held_on", "place")},
            "present": lambda event, position: [],
        },
    ),
    Meeting.DetailsCorrected: ("meetings", False, {"held_on": "held_on", "place": "place"}),
    Meeting.AttendanceRecorded: (
        "meetings",
        False,
        {"present": lambda event, position: [str(p) for p in event.present]},
    ),
}

# Names separated by spaces, or a sequence of such strings and of Columns.
Columns = str | Sequence[str | Column]


class Lookups:
    """The lookup tables of one read model, added to its `metadata` and named `<prefix>_<kind>`
    unless `names` says otherwise (as `lookups.people` and so on), and the writes that keep them.

    `operators=True` keeps operators in the people table, with what they do not have (a stakeholder
    group) left empty; columns given for `operators` keep them in a table of their own.
    """

    people: Table
    operators: Table
    policies: Table
    meetings: Table

    def __init__(
        self,
        metadata: MetaData,
        prefix: str,
        *,
        people: Columns | None = None,
        operators: bool | Columns = False,
        policies: Columns | None = None,
        meetings: Columns | None = None,
        names: Mapping[str, str] | None = None,
        people_key: str = "id",
    ) -> None:
        names = names or {}
        tables: dict[str, Table] = {}
        for kind, columns in (
            ("people", people),
            ("operators", operators),
            ("policies", policies),
            ("meetings", meetings),
        ):
            if columns is None or isinstance(columns, bool):
                continue
            key = people_key if kind == "people" else "id"
            empty_for_operators = kind == "people" and operators is True
            name = names.get(kind, f"{prefix}_{kind}")
            tables[kind] = _table(metadata, name, key, columns, empty_for_operators)
        if operators is True:
            tables["operators"] = tables["people"]
        # What each event writes: (the table, whether it adds the row, the columns and their values).
        self._writes: dict[type, tuple[Table, bool, dict[str, Value]]] = {}
        for event_class, (kind, adds, values) in WRITES.items():
            if kind not in tables:
                continue
            table = tables[kind]
            kept = {column: value for column, value in values.items() if column in table.c}
            if adds or kept:
                self._writes[event_class] = (table, adds, kept)
        self.handled: tuple[type, ...] = tuple(self._writes)
        for kind, table in tables.items():
            setattr(self, kind, table)

    def process(self, batch: Batch, event: Any, position: int) -> None:
        write = self._writes.get(type(event))
        if write is None:
            return
        table, adds, values = write
        row = {
            column: getattr(event, value) if isinstance(value, str) else value(event, position)
            for column, value in values.items()
        }
        if adds:
            row[table.primary_key.columns[0].key] = event.originator_id
            batch.insert(table, row)
        else:
            batch.update(table, event.originator_id, **row)


def _table(metadata: MetaData, name: str, key: str, columns: Columns, empty_for_operators: bool) -> Table:
    declared = []
    for given in (columns,) if isinstance(columns, str) else columns:
        if isinstance(given, Column):
            declared.append(given)
            continue
        for column in (COLUMNS[named]() for named in given.split()):
            if empty_for_operators and column.name not in WRITES[Operator.Created][2]:
                column.nullable = True
            declared.append(column)
    return Table(name, metadata, Column(key, Uuid, primary_key=True), *declared)
