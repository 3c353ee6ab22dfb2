"""My input: a participant's own contributions, what was done with each ("you said, we did"), the
decisions that cite them and where their policy stands now; and their contact preferences.

Reached by a private link (web/private_links.py), without an account; or at /my-input by a
participant signed in by an emailed link, whose page needs no token (and works even while the
chair has revoked their private link: signing in proved who they are). The page names nobody
else: decisions show their decision makers' stakeholder groups, never people.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from projections import reads, transparency_pages
from projections.participant_list import policies_open_to
from web import access, commands, forms
from web.accounts import absolute_url
from web.answers import answer_form
from web.private_links import FEED, PAGE, current_token, participant_or_404

bp = Blueprint("my_input", __name__)


@bp.get("/my-input/<token>")
def show(token: str) -> ResponseReturnValue:
    return _render(participant_or_404(PAGE, token), url_for("my_input.set_contact_preferences", token=token))


@bp.post("/my-input/<token>/contact")
def set_contact_preferences(token: str) -> ResponseReturnValue:
    contact_url = url_for("my_input.set_contact_preferences", token=token)
    return _save_contact(participant_or_404(PAGE, token), contact_url, url_for("my_input.show", token=token))


@bp.get("/my-input")
def mine() -> ResponseReturnValue:
    """A participant signed in by emailed link: their own page. An account has no input of its own."""
    participant_id = _signed_in_participant()
    if participant_id is None:
        return redirect(url_for("partnerships.index"), code=303)
    return _render(participant_id, url_for("my_input.set_my_contact_preferences"))


@bp.post("/my-input/contact")
def set_my_contact_preferences() -> ResponseReturnValue:
    participant_id = _signed_in_participant()
    assert participant_id is not None  # the rule lets only participants signed in post here
    contact_url = url_for("my_input.set_my_contact_preferences")
    return _save_contact(participant_id, contact_url, url_for("my_input.mine"))


def _signed_in_participant() -> UUID | None:
    principal = access.current()
    return principal.id if principal is not None and principal.is_participant else None


def _save_contact(participant_id: UUID, contact_url: str, page_url: str) -> ResponseReturnValue:
    form = request.form
    email = forms.text(form, "email")
    consent = form.get("email_consent") == "yes"
    return answer_form(
        lambda: commands.run(
            lambda app, actor: app.set_contact_preferences(actor, participant_id, email or None, consent),
            actor=participant_id,  # the page is the participant's own: they record their own choice
        ),
        lambda **page: _render(participant_id, contact_url, **page),
        done=lambda _: f"{page_url}#contact",
        message="Your contact preferences are saved.",
    )


def _render(
    participant_id: UUID,
    contact_url: str,
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
            contact_url=contact_url,
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
        versions = reads.latest_versions(conn, list({c["policy_id"] for c in mine}))
        feed = current_token(conn, FEED, participant_id)
        published = {
            policy_id
            for policy_id in {c["policy_id"] for c in mine}
            if transparency_pages.published_policy(conn, policy_id) is not None
        }
        open_policies = policies_open_to(conn, participant_id)
        corrections = reads.corrections_of(conn, [c["id"] for c in mine])
    return render_template(
        "my_input.html",
        contributions=mine,
        versions=versions,
        published=published,
        open_policies=open_policies,
        corrections=corrections,
        signed_in_as_them=_signed_in_as(participant_id),
        today=commands.today(),
        feed_url=absolute_url(url_for("my_input.feed", token=feed)) if feed else None,
        **context,
    )


def _signed_in_as(participant_id: UUID) -> bool:
    principal = access.current()
    return principal is not None and principal.is_participant and principal.id == participant_id
