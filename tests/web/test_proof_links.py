"""The events a verdict names on the evidence page (its first few, each once, and how many more) and
the links to them."""

from __future__ import annotations

from uuid import uuid4

from flask import url_for

from projections.keyset import encode
from web.evidence_pages import refs_shown
from web.policies import event_url


def test_the_first_few_events_each_once_and_how_many_more_there_are():
    refs = (5, 3, 5, 9, 3, 1, 7, 9, 2)

    assert refs_shown(refs, 3) == ([5, 3, 9], 3)  # 1, 7 and 2 are not shown
    assert refs_shown(refs, 6) == ([5, 3, 9, 1, 7, 2], 0)
    assert refs_shown(refs, 10) == ([5, 3, 9, 1, 7, 2], 0)
    assert refs_shown(refs) == ([5, 3, 9, 1, 7, 2], 0)
    assert refs_shown((), 3) == ([], 0)


def test_a_proofs_link_is_the_address_url_for_gives(flask_app):
    policy = uuid4()
    with flask_app.test_request_context("/"):
        for position in (1, 57, 123_456):
            expected = url_for(
                "policies.show", policy_id=policy, after=encode((position - 1,)), _anchor=f"event-{position}"
            )
            assert event_url(policy, position) == expected
