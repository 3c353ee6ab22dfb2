"""Signing in and out, one's own account, and second factors.

Staff and partnership members sign in with email and password (and a second factor, which admins
must have); citizens sign in with a one-time link emailed to the address they gave. A session is
kept server-side (`cotrace.sign_in_sessions`): the browser's cookie holds only its token, so signing
out everywhere, a password reset, or an idle or too-old session ends it for good.

Every answer to "is this address known?" is the same whether it is or not, so the pages cannot be
used to find out who has an account.

Each page of a form is shown for any method but POST: HEAD (which carries no form token, and which
mail scanners send to links) is answered as GET, never as the form.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from cotrace import credentials, one_time_links, sign_in_sessions, throttle
from cotrace.mailer import MailSettings, Unsendable, send_one
from domain.errors import Problems, RulesBroken
from projections.access import ACCOUNT, PARTICIPANT, grants_of, participants_with_address
from web import access, commands
from web.access import Principal

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)

SESSION_TOKEN = "sid"
PENDING = "pending_account"  # signed in with a password, the second factor still to come
PENDING_FOR = timedelta(minutes=5)
SIGN_IN_LINK_MINUTES = 15
RESET_LINK_MINUTES = 30
NOT_RIGHT = "Enter the email address and password of your account: these did not match one"
THROTTLED = (
    "There have been too many attempts to sign in with these details. Wait 15 minutes and try "
    "again, or reset your password"
)
# Only these pages are open to an admin who has not yet given a second factor.
SECOND_FACTOR_PAGES = {"accounts.second_factor_setup", "accounts.sign_out", "accounts.account", "static"}


def now() -> datetime:
    return datetime.now(UTC)


def load_principal() -> Principal | None:
    """The person this browser is signed in as, from its session token; None for the public."""
    token = session.get(SESSION_TOKEN)
    if not token:
        return None
    with commands.services().engine.begin() as conn:
        found = sign_in_sessions.find_session(conn, str(token), now())
    if found is None:
        session.pop(SESSION_TOKEN, None)
        return None
    with commands.reading() as conn:
        grants = grants_of(conn, found.principal_kind, found.principal_id)
    if grants is None:
        return None
    return Principal(found.principal_kind, found.principal_id, grants, found.second_factor)


def _start(kind: str, principal_id: UUID, second_factor: bool = False) -> None:
    """A new session for whoever just proved who they are. The old cookie session is dropped, so a
    session fixed by someone else before signing in is worth nothing after."""
    with commands.services().engine.begin() as conn:
        token = sign_in_sessions.open_session(conn, kind, principal_id, now(), second_factor=second_factor)
    session.clear()
    session[SESSION_TOKEN] = token


def _next_page(default: str) -> str:
    """Where to go after signing in: a page of this site only (never another site's address)."""
    wanted = request.values.get("next", "")
    parts = urlsplit(wanted)
    if wanted.startswith("/") and not wanted.startswith("//") and "\\" not in wanted and not parts.netloc:
        return wanted
    return default


def _home() -> str:
    principal = access.current()
    if principal is not None and principal.is_participant:
        return url_for("my_input.mine")
    return url_for("partnerships.index")


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _render(
    template: str, errors: dict | None = None, values: Any = None, **context: Any
) -> ResponseReturnValue:
    page = render_template(template, errors=errors or {}, values=values or MultiDict(), **context)
    return page, 422 if errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if request.method != "POST":
        return _render("accounts/sign_in.html", next=_next_page(""))
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    problems = Problems()
    if not email:
        problems.add("email", "Enter your email address")
    if not password:
        problems.add("password", "Enter your password")
    account_id = None
    if not problems:
        keys = [throttle.account_key(email), throttle.address_key(_client_address())]
        with commands.services().engine.begin() as conn:
            if any(throttle.is_throttled(conn, key, now()) for key in keys):
                problems.add("email", THROTTLED)
            else:
                account_id = credentials.check_password(conn, email, password)
                if account_id is None:
                    for key in keys:
                        throttle.record_failure(conn, key, now())
                    problems.add("email", NOT_RIGHT)
                else:
                    throttle.clear_failures(conn, keys[0])
    if account_id is None:
        values = MultiDict({"email": email})
        return _render("accounts/sign_in.html", problems.by_field(), values, next=_next_page(""))
    with commands.services().engine.connect() as conn:
        needs_code = credentials.has_totp(conn, account_id)
    if needs_code:
        session.clear()
        session[PENDING] = {"id": str(account_id), "at": now().timestamp(), "next": _next_page("")}
        return redirect(url_for("accounts.second_factor"), code=303)
    _start(ACCOUNT, account_id)
    return redirect(_next_page(url_for("partnerships.index")), code=303)


@bp.route("/sign-in/second-factor", methods=["GET", "POST"])
def second_factor() -> ResponseReturnValue:
    pending = session.get(PENDING)
    if not pending or now().timestamp() - float(pending["at"]) > PENDING_FOR.total_seconds():
        session.pop(PENDING, None)
        flash("Sign in again: the time to give your code ran out.")
        return redirect(url_for("accounts.sign_in"), code=303)
    if request.method != "POST":
        return _render("accounts/second_factor.html")
    account_id = UUID(pending["id"])
    code = "".join(request.form.get("code", "").split())
    problems = Problems()
    key = throttle.account_key(f"second factor of {account_id}")
    with commands.services().engine.begin() as conn:
        if throttle.is_throttled(conn, key, now()):
            problems.add("code", THROTTLED)
        elif not code:
            problems.add("code", "Enter the 6-digit code from your authenticator app")
        elif not credentials.check_totp(conn, account_id, code, now()):
            throttle.record_failure(conn, key, now())
            problems.add("code", "Enter the code your authenticator app shows now: this one was not right")
        else:
            throttle.clear_failures(conn, key)
    if problems:
        return _render("accounts/second_factor.html", problems.by_field())
    next_page = pending.get("next") or ""
    _start(ACCOUNT, account_id, second_factor=True)
    return redirect(next_page or url_for("partnerships.index"), code=303)


@bp.route("/sign-in/email", methods=["GET", "POST"])
def email_link() -> ResponseReturnValue:
    """Citizens: a one-time link to the address they gave, in place of a password."""
    if request.method != "POST":
        return _render("accounts/email_link.html")
    email = request.form.get("email", "").strip()
    problems = Problems()
    if not email:
        problems.add("email", "Enter the email address you gave the partnership")
    elif "@" not in email or len(email) > 254:
        problems.add("email", "Enter an email address in the right format, like name@example.com")
    if problems:
        return _render("accounts/email_link.html", problems.by_field(), MultiDict({"email": email}))
    keys = [throttle.address_key(_client_address()), throttle.account_key(f"link for {email}")]
    with commands.services().engine.begin() as conn:
        throttled = any(throttle.is_throttled(conn, key, now()) for key in keys)
        for key in keys:
            throttle.record_failure(conn, key, now())  # every request counts: links are mail sent
    if not throttled:
        with commands.reading() as conn:
            participants = participants_with_address(conn, email)
        for participant_id in participants:
            with commands.services().engine.begin() as conn:
                token = one_time_links.issue_link(
                    conn, "sign-in", PARTICIPANT, participant_id, now(), minutes=SIGN_IN_LINK_MINUTES
                )
            _send(
                email,
                "Your link to sign in to Cotrace",
                "Use this link to sign in to Cotrace and see what became of your input:\n\n"
                f"{absolute_url(url_for('accounts.follow_link', token=token))}\n\n"
                f"It works once, for {SIGN_IN_LINK_MINUTES} minutes. If you did not ask for it, you can "
                "ignore this email: nobody can sign in without the link.",
            )
    return render_template("accounts/check_email.html", minutes=SIGN_IN_LINK_MINUTES, email=email)


@bp.route("/sign-in/email/<token>", methods=["GET", "POST"])
def follow_link(token: str) -> ResponseReturnValue:
    """A button, not a sign-in on opening: a mail scanner that opens every link must not use it up."""
    if request.method != "POST":
        return render_template("accounts/follow_link.html", token=token)
    with commands.services().engine.begin() as conn:
        found = one_time_links.redeem_link(conn, token, "sign-in", now())
    if found is None:
        page = render_template(
            "problem.html",
            heading="This link no longer works",
            message="A sign-in link works once, for 15 minutes. Ask for a new one below.",
            link=(url_for("accounts.email_link"), "Get a new link to sign in"),
        )
        return page, 410
    kind, principal_id = found
    _start(kind, principal_id)
    return redirect(
        url_for("my_input.mine") if kind == PARTICIPANT else url_for("partnerships.index"), code=303
    )


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    token = session.get(SESSION_TOKEN)
    if token:
        with commands.services().engine.begin() as conn:
            sign_in_sessions.end_session(conn, str(token), now())
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("accounts.sign_in"), code=303)


