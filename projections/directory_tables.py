"""The directory's tables: what the pages list and look up (see directory.py for how each is kept)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

# Participants, operators, policies and meetings are kept as every read model keeps its lookups.
lookups = Lookups(
    metadata,
    "directory",
    people="name stakeholder_group email email_consent",
    operators="name",
    policies=(
        "partnership_id title initiated_by started_on stage cycle adopted_on retired_on",
        # the day its transparency page was published, None while it is not (transparency_pages.py)
        Column("public_page_since", Date),
    ),
    # with the minutes' approval, which the directory keeps itself
    meetings=(
        "partnership_id title held_on place",
        Column("minutes_approved_on", Date),
        Column("minutes_approved_by", JSON),
    ),
    names={"people": "directory_participants"},
)
operators, participants = lookups.operators, lookups.people
policies, meetings = lookups.policies, lookups.meetings
partnerships = Table(
    "directory_partnerships",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("chair_id", Uuid),
)
members = Table(
    "directory_members",
    metadata,
    Column("partnership_id", Uuid, primary_key=True),
    Column("participant_id", Uuid, primary_key=True),
    Column("stakeholder_group", String(32), nullable=False),
    Column("joined_on", Date, nullable=False),
)
versions = Table(
    "directory_versions",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("version_label", String(100), nullable=False),
    Column("link", String(2000), nullable=False),
    Column("published_on", Date, nullable=False),
)
stages = Table(
    "directory_stages",
    metadata,
    Column("policy_id", Uuid, primary_key=True),
    Column("cycle", Integer, primary_key=True),
    Column("stage", String(32), primary_key=True),
    Column("entered_on", Date, nullable=False),
    Column("position", POSITION, nullable=False),
)
attendance = Table(
    "directory_attendance",
    metadata,
    Column("meeting_id", Uuid, primary_key=True),
    Column("participant_id", Uuid, primary_key=True),
    Column("status", String(16), nullable=False),
)
decisions = Table(
    "directory_decisions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False, index=True),
    Column("meeting_id", Uuid, index=True),
    Column("stage", String(32), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("proposed_by", Uuid, nullable=False),
    Column("decided_by", JSON, nullable=False),
    Column("decision_maker_groups", JSON, nullable=False),
    Column("method", String(32), nullable=False),
    Column("votes", JSON),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", Uuid, nullable=False),
    Column("position", POSITION, nullable=False),
    Column("consulted", JSON, nullable=False),
    Column("informed", JSON, nullable=False),
    Column("dissent", JSON, nullable=False),  # [{"by": participant id as text or None, "note": text}]
    Column("supersedes", Uuid),
    # standing, corrected (still standing, wording put right), reversed or superseded
    Column("status", String(16), nullable=False),
    Column("superseded_by", Uuid),
)
# What happened to a decision after it was recorded: the decision's row shows where it stands now.
decision_changes = Table(
    "directory_decision_changes",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("decision_id", Uuid, nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # corrected, reversed, superseded, redated
    Column("reason", Text, nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("previous_text", Text),  # a correction: the wording it replaced
    Column("previous_on", Date),  # a move with its meeting's corrected date: the date it replaced
    Column("superseded_by", Uuid),
)
# Corrections of what else was recorded wrong (a contribution's words, its response, an action
# marked done): each names what it corrects, what it read before, why, and who recorded it.
corrections = Table(
    "directory_corrections",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("subject_id", Uuid, nullable=False, index=True),  # the contribution's or the action's id
    Column("kind", String(32), nullable=False),  # contribution, response, action_reopened, redated
    Column("previous", JSON, nullable=False),  # what it read before: {"text"}, {"response", "reason"}, ...
    Column("reason", Text, nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("recorded_by", Uuid, nullable=False),
)
citations = Table(
    "directory_citations",
    metadata,
    Column("decision_id", Uuid, primary_key=True),
    Column("contribution_id", Uuid, primary_key=True, index=True),
)
contributions = Table(
    "directory_contributions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("policy_id", Uuid, nullable=False),
    Column("partnership_id", Uuid, nullable=False),  # its policy's, for the partnership's lists
    Column("contributor_id", Uuid, nullable=False, index=True),
    Column("stage", String(32), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("meeting_id", Uuid, index=True),
    Column("pseudonym", String(100)),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("position", POSITION, nullable=False),
    Column("response", String(16)),
    Column("reason", Text),
    Column("responded_by", Uuid),
    Column("responded_on", Date),
)
agenda = Table(
    "directory_agenda",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("meeting_id", Uuid, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("policy_id", Uuid),
)
adjustments = Table(
    "directory_adjustments",
    metadata,
    Column("position", POSITION, primary_key=True),
    Column("meeting_id", Uuid, nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("description", Text, nullable=False),
)
actions = Table(
    "directory_actions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("meeting_id", Uuid, nullable=False, index=True),
    Column("description", Text, nullable=False),
    Column("owner_id", Uuid, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("done_on", Date),
    Column("position", POSITION, nullable=False),
)

# What the pages' lists are read by, a page at a time (projections/keyset.py): each in its list's
# order, so a page is a search from the last row shown, never a scan and sort of the whole table.
# A partnership's meetings, newest first (then by title); its policies by title.
Index(
    "directory_meetings_by_day",
    meetings.c.partnership_id,
    meetings.c.held_on.desc(),
    meetings.c.title,
    meetings.c.id,
)
Index("directory_policies_by_title", policies.c.partnership_id, policies.c.title, policies.c.id)
# A partnership's contributions awaiting a response, and all of them, in the order they were made;
# a policy's the same way (the "cites" choices of the decision form).
# (The response in the middle: "IS NULL" is an equality an index can search on, on both databases.)
Index(
    "directory_contributions_awaiting",
    contributions.c.partnership_id,
    contributions.c.response,
    contributions.c.position,
)
Index("directory_contributions_by_partnership", contributions.c.partnership_id, contributions.c.position)
Index("directory_contributions_by_policy", contributions.c.policy_id, contributions.c.position)
# A policy's contributions by response: how many got each, counted from the index alone (the public page).
Index("directory_contributions_by_response", contributions.c.policy_id, contributions.c.response)
# A policy's decisions in order, a page at a time (its public transparency page).
Index("directory_decisions_by_policy", decisions.c.policy_id, decisions.c.position)
# Every partnership by name (the home page); the published transparency pages by title, and only those.
Index("directory_partnerships_by_name", partnerships.c.name, partnerships.c.id)
Index(
    "directory_policies_published",
    policies.c.title,
    policies.c.id,
    sqlite_where=policies.c.public_page_since.is_not(None),
    postgresql_where=policies.c.public_page_since.is_not(None),
)
# The admin's participants by name (participant_list.py); a participant's partnerships.
Index("directory_participants_by_name", participants.c.name, participants.c.id)
Index("directory_members_by_participant", members.c.participant_id)
