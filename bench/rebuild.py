"""How fast `cotrace rebuild` applies the log: events/s, peak memory, and the ratio to a raw read of
the notification log in the same run (issue 14: 1,000,000 events in under 3 minutes, under 512 MB).

The store is the generated one (`bench/generate.py`, the cached SQLite file in bench/.data/), or a
PostgreSQL database: `--postgresql` keeps one per size and seed on 127.0.0.1:5432 and fills it the
first time; `--database-url URL` (or DATABASE_URL) rebuilds the store at URL as it is, filling it
first only if it holds no event. The rebuild (`ReadModels.rebuild`, what `cotrace rebuild` calls)
runs in a child process, so its peak resident memory (`RUSAGE_CHILDREN`) is its own. The raw read
is `ReadModels.read_the_log`: every notification, as stored, in the rebuild's batches; the floor a
rebuild cannot go below, and what `cotrace rebuild` prints its own ratio to.

Figures only: nothing is asserted.

    PYTHONPATH=. .venv/bin/python bench/rebuild.py [--events 1000000] [--seed 14] [--batch 1000]
        [--only NAME ...] [--processes N ...] [--postgresql | --database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import SHAPE, TODAY, create_database_if_missing, generate, generated_store  # noqa: E402

from cotrace import rebuilding  # noqa: E402
from cotrace.services import open_services  # noqa: E402
from projections.runner import REBUILD_BATCH  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
# Written in a PostgreSQL store once the generator has finished filling it.
FILLED = "bench_generated"

CHILD = """
import json, sys, time
from datetime import date
from cotrace import rebuilding
from cotrace.services import open_services
url, today, batch, processes = sys.argv[1], date.fromisoformat(sys.argv[2]), *map(int, sys.argv[3:5])
only = sys.argv[5:]
services = open_services(url, today=lambda: today, catch_up=False)
started = time.perf_counter()
rebuilt = rebuilding.rebuild(services, only=only or None, batch_size=batch, processes=processes)
seconds = time.perf_counter() - started
print(json.dumps({"applied": rebuilt.applied, "seconds": seconds, "peak_kib": rebuilt.peak_kib}))
services.close()
"""


def postgresql_store(events: int, seed: int) -> str:
    """A database of its own for this size and seed, filled by the generator the first time."""
    import psycopg

    name = f"cotrace_bench_{events}_seed{seed}_shape{SHAPE}"
    url = PG_SERVER + name
    admin_url = PG_SERVER.replace("+psycopg", "") + "postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if exists:
        with psycopg.connect(url.replace("+psycopg", "")) as conn:
            filled = conn.execute("SELECT to_regclass(%s)", (FILLED,)).fetchone()[0]
        if filled:
            return url
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    generate(url, events, seed)
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {FILLED} (events integer)")
    return url


def store_at(url: str, events: int, seed: int) -> str:
    """The store at `url`, filled by the generator first if it holds no event (a PostgreSQL
    database the server does not have is created)."""
    create_database_if_missing(url)
    services = open_services(url, today=lambda: TODAY, catch_up=False)
    try:
        empty = not services.app.recorder.max_notification_id()
    finally:
        services.close()
    if empty:
        generate(url, events, seed)
    return url


def raw_read(url: str, batch: int) -> tuple[int, float]:
    """How many notifications the log holds, and the seconds reading them all took."""
    services = open_services(url, today=lambda: TODAY, catch_up=False)
    try:
        started = time.perf_counter()
        count = services.read_models.read_the_log(batch)
        return count, time.perf_counter() - started
    finally:
        services.close()


def rebuild_in_a_child(url: str, batch: int, only: list[str], processes: int) -> tuple[int, float, float]:
    """Events applied, the seconds the rebuild took, and its peak resident memory in MB: the child's,
    or with several processes theirs added together (each measures its own)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, TODAY.isoformat(), str(batch), str(processes), *only],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["applied"], figures["seconds"], figures["peak_kib"] / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--batch", type=int, default=REBUILD_BATCH, help="events a transaction")
    parser.add_argument("--only", action="append", default=[], help="rebuild this read model alone")
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1, rebuilding.default_processes()],
        help="rebuild with each of these numbers of processes in turn (default: 1, then one a core)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgresql", action="store_true", help="a generated store on 127.0.0.1:5432")
    where.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="a store to rebuild")
    args = parser.parse_args()
    if args.postgresql:
        url = postgresql_store(args.events, args.seed)
    elif args.database_url:
        url = store_at(args.database_url, args.events, args.seed)
    else:
        url = generated_store(args.events, args.seed)
    events, raw = raw_read(url, args.batch)
    for processes in args.processes:
        applied, took, peak_mb = rebuild_in_a_child(url, args.batch, args.only, processes)
        rate = applied / took
        print(
            f"rebuild of {applied:,} events ({url.split(':')[0]}, batches of {args.batch:,}, "
            f"{processes} process{'es' if processes > 1 else ''}):"
        )
        print(f"  {took:,.1f} s, {rate:,.0f} events/s; 1M at this rate {1e6 / rate:,.0f} s (target < 180 s)")
        print(f"  peak RSS {peak_mb:,.0f} MB (target < 512 MB)")
        print(f"  raw read of the log ({events:,} notifications) {raw:,.2f} s: rebuild {took / raw:,.1f}x")


if __name__ == "__main__":
    main()
