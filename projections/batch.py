"""A batch of events applied at once: the read models' writes held in memory and written together.

Applying events one statement at a time cost about 13 statements an event (docs/performance.md),
most of them Python around SQLite's own work. A `Batch` stands in for the transaction's connection
while the runner applies a batch of notifications (a rebuild's 1,000, a command's own few): rows
inserted are held and written with one `executemany` per table when the batch ends, updates of a
row by its key are folded into the row held (or into one `executemany` per table and set of
columns), and a row a handler looks up by its key is read once a batch, or not at all when the
batch wrote it.

Order is kept where it can show: for each table the deletes go first, then the updates (of rows
written before the batch: a row held is updated in place), then the inserts. Any other statement
(a select a handler built itself, an update with a subquery) first writes everything held, then
runs as it is, so what it reads is what the events applied so far wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.sql.dml import Delete, Insert, Update

Row = dict[str, Any]
Known = dict[Table, dict[Any, "Row | None"]]

# The most rows of one table a batch hands on to the next (`carried`): enough for a store's people
# and policies, which most events look up, and few enough that a rebuild's memory stays bounded
# whatever the log's length (a table of one row an event, the trail's, is not handed on).
CARRIED_ROWS = 20_000


# Statements built once per table (and column): building one costs more than running it.


@cache
def _updating(table: Table, key_column: str) -> Any:
    """UPDATE by key: the columns set are those of the parameters, less `batch_key`."""
    return update(table).where(table.c[key_column] == bindparam("batch_key"))


@cache
def _deleting(table: Table, column: str) -> Any:
    return delete(table).where(table.c[column] == bindparam("value"))


@cache
def _selecting(table: Table, column: str) -> Any:
    return select(table).where(table.c[column] == bindparam("value"))


@cache
def _selecting_keys(table: Table, key_column: str) -> Any:
    return select(table).where(table.c[key_column].in_(bindparam("keys", expanding=True)))


_key_columns: dict[Table, str | None] = {}
_shapes: dict[Table, tuple[str | None, Row]] = {}


def _key_column(table: Table) -> str | None:
    """The key of a table whose primary key is one column; None for one of several."""
    try:
        return _key_columns[table]
    except KeyError:
        keys = table.primary_key.columns
        found = _key_columns[table] = next(iter(keys)).key if len(keys) == 1 else None
        return found


def _shape(table: Table) -> tuple[str | None, Row]:
    """The table's one-column key (or None), and a row of its every column, each None."""
    found = _shapes.get(table)
    if found is None:
        found = _shapes[table] = (_key_column(table), dict.fromkeys(table.c.keys()))
    return found


