"""The demonstration: two partnerships' histories, brought in from files, and a meeting held today.

The histories are files in the import format (docs/import-format.md) in the repository's `demo/`
folder, found beside this package, as Cotrace runs from its source (`make run` installs it
editable): `riverside-ehe.yaml` (an EHE policy initiated by home educators, through a whole cycle and
into a second) and `bucks-send-strategy.yaml` (a SEND strategy written the Buckinghamshire way).
They are recorded through the same commands as any import. Then Riverside gets a meeting held today,
attendance recorded and no decision yet, ready for a chair to record one, and a workshop to come.
An account for each role (admin, chair, member, auditor) is there to try it with.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import UUID

from cotrace import credentials
from cotrace.accounts import open_account
from cotrace.importer import load_history, record_history
from cotrace.services import Services
from domain.accounts import AUDITOR, CHAIR, MEMBER
from domain.application import Cotrace

# Letters and digits only, in groups: a password read off a terminal, where a trailing "-" or a "--"
# (as URL-safe base64 gives) is easily lost when copied. 4 x 6 of 62 symbols: about 142 bits.
PASSWORD_SYMBOLS = string.ascii_letters + string.digits


def new_password() -> str:
    return "-".join("".join(secrets.choice(PASSWORD_SYMBOLS) for _ in range(6)) for _ in range(4))


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


@dataclass(frozen=True)
class DemoAccount:
    """An account to try the demo with, and the password it was just given (shown once)."""

    role: str  # "admin", or the role it holds in both demo partnerships
    name: str
    email: str
    password: str


# One account per role, for local use (DESIGN: the demo). The admin holds no role of a partnership:
# an admin may do anything, and opens the others and gives them their roles, as on a real
# installation, so the partnership pages show who was made chair by whom.
ADMIN = "admin"
DEMO_ACCOUNTS = (
    (ADMIN, "Ada Demo (admin)", "demo.admin@example.org"),
    (CHAIR, "Jo Demo (chair)", "demo.chair@example.org"),
    (MEMBER, "Sam Demo (member)", "demo.member@example.org"),
    (AUDITOR, "Alex Demo (auditor)", "demo.auditor@example.org"),
)


def load_demo_with_accounts(services: Services, now: datetime) -> list[DemoAccount]:
    """The demo, recorded by its chair, and an account for each role, each with a new random
    password (printed once by `cotrace demo`). Accounts already there (the demo loaded before) are
    kept and given new passwords. One unit of work for the histories and the roles: all there, or
    (a file broken by a change to the rules) none. Gives the accounts, admin first."""
    ids: dict[str, UUID] = {}
    accounts = []
    for role, name, email in DEMO_ACCOUNTS:
        with services.engine.connect() as conn:
            found = credentials.account_for_email(conn, email)
        if found is None:
            found = open_account(services, ids.get(ADMIN), name, email, is_admin=role == ADMIN)
        ids[role] = found
        password = new_password()
        with services.engine.begin() as conn:
            credentials.set_password(conn, found, password, now)
        accounts.append(DemoAccount(role, name, email, password))

    def load(app: Cotrace, chair: UUID) -> None:
        for partnership_id in load_demo(app, chair, app.today()):
            for role in (CHAIR, MEMBER, AUDITOR):
                app.grant_role(ids[ADMIN], partnership_id, ids[role], role)

    services.run(load, ids[CHAIR])
    return accounts
