"""A cycle started from co-deliver, in the read models: the trail's own row with the reason, the
evidence's stage facts that close cycle 1 early, and the same rows again when rebuilt from the log."""

from __future__ import annotations

from datetime import timedelta

from domain.evidence import FAIL, Scope, assess
from projections.evidence import policy_facts
from projections.reads import policy_trail
from tests.conftest import TODAY
from tests.integration.test_projections import snapshot
from tests.story import Riverside


def restarted_at_co_deliver(services) -> Riverside:
    story = Riverside.set_up(services.app, TODAY)
    for stage, days_ago in (("co_design", 60), ("co_deliver", 30)):
        story.app.enter_stage(story.actor, story.policy, stage, TODAY - timedelta(days=days_ago))
    story.app.start_new_cycle(story.actor, story.policy, "The council restarted the policy", TODAY)
    services.read_models.catch_up()
    return story


def test_a_restart_is_its_own_row_and_closes_the_cycle_in_the_evidence(services):
    story = restarted_at_co_deliver(services)

    with services.engine.connect() as conn:
        trail = policy_trail(conn, story.policy)
        facts = policy_facts(conn, story.policy)
    restart = trail[-1]
    assert restart["what"] == "Cycle 2 started, from Co-deliver: The council restarted the policy"
    assert (restart["stage"], restart["cycle"], restart["reason"]) == (
        "co_commission",
        2,
        "The council restarted the policy",
    )
    assert facts is not None
    assert [(s.cycle, s.stage) for s in facts.stages][-2:] == [(1, "co_deliver"), (2, "co_commission")]
    whole_cycle = next(v for v in assess(facts, Scope(), TODAY).verdicts if v.criterion == "whole_cycle")
    assert whole_cycle.status == FAIL
    assert "Cycle 1 never reached: Co-assess" in whole_cycle.figures


def test_the_read_models_rebuilt_after_a_restart_are_the_live_ones(services):
    restarted_at_co_deliver(services)
    live = snapshot(services)

    services.read_models.rebuild()

    assert snapshot(services) == live
    assert any("Cycle 2 started" in str(row) for row in live["audit_trail"])
