"""A backup, made as docs/deploy.md says while Cotrace runs, restores to a store that `cotrace verify`
passes and whose pages render: SQLite's online backup, and PostgreSQL's pg_dump and pg_restore.
The signing key is a file of its own: no backup of the database holds it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cotrace import checkpoints
from cotrace.demo import load_demo_with_accounts
from cotrace.services import open_cotrace
from cotrace.settings import Settings
from tests.conftest import fresh_database
from tests.processes import cotrace_env, run_cotrace
from web import create_app


def demo_installation(database_url: str, instance: Path) -> Settings:
    """An installation with the demo loaded, a signing key and a checkpoint signed."""
    settings = Settings.load({"DATABASE_URL": database_url}, instance, environ={})
    checkpoints.keygen(settings)
    services = open_cotrace(settings)
    try:
        load_demo_with_accounts(services, datetime.now(UTC))
        checkpoints.sign_checkpoint(services, settings)
    finally:
        services.close()
    return settings


def check_restored(database_url: str, instance: Path) -> None:
    verified = run_cotrace(["verify"], cotrace_env(instance, DATABASE_URL=database_url))
    assert verified.returncode == 0, verified.stderr
    assert "The log is as it was sealed" in verified.stdout

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "restored"}, instance_path=str(instance))
    try:
        home = app.test_client().get("/")
        assert home.status_code == 200
        assert "SEND Strategy 2025-2030" in home.get_data(as_text=True)
    finally:
        app.extensions["cotrace"].close()


def test_a_sqlite_online_backup_restores_to_a_store_that_verifies(tmp_path: Path):
    live = tmp_path / "live"
    settings = demo_installation(f"sqlite:///{live / 'cotrace.db'}", live)
    running = open_cotrace(settings)  # the backup is taken while Cotrace has the file open
    backup = tmp_path / "backup.db"
    try:
        source = sqlite3.connect(live / "cotrace.db")
        target = sqlite3.connect(backup)
        with source, target:
            source.backup(target)
        source.close()
        target.close()
    finally:
        running.close()
    assert checkpoints.key_path(settings).read_text().strip().encode() not in backup.read_bytes()

    # Restored: the backup file, alone, as the new installation's database.
    restored = tmp_path / "restored"
    restored.mkdir(mode=0o700)
    shutil.copy(backup, restored / "cotrace.db")
    check_restored(f"sqlite:///{restored / 'cotrace.db'}", restored)


def test_the_sqlite3_commands_backup_restores_too(tmp_path: Path):
    if shutil.which("sqlite3") is None:
        if os.environ.get("CI"):
            pytest.fail("the sqlite3 command must be installed in CI: .ci/run installs it")
        pytest.skip("the sqlite3 command is not installed")
    live = tmp_path / "live"
    demo_installation(f"sqlite:///{live / 'cotrace.db'}", live)
    restored = tmp_path / "restored"
    restored.mkdir(mode=0o700)
    subprocess.run(
        ["sqlite3", str(live / "cotrace.db"), f".backup {restored / 'cotrace.db'}"], check=True, timeout=60
    )
    check_restored(f"sqlite:///{restored / 'cotrace.db'}", restored)


@pytest.fixture
def empty_postgresql_url() -> Iterator[str]:
    """A second database, empty, to restore into (dropped afterwards)."""
    with fresh_database("cotrace_restore", scheme="postgresql") as url:
        yield url


@pytest.mark.postgres
def test_a_pg_dump_restores_with_pg_restore_to_a_store_that_verifies(
    postgresql_url: str, empty_postgresql_url: str, tmp_path: Path
):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        if os.environ.get("CI"):
            pytest.fail("pg_dump and pg_restore must be installed in CI")
        pytest.skip("pg_dump and pg_restore are not installed")
    settings = demo_installation(postgresql_url, tmp_path / "live")
    running = open_cotrace(settings)  # pg_dump reads one snapshot while Cotrace runs
    dump = tmp_path / "cotrace.dump"
    try:
        libpq = postgresql_url.replace("postgresql+psycopg://", "postgresql://")
        # Uncompressed, so that the check below reads the dump's own bytes.
        subprocess.run(
            ["pg_dump", "--format=custom", "--compress=0", f"--file={dump}", libpq], check=True, timeout=120
        )
    finally:
        running.close()
    assert checkpoints.key_path(settings).read_text().strip().encode() not in dump.read_bytes()

    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={empty_postgresql_url}", str(dump)],
        check=True,
        timeout=120,
    )
    check_restored(empty_postgresql_url, tmp_path / "restored")
