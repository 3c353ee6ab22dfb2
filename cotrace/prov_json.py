"""A decision's provenance as W3C PROV-JSON (https://www.w3.org/submissions/prov-json/), for tools
that read the PROV data model.

PROV-JSON is plain JSON, so it is written here with the standard library: the `prov` library
checks it in the tests, and the app does not need it at run time.

What it holds (docs/exports.md says it for an auditor):
- agents: the proposer, the decision makers, those present at the meeting and the contributors of
  the contributions cited, each as `cotrace:participant/<id>`, a `prov:Person` with their
  stakeholder group. Never a name, a pseudonym or an address: an id names no one once the
  person is erased, and a PROV file is made to travel between tools.
- activities: the meeting (if the decision was taken at one) and the decision-making;
- entities: the decision, its corrections (revisions of it), the decisions it superseded or that
  superseded it, the contributions it cites, the policy and the version of it published last on
  or before the day of the decision.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from projections import directory_tables as directory
from projections import provenance

NAMESPACE = "urn:cotrace:"  # ours: an installation has no address of its own to name things by
Json = dict[str, Any]


def _qname(name: str) -> Json:
    return {"$": name, "type": "prov:QUALIFIED_NAME"}


def _date(day: Any) -> Json:
    return {"$": day.isoformat(), "type": "xsd:date"}


def _person(participant_id: Any) -> str:
    return f"cotrace:participant/{participant_id}"


class _Document:
    """A PROV-JSON document built record by record; relations get blank ids of their own."""

    def __init__(self) -> None:
        self.body: Json = {"prefix": {"cotrace": NAMESPACE}}
        self._relations = 0

    def record(self, kind: str, identifier: str, attributes: Json) -> None:
        self.body.setdefault(kind, {}).setdefault(identifier, {}).update(attributes)

    def relate(self, kind: str, **ends: Any) -> None:
        self._relations += 1
        attributes = {
            (name if ":" in name else f"prov:{name}"): value
            for name, value in ends.items()
            if value is not None
        }
        self.body.setdefault(kind, {})[f"_:{kind}{self._relations}"] = attributes


def decision_prov(conn: Connection, decision_id: UUID) -> Json | None:
    """The decision's provenance as a PROV-JSON document, or None for an unknown decision."""
    decision = conn.execute(
        select(directory.decisions).where(directory.decisions.c.id == decision_id)
    ).first()
    first = conn.execute(
        select(provenance.decisions.c.text).where(provenance.decisions.c.id == decision_id)
    ).first()
    if decision is None or first is None:
        return None
    doc = _Document()
    entity = f"cotrace:decision/{decision_id}"
    activity = f"cotrace:decision-making/{decision_id}"
    votes = decision.votes or {}
    doc.record(
        "entity",
        entity,
        {
            "prov:type": _qname("cotrace:Decision"),
            "cotrace:text": first.text,  # as first recorded; each correction is a revision below
            "cotrace:stage": decision.stage,
            "cotrace:cycle": decision.cycle,
            "cotrace:status": decision.status,
            "cotrace:happened_on": _date(decision.happened_on),
        },
    )
    doc.record(
        "activity",
        activity,
        {
            "prov:type": _qname("cotrace:DecisionMaking"),
            "cotrace:method": decision.method,
            "cotrace:happened_on": _date(decision.happened_on),
            **{
                f"cotrace:votes_{name}": votes[name]
                for name in ("for", "against", "abstentions")
                if name in votes
            },
        },
    )
    doc.relate("wasGeneratedBy", entity=entity, activity=activity)
    people: set[UUID] = set()
    doc.relate(
        "wasAssociatedWith",
        activity=activity,
        agent=_person(decision.proposed_by),
        role=_qname("cotrace:proposer"),
    )
    people.add(decision.proposed_by)
    for maker in decision.decided_by:
        doc.relate(
            "wasAssociatedWith",
            activity=activity,
            agent=_person(maker),
            role=_qname("cotrace:decision_maker"),
        )
        people.add(UUID(str(maker)))
    people |= _dissent(doc, decision, activity)
    if decision.meeting_id is not None:
        people |= _meeting(conn, doc, decision.meeting_id, activity)
    people |= _cited(conn, doc, decision_id, activity)
    _policy(conn, doc, decision, activity)
    _before_and_after(conn, doc, decision, entity)
    _agents(conn, doc, people)
    return doc.body


