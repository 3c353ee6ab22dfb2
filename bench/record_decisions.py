"""How fast Cotrace records decisions, against how fast its recorder appends a single event.

The old target of 50 % of raw appends is withdrawn (issue 14): a command is now held to 1.5 times
its p95 on an empty store with a large store behind it, and compared with a plain CRUD app
(bench/commands.py). The ratio is still printed, as a figure.

For each database (a temporary SQLite file; a fresh PostgreSQL database on 127.0.0.1:5432 if
it answers):

1. decisions/s through the application: for each of N decisions, the path a web request takes,
   `services.run(record_decision)`: one unit of work that loads the meeting, partnership and
   policy, checks the rules, saves policy and decision, and brings the projections up to date.
   Measured three times: with all five read models, as served; with the audit trail alone (issue
   3's one projection), to show what the other four cost; and with a projection that writes
   nothing, the floor that no read model committed with its command can go below;
2. raw appends/s: `app.recorder.insert_events([stored_event])`, one event per call, N calls, in
   a separate fresh database, the stored events mapped from real `Decision` aggregates' events;
3. their ratio, and the median and 95th percentile latency per decision.

Where a decision's time goes (SQLite, 2026-11-24, 500 decisions, applying each projection timed):
directory 0.12 ms, audit trail 0.31, evidence 0.18, provenance 0.27-0.38, follow-ups 0.02, on top
of reading the log head, the command (aggregates from the cache, its rules, its save), moving the
positions and the commit; about 2.1 ms in all. It was 5.6 ms before statements were built once
(building a SQLAlchemy statement costs several times what SQLite takes to run it). A raw append is
one insert and a commit (0.5-0.75 ms on SQLite, 1.1-1.3 ms on PostgreSQL, where every statement
is also a round trip), so 50 % leaves the time of about one more append for everything else.
On PostgreSQL a raw append is BEGIN, LOCK, INSERT, COMMIT; a decision is BEGIN, 18 statements
(5 of them the audit trail's) and COMMIT. The "none" row is the floor: 61-86 % on SQLite and
54-71 % on PostgreSQL in runs on 2026-11-24, where all five read models gave 19-28 % and 13-22 %
on this 2-core VM. That is what committing every read model with its command gives; the closing
notes of issue 3 say so, and which decision it waits on.

Figures only: nothing is asserted. Run with `make bench`, or
`.venv/bin/python bench/record_decisions.py [--decisions N]` (default N = 500).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, MetaData

from cotrace.services import open_services
from domain.decisions import Decision
from projections.audit_trail import AuditTrail
from projections.registry import all_projections
from projections.runner import Projection

TODAY = date(2026, 6, 1)
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def bench_application(url: str, n: int, projections: list[Projection]) -> tuple[float, list[float]]:
    """Records n decisions as a request would; returns (decisions/s, latencies in seconds)."""
    services = open_services(url, today=lambda: TODAY, projections=projections)
    try:
        app, actor = services.app, services.app.create_local_operator()
        partnership = app.form_partnership(actor, "Bench partnership")
        a = app.register_participant(actor, "Ann", "home_educator")
        b = app.register_participant(actor, "Bob", "local_authority")
        for p in (a, b):
            app.add_member(actor, partnership, p, date(2026, 1, 1))
        policy = app.start_policy(actor, partnership, "EHE policy", "citizens", date(2026, 1, 5))
        meeting = app.schedule_meeting(actor, partnership, "Meeting", date(2026, 2, 1), "Library")
        app.record_attendance(actor, meeting, [a, b], [])
        services.read_models.catch_up()
        latencies = []
        started = time.perf_counter()
        for i in range(n):
            t0 = time.perf_counter()
            services.run(
                lambda app, actor, i=i: app.record_decision(
                    actor,
                    meeting,
                    policy,
                    text=f"Decision {i}",
                    stage="co_commission",
                    proposed_by=a,
                    decided_by=[a, b],
                    method="consensus",
                ),
                actor,
            )
            latencies.append(time.perf_counter() - t0)
        return n / (time.perf_counter() - started), latencies
    finally:
        services.close()


def bench_raw(url: str, n: int) -> float:
    """Appends n stored events one per call straight to the recorder; returns appends/s."""
    services = open_services(url, today=lambda: TODAY)
    try:
        app, actor = services.app, services.app.create_local_operator()
        a, b = uuid.uuid4(), uuid.uuid4()
        stored = [
            app.mapper.to_stored_event(event)
            for i in range(n)
            for event in Decision(
                policy_id=uuid.uuid4(),
                meeting_id=uuid.uuid4(),
                stage="co_commission",
                cycle=1,
                text=f"Decision {i}",
                proposed_by=a,
                decided_by=[a, b],
                decision_maker_groups=["home_educator", "local_authority"],
                method="consensus",
                votes=None,
                happened_on=date(2026, 2, 1),
                recorded_by=actor,
            ).collect_events()
        ]
        started = time.perf_counter()
        for event in stored:
            app.recorder.insert_events([event])
        return len(stored) / (time.perf_counter() - started)
    finally:
        services.close()


@contextmanager
def postgres_url(admin: psycopg.Connection) -> Iterator[Callable[[str], str]]:
    created: list[str] = []

    def fresh(label: str) -> str:
        name = f"cotrace_bench_{label}_{uuid.uuid4().hex[:12]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return PG_URL.format(name=name)

    try:
        yield fresh
    finally:
        for name in created:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class NoReadModel:
    """A projection that writes nothing: what the unit of work costs before any read model's work
    (the log head, the command, moving a position, the commit)."""

    name = "no_read_model"
    metadata = MetaData()

    def process_event(self, conn: Connection, event: Any, position: int) -> None:
        pass


# What each unit of work keeps up to date: every read model, as served; issue 3's one projection
# alone, to show what the other four cost; and none, the floor no read model can go below.
READ_MODELS = {
    "all five": all_projections,
    "audit only": lambda: [AuditTrail()],
    "none": lambda: [NoReadModel()],
}


def run(database: str, urls: Callable[[str], str], n: int) -> None:
    measured = {
        name: bench_application(urls(f"app_{i}"), n, make())
        for i, (name, make) in enumerate(READ_MODELS.items())
    }
    raw = bench_raw(urls("raw"), n)
    for name, (rate, latencies) in measured.items():
        p50 = statistics.median(latencies) * 1000
        p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if n > 1 else p50
        print(
            f"{database:<11} {name:<11} {rate:>11,.0f}  {raw:>13,.0f}  {rate / raw:>5.0%}  {'none':>7}"
            f"  {p50:>6.2f}  {p95:>6.2f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=500, help="N (default 500)")
    n = parser.parse_args().decisions
    print(
        f"Cotrace bench: {n} decisions; {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f" ({sys.implementation.name}), {platform.system()} {platform.machine()}\n"
    )
    print("database    projections decisions/s  raw appends/s  ratio   target  p50 ms  p95 ms")
    with tempfile.TemporaryDirectory(prefix="cotrace_bench_") as folder:
        run("sqlite", lambda db: f"sqlite:///{Path(folder).resolve()}/{db}.db", n)
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"postgresql  not measured: no answer from {PG_ADMIN} ({str(error).strip()})")
        return
    with admin, postgres_url(admin) as urls:
        run("postgresql", urls, n)


if __name__ == "__main__":
    main()
