"""Bringing in an existing history: a file is checked whole, then recorded all or nothing through the
application's commands, with the date each fact happened."""

from __future__ import annotations

import json
from datetime import date, timedelta

import jsonschema
import pytest
from sqlalchemy import func, select

from cotrace.demo import DEMO_FOLDER, HISTORIES, load_demo
from cotrace.importer import SCHEMA_PATH, HistoryInvalid, import_history, load_history
from cotrace.services import open_services
from domain.vocabulary import STAGES, STAKEHOLDER_GROUPS
from projections import directory, followups
from projections.reads import meeting_attendance, meeting_decisions, partnership_meetings, policy_trail
from tests.command_line import command_line
from tests.conftest import ADMIN, importer

HISTORY = """\
cotrace: history/1
partnership: Millbrook EHE Partnership
records:
  - type: participant
    key: amira
    name: Amira Hassan
    group: home_educator
    joined_on: 2025-09-01
  - type: participant
    key: daniel
    name: Daniel Price
    group: local_authority
    joined_on: 2025-09-01
  - type: participant
    key: grace
    name: Grace Okafor
    group: parent_carer
    joined_on: 2025-09-01
  - type: chair
    participant: amira
  - type: policy
    key: ehe
    title: Elective Home Education Policy
    initiated_by: citizens
    started_on: 2025-09-10
  - type: meeting
    key: first
    title: Opening meeting
    held_on: 2025-10-02
    place: Library
    present: [amira, daniel]
    apologies: [grace]
  - type: contribution
    key: blank-page
    policy: ehe
    contributor: amira
    kind: suggestion
    text: Start from a blank page.
    channel: meeting
    meeting: first
  - type: response
    contribution: blank-page
    response: adopted
    responded_by: daniel
    happened_on: 2025-10-02
  - type: decision
    key: start-blank
    policy: ehe
    meeting: first
    text: Start the policy from a blank page.
    stage: co_commission
    proposed_by: amira
    decided_by: [amira, daniel]
    method: consensus
    cites: [blank-page]
"""

LATE_BAD_DECISION = """\
  - type: meeting
    key: second
    title: Second meeting
    held_on: 2025-11-06
    present: [daniel]
  - type: decision
    key: without-families
    policy: ehe
    meeting: second
    text: Move to co-design.
    stage: co_design
    proposed_by: daniel
    decided_by: [daniel, grace]
    method: consensus
"""


