"""Which policies publish a transparency page, and what the public pages read, on SQLite and
PostgreSQL: kept as the events arrive, the same after a rebuild, rebuilt when an older shape is found."""

from __future__ import annotations

import pytest

from cotrace.importer import HistoryInvalid, import_history, load_history
from cotrace.services import open_services
from projections import transparency_pages
from projections.reads import policy_trail
from tests.conftest import TODAY, importer
from tests.integration.test_projections import snapshot
from tests.older_shapes import built_at_version
from tests.story import Riverside
from tests.transparency_story import ADAPTED, NOT_ADOPTED, published_with_input


def test_a_published_page_is_listed_until_it_is_withdrawn_and_the_trail_says_who_did_both(services):
    story = Riverside.set_up(services.app, TODAY)
    published_with_input(story)
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        listed = transparency_pages.published_policies(conn)
        assert [(p["id"], p["partnership_name"]) for p in listed] == [
            (story.policy, "Riverside EHE Policy Partnership")
        ]
        assert transparency_pages.published_policy(conn, story.policy) is not None

    story.app.withdraw_transparency_page(story.actor, story.policy, "Checking the wording")
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        assert transparency_pages.published_policies(conn) == []
        assert transparency_pages.published_policy(conn, story.policy) is None
        trail = policy_trail(conn, story.policy)
    kinds = [row["kind"] for row in trail if row["kind"].startswith("transparency")]
    assert kinds == ["transparency_page_published", "transparency_page_withdrawn"]
    assert trail[-1]["reason"] == "Checking the wording"
    assert trail[-1]["recorded_by_name"] == "Local operator"


def test_the_public_reads_count_responses_and_name_no_one(services):
    story = Riverside.set_up(services.app, TODAY)
    published = published_with_input(story)
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        counts = transparency_pages.response_counts(conn, story.policy)
        responses = transparency_pages.public_responses_page(conn, story.policy, 1000).rows
        decisions = transparency_pages.public_decisions_page(conn, story.policy, 1000).rows
    assert counts == {"adopted": 0, "adapted": 1, "not_adopted": 1, "awaiting": 1}
    assert [(r["response"], r["reason"], r["contribution_kind"]) for r in responses] == [
        ("adapted", ADAPTED, "concern"),
        ("not_adopted", NOT_ADOPTED, "suggestion"),
    ]
    assert [d["id"] for d in decisions] == [published.decision, published.vote]
    assert decisions[0]["decision_maker_groups"] == ["home_educator", "local_authority"]
    assert decisions[1]["votes"] == {"for": 3, "against": 1, "abstentions": 0}
    # Nothing that names or quotes a person is even read.
    read = {column for row in (*responses, *decisions) for column in row}
    assert not read & {"decided_by", "proposed_by", "dissent", "contributor", "pseudonym"}


def test_publishing_rebuilds_to_the_same_rows(services):
    story = Riverside.set_up(services.app, TODAY)
    published_with_input(story)
    story.app.withdraw_transparency_page(story.actor, story.policy, "")
    story.app.publish_transparency_page(story.actor, story.policy)
    services.read_models.catch_up()
    before = snapshot(services)
    services.read_models.rebuild()
    assert snapshot(services) == before


def test_a_directory_of_the_shape_before_transparency_pages_is_rebuilt_at_start(database_url):
    first = open_services(database_url, today=lambda: TODAY)
    story = Riverside.set_up(first.app, TODAY)
    story.app.publish_transparency_page(story.actor, story.policy)
    first.read_models.catch_up()
    before = snapshot(first)
    # As an installation built before transparency pages: version 1, no such column (and no index
    # of the published pages on it, which SQLite would not drop with the column).
    built_at_version(
        first.engine,
        "directory",
        1,
        "DROP INDEX directory_policies_published",
        "ALTER TABLE directory_policies DROP COLUMN public_page_since",
    )
    first.close()

    upgraded = open_services(database_url, today=lambda: TODAY)
    try:
        assert snapshot(upgraded) == before
    finally:
        upgraded.close()


PUBLISHED_HISTORY = """\
cotrace: history/1
partnership: Millbrook EHE Partnership
records:
  - {type: policy, key: ehe, title: EHE policy, initiated_by: citizens, started_on: 2026-05-04}
  - {type: policy, key: send, title: SEND strategy, initiated_by: authority, started_on: 2026-05-04}
  - {type: transparency_page, policy: ehe}
"""


def test_a_history_publishes_a_policys_page_as_the_button_does(services):
    imported = import_history(services, load_history(PUBLISHED_HISTORY), actor=importer(services))
    with services.engine.connect() as conn:
        listed = [p["id"] for p in transparency_pages.published_policies(conn)]
    assert listed == [imported.ids["ehe"]]


def test_a_transparency_page_record_names_a_policy_defined_earlier_and_nothing_else():
    broken = PUBLISHED_HISTORY + "  - {type: transparency_page, policy: nowhere, published_on: 2026-05-05}\n"
    with pytest.raises(HistoryInvalid) as error:
        load_history(broken)
    messages = [problem.message for problem in error.value.problems]
    assert "'nowhere' is not defined earlier in the file: define it before this record" in messages
    assert any(m.startswith("Remove 'published_on'") for m in messages)
