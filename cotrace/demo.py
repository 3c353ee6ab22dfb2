"""The demonstration: two partnerships' histories, brought in from files, and a meeting held today.

The histories are files in the import format (docs/import-format.md) in the repository's `demo/`
folder, found beside this package, as Cotrace runs from its source (`make run` installs it
editable): `riverside-ehe.yaml` (an EHE policy initiated by home educators, through a whole cycle and
into a second) and `bucks-send-strategy.yaml` (a SEND strategy written the Buckinghamshire way).
They are recorded through the same commands as any import. Then Riverside gets a meeting held today,
attendance recorded and no decision yet, ready for a chair to record one, and a workshop to come.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from cotrace.importer import load_history, record_history
from domain.application import Cotrace

DEMO_FOLDER = Path(__file__).resolve().parents[1] / "demo"
HISTORIES = ("riverside-ehe.yaml", "bucks-send-strategy.yaml")


def load_demo(app: Cotrace, actor: UUID, today: date) -> UUID:
    """Records the demo histories and today's meeting; returns the Riverside partnership's id."""
    riverside, _elmsford = (
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
    return riverside.partnership_id
