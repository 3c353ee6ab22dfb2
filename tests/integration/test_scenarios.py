"""Scenario files in the import format, each with the verdict a person gave it beside it
(tests/scenarios/README.md): imported into an empty store, the evidence engine must agree.

An expected file may also hold `as_of:`, a list of verdicts asked "as of" a past day in one of the
two readings (DESIGN.md, "Two readings of 'as of'"): each entry has `day` and `reading` (`happened`
or `recorded`), and either `started: false` (no verdict: the policy had not started, or nothing of
it was known yet) or its own `level`, `criteria` and, optionally, `flags`. A history is imported on
the day the test runs, so "as recorded" on any earlier day knows nothing of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from cotrace.importer import import_history, load_history
from domain.evidence import AS_HAPPENED, AS_RECORDED, assess_policy
from projections.evidence import policy_facts
from tests.conftest import TODAY, importer

SCENARIOS = Path(__file__).parents[1] / "scenarios"
CASES = sorted(
    p.name.removesuffix(".yaml") for p in SCENARIOS.glob("*.yaml") if not p.name.endswith(".expected.yaml")
)
READINGS = {"happened": AS_HAPPENED, "recorded": AS_RECORDED}


def test_every_scenario_has_its_expected_verdict():
    assert CASES and all((SCENARIOS / f"{case}.expected.yaml").exists() for case in CASES)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _agrees(whole, expected: dict, where: str) -> None:
    """The whole policy's verdict agrees with the expected one: each criterion, the level, and the
    number of flags (when the expected verdict gives it)."""
    found = {v.criterion: v.status for v in whole.verdicts}
    assert found == expected["criteria"], (
        where,
        [v for v in whole.verdicts if v.status != expected["criteria"].get(v.criterion)],
    )
    assert whole.level == expected["level"], (where, whole.reasons)
    if "flags" in expected:
        flags = [flag for v in whole.verdicts for flag in v.flags]
        assert len(flags) == expected["flags"], (where, flags)


@pytest.mark.parametrize("case", CASES)
def test_the_evidence_engine_agrees_with_the_scenario(services, case):
    history = load_history((SCENARIOS / f"{case}.yaml").read_text())
    expected = yaml.safe_load((SCENARIOS / f"{case}.expected.yaml").read_text())
    imported = import_history(services, history, actor=importer(services))

    with services.engine.connect() as conn:
        facts = policy_facts(conn, imported.ids[expected["policy"]])

    _agrees(assess_policy(facts, TODAY)[0], expected, f"{case}, today ({TODAY})")
    assert "flags" in expected, f"{case}: the verdict as of today states its number of flags"

    for entry in expected.get("as_of", []):
        day, reading = _day(entry["day"]), entry["reading"]
        where = f"{case}, as of {day}, as {reading}"
        assert reading in READINGS, f"{where}: the reading is 'happened' or 'recorded'"
        assessments = assess_policy(facts, TODAY, as_of=day, reading=READINGS[reading])
        if entry.get("started", True) is False:
            assert assessments == [], f"{where}: no verdict expected, the policy had not started"
        else:
            assert assessments, f"{where}: a verdict expected, but the engine says it had not started"
            _agrees(assessments[0], entry, where)
