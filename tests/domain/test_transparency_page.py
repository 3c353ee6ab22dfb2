"""A partnership opts in to a public transparency page for a policy, and can withdraw it again:
each is an event on the policy, recorded by whoever did it."""

from __future__ import annotations

import pytest

from domain.errors import RulesBroken
from domain.policies import Policy


def events_of(riverside) -> list:
    return list(riverside.app.repository.event_store.get(riverside.policy))


def test_a_policy_starts_unpublished(riverside):
    policy = riverside.app.repository.get(riverside.policy)
    assert policy.transparency_page_published is False


def test_publishing_is_an_event_recorded_by_the_actor(riverside):
    riverside.app.publish_transparency_page(riverside.actor, riverside.policy)
    policy = riverside.app.repository.get(riverside.policy)
    assert policy.transparency_page_published is True
    published = events_of(riverside)[-1]
    assert isinstance(published, Policy.TransparencyPagePublished)
    assert published.recorded_by == riverside.actor


def test_withdrawing_keeps_its_reason_and_closes_the_page(riverside):
    app, actor = riverside.app, riverside.actor
    app.publish_transparency_page(actor, riverside.policy)
    app.withdraw_transparency_page(actor, riverside.policy, "  A family asked us to check the wording  ")
    assert app.repository.get(riverside.policy).transparency_page_published is False
    withdrawn = events_of(riverside)[-1]
    assert isinstance(withdrawn, Policy.TransparencyPageWithdrawn)
    assert withdrawn.reason == "A family asked us to check the wording"
    assert withdrawn.recorded_by == actor


def test_publishing_twice_or_withdrawing_an_unpublished_page_records_nothing(riverside):
    app, actor = riverside.app, riverside.actor
    before = riverside.notifications()
    app.withdraw_transparency_page(actor, riverside.policy)
    assert riverside.notifications() == before
    app.publish_transparency_page(actor, riverside.policy)
    app.publish_transparency_page(actor, riverside.policy)
    assert riverside.notifications() == before + 1


def test_a_withdrawal_reason_too_long_is_refused_and_nothing_is_written(riverside):
    app, actor = riverside.app, riverside.actor
    app.publish_transparency_page(actor, riverside.policy)
    before = riverside.notifications()
    with pytest.raises(RulesBroken) as error:
        app.withdraw_transparency_page(actor, riverside.policy, "x" * 2001)
    assert error.value.by_field()["reason"] == "The reason must be 2,000 characters or fewer"
    assert riverside.notifications() == before
    assert app.repository.get(riverside.policy).transparency_page_published is True


def test_a_retired_policy_can_still_be_published(riverside):
    app, actor = riverside.app, riverside.actor
    app.retire_policy(actor, riverside.policy, "Replaced by the 2027 policy", riverside.today)
    app.publish_transparency_page(actor, riverside.policy)
    assert app.repository.get(riverside.policy).transparency_page_published is True
