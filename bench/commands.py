"""A command's p95 on an empty store and on the generated large store, beside the same facts
written by a plain SQLAlchemy CRUD app with an audit row.

Target (issue 14): a command's p95 with 1,000,000 events at most 1.5 times its p95 on an empty
store. Each command runs as a web request runs it, `Services.run`, one unit of work: record a
decision (citing a contribution), submit a contribution, respond to one. The large store is a copy
of the generated one (bench/generate.py), so the cached file is left as it was. The CRUD app writes
the row and an audit row in one transaction to a SQLite file set up as Cotrace's (WAL,
synchronous=FULL): what the same fact costs without events, seal or read models. With
`--database-url` Cotrace's stores are PostgreSQL (the CRUD app stays on SQLite).

    .venv/bin/python bench/commands.py [--events 1000000] [--runs 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table, Uuid, create_engine, event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import TODAY, database_beside, generated_store  # noqa: E402

from cotrace.connections import checkpoint_wal  # noqa: E402
from cotrace.services import Services, open_services  # noqa: E402
from cotrace.worker import SQLITE_POLL_SECONDS  # noqa: E402
from domain.application import Cotrace  # noqa: E402


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000 if len(samples) > 1 else samples[0] * 1000


@contextmanager
def worker_beside(services: Services) -> Iterator[None]:
    """What `cotrace worker` does beside the web workers that bears on a command's time: writing
    SQLite's write-ahead log back into the database file every round (at most every
    SQLITE_POLL_SECONDS while the log moves), so no command's commit does it (cotrace/connections.py)."""
    stop = threading.Event()

    def rounds() -> None:
        while not stop.wait(SQLITE_POLL_SECONDS):
            checkpoint_wal(services.engine)

    beside = threading.Thread(target=rounds, daemon=True)
    beside.start()
    try:
        yield
    finally:
        stop.set()
        beside.join()


def cotrace_commands(url: str, runs: int) -> dict[str, float]:
    """p95 ms of each command, on the store at `url`, in a partnership of its own, the worker's
    write-back of SQLite's log running beside it as in production."""
    services = open_services(url, today=lambda: TODAY)
    try:
        with worker_beside(services):
            return _timings(services, runs)
    finally:
        services.close()


def _timings(services: Services, runs: int) -> dict[str, float]:
    """p95 ms of each command, in a partnership of its own."""
    actor = services.app.create_local_operator()
    setup = services.run(lambda app, actor: _partnership(app, actor), actor)
    partnership, people, policy = setup
    day = TODAY - timedelta(days=runs + 10)
    timings: dict[str, list[float]] = {
        "submit a contribution": [],
        "respond": [],
        "record a decision": [],
    }
    for i in range(runs):
        meeting = services.run(
            lambda app, actor, day=day + timedelta(days=i): _meeting(app, actor, partnership, people, day),
            actor,
        )
        contribution = _timed(
            timings["submit a contribution"],
            services,
            lambda app, actor, i=i, meeting=meeting: app.submit_contribution(
                actor, policy, people[0], "view", f"View {i}", "meeting", meeting_id=meeting
            ),
        )
        _timed(
            timings["respond"],
            services,
            lambda app, actor, contribution=contribution: app.respond_to_contribution(
                actor, contribution, "adopted", "We did", people[1], TODAY
            ),
        )
        _timed(
            timings["record a decision"],
            services,
            lambda app, actor, i=i, meeting=meeting, contribution=contribution: app.record_decision(
                actor,
                meeting,
                policy,
                text=f"Decision {i}",
                stage="co_commission",
                proposed_by=people[0],
                decided_by=people[:2],
                method="consensus",
                cites=[contribution],
            ),
        )
    return {name: p95(samples) for name, samples in timings.items()}


def _timed(samples: list[float], services: Services, command: Callable) -> object:
    started = time.perf_counter()
    result = services.run(command, services.app.create_local_operator())
    samples.append(time.perf_counter() - started)
    return result


def _partnership(app: Cotrace, actor: UUID) -> tuple[UUID, list[UUID], UUID]:
    partnership = app.form_partnership(actor, f"Bench commands {uuid.uuid4().hex[:8]}")
    people = [app.register_participant(actor, n, g) for n, g in (("Ann", "parent_carer"), ("Bob", "health"))]
    for person in people:
        app.add_member(actor, partnership, person, TODAY - timedelta(days=1000))
    policy = app.start_policy(actor, partnership, "Bench policy", "citizens", TODAY - timedelta(days=1000))
    return partnership, people, policy


def _meeting(app: Cotrace, actor: UUID, partnership: UUID, people: list[UUID], day: date) -> UUID:
    meeting = app.schedule_meeting(actor, partnership, "Meeting", day, "Hall")
    app.record_attendance(actor, meeting, people, [])
    return meeting


crud = MetaData()
rows = Table(
    "facts", crud, Column("id", Uuid, primary_key=True), Column("kind", String(32)), Column("data", JSON)
)
audit = Table(
    "audit",
    crud,
    Column("id", Uuid, primary_key=True),
    Column("fact_id", Uuid),
    Column("at", DateTime),
    Column("by", String(64)),
    Column("what", String(32)),
)


def crud_commands(folder: str, runs: int) -> dict[str, float]:
    """The same three facts as rows, each with an audit row, one transaction each."""
    engine = create_engine(f"sqlite:///{folder}/crud.db")

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:  # as cotrace.connections sets SQLite up
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")

    crud.create_all(engine)
    timings: dict[str, list[float]] = {"submit a contribution": [], "respond": [], "record a decision": []}
    for i in range(runs):
        for name in timings:
            started = time.perf_counter()
            with engine.begin() as conn:
                fact = uuid.uuid4()
                conn.execute(insert(rows).values(id=fact, kind=name, data=json.loads(json.dumps({"i": i}))))
                conn.execute(
                    insert(audit).values(
                        id=uuid.uuid4(), fact_id=fact, at=datetime.now(), by="bench", what=name
                    )
                )
            timings[name].append(time.perf_counter() - started)
    engine.dispose()
    return {name: p95(samples) for name, samples in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database holding the large store, generated there if empty (the commands'"
        " partnership stays in it); the empty store is a database made and dropped beside it",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cotrace_bench_commands_") as folder:
        if args.database_url:
            backend, large = "PostgreSQL", generated_store(args.events, args.seed, args.database_url)
            with database_beside(large, f"cotrace_bench_empty_{os.getpid()}") as empty_url:
                empty = cotrace_commands(empty_url, args.runs)
        else:
            backend = "SQLite"
            cached = generated_store(args.events, args.seed).removeprefix("sqlite:///")
            shutil.copy(cached, f"{folder}/large.db")  # the commands' partnership goes in the copy
            large = f"sqlite:///{folder}/large.db"
            empty = cotrace_commands(f"sqlite:///{folder}/empty.db", args.runs)
        big = cotrace_commands(large, args.runs)
        plain = crud_commands(folder, args.runs)
    print(f"command p95 (ms), {backend}, {args.runs} runs; large store {args.events:,} events")
    print(
        f"{'command':<22} {'empty':>7} {'large':>7} {'ratio':>6} {'target':>7}"
        f" {'CRUD+audit':>11} {'x CRUD':>7}"
    )
    for name in empty:
        ratio = big[name] / empty[name]
        print(
            f"{name:<22} {empty[name]:>7.2f} {big[name]:>7.2f} {ratio:>6.2f} {'<= 1.5':>7}"
            f" {plain[name]:>11.2f} {big[name] / plain[name]:>7.1f}"
        )


if __name__ == "__main__":
    main()
