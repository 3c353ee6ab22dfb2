"""Crash rounds, many more than CI runs: a writer process adding agenda items is killed with SIGKILL
at a random (seeded) moment, and after each round nothing acknowledged is missing, nothing is there
twice, the form in flight sent again records once, the seal verifies, and the read models equal a
rebuild (`tests/integration/test_crash_rounds.py`, whose checks these are). Prints the figures; a
failed check stops it with the round's assertion.

    PYTHONPATH=. .venv/bin/python bench/crash_rounds.py [--rounds 200] [--seed 14] [--database-url URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.integration.test_crash_rounds import SEED, crash_rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'cotrace.db'}"
        started = time.monotonic()
        acknowledged = crash_rounds(url, Path(folder), args.rounds, args.seed)
        took = time.monotonic() - started
    kind = url.split(":")[0]
    print(f"{args.rounds} rounds passed on {kind} in {took:.0f} s ({took / args.rounds:.2f} s a round)")
    print(
        f"commands acknowledged before each kill: total {sum(acknowledged)}, "
        f"min {min(acknowledged)}, max {max(acknowledged)}; rounds killed before any: {acknowledged.count(0)}"
    )


if __name__ == "__main__":
    main()
