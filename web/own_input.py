"""A participant gives their own input on a policy of their partnership, signed in (by an emailed
link): a view, a suggestion or a concern, at the stage the policy stands at. It is recorded as
theirs and by them, and answered by the chair like any other ("you said, we did")."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from projections import reads
from web import access, commands, forms
from web.answers import answer_form

bp = Blueprint("own_input", __name__)


@bp.route("/policies/<uuid:policy_id>/my-input", methods=["GET", "POST"])
def give(policy_id: UUID) -> ResponseReturnValue:
    principal = access.current()
    assert principal is not None and principal.is_participant  # the route's rule says so
    if request.method == "GET":
        return _render(policy_id)
    form = request.form
    kind, text = form.get("kind", ""), forms.text(form, "text")
    pseudonym = forms.text(form, "pseudonym") or None
    return answer_form(
        lambda: commands.run(
            lambda app, actor: app.submit_contribution(
                actor,
                policy_id,
                actor,
                kind,
                text,
                "online",
                happened_on=commands.today(),
                pseudonym=pseudonym,
            ),
            actor=principal.id,  # their own input, recorded by them
        ),
        lambda **page: _render(policy_id, **page),
        done=lambda _: url_for("my_input.mine"),
        message="Thank you: your input is recorded. The partnership will tell you what it does with it.",
        swaps_part=False,  # one thing per page
    )


def _render(
    policy_id: UUID,
    partial: bool = False,
    errors: dict[str, str] | None = None,
    values: MultiDict | None = None,
    status_message: str | None = None,
) -> str:
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
    if policy is None or policy["retired_on"] is not None:
        abort(404)
    return render_template(
        "own_input.html", policy=policy, errors=errors or {}, values=values or MultiDict(), partial=partial
    )
