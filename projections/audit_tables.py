"""The audit trail's tables: its rows, the groups each row involves, and the lookups it keeps.

The lookups (people, meetings, policies, contributions, decisions) are the trail's own, so it is
rebuilt from the log alone, with names and groups as they stood when each fact was recorded.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from projections.lookups import Lookups
from projections.runner import POSITION

metadata = MetaData()

lookups = Lookups(
    metadata,
    "audit",
    people="name stakeholder_group",
    operators=True,
    # The policies on a meeting's agenda (ids as text), whose trails its minutes go into, and the
    # checksums of its minutes' versions in order, so an approval can say which version it named.
    meetings=("title held_on", Column("agenda_policies", JSON), Column("minutes", JSON)),
    policies="stage cycle",
)
people, meetings, policies = lookups.people, lookups.meetings, lookups.policies
contributions = Table(
    "audit_contributions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False),
    Column("contributor", String(200), nullable=False),  # the pseudonym if given, else the name
    Column("stakeholder_group", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("cycle", Integer, nullable=False),
    # The response as last corrected, if it was (the trail keeps the response as first recorded).
    Column("corrected_response", String(32)),
    Column("corrected_reason", Text),
)
decisions = Table(
    "audit_decisions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False),
    Column("text", Text, nullable=False),  # as it reads now, after any correction
    Column("happened_on", Date, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("decision_maker_groups", JSON, nullable=False),
)
trail = Table(
    "audit_trail",
    metadata,
    # A fact is one row in each policy's trail it belongs to: a meeting's minutes are in the trail of
    # every policy on its agenda, at the one position of the event.
    Column("position", POSITION, primary_key=True),
    Column("policy_id", Uuid, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("what", Text, nullable=False),
    Column("stage", String(32)),
    Column("cycle", Integer),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_on", Date, nullable=False),  # the UTC day of recorded_at, for "as of"
    Column("recorded_by_name", String(200), nullable=False),
    Column("meeting", String(300)),
    Column("decision_id", Uuid),
    Column("method", String(64)),
    Column("proposer", JSON),
    Column("decision_makers", JSON),
    Column("decision_maker_groups", JSON),
    Column("votes", JSON),
    Column("outside_meeting", Boolean),
    Column("cites", JSON),  # [{"id", "contributor", "group", "kind", "text"}]
    Column("consulted", JSON),
    Column("informed", JSON),
    Column("dissent", JSON),  # [{"by": {"name", "group"} or None, "note"}]
    Column("supersedes", JSON),  # {"id", "text", "happened_on"}
    Column("related_decision_id", Uuid),  # the decision this one was superseded by
    Column("reason", Text),
    Column("contribution_id", Uuid),
    Column("contributor", JSON),  # {"name", "group"}
    Column("channel", String(32)),
    Column("response", String(32)),
    Column("rating", String(16)),
)
# A policy's trail in order, a page at a time (reads.policy_trail_page): the page reads the rows
# after a position within one policy's entries, never the whole table. With the days each row
# happened and was recorded, a trail "as of" a day is filtered, and counted, from the index alone
# (the count took 19 ms for the largest policy's 18,000 rows, reading each).
Index("audit_trail_by_policy", trail.c.policy_id, trail.c.position, trail.c.happened_on, trail.c.recorded_on)
# A policy's rows of some kinds, in order (a filter by kind; the stage timeline and the adoption and
# retirement "as of" a day): without it, the largest policy's 18,000 rows were read for its 750
# stages entered, on every page "as of" a day.
Index(
    "audit_trail_by_kind",
    trail.c.policy_id,
    trail.c.kind,
    trail.c.position,
    trail.c.happened_on,
    trail.c.recorded_on,
)
# The stakeholder groups of the people a row involves (contributor, decision makers, claimant):
# one row each, so the page can filter by group with a plain join on either database.
trail_groups = Table(
    "audit_trail_groups",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("policy_id", Uuid, primary_key=True),
    Column("stakeholder_group", String(32), primary_key=True),
)

# Kinds of row, gathered as a person filtering the trail thinks of them.
KIND_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "decisions": (
        "Decisions, corrections, reversals and supersessions",
        (
            "decision_recorded",
            "decision_corrected",
            "decision_reversed",
            "decision_superseded",
            "decision_redated",
        ),
    ),
    "contributions": (
        "Contributions, responses and their corrections",
        (
            "contribution_submitted",
            "contribution_responded",
            "contribution_corrected",
            "response_corrected",
            "contribution_redated",
        ),
    ),
    "stages": ("Start and stages", ("policy_started", "stage_entered")),
    "ratings": ("RAG ratings", ("policy_rated",)),
    "documents": (
        "Versions, adoption and retirement",
        ("version_published", "policy_adopted", "policy_retired"),
    ),
    "claims": ("Participation levels claimed", ("participation_level_claimed",)),
    "transparency": (
        "Transparency page published and withdrawn",
        ("transparency_page_published", "transparency_page_withdrawn"),
    ),
    "agenda": ("Agenda items and their corrections", ("agenda_item_added", "agenda_item_corrected")),
    "minutes": ("Minutes written and approved", ("minutes_written", "minutes_approved")),
}
