"""Follow-up: what a contributor is told when their input gets a response or is cited by a decision,
when that response is corrected, and when a decision that cites it is later corrected, reversed or
replaced ("you said, we did" must not go on saying "we did" once it is undone).

Every notice is a row of `followup_notices` (what their private feed shows), one per response and
one per contribution a decision cites. When the contributor had given an address and agreed to email
as the event is applied, the notice is also queued in the outbox, in the same transaction as the
event's other rows, so a committed event always has its message queued and an event rolled back has
none.

The outbox is not one of the tables a rebuild drops: it is also the log of what was sent. A rebuild
applies every event again and queues under the same key (event and recipient), which finds the row
already there and leaves it, so a rebuild never sends again.

The lookups (people's groups and contact preferences, contributions, policy titles) are this
projection's own, so it can be rebuilt alone. It holds no one's name: decision makers and responders
appear by stakeholder group only.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from domain.contributions import Contribution
from domain.dates import format_date
from domain.decisions import Decision
from domain.people import Participant
from domain.vocabulary import CONTRIBUTION_KINDS, DECISION_METHODS, RESPONSES, group_label, stage_label
from projections.batch import Batch
from projections.lookups import Lookups
from projections.read_model import ReadModel
from projections.runner import POSITION

MAIL_DOMAIN = "cotrace.invalid"

metadata = MetaData()

lookups = Lookups(
    metadata,
    "followup",
    people="registered_at stakeholder_group email email_consent",
    policies="title",
    names={"people": "followup_contacts"},
    people_key="participant_id",
)
contacts, policies = lookups.people, lookups.policies
contributions = Table(
    "followup_contributions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contributor_id", Uuid, nullable=False),
    Column("policy_id", Uuid, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("pseudonym", String(100)),
    Column("happened_on", Date, nullable=False),
)
# Decisions that cite someone's input: what they said and cited, for the news of what became of them.
decisions = Table(
    "followup_decisions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("text", Text, nullable=False),
    Column("cites", JSON, nullable=False),  # the contributions' ids, as text, in the decision's order
)
notices = Table(
    "followup_notices",
    metadata,
    # One per event and contribution: "<event originator>.<version>.<contribution>".
    Column("key", String(120), primary_key=True),
    Column("position", POSITION, nullable=False),
    Column("participant_id", Uuid, nullable=False, index=True),
    Column("contribution_id", Uuid, nullable=False),
    # response, response_corrected, decision, correction, reversal or replacement
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

# Kept through a rebuild: the queue of messages and the record of which were sent.
outbox_metadata = MetaData()
outbox = Table(
    "followup_outbox",
    outbox_metadata,
    Column("message_id", String(200), primary_key=True),  # one per event and recipient
    Column("position", POSITION, nullable=False, index=True),
    Column("participant_id", Uuid, nullable=False),
    # The address and the words are kept only while the message waits: once it is sent or
    # withdrawn they are blanked, so the outbox is no second, unerasable copy of personal data.
    Column("to_address", String(254)),
    Column("subject", Text, nullable=False),
    Column("body", Text),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    # queued, sent, withdrawn (consent taken back first), refused (the mail server would not take it)
    # or failed (no message could be made of it: an address or title recorded before today's checks)
    Column("status", String(16), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
)


def message_id(event: Any, participant_id: UUID) -> str:
    """Derived from the event, so a message sent again after a crash carries the same id."""
    return f"<{event.originator_id}.{event.originator_version}.{participant_id}@{MAIL_DOMAIN}>"


class Followups(ReadModel):
    name = "followups"
    version = 3  # 2: notices of a corrected response (a longer kind); the outbox is kept; 3: contributions
    # moved with their meeting's corrected date
    metadata = metadata
    kept_metadata = outbox_metadata
    lookups = lookups

    @singledispatchmethod
    def _on(self, event: Any, conn: Batch, position: int) -> None:
        """Events that tell no contributor anything are passed over."""

    @_on.register
    def _(self, event: Participant.ContactPreferencesSet, conn: Batch, position: int) -> None:
        if not event.email_consent:
            # Taken back before the queue was sent: what was queued before it is not sent.
            conn.execute(
                update(outbox)
                .where(outbox.c.participant_id == event.originator_id)
                .where(outbox.c.status == "queued")
                .where(outbox.c.position < position)
                .values(status="withdrawn", to_address=None, body=None)
            )

    @_on.register
    def _(self, event: Participant.EmailCorrected, conn: Batch, position: int) -> None:
        # The lookup of contacts has the corrected address (`projections.lookups`); what was queued
        # before it would go to the address recorded wrong, so it goes to the corrected one.
        conn.execute(
            update(outbox)
            .where(outbox.c.participant_id == event.originator_id)
            .where(outbox.c.status == "queued")
            .where(outbox.c.position < position)
            .values(to_address=event.email)
        )

    @_on.register
    def _(self, event: Participant.Erased, conn: Batch, position: int) -> None:
        # Erased before it was sent: it is not sent, and its address and words go with the rest.
        conn.execute(
            update(outbox)
            .where(outbox.c.participant_id == event.originator_id)
            .where(outbox.c.status == "queued")
            .values(status="withdrawn", to_address=None, body=None)
        )

    @_on.register
    def _(self, event: Contribution.Submitted, conn: Batch, position: int) -> None:
        conn.insert(
            contributions,
            dict(
                id=event.originator_id,
                contributor_id=event.contributor_id,
                policy_id=event.policy_id,
                kind=event.kind,
                text=event.text,
                pseudonym=event.pseudonym,
                happened_on=event.happened_on,
            ),
        )

    @_on.register
    def _(self, event: Contribution.Redated, conn: Batch, position: int) -> None:
        # Its messages say the day it was made; nobody is told of the move itself, a correction
        # of the record, not news about their input.
        conn.update(contributions, event.originator_id, happened_on=event.new_date)

    @_on.register
    def _(self, event: Contribution.Responded, conn: Batch, position: int) -> None:
        contribution = _contributions(conn, [event.originator_id])[0]
        response = RESPONSES[event.response]
        title = f"Your {_kind(contribution)} on {contribution['policy']}: {response.lower()}"
        lines = [_you_said(contribution), "", f"Response: {response}, on {format_date(event.happened_on)}."]
        if event.reason:
            lines.append(f"Reason: {event.reason}")
        responder = conn.row(contacts, event.responded_by)
        group = responder and responder["stakeholder_group"]
        if group:
            lines.append(f"Response given by: {group_label(group)}.")
        content = "\n".join(lines)
        _notify(conn, event, position, "response", [(contribution, title, content)], title, content)

    @_on.register
    def _(self, event: Contribution.Corrected, conn: Batch, position: int) -> None:
        # What was said is what counts: later news quotes the words as corrected.
        conn.update(contributions, event.originator_id, text=event.text)

    @_on.register
    def _(self, event: Contribution.ResponseCorrected, conn: Batch, position: int) -> None:
        """The contributor was told the response as first recorded: they are told it was wrong, what
        it is, and why it was corrected."""
        contribution = _contributions(conn, [event.originator_id])[0]
        response = RESPONSES[event.response]
        title = f"Your {_kind(contribution)} on {contribution['policy']}: the response was corrected"
        lines = [
            _you_said(contribution),
            "",
            f"The response to it was recorded wrong, and was corrected on {format_date(event.happened_on)}.",
            f"Response: {response}, on {format_date(event.responded_on)}.",
        ]
        if event.response_reason:
            lines.append(f"Reason: {event.response_reason}")
        lines.append(f"Why it was corrected: {event.reason}")
        content = "\n".join(lines)
        _notify(conn, event, position, "response_corrected", [(contribution, title, content)], title, content)

    @_on.register
    def _(self, event: Decision.Recorded, conn: Batch, position: int) -> None:
        if not event.cites:
            return  # it answers no one's input: no one to tell, now or when it changes
        groups = ", ".join(group_label(g) for g in event.decision_maker_groups)
        decided = (
            f"Decided: {event.text}\n"
            f"On {format_date(event.happened_on)}, at the {stage_label(event.stage).lower()} stage, "
            f"by {DECISION_METHODS[event.method].lower()}.\n"
            f"Decision makers: {groups}."
        )
        conn.insert(
            decisions,
            dict(id=event.originator_id, text=event.text, cites=[str(c) for c in event.cites]),
        )
        _tell(conn, event, position, "decision", _contributions(conn, event.cites), "cites", decided)

    @_on.register
    def _(self, event: Decision.Corrected, conn: Batch, position: int) -> None:
        corrected = (
            f"The record was corrected on {format_date(event.happened_on)}. It now reads: {event.text}"
        )
        if _tell_what_became(conn, event, position, "correction", "was corrected: it cites", corrected):
            conn.update(decisions, event.originator_id, text=event.text)

    @_on.register
    def _(self, event: Decision.Reversed, conn: Batch, position: int) -> None:
        reversed_on = f"Reversed on {format_date(event.happened_on)}."
        _tell_what_became(conn, event, position, "reversal", "was reversed: it cited", reversed_on)

    @_on.register
    def _(self, event: Decision.Superseded, conn: Batch, position: int) -> None:
        replaced = f"Replaced by a later decision on {format_date(event.happened_on)}."
        _tell_what_became(conn, event, position, "replacement", "was replaced: it cited", replaced)


Entry = tuple[dict[str, Any], str, str]  # the contribution, the entry's title, its content


def _tell(
    conn: Batch, event: Any, position: int, kind: str, cited: list[dict[str, Any]], what: str, news: str
) -> None:
    """A decision's news for everyone whose input it cites: "A decision on <policy> <what> your
    suggestion", one feed entry per contribution and one message per contributor."""
    by_contributor: dict[UUID, list[dict[str, Any]]] = {}
    for contribution in cited:
        by_contributor.setdefault(contribution["contributor_id"], []).append(contribution)
    for theirs in by_contributor.values():
        entries = [
            (c, f"A decision on {c['policy']} {what} your {_kind(c)}", f"{_you_said(c)}\n\n{news}")
            for c in theirs
        ]
        if len(theirs) == 1:
            subject, body = entries[0][1], entries[0][2]
        else:
            # One decision is one piece of news: one message, however many of theirs it cites.
            subject = f"A decision on {theirs[0]['policy']} {what} {len(theirs)} of your contributions"
            body = "\n\n".join([*(_you_said(c) for c in theirs), news])
        _notify(conn, event, position, kind, entries, subject, body)


