"""The `cotrace` command answers a newcomer's mistakes in one line, never with a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cotrace import credentials
from projections.access import ACCOUNT, grants_of
from projections.reads import all_partnerships
from tests.conftest import ADMIN


def test_an_import_file_that_is_not_utf8_is_explained(runner, tmp_path: Path):
    latin1 = tmp_path / "history.yaml"
    latin1.write_bytes("partnership: Café partnership\n".encode("latin-1"))
    result = runner.invoke(["import", "--as", ADMIN[1], "--dry-run", str(latin1)])
    assert result.exit_code == 1
    assert "is not UTF-8 text" in result.output
    assert "Nothing was recorded" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("url", ["mysql://someone@nowhere/db", "postgresql://postgres@127.0.0.1:1/none"])
def test_a_database_that_cannot_be_opened_is_explained(url: str, tmp_path: Path):
    env = {**os.environ, "DATABASE_URL": url, "COTRACE_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "level", "anything"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Error: the database could not be opened" in done.stderr
    assert "Check DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_demo_gives_an_account_for_each_role_that_signs_in_with_the_password_printed(runner, flask_app):
    loaded = runner.invoke(["demo"])
    assert loaded.exit_code == 0, loaded.output
    printed = re.findall(
        r"^- As (?:the|a|an) (\w+)\b.*: email (\S+), password (\S+?)(?:;|$)", loaded.output, re.M
    )
    assert [role for role, _, _ in printed] == ["admin", "chair", "member", "auditor"]
    assert "set up a second factor" in loaded.output.split("\n- As the chair")[0]  # said of the admin
    services = flask_app.extensions["cotrace"]
    with services.engine.connect() as conn:
        demo = [row["id"] for row in all_partnerships(conn)]
        assert len(demo) == 2
        for role, email, password in printed:
            account = credentials.check_password(conn, email, password)
            assert account is not None, f"the {role}'s printed password does not sign in"
            grants = grants_of(conn, ACCOUNT, account)
            assert grants is not None and grants.is_admin == (role == "admin"), role
            expected = {} if role == "admin" else {partnership: {role} for partnership in demo}
            assert grants.roles == expected, role

    # Each signs in through the sign-in page too; the admin is sent to set up a second factor first.
    for role, email, password in printed:
        browser = flask_app.test_client()
        with browser.session_transaction() as cookie:
            cookie["csrf"] = "token"
        signed = browser.post("/sign-in", data={"email": email, "password": password, "csrf_token": "token"})
        assert signed.status_code == 303, role
        landing = browser.get("/")
        if role == "admin":
            assert landing.headers["Location"].endswith("/account/second-factor")
        else:
            assert landing.status_code == 200 and "Riverside" in landing.get_data(as_text=True), role

    again = runner.invoke(["demo"])  # new passwords: the ones printed before no longer work
    with services.engine.connect() as conn:
        assert all(
            credentials.check_password(conn, email, password) is None for _, email, password in printed
        )
    assert again.exit_code == 0 and "password" in again.output
