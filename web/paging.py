"""A page of a list, from its address: which rows (`after` or `before` a row's key), and the links to
the pages either side, which keep everything else the address asks for (filters, "as of").

A page with several lists names each list's cursor with its own prefix (`meetings_after`), so
moving through one list leaves the others where they were. An address whose cursor Cotrace did not
make (edited, cut short) is a 400 that says so and links to the list's first page: never a crash.
"""

from __future__ import annotations

from flask import Flask, abort, make_response, render_template, request, url_for

from projections.keyset import BadCursor, Cursor, Key, cursor_from


def cursor(keys: list[Key], prefix: str = "", anchor: str | None = None) -> Cursor | None:
    """The cursor this request's address asks for in the list named by `prefix`; None for its first page."""
    try:
        return cursor_from(request.args.get(f"{prefix}after"), request.args.get(f"{prefix}before"), keys)
    except BadCursor:
        # Said as what is wrong with the link, not "cannot be found": the list is there, its marker is not.
        marker = f"{prefix}after" if f"{prefix}after" in request.args else f"{prefix}before"
        message = (
            "This link to a page of the list is not one Cotrace made: its page marker "
            f"(“{marker}=” and what follows) may have been cut short or changed when it was copied. "
            "Go to the first page of the list instead."
        )
        first_page = (page_url(prefix, None, anchor=anchor), "Go to the first page")
        page = render_template(
            "problem.html",
            heading="This link’s page marker is not one Cotrace made",
            message=message,
            link=first_page,
        )
        abort(make_response(page, 400))


def page_url(
    prefix: str, after: str | None = None, before: str | None = None, anchor: str | None = None
) -> str:
    """This page's address with the list named by `prefix` moved to the page after (or before) a
    cursor, or to its first page with neither; every other argument is kept as it was."""
    args = request.args.to_dict(flat=False)
    args.pop(f"{prefix}after", None)
    args.pop(f"{prefix}before", None)
    if after:
        args[f"{prefix}after"] = [after]
    elif before:
        args[f"{prefix}before"] = [before]
    return url_for(request.endpoint or "", **(request.view_args or {}), **args, _anchor=anchor)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["page_url"] = page_url
