"""A meeting's minutes (routes of the `meetings` area): the chair writes them on the meeting page or
attaches a file of them, whose SHA-256 checksum Cotrace keeps (not the file, as for a policy's
published versions), and then records their approval, of the version shown.

Each form answers as the meeting page's others do: with htmx the meeting's record is swapped in
place; without JavaScript a success redirects back to the minutes and a mistake shows the page
again with the message next to its field, and nothing written.
"""

from __future__ import annotations

import hashlib
import os
from uuid import UUID

from flask import request
from flask.typing import ResponseReturnValue

from domain.errors import Problems
from domain.minutes import MINUTES_FILE_BYTES
from domain.wording import printable
from web import commands, forms
from web.meetings import _command, bp


@bp.post("/meetings/<uuid:meeting_id>/minutes/versions")
def write_minutes(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    problems = Problems()
    file_name, content_hash = _attached(problems)
    return _command(
        meeting_id,
        "written",
        "Minutes saved. Read them through, then record their approval.",
        lambda app, actor: app.write_minutes(
            actor, meeting_id, forms.text(form, "text"), file_name, content_hash
        ),
        problems,
    )


@bp.post("/meetings/<uuid:meeting_id>/minutes")
def approve_minutes(meeting_id: UUID) -> ResponseReturnValue:
    form = request.form
    problems = Problems()
    approved_on = commands.date_from(problems, form, "approved_on", "the date the minutes were approved")
    return _command(
        meeting_id,
        "minutes",
        "Minutes approved.",
        lambda app, actor: app.approve_minutes(
            actor,
            meeting_id,
            forms.uuids(form, "approved_by"),
            approved_on,
            # The version the page showed: a form without one approves nothing, and says so.
            content_hash=forms.text(form, "content_hash").lower(),
        ),
        problems,
    )


def _attached(problems: Problems) -> tuple[str, str]:
    """The attached file's name and SHA-256 checksum, or two empty strings when none was chosen."""
    upload = request.files.get("minutes_file")
    if upload is None or not upload.filename:
        return "", ""
    # A browser may send the whole path the file was chosen from: keep its name alone.
    name = printable(os.path.basename(upload.filename.replace("\\", "/"))).strip()
    content = upload.read(MINUTES_FILE_BYTES + 1)
    if not content:
        problems.add("minutes_file", "The file chosen is empty: choose the file of the minutes")
    elif len(content) > MINUTES_FILE_BYTES:
        problems.add(
            "minutes_file",
            f"The file must be {MINUTES_FILE_BYTES // (1024 * 1024)} MB or smaller: "
            "save the minutes as a smaller file, or write them here",
        )
    return name or "minutes", hashlib.sha256(content).hexdigest()
