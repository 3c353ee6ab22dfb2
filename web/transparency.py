"""Publishing a policy's transparency page, and withdrawing it (routes of the `policies` area): a
button on the policy page, offered to the partnership's chairs (and admins).

Without JavaScript the form posts and the browser is sent back to the policy page, at the section;
with htmx only that section is swapped. A withdrawal's reason too long is told next to its field,
and nothing is written. The public page itself is `web.public_pages`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from domain.application import Cotrace
from projections import reads
from web import commands, forms, policies
from web.answers import answer_form
from web.policies import bp

SECTION = "transparency-page"


@bp.post("/policies/<uuid:policy_id>/transparency-page")
def publish_transparency_page(policy_id: UUID) -> ResponseReturnValue:
    return _command(
        policy_id,
        "The transparency page is published: anyone can read it without signing in.",
        lambda app, actor: app.publish_transparency_page(actor, policy_id),
    )


@bp.post("/policies/<uuid:policy_id>/transparency-page/withdrawal")
def withdraw_transparency_page(policy_id: UUID) -> ResponseReturnValue:
    reason = forms.text(request.form, "reason")
    return _command(
        policy_id,
        "The transparency page is withdrawn: only the partnership's readers can see the record.",
        lambda app, actor: app.withdraw_transparency_page(actor, policy_id, reason),
    )


def _command(policy_id: UUID, message: str, command: Callable[[Cotrace, UUID], None]) -> ResponseReturnValue:
    return answer_form(
        lambda: commands.run(command),
        lambda **page: _render(policy_id, **page),
        done=lambda _: url_for("policies.show", policy_id=policy_id, _anchor=SECTION),
        message=message,
        flash_category=f"section:{SECTION}",  # shown in the section, where the page opens
    )


def _render(
    policy_id: UUID,
    *,
    partial: bool,
    errors: dict[str, Any] | None = None,
    values: Any = None,
    status_message: str | None = None,
) -> str:
    mine = dict(transparency_errors=errors or {}, transparency_values=values or {})
    if not partial:
        return policies.page(policy_id, **mine)
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
    return render_template("_transparency_page.html", policy=policy, status_message=status_message, **mine)
