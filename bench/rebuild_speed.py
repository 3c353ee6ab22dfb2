"""How fast `cotrace rebuild` applies the log, against a raw read of the notification log (issue 14).

1. A store of about N events made with the real commands (`bench/rebuild_store.py`), its read
   models caught up as a served installation's are: in a temporary SQLite file, or a fresh
   PostgreSQL database on 127.0.0.1:5432 with `--postgresql`; or an existing store, `--url`.
2. `cotrace rebuild` in a child process, as an operator runs it: its own figures (events/s, time,
   the ratio to reading the notification log alone, measured in the same run), and the child's
   peak resident memory.

Figures only: nothing is asserted. The target is 1,000,000 events in under 3 minutes (5,556
events/s) and 512 MB; docs/performance.md has the figures and how they extrapolate.
`.venv/bin/python bench/rebuild_speed.py [--events N] [--batch B] [--only NAME] [--postgresql | --url URL]`
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.rebuild_store import TODAY, make_store  # noqa: E402
from cotrace.services import open_services  # noqa: E402
from projections.runner import REBUILD_BATCH  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def made_store(url: str, events: int) -> None:
    services = open_services(url, today=lambda: TODAY)
    try:
        started = time.perf_counter()
        made = make_store(services.app, events)
        print(f"made a store of {made:,} events in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        services.read_models.catch_up()
        seconds = time.perf_counter() - started
        print(f"caught up as served (batches of 500): {seconds:.1f} s, {made / seconds:,.0f} events/s")
    finally:
        services.close()


def rebuild_in_a_child(url: str, batch: int, only: list[str]) -> None:
    args = ["rebuild", "--batch", str(batch), "--progress-every", "30"]
    for name in only:
        args += ["--only", name]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", *args],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    print(f"child process: {wall:.1f} s wall clock, peak resident memory {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=REBUILD_BATCH)
    parser.add_argument("--only", action="append", default=[])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgresql", action="store_true")
    where.add_argument("--url", help="an existing store: rebuild it, make nothing")
    options = parser.parse_args()
    if options.url:
        rebuild_in_a_child(options.url, options.batch, options.only)
        return
    if options.postgresql:
        import psycopg

        name = f"cotrace_rebuild_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = PG_URL.format(name=name)
            made_store(url, options.events)
            rebuild_in_a_child(url, options.batch, options.only)
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/cotrace.db"
        made_store(url, options.events)
        rebuild_in_a_child(url, options.batch, options.only)


if __name__ == "__main__":
    main()
