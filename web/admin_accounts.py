"""Admins open accounts and give or take roles in partnerships. Every grant and revocation is an
event on the partnership, so its trail says who gave whom which role, and when."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from cotrace import credentials, one_time_links, submissions
from cotrace.accounts import open_account, opened_by
from domain.accounts import ROLES
from domain.errors import Problems, RulesBroken
from projections import reads
from projections.access import ACCOUNT, account_rows, changes_in
from web import commands
from web.accounts import now, send_password_link

bp = Blueprint("admin_accounts", __name__)

# A new account's first link: days, not minutes, as the person may not read their email at once.
OPENING_LINK = timedelta(days=7)


@bp.get("/admin/accounts")
def index() -> ResponseReturnValue:
    with commands.reading() as conn:
        accounts = account_rows(conn)
    return render_template("admin/accounts.html", accounts=accounts)


@bp.route("/admin/accounts/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    if request.method != "POST":
        return render_template("admin/new_account.html", errors={}, values=MultiDict())
    name = request.form.get("name", "")
    email = request.form.get("email", "").strip()
    is_admin = request.form.get("is_admin") == "yes"
    submission = submissions.well_formed(request.form.get("submission"))
    opened_before = opened_by(commands.services(), submission)
    if opened_before is not None:  # the same form sent again (a double click): it was done already
        return redirect(url_for("admin_accounts.show", account_id=opened_before), code=303)
    try:
        account_id = open_account(
            commands.services(), commands.current_actor(), name, email, is_admin, submission
        )
    except RulesBroken as broken:
        page = render_template("admin/new_account.html", errors=broken.by_field(), values=request.form)
        return page, 422
    with commands.services().engine.begin() as conn:
        minutes = int(OPENING_LINK.total_seconds() // 60)
        token = one_time_links.issue_link(conn, "reset-password", ACCOUNT, account_id, now(), minutes=minutes)
    send_password_link(email, token, minutes, opening=True)
    flash(f"Account opened for {name.strip()}. We emailed {email} a link to choose a password.")
    return redirect(url_for("admin_accounts.show", account_id=account_id), code=303)


@bp.get("/admin/accounts/<uuid:account_id>")
def show(account_id: UUID) -> ResponseReturnValue:
    return _render(account_id)


def _render(account_id: UUID, errors: dict | None = None, status: int = 200) -> ResponseReturnValue:
    with commands.reading() as conn:
        found = account_rows(conn, only=account_id)
        partnerships = reads.all_partnerships(conn)
        history = {p["id"]: changes_in(conn, p["id"], limit=10) for p in partnerships}
    if not found:
        abort(404)
    with commands.services().engine.connect() as conn:
        email = credentials.email_of(conn, account_id)
        has_totp = credentials.has_totp(conn, account_id)
    page = render_template(
        "admin/account.html",
        account=found[0],
        email=email,
        has_totp=has_totp,
        partnerships=partnerships,
        history=history,
        roles=ROLES,
        errors=errors or {},
        values=request.form if errors else MultiDict(),
    )
    return page, status


@bp.post("/admin/accounts/<uuid:account_id>/roles")
def grant(account_id: UUID) -> ResponseReturnValue:
    problems = Problems()
    partnership_id = _uuid(request.form.get("partnership_id"))
    role = request.form.get("role", "")
    if partnership_id is None:
        problems.add("partnership_id", "Choose the partnership")
    if role not in ROLES:
        problems.add("role", "Choose chair, member or auditor")
    try:
        problems.raise_if_any()
        commands.run(lambda app, actor: app.grant_role(actor, partnership_id, account_id, role))
    except RulesBroken as broken:
        return _render(account_id, broken.by_field(), 422)
    flash(f"Role given: {role}.")
    return redirect(url_for("admin_accounts.show", account_id=account_id), code=303)


@bp.post("/admin/accounts/<uuid:account_id>/roles/revoke")
def revoke(account_id: UUID) -> ResponseReturnValue:
    partnership_id = _uuid(request.form.get("partnership_id"))
    role = request.form.get("role", "")
    if partnership_id is None or role not in ROLES:
        abort(400, "Choose a role to take back from the list.")
    commands.run(lambda app, actor: app.revoke_role(actor, partnership_id, account_id, role))
    flash(f"Role taken back: {role}.")
    return redirect(url_for("admin_accounts.show", account_id=account_id), code=303)


@bp.post("/admin/accounts/<uuid:account_id>/admin")
def change_admin(account_id: UUID) -> ResponseReturnValue:
    make = request.form.get("admin") == "yes"
    try:
        if make:
            commands.run(lambda app, actor: app.make_admin(actor, account_id))
        else:
            commands.run(lambda app, actor: app.revoke_admin(actor, account_id))
    except RulesBroken as broken:
        return _render(account_id, broken.by_field(), 422)
    flash("They are now an admin." if make else "They are no longer an admin.")
    return redirect(url_for("admin_accounts.show", account_id=account_id), code=303)


@bp.post("/admin/accounts/<uuid:account_id>/second-factor/reset")
def reset_second_factor(account_id: UUID) -> ResponseReturnValue:
    """For a lost device: the person sets up a new one when they next sign in."""
    with commands.services().engine.begin() as conn:
        credentials.turn_off_totp(conn, account_id)
    flash("Their second factor is off. They will set up a new one.")
    return redirect(url_for("admin_accounts.show", account_id=account_id), code=303)


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value or "")
    except ValueError:
        return None
