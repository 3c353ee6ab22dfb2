"""The verdicts kept for pages are the verdicts computed afresh from the facts, after every event
that changes them, on SQLite and PostgreSQL: a contribution, a response, a decision, a threshold
change, a day passing, and "as of" past days in both readings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from cotrace import portfolio, published_verdicts
from cotrace.evidence_figures import all_charts
from cotrace.published_verdicts import View
from domain.evidence import AS_HAPPENED, AS_RECORDED, assess_policy
from projections import evidence, thresholds
from projections.evidence import published
from tests.conftest import TODAY
from tests.story import Riverside


def kept_and_fresh(services, story, view: View):
    """What a page reads (kept, or computed and kept), and what judging the facts now gives."""
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        judged = thresholds.judged_by(
            conn, story.partnership, view.as_of, view.as_of is not None and view.reading == AS_RECORDED
        ).thresholds
        kept = published_verdicts.verdicts(conn, services.engine, story.policy, view, judged)
        lines = published_verdicts.lines(conn, services.engine, [story.policy], view, judged)
        facts = evidence.policy_facts(conn, story.policy)
    fresh = assess_policy(facts, view.today, view.as_of, judged, view.reading)
    known = facts.as_of(view.as_of, view.reading) if view.as_of else facts
    fresh_line = portfolio.policy_line(facts, view.today, judged, view.as_of, view.reading)
    return kept, lines, fresh, (all_charts(known, view.day) if fresh else []), fresh_line


def assert_same(services, story, view: View) -> None:
    for _ in range(2):  # computed and kept, then read back from what was kept
        kept, lines, fresh, charts, line = kept_and_fresh(services, story, view)
        assert kept.assessments == fresh
        assert kept.charts == charts
        assert kept.line == line and lines == [line]
    assert rows_kept(services, story) >= 1


def rows_kept(services, story) -> int:
    with services.engine.connect() as conn:
        query = select(func.count()).select_from(published).where(published.c.policy_id == story.policy)
        return conn.scalar(query)


def test_kept_verdicts_follow_every_event_that_changes_them(services):
    story = Riverside.set_up(services.app, TODAY)
    app, actor, people = story.app, story.actor, story.people
    now = View(TODAY)
    assert_same(services, story, now)

    idea = app.submit_contribution(
        actor, story.policy, people["amira"], "suggestion", "Start from families", "survey",
        happened_on=TODAY - timedelta(days=40),
    )  # fmt: skip
    services.read_models.catch_up()
    assert rows_kept(services, story) == 0  # the event cleared what was kept, in its transaction
    assert_same(services, story, now)
    waiting = kept_and_fresh(services, story, now)[0]
    assert waiting.assessments[0].level == "intermediate"  # unanswered for 40 days: late

    app.respond_to_contribution(
        actor, idea, "adopted", "We start there", people["daniel"], TODAY - timedelta(days=30)
    )
    story.decide(cites=[idea])
    assert_same(services, story, now)
    assert kept_and_fresh(services, story, now)[0].assessments != waiting.assessments

    # A threshold change: the same facts judged by other thresholds, now and as of past days.
    app.change_thresholds(
        actor, story.partnership, "We answer within a fortnight", TODAY, timely_response_days=5
    )
    services.read_models.catch_up()
    assert rows_kept(services, story) == 0  # every policy of the partnership
    assert_same(services, story, now)
    assert kept_and_fresh(services, story, now)[0].assessments != waiting.assessments

    # A day passing: another contribution waits longer every day, with no event at all.
    app.submit_contribution(
        actor, story.policy, people["tom"], "concern", "Visits", "email", happened_on=TODAY
    )
    assert_same(services, story, now)
    later = View(TODAY + timedelta(days=10))
    assert_same(services, story, later)
    assert (
        kept_and_fresh(services, story, later)[0].assessments
        != kept_and_fresh(services, story, now)[0].assessments
    )

    for reading in (AS_HAPPENED, AS_RECORDED):
        assert_same(services, story, View(TODAY, TODAY - timedelta(days=35), reading))
        assert_same(services, story, View(TODAY, TODAY - timedelta(days=95), reading))  # not started


def test_a_verdict_kept_from_older_facts_is_never_read(services):
    """A page that computed from the facts before an event, and kept its verdicts after the event
    cleared the policy's, leaves a row with the older stamp: no page reads it."""
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    view = View(TODAY)
    with services.engine.connect() as conn:
        judged = thresholds.judged_by(conn, story.partnership).thresholds
        old_stamp = published_verdicts._stamp(conn, story.policy)
        line, content = published_verdicts._compute(conn, story.policy, old_stamp, view, judged)
    story.decide()  # meanwhile, a decision is recorded
    services.read_models.catch_up()
    published_verdicts._keep(services.engine, story.policy, view, judged, old_stamp, line, content)
    assert rows_kept(services, story) == 1
    kept, lines, fresh, _, fresh_line = kept_and_fresh(services, story, view)
    assert kept.assessments == fresh and lines == [fresh_line]
    assert any(v.refs for v in fresh[0].verdicts if v.criterion == "key_decision_makers")


