"""The events a verdict links to, as a person reads them: "Decision 'Start from a blank page',
20 January 2025", not "event 22" (DESIGN.md: every verdict links to the events that prove it).

Read from the audit trail, whose rows are keyed by the same position in the log as the verdicts'
references, so a proof and the trail row it links to always name the same event. A proof names no
person, as the evidence page does not (seed 002): a response or a claim is told by what it said.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from domain.dates import format_date
from domain.vocabulary import CONTRIBUTION_KINDS, RESPONSES, rung
from projections.audit_tables import contributions, trail
from projections.evidence import claims

LONGEST_TITLE = 100  # a decision can be 5,000 characters: its opening words find its row


def proofs(conn: Connection, refs: Iterable[int], with_words: bool = True) -> dict[int, str]:
    """Each reference that is in the trail, with what it is and when it happened: one query for all.

    `with_words` False (the public transparency page) names a contribution by its kind alone: its
    words are the contributor's, and Cotrace records no consent to publish them."""
    wanted = sorted(set(refs))
    if not wanted:
        return {}
    query = (
        select(
            trail.c.position,
            trail.c.kind,
            trail.c.what,
            trail.c.happened_on,
            trail.c.response,
            contributions.c.kind.label("contribution_kind"),
            contributions.c.text.label("contribution_text"),
            claims.c.activity,
            claims.c.ladder,
            claims.c.rung,
        )
        .outerjoin(contributions, contributions.c.id == trail.c.contribution_id)
        .outerjoin(claims, claims.c.ref == trail.c.position)
        .where(trail.c.position.in_(wanted))
    )
    return {row.position: proof_label(row, with_words) for row in conn.execute(query)}


def proof_label(row: Any, with_words: bool = True) -> str:
    """What the fact is, in a few words, and the day it happened."""
    if row.kind == "decision_recorded":
        what = f"Decision '{_short(row.what)}'"
    elif row.kind == "contribution_submitted":
        kind = CONTRIBUTION_KINDS[row.contribution_kind]
        what = f"{kind} '{_short(row.what)}'" if with_words else kind
    elif row.kind in ("contribution_responded", "response_corrected"):
        kind = CONTRIBUTION_KINDS[row.contribution_kind].lower()
        answered = f"the {kind} '{_short(row.contribution_text)}'" if with_words else f"a {kind}"
        corrected = " (as corrected)" if row.kind == "response_corrected" else ""
        what = f"Response '{RESPONSES[row.response]}'{corrected} to {answered}"
    elif row.kind == "participation_level_claimed":
        what = f"Claim of '{rung(row.ladder, row.rung).label}' for '{_short(row.activity)}'"
    else:  # the policy's start and its stages: the trail's own sentence, which names no one
        what = _short(row.what.rstrip(". "))
    return f"{what}, {format_date(row.happened_on)}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONGEST_TITLE else text[: LONGEST_TITLE - 1].rstrip() + "…"
