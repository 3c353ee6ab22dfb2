"""The files Cotrace keeps (issue 12): its database holds names and addresses, and its secret key
signs every private link, so only their owner may read them; a half-written key is replaced."""

from __future__ import annotations

import stat
from pathlib import Path

from cotrace.services import open_services
from cotrace.settings import Settings, instance_secret
from tests.conftest import TODAY, admin_client


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_instance_folder_database_and_secret_are_private(tmp_path: Path):
    settings = Settings.load(instance_path=tmp_path / "instance", environ={})
    assert mode(settings.instance_path) == 0o700
    assert mode(settings.instance_path / "secret_key") == 0o600
    services = open_services(settings.database_url, today=lambda: TODAY)
    try:
        database = settings.instance_path / "cotrace.db"
        assert mode(database) == 0o600
        for journal in database.parent.glob("cotrace.db-*"):  # -wal, -shm, -journal while open
            assert mode(journal) == 0o600, journal
    finally:
        services.close()


def test_a_database_file_made_elsewhere_keeps_its_mode(tmp_path: Path):
    database = tmp_path / "shared.db"
    database.touch()
    database.chmod(0o640)
    open_services(f"sqlite:///{database}", today=lambda: TODAY).close()
    assert mode(database) == 0o640


def test_an_empty_secret_key_file_is_replaced(tmp_path: Path):
    (tmp_path / "secret_key").write_text("  \n")  # a crash while it was written
    secret = instance_secret(tmp_path)
    assert len(secret) == 64
    assert (tmp_path / "secret_key").read_text() == secret
    assert mode(tmp_path / "secret_key") == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left
    assert instance_secret(tmp_path) == secret  # and kept from then on


def test_a_kept_secret_key_is_used(tmp_path: Path):
    (tmp_path / "secret_key").write_text("kept\n")
    assert instance_secret(tmp_path) == "kept"


def test_an_app_whose_secret_key_file_is_empty_still_shows_its_forms(tmp_path: Path, sqlite_url: str):
    from web import create_app

    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("")
    app = create_app({"TESTING": True, "DATABASE_URL": sqlite_url, "TODAY": lambda: TODAY}, str(instance))
    try:
        assert admin_client(app).get("/partnerships/new").status_code == 200
    finally:
        app.extensions["cotrace"].close()
