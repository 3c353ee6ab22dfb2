"""Each page's p50/p95 and size for one client, and its throughput at 20 clients, on the demo store
and on the generated large store, in the same run.

Targets (issue 14): with 1,000,000 events every page at p95 <= 50 ms for one client and <= 100 KiB
of HTML; at 20 concurrent clients no errors and at least half the throughput the same page has on
the demo store. The pages: the largest policy's trail, its evidence page, its partnership's
dashboard, the largest partnership's page, a typical policy, the largest policy's trail as of a
day (target <= 200 ms), a decision's provenance.

How it is measured: the app (`web.create_app`) is served over real HTTP on 127.0.0.1 by werkzeug's
threaded server in this process, and the clients are threads with `http.client`, signed in as an
admin (a server-side session, its cookie signed by the app). A single client times each page
`--requests` times; the load generator runs 20 clients for `--seconds` per page, each sending one
request after another (bounded: a fixed duration, then they stop). Client and server share this
process and its GIL, on the demo store and the large one alike, so the ratio compares like with like;
gunicorn (`cotrace serve`) would spread the server over its workers.

    .venv/bin/python bench/pages.py [--events 1000000] [--requests 50] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import TODAY, generated_store  # noqa: E402

from cotrace import sign_in_sessions  # noqa: E402
from cotrace.accounts import create_admin  # noqa: E402
from cotrace.demo import load_demo  # noqa: E402
from cotrace.services import open_services  # noqa: E402
from projections.directory_tables import contributions, decisions, meetings, policies  # noqa: E402
from web import create_app  # noqa: E402

CLIENTS = 20


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any) -> None:
        pass  # thousands of requests: the table is the output


def pages_of(url: str) -> dict[str, str]:
    """The addresses of the pages measured, chosen in the store by size."""
    services = open_services(url, today=lambda: TODAY)
    try:
        with services.engine.connect() as conn:
            by_facts = conn.execute(
                select(contributions.c.policy_id, func.count().label("n"))
                .group_by(contributions.c.policy_id)
                .order_by(func.count().desc())
            ).all()
            largest, typical = by_facts[0].policy_id, by_facts[len(by_facts) // 2].policy_id
            partnership = conn.scalar(select(policies.c.partnership_id).where(policies.c.id == largest))
            busiest = conn.scalar(
                select(meetings.c.partnership_id)
                .group_by(meetings.c.partnership_id)
                .order_by(func.count().desc())
                .limit(1)
            )
            decision = conn.scalar(select(decisions.c.id).where(decisions.c.policy_id == largest).limit(1))
            started = conn.scalar(select(policies.c.started_on).where(policies.c.id == largest))
    finally:
        services.close()
    as_of = started + (TODAY - started) / 2
    return {
        "largest policy's trail": f"/policies/{largest}",
        "its evidence page": f"/policies/{largest}/evidence",
        "its partnership's dashboard": f"/partnerships/{partnership}/dashboard",
        "largest partnership's page": f"/partnerships/{busiest}",
        "a typical policy": f"/policies/{typical}",
        "trail as of a day": f"/policies/{largest}?as_of={as_of.isoformat()}",
        "a decision's provenance": f"/decisions/{decision}",
    }


class Served:
    """The app on 127.0.0.1, and the cookie of an admin signed in to it."""

    def __init__(self, url: str, instance: str) -> None:
        self.app = create_app(
            {"DATABASE_URL": url, "TODAY": lambda: TODAY, "SECRET_KEY": "bench"}, instance_path=instance
        )
        services = self.app.extensions["cotrace"]
        now = datetime.now(UTC)
        admin = create_admin(
            services, "Bench Admin", f"bench{time.time_ns()}@example.org", "x" * 8 + "Aa9!q" * 3, now
        )
        with services.engine.begin() as conn:
            token = sign_in_sessions.open_session(conn, "account", admin, now, True)
        client = self.app.test_client()
        with client.session_transaction() as cookie:
            cookie["sid"] = token
        session = client.get_cookie("session")
        self.cookie = f"session={session.value}"
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=QuietHandler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def get(self, connection: http.client.HTTPConnection, path: str) -> tuple[int, int]:
        connection.request("GET", path, headers={"Cookie": self.cookie})
        response = connection.getresponse()
        return response.status, len(response.read())

    def close(self) -> None:
        self.server.shutdown()
        self.app.extensions["cotrace"].close()


def single(served: Served, path: str, requests: int) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    status, size = served.get(connection, path)  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        status, size = served.get(connection, path)
        times.append(time.perf_counter() - started)
    connection.close()
    p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
    return {"status": status, "kib": size / 1024, "p50": statistics.median(times) * 1000, "p95": p95 * 1000}


def load(served: Served, path: str, seconds: float) -> dict[str, float]:
    done, errors, lock = [0], [0], threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
        while time.perf_counter() < stop:
            try:
                status, _ = served.get(connection, path)
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
            with lock:
                done[0] += ok
                errors[0] += not ok
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rps": done[0] / seconds, "errors": errors[0]}


def measure(url: str, instance: str, requests: int, seconds: float) -> dict[str, dict[str, Any]]:
    pages = pages_of(url)
    served = Served(url, instance)
    try:
        return {
            name: single(served, path, requests) | load(served, path, seconds) for name, path in pages.items()
        }
    finally:
        served.close()


def demo_store(folder: str) -> str:
    url = f"sqlite:///{folder}/demo.db"
    services = open_services(url, today=lambda: TODAY)
    try:
        services.run(
            lambda app, actor: load_demo(app, actor, TODAY - timedelta(days=0)),
            services.app.create_local_operator(),
        )
    finally:
        services.close()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    large = generated_store(args.events, args.seed).removeprefix("sqlite:///")
    with tempfile.TemporaryDirectory(prefix="cotrace_bench_pages_") as folder:
        shutil.copy(large, f"{folder}/large.db")  # the admin and sessions go in the copy
        demo = measure(demo_store(folder), f"{folder}/demo-instance", args.requests, args.seconds)
        big = measure(f"sqlite:///{folder}/large.db", f"{folder}/large-instance", args.requests, args.seconds)
    print(
        f"pages, SQLite, werkzeug over 127.0.0.1; {args.requests} requests for one client, {CLIENTS} clients"
        f" for {args.seconds:.0f} s; large store {args.events:,} events"
    )
    print(
        f"{'page':<29} {'store':<6} {'status':>6} {'KiB':>7} {'p50 ms':>7} {'p95 ms':>7} {'req/s@20':>9}"
        f" {'errors':>6} {'vs demo':>7}"
    )
    for name in demo:
        for label, row in (("demo", demo[name]), ("large", big[name])):
            ratio = f"{row['rps'] / demo[name]['rps']:.2f}" if label == "large" and demo[name]["rps"] else ""
            print(
                f"{name:<29} {label:<6} {row['status']:>6} {row['kib']:>7.1f}"
                f" {row['p50']:>7.1f} {row['p95']:>7.1f}"
                f" {row['rps']:>9.1f} {row['errors']:>6} {ratio:>7}"
            )
    print("targets at 1M: p95 <= 50 ms (as of <= 200 ms), <= 100 KiB, no errors, >= 0.50 of the demo's req/s")


if __name__ == "__main__":
    main()
