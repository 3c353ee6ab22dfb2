"""The demonstration: two partnerships' histories, brought in from files, and a meeting held today.

The histories are files in the import format (docs/import-format.md) in the repository's `demo/`
folder, found beside this package, as Cotrace runs from its source (`make run` installs it
editable): `riverside-ehe.yaml` (an EHE policy initiated by home educators, through a whole cycle and
into a second) and `bucks-send-strategy.yaml` (a SEND strategy written the Buckinghamshire way).
They are recorded through the same commands as any import. Then Riverside gets a meeting held today,
attendance recorded and no decision yet, ready for a chair to record one, and a workshop to come.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import UUID

from cotrace import credentials
from cotrace.accounts import open_account
from cotrace.importer import load_history, record_history
from cotrace.services import Services
from domain.accounts import CHAIR
from domain.application import Cotrace

DEMO_FOLDER = Path(__file__).resolve().parents[1] / "demo"
HISTORIES = ("riverside-ehe.yaml", "bucks-send-strategy.yaml")


def load_demo(app: Cotrace, actor: UUID, today: date) -> list[UUID]:
    """Records the demo histories and today's meeting; returns the partnerships' ids, Riverside first."""
    riverside, elmsford = (
        record_history(app, actor, load_history((DEMO_FOLDER / name).read_text(encoding="utf-8")))
        for name in HISTORIES
    )
    people = riverside.ids
    tonight = app.schedule_meeting(actor, riverside.partnership_id, "Partnership meeting", today, "Online")
    app.record_attendance(
        actor,
        tonight,
        present=[people[key] for key in ("amira", "grace", "daniel", "sophie")],
        apologies=[people["tom"]],
    )
    app.schedule_meeting(
        actor,
        riverside.partnership_id,
        "Co-design workshop",
        today + timedelta(days=21),
        "Riverside Community Hall",
    )
    return [riverside.partnership_id, elmsford.partnership_id]


DEMO_CHAIR = ("Jo Demo (chair)", "demo.chair@example.org")


def load_demo_as_chair(services: Services, now: datetime) -> tuple[str, str]:
    """The demo, recorded by an account to try it with: the chair of both demo partnerships, with a
    new random password (printed once by `cotrace demo`; `cotrace create-admin` makes an admin).
    One unit of work for the histories: all there, or (a file broken by a change to the rules) none.
    Gives (email, password)."""
    name, email = DEMO_CHAIR
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    with services.engine.connect() as conn:
        chair_id = credentials.account_for_email(conn, email)
    if chair_id is None:
        chair_id = open_account(services, None, name, email)
    with services.engine.begin() as conn:
        credentials.set_password(conn, chair_id, password, now)

    def load(app: Cotrace, actor: UUID) -> None:
        for partnership_id in load_demo(app, actor, app.today()):
            app.grant_role(actor, partnership_id, chair_id, CHAIR)

    services.run(load, chair_id)
    return email, password
