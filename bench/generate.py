"""A large council's store, made through Cotrace's own commands: the data set the benchmarks read.

Shapes, for 1,000,000 events (scaled for another size): about 236 partnerships and 1,300 policies,
most of them small; one partnership with 3,000 meetings; one policy whose trail has about 18,000
facts. Each meeting has its members present; contributions are made at it and answered; a decision
cites them, and every few decisions one opens the next stage of the Iriss cycle (co-assess opening
the next cycle).

Every event is made by the application's own command (`app.record_decision`, ...), so the events,
the seal's leaves and the read models are exactly those the web would write. What makes it fast:
many commands run in one unit of work (`Services.run`, as `cotrace import` runs a whole history),
so each transaction commits a few thousand events, their leaves and the read models' rows, where
a web request commits one command's.

The store is cached under bench/.data/, keyed by its parameters, and reused by the other
benchmarks: `generated_store(events, seed)` returns its URL, making it first if needed.

    .venv/bin/python bench/generate.py [--events 1000000] [--seed 14] [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import create_engine, make_url

from cotrace.services import Services, open_services
from domain.application import Cotrace

TODAY = date(2026, 6, 1)
FIRST_DAY = date(2010, 1, 1)
DATA = Path(__file__).resolve().parent / ".data"
MEETINGS_PER_UNIT = 200  # about 1,600 events per unit of work
GROUPS = (
    "home_educator",
    "parent_carer",
    "young_person",
    "local_authority",
    "education",
    "health",
    "social_care",
    "voluntary_sector",
)
# Schedule, attendance, 2 contributions, 2 responses, a decision, a stage every fourth decision
# (7.25), and the partnerships', people's and policies' own: 91,266 events for 12,500 meetings.
EVENTS_PER_MEETING = 7.3
# Part of a cached store's name: raised when the shape changes, so a store of the old one is not
# reused (shape 1 counted 8 events a meeting, and its "1,000,000" store held 785,497; shape 2 left
# out the meetings over a partnership's cap, and held 857,024).
SHAPE = 3


@dataclass
class Shape:
    """How many of each thing, for a target number of events."""

    partnerships: int
    policies: int
    big_meetings: int  # meetings of the largest partnership, all about its largest policy
    meetings: int  # meetings of every other partnership together

    @classmethod
    def of(cls, events: int) -> Shape:
        scale = events / 1_000_000
        big = max(20, round(3000 * scale))
        return cls(
            partnerships=max(3, round(236 * scale)),
            policies=max(6, round(1292 * scale)),
            big_meetings=big,
            meetings=max(10, int(events / EVENTS_PER_MEETING) - big),
        )


@dataclass
class Partnership:
    id: UUID
    members: list[UUID]
    policies: list[UUID] = field(default_factory=list)
    day: date = FIRST_DAY


def store_path(events: int, seed: int) -> Path:
    return DATA / f"store-{events}-seed{seed}-shape{SHAPE}.db"


def generated_store(events: int, seed: int = 14, database_url: str | None = None) -> str:
    """The URL of a generated store of about `events` events: the cached SQLite file, made if missing.
    A `database_url` (PostgreSQL) is filled if it holds no events yet, else used as it is."""
    if database_url is not None:
        create_database_if_missing(database_url)
        if not _holds_events(database_url):
            generate(database_url, events, seed)
            analyze(database_url)
        return database_url
    path = store_path(events, seed)
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.db")
        for leftover in DATA.glob(partial.name + "*"):
            leftover.unlink()
        generate(f"sqlite:///{partial}", events, seed)
        partial.rename(path)
    return f"sqlite:///{path}"


def analyze(url: str) -> None:
    """ANALYZE the whole database, as a production server's autovacuum would have by the time a
    store held this much (this machine's PostgreSQL runs with it off): without statistics its
    planner chose sequential scans of the audit trail for a page's proofs."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


@contextmanager
def database_beside(url: str, name: str) -> Iterator[str]:
    """An empty PostgreSQL database on the server of `url`, dropped afterwards."""
    server = make_url(url)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def create_database_if_missing(url: str) -> None:
    """Creates the PostgreSQL database `url` names, if its server does not have it yet."""
    server = make_url(url)
    if server.get_backend_name() != "postgresql":
        return
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": server.database}
            ).first()
            if found is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{server.database}"')
    finally:
        admin.dispose()


def _holds_events(url: str) -> bool:
    services = open_services(url, today=lambda: TODAY)
    try:
        return bool(services.read_models.head())
    finally:
        services.close()


