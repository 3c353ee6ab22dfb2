"""What sealing adds to a command: a decision recorded as a request records it, with the seal (as
served) and without it (`cotrace.sealing.seal` made a no-op here, in this script alone), on SQLite
and on PostgreSQL, in alternating rounds so the machine's noise falls on both alike.

Sealing a command's events is two indexed reads (the seal's last leaf, any event stored around it),
a canonical JSON and a SHA-256 per event, and one insert: its cost should not grow with the log.

Figures only: nothing is asserted. `.venv/bin/python bench/seal_cost.py [--decisions N] [--rounds R]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from record_decisions import PG_ADMIN, bench_application, postgres_url  # noqa: E402

from cotrace import sealing  # noqa: E402
from projections.registry import all_projections  # noqa: E402


def measure(url_for: Callable[[str], str], n: int, rounds: int) -> dict[str, list[float]]:
    sealed_seal = sealing.seal
    latencies: dict[str, list[float]] = {"with the seal": [], "without": []}
    for round_ in range(rounds):
        for name in ("with the seal", "without"):
            sealing.seal = sealed_seal if name == "with the seal" else (lambda *args, **kwargs: None)
            try:
                _, found = bench_application(url_for(f"{name.split()[0]}_{round_}"), n, all_projections())
            finally:
                sealing.seal = sealed_seal
            latencies[name].extend(found)
    return latencies


def report(database: str, latencies: dict[str, list[float]]) -> None:
    p50 = {name: statistics.median(found) * 1000 for name, found in latencies.items()}
    p95 = {name: statistics.quantiles(found, n=20)[18] * 1000 for name, found in latencies.items()}
    for name in latencies:
        print(f"{database:<11} {name:<14} {p50[name]:>7.2f} {p95[name]:>7.2f}")
    added = p50["with the seal"] - p50["without"]
    print(
        f"{database:<11} {'seal adds':<14} {added:>7.2f} {p95['with the seal'] - p95['without']:>7.2f}"
        f"   ({added / p50['without']:+.0%} at p50)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.decisions} decisions x {args.rounds} rounds each way, all read models\n")
    print("database    sealing         p50 ms  p95 ms")
    with tempfile.TemporaryDirectory(prefix="cotrace_seal_bench_") as folder:
        report(
            "sqlite",
            measure(lambda db: f"sqlite:///{Path(folder).resolve()}/{db}.db", args.decisions, args.rounds),
        )
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"postgresql  not measured: no answer from {PG_ADMIN} ({str(error).strip()})")
        return
    with admin, postgres_url(admin) as urls:
        report("postgresql", measure(urls, args.decisions, args.rounds))


if __name__ == "__main__":
    main()