@bp.post("/sign-out-everywhere")
def sign_out_everywhere() -> ResponseReturnValue:
    principal = access.current()
    assert principal is not None  # the rule asks for someone signed in
    with commands.services().engine.begin() as conn:
        ended = sign_in_sessions.end_all_sessions(conn, principal.kind, principal.id, now())
    session.clear()
    flash(f"You have signed out on every device ({ended} session{'s' if ended != 1 else ''} ended).")
    return redirect(url_for("accounts.sign_in"), code=303)


@bp.get("/account")
def account() -> ResponseReturnValue:
    principal = access.current()
    assert principal is not None
    email, has_totp = None, False
    if principal.kind == ACCOUNT:
        with commands.services().engine.connect() as conn:
            email = credentials.email_of(conn, principal.id)
            has_totp = credentials.has_totp(conn, principal.id)
    with commands.reading() as conn:
        names = commands_partnership_names(conn)
    held = sorted(
        (
            (names.get(partnership, "a partnership"), sorted(roles))
            for partnership, roles in principal.grants.roles.items()
        ),
    )
    return render_template(
        "accounts/account.html", principal=principal, email=email, has_totp=has_totp, held=held
    )


def commands_partnership_names(conn: Any) -> dict[UUID, str]:
    from projections import reads

    return {row["id"]: row["name"] for row in reads.all_partnerships(conn)}


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    principal = access.current()
    assert principal is not None
    if request.method != "POST":
        return _render("accounts/change_password.html")
    current_password = request.form.get("current_password", "")
    new_password = request.form.get("new_password", "")
    problems = Problems()
    with commands.services().engine.begin() as conn:
        email = credentials.email_of(conn, principal.id) or ""
        if credentials.check_password(conn, email, current_password) != principal.id:
            problems.add("current_password", "Enter your current password: this one was not right")
        if new_password != request.form.get("confirm_password", ""):
            problems.add("confirm_password", "Enter the same new password twice")
        if not problems:
            try:
                credentials.set_password(
                    conn,
                    principal.id,
                    new_password,
                    now(),
                    name=principal.name,
                    keep_session=session.get(SESSION_TOKEN),
                )
            except RulesBroken as broken:
                for problem in broken.problems:
                    problems.add("new_password", problem.message)
    if problems:
        return _render("accounts/change_password.html", problems.by_field())
    flash("Your password has been changed. You have been signed out on every other device.")
    return redirect(url_for("accounts.account"), code=303)


