"""A policy's verdicts, charts and dashboard line as pages show them, kept once computed.

Judging a policy reads every one of its facts: 18,000 of them for the largest at a county's scale,
about 170 ms of judging after as long again reading them. So the first page to ask for a policy's
verdicts for a day, a reading and thresholds computes them and keeps them (projections/evidence.py,
`published`), with the policy's stamp as it read it; every later page reads them back in one row.
An event that changes the policy's facts or its partnership's thresholds moves the stamp and clears
what was kept, in its own transaction, so a verdict kept from older facts is never read. The stamp
is read before the facts: a verdict computed from newer facts than its stamp says is never read
either (its stamp has moved on), so a race can cost a computation, never a stale page. The worker
keeps today's verdicts ready for the policies an event changed (`warm`), so the first view after
a change does not pay for them either.

The kept verdicts are the same as those computed afresh (tests/integration/test_published_verdicts.py):
they are written and read back through `domain.evidence.published`, as the audit pack publishes them.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Connection, Engine, and_, select
from sqlalchemy.dialects import postgresql, sqlite

from cotrace.evidence_figures import Chart, all_charts, chart_as_json, chart_from_json
from cotrace.portfolio import PolicyLine, line_as_json, line_from_json, line_of
from domain.evidence import AS_HAPPENED, Assessment, PolicyFacts, Thresholds, assess_policy
from domain.evidence.published import assessments_as_json, assessments_from_json
from projections import evidence, thresholds
from projections.evidence import published, stamps

NOW = "now"
Value = TypeVar("Value")
# What is kept is what the pages show: the rules' sentences and the charts' bars. Raised when either
# changes (2: the sentences agree with their numbers, bars carry a colour key; 3: the charts by
# stage draw the last cycles only), it is part of each
# row's key, so a verdict kept by an older release is never read: it is computed afresh.
FORMAT = 3


@dataclass(frozen=True)
class Published:
    assessments: list[Assessment]  # none: as of a day before the policy started
    charts: list[tuple[Chart, str]]  # each with how it is drawn: "bar" or "timeline"
    line: PolicyLine


@dataclass(frozen=True)
class View:
    """What a policy's verdicts are asked for: today, or as of a past day in one reading."""

    today: date
    as_of: date | None = None
    reading: str = AS_HAPPENED

    @property
    def name(self) -> str:
        return NOW if self.as_of is None else self.reading

    @property
    def day(self) -> date:
        return self.as_of or self.today


def verdicts(
    conn: Connection, engine: Engine, policy_id: UUID, view: View, judged_by: Thresholds, keep: bool = True
) -> Published | None:
    """The policy's verdicts, charts and line for the view, kept or computed (and then kept, unless
    `keep` is false: a HEAD request writes nothing); None for a policy the evidence does not know."""
    stamp = _stamp(conn, policy_id)
    if stamp is None:
        return None
    key = (_database(conn), policy_id, stamp, view, _thresholds_key(judged_by))
    found = _kept_verdicts.get(key)
    if found is not None:
        return found
    row = conn.execute(
        select(published.c.line, published.c.content).where(_key(policy_id, view, judged_by, stamp))
    ).first()
    if row is not None:
        found = _from_row(row.line, row.content)
    else:
        line, content = _compute(conn, policy_id, stamp, view, judged_by)
        if keep:
            _keep(engine, policy_id, view, judged_by, stamp, line, content)
        found = _from_row(line, content)
    _kept_verdicts.put(key, found)
    return found


def lines(
    conn: Connection,
    engine: Engine,
    policy_ids: list[UUID],
    view: View,
    judged_by: Thresholds,
    keep: bool = True,
) -> list[PolicyLine]:
    """The dashboard's line of each policy, in the order given: each kept one is read in one
    query, only the line; those not kept are computed and kept (unless `keep` is false)."""
    query = select(stamps.c.policy_id, stamps.c.changed_at).where(stamps.c.policy_id.in_(policy_ids))
    found_stamps = {row.policy_id: row.changed_at for row in conn.execute(query)}
    kept = {
        row.policy_id: row.line
        for row in conn.execute(
            select(published.c.policy_id, published.c.line, published.c.stamp).where(
                published.c.policy_id.in_(policy_ids),
                published.c.view == view.name,
                published.c.day == view.day,
                published.c.thresholds == _thresholds_key(judged_by),
            )
        )
        if row.stamp == found_stamps.get(row.policy_id)
    }
    found = []
    for policy_id in policy_ids:
        if policy_id not in found_stamps:
            continue
        if policy_id not in kept:
            line, content = _compute(conn, policy_id, found_stamps[policy_id], view, judged_by)
            if keep:
                _keep(engine, policy_id, view, judged_by, found_stamps[policy_id], line, content)
            kept[policy_id] = line
        found.append(line_from_json(kept[policy_id]))
    return found


