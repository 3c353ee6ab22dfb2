"""The `cotrace` command answers a newcomer's mistakes in one line, never with a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