def test_a_verdict_kept_by_an_older_release_is_never_read(services, monkeypatch):
    """What an older release kept (its sentences, its charts) for the same stamp and day is computed
    afresh, by the page and by the worker, once FORMAT is raised."""
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    monkeypatch.setattr(published_verdicts, "FORMAT", published_verdicts.FORMAT - 1)
    assert published_verdicts.warm(services.engine, TODAY) == 1
    with services.engine.begin() as conn:  # what the older release wrote: other words
        conn.execute(published.update().values(content={"assessments": [], "charts": []}))
    monkeypatch.undo()
    assert published_verdicts.warm(services.engine, TODAY) == 1
    assert_same(services, story, View(TODAY))


def test_the_worker_keeps_todays_verdicts_ready(services):
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    assert published_verdicts.warm(services.engine, TODAY) == 1
    assert published_verdicts.warm(services.engine, TODAY) == 0  # nothing changed since
    story.decide()
    services.read_models.catch_up()
    assert published_verdicts.warm(services.engine, TODAY) == 1
    assert published_verdicts.warm(services.engine, TODAY + timedelta(days=1)) == 1  # a new day
    assert_same(services, story, View(TODAY + timedelta(days=1)))


def test_a_rebuild_starts_the_kept_verdicts_afresh_with_the_same_stamps(services):
    story = Riverside.set_up(services.app, TODAY)
    story.decide()
    assert_same(services, story, View(TODAY))
    with services.engine.connect() as conn:
        before = list(conn.execute(select(evidence.stamps).order_by(evidence.stamps.c.policy_id)))
    services.read_models.rebuild()
    assert rows_kept(services, story) == 0
    with services.engine.connect() as conn:
        assert list(conn.execute(select(evidence.stamps).order_by(evidence.stamps.c.policy_id))) == before
    assert_same(services, story, View(TODAY))


def test_the_facts_are_read_once_for_a_stamp_and_again_once_an_event_moves_it(services):
    """Pages "as of" other days judge the same facts: they are read once while the policy's stamp
    stands, and read again once an event that changes a fact moves it."""
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        stamp = published_verdicts._stamp(conn, story.policy)
        first = published_verdicts._facts(conn, story.policy, stamp)
        assert published_verdicts._facts(conn, story.policy, stamp) is first

    story.app.submit_contribution(
        story.actor, story.policy, story.people["amira"], "suggestion", "Start from families", "survey",
        happened_on=TODAY - timedelta(days=3),
    )  # fmt: skip
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        moved = published_verdicts._stamp(conn, story.policy)
        again = published_verdicts._facts(conn, story.policy, moved)
    assert moved > stamp
    assert len(again.contributions) == len(first.contributions) + 1
    assert [key for key in published_verdicts._kept_facts.keys() if key[1] == story.policy] == [
        (str(services.engine.url), story.policy, moved)
    ]  # the facts of the older stamp are gone


def test_verdicts_read_back_are_kept_in_the_process_until_an_event_moves_the_stamp(services):
    """The largest policy's kept row is megabytes of JSON: a page reads it back once per process
    and stamp, not on every view. Shown here by emptying the table behind the process's back."""
    story = Riverside.set_up(services.app, TODAY)
    now = View(TODAY)
    kept, *_ = kept_and_fresh(services, story, now)
    with services.engine.begin() as conn:
        conn.execute(published.delete())
    again, *_ = kept_and_fresh(services, story, now)
    assert again is kept and rows_kept(services, story) == 1  # the line alone, by lines()

    story.app.submit_contribution(
        story.actor, story.policy, story.people["amira"], "suggestion", "Start from families", "survey",
        happened_on=TODAY - timedelta(days=3),
    )  # fmt: skip
    moved, lines, fresh, charts, line = kept_and_fresh(services, story, now)
    assert moved is not kept and moved.assessments == fresh and moved.charts == charts
    other_day = View(TODAY, TODAY - timedelta(days=1))
    assert kept_and_fresh(services, story, other_day)[0] is not moved
    assert [key[3] for key in published_verdicts._kept_verdicts.keys() if key[1] == story.policy] == [
        now,
        other_day,
    ]  # the verdicts of the older stamp are gone
