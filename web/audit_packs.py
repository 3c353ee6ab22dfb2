"""The audit pack as a download: a policy's, a partnership's, or the whole installation's, one signed
zip an auditor checks on their own computer with `verify_audit_pack.py` (`cotrace.audit_pack` makes
it; docs/seal.md says what it proves).

A pack is written whole before it is sent (its manifest is signed last, over every file), into a
temporary file that has no name on disk and is gone once the download is closed. Making one signs a
checkpoint of the log as it stands, so it needs the installation's signing key.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from uuid import UUID

from flask import Blueprint, abort, current_app, g, render_template, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection

from cotrace import audit_pack, checkpoints
from web import commands

bp = Blueprint("audit_packs", __name__)


@bp.get("/policies/<uuid:policy_id>/audit-pack.zip")
def policy(policy_id: UUID) -> ResponseReturnValue:
    return _download(lambda conn: audit_pack.policy_scope(conn, policy_id))


@bp.get("/partnerships/<uuid:partnership_id>/audit-pack.zip")
def partnership(partnership_id: UUID) -> ResponseReturnValue:
    return _download(lambda conn: audit_pack.partnership_scope(conn, partnership_id))


@bp.get("/integrity/audit-pack.zip")
def installation() -> ResponseReturnValue:
    """Every event of every partnership: for admins alone (web/access.py)."""
    return _download(lambda conn: audit_pack.Scope("installation"))


@bp.app_template_global()
def audit_packs_can_be_made() -> bool:
    """Whether the installation has its signing key: until it does, the pages say why there is no
    pack rather than offer a link that can only be refused."""
    if "audit_packs_can_be_made" not in g:
        settings = commands.services().settings
        try:
            g.audit_packs_can_be_made = settings is not None and bool(checkpoints.signer(settings))
        except checkpoints.NoSigningKey:
            g.audit_packs_can_be_made = False
    return bool(g.audit_packs_can_be_made)


def _download(scope_of: Callable[[Connection], audit_pack.Scope]) -> ResponseReturnValue:
    with commands.reading() as conn:  # catches the read models up, and finds the record
        try:
            scope = scope_of(conn)
        except audit_pack.NotFound:
            abort(404)
    pack = tempfile.TemporaryFile(suffix=".zip")
    try:
        audit_pack.write(commands.services(), scope, pack)
    except checkpoints.NoSigningKey as error:
        pack.close()
        current_app.logger.warning("No audit pack was made: %s", error)  # the why, for the operator
        return _no_signing_key()
    except BaseException:
        pack.close()
        raise  # Inconsistent and LogTampered: the app's integrity pages (web/__init__.py)
    size = pack.tell()
    pack.seek(0)
    response = send_file(  # closes the file, and so deletes it, once the download is sent
        pack,
        mimetype="application/zip",
        as_attachment=True,
        download_name=audit_pack.filename(scope, commands.today()),
        conditional=False,
    )
    response.content_length = size
    # A copy of the whole record: no cache keeps it.
    response.headers["Cache-Control"] = "no-store"
    return response


def _no_signing_key() -> ResponseReturnValue:
    # The key's path and the reason are the operator's business, not the page's readers'.
    message = (
        "An audit pack is signed, so that you can check it came from this installation, and this "
        "installation has no signing key yet. Whoever runs Cotrace creates one with 'cotrace keygen'; "
        "the pack can be downloaded once they have."
    )
    return render_template("problem.html", heading="No audit pack yet", message=message), 503
