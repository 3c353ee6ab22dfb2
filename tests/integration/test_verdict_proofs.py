"""Every verdict that passes or fails links to real events in the log (DESIGN.md, "The evidence of
co-production"): one with no event of its own links to the events that show the absence. Each link
lands on a row of the policy's audit trail, named and dated."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cotrace.importer import import_history, load_history
from domain.evidence import FAIL, PASS, assess_policy
from projections.audit_trail import trail
from projections.evidence import policy_facts
from projections.proofs import proofs
from tests.conftest import ADMIN, TODAY, importer
from tests.integration.test_scenarios import CASES, SCENARIOS


@pytest.mark.parametrize("case", CASES)
def test_every_verdict_that_passes_or_fails_links_to_real_events(services, case):
    history = load_history((SCENARIOS / f"{case}.yaml").read_text())
    imported = import_history(services, history, actor=importer(services))
    in_the_log = {n.id for n in services.app.recorder.select_notifications(1, 100_000)}

    unproven, off_the_trail = [], []
    for policy in (r["key"] for r in history.records if r["type"] == "policy"):
        policy_id = imported.ids[policy]
        with services.engine.connect() as conn:
            facts = policy_facts(conn, policy_id)
            on_its_trail = set(conn.scalars(select(trail.c.position).where(trail.c.policy_id == policy_id)))
            found = assess_policy(facts, TODAY)
            named = proofs(conn, (ref for a in found for v in a.verdicts for ref in v.refs))
        for assessment in found:
            for verdict in assessment.verdicts:
                where = (assessment.scope.label, verdict.criterion, verdict.status, verdict.refs)
                if verdict.status in (PASS, FAIL) and (
                    not verdict.refs or not set(verdict.refs) <= in_the_log
                ):
                    unproven.append(where)
                if not set(verdict.refs) <= on_its_trail or not set(verdict.refs) <= set(named):
                    off_the_trail.append(where)
    assert not unproven
    assert not off_the_trail


def test_cotrace_level_names_and_dates_each_event(runner):
    imported = runner.invoke(["import", "--as", ADMIN[1], str(SCENARIOS / "blank-slate-ehe.yaml")])
    assert imported.exit_code == 0, imported.output

    printed = runner.invoke(["level", "EHE policy"])
    assert printed.exit_code == 0, printed.output
    assert "events: Policy started: EHE policy. Initiated by citizens, 13 January 2025 (" in printed.output
    assert "Decision 'Start from a blank page', 20 January 2025 (" in printed.output
