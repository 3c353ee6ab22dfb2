"""How long loading a long aggregate takes (`repository.get`), with and without a snapshot (issue 14).

Which aggregates grow long: a meeting, a decision and a contribution are aggregates of their own, so
a partnership's 3,000 meetings and a policy's 18,053 trail facts are mostly events of *other*
aggregates. What does grow: a policy's own events (stage moves, ratings, versions, rung claims, its
transparency page) and a partnership's (members joining, roles granted). This makes each, in a
temporary SQLite file or with `--postgresql` a fresh PostgreSQL database, at the lengths given,
with the real commands, and times loading it from the store (the aggregate cache emptied, as
after another process wrote): replaying every event, and from its latest snapshot (a policy's are
taken every `POLICY_SNAPSHOT_INTERVAL` events as it is saved).

Figures only. `.venv/bin/python bench/aggregate_loading.py [--lengths 100,1000,5000] [--postgresql]`
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cotrace.services import CACHED_AGGREGATES, ServedCotrace, open_services  # noqa: E402
from domain.application import POLICY_SNAPSHOT_INTERVAL  # noqa: E402
from domain.vocabulary import STAKEHOLDER_GROUPS  # noqa: E402

TODAY = date(2026, 6, 1)
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def timed_loads(app: ServedCotrace, aggregate_id: uuid.UUID, snapshots: bool, times: int = 5) -> float:
    """The median time to load the aggregate from the store, in milliseconds, reading its latest
    snapshot or not."""
    from eventsourcing.application import LRUCache

    kept = app.repository.snapshot_store
    app.repository.snapshot_store = kept if snapshots else None
    seconds = []
    try:
        for _ in range(times):
            app.repository.cache = LRUCache(maxsize=CACHED_AGGREGATES)
            started = time.perf_counter()
            app.repository.get(aggregate_id)
            seconds.append(time.perf_counter() - started)
    finally:
        app.repository.snapshot_store = kept
    return statistics.median(seconds) * 1000


def measure(url: str, lengths: list[int]) -> None:
    services = open_services(url, today=lambda: TODAY)
    app = services.app
    try:
        actor = app.create_local_operator()
        groups = list(STAKEHOLDER_GROUPS)
        print(f"policies snapshotted every {POLICY_SNAPSHOT_INTERVAL} events; partnerships never")
        print(f"{'aggregate':<12} {'events':>7} {'replayed (ms)':>14} {'from its snapshot (ms)':>23}")
        for length in lengths:
            partnership = app.form_partnership(actor, f"Partnership {length}")
            for i in range(length - 1):
                person = app.register_participant(actor, f"P{i}", groups[i % len(groups)])
                app.add_member(actor, partnership, person, TODAY - timedelta(days=400))
            policy = app.start_policy(
                actor, partnership, f"Policy {length}", "citizens", TODAY - timedelta(days=300)
            )
            started = time.perf_counter()
            for i in range(length - 1):
                app.rate_policy(actor, policy, f"Aspect {i}", "green", happened_on=TODAY - timedelta(days=1))
            rating = (time.perf_counter() - started) / max(length - 1, 1) * 1000
            for kind, aggregate_id in (("partnership", partnership), ("policy", policy)):
                version = app.repository.get(aggregate_id).version
                replayed = timed_loads(app, aggregate_id, snapshots=False)
                snapshotted = timed_loads(app, aggregate_id, snapshots=True) if kind == "policy" else None
                shown = f"{snapshotted:>23.1f}" if snapshotted is not None else f"{'-':>23}"
                print(f"{kind:<12} {version:>7} {replayed:>14.1f} {shown}")
            print(f"  (each rating of the policy, snapshots taken on the way: {rating:.2f} ms, cached)")
    finally:
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lengths", default="100,1000,5000")
    parser.add_argument("--postgresql", action="store_true")
    options = parser.parse_args()
    lengths = [int(n) for n in options.lengths.split(",")]
    if not options.postgresql:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{folder}/cotrace.db", lengths)
        return
    import psycopg

    name = f"cotrace_loading_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        measure(PG_URL.format(name=name), lengths)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
