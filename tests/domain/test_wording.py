"""Words a form records have a length limit: found by testing, a partnership named with 5 MB of text
was accepted and made every page listing partnerships 5 MB."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cotrace.importer import SCHEMA_PATH
from domain import wording
from domain.errors import RulesBroken


def too_long(limit: int) -> str:
    return "x" * (limit + 1)


@pytest.mark.parametrize(
    "record, field, message",
    [
        (lambda s, w: s.app.form_partnership(s.actor, w(200)), "name", "The name must be 200"),
        (
            lambda s, w: s.app.start_policy(s.actor, s.partnership, w(200), "citizens", s.today),
            "title",
            "The title must be 200",
        ),
        (
            lambda s, w: s.app.schedule_meeting(s.actor, s.partnership, "Meeting", s.today, w(200)),
            "place",
            "The place must be 200",
        ),
        (
            lambda s, w: s.app.add_agenda_item(s.actor, s.meeting, w(200)),
            "title",
            "The agenda item must be 200",
        ),
        (
            lambda s, w: s.app.retire_policy(s.actor, s.policy, w(2000), s.today),
            "reason",
            "The reason must be 2,000",
        ),
        (
            lambda s, w: s.app.rate_policy(s.actor, s.policy, "Letters", "green", w(2000), None, s.today),
            "comment",
            "The comment must be 2,000",
        ),
        (
            lambda s, w: s.app.agree_action(
                s.actor, s.meeting, w(2000), s.people["daniel"], s.today + timedelta(days=7)
            ),
            "description",
            "The action must be 2,000",
        ),
    ],
)
def test_words_longer_than_their_limit_are_refused_and_at_it_accepted(riverside, record, field, message):
    before = riverside.app.recorder.max_notification_id()
    with pytest.raises(RulesBroken) as error:
        record(riverside, too_long)
    assert error.value.by_field()[field].startswith(message)
    assert riverside.app.recorder.max_notification_id() == before
    record(riverside, lambda limit: "x" * limit)


def test_a_pseudonym_too_long_is_told_its_own_limit(riverside):
    """The pseudonym's rule is 100; a 250-character one was told "200 or fewer" (the name's)."""
    someone = next(iter(riverside.people.values()))
    with pytest.raises(RulesBroken) as refused:
        riverside.app.submit_contribution(
            riverside.actor,
            riverside.policy,
            someone,
            kind="view",
            text="Keep it short",
            channel="survey",
            happened_on=riverside.today,
            pseudonym="x" * 250,
        )
    assert refused.value.by_field()["pseudonym"] == "The pseudonym must be 100 characters or fewer"


def test_the_import_format_gives_the_same_limits_as_the_rules():
    schema = json.loads(SCHEMA_PATH.read_text())
    records = schema["$defs"]
    limits = {
        (record, name): spec["maxLength"]
        for record, definition in records.items()
        for name, spec in definition.get("properties", {}).items()
        if isinstance(spec, dict) and "maxLength" in spec
    }
    assert limits, "the schema names no limit: this test would check nothing"
    allowed = {wording.NAME, wording.PSEUDONYM, wording.REASON, wording.DECISION, wording.CONTRIBUTION}
    assert set(limits.values()) <= allowed, limits
    assert {limit for (_, name), limit in limits.items() if name == "pseudonym"} == {wording.PSEUDONYM}
    assert {limit for (record, name), limit in limits.items() if name == "text"} == {
        wording.DECISION,
        wording.CONTRIBUTION,
    }
