"""Keyset pagination: a page of a list is the rows after (or before) the key of a row already shown.

Never OFFSET: a page's cost is that of reading its own rows through an index, however far into the
list it is. A list is ordered by `Key`s, the last of which is unique (an id or a position), so every
row has its own place and a page's link names the row it follows, not a number of rows to skip.

A cursor is the key's values, as text in a JSON list, in URL-safe base64. An address must name no
one (it is kept in logs and passed on), so a list ordered by people's names gives `named_by`: its
cursors hold the last key alone (an id), and the rest of the key is read back from it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select, tuple_
from sqlalchemy.sql.elements import KeyedColumnElement

Row = dict[str, Any]


class BadCursor(ValueError):
    """A page's address that Cotrace did not make: edited, cut short, or from another list."""


@dataclass(frozen=True)
class Key:
    """One column a list is ordered by, the name its rows carry it under, and its direction."""

    column: KeyedColumnElement[Any]
    descending: bool = False
    name: str | None = None  # the row's key for it, when the query labels it otherwise

    @property
    def row_key(self) -> str:
        return self.name or self.column.key


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after the row with these key values (moving on), or before it (back)."""

    values: tuple[Any, ...]
    before: bool = False


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    next: str | None  # the cursor of the page after this one, None on the last page
    previous: str | None  # the cursor of the page before, None on the first
    first: int | None = None  # the number of its first row in the whole list, when counted
    total: int | None = None  # how many rows the whole list has, when counted

    @property
    def last(self) -> int | None:
        return None if self.first is None else self.first + len(self.rows) - 1

    @property
    def more_than_one(self) -> bool:
        return self.next is not None or self.previous is not None


def encode(values: tuple[Any, ...]) -> str:
    text = json.dumps([_as_text(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, keys: list[Key]) -> tuple[Any, ...]:
    """The key values a cursor holds, each read as its column's type; BadCursor if it holds none."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise BadCursor(cursor) from error
    if not isinstance(values, list) or len(values) != len(keys):
        raise BadCursor(cursor)
    try:
        return tuple(_read(value, key) for value, key in zip(values, keys, strict=True))
    except (TypeError, ValueError) as error:
        raise BadCursor(cursor) from error


def cursor_from(after: str | None, before: str | None, keys: list[Key]) -> Cursor | None:
    """The cursor a page's address asks for (`after` wins if both are given); None for the first page."""
    if after:
        return Cursor(decode(after, keys))
    if before:
        return Cursor(decode(before, keys), before=True)
    return None


def page_of(
    conn: Connection,
    query: Select,
    keys: list[Key],
    size: int,
    cursor: Cursor | None = None,
    counted: bool = False,
    named_by: Callable[[Connection, Any], tuple[Any, ...] | None] | None = None,
    counted_from: Select | None = None,
) -> Page:
    """One page of `query` (unordered, unlimited: the keys order it) of at most `size` rows.

    `counted` also counts the whole list and the rows before this page: only for a list whose
    filter an index narrows to one policy or partnership, never for a whole table. `named_by`
    gives a row's whole key from its last key's value (None for an unknown one: the first page).
    `counted_from` is what is counted, when `query` joins a table its rows need but its count does
    not (the same rows, with the keys' columns: an index can then count them alone).
    """
    counting = counted_from if counted_from is not None else query
    if named_by is not None:
        whole = named_by(conn, cursor.values[-1]) if cursor is not None else None
        cursor = Cursor(whole, cursor.before) if cursor is not None and whole is not None else None
    backwards = cursor is not None and cursor.before
    found = [dict(row._mapping) for row in conn.execute(page_statement(query, keys, size, cursor))]
    more = len(found) > size
    rows = found[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None, first=None, total=_count(conn, counting) if counted else None)
    first_key, last_key = _key_of(rows[0], keys), _key_of(rows[-1], keys)
    if backwards:
        has_before, has_after = more, _any_beyond(conn, query, keys, last_key, backwards=False)
    else:
        has_after = more
        has_before = cursor is not None and _any_beyond(conn, query, keys, first_key, backwards=True)
    first = total = None
    if counted:
        total = _count(conn, counting)
        before = _count(conn, counting.where(_beyond(keys, first_key, backwards=True))) if has_before else 0
        first = before + 1
    if named_by is not None:
        first_key, last_key = first_key[-1:], last_key[-1:]
    return Page(
        rows,
        next=encode(last_key) if has_after else None,
        previous=encode(first_key) if has_before else None,
        first=first,
        total=total,
    )


def page_statement(query: Select, keys: list[Key], size: int, cursor: Cursor | None) -> Select:
    """What `page_of` reads for the page's rows: one more than `size`, to know if more follow."""
    backwards = cursor is not None and cursor.before
    ordered = query.order_by(*_order(keys, reverse=backwards))
    if cursor is not None:
        ordered = ordered.where(_beyond(keys, cursor.values, backwards))
    return ordered.limit(size + 1)


def _order(keys: list[Key], reverse: bool) -> list[ColumnElement[Any]]:
    return [key.column.desc() if key.descending != reverse else key.column.asc() for key in keys]


def _beyond(keys: list[Key], values: tuple[Any, ...], backwards: bool) -> ColumnElement[bool]:
    """The rows after the key `values` in the list's order (before them, `backwards`).

    Keys all in one direction compare as a row, (a, b) > (x, y), which both databases search an
    index with. Keys in both directions are written out as (a > x) OR (a = x AND b > y) ..., with
    the first key's bound (a >= x) said again on its own so that an index on it starts the scan there.
    """
    if len(keys) > 1 and len({key.descending for key in keys}) == 1:
        row, bound = tuple_(*(key.column for key in keys)), tuple_(*values)
        return row > bound if keys[0].descending == backwards else row < bound

    def past(key: Key, value: Any, strict: bool) -> ColumnElement[bool]:
        later = key.descending == backwards  # moving towards larger values
        if strict:
            return key.column > value if later else key.column < value
        return key.column >= value if later else key.column <= value

    alternatives = []
    for index, key in enumerate(keys):
        same = [k.column == v for k, v in zip(keys[:index], values[:index], strict=True)]
        alternatives.append(and_(*same, past(key, values[index], strict=True)))
    condition = or_(*alternatives)
    if len(keys) > 1:
        condition = and_(past(keys[0], values[0], strict=False), condition)
    return condition


def _key_of(row: Row, keys: list[Key]) -> tuple[Any, ...]:
    return tuple(row[key.row_key] for key in keys)


def _any_beyond(conn: Connection, query: Select, keys: list[Key], values: tuple, backwards: bool) -> bool:
    return conn.execute(query.where(_beyond(keys, values, backwards)).limit(1)).first() is not None


def _count(conn: Connection, query: Select) -> int:
    return conn.scalar(select(func.count()).select_from(query.subquery())) or 0


def _as_text(value: Any) -> Any:
    if isinstance(value, (UUID, date)):
        return str(value)
    return value


def _read(value: Any, key: Key) -> Any:
    kind = key.column.type.python_type
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(value)
        return value
    if not isinstance(value, str):
        raise TypeError(value)
    if kind is UUID:
        return UUID(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is str:
        return value
    raise TypeError(kind)
