"""How long the evidence pages take, and how big they are, for a policy of many facts beside a small one.

Builds two stores with the real commands (a temporary SQLite file each): a large one whose one
policy has about F facts in its trail (default 18,000: issue 14's largest policy at 1,000,000
events), over a partnership of M meetings (one decision each) and P people; and a small one
(200 facts, 20 meetings, 20 people). For each it prints p50 and p95 of R views (default 20) and
the HTML size of:

- the policy's evidence page (today), its verdicts kept from the first view or by the worker;
- the same page's first view after an event changed the policy (nothing kept: judged afresh);
- the partnership's dashboard;
- a meeting page of the partnership;
- the evidence page "as of" a past day, a different day each view, so each is judged afresh.

Targets (issue 14): every page p95 <= 50 ms with one client and <= 100 KiB; "as of" <= 200 ms.
Figures only: nothing is asserted. Run with
`.venv/bin/python bench/evidence_pages.py [--facts F] [--people P] [--views R]`; building the large
store takes a few minutes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import delete, func, select

from cotrace import sign_in_sessions
from cotrace.accounts import open_account
from cotrace.services import open_services
from projections.audit_tables import trail
from projections.evidence import published
from web import create_app

TODAY = date.today()
CITIZENS = ("home_educator", "parent_carer", "young_person")
OTHERS = ("local_authority", "education", "health", "social_care", "voluntary_sector")
STAGES = ("co_commission", "co_design", "co_deliver", "co_assess")
RUNGS = ("co_producing", "co_designing", "engaging", "consulting")


@dataclass
class Store:
    url: str
    partnership: UUID
    policy: UUID
    meeting: UUID
    facts: int


def build(folder: Path, facts: int, people: int, label: str) -> Store:
    """One partnership, one policy of about `facts` facts: a decision at every meeting, citizens'
    and officers' contributions between them, most answered within 40 days, a few rungs claimed."""
    rng = random.Random(14)
    url = f"sqlite:///{folder / (label + '.db')}"
    services = open_services(url, today=lambda: TODAY)
    app = services.app
    actor = app.create_local_operator()
    partnership = app.form_partnership(actor, f"{label} partnership")
    members = []
    for n in range(people):
        group = CITIZENS[n % 3] if n % 2 == 0 else OTHERS[n % 5]
        person = app.register_participant(actor, f"Person {n}", group)
        app.add_member(actor, partnership, person, TODAY - timedelta(days=1200))
        members.append(person)
    started = TODAY - timedelta(days=1100)
    policy = app.start_policy(actor, partnership, f"{label} policy", "citizens", started)
    decisions = max(4, facts // 6)
    contributions = max(4, int((facts - decisions) / 1.8))
    claims = max(4, facts // 400)
    per_meeting = contributions / decisions
    open_contributions: list[tuple[UUID, date]] = []
    adopted: list[UUID] = []
    made = 0
    meeting = None
    for i in range(decisions):
        day = started + timedelta(days=1 + (1095 * i) // decisions)
        stage = STAGES[min(3, 4 * i // decisions)]
        meeting = app.schedule_meeting(actor, partnership, f"Meeting {i}", day, "Library")
        present = rng.sample(members, min(8, len(members)))
        app.record_attendance(actor, meeting, present, [])
        while made < per_meeting * (i + 1):
            said = app.submit_contribution(
                actor, policy, rng.choice(members), "suggestion", f"Idea {made}", "survey", happened_on=day
            )
            open_contributions.append((said, day))
            made += 1
        # Answer what was said a while ago, most of it; some waits (late, as the store grows).
        while open_contributions and (day - open_contributions[0][1]).days >= rng.randint(1, 40):
            said, _ = open_contributions.pop(0)
            if rng.random() < 0.8:
                response = rng.choice(("adopted", "adapted", "not_adopted"))
                app.respond_to_contribution(actor, said, response, "Considered", present[0], day)
                if response != "not_adopted":
                    adopted.append(said)
        cites = adopted[-2:]
        app.record_decision(
            actor, meeting, policy, f"Decision {i}", stage, present[0], present[:2], "consensus", cites=cites
        )
        if i % max(1, decisions // claims) == 0:
            app.claim_participation_level(actor, policy, f"Activity {i}", rng.choice(RUNGS), present[0], day)
        if i % 200 == 0:
            services.read_models.catch_up()
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(trail).where(trail.c.policy_id == policy))
    services.close()
    assert meeting is not None
    return Store(url, partnership, policy, meeting, count)


def measure(store: Store, folder: Path, views: int) -> list[tuple[str, list[float], int]]:
    flask_app = create_app(
        {"DATABASE_URL": store.url, "TODAY": lambda: TODAY, "SECRET_KEY": "bench"},
        instance_path=str(folder / "instance"),
    )
    services = flask_app.extensions["cotrace"]
    admin = open_account(services, None, "Bench admin", "bench@example.org", is_admin=True)
    client = flask_app.test_client()
    with services.engine.begin() as conn:
        token = sign_in_sessions.open_session(conn, "account", admin, datetime.now(UTC), True)
    with client.session_transaction() as cookie:
        cookie["sid"] = token

    def timed(url: str) -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(response.get_data())

    def series(
        name: str, urls: list[str], before: Callable[[], None] | None = None
    ) -> tuple[str, list[float], int]:
        times, size = [], 0
        for url in urls:
            if before:
                before()
            elapsed, size = timed(url)
            times.append(elapsed)
        return name, times, size

    def forget() -> None:
        with services.engine.begin() as conn:
            conn.execute(delete(published))

    evidence = f"/policies/{store.policy}/evidence"
    dashboard = f"/partnerships/{store.partnership}/dashboard"
    meeting = f"/meetings/{store.meeting}"
    timed(evidence), timed(dashboard), timed(meeting)  # the first views keep the verdicts
    past = [(TODAY - timedelta(days=30 + 7 * n)).isoformat() for n in range(views)]
    found = [
        series("evidence page", [evidence] * views),
        series("evidence, first view after a change", [evidence] * views, before=forget),
        series("dashboard", [dashboard] * views),
        series("meeting page", [meeting] * views),
        series("evidence as of a past day (judged afresh)", [f"{evidence}?as_of={d}" for d in past]),
    ]
    services.close()
    return found


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=18_000, help="facts in the large policy's trail")
    parser.add_argument("--people", type=int, default=2_000, help="people in the large partnership")
    parser.add_argument("--views", type=int, default=20, help="views of each page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {}
        for label, facts, people in (("small", 200, 20), ("large", args.facts, args.people)):
            started = time.perf_counter()
            store = build(folder, facts, people, label)
            print(
                f"{label}: built {store.facts} facts in the policy's trail, {people} people, "
                f"in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            results[label] = (store, measure(store, folder / label, args.views))
    print(f"{'page':45} {'store':>6} {'facts':>6} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>8}")
    for label, (store, found) in results.items():
        for name, times, size in found:
            print(
                f"{name:45} {label:>6} {store.facts:>6} {1000 * statistics.median(times):8.1f} "
                f"{1000 * percentile(times, 0.95):8.1f} {size / 1024:8.1f}"
            )


if __name__ == "__main__":
    main()
