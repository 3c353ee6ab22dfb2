"""Each page's p50/p95 and size for one client, and its throughput at 20 clients, on the demo store
and on the generated large store, in the same run.

Targets (issue 14): with 1,000,000 events every page at p95 <= 50 ms for one client and <= 100 KiB
of HTML; at 20 concurrent clients no errors and at least half the throughput the same page has on
the demo store. The pages: the largest policy's trail, its evidence page, its partnership's
dashboard, the largest partnership's page, a typical policy, the largest policy's trail as of a
day (target <= 200 ms), a decision's provenance.

How it is measured: the app is served as in production, by `cotrace serve` (gunicorn, its default
workers and threads for this machine) in a process of its own on 127.0.0.1, and the clients are
threads of this process with `http.client`, signed in as an admin (a server-side session, its cookie
signed with the secret key the server is given). A single client times each page `--requests`
times; the load generator runs 20 clients for `--seconds` per page, each sending one request after
another (bounded: a fixed duration, then they stop). The demo store and the large one are served
the same way, one after the other, so the ratio compares like with like. With `--database-url`
(an empty PostgreSQL database) the large store is generated there, and the demo goes in a
database of its own beside it, made and dropped by this script.

    .venv/bin/python bench/pages.py [--events 1000000] [--requests 50] [--seconds 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import TODAY, database_beside, generated_store  # noqa: E402

from cotrace import sign_in_sessions  # noqa: E402
from cotrace.accounts import create_admin  # noqa: E402
from cotrace.demo import load_demo  # noqa: E402
from cotrace.services import open_services  # noqa: E402
from projections.directory_tables import contributions, decisions, meetings, policies  # noqa: E402
from web import create_app  # noqa: E402

CLIENTS = 20
SECRET_KEY = "bench-pages-" + "k" * 32
COTRACE = str(Path(sys.executable).parent / "cotrace")


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
    """`cotrace serve` on a free port of 127.0.0.1, and the cookie of an admin signed in to it."""

    def __init__(self, url: str, instance: str) -> None:
        settings = {"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}
        app = create_app(settings | {"TODAY": lambda: TODAY}, instance_path=instance)
        services = app.extensions["cotrace"]
        try:
            now = datetime.now(UTC)
            admin = create_admin(
                services, "Bench Admin", f"bench{time.time_ns()}@example.org", "x" * 8 + "Aa9!q" * 3, now
            )
            with services.engine.begin() as conn:
                token = sign_in_sessions.open_session(conn, "account", admin, now, True)
            client = app.test_client()
            with client.session_transaction() as cookie:
                cookie["sid"] = token
            self.cookie = f"session={client.get_cookie('session').value}"
        finally:
            services.close()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        environment = os.environ | {f"COTRACE_{key}": value for key, value in settings.items()}
        environment["COTRACE_INSTANCE_PATH"] = instance
        self.log = open(f"{instance}/serve.log", "wb")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [COTRACE, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_answering()

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"cotrace serve stopped: see {self.log.name}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                self.get(connection, "/")
                connection.close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"cotrace serve did not answer in 60 s: see {self.log.name}")

    def get(self, connection: http.client.HTTPConnection, path: str) -> tuple[int, int]:
        connection.request("GET", path, headers={"Cookie": self.cookie})
        response = connection.getresponse()
        return response.status, len(response.read())

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


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


def demo_store(url: str) -> str:
    services = open_services(url, today=lambda: TODAY)
    try:
        services.run(lambda app, actor: load_demo(app, actor, TODAY), services.app.create_local_operator())
    finally:
        services.close()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--database-url", help="a PostgreSQL database holding the large store, generated there if empty"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cotrace_bench_pages_") as folder:
        if args.database_url:
            backend, large = "PostgreSQL", generated_store(args.events, args.seed, args.database_url)
            with database_beside(large, f"cotrace_bench_demo_{os.getpid()}") as demo_url:
                demo = measure(demo_store(demo_url), f"{folder}/demo-instance", args.requests, args.seconds)
        else:
            backend = "SQLite"
            cached = generated_store(args.events, args.seed).removeprefix("sqlite:///")
            shutil.copy(cached, f"{folder}/large.db")  # the admin and sessions go in the copy
            large = f"sqlite:///{folder}/large.db"
            demo_url = demo_store(f"sqlite:///{folder}/demo.db")
            demo = measure(demo_url, f"{folder}/demo-instance", args.requests, args.seconds)
        big = measure(large, f"{folder}/large-instance", args.requests, args.seconds)
    print(
        f"pages, {backend}, cotrace serve (gunicorn) over 127.0.0.1; {args.requests} requests for one"
        f" client, {CLIENTS} clients for {args.seconds:.0f} s; large store {args.events:,} events"
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
