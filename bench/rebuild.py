"""How long `cotrace rebuild` takes on the generated store, its peak memory, and its ratio to a raw
read of the notification log in the same run.

Targets (issue 14): 1,000,000 events rebuilt in under 3 minutes, in less than 512 MB. The rebuild
runs in a subprocess (`ReadModels.rebuild`, what `cotrace rebuild` calls) so its peak RSS is its own
(`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`); the raw read is `ReadModels.read_the_log`,
the log read in the rebuild's own batches: the read a rebuild cannot go below.

    .venv/bin/python bench/rebuild.py [--events 1000000] [--seed 14]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import TODAY, generated_store  # noqa: E402

from cotrace.services import open_services  # noqa: E402

CHILD = """
import sys
from datetime import date
from cotrace.services import open_services
services = open_services(sys.argv[1], today=lambda: date.fromisoformat(sys.argv[2]), catch_up=False)
print(services.read_models.rebuild())
services.close()
"""


def raw_read(url: str) -> tuple[int, float]:
    """The floor, read as the rebuild reads the log (`ReadModels.read_the_log`, which `cotrace
    rebuild` prints its ratio to): how many notifications, and the seconds it took."""
    services = open_services(url, today=lambda: TODAY, catch_up=False)
    try:
        started = time.perf_counter()
        count = services.read_models.read_the_log()
        return count, time.perf_counter() - started
    finally:
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--database-url", help="a PostgreSQL database to generate into and rebuild")
    args = parser.parse_args()
    url = generated_store(args.events, args.seed, args.database_url)
    events, raw = raw_read(url)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD, url, TODAY.isoformat()], check=True, capture_output=True)
    took = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"rebuild of {events:,} events ({url.split(':')[0]}): {took:,.1f} s (target < 180 s at 1M),")
    print(
        f"  peak RSS {peak_mb:,.0f} MB (target < 512 MB), raw read of the log {raw:,.1f} s,"
        f" ratio {took / raw:,.1f}x"
    )


if __name__ == "__main__":
    main()
