"""One-thing-per-page forms (the GOV.UK pattern), described as a list of fields and rendered by one
template, so each page says only what it asks and which command it runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from domain.errors import Problems
from web.answers import answer_form


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, date, textarea, radios, checkboxes, select, file
    hint: str | None = None
    options: Sequence[tuple[Any, str]] = ()
    width: str = ""


def form_page(
    *,
    title: str,
    caption: str,
    fields: Sequence[Field],
    button: str,
    handle: Callable[[MultiDict, Problems], Any],
    done: Callable[[Any], str],
    done_message: str,
    defaults: dict[str, Any] | None = None,
    back: tuple[str, str] | None = None,
    intro: str | None = None,
) -> ResponseReturnValue:
    """GET shows the form; POST runs `handle` and redirects to `done(result)`, or shows the problems.

    `handle` reads the form (adding a problem for a value it cannot read) and runs one command; a
    RulesBroken from either is shown next to its field, with nothing written (`web.answers`).
    """

    def render(*, partial: bool = False, errors: dict | None = None, values: Any = None, **_: Any) -> str:
        shown = values if values is not None else {k: v for k, v in (defaults or {}).items() if v is not None}
        return render_template(
            "form_page.html",
            title=title,
            caption=caption,
            fields=fields,
            button=button,
            values=MultiDict(shown) if isinstance(shown, dict) else shown,
            errors=errors or {},
            back=back,
            intro=intro,
        )

    if request.method != "POST":
        return render()
    return answer_form(
        lambda: handle(request.form, Problems()), render, done=done, message=done_message, swaps_part=False
    )
