"""Scenario files in the import format, each with the verdict a person gave it beside it
(tests/scenarios/README.md): imported into an empty store, the evidence engine must agree."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cotrace.importer import import_history, load_history
from domain.evidence import assess_policy
from projections.evidence import policy_facts
from tests.conftest import TODAY

SCENARIOS = Path(__file__).parents[1] / "scenarios"
CASES = sorted(
    p.name.removesuffix(".yaml") for p in SCENARIOS.glob("*.yaml") if not p.name.endswith(".expected.yaml")
)


def test_every_scenario_has_its_expected_verdict():
    assert CASES and all((SCENARIOS / f"{case}.expected.yaml").exists() for case in CASES)


@pytest.mark.parametrize("case", CASES)
def test_the_evidence_engine_agrees_with_the_scenario(services, case):
    history = load_history((SCENARIOS / f"{case}.yaml").read_text())
    expected = yaml.safe_load((SCENARIOS / f"{case}.expected.yaml").read_text())
    imported = import_history(services, history)

    with services.engine.connect() as conn:
        facts = policy_facts(conn, imported.ids[expected["policy"]])
    whole = assess_policy(facts, TODAY)[0]

    found = {v.criterion: v.status for v in whole.verdicts}
    assert found == expected["criteria"], [
        v for v in whole.verdicts if v.status != expected["criteria"][v.criterion]
    ]
    assert whole.level == expected["level"], whole.reasons
    flags = [flag for v in whole.verdicts for flag in v.flags]
    assert len(flags) == expected["flags"], flags
