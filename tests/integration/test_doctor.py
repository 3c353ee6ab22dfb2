"""`cotrace doctor` passes on an installation set up as docs/deploy.md says, and names each problem,
with its fix, on one set up carelessly. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

from cli.main import Installation, group
from cotrace import checkpoints
from cotrace.services import open_cotrace
from cotrace.settings import Settings
from projections.runner import projection_positions
from tests.followup_story import Mailbox, smtp_server
from tests.story import Riverside


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as mailbox:
        yield mailbox


def doctor(settings: Settings) -> Result:
    installation = Installation(settings=settings)
    try:
        return CliRunner().invoke(group, ["doctor"], obj=installation)
    finally:
        installation.close()


def lines(result: Result, start: str) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith(start)]


def test_a_well_set_installation_passes(database_url: str, tmp_path: Path, mailbox: Mailbox):
    settings = Settings.load(
        {
            "DATABASE_URL": database_url,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": mailbox.port,
            "MAIL_FROM": "Riverside partnership <cotrace@riverside.example>",
            "BASE_URL": "https://cotrace.riverside.example",
        },
        tmp_path / "instance",
        environ={},
    )
    checkpoints.keygen(settings)
    services = open_cotrace(settings)
    Riverside.set_up(services.app, settings.today())
    services.read_models.catch_up()
    services.close()

    checked = doctor(settings)

    assert checked.exit_code == 0, checked.output
    assert not lines(checked, "problem")
    found = "\n".join(lines(checked, "ok: "))
    if database_url.startswith("sqlite"):
        assert "WAL mode with synchronous=FULL" in found
        assert "database file" in found and "(600)" in found and "(700)" in found
    else:
        assert "statement_timeout=30s and lock_timeout=10s" in found
    assert "secret key is kept in" in found
    assert "signing key at" in found and "cotrace.riverside.example/cotrace" in found
    assert f"mail server 127.0.0.1:{mailbox.port} answers" in found
    assert "over HTTPS" in found
    assert "every read model has applied the whole log" in found


def test_a_carelessly_set_installation_has_each_problem_named_with_its_fix(sqlite_url: str, tmp_path: Path):
    instance = tmp_path / "instance"
    settings = Settings.load({"DATABASE_URL": sqlite_url}, instance, environ={})
    services = open_cotrace(settings)
    Riverside.set_up(services.app, settings.today())
    services.read_models.catch_up()
    with services.engine.begin() as conn:  # a read model left behind, as after a failed catch-up
        conn.execute(
            update(projection_positions)
            .where(projection_positions.c.projection == "audit_trail")
            .values(position=0)
        )
    services.close()
    (instance / "secret_key").chmod(0o644)
    Path(sqlite_url.removeprefix("sqlite:///")).chmod(0o644)

    checked = doctor(settings)

    assert checked.exit_code == 1
    problems = "\n".join(lines(checked, "problem: "))
    assert "the secret key file" in problems and "(mode 644)" in problems
    assert f"Run `chmod 600 {instance / 'secret_key'}`" in problems
    assert f"the database file {sqlite_url.removeprefix('sqlite:///')} can be read by others" in problems
    assert "there is no signing key" in problems and "Run `cotrace keygen`" in problems
    assert "no mail server is set" in problems and "Set COTRACE_SMTP_HOST" in problems
    assert "COTRACE_BASE_URL is not set" in problems
    assert re.search(r"read models are behind the log: audit_trail \(\d+ events behind\);", problems)
    assert "Start `cotrace worker`" in problems
    assert all(" Fix: " in line for line in lines(checked, "problem: "))
    assert "WAL mode with synchronous=FULL" in "\n".join(lines(checked, "ok: "))


def test_a_short_secret_key_and_an_unreachable_mail_server_are_problems(sqlite_url: str, tmp_path: Path):
    with smtp_server() as gone:
        port = gone.port
    settings = Settings.load(
        {"DATABASE_URL": sqlite_url, "SECRET_KEY": "short-xyz", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port},
        tmp_path / "instance",
        environ={},
    )
    checked = doctor(settings)
    problems = "\n".join(lines(checked, "problem: "))
    assert checked.exit_code == 1
    assert "COTRACE_SECRET_KEY is 9 characters long" in problems
    assert "short-xyz" not in checked.output  # the key itself is never printed
    assert f"the mail server 127.0.0.1:{port} cannot be reached" in problems