@bp.route("/account/second-factor", methods=["GET", "POST"])
def second_factor_setup() -> ResponseReturnValue:
    principal = access.current()
    assert principal is not None
    with commands.services().engine.begin() as conn:
        email = credentials.email_of(conn, principal.id) or ""
        if credentials.has_totp(conn, principal.id) and principal.second_factor:
            return render_template("accounts/second_factor_on.html")
        if request.method != "POST" or "secret" not in session:
            secret = credentials.begin_totp(conn, principal.id)
            session["secret"] = secret
            return _render("accounts/second_factor_setup.html", **_setup(secret, email))
        code = "".join(request.form.get("code", "").split())
        confirmed = bool(code) and credentials.confirm_totp(conn, principal.id, code, now())
    secret = str(session.get("secret"))
    if not confirmed:
        message = (
            "Enter the code your authenticator app shows now: this one was not right"
            if code
            else "Enter the 6-digit code your authenticator app shows for Cotrace"
        )
        return _render("accounts/second_factor_setup.html", {"code": message}, **_setup(secret, email))
    token = session.get(SESSION_TOKEN)
    with commands.services().engine.begin() as conn:
        new_token = sign_in_sessions.pass_second_factor(conn, str(token), now()) if token else None
    session.clear()
    if new_token:
        session[SESSION_TOKEN] = new_token
    flash("Your second factor is set up: from now on you will be asked for a code when you sign in.")
    return redirect(url_for("accounts.account"), code=303)