def _dissent(doc: _Document, decision: Any, decision_making: str) -> set[UUID]:
    """Each note of dissent, an entity made while the decision was taken, attributed to the one who
    dissented where the note names someone (who is then associated with the decision-making)."""
    dissenters: set[UUID] = set()
    for number, note in enumerate(decision.dissent or [], start=1):
        identifier = f"cotrace:decision/{decision.id}/dissent/{number}"
        doc.record(
            "entity", identifier, {"prov:type": _qname("cotrace:Dissent"), "cotrace:note": note["note"]}
        )
        doc.relate("wasGeneratedBy", entity=identifier, activity=decision_making)
        if note.get("by"):
            person = UUID(str(note["by"]))
            dissenters.add(person)
            doc.relate("wasAttributedTo", entity=identifier, agent=_person(person))
            doc.relate(
                "wasAssociatedWith",
                activity=decision_making,
                agent=_person(person),
                role=_qname("cotrace:dissenter"),
            )
    return dissenters


def _meeting(conn: Connection, doc: _Document, meeting_id: UUID, decision_making: str) -> set[UUID]:
    meeting = conn.execute(select(directory.meetings).where(directory.meetings.c.id == meeting_id)).one()
    identifier = f"cotrace:meeting/{meeting_id}"
    doc.record(
        "activity",
        identifier,
        {
            "prov:type": _qname("cotrace:Meeting"),
            "prov:label": meeting.title,
            "cotrace:held_on": _date(meeting.held_on),
        },
    )
    # PROV has no "part of" between activities; communication is the nearest: the decision-making
    # took up what was said at the meeting.
    doc.relate("wasInformedBy", informed=decision_making, informant=identifier)
    present = conn.scalars(
        select(directory.attendance.c.participant_id)
        .where(directory.attendance.c.meeting_id == meeting_id)
        .where(directory.attendance.c.status == "present")
        .order_by(directory.attendance.c.participant_id)
    ).all()
    for person in present:
        doc.relate(
            "wasAssociatedWith", activity=identifier, agent=_person(person), role=_qname("cotrace:present")
        )
    return set(present)


def _cited(conn: Connection, doc: _Document, decision_id: UUID, decision_making: str) -> set[UUID]:
    contributions, cites = directory.contributions, provenance.cites
    found = conn.execute(
        select(contributions)
        .join(cites, cites.c.contribution_id == contributions.c.id)
        .where(cites.c.decision_id == decision_id)
        .order_by(cites.c.order)
    ).all()
    for row in found:
        identifier = f"cotrace:contribution/{row.id}"
        attributes: Json = {
            "prov:type": _qname("cotrace:Contribution"),
            "cotrace:kind": row.kind,
            "cotrace:channel": row.channel,
            "cotrace:stage": row.stage,
            "cotrace:cycle": row.cycle,
            "cotrace:happened_on": _date(row.happened_on),
        }
        if row.response:
            attributes["cotrace:response"] = row.response
            attributes["cotrace:responded_on"] = _date(row.responded_on)
        doc.record("entity", identifier, attributes)
        doc.relate("used", activity=decision_making, entity=identifier)
        doc.relate("wasAttributedTo", entity=identifier, agent=_person(row.contributor_id))
    return {row.contributor_id for row in found}


