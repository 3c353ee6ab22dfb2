"""Erasing a participant's personal data: their key is destroyed, and nothing else of the log changes.

In one transaction: the `Participant.Erased` event (it holds no personal data), the key's row
deleted, their sign-in sessions and one-time links removed, and every read model rebuilt from the
log, which now reads their name as "[erased participant]" and the words of their contributions as
"[erased with its author's data]". Kinds, stages, responses, citations, attendance and so every
verdict stay as they were. The follow-up outbox withdraws what was queued for them
(`projections.followups`). If anything fails, nothing is erased.

A rebuild takes as long as `cotrace rebuild`: erasure is rare, and done by an admin. On SQLite the
deleted rows are overwritten (`secure_delete`) and the write-ahead log is emptied into the file
afterwards, so the words are not left in free pages; on PostgreSQL dead rows stay on disk until
VACUUM, which is run on the rebuilt tables afterwards. Backups and emails already sent are outside
Cotrace's reach (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import text

from cotrace import one_time_links, sign_in_sessions
from cotrace.services import Services
from domain.errors import NotFound
from projections.access import PARTICIPANT
from projections.runner import Progress


@dataclass(frozen=True)
class Erased:
    participant_id: UUID
    stakeholder_group: str
    events_applied: int  # by the rebuild of the read models


def erase_participant(
    services: Services, actor: UUID, participant_id: UUID, progress: Progress | None = None
) -> Erased:
    """Erases a participant's personal data (see the module's docstring). Raises `RulesBroken` for
    a participant already erased, `NotFound` for no such participant."""
    app, read_models = services.app, services.read_models
    with services.lock:
        try:
            with read_models.datastore.transaction(commit=True) as session:
                if session.get_bind().dialect.name == "sqlite":
                    session.execute(text("PRAGMA secure_delete = ON"))
                group = app.erase_participant(actor, participant_id)
                app.personal_keys.destroy(session, participant_id)
                connection = session.connection()
                sign_in_sessions.forget_sessions(connection, PARTICIPANT, participant_id)
                one_time_links.forget_links(connection, PARTICIPANT, participant_id)
                # Cached aggregates hold the name as it read before; the rebuild reads the log afresh.
                services.forget_cached_state()
                applied = read_models.rebuild_in_one_transaction(progress)
        finally:
            services.forget_cached_state()
    _reclaim_space(services)
    return Erased(participant_id, group, applied)


def _reclaim_space(services: Services) -> None:
    """Leaves no old copy of the rows in the database's files."""
    engine = services.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM"))


__all__ = ["Erased", "NotFound", "erase_participant"]