def warm(engine: Engine, today: date) -> int:
    """Computes and keeps today's verdicts of every policy that has none kept for today (an event
    changed it, or the day turned), judged by its partnership's thresholds: what the worker does
    between events. Returns how many it computed."""
    view = View(today)
    with engine.connect() as conn:
        waiting = list(
            conn.execute(
                select(stamps.c.policy_id, stamps.c.changed_at, evidence.policies.c.partnership_id)
                .join(evidence.policies, evidence.policies.c.id == stamps.c.policy_id)
                .where(
                    ~select(published.c.policy_id)
                    .where(
                        published.c.policy_id == stamps.c.policy_id,
                        published.c.view == NOW,
                        published.c.day == today,
                        published.c.stamp == stamps.c.changed_at,
                        published.c.thresholds.startswith(f"{FORMAT}:"),
                    )
                    .exists()
                )
            )
        )
        for row in waiting:
            judged = thresholds.judged_by(conn, row.partnership_id).thresholds
            line, content = _compute(conn, row.policy_id, row.changed_at, view, judged)
            _keep(engine, row.policy_id, view, judged, row.changed_at, line, content)
    return len(waiting)


def _stamp(conn: Connection, policy_id: UUID) -> int | None:
    return conn.scalar(select(stamps.c.changed_at).where(stamps.c.policy_id == policy_id))


def _thresholds_key(judged_by: Thresholds) -> str:
    return f"{FORMAT}:" + _rendered(judged_by)


@functools.lru_cache(maxsize=64)
def _rendered(judged_by: Thresholds) -> str:
    """The thresholds as kept beside a verdict: rendered once (a frozen dataclass), not each view."""
    return json.dumps(asdict(judged_by), sort_keys=True, separators=(",", ":"))


def _key(policy_id: UUID, view: View, judged_by: Thresholds, stamp: int) -> Any:
    return and_(
        published.c.policy_id == policy_id,
        published.c.view == view.name,
        published.c.day == view.day,
        published.c.thresholds == _thresholds_key(judged_by),
        published.c.stamp == stamp,
    )


def _compute(
    conn: Connection, policy_id: UUID, stamp: int, view: View, judged_by: Thresholds
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Judges the policy's facts afresh: its line, and its assessments and charts, as JSON."""
    facts = _facts(conn, policy_id, stamp)
    found = assess_policy(facts, view.today, view.as_of, judged_by, view.reading)
    known = facts.as_of(view.as_of, view.reading) if view.as_of else facts
    charts = all_charts(known, view.day) if found else []
    content = {
        "assessments": assessments_as_json(found),
        "charts": [{"chart": chart_as_json(chart), "kind": kind} for chart, kind in charts],
    }
    return line_as_json(line_of(facts, found, view.as_of, view.reading)), content


class _KeptInProcess(Generic[Value]):
    """The last few values read in this process, by database, policy, stamp and what else the key
    holds: a value kept under an older stamp of the same policy is dropped as a newer one comes,
    as it would never be read again (a stamp moves with every event that changes the policy's
    facts, `projections.evidence`). Shared by a worker's threads: values are never changed."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Value | None:
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def put(self, key: tuple, value: Value) -> None:
        database, policy_id, stamp = key[:3]
        with self._lock:
            for older in [k for k in self._values if k[:2] == (database, policy_id) and k[2] != stamp]:
                del self._values[older]
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def keys(self) -> list[tuple]:
        with self._lock:
            return list(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# The facts of the policies judged last in this process: a page "as of" another day judges the same
# facts again, and reading them was two thirds of its time for the largest policy (18,000 facts:
# 340 of 510 ms).
KEPT_FACTS = 8
_kept_facts: _KeptInProcess[PolicyFacts] = _KeptInProcess(KEPT_FACTS)
# The verdicts pages read last in this process, as read back from their row: for the largest
# policy the row is megabytes of JSON (every cycle's verdicts and the events each names), and
# reading it back grew the evidence page's time with the policy's age.
KEPT_VERDICTS = 16
_kept_verdicts: _KeptInProcess[Published] = _KeptInProcess(KEPT_VERDICTS)


def forget_what_was_kept() -> None:
    """Drops the facts and verdicts this process kept (for tests, whose databases may share an address)."""
    _kept_facts.clear()
    _kept_verdicts.clear()


def _database(conn: Connection) -> str:
    return conn.engine.url.render_as_string(hide_password=True)


def _facts(conn: Connection, policy_id: UUID, stamp: int) -> PolicyFacts:
    key = (_database(conn), policy_id, stamp)
    found = _kept_facts.get(key)
    if found is None:
        found = evidence.policy_facts(conn, policy_id)
        assert found is not None  # it has a stamp
        _kept_facts.put(key, found)
    return found


def _keep(
    engine: Engine,
    policy_id: UUID,
    view: View,
    judged_by: Thresholds,
    stamp: int,
    line: dict[str, Any],
    content: dict[str, Any],
) -> None:
    """Keeps what was computed, in a transaction of its own; what another page kept first for the
    same view stays. Older verdicts of the policy (from older facts, or for today on a past day)
    go: they would never be read again."""
    insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert(published)
    with engine.begin() as conn:
        conn.execute(
            published.delete().where(
                published.c.policy_id == policy_id,
                (published.c.stamp < stamp) | ((published.c.view == NOW) & (published.c.day < view.today)),
            )
        )
        conn.execute(
            insert.values(
                policy_id=policy_id,
                view=view.name,
                day=view.day,
                thresholds=_thresholds_key(judged_by),
                stamp=stamp,
                line=line,
                content=content,
            ).on_conflict_do_nothing()
        )


def _from_row(line: dict[str, Any], content: dict[str, Any]) -> Published:
    return Published(
        assessments=assessments_from_json(content["assessments"]),
        charts=[(chart_from_json(c["chart"]), c["kind"]) for c in content["charts"]],
        line=line_from_json(line),
    )
