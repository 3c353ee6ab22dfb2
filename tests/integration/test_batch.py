"""A batch of events writes what the same events, applied one statement at a time, would have written
(`projections.batch.Batch`, which every read model writes through), on SQLite and PostgreSQL."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, Uuid, create_engine, select

from projections.batch import Batch

metadata = MetaData()
things = Table(
    "batch_things",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(50), nullable=False),
    Column("count", Integer),
    Column("tags", JSON),
)
marks = Table(
    "batch_marks",
    metadata,
    Column("thing_id", Uuid, primary_key=True),
    Column("mark", String(20), primary_key=True),
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'batch.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgresql_url")
    )
    engine = create_engine(url)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_a_batch_reads_its_own_writes_and_leaves_the_rows_one_statement_at_a_time_would(engine):
    before, held, missing = uuid4(), uuid4(), uuid4()
    with engine.begin() as conn:
        conn.execute(things.insert(), {"id": before, "name": "written before", "count": 1, "tags": ["a"]})
        conn.execute(marks.insert(), [{"thing_id": before, "mark": "old"}, {"thing_id": before, "mark": "x"}])

    with engine.begin() as conn:
        batch = Batch(conn)
        batch.insert(things, {"id": held, "name": "held"})
        batch.update(things, held, count=2)  # folded into the row held
        batch.update(things, before, count=5)  # a row written before the batch
        batch.update(things, missing, count=9)  # no such row yet: sets nothing...
        assert batch.row(things, before)["count"] == 5
        assert batch.row(things, held) == {"id": held, "name": "held", "count": 2, "tags": None}
        batch.insert(things, {"id": missing, "name": "after its update"})  # ...so this keeps its own
        batch.delete_where(marks, "thing_id", before)
        batch.insert(marks, [{"thing_id": before, "mark": "new"}, {"thing_id": held, "mark": "new"}])
        assert batch.rows_where(marks, "thing_id", before) == [{"thing_id": before, "mark": "new"}]
        # A statement of its own first writes what the batch holds, and sees it.
        assert set(batch.scalars(select(things.c.name))) == {"written before", "held", "after its update"}
        batch.update(things, held, name="held, then written")
        batch.flush()

    with engine.connect() as conn:
        rows = {row.id: (row.name, row.count, row.tags) for row in conn.execute(select(things))}
        assert rows == {
            before: ("written before", 5, ["a"]),
            held: ("held, then written", 2, None),
            missing: ("after its update", None, None),
        }
        assert conn.scalar(select(things.c.id).where(things.c.tags.is_(None)).where(things.c.id == held))
        assert sorted(map(tuple, conn.execute(select(marks)))) == sorted([(before, "new"), (held, "new")])


def test_rows_prepared_before_the_writing_are_written_as_they_stand_when_it_is_done(engine):
    # The runner prepares a batch's inserts before it takes the write lock; a write after that is
    # not lost, nor is a row written as it stood when it was prepared.
    first, second = uuid4(), uuid4()
    with engine.begin() as conn:
        batch = Batch(conn)
        batch.insert(things, {"id": first, "name": "first", "tags": {"a": 1}})
        batch.prepare()
        batch.insert(things, {"id": second, "name": "second"})
        batch.prepare()
        batch.update(things, first, count=3)
        batch.flush()
        batch.insert(marks, {"thing_id": first, "mark": "unprepared"})
        batch.flush()

    with engine.connect() as conn:
        rows = {row.id: (row.name, row.count, row.tags) for row in conn.execute(select(things))}
        assert rows == {first: ("first", 3, {"a": 1}), second: ("second", None, None)}
        assert list(map(tuple, conn.execute(select(marks)))) == [(first, "unprepared")]
