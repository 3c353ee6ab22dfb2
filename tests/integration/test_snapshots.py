"""A policy's snapshots (issue 14), on SQLite and PostgreSQL: taken every `POLICY_SNAPSHOT_INTERVAL`
events, kept beside the log and never in it (not in the notification log, not sealed), loading to the
policy its events replay to, and still loading after the policy's shape changes, through its upcaster."""

from __future__ import annotations

from datetime import timedelta

from eventsourcing.application import LRUCache

from cotrace.sealing import verify_log
from domain.application import POLICY_SNAPSHOT_INTERVAL
from domain.policies import Policy
from tests.conftest import TODAY
from tests.story import Riverside

RATINGS = 2 * POLICY_SNAPSHOT_INTERVAL + 10


def rated(services) -> Riverside:
    story = Riverside.set_up(services.app, TODAY)
    for number in range(RATINGS):
        story.app.rate_policy(story.actor, story.policy, f"Aspect {number}", "amber", happened_on=TODAY)
    return story


def loaded(services, policy_id, snapshots: bool) -> Policy:
    repository = services.app.repository
    kept = repository.snapshot_store
    repository.cache = LRUCache(maxsize=10)
    repository.snapshot_store = kept if snapshots else None
    try:
        return repository.get(policy_id)
    finally:
        repository.snapshot_store = kept


def test_a_long_policy_is_snapshotted_and_loads_from_its_snapshot_as_its_events_replay(services):
    story = rated(services)

    stored = list(services.app.snapshots.get(story.policy))
    assert [s.originator_version for s in stored] == [POLICY_SNAPSHOT_INTERVAL, 2 * POLICY_SNAPSHOT_INTERVAL]
    from_snapshot = loaded(services, story.policy, snapshots=True)
    replayed = loaded(services, story.policy, snapshots=False)
    assert from_snapshot.version == replayed.version == RATINGS + 2  # started, co-commission entered
    assert vars(from_snapshot) == vars(replayed)


def test_snapshots_are_not_events_the_log_holds_or_the_seal_covers(services):
    story = rated(services)
    notifications = services.app.recorder.select_notifications(0, 10_000)

    assert len(notifications) == services.app.recorder.max_notification_id()
    assert not [n.topic for n in notifications if "Snapshot" in n.topic]
    policy_events = [n for n in notifications if n.originator_id == story.policy]
    assert [n.originator_version for n in policy_events] == list(range(1, RATINGS + 3))
    events_table = services.app.recorder.events_record_cls.__table__
    with services.engine.connect() as conn:
        sealed = verify_log(conn, events_table)
    assert sealed.ok, sealed.problems
    assert sealed.size == len(notifications)


def test_a_snapshot_of_the_policy_as_it_was_loads_after_its_shape_changed(services, monkeypatch):
    story = rated(services)
    story.app.enter_stage(story.actor, story.policy, "co_design", TODAY - timedelta(days=1))

    # The policy as a later release might have it: one attribute more, and the upcaster that gives
    # snapshots stored before it (version 1, the shape they were taken in) its value.
    def upcast_v1_v2(state: dict) -> None:
        state["review_due_on"] = None

    monkeypatch.setattr(Policy, "class_version", 2, raising=False)
    monkeypatch.setattr(Policy, "upcast_v1_v2", staticmethod(upcast_v1_v2), raising=False)

    policy = loaded(services, story.policy, snapshots=True)
    assert policy.review_due_on is None  # type: ignore[attr-defined]
    assert policy.current is not None and policy.current.stage == "co_design"  # events after it applied
    assert policy.version == RATINGS + 3
