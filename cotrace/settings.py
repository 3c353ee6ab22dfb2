"""One installation's settings, read the same way by the web app, the CLI and the worker.

Each setting is read from the values given (the web app passes its Flask config), else from the
environment with the `COTRACE_` prefix (`COTRACE_SMTP_HOST`), else its default. The database is
chosen by `DATABASE_URL` (`COTRACE_DATABASE_URL` too): unset, a SQLite file in the instance folder;
a PostgreSQL URL (`postgresql+psycopg://user@host/db`, or plain `postgresql://`) for production.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

PREFIX = "COTRACE_"
# Where the instance folder is when none is named: beside the packages, as Flask puts it for `web`.
DEFAULT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


@dataclass(frozen=True)
class Settings:
    database_url: str
    instance_path: Path
    secret_key: str
    values: Mapping[str, Any] = field(default_factory=dict)  # every setting as given, for mail's
    today: Callable[[], date] = date.today  # tests fix the calendar; everyone else lives in the present

    @classmethod
    def load(
        cls,
        values: Mapping[str, Any] | None = None,
        instance_path: str | Path | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Settings:
        merged: dict[str, Any] = {
            key.removeprefix(PREFIX): value for key, value in environ.items() if key.startswith(PREFIX)
        }
        merged.update(values or {})
        instance = Path(instance_path or merged.get("INSTANCE_PATH") or DEFAULT_INSTANCE)
        if not instance.exists():  # it will hold the database (names, addresses) and the secret key
            instance.mkdir(parents=True, mode=0o700)
        configured = merged.get("DATABASE_URL") or environ.get("DATABASE_URL")
        return cls(
            database_url=database_url(configured, instance),
            instance_path=instance,
            secret_key=merged.get("SECRET_KEY") or instance_secret(instance),
            values=merged,
            today=merged.get("TODAY") or date.today,
        )

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name) or default


def database_url(configured: str | None, instance_path: str | Path) -> str:
    if not configured:
        return f"sqlite:///{Path(instance_path).resolve() / 'cotrace.db'}"
    if configured.startswith("postgres://"):
        configured = "postgresql://" + configured.removeprefix("postgres://")
    if configured.startswith("postgresql://"):
        configured = "postgresql+psycopg://" + configured.removeprefix("postgresql://")
    return configured


def write_private_file(path: Path, text: str) -> None:
    """Writes a secret to a file readable by its owner alone from the start (mkstemp makes it
    0600), whole or not at all (a temporary file, synced, renamed over the old one)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def instance_secret(instance: Path) -> str:
    """One secret per installation, kept beside the database, so sessions survive restarts.

    Missing, or empty (a crash while it was written), it is written anew: whole or not at all (a
    temporary file renamed over it), readable by its owner alone from the start."""
    path = instance / "secret_key"
    if path.exists():
        kept = path.read_text().strip()
        if kept:
            return kept
    secret = secrets.token_hex(32)
    write_private_file(path, secret)
    return secret
