"""Reading form fields into the types commands take, with a plain-English message when they cannot be."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.errors import Problems


def text(form, name: str) -> str:  # noqa: ANN001 - a werkzeug MultiDict
    return (form.get(name) or "").strip()


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