def _tell_what_became(conn: Batch, event: Any, position: int, kind: str, what: str, change: str) -> bool:
    """News of a later change to a decision, with its reason, for those whose input it cites.
    False when it cites no one's (it has no row here): then there is no one to tell."""
    decision = conn.row(decisions, event.originator_id)
    if decision is None:
        return False
    news = f"Decided: {decision['text']}\n{change}\nReason: {event.reason}"
    cited = _contributions(conn, [UUID(c) for c in decision["cites"]])
    _tell(conn, event, position, kind, cited, what, news)
    return True


def _notify(
    conn: Batch, event: Any, position: int, kind: str, entries: list[Entry], subject: str, body: str
) -> None:
    """One event's news for one contributor: a feed entry per contribution, and at most one email,
    sent only with the contact preferences as they stand now."""
    participant_id = entries[0][0]["contributor_id"]
    for contribution, title, content in entries:
        conn.insert(
            notices,
            dict(
                key=f"{event.originator_id}.{event.originator_version}.{contribution['id']}",
                position=position,
                participant_id=participant_id,
                contribution_id=contribution["id"],
                kind=kind,
                title=title,
                content=content,
                happened_on=event.happened_on,
                recorded_at=event.timestamp,
            ),
        )
    contact = conn.row(contacts, participant_id)
    if contact is None or not (contact["email"] and contact["email_consent"]):
        return
    row = dict(
        message_id=message_id(event, participant_id),
        position=position,
        participant_id=participant_id,
        to_address=contact["email"],
        subject=subject,
        body=body,
        queued_at=event.timestamp,
        status="queued",
    )
    # Queued once: queueing again under the same id (a rebuild) leaves the first row as it is.
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(outbox).values(**row).on_conflict_do_nothing(index_elements=["message_id"]))


