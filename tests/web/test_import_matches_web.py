# ruff: noqa: E501 - the history is a file, one record a line, as people write it
"""A history imported into an empty store gives the same projections as the same facts entered
through the web, page by page: the importer and the pages share every command and every rule."""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import select

from cotrace.accounts import open_account
from cotrace.importer import import_history, load_history
from projections import directory
from tests.conftest import ADMIN, TODAY, admin_client
from tests.web.test_meeting_page import post
from web import create_app

HISTORY = """\
cotrace: history/1
partnership: Millbrook EHE Partnership
records:
  - {type: participant, key: amira, name: Amira, group: home_educator, joined_on: 2026-05-01}
  - {type: participant, key: daniel, name: Daniel, group: local_authority, joined_on: 2026-05-01}
  - {type: policy, key: ehe, title: EHE policy, initiated_by: citizens, started_on: 2026-05-04}
  - {type: meeting, key: m1, title: Partnership meeting, held_on: 2026-06-01, place: Library, present: [amira, daniel]}
  - {type: contribution, key: c1, policy: ehe, contributor: amira, kind: suggestion, text: A named contact for every family, channel: meeting, meeting: m1}
  - {type: decision, key: d1, policy: ehe, meeting: m1, text: Every family gets a named contact, stage: co_commission, proposed_by: amira, decided_by: [amira, daniel], method: consensus, cites: [c1]}
  - {type: response, contribution: c1, response: adopted, responded_by: daniel, happened_on: 2026-06-02}
  - {type: stage, policy: ehe, stage: co_design, entered_on: 2026-06-03}
  - {type: rating, policy: ehe, aspect: Letters to families, rating: amber, happened_on: 2026-06-04}
  - {type: claimed_rung, policy: ehe, activity: Partnership meeting, stage: co_design, rung: co_designing, claimed_by: daniel, happened_on: 2026-06-05}
"""

UUID_TEXT = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
WHEN_RECORDED = {
    "recorded_at",
    "registered_at",
    "opened_at",
}  # the moment of recording differs between stores


def app_at(tmp_path, name):
    return create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / name}.db", "TODAY": lambda: TODAY, "SECRET_KEY": "tests"},
        instance_path=str(tmp_path / f"{name}-instance"),
    )


def enter_through_the_web(client, services) -> None:
    partnership = post(client, "/partnerships/new", {"name": "Millbrook EHE Partnership"}).headers["Location"]
    for name, group in (("Amira", "home_educator"), ("Daniel", "local_authority")):
        post(
            client,
            f"{partnership}/members/new",
            {"name": name, "stakeholder_group": group, "joined_on": "2026-05-01"},
        )
    policy = post(
        client,
        f"{partnership}/policies/new",
        {"title": "EHE policy", "initiated_by": "citizens", "started_on": "2026-05-04"},
    ).headers["Location"]
    meeting = (
        post(
            client,
            f"{partnership}/meetings",
            {"title": "Partnership meeting", "held_on": "2026-06-01", "place": "Library"},
        )
        .headers["Location"]
        .split("#")[0]
    )
    with services.engine.connect() as conn:
        people = {r.name: str(r.id) for r in conn.execute(select(directory.participants))}
    policy_id = policy.rsplit("/", 1)[1]
    post(client, f"{meeting}/attendance", {"present": [people["Amira"], people["Daniel"]]})
    post(
        client,
        f"{meeting}/contributions",
        {
            "policy_id": policy_id,
            "contributor_id": people["Amira"],
            "kind": "suggestion",
            "text": "A named contact for every family",
            "pseudonym": "",
        },
    )
    with services.engine.connect() as conn:
        contribution = str(conn.scalar(select(directory.contributions.c.id)))
    post(
        client,
        f"{meeting}/decisions",
        {
            "policy_id": policy_id,
            "stage": "co_commission",
            "text": "Every family gets a named contact",
            "proposed_by": people["Amira"],
            "decided_by": [people["Amira"], people["Daniel"]],
            "method": "consensus",
            "cites": [contribution],
        },
    )
    post(
        client,
        f"/contributions/{contribution}/response",
        {"response": "adopted", "reason": "", "responded_by": people["Daniel"], "happened_on": "2026-06-02"},
    )
    post(client, f"{policy}/stages/new", {"stage": "co_design", "entered_on": "2026-06-03"})
    post(
        client,
        f"{policy}/ratings/new",
        {"aspect": "Letters to families", "rating": "amber", "happened_on": "2026-06-04"},
    )
    post(
        client,
        f"{policy}/claims/new",
        {
            "activity": "Partnership meeting",
            "stage": "co_design",
            "rung": "wokingham:co_designing",
            "claimed_by": people["Daniel"],
            "happened_on": "2026-06-05",
        },
    )


def normalised(services, names: dict[str, str]) -> dict[str, list]:
    """Every projection row, with each id replaced by the name of the thing it is the id of."""

    def rename(value):
        if isinstance(value, UUID):
            return names.get(str(value), names.get(value.hex, "?"))
        if isinstance(value, str):
            return UUID_TEXT.sub(lambda m: names.get(m.group(0), "?"), value)
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        return value

    rows = {}
    with services.engine.connect() as conn:
        for projection in services.read_models.projections:
            for table in projection.metadata.sorted_tables:
                keep = [c for c in table.columns if c.name not in WHEN_RECORDED]
                found = [tuple(rename(v) for v in row) for row in conn.execute(select(*keep))]
                rows[table.name] = sorted(found, key=repr)
    return rows


def names_of(ids: dict) -> dict[str, str]:
    """Ids by name of what they name, in both spellings (with and without hyphens)."""
    named = {}
    for name, value in ids.items():
        named[str(value)] = name
        named[UUID(str(value)).hex] = name
    return named


def ids_in(services) -> dict[str, UUID]:
    with services.engine.connect() as conn:
        found = {f"person:{r.name}": r.id for r in conn.execute(select(directory.participants))}
        found |= {f"partnership:{r.name}": r.id for r in conn.execute(select(directory.partnerships))}
        found |= {f"policy:{r.title}": r.id for r in conn.execute(select(directory.policies))}
        found |= {f"meeting:{r.title}": r.id for r in conn.execute(select(directory.meetings))}
        found |= {f"contribution:{r.text}": r.id for r in conn.execute(select(directory.contributions))}
        found |= {f"decision:{r.text}": r.id for r in conn.execute(select(directory.decisions))}
        found |= {f"operator:{r.name}": r.id for r in conn.execute(select(directory.operators))}
    return found


def test_an_imported_history_and_the_same_facts_entered_through_the_web_project_alike(tmp_path):
    imported_app, web_app = app_at(tmp_path, "imported"), app_at(tmp_path, "web")
    imported, through_web = imported_app.extensions["cotrace"], web_app.extensions["cotrace"]
    try:
        importer = open_account(imported, None, *ADMIN, is_admin=True)  # both sides: one account
        import_history(imported, load_history(HISTORY), actor=importer)
        enter_through_the_web(admin_client(web_app), through_web)
        assert imported.app.recorder.max_notification_id() == through_web.app.recorder.max_notification_id()

        left = normalised(imported, names_of(ids_in(imported)))
        right = normalised(through_web, names_of(ids_in(through_web)))
        assert left["audit_trail"] and left["evidence_decisions"] and left["directory_contributions"]
        differing = [table for table in left if left[table] != right[table]]
        assert differing == [], {t: (left[t], right[t]) for t in differing}
    finally:
        imported.close()
        through_web.close()
