"""My input: a participant's own contributions, what was done with each ("you said, we did"), the
decisions that cite them and where their policy stands now; and their contact preferences.

Reached by a private link (web/private_links.py), without an account. The page names nobody else:
decisions show their decision makers' stakeholder groups, never people.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from projections import reads
from projections.participant_list import policies_open_to
from web import access, commands, forms
from web.answers import answer_form
from web.private_links import participant_from_token, participant_token

bp = Blueprint("my_input", __name__)


@bp.get("/my-input/<token>")
def show(token: str) -> ResponseReturnValue:
    return _render(token, _participant(token))


@bp.post("/my-input/<token>/contact")
def set_contact_preferences(token: str) -> ResponseReturnValue:
    participant_id = _participant(token)
    form = request.form
    email = forms.text(form, "email")
    consent = form.get("email_consent") == "yes"
    return answer_form(
        lambda: commands.run(
            lambda app, actor: app.set_contact_preferences(actor, participant_id, email or None, consent),
            actor=participant_id,  # the link is the participant's own: they record their own choice
        ),
        lambda **page: _render(token, participant_id, **page),
        done=lambda _: url_for("my_input.show", token=token, _anchor="contact"),
        message="Your contact preferences are saved.",
    )


@bp.get("/my-input")
def mine() -> ResponseReturnValue:
    """A participant signed in by emailed link: their own page. An account has no input of its own."""
    principal = access.current()
    if principal is None or not principal.is_participant:
        return redirect(url_for("partnerships.index"), code=303)
    return redirect(url_for("my_input.show", token=participant_token(principal.id)), code=303)


def _participant(token: str) -> UUID:
    participant_id = participant_from_token(token)
    if participant_id is None:
        abort(404)
    return participant_id


def _render(
    token: str,
    participant_id: UUID,
    partial: bool = False,
    errors: dict[str, str] | None = None,
    values: MultiDict | None = None,
    status_message: str | None = None,
) -> str:
    with commands.reading() as conn:
        participant = reads.participant(conn, participant_id)
        if participant is None:
            abort(404)
        if values is None:
            values = MultiDict({"email": participant["email"] or ""})
            if participant["email_consent"]:
                values["email_consent"] = "yes"
        context = dict(
            token=token,
            errors=errors or {},
            values=values,
            status_message=status_message,
        )
        if partial:
            return render_template("_my_contact.html", **context)
        mine = reads.contributions_by(conn, participant_id)
        citing = reads.decisions_citing(conn, [c["id"] for c in mine])
        for contribution in mine:
            contribution["citing"] = [d for d in citing if d["contribution_id"] == contribution["id"]]
        return render_template(
            "my_input.html",
            contributions=mine,
            versions=reads.latest_versions(conn, list({c["policy_id"] for c in mine})),
            open_policies=policies_open_to(conn, participant_id),
            signed_in_as_them=_signed_in_as(participant_id),
            today=commands.today(),
            **context,
        )


def _signed_in_as(participant_id: UUID) -> bool:
    principal = access.current()
    return principal is not None and principal.is_participant and principal.id == participant_id