def _setup(secret: str, email: str) -> dict[str, Any]:
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"secret": grouped, "uri": credentials.provisioning_uri(secret, email)}


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_request() -> ResponseReturnValue:
    if request.method != "POST":
        return _render("accounts/reset_request.html")
    email = request.form.get("email", "").strip()
    if not email:
        return _render("accounts/reset_request.html", {"email": "Enter the email address of your account"})
    keys = [throttle.address_key(_client_address()), throttle.account_key(f"reset for {email}")]
    with commands.services().engine.begin() as conn:
        throttled = any(throttle.is_throttled(conn, key, now()) for key in keys)
        for key in keys:
            throttle.record_failure(conn, key, now())
        account_id = None if throttled else credentials.account_for_email(conn, email)
        token = None
        if account_id is not None:
            token = one_time_links.issue_link(
                conn, "reset-password", ACCOUNT, account_id, now(), minutes=RESET_LINK_MINUTES
            )
    if token is not None:
        send_password_link(email, token, RESET_LINK_MINUTES, opening=False)
    return render_template("accounts/check_email.html", minutes=RESET_LINK_MINUTES, email=email, reset=True)


def send_password_link(email: str, token: str, minutes: int, opening: bool) -> None:
    link = absolute_url(url_for("accounts.reset", token=token))
    if opening:
        subject, why = "Your Cotrace account", "An account has been opened for you on Cotrace."
    else:
        subject, why = (
            "Reset your Cotrace password",
            "Someone asked to reset the password of your Cotrace account.",
        )
    hours = f"{minutes // 60} hours" if minutes >= 120 else f"{minutes} minutes"
    _send(
        email,
        subject,
        f"{why} Use this link to choose a password:\n\n{link}\n\nIt works once, for {hours}. "
        "If you did not expect this email, you can ignore it: your account stays as it is.",
    )


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    if request.method != "POST":
        return _render("accounts/reset.html")
    password = request.form.get("password", "")
    problems = Problems()
    if password != request.form.get("confirm_password", ""):
        problems.add("confirm_password", "Enter the same password twice")
    if not password:
        problems.add("password", "Enter a new password")
    if problems:
        return _render("accounts/reset.html", problems.by_field())
    with commands.services().engine.begin() as conn:
        found = one_time_links.redeem_link(conn, token, "reset-password", now())
        if found is None:
            page = render_template(
                "problem.html",
                heading="This link no longer works",
                message="A password link works once, for a limited time. Ask for a new one.",
                link=(url_for("accounts.reset_request"), "Reset your password"),
            )
            return page, 410
        try:
            credentials.set_password(conn, found[1], password, now())
        except RulesBroken as broken:
            conn.rollback()  # the link stays unused: the person can try another password
            return _render("accounts/reset.html", broken.by_field())
    session.clear()
    flash("Your password is set. Sign in with it now.")
    return redirect(url_for("accounts.sign_in"), code=303)


def absolute_url(path: str) -> str:
    """This site's address of a path, for a link sent or copied elsewhere (an email, a feed reader):
    where `BASE_URL` says Cotrace is served, or else the address this request came to."""
    base = str(current_app.config.get("BASE_URL") or request.host_url).rstrip("/")
    return f"{base}{path}"


def _send(to_address: str, subject: str, body: str) -> None:
    """Sends a link now; a mail server that fails is logged (without the link) and not shown, so the
    page says the same whether or not the address is known."""
    settings = MailSettings.of(current_app.config, current_app.instance_path)
    try:
        send_one(settings, to_address, subject, body)
    except (Unsendable, OSError) as error:
        log.warning("Could not send %r: %s", subject, type(error).__name__)


def enforce_second_factor_for_admins() -> ResponseReturnValue | None:
    """An admin signed in without a second factor reaches only the page that sets one up."""
    principal = access.current()
    if principal is None or not principal.grants.is_admin or principal.second_factor:
        return None
    if request.endpoint in SECOND_FACTOR_PAGES:
        return None
    flash("Admins must set up a second factor before anything else.")
    return redirect(url_for("accounts.second_factor_setup"), code=303)