def _policy(conn: Connection, doc: _Document, decision: Any, decision_making: str) -> None:
    policy = conn.execute(
        select(directory.policies).where(directory.policies.c.id == decision.policy_id)
    ).one()
    identifier = f"cotrace:policy/{policy.id}"
    doc.record("entity", identifier, {"prov:type": _qname("cotrace:Policy"), "prov:label": policy.title})
    versions = directory.versions
    version = conn.execute(
        select(versions)
        .where(versions.c.policy_id == policy.id)
        .where(versions.c.published_on <= decision.happened_on)
        .order_by(versions.c.position.desc())
        .limit(1)
    ).first()
    if version is None:
        return
    # A version has no id of its own: its place in the log names it, and a rebuild keeps it.
    named = f"{identifier}/version/{version.position}"
    attributes: Json = {
        "prov:type": _qname("cotrace:PolicyVersion"),
        "prov:label": f"{version.title}, {version.version_label}",
        "cotrace:published_on": _date(version.published_on),
    }
    if version.link:
        attributes["prov:location"] = version.link
    doc.record("entity", named, attributes)
    doc.relate("specializationOf", specificEntity=named, generalEntity=identifier)
    doc.relate("used", activity=decision_making, entity=named)


def _before_and_after(conn: Connection, doc: _Document, decision: Any, entity: str) -> None:
    amendments = provenance.amendments
    changes = conn.execute(
        select(amendments).where(amendments.c.decision_id == decision.id).order_by(amendments.c.position)
    ).all()
    for change in changes:
        if change.kind == "corrected":
            revision = f"{entity}/correction/{change.position}"
            doc.record(
                "entity",
                revision,
                {
                    "prov:type": _qname("cotrace:DecisionCorrection"),
                    "cotrace:text": change.text,
                    "cotrace:reason": change.reason,
                    "cotrace:happened_on": _date(change.happened_on),
                },
            )
            doc.relate(
                "wasDerivedFrom", generatedEntity=revision, usedEntity=entity, type=_qname("prov:Revision")
            )
        elif change.kind == "redated":
            # Moved with its meeting's corrected date: a revision of the decision's record that
            # says the date it replaced (the decision's own cotrace:happened_on is the new one).
            revision = f"{entity}/redating/{change.position}"
            doc.record(
                "entity",
                revision,
                {
                    "prov:type": _qname("cotrace:DecisionRedating"),
                    "cotrace:previous_happened_on": _date(change.previous_on),
                    "cotrace:happened_on_now": _date(decision.happened_on),
                    "cotrace:reason": change.reason,
                    "cotrace:happened_on": _date(change.happened_on),
                },
            )
            doc.relate(
                "wasDerivedFrom", generatedEntity=revision, usedEntity=entity, type=_qname("prov:Revision")
            )
        elif change.kind == "reversed":
            reversal = f"cotrace:reversal/{decision.id}/{change.position}"
            doc.record(
                "activity",
                reversal,
                {
                    "prov:type": _qname("cotrace:Reversal"),
                    "cotrace:reason": change.reason,
                    "cotrace:happened_on": _date(change.happened_on),
                },
            )
            doc.relate("wasInvalidatedBy", entity=entity, activity=reversal)
        elif change.superseded_by is not None:
            later = f"cotrace:decision/{change.superseded_by}"
            doc.record("entity", later, {"prov:type": _qname("cotrace:Decision")})
            doc.relate(
                "wasDerivedFrom",
                generatedEntity=later,
                usedEntity=entity,
                type=_qname("prov:Revision"),
                **{"cotrace:reason": change.reason},
            )
            doc.relate(
                "wasInvalidatedBy", entity=entity, activity=f"cotrace:decision-making/{change.superseded_by}"
            )
    if decision.supersedes is not None:
        earlier = f"cotrace:decision/{decision.supersedes}"
        doc.record("entity", earlier, {"prov:type": _qname("cotrace:Decision")})
        doc.relate("wasDerivedFrom", generatedEntity=entity, usedEntity=earlier, type=_qname("prov:Revision"))


def _agents(conn: Connection, doc: _Document, people: set[UUID]) -> None:
    participants = directory.participants
    groups = dict(
        conn.execute(
            select(participants.c.id, participants.c.stakeholder_group).where(participants.c.id.in_(people))
        ).all()
    )
    for person in sorted(people, key=str):
        attributes: Json = {"prov:type": _qname("prov:Person")}
        if groups.get(person):
            attributes["cotrace:stakeholder_group"] = groups[person]
        doc.record("agent", _person(person), attributes)
