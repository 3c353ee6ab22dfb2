"""The two readings of "as of" (DESIGN.md): the audit trail, the evidence page, the dashboard and
`cotrace level` give the same facts for the same day and reading.

The demo's histories are brought in with `cotrace import`'s own code on one day (TODAY), long after
they happened: as it happened, they count on the days they happened; as recorded, nothing was known
before TODAY.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask.testing import FlaskClient

from cotrace.demo import load_demo
from cotrace.levels import find_policy
from domain.evidence import AS_HAPPENED, AS_RECORDED
from projections import evidence, reads
from projections.reads import TrailFilter, policy_trail
from tests.conftest import TODAY, importer
from tests.policy_life import Clock

PAST_DAY = date(2025, 6, 30)  # the demo EHE policy had started, and had decisions, by then


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def demo_policy(flask_app, clock):
    clock.set(TODAY)
    services = flask_app.extensions["cotrace"]
    services.run(lambda app, actor: load_demo(app, actor, app.today()), importer(services))
    with services.engine.connect() as conn:
        return find_policy(conn, "Elective Home Education")


def _page(client: FlaskClient, url: str, reading: str) -> str:
    return client.get(url, query_string={"as_of": PAST_DAY.isoformat(), "reading": reading}).get_data(
        as_text=True
    )


@pytest.mark.parametrize("reading", [AS_HAPPENED, AS_RECORDED])
def test_the_trail_the_evidence_page_and_the_cli_give_the_same_facts(
    flask_app, client, runner, demo_policy, reading
):
    services = flask_app.extensions["cotrace"]
    with services.engine.connect() as conn:
        only = TrailFilter(as_of=PAST_DAY, as_recorded=reading == AS_RECORDED)
        trail_decisions = {
            r["position"] for r in policy_trail(conn, demo_policy, only) if r["kind"] == "decision_recorded"
        }
        facts = evidence.policy_facts(conn, demo_policy)
    judged = (
        {d.ref for d in facts.as_of(PAST_DAY, reading).decisions}
        if facts.has_started(PAST_DAY, reading)
        else set()
    )
    assert trail_decisions == judged

    args = ["level", str(demo_policy), "--json", "--as-of", PAST_DAY.isoformat()]
    printed = json.loads(runner.invoke([*args, "--as-recorded"] if reading == AS_RECORDED else args).output)
    assert printed["reading"] == reading

    page = _page(client, f"/policies/{demo_policy}/evidence", reading)
    trail_page = _page(client, f"/policies/{demo_policy}", reading)
    if reading == AS_HAPPENED:
        assert trail_decisions, "the imported decisions count on the days they happened"
        level = printed["assessments"][0]["level"]
        assert f"Evidenced level: <strong>{level.capitalize()}</strong>" in page
        assert "Recorded later, on 15 June 2026" in trail_page
    else:
        assert trail_decisions == set(), "nothing had been recorded by then"
        assert printed["started"] is False and printed["assessments"] == []
        assert "there is no verdict as of that day" in page
        assert "Recorded later" not in trail_page
    assert (
        f"as of 30 June 2025 ({'as recorded' if reading == AS_RECORDED else 'as it happened'})" in trail_page
    )


@pytest.mark.parametrize("reading", [AS_HAPPENED, AS_RECORDED])
def test_the_dashboard_agrees_with_the_evidence_page(flask_app, client, demo_policy, reading):
    services = flask_app.extensions["cotrace"]
    with services.engine.connect() as conn:
        partnership = reads.policy(conn, demo_policy)["partnership_id"]
    page = _page(client, f"/partnerships/{partnership}/dashboard", reading)
    level_page = _page(client, f"/policies/{demo_policy}/evidence", reading)
    if reading == AS_HAPPENED:
        level = level_page.split("Evidenced level: <strong>", 1)[1].split("</strong>", 1)[0]
        assert f"<strong>{level}</strong>" in page
    else:
        assert "Had not started" in page


@pytest.mark.parametrize(
    "day, message", [("1989-12-31", "on or after 1 January 1990"), ("2030-01-01", "cannot be in the future")]
)
def test_a_day_outside_the_records_possible_range_is_refused_plainly(
    client, runner, demo_policy, day, message
):
    for url in (f"/policies/{demo_policy}", f"/policies/{demo_policy}/evidence"):
        response = client.get(url, query_string={"as_of": day})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    printed = runner.invoke(["level", str(demo_policy), "--as-of", day])
    assert printed.exit_code == 2 and message in printed.output
