"""Every verdict that passes or fails links to real events in the log (DESIGN.md, "The evidence of
co-production"): one with no event of its own links to the events that show the absence."""

from __future__ import annotations

import pytest

from cotrace.importer import import_history, load_history
from domain.evidence import FAIL, PASS, assess_policy
from projections.evidence import policy_facts
from tests.conftest import TODAY
from tests.integration.test_scenarios import CASES, SCENARIOS


@pytest.mark.parametrize("case", CASES)
def test_every_verdict_that_passes_or_fails_links_to_real_events(services, case):
    history = load_history((SCENARIOS / f"{case}.yaml").read_text())
    imported = import_history(services, history)
    in_the_log = {n.id for n in services.app.recorder.select_notifications(1, 100_000)}

    unproven = []
    for policy in (r["key"] for r in history.records if r["type"] == "policy"):
        with services.engine.connect() as conn:
            facts = policy_facts(conn, imported.ids[policy])
        for assessment in assess_policy(facts, TODAY):
            for verdict in assessment.verdicts:
                if verdict.status in (PASS, FAIL) and (
                    not verdict.refs or not set(verdict.refs) <= in_the_log
                ):
                    unproven.append((assessment.scope.label, verdict.criterion, verdict.status, verdict.refs))
    assert not unproven
