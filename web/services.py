"""Wires the application service and the read models to one database, chosen by one setting.

`DATABASE_URL` unset: a SQLite file in Flask's instance folder. Set it to a PostgreSQL URL
(`postgresql+psycopg://user@host/db`, or plain `postgresql://`) for production. Same code either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

from domain.application import Cotrace
from projections.audit_trail import AuditTrail
from projections.directory import Directory
from projections.runner import ReadModels


def database_url(configured: str | None, instance_path: str | Path) -> str:
    if not configured:
        return f"sqlite:///{Path(instance_path).resolve() / 'cotrace.db'}"
    if configured.startswith("postgres://"):
        configured = "postgresql://" + configured.removeprefix("postgres://")
    if configured.startswith("postgresql://"):
        configured = "postgresql+psycopg://" + configured.removeprefix("postgresql://")
    return configured


@dataclass
class Services:
    app: Cotrace
    read_models: ReadModels
    operator_id: UUID

    @property
    def engine(self):  # noqa: ANN201 - a SQLAlchemy Engine
        return self.read_models.engine

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


def open_services(url: str, today: Callable[[], date] = date.today) -> Services:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app = Cotrace(
        env={"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": url},
        today=today,
    )
    read_models = ReadModels(app, [Directory(), AuditTrail()])
    read_models.create_tables()
    operator_id = app.create_local_operator()
    read_models.catch_up()
    return Services(app=app, read_models=read_models, operator_id=operator_id)
