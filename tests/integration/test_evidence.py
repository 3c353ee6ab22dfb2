"""The evidence engine through the application, on SQLite and PostgreSQL: facts projected from real
events, the same verdicts after a rebuild, and `cotrace level` for auditors in a terminal."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from domain.evidence import assess_policy
from projections.evidence import policy_facts, stamps
from tests.command_line import command_line
from tests.conftest import TODAY
from tests.integration.test_projections import snapshot
from tests.story import Riverside


def verdicts(services, policy_id, as_of=None):
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        facts = policy_facts(conn, policy_id)
    return {
        (a.scope.label, v.criterion): v.status for a in assess_policy(facts, TODAY, as_of) for v in a.verdicts
    } | {(a.scope.label, "level"): a.level for a in assess_policy(facts, TODAY, as_of)}


def stamp_of(services, policy_id) -> int:
    with services.engine.connect() as conn:
        return conn.scalar(select(stamps.c.changed_at).where(stamps.c.policy_id == policy_id))


def consulted_after_deciding(story: Riverside) -> None:
    """The authority decides with no citizen in the room, then opens a survey on it."""
    app, actor, people = story.app, story.actor, story.people
    decided = story.meeting_on(TODAY - timedelta(days=20), ["daniel", "sophie"])
    story.decide(
        meeting_id=decided,
        proposed_by=people["daniel"],
        decided_by=[people["daniel"], people["sophie"]],
        text="Annual visits to every family",
    )
    for name in ("amira", "tom"):
        contribution = app.submit_contribution(
            actor,
            story.policy,
            people[name],
            "concern",
            "Visits are not required by law",
            "survey",
            TODAY - timedelta(days=10),
        )
        app.respond_to_contribution(
            actor, contribution, "not_adopted", "Policy already agreed", people["daniel"], TODAY
        )


def test_a_consultation_after_the_decision_is_intermediate_at_best(services):
    story = Riverside.set_up(services.app, TODAY)
    story.app.claim_participation_level(
        story.actor, story.policy, "Survey", "co_producing", story.people["daniel"], TODAY
    )
    consulted_after_deciding(story)

    found = verdicts(services, story.policy)

    assert found[("Whole policy", "level")] == "intermediate"
    assert found[("Whole policy", "not_after_the_fact")] == "fail"
    assert found[("Whole policy", "key_decision_makers")] == "fail"
    assert found[("Whole policy", "influence")] == "fail"  # answered, but nothing adopted
    with services.engine.connect() as conn:
        facts = policy_facts(conn, story.policy)
    (whole, *_) = assess_policy(facts, TODAY)
    (flag,) = next(v for v in whole.verdicts if v.criterion == "no_doing_to").flags
    # Input that arrives after the decision never lifts the rung above consulting (DESIGN, the rung).
    assert "claimed co-producing; evidence shows consulting" in flag


def test_the_verdicts_are_the_same_after_a_rebuild(services):
    story = Riverside.set_up(services.app, TODAY)
    consulted_after_deciding(story)
    story.decide(cites=[], stage="co_design")
    before, facts_before = verdicts(services, story.policy), snapshot(services)

    services.read_models.rebuild()

    assert snapshot(services) == facts_before
    assert verdicts(services, story.policy) == before
    assert facts_before["evidence_decisions"] and facts_before["evidence_contributions"]


def test_as_of_gives_the_verdict_as_it_stood(services):
    story = Riverside.set_up(services.app, TODAY)
    consulted_after_deciding(story)
    before_survey = verdicts(services, story.policy, as_of=TODAY - timedelta(days=15))
    assert before_survey[("Whole policy", "influence")] == "fail"  # no citizen contribution yet
    # Citizens initiated it, but had contributed, decided or attended nothing yet: DESIGN's "basic"
    # names exactly those three absences (initiation is criterion 1's to judge).
    assert before_survey[("Whole policy", "level")] == "basic"


def test_cotrace_level_prints_the_verdicts_and_their_json(flask_app):
    services = flask_app.extensions["cotrace"]
    story = Riverside.set_up(services.app, TODAY)
    consulted_after_deciding(story)
    runner = command_line(flask_app)

    text = runner.invoke(args=["level", "EHE"])
    assert text.exit_code == 0, text.output
    assert "Whole policy: INTERMEDIATE" in text.output
    assert "[fail] Not a review after the fact" in text.output

    as_json = runner.invoke(args=["level", str(story.policy), "--json", "--as-of", "2026-06-01"])
    shape = json.loads(as_json.output)
    assert shape["policy"]["title"] == "EHE policy" and shape["as_of"] == "2026-06-01"
    whole = shape["assessments"][0]
    assert whole["scope"] == {"cycle": None, "stage": None, "label": "Whole policy"}
    assert [c["criterion"] for c in whole["criteria"]] == [
        "from_conception",
        "key_decision_makers",
        "not_after_the_fact",
        "influence",
        "balance",
        "whole_cycle",
        "no_doing_to",
    ]
    assert all(isinstance(e, int) for c in whole["criteria"] for e in c["events"])

    missing = runner.invoke(args=["level", "no such policy"])
    assert missing.exit_code == 1 and "no policy with 'no such policy'" in missing.output


def test_a_group_recorded_wrong_and_corrected_counts_for_what_they_did_before(services):
    """A correction, not a change: Sophie was always a home educator, so the evidence counts her as
    one from then on, in the decision she took before it too (DESIGN: citizens among the decision
    makers); the verdicts kept for pages are judged again."""
    story = Riverside.set_up(services.app, TODAY)
    consulted_after_deciding(story)
    assert verdicts(services, story.policy)[("Whole policy", "key_decision_makers")] == "fail"
    stamped = stamp_of(services, story.policy)

    story.app.correct_member_group(
        story.actor, story.partnership, story.people["sophie"], "home_educator", "Entered wrong", TODAY
    )
    story.app.correct_member_group(
        story.actor, story.partnership, story.people["tom"], "parent_carer", "Entered wrong", TODAY
    )
    found = verdicts(services, story.policy)

    assert found[("Whole policy", "key_decision_makers")] == "pass"
    assert stamp_of(services, story.policy) > stamped  # what pages kept is not read again
    with services.engine.connect() as conn:
        facts = policy_facts(conn, story.policy)
    assert [d.maker_groups for d in facts.decisions] == [("home_educator", "local_authority")]
    assert [d.present_groups for d in facts.decisions] == [("home_educator", "local_authority")]
    assert sorted(c.group for c in facts.contributions) == ["home_educator", "parent_carer"]
    later = story.decide(decided_by=[story.people["sophie"]], stage="co_design")
    assert story.app.repository.get(later).decision_maker_groups == ["home_educator"]

    services.read_models.catch_up()
    facts_before = snapshot(services)
    services.read_models.rebuild()
    assert snapshot(services) == facts_before
    assert facts_before["evidence_decision_people"]