class Batch:
    """The writes and lookups of one batch, over the connection of the transaction it commits in."""

    def __init__(self, connection: Connection, known: Known | None = None) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        # Rows to insert, by table, in order (by id: a row deleted again leaves at once).
        self._inserts: dict[Table, dict[int, Row]] = {}
        # Rows written before the batch, by key: the columns to set, folded together.
        self._updates: dict[Table, dict[Any, Row]] = {}
        # For each (table, column) deleted by: the values deleted, whose every row the batch now
        # knows (those it inserts since), and the rows it holds to insert, by value.
        self._deleted: dict[tuple[Table, str], set[Any]] = {}
        self._held_by: dict[tuple[Table, str], dict[Any, list[Row]]] = {}
        # Rows by key, as the batch last saw or wrote them (None: there is no such row); those the
        # batch before left (`carried`), when nothing has written the tables since.
        self._known: Known = known if known is not None else {}
        # The tables a lookup had to read from the database: those worth handing on.
        self._read: set[Table] = set(self._known)
        # The rows to insert as the driver takes them, by table (`prepare`): forgotten by any write.
        self._prepared: dict[Table, list[Any]] = {}

    # Writes.

    def insert(self, table: Table, rows: Row | Iterable[Row]) -> None:
        """Inserts a row (or several), at the end of the batch."""
        self._prepared = {}
        held = self._inserts.get(table)
        if held is None:
            held = self._inserts[table] = {}
        key, empty = _shape(table)
        known = self._known.setdefault(table, {}) if key is not None else None
        indexes = (
            [(column, by) for (t, column), by in self._held_by.items() if t is table] if self._held_by else ()
        )
        for given in (rows,) if type(rows) is dict or isinstance(rows, Mapping) else rows:
            row = empty.copy()  # every column, None unless given
            row.update(given)
            held[id(row)] = row
            if known is not None:
                known[row[key]] = row
            for column, by in indexes:
                by.setdefault(row[column], []).append(row)

    def update(self, table: Table, key: Any, **values: Any) -> None:
        """Sets these columns of the row with this key (a table with a one-column key). Like an
        UPDATE, a key with no row sets nothing."""
        self._prepared = {}
        known = self._known.setdefault(table, {})
        row = known.get(key)
        if row is not None:
            row.update(values)  # a row held, or one read: kept as it now stands
        if key in known and (row is None or id(row) in self._inserts.get(table, ())):
            return  # no such row, or one this batch inserts: nothing more to write
        self._updates.setdefault(table, {}).setdefault(key, {}).update(values)

    def delete_where(self, table: Table, column: str, value: Any) -> None:
        """Deletes the rows whose `column` holds `value` (a table whose rows no lookup reads by key);
        from then on the batch knows every row of that value, as it inserts them."""
        self._prepared = {}
        if _key_column(table) is not None:
            raise ValueError(f"{table.name}: rows looked up by key cannot be deleted by {column}")
        by = self._held_by.get((table, column))
        if by is None:
            by = self._held_by[(table, column)] = {}
            for row in self._inserts.get(table, {}).values():
                by.setdefault(row[column], []).append(row)
        held = self._inserts.get(table, {})
        for row in by.pop(value, ()):
            del held[id(row)]
        self._deleted.setdefault((table, column), set()).add(value)

    # Lookups.

    def row(self, table: Table, key: Any) -> Row | None:
        """The row with this key (a table with a one-column key), as the batch has written it so far."""
        known = self._known.get(table)
        if known is not None and key in known:
            return known[key]
        return self.rows(table, (key,)).get(key)

    def rows(self, table: Table, keys: Iterable[Any]) -> dict[Any, Row]:
        """The rows with these keys, by key, those the batch has not seen read in one query."""
        known = self._known.get(table)
        if known is None:
            known = self._known[table] = {}
        wanted = keys if type(keys) in (tuple, list, set) else list(keys)
        missing = [key for key in wanted if key not in known]  # a key twice is read once all the same
        if missing:
            key_column = _key_column(table)
            assert key_column is not None, f"{table.name} has no one-column key"
            result = self.connection.execute(_selecting_keys(table, key_column), {"keys": missing})
            self._read.add(table)
            found = {row[key_column]: row for row in map(dict, result.mappings())}
            pending = self._updates.get(table, {})
            for key in missing:
                row = found.get(key)
                if row is not None and key in pending:
                    row.update(pending[key])
                known[key] = row
        return {key: row for key in wanted if (row := known[key]) is not None}

    def rows_where(self, table: Table, column: str, value: Any) -> list[Row]:
        """The rows whose `column` holds `value`: from memory when the batch deleted them and
        inserted every one since, from the database otherwise (after writing what it holds)."""
        if value in self._deleted.get((table, column), ()):
            return list(self._held_by[(table, column)].get(value, ()))
        self.flush()
        result = self.connection.execute(_selecting(table, column), {"value": value})
        return [dict(row) for row in result.mappings()]

    # Anything else runs as it is, once what the batch holds is written.

    def execute(self, statement: Any, parameters: Any = None) -> Any:
        if parameters and _plain_insert(statement):
            self.insert(statement.table, parameters)
            return None
        self.flush()
        if isinstance(statement, (Update, Delete, Insert)):
            self._known.pop(statement.table, None)  # what it changed is read again
        return self.connection.execute(statement, parameters)

    def scalar(self, statement: Any, parameters: Any = None) -> Any:
        self.flush()
        return self.connection.scalar(statement, parameters)

    def scalars(self, statement: Any, parameters: Any = None) -> Any:
        self.flush()
        return self.connection.scalars(statement, parameters)

    def prepare(self) -> None:
        """Turns the rows held to insert into the driver's values now, before anything is written:
        the runner calls it before a batch takes SQLite's write lock, so that a process rebuilding
        read models of its own does this work while another writes (it was more than half of the
        writing). Any write after it is prepared again by `flush`."""
        self._prepared = {
            table: _parameters(self.connection, table, list(held.values()))
            for table, held in self._inserts.items()
            if held
        }

    def flush(self) -> None:
        """Writes what the batch holds: each table's deletes, its updates, then its inserts."""
        for (table, column), values in self._deleted.items():
            self.connection.execute(_deleting(table, column), [{"value": value} for value in values])
        self._deleted, self._held_by = {}, {}
        for table, by_key in self._updates.items():
            key_column = _key_column(table)
            groups: dict[tuple[str, ...], list[Row]] = {}
            for key, values in by_key.items():
                groups.setdefault(tuple(sorted(values)), []).append({**values, "batch_key": key})
            for params in groups.values():
                self.connection.execute(_updating(table, key_column), params)
        self._updates = {}
        prepared = self._prepared
        for table, held in self._inserts.items():
            if held:
                params = prepared.get(table)
                if params is None:
                    params = _parameters(self.connection, table, list(held.values()))
                _write(self.connection, table, params)
        self._inserts, self._prepared = {}, {}

    def carried(self) -> Known:
        """What the batch knows of the tables its lookups read (at most CARRIED_ROWS rows of each), as
        they stand once it is written (call after `flush`), for the next batch to start from: the
        runner hands it on only when no other process has applied a batch in between. Without it,
        each batch of a rebuild read again, a query a table, every person and policy its events name."""
        assert not (self._inserts or self._updates or self._deleted), "carried before the batch was flushed"
        kept = {table: self._known.get(table) for table in self._read}
        return {table: rows for table, rows in kept.items() if rows is not None and len(rows) <= CARRIED_ROWS}


