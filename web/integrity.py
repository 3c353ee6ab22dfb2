"""The auditor's integrity page: the log verified against its seal on the server, now, with the
latest signed checkpoint and the verifier key, and how to check both offline without trusting it.

For admins and for the chairs and auditors of any partnership (web/access.py): the log is the whole
installation's. The check reads every event, so it runs when the page is asked for, not on others.
"""

from __future__ import annotations

import base64

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from cotrace import audit_pack, checkpoints
from cotrace.sealing import verify_log
from domain.accounts import AUDITOR, CHAIR
from web import access, commands

bp = Blueprint("integrity", __name__)


@bp.get("/integrity")
def show() -> ResponseReturnValue:
    services = commands.services()
    with services.engine.connect() as conn:
        verified = verify_log(conn, services.app.recorder.events_record_cls.__table__)
        latest = checkpoints.latest(conn)
    vkey = None
    key_problem = None
    if services.settings is not None:
        try:
            vkey = checkpoints.signer(services.settings).verifier.vkey
        except checkpoints.NoSigningKey:
            # The path and the reason are the operator's business, not the page's readers'.
            key_problem = (
                "This installation has no signing key yet: whoever runs it creates one with 'cotrace keygen'."
            )
    return render_template(
        "integrity.html",
        verified=verified,
        root=base64.b64encode(verified.root).decode(),
        latest=latest,
        latest_root=base64.b64encode(latest.root).decode() if latest else None,
        vkey=vkey,
        key_problem=key_problem,
    )


@bp.get("/integrity/auditors-check")
def auditors_check() -> ResponseReturnValue:
    """The standalone verifier, run here on the whole installation's audit pack, as an auditor would run
    it offline: its every check and its verdict. Asked for with a button, for it reads every event;
    like a pack's download, it signs a checkpoint only when the log grew since the last."""
    services = commands.services()
    try:
        checked = [(scope, audit_pack.check_on_server(services, scope)) for scope in _scopes_to_check()]
    except checkpoints.NoSigningKey:
        return render_template(
            "problem.html",
            heading="The auditor's check cannot run yet",
            message=(
                "The check reads a signed audit pack, and this installation has no signing key yet. "
                "Whoever runs Cotrace creates one with 'cotrace keygen'."
            ),
        ), 503
    with services.engine.connect() as conn:
        latest = checkpoints.latest(conn)
    return render_template("integrity_check.html", checked=checked, latest=latest)


def _scopes_to_check() -> list[audit_pack.Scope]:
    """An admin's check covers the whole installation; a chair's or an auditor's, the partnerships
    they hold that role in, each its own pack: the report names policies, and each person reads only
    their own partnerships' (web/access.py)."""
    principal = access.current()
    if principal is not None and principal.is_admin:
        return [audit_pack.Scope("installation")]
    mine = [p for p, roles in principal.grants.roles.items() if roles & {AUDITOR, CHAIR}] if principal else []
    with commands.reading() as conn:
        scopes = [audit_pack.partnership_scope(conn, p) for p in mine]
    return sorted(scopes, key=lambda scope: scope.title)
