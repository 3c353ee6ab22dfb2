"""A member's private link can be revoked and reissued by a chair of their partnership, and the
record says who did it; the events hold the link's number, never the link."""

from __future__ import annotations

import pytest

from domain.errors import RulesBroken
from domain.people import Participant


def events_of(app, aggregate_id):
    return list(app.repository.event_store.get(aggregate_id))


def test_a_participant_starts_with_link_zero_which_works(riverside):
    amira = riverside.app.repository.get(riverside.people["amira"])
    assert (amira.private_link, amira.private_link_revoked) == (0, False)


def test_reissuing_numbers_the_new_link_after_the_last_and_says_who_did_it(riverside):
    app, amira = riverside.app, riverside.people["amira"]
    app.reissue_private_link(riverside.actor, riverside.partnership, amira)
    app.reissue_private_link(riverside.actor, riverside.partnership, amira)

    participant = app.repository.get(amira)
    assert (participant.private_link, participant.private_link_revoked) == (2, False)
    reissued = events_of(app, amira)[-1]
    assert isinstance(reissued, Participant.PrivateLinkReissued)
    assert (reissued.number, reissued.partnership_id, reissued.recorded_by) == (
        2,
        riverside.partnership,
        riverside.actor,
    )
    assert set(reissued.__dict__) - {"originator_id", "originator_version", "timestamp"} == {
        "number",
        "partnership_id",
        "recorded_by",
    }  # nothing secret: the link itself is made from the installation's key, outside the log


def test_revoking_leaves_no_link_until_one_is_reissued_and_twice_records_once(riverside):
    app, amira = riverside.app, riverside.people["amira"]
    app.revoke_private_link(riverside.actor, riverside.partnership, amira)
    app.revoke_private_link(riverside.actor, riverside.partnership, amira)
    participant = app.repository.get(amira)
    assert (participant.private_link, participant.private_link_revoked) == (0, True)
    assert sum(isinstance(e, Participant.PrivateLinkRevoked) for e in events_of(app, amira)) == 1

    app.reissue_private_link(riverside.actor, riverside.partnership, amira)
    participant = app.repository.get(amira)
    assert (participant.private_link, participant.private_link_revoked) == (1, False)


@pytest.mark.parametrize("command", ["reissue_private_link", "revoke_private_link"])
def test_only_a_member_of_the_partnership_has_their_link_changed_by_it(riverside, command):
    app = riverside.app
    elsewhere = app.form_partnership(riverside.actor, "Elmsford SEND Partnership")
    before = app.repository.get(riverside.people["amira"]).version
    with pytest.raises(RulesBroken) as broken:
        getattr(app, command)(riverside.actor, elsewhere, riverside.people["amira"])
    assert broken.value.by_field() == {"participant": "Choose a member of this partnership"}
    assert app.repository.get(riverside.people["amira"]).version == before