def _parameters(connection: Connection, table: Table, rows: list[Row]) -> list[Any]:
    """The parameters of one executemany of these rows (each with every column of the table), their
    values turned into the database's as SQLAlchemy turns them, without its work for each row of a
    statement it cannot know is the same each time: about a quarter of a rebuild's time before.
    Each row's values are taken together (`itemgetter`) and only the columns that need it are
    turned: a batch's 34,886 rows of the 100k store in 108-111 ms, against 122-158 ms one column
    at a time."""
    processors = _compiled_insert(table, connection.dialect)[1]
    names = [name for name, _ in processors]
    values_of = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    turned = [(index, process) for index, (_, process) in enumerate(processors) if process is not None]
    converted = []
    for row in rows:
        values = list(values_of(row))
        for index, process in turned:
            value = values[index]
            # None is SQL's NULL, as for a column an INSERT leaves out (SQLAlchemy would write JSON's null).
            if value is not None:
                values[index] = process(value)
        converted.append(values)
    if connection.dialect.positional or connection.dialect.name == "postgresql":
        return [tuple(values) for values in converted]  # PostgreSQL's are copied in (`_write`)
    return [dict(zip(names, values, strict=True)) for values in converted]


def _write(connection: Connection, table: Table, params: list[Any]) -> None:
    """Writes the rows `_parameters` made: on PostgreSQL by COPY, whose rows the server takes
    without parsing and planning an INSERT for each (psycopg's executemany sends one a row); on
    SQLite by one executemany, which runs the statement prepared once."""
    statement, processors = _compiled_insert(table, connection.dialect)
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(statement, params)
        return
    copying = _copying.get(table)
    if copying is None:
        quote = connection.dialect.identifier_preparer
        columns = ", ".join(quote.quote(table.c[name].name) for name, _ in processors)
        copying = _copying[table] = f"COPY {quote.format_table(table)} ({columns}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor:  # the transaction's own
        with cursor.copy(copying) as copy:
            for row in params:
                copy.write_row(row)


_copying: dict[Table, str] = {}  # each table's COPY statement (PostgreSQL's), built once


_compiled: dict[tuple[Table, str], tuple[str, list[tuple[str, Any]]]] = {}


def _compiled_insert(table: Table, dialect: Any) -> tuple[str, list[tuple[str, Any]]]:
    """The INSERT of every column of the table, as this dialect's driver takes it: its text, and
    each parameter's column with the function that turns a value into the driver's (or None)."""
    found = _compiled.get((table, dialect.name))
    if found is None:
        columns = table.c.keys()
        compiled = insert(table).compile(dialect=dialect, column_keys=columns)
        names = list(compiled.positiontup or ()) if dialect.positional else columns
        by_name = compiled._bind_processors
        found = _compiled[(table, dialect.name)] = (compiled.string, [(n, by_name.get(n)) for n in names])
    return found


def _plain_insert(statement: Any) -> bool:
    """An INSERT of the parameters given and nothing else (no ON CONFLICT, no RETURNING, no values
    of its own), which the batch can hold."""
    return (
        isinstance(statement, Insert)
        and statement._post_values_clause is None
        and not statement._returning
        and not statement._values
        and not statement._multi_values
        and statement.select is None
    )
