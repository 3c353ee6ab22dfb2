"""Reading form fields into the types commands take, with a plain-English message when they cannot be."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from werkzeug.datastructures import MultiDict

from domain.errors import Problems
from domain.wording import printable

# Spaces, and characters that show nothing, at either end of a field: taken off, so a name made of
# them alone counts as empty.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
#: What a form sends: field names to one or more values (werkzeug's, as `request.form` is).
Form = MultiDict

EDGES = re.compile(f"^[\\s{INVISIBLE}]+|[\\s{INVISIBLE}]+$")


def text(form: Form, name: str) -> str:
    """A field's text as the person meant it: without control characters, and trimmed of spaces
    and invisible characters at either end."""
    return EDGES.sub("", printable(form.get(name) or ""))


def uuid_or_none(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def uuids(form: Form, name: str) -> list[UUID]:
    return [u for u in (uuid_or_none(v) for v in form.getlist(name)) if u is not None]


def a_date(problems: Problems, form: Form, name: str, what: str) -> date | None:
    value = text(form, name)
    if not value:
        problems.add(name, f"Enter {what}")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.add(name, f"Enter {what} as a real date, for example 2026-03-27")
        return None


def whole_number(problems: Problems, form: Form, name: str, what: str) -> int | None:
    value = text(form, name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        problems.add(name, f"Enter {what} as a whole number, for example 3")
        return None


def optional_date(problems: Problems, form: Form, name: str, what: str) -> date | None:
    """A date the user may leave blank; one given must be a real date."""
    if not text(form, name):
        return None
    return a_date(problems, form, name, what)
