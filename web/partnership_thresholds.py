"""Changing the thresholds a partnership's policies are judged by, one thing per page (a route of the
`partnerships` area). Shares are entered as percentages; the rules on each value are the domain's."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from flask import url_for
from flask.typing import ResponseReturnValue

from domain.errors import Problems
from domain.evidence import DEFAULT_THRESHOLDS, Stated, Thresholds, stated
from domain.evidence.thresholds import DAYS, as_entered, from_entered, shown
from projections.thresholds import thresholds_for
from web import commands, forms
from web.form_pages import Field, form_page
from web.forms import Form
from web.partnerships import bp, partnership_or_404


@bp.route("/partnerships/<uuid:partnership_id>/thresholds", methods=["GET", "POST"])
def thresholds(partnership_id: UUID) -> ResponseReturnValue:
    partnership = partnership_or_404(partnership_id)
    with commands.reading() as conn:
        current = thresholds_for(conn, partnership_id)
    listed = stated(current)

    def handle(form: Form, problems: Problems) -> Any:
        happened_on = commands.date_from(problems, form, "happened_on", "the date the partnership agreed it")
        values = {threshold.name: _value(form, threshold) for threshold in listed}
        return commands.run_after(
            problems,
            lambda app, actor: app.change_thresholds(
                actor, partnership_id, forms.text(form, "reason"), happened_on, **values
            ),
        )

    back = url_for("partnerships.show", partnership_id=partnership_id)
    return form_page(
        title="Change the thresholds",
        caption=partnership["name"],
        intro=(
            "Every verdict on the partnership's policies is judged by these thresholds, and says where "
            "they differ from the defaults. The change is recorded with its reason, and applies to every "
            "policy of the partnership, as it judges the partnership's practice, never a person."
        ),
        fields=[
            *(_field(t) for t in listed),
            Field("reason", "Why the partnership changed them", "textarea"),
            Field("happened_on", "Date the partnership agreed the change", "date"),
        ],
        defaults=_as_entered(current),
        button="Change thresholds",
        handle=handle,
        done=lambda _: f"{back}#thresholds",
        done_message="Thresholds changed.",
        back=(back, partnership["name"]),
    )


def _field(threshold: Stated) -> Field:
    """The threshold's field, with its default and where the default comes from."""
    default = shown(threshold.unit, getattr(DEFAULT_THRESHOLDS, threshold.name))
    label = threshold.label if threshold.unit == DAYS else f"{threshold.label}, as a percentage"
    hint = f"The default is {default}. {threshold.source}"
    return Field(threshold.name, label, hint=hint, width="input--short")


def _as_entered(current: Thresholds) -> dict[str, str]:
    """The values as the form shows them: days as they are, shares as percentages."""
    return {name: as_entered(name, value) for name, value in asdict(current).items()}


def _value(form: Form, threshold: Stated) -> float | None:
    """The number entered, a share as a fraction; None when it is not a number, which the domain
    refuses with the message for that threshold."""
    text = forms.text(form, threshold.name).removesuffix("%").strip()
    try:
        return from_entered(threshold.name, int(text) if threshold.unit == DAYS else float(text))
    except ValueError:
        return None
