"""Each record type of a history file and the one application command that records it.

The records have been checked against the schema and every key they name is defined earlier, so
here a record is only turned into its command's arguments. The command checks every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from domain.application import Cotrace
from domain.decisions import VoteTally
from domain.evidence import THRESHOLD_NAMES
from domain.evidence.thresholds import from_entered


class Context(Protocol):
    partnership_id: UUID
    ids: dict[str, UUID]  # key -> id, filled as records are recorded
    records: dict[str, dict[str, Any]]  # key -> its record


Record = dict[str, Any]
Command = Callable[[Cotrace, UUID, Record, Context], None]

# A command's name for a field, where the file's name differs: a broken rule points at the file's field.
_COMMON = {
    "policy_id": "policy",
    "meeting_id": "meeting",
    "contributor_id": "contributor",
    "owner_id": "owner",
    "action_id": "action",
    "votes_for": "votes",
    "chair": "participant",
    "stakeholder_group": "group",
}
FIELD_NAMES: dict[str, dict[str, str]] = {
    # A supersession's reason is checked as "reason"; in the file it is the decision's own field.
    "decision": {**_COMMON, "reason": "supersession_reason"},
    "new_cycle": {**_COMMON, "started_on": "happened_on"},
}
COMMANDS: dict[str, Command] = {}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _ids(context: Context, keys: list[str] | None) -> list[UUID]:
    return [context.ids[k] for k in keys or []]


def _id(context: Context, key: str | None) -> UUID | None:
    return context.ids[key] if key else None


def records(kind: str) -> Callable[[Command], Command]:
    def register(command: Command) -> Command:
        COMMANDS[kind] = command
        FIELD_NAMES.setdefault(kind, _COMMON)
        return command

    return register


def _keep(context: Context, record: Record, new_id: UUID) -> None:
    if "key" in record:
        context.ids[record["key"]] = new_id
        context.records[record["key"]] = record


@records("participant")
def participant(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    participant_id = app.register_participant(actor, r["name"], r["group"])
    app.add_member(actor, c.partnership_id, participant_id, joined_on=_day(r["joined_on"]))
    _keep(c, r, participant_id)


@records("contact_preferences")
def contact_preferences(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.set_contact_preferences(
        actor, c.ids[r["participant"]], r.get("email"), bool(r.get("email_consent", False))
    )


@records("chair")
def chair(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.appoint_chair(actor, c.partnership_id, c.ids[r["participant"]])


@records("thresholds")
def thresholds(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    """The partnership's thresholds, shares written as percentages as on the form; those not named
    keep their values."""
    changes = {name: from_entered(name, r[name]) for name in THRESHOLD_NAMES if name in r}
    app.change_thresholds(actor, c.partnership_id, r["reason"], _day(r["happened_on"]), **changes)


@records("policy")
def policy(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    policy_id = app.start_policy(
        actor, c.partnership_id, r["title"], r["initiated_by"], started_on=_day(r["started_on"])
    )
    _keep(c, r, policy_id)


@records("stage")
def stage(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.enter_stage(actor, c.ids[r["policy"]], r["stage"], entered_on=_day(r["entered_on"]))


@records("new_cycle")
def new_cycle(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.start_new_cycle(actor, c.ids[r["policy"]], r["reason"], _day(r["happened_on"]))


@records("meeting")
def meeting(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    """A meeting and, if the file says who came, its attendance."""
    meeting_id = app.schedule_meeting(
        actor, c.partnership_id, r["title"], _day(r["held_on"]), r.get("place", "")
    )
    _keep(c, r, meeting_id)
    if "present" in r or "apologies" in r:
        app.record_attendance(actor, meeting_id, _ids(c, r.get("present")), _ids(c, r.get("apologies")))


@records("agenda_item")
def agenda_item(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.add_agenda_item(actor, c.ids[r["meeting"]], r["title"], policy_id=_id(c, r.get("policy")))


@records("access_adjustment")
def access_adjustment(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.record_access_adjustment(actor, c.ids[r["meeting"]], r["kind"], r["description"])


@records("contribution")
def contribution(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    contribution_id = app.submit_contribution(
        actor,
        c.ids[r["policy"]],
        c.ids[r["contributor"]],
        r["kind"],
        r["text"],
        r["channel"],
        happened_on=_day(r.get("happened_on")),
        meeting_id=_id(c, r.get("meeting")),
        stage=r.get("stage"),
        pseudonym=r.get("pseudonym"),
    )
    _keep(c, r, contribution_id)


@records("response")
def response(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.respond_to_contribution(
        actor,
        c.ids[r["contribution"]],
        r["response"],
        r.get("reason", ""),
        c.ids[r["responded_by"]],
        happened_on=_day(r["happened_on"]),
    )


@records("decision")
def decision(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    """At a meeting (its date, its attendance) or outside one (delegated or the authority's alone)."""
    shared: dict[str, Any] = dict(
        policy_id=c.ids[r["policy"]],
        text=r["text"],
        stage=r["stage"],
        decided_by=_ids(c, r["decided_by"]),
        method=r["method"],
        cites=_ids(c, r.get("cites")),
        consulted=_ids(c, r.get("consulted")),
        informed=_ids(c, r.get("informed")),
        supersedes=_id(c, r.get("supersedes")),
        supersession_reason=r.get("supersession_reason", ""),
    )
    if "meeting" in r:
        votes = r.get("votes")
        decision_id = app.record_decision(
            actor,
            meeting_id=c.ids[r["meeting"]],
            proposed_by=_id(c, r.get("proposed_by")),
            votes=VoteTally(votes["for"], votes["against"], votes["abstentions"]) if votes else None,
            dissent=[{"by": _id(c, d.get("by")), "note": d["note"]} for d in r.get("dissent", [])],
            **shared,
        )
    else:
        decision_id = app.record_decision_outside_meeting(actor, happened_on=_day(r["happened_on"]), **shared)
    _keep(c, r, decision_id)


@records("correction")
def correction(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.correct_decision(actor, c.ids[r["decision"]], r["text"], r["reason"], _day(r["happened_on"]))


@records("reversal")
def reversal(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    # Reversed at a meeting, it takes the meeting's date, as the command does.
    day = _day(c.records[r["meeting"]]["held_on"]) if "meeting" in r else _day(r["happened_on"])
    app.reverse_decision(actor, c.ids[r["decision"]], r["reason"], day, meeting_id=_id(c, r.get("meeting")))


@records("rating")
def rating(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.rate_policy(
        actor,
        c.ids[r["policy"]],
        r["aspect"],
        r["rating"],
        r.get("comment", ""),
        meeting_id=_id(c, r.get("meeting")),
        happened_on=_day(r.get("happened_on")),
    )


@records("version")
def version(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.publish_document_version(
        actor,
        c.ids[r["policy"]],
        r["title"],
        r["version_label"],
        r["content_hash"],
        r.get("link", ""),
        published_on=_day(r["published_on"]),
    )


@records("adoption")
def adoption(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.adopt_policy(actor, c.ids[r["policy"]], _day(r["adopted_on"]))


@records("retirement")
def retirement(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.retire_policy(actor, c.ids[r["policy"]], r["reason"], _day(r["retired_on"]))


@records("transparency_page")
def transparency_page(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    """Published when the file is imported, as from the policy page: a history carries no date for
    it, as no page was published before Cotrace."""
    app.publish_transparency_page(actor, c.ids[r["policy"]])


@records("claimed_rung")
def claimed_rung(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.claim_participation_level(
        actor,
        c.ids[r["policy"]],
        r["activity"],
        r["rung"],
        c.ids[r["claimed_by"]],
        _day(r["happened_on"]),
        stage=r.get("stage"),
        ladder=r.get("ladder", "wokingham"),
    )


@records("action")
def action(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    action_id = app.agree_action(
        actor, c.ids[r["meeting"]], r["description"], c.ids[r["owner"]], _day(r["due_on"])
    )
    _keep(c, r, action_id)


@records("action_done")
def action_done(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    agreed = c.records[r["action"]]
    app.complete_action(actor, c.ids[agreed["meeting"]], c.ids[r["action"]], _day(r["done_on"]))


@records("minutes_approved")
def minutes_approved(app: Cotrace, actor: UUID, r: Record, c: Context) -> None:
    app.approve_minutes(actor, c.ids[r["meeting"]], _ids(c, r["approved_by"]), _day(r["approved_on"]))
