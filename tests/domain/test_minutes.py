"""The chair writes a meeting's minutes, or attaches a file of them, and the approval names the very
version the approvers read (issue 15: "Approve minutes" approved nothing visible)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from eventsourcing.persistence import StoredEvent

from domain.application import Cotrace
from domain.errors import RulesBroken
from domain.minutes import MINUTES_TEXT, MinutesVersion, text_checksum
from tests.conftest import TODAY

WORDS = "Present: Amira, Tom, Daniel, Sophie.\n\nAgreed to ask families first."


def test_the_approval_names_the_version_written(riverside):
    app, actor, meeting_id = riverside.app, riverside.actor, riverside.meeting
    first = app.write_minutes(actor, meeting_id, "  Draft  ")
    second = app.write_minutes(actor, meeting_id, WORDS)
    assert (first, second) == (text_checksum("Draft"), hashlib.sha256(WORDS.encode()).hexdigest())

    app.approve_minutes(actor, meeting_id, [riverside.people["amira"]], TODAY, content_hash=second)

    meeting = app.repository.get(meeting_id)
    assert meeting.minutes == [
        MinutesVersion(1, "Draft", "", first),
        MinutesVersion(2, WORDS, "", second),
    ]
    approved = [
        e for e in app.repository.event_store.get(meeting_id) if type(e).__name__ == "MinutesApproved"
    ]
    assert approved[0].content_hash == second


def test_the_words_checksum_is_the_same_whatever_the_line_endings(riverside):
    """Found in a browser: a textarea sends CR LF, so the page's checksum was not the words'."""
    typed = WORDS.replace("\n", "\r\n")
    assert riverside.app.write_minutes(riverside.actor, riverside.meeting, typed) == text_checksum(WORDS)
    assert riverside.app.repository.get(riverside.meeting).minutes[0].text == WORDS


def test_a_file_of_minutes_is_kept_as_its_name_and_checksum(riverside):
    app, actor, meeting_id = riverside.app, riverside.actor, riverside.meeting
    checksum = hashlib.sha256(b"%PDF minutes").hexdigest()
    assert app.write_minutes(actor, meeting_id, "", "minutes.pdf", checksum) == checksum
    assert app.repository.get(meeting_id).minutes == [MinutesVersion(1, "", "minutes.pdf", checksum)]


def test_approving_with_no_minutes_or_an_older_version_is_refused(riverside):
    app, actor, meeting_id, amira = (
        riverside.app,
        riverside.actor,
        riverside.meeting,
        riverside.people["amira"],
    )
    with pytest.raises(RulesBroken) as error:
        app.approve_minutes(actor, meeting_id, [amira], TODAY, content_hash="")
    assert "Write or attach the minutes first" in error.value.by_field()["approved_by"]

    old = app.write_minutes(actor, meeting_id, "Draft")
    app.write_minutes(actor, meeting_id, WORDS)
    with pytest.raises(RulesBroken) as error:
        app.approve_minutes(actor, meeting_id, [amira], TODAY, content_hash=old)
    assert "have changed since this page was opened" in error.value.by_field()["approved_by"]
    assert app.repository.get(meeting_id).minutes_approved_on is None


def test_minutes_are_words_or_a_file_and_stand_once_approved(riverside):
    app, actor, meeting_id = riverside.app, riverside.actor, riverside.meeting
    for text, file_name, message in [
        (" ", "", "Write the minutes, or attach a file of them"),
        ("Words", "minutes.pdf", "not both"),
        ("x" * (MINUTES_TEXT + 1), "", "100,000 characters or fewer"),
    ]:
        with pytest.raises(RulesBroken) as error:
            app.write_minutes(actor, meeting_id, text, file_name, "0" * 64)
        assert message in error.value.by_field()["text"]
    checksum = app.write_minutes(actor, meeting_id, WORDS)
    app.approve_minutes(actor, meeting_id, [riverside.people["amira"]], TODAY, content_hash=checksum)
    with pytest.raises(RulesBroken) as error:
        app.write_minutes(actor, meeting_id, "Something else")
    assert "approved on 15 June 2026: they stand as approved" in error.value.by_field()["text"]
    assert len(app.repository.get(meeting_id).minutes) == 1


def test_minutes_wait_for_the_meeting(riverside):
    app, actor = riverside.app, riverside.actor
    later = app.schedule_meeting(actor, riverside.partnership, "Next", TODAY + timedelta(days=7), "Library")
    with pytest.raises(RulesBroken) as error:
        app.write_minutes(actor, later, WORDS)
    assert "once it has taken place" in error.value.by_field()["text"]


def test_minutes_approved_as_version_one_stored_them_still_read(riverside):
    """Approvals stored before minutes were kept in Cotrace name no version: the upcaster reads them
    as minutes kept elsewhere, and history brought in approves them the same way."""
    app, actor, meeting_id = riverside.app, riverside.actor, riverside.meeting
    app.approve_minutes(actor, meeting_id, [riverside.people["amira"]], TODAY)
    stored = list(app.recorder.select_events(meeting_id))
    approved = stored[-1]
    assert approved.topic.endswith("Meeting.MinutesApproved")
    state = json.loads(approved.state)
    for added in ("content_hash", "class_version"):
        del state[added]
    version_one = StoredEvent(
        approved.originator_id, approved.originator_version, approved.topic, json.dumps(state).encode()
    )

    elsewhere = Cotrace(today=lambda: TODAY)
    elsewhere.recorder.insert_events([*stored[:-1], version_one])
    assert elsewhere.repository.get(meeting_id).minutes_approved_on == TODAY
    assert elsewhere.mapper.to_domain_event(version_one).content_hash is None
