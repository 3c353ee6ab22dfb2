"""A new cycle can be started from any stage, with a reason, so the record can say that a policy was
restarted without being assessed; after co-assess, moving on to co-commission stays the usual way."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from eventsourcing.persistence import StoredEvent

from domain.application import Cotrace
from domain.errors import RulesBroken
from domain.evidence import FAIL, Scope
from domain.policies import Policy
from domain.wording import REASON
from tests.conftest import TODAY
from tests.domain.test_evidence import co_produced, stage, verdict


def walk_to(riverside, *stages: str) -> None:
    for name in stages:
        riverside.app.enter_stage(
            riverside.actor, riverside.policy, name, riverside.today - timedelta(days=30)
        )


def test_the_authority_restarts_the_policy_from_co_deliver_with_its_reason(riverside):
    walk_to(riverside, "co_design", "co_deliver")
    riverside.app.start_new_cycle(
        riverside.actor, riverside.policy, "New statutory guidance", riverside.today - timedelta(days=2)
    )
    policy = riverside.app.repository.get(riverside.policy)
    assert [(s.stage, s.cycle) for s in policy.stages][-2:] == [("co_deliver", 1), ("co_commission", 2)]
    assert policy.current.entered_on == riverside.today - timedelta(days=2)
    restart = riverside.app.repository.event_store.get(riverside.policy)
    last = list(restart)[-1]
    assert isinstance(last, Policy.StageEntered)
    assert (last.restarted_from, last.reason) == ("co_deliver", "New statutory guidance")
    # The new cycle then walks the Iriss stages in order like any other.
    riverside.app.enter_stage(riverside.actor, riverside.policy, "co_design", riverside.today)
    assert riverside.app.repository.get(riverside.policy).current.cycle == 2


def test_a_new_cycle_can_start_even_at_co_commission(riverside):
    riverside.app.start_new_cycle(riverside.actor, riverside.policy, "Started again", riverside.today)
    policy = riverside.app.repository.get(riverside.policy)
    assert [(s.stage, s.cycle) for s in policy.stages] == [("co_commission", 1), ("co_commission", 2)]


def test_moving_on_from_co_assess_needs_no_reason(riverside):
    walk_to(riverside, "co_design", "co_deliver", "co_assess", "co_commission")
    stored = list(riverside.app.repository.event_store.get(riverside.policy))[-1]
    assert (stored.cycle, stored.restarted_from, stored.reason) == (2, None, None)


def test_a_new_cycle_needs_a_reason_of_a_sensible_length(riverside):
    before = riverside.notifications()
    for reason, message in (
        ("  ", "Say why a new cycle starts"),
        ("x" * (REASON + 1), "characters or fewer"),
    ):
        with pytest.raises(RulesBroken) as error:
            riverside.app.start_new_cycle(riverside.actor, riverside.policy, reason, riverside.today)
        assert set(error.value.by_field()) == {"reason"}
        assert message in error.value.by_field()["reason"]
    assert riverside.notifications() == before


def test_a_new_cycle_cannot_start_in_the_future_or_before_the_current_stage(riverside):
    walk_to(riverside, "co_design")
    for day, message in (
        (riverside.today + timedelta(days=1), "cannot be in the future"),
        (riverside.today - timedelta(days=31), "The new cycle cannot begin before"),
    ):
        with pytest.raises(RulesBroken) as error:
            riverside.app.start_new_cycle(riverside.actor, riverside.policy, "Restarted", day)
        assert message in error.value.by_field()["started_on"]


def test_a_retired_policy_starts_no_new_cycle(riverside):
    riverside.app.retire_policy(riverside.actor, riverside.policy, "Replaced", riverside.today)
    with pytest.raises(RulesBroken) as error:
        riverside.app.start_new_cycle(riverside.actor, riverside.policy, "Restarted", riverside.today)
    assert "retired" in error.value.by_field()["reason"]


def test_a_stage_entered_as_version_one_stored_it_still_reads(riverside):
    """Events stored before a restart was recorded have no `restarted_from` or `reason`: the upcaster
    reads them as stages entered in order."""
    stored = list(riverside.app.recorder.select_events(riverside.policy))
    entered = stored[-1]
    assert entered.topic.endswith("Policy.StageEntered")
    state = json.loads(entered.state)
    for added in ("restarted_from", "reason", "class_version"):
        del state[added]
    version_one = StoredEvent(
        entered.originator_id, entered.originator_version, entered.topic, json.dumps(state).encode()
    )

    elsewhere = Cotrace(today=lambda: TODAY)
    elsewhere.recorder.insert_events([*stored[:-1], version_one])
    policy = elsewhere.repository.get(riverside.policy)
    assert [(s.stage, s.cycle) for s in policy.stages] == [("co_commission", 1)]
    event = elsewhere.mapper.to_domain_event(version_one)
    assert (event.restarted_from, event.reason) == (None, None)


def test_the_verdict_names_the_stages_a_restarted_cycle_never_reached():
    """DESIGN criterion 6: a cycle closed before co-assess fails, and the verdict shows what it missed."""
    facts = co_produced()
    restarted = replace(
        facts, stages=(*facts.stages, stage("co_deliver", 45), stage("co_commission", 55, cycle=2))
    )
    for scope in (Scope(), Scope(1)):
        found = verdict(restarted, "whole_cycle", scope)
        assert found.status == FAIL
        assert "Cycle 1 was closed before co-assess" in found.figures
        assert "Cycle 1 never reached: Co-assess" in found.figures
    assert not any("Cycle 2 never reached" in f for f in verdict(restarted, "whole_cycle").figures)