def _contributions(conn: Batch, ids: list[UUID]) -> list[dict[str, Any]]:
    """The contributions with these ids, in this order, each with its policy's title (`policy`)."""
    if not ids:
        return []
    found = conn.rows(contributions, ids)
    titles = conn.rows(policies, {row["policy_id"] for row in found.values()})
    return [
        {**found[i], "policy": titles[found[i]["policy_id"]]["title"]}
        for i in ids
        if i in found and found[i]["policy_id"] in titles
    ]


def _kind(contribution: dict[str, Any]) -> str:
    return CONTRIBUTION_KINDS[contribution["kind"]].lower()


def _you_said(contribution: dict[str, Any]) -> str:
    said = f"You said, on {format_date(contribution['happened_on'])}"
    if contribution["pseudonym"]:
        said += f", as {contribution['pseudonym']}"
    return f"{said}: {contribution['text']}"


# What the feed and the unsubscribe page read.


def contact(conn: Connection, participant_id: UUID) -> dict[str, Any] | None:
    row = conn.execute(select(contacts).where(contacts.c.participant_id == participant_id)).first()
    return dict(row._mapping) if row else None


def participant_notices(conn: Connection, participant_id: UUID) -> list[dict[str, Any]]:
    """Newest first, as a feed lists them."""
    query = (
        select(notices)
        .where(notices.c.participant_id == participant_id)
        .order_by(notices.c.position.desc(), notices.c.key)
    )
    return [dict(row._mapping) for row in conn.execute(query)]
