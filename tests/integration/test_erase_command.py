"""`cotrace erase PARTICIPANT --as ADMIN`: asks first, refuses anyone but an admin, says what stays."""

from __future__ import annotations

from cotrace.accounts import open_account
from domain.people import ERASED_NAME
from tests.conftest import ADMIN
from tests.story import Riverside


def test_an_admin_erases_a_participant_from_the_command_line(flask_app, runner):
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, flask_app.config["TODAY"]())
    person = story.people["grace"]

    asked = runner.invoke(["erase", str(person), "--as", ADMIN[1]])  # no answer given: not erased
    assert asked.exit_code == 1 and "Grace (parent carer)" in asked.output
    assert story.app.repository.get(person).name == "Grace"

    done = runner.invoke(["erase", str(person), "--as", ADMIN[1], "--yes"])
    assert done.exit_code == 0, done.output
    assert "the record now shows an erased parent carer" in done.output
    assert story.app.repository.get(person).name == ERASED_NAME

    again = runner.invoke(["erase", str(person), "--as", ADMIN[1], "--yes"])
    assert again.exit_code == 1 and "was erased" in again.output


def test_only_an_admin_may_erase_and_only_someone_known(flask_app, runner):
    services = flask_app.extensions["cotrace"]
    story = Riverside.set_up(services.app, flask_app.config["TODAY"]())
    open_account(services, None, "Chris Chair", "chris@example.org")
    refused = runner.invoke(["erase", str(story.people["tom"]), "--as", "chris@example.org", "--yes"])
    assert refused.exit_code == 1 and "only an admin may erase" in refused.output
    unknown = runner.invoke(["erase", str(story.actor), "--as", ADMIN[1], "--yes"])
    assert unknown.exit_code == 1 and "No participant has the id" in unknown.output
    not_an_id = runner.invoke(["erase", "Tom", "--as", ADMIN[1], "--yes"])
    assert not_an_id.exit_code == 2 and "give the participant's id" in not_an_id.output
    assert story.app.repository.get(story.people["tom"]).name == "Tom"
