"""A history file can say that a new cycle was started before its time, with the reason, and a
broken rule of that record is told at the file's own field."""

from __future__ import annotations

import pytest

from cotrace.importer import HistoryInvalid, import_history, load_history
from projections.reads import policy_stages, policy_trail
from tests.conftest import importer
from tests.integration.test_import import HISTORY, events, line_of

RESTARTED = """\
  - type: stage
    policy: ehe
    stage: co_design
    entered_on: 2025-11-03
  - type: new_cycle
    policy: ehe
    reason: The council restarted the policy after new statutory guidance
    happened_on: 2026-01-12
"""


def test_a_new_cycle_in_a_history_is_recorded_with_its_reason(services):
    imported = import_history(services, load_history(HISTORY + RESTARTED), actor=importer(services))

    with services.engine.connect() as conn:
        stages = policy_stages(conn, imported.ids["ehe"])
        trail = policy_trail(conn, imported.ids["ehe"])
    assert [(s["stage"], s["cycle"]) for s in stages][-2:] == [("co_design", 1), ("co_commission", 2)]
    assert stages[-1]["entered_on"].isoformat() == "2026-01-12"
    assert trail[-1]["what"] == (
        "Cycle 2 started, from Co-design: The council restarted the policy after new statutory guidance"
    )


def test_a_new_cycle_dated_before_the_current_stage_is_told_at_its_date(services):
    text = HISTORY + RESTARTED.replace("happened_on: 2026-01-12", "happened_on: 2025-10-20")
    importer(services)  # the account the import is recorded as, opened before counting
    before = events(services)

    with pytest.raises(HistoryInvalid) as invalid:
        import_history(services, load_history(text), actor=importer(services))

    [problem] = invalid.value.problems
    assert problem.path == "record 11 (new_cycle), happened_on"
    assert problem.line == line_of(text, "happened_on: 2025-10-20")
    assert "The new cycle cannot begin before 3 November 2025" in problem.message
    assert events(services) == before
