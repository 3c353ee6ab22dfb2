"""A form sent twice records once.

Every form of ours carries a `submission` id, new each time the form is shown. A command run for a
submission keeps the id, with what the command returned, in the same transaction as its events. The
same form sent again (a double click, a page resent after going back) finds it and gets that result
again, without the command running a second time: no second meeting, decision or contribution, which
in an append-only log could only be reversed, never removed.

To record the same thing twice on purpose, open the form again: it has a new id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, DateTime, MetaData, String, Table, bindparam, insert, select
from sqlalchemy.orm import Session

metadata = MetaData()
submissions = Table(
    "cotrace_submissions",
    metadata,
    Column("submission", String(32), primary_key=True),
    Column("result", String(36), nullable=True),  # the id the command returned, if any
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

READ = select(submissions.c.result).where(submissions.c.submission == bindparam("submission"))
WELL_FORMED = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Earlier:
    """The form was sent before, and its command saved: `result` is what it returned then."""

    result: UUID | None


def well_formed(sent: str | None) -> str | None:
    """The submission id a form sent, or None for none or one we did not make."""
    return sent if sent and WELL_FORMED.fullmatch(sent) else None


def earlier(session: Session, submission: str) -> Earlier | None:
    """What the form's command returned when it was sent before, or None if it was not."""
    found = session.execute(READ, {"submission": submission}).first()
    if found is None:
        return None
    return Earlier(UUID(found.result) if found.result else None)


def can_keep(result: Any) -> bool:
    """Only what can be given back as it was: an id, or nothing."""
    return result is None or isinstance(result, UUID)


def keep(session: Session, submission: str, result: UUID | None) -> None:
    """Kept in the command's transaction: a concurrent send of the same form that also ran its
    command fails on the key, rolls back, and on its retry finds this one."""
    row = dict(submission=submission, result=str(result) if result else None, recorded_at=datetime.now(UTC))
    session.execute(insert(submissions), row)