def generate(url: str, events: int, seed: int, progress: bool = True) -> float:
    """Makes the store at `url`; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    shape = Shape.of(events)
    services = open_services(url, today=lambda: TODAY)
    try:
        actor = services.app.create_local_operator()
        partnerships = _partnerships(services, actor, shape, rng)
        plan = _meeting_plan(partnerships, shape, rng)
        done, decided, size = 0, {}, MEETINGS_PER_UNIT
        for number, start in enumerate(range(0, len(plan), size)):
            chunk = plan[start : start + size]
            services.run(
                lambda app, actor, chunk=chunk: [_meeting(app, actor, *m, decided) for m in chunk], actor
            )
            done += len(chunk)
            if progress and number % 20 == 0:
                head = services.read_models.head() or 0
                elapsed = time.perf_counter() - started
                print(
                    f"  {head:>9,} events, {done:,}/{len(plan):,} meetings, {elapsed:,.0f} s", file=sys.stderr
                )
    finally:
        services.close()
    return time.perf_counter() - started


def _partnerships(services: Services, actor: UUID, shape: Shape, rng: random.Random) -> list[Partnership]:
    def make(app: Cotrace, actor: UUID) -> list[Partnership]:
        made = []
        for number in range(shape.partnerships):
            partnership = app.form_partnership(actor, f"Partnership {number + 1}")
            members = []
            for i in range(rng.randint(6, 10)):
                group = GROUPS[i % len(GROUPS)] if i < 4 else rng.choice(GROUPS)
                person = app.register_participant(actor, f"Member {number + 1}.{i + 1}", group)
                app.add_member(actor, partnership, person, FIRST_DAY)
                members.append(person)
            app.appoint_chair(actor, partnership, members[0])
            made.append(Partnership(partnership, members))
        # The largest partnership holds the largest policy; the others share the rest.
        for number in range(shape.policies):
            owner = made[0] if number == 0 else made[1 + (number - 1) % (len(made) - 1)]
            initiated = "citizens" if number % 3 else "authority"
            owner.policies.append(
                app.start_policy(actor, owner.id, f"Policy {number + 1}", initiated, FIRST_DAY)
            )
        return made

    return services.run(make, actor)


def _meeting_plan(
    partnerships: list[Partnership], shape: Shape, rng: random.Random
) -> list[tuple[Partnership, UUID, date]]:
    """(partnership, policy, day) for each meeting, each partnership's meetings a day or more apart."""
    plan = []
    big = partnerships[0]
    for _ in range(shape.big_meetings):
        big.day += timedelta(days=1)
        plan.append((big, big.policies[0], big.day))
    others = partnerships[1:]
    span = (TODAY - FIRST_DAY).days - 1
    for partnership, count in zip(others, _shares(shape.meetings, len(others), rng), strict=True):
        step = max(1, span // max(1, count))
        for _ in range(count):
            partnership.day += timedelta(days=step)
            plan.append((partnership, rng.choice(partnership.policies), partnership.day))
    plan.sort(key=lambda m: m[2])  # history in the order it happened
    return plan


def _shares(total: int, parts: int, rng: random.Random) -> list[int]:
    """A few partnerships with many meetings, most with few (a long tail), `total` in all: what a
    partnership would have over the cap goes to the others, by their weights (shape 2 dropped it,
    and its "1,000,000" store held 857,024 events)."""
    weights = [rng.paretovariate(1.5) for _ in range(parts)]
    cap = 2900  # no other partnership outgrows the largest one
    capped: set[int] = set()
    while True:
        left = total - cap * len(capped)
        free = [i for i in range(parts) if i not in capped]
        scale = left / sum(weights[i] for i in free)
        over = {i for i in free if weights[i] * scale > cap}
        if not over:
            break
        capped |= over
    return [cap if i in capped else max(1, round(weights[i] * scale)) for i in range(parts)]


def _meeting(
    app: Cotrace, actor: UUID, partnership: Partnership, policy: UUID, day: date, decided: dict[UUID, int]
) -> None:
    """One meeting, as a chair records it: attendance, two contributions answered, a decision citing them."""
    meeting = app.schedule_meeting(actor, partnership.id, "Partnership meeting", day, "Town hall")
    present = partnership.members
    app.record_attendance(actor, meeting, present, [])
    contributions = []
    for contributor, kind in ((present[0], "view"), (present[1], "suggestion")):
        contribution = app.submit_contribution(
            actor, policy, contributor, kind, f"What {kind} was given on {day}", "meeting", meeting_id=meeting
        )
        app.respond_to_contribution(
            actor,
            contribution,
            "adopted",
            "We changed the draft",
            present[-1],
            min(day + timedelta(days=7), TODAY),
        )
        contributions.append(contribution)
    stage = _decision_stage(app, policy, decided)
    app.record_decision(
        actor,
        meeting,
        policy,
        text=f"Agreed on {day}",
        stage=stage,
        proposed_by=present[0],
        decided_by=present[:3],
        method="consensus",
        cites=contributions,
    )


def _decision_stage(app: Cotrace, policy_id: UUID, decided: dict[UUID, int]) -> str:
    """Every fourth decision on a policy opens its next stage, round the Iriss cycle."""
    decided[policy_id] = decided.get(policy_id, 0) + 1
    policy = app.repository.get(policy_id, deepcopy_from_cache=False)
    return policy.following_stage()[0] if decided[policy_id] % 4 == 0 else policy.current.stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--database-url", help="a PostgreSQL database to fill (default: the cached SQLite file)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    url = generated_store(args.events, args.seed, args.database_url)
    print(f"generated store: {url} ({time.perf_counter() - started:,.0f} s)")


if __name__ == "__main__":
    main()
