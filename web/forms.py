"""Reading form fields into the types commands take, with a plain-English message when they cannot be."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from domain.errors import Problems
from domain.wording import printable

# Spaces, and characters that show nothing, at either end of a field: taken off, so a name made of
# them alone counts as empty.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
EDGES = re.compile(f"^[\\s{INVISIBLE}]+|[\\s{INVISIBLE}]+$")


def text(form, name: str) -> str:  # noqa: ANN001 - a werkzeug MultiDict
    """A field's text as the person meant it: without control characters, and trimmed of spaces
    and invisible characters at either end."""
    return EDGES.sub("", printable(form.get(name) or ""))


def uuid_or_none(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def uuids(form, name: str) -> list[UUID]:  # noqa: ANN001
    return [u for u in (uuid_or_none(v) for v in form.getlist(name)) if u is not None]


def a_date(problems: Problems, form, name: str, what: str) -> date | None:  # noqa: ANN001
    value = text(form, name)
    if not value:
        problems.add(name, f"Enter {what}")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.add(name, f"Enter {what} as a real date, for example 2026-03-27")
        return None


def whole_number(problems: Problems, form, name: str, what: str) -> int | None:  # noqa: ANN001
    value = text(form, name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        problems.add(name, f"Enter {what} as a whole number, for example 3")
        return None


def optional_date(problems: Problems, form, name: str, what: str) -> date | None:  # noqa: ANN001
    """A date the user may leave blank; one given must be a real date."""
    if not text(form, name):
        return None
    return a_date(problems, form, name, what)
