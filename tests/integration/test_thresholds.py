"""A partnership's thresholds on real databases: the read model rebuilt from the log equals the one
built live, `cotrace level` states what its verdicts were judged by, and a history file records them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from cotrace.importer import HistoryInvalid, import_history, load_history
from domain.evidence import DEFAULT_THRESHOLDS, Thresholds
from projections.thresholds import changes_of, thresholds_for
from tests.conftest import TODAY, importer
from tests.integration.test_import import HISTORY, line_of
from tests.integration.test_projections import snapshot
from tests.story import Riverside


def change_twice(story: Riverside) -> None:
    app, actor = story.app, story.actor
    app.change_thresholds(
        actor, story.partnership, "Quicker answers", TODAY - timedelta(days=9), timely_response_days=14
    )
    app.change_thresholds(actor, story.partnership, "Citizens hold most seats", TODAY, citizen_share=0.6)


def test_the_thresholds_rebuild_to_the_same_rows(services):
    story = Riverside.set_up(services.app, TODAY)
    change_twice(story)
    services.read_models.catch_up()
    live = snapshot(services)

    services.read_models.rebuild()

    assert snapshot(services) == live
    assert len(live["thresholds_changes"]) == 2
    with services.engine.connect() as conn:
        thresholds = thresholds_for(conn, story.partnership)
        assert [c["reason"] for c in changes_of(conn, story.partnership)] == [
            "Citizens hold most seats",
            "Quicker answers",
        ]
        assert thresholds_for(conn, story.policy) == DEFAULT_THRESHOLDS  # not a partnership: the defaults
    assert thresholds.differences() == {"timely_response_days": (28, 14), "citizen_share": (0.25, 0.6)}


def test_cotrace_level_states_the_thresholds_it_judged_by(runner, flask_app):
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    story.decide()

    defaults = json.loads(runner.invoke(["level", "EHE", "--json"]).output)["thresholds"]
    assert defaults == {
        "values": {
            "timely_response_days": 28,
            "key_decision_share": 0.75,
            "influence_share": 0.25,
            "dominance_share": 0.6,
            "citizen_share": 0.25,
        },
        "differ_from_defaults": {},
        "last_change": None,
    }

    change_twice(story)
    judged = runner.invoke(["level", "EHE", "--json"])
    assert judged.exit_code == 0, judged.output
    stated = json.loads(judged.output)["thresholds"]
    assert stated["values"]["citizen_share"] == 0.6 and stated["values"]["dominance_share"] == 0.6
    assert stated["differ_from_defaults"] == {
        "timely_response_days": {"default": 28, "value": 14},
        "citizen_share": {"default": 0.25, "value": 0.6},
    }
    assert stated["last_change"] == {"reason": "Citizens hold most seats", "happened_on": TODAY.isoformat()}
    # Citizens hold half the seats, below the 60% the partnership asks for.
    balance = json.loads(judged.output)["assessments"][0]["criteria"][4]
    assert balance["criterion"] == "balance" and balance["status"] == "fail"

    text = runner.invoke(["level", "EHE"]).output
    assert "Judged with these thresholds, as changed on 2026-06-15: Citizens hold most seats" in text
    assert "  Days within which a response is timely: 14 days (default 28 days)" in text
    assert "  Citizens' share: 60% (default 25%)" in text and "  Dominance share: 60%\n" in text


THRESHOLDS_RECORD = """\
  - type: thresholds
    timely_response_days: 14
    citizen_share: 40
    reason: Families asked for answers within a fortnight
    happened_on: 2025-09-05
"""


def test_a_history_file_records_the_partnerships_thresholds(services):
    imported = import_history(services, load_history(HISTORY + THRESHOLDS_RECORD), actor=importer(services))

    services.read_models.catch_up()
    with services.engine.connect() as conn:
        thresholds = thresholds_for(conn, imported.partnership_id)
        [change] = changes_of(conn, imported.partnership_id)
    assert thresholds == Thresholds(timely_response_days=14, citizen_share=0.4)
    assert (change["reason"], change["happened_on"]) == (
        "Families asked for answers within a fortnight",
        date(2025, 9, 5),
    )


def test_a_threshold_that_cannot_be_is_told_at_its_line_and_nothing_is_recorded(services):
    importer(services)  # the account the import is recorded as, opened before counting
    before = services.app.recorder.max_notification_id() or 0
    text = HISTORY + THRESHOLDS_RECORD.replace("citizen_share: 40", "citizen_share: 150")
    with pytest.raises(HistoryInvalid) as invalid:
        import_history(services, load_history(text), actor=importer(services))
    [problem] = invalid.value.problems
    assert problem.path == "record 10 (thresholds), citizen_share"
    assert problem.line == line_of(text, "citizen_share: 150")
    assert problem.message == "Enter the citizens' share as a percentage from 0 to 100"
    assert (services.app.recorder.max_notification_id() or 0) == before

    with pytest.raises(HistoryInvalid) as invalid:
        load_history(HISTORY + THRESHOLDS_RECORD.replace("14", "a fortnight"))
    [problem] = invalid.value.problems
    assert problem.message == "This should be a whole number"
