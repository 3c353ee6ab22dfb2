"""The one way a view answers a form it was sent, with or without htmx.

- A broken rule: the page again, with each message next to its field and what was typed kept,
  status 422, and nothing written. With htmx, only the part of the page the form is in, on a page
  that has such a part (`swaps_part`).
- Done, with htmx, on such a page: that part of the page again, with a notice saying what was done.
  A notice for a section of the page (`flash_category` "section:...") is shown in that section, as
  without JavaScript, so the reader stays beside what changed.
- Done, without JavaScript: the notice is flashed and the browser is sent on (303) to the page
  to show next, so reloading it never sends the form again (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from flask import flash, redirect, request
from flask.typing import ResponseReturnValue

from domain.errors import RulesBroken

T = TypeVar("T")


class Render(Protocol):
    """Draws the page (or, `partial`, the part of it a form is in) with these errors and values."""

    def __call__(
        self,
        *,
        partial: bool,
        errors: dict[str, Any] | None = None,
        values: Any = None,
        status_message: str | None = None,
    ) -> str: ...


def answer_form(
    command: Callable[[], T],
    render: Render,
    *,
    done: Callable[[T], str],
    message: str | None = None,
    form_name: str | None = None,
    flash_category: str = "message",
    swaps_part: bool = True,
) -> ResponseReturnValue:
    """Runs `command` (which reads the form and runs one command) and answers the form.

    `done(result)`: where a plain success goes. `form_name`: on a page of several forms, the key its
    errors and typed values are kept under, so the other forms keep theirs. `swaps_part`: False
    for a page htmx does not swap a part of (one thing per page): it answers as without JavaScript.
    """
    htmx = bool(request.htmx) and swaps_part
    try:
        result = command()
    except RulesBroken as broken:
        errors: dict[str, Any] = broken.by_field()
        values: Any = request.form
        if form_name is not None:
            errors, values = {form_name: errors}, {form_name: values}
        return render(partial=htmx, errors=errors, values=values), 422
    in_section = flash_category.startswith("section:")
    if htmx and not in_section:
        return render(partial=True, status_message=message)
    if message:
        # Read back by the section's own notice (_macros.section_notice): on the next page, or, with
        # htmx, in the part of this one drawn now.
        flash(message, flash_category)
    if htmx:
        return render(partial=True)
    return redirect(done(result), code=303)
