"""A log changed by hand outside Cotrace: the next command saves nothing and says so plainly (not a
crash), and `cotrace verify` names what changed."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from tests.web.test_meeting_page import post


def test_a_command_on_a_record_with_a_deleted_event_is_refused_with_a_plain_page(flask_app, client, story):
    services = flask_app.extensions["cotrace"]
    table = services.app.recorder.events_record_cls.__table__
    with services.engine.begin() as conn:  # the partnership's second event, deleted by hand
        conn.execute(
            delete(table).where(table.c.originator_id == story.partnership, table.c.originator_version == 2)
        )
    services.forget_cached_state()
    answer = post(
        client,
        f"/partnerships/{story.partnership}/members/new",
        {"name": "Nina New", "stakeholder_group": "parent_carer", "joined_on": story.today.isoformat()},
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "The record failed its integrity check" in page and "Traceback" not in page


def test_cotrace_verify_names_what_changed(flask_app, runner, story):
    services = flask_app.extensions["cotrace"]
    assert runner.invoke(["verify"]).exit_code == 0
    assert "The log is as it was sealed" in runner.invoke(["verify"]).output
    table = services.app.recorder.events_record_cls.__table__
    with services.engine.begin() as conn:
        target = conn.execute(select(table).order_by(table.c.id).offset(3).limit(1)).first()
        conn.execute(update(table).where(table.c.id == target.id).values(state=bytes(target.state) + b" "))
    checked = runner.invoke(["verify"])
    assert checked.exit_code == 1
    assert f"Event {target.id} ({target.topic}" in checked.output and "stored bytes changed" in checked.output