def line_of(text: str, fragment: str) -> int:
    """The number (from 1) of the first line of `text` holding `fragment`."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def events(services) -> int:
    return services.app.recorder.max_notification_id() or 0


def test_a_history_is_recorded_with_the_dates_it_happened(services):
    imported = import_history(services, load_history(HISTORY), actor=importer(services))

    with services.engine.connect() as conn:
        trail = policy_trail(conn, imported.ids["ehe"])
        decided = conn.execute(select(directory.decisions)).all()
    assert [row.text for row in decided] == ["Start the policy from a blank page."]
    assert decided[0].id == imported.ids["start-blank"]
    # Each fact carries the day it happened and the moment it was recorded.
    assert {row["happened_on"] for row in trail} >= {date(2025, 9, 10), date(2025, 10, 2)}
    assert all(row["recorded_at"].date() > row["happened_on"] for row in trail)
    assert "Start the policy from a blank page." in [row["what"] for row in trail]


def test_one_broken_rule_late_in_the_file_writes_nothing(services):
    importer(services)  # the account the import is recorded as, opened before counting
    before = events(services)
    text = HISTORY + LATE_BAD_DECISION
    history = load_history(text)  # the file itself is well formed

    with pytest.raises(HistoryInvalid) as invalid:
        import_history(services, history, actor=importer(services))

    assert events(services) == before
    [problem] = invalid.value.problems
    assert problem.path == "record 11 (decision 'without-families'), decided_by"
    assert problem.line == line_of(text, "decided_by: [daniel, grace]")
    assert "present" in problem.message


def test_a_file_imported_twice_is_refused_the_second_time(services):
    import_history(services, load_history(HISTORY), actor=importer(services))
    importer(services)  # the account the import is recorded as, opened before counting
    before = events(services)

    with pytest.raises(HistoryInvalid) as invalid:
        import_history(services, load_history(HISTORY), actor=importer(services))

    [problem] = invalid.value.problems
    assert problem.line == 2 and "recorded already" in problem.message
    assert events(services) == before


def test_every_problem_in_a_file_is_reported_with_its_line(services):
    text = (
        HISTORY.replace("group: parent_carer", "group: parent")
        .replace("held_on: 2025-10-02", "held_on: 2 October 2025")
        .replace("responded_by: daniel", "responded_by: danny")
        .replace("cites: [blank-page]", "cites: [ehe]")
        .replace("started_on: 2025-09-10", "started_on: 2025-09-31\n    colour: blue")
    )
    importer(services)  # the account the import is recorded as, opened before counting
    before = events(services)

    with pytest.raises(HistoryInvalid) as invalid:
        import_history(services, load_history(text), actor=importer(services))

    found = {(p.line, p.path): p.message for p in invalid.value.problems}

    assert "home_educator" in found[(line_of(text, "group: parent"), "record 3, group")]
    assert "2025-09-31 is not a real date" in found[(line_of(text, "2025-09-31"), "record 5, started_on")]
    assert "'colour'" in found[(line_of(text, "colour"), "record 5, colour")]
    assert "YYYY-MM-DD" in found[(line_of(text, "2 October"), "record 6, held_on")]
    assert "not defined earlier" in found[(line_of(text, "danny"), "record 8, responded_by")]
    assert "is a policy: name a contribution" in found[(line_of(text, "cites"), "record 9, cites[1]")]
    assert len(found) == 6
    assert events(services) == before


def test_keys_are_unique_and_defined_before_use():
    text = HISTORY.replace("key: daniel", "key: amira").replace(
        "  - type: chair\n    participant: amira\n", ""
    )
    text = text.replace("records:\n", "records:\n  - type: chair\n    participant: amira\n", 1)
    with pytest.raises(HistoryInvalid) as invalid:
        load_history(text)
    messages = [(p.path, p.message) for p in invalid.value.problems]
    assert (
        "record 1, participant",
        "'amira' is not defined earlier in the file: define it before this record",
    ) in messages
    assert any(path == "record 3, key" and "used already" in message for path, message in messages)


def test_a_file_that_is_not_yaml_says_where():
    with pytest.raises(HistoryInvalid) as invalid:
        load_history("cotrace: history/1\nrecords: [\n  - type: chair\n")
    [problem] = invalid.value.problems
    assert problem.line and "not valid YAML" in problem.message


def test_a_dry_run_tries_every_rule_and_writes_nothing(services):
    importer(services)  # the account the import is recorded as, opened before counting
    before = events(services)
    imported = import_history(services, load_history(HISTORY), dry_run=True, actor=importer(services))
    assert imported.records == 9
    assert events(services) == before
    with pytest.raises(HistoryInvalid):
        import_history(
            services, load_history(HISTORY + LATE_BAD_DECISION), dry_run=True, actor=importer(services)
        )


def test_the_schema_is_valid_and_speaks_the_domains_words():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    definitions = schema["$defs"]
    assert definitions["participant"]["properties"]["group"]["enum"] == list(STAKEHOLDER_GROUPS)
    assert definitions["stage"]["enum"] == list(STAGES)


@pytest.mark.parametrize("name", HISTORIES)
def test_the_demo_histories_import(database_url, name):
    services = open_services(database_url, today=lambda: date(2026, 11, 24))
    try:
        history = load_history((DEMO_FOLDER / name).read_text())
        imported = import_history(services, history, actor=importer(services))
        with services.engine.connect() as conn:
            decided = conn.execute(
                select(directory.decisions).where(directory.decisions.c.id.in_(imported.ids.values()))
            ).all()
        assert len(decided) == sum(1 for r in history.records if r["type"] == "decision" and "key" in r)
    finally:
        services.close()


# The demo's meetings are dated from the day it is loaded, whichever day that is (the README says
# "the meeting held on the day you loaded the demo"); its history is all before then.
@pytest.mark.parametrize("today", [date(2026, 11, 24), date(2030, 2, 10)])
def test_the_demo_adds_a_meeting_held_today_ready_for_a_decision(database_url, today):
    services = open_services(database_url, today=lambda: today)
    try:
        riverside, _ = services.run(lambda app, actor: load_demo(app, actor, app.today()), importer(services))
        with services.engine.connect() as conn:
            meetings = {m["held_on"]: m for m in partnership_meetings(conn, riverside)}
            tonight = meetings[today]
            assert tonight["title"] == "Partnership meeting"
            assert list(meeting_attendance(conn, tonight["id"]).values()).count("present") == 4
            assert meeting_decisions(conn, tonight["id"]) == []
            assert meetings[today + timedelta(days=21)]["title"] == "Co-design workshop"
            assert max(meetings) == today + timedelta(days=21)
            # Consent is given at the end of the history: nobody is emailed about old news.
            assert conn.scalar(select(func.count()).select_from(followups.outbox)) == 0
    finally:
        services.close()


def test_the_import_command_prints_every_problem_and_fails(flask_app, admin_id, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        HISTORY.replace("responded_by: daniel", "responded_by: danny").replace(
            "kind: suggestion", "kind: idea"
        )
    )
    result = command_line(flask_app).invoke(args=["import", "--as", ADMIN[1], str(bad)])
    assert result.exit_code != 0
    assert "danny" in result.output and "'idea' is not allowed here" in result.output
    assert f"{bad}:{line_of(HISTORY, 'responded_by: daniel')}: record 8, responded_by:" in result.output


def test_the_import_command_records_a_good_file(flask_app, admin_id, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(HISTORY)
    runner = command_line(flask_app)
    dry = runner.invoke(args=["import", "--as", ADMIN[1], "--dry-run", str(good)])
    assert dry.exit_code == 0, dry.output
    assert "nothing was recorded" in dry.output
    result = runner.invoke(args=["import", "--as", ADMIN[1], str(good)])
    assert result.exit_code == 0, result.output
    assert "Recorded 9 records" in result.output


def test_control_characters_written_as_yaml_escapes_are_left_out(services):
    """YAML can write NUL as "\\0": PostgreSQL cannot store it, and XML (the feed) cannot hold it."""
    text = HISTORY.replace("text: Start from a blank page.", 'text: "Start from\\0 a blank\\a page."')
    assert text != HISTORY
    imported = import_history(services, load_history(text), actor=importer(services))
    with services.engine.connect() as conn:
        trail = policy_trail(conn, imported.ids["ehe"])
    assert "Start from a blank page." in [row["what"] for row in trail]


def test_a_contribution_at_a_workshop_names_the_meeting_it_was_given_at(services):
    workshop = HISTORY.replace(
        "    channel: meeting\n    meeting: first\n", "    channel: workshop\n    meeting: first\n"
    )
    assert workshop != HISTORY
    imported = import_history(services, load_history(workshop), actor=importer(services))

    with services.engine.connect() as conn:
        given = conn.execute(
            select(directory.contributions).where(directory.contributions.c.id == imported.ids["blank-page"])
        ).one()
    assert (given.channel, given.meeting_id, given.happened_on) == (
        "workshop",
        imported.ids["first"],
        date(2025, 10, 2),
    )


def test_the_import_command_counts_what_the_file_holds_before_and_after_recording(runner, tmp_path):
    """A dry run shows the counts per policy and stage, so input filed under the wrong stage is seen."""
    later = """\
  - type: stage
    policy: ehe
    stage: co_design
    entered_on: 2025-10-20
  - type: contribution
    policy: ehe
    contributor: grace
    kind: concern
    text: Letters read like accusations.
    channel: email
    happened_on: 2025-10-21
  - type: contribution
    policy: ehe
    contributor: amira
    kind: view
    text: Families should write the first letter.
    channel: survey
    happened_on: 2025-10-22
    stage: co_commission
"""
    history = tmp_path / "history.yaml"
    history.write_text(HISTORY + later)

    dry = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(history)])
    assert dry.exit_code == 0, dry.output
    assert "Records by type:\n  participant: 3\n  chair: 1\n  policy: 1\n  meeting: 1\n" in dry.output
    assert "  contribution: 3\n  response: 1\n  decision: 1\n  stage: 1\n" in dry.output
    assert (
        "By policy and stage:\n"
        "  Elective Home Education Policy, cycle 1, Co-commission: 2 contributions, 1 decision\n"
        "  Elective Home Education Policy, cycle 1, Co-design: 1 stage entered, 1 contribution\n"
    ) in dry.output
    assert "nothing was recorded" in dry.output

    recorded = runner.invoke(["import", "--as", ADMIN[1], str(history)])
    assert recorded.exit_code == 0, recorded.output
    assert "Recorded 12 records" in recorded.output
    assert "Co-design: 1 stage entered, 1 contribution" in recorded.output
