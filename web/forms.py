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


# The GOV.UK date input sends a date as three fields, `name-day`, `name-month` and `name-year`; links,
# exports and older forms send it as one, `name=2026-03-27`. Both are read, the three fields first.
DATE_PARTS = ("day", "month", "year")
# GOV.UK asks that a month be understood written as a word too ("March", "mar"), as people type it.
MONTHS = {
    name: number
    for number, word in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in (word, word[:3])
}
DIGITS = re.compile(r"[0-9]+")


def sends_date_parts(form: Form, name: str) -> bool:
    return any(f"{name}-{part}" in form for part in DATE_PARTS)


def date_parts(values: Form | dict, name: str) -> dict[str, str]:
    """The day, month and year to show in a date input: those the form sent back, or those of a
    default given as a date or as one ISO value (`today.isoformat()`, a link's `?as_of=`)."""
    if sends_date_parts(values, name):
        return {part: str(values.get(f"{name}-{part}") or "") for part in DATE_PARTS}
    value = values.get(name)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return {"day": "", "month": "", "year": ""}
    if isinstance(value, date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    return {"day": "", "month": "", "year": ""}


def a_date(problems: Problems, form: Form, name: str, what: str) -> date | None:
    """The date a form gives, or None and a problem next to the field that says what is wrong, as the
    GOV.UK date input's messages do: "Enter the date of the meeting", "The date of the meeting must
    include a month", "... must be a real date", "Year must include 4 numbers". `what` is said
    within a sentence ("the date of the meeting")."""
    said = what[:1].upper() + what[1:]
    if not sends_date_parts(form, name):
        value = text(form, name)
        if not value:
            problems.add(name, f"Enter {what}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            problems.add(name, f"{said} must be a real date")
            return None
    parts = {part: text(form, f"{name}-{part}") for part in DATE_PARTS}
    missing = [part for part in DATE_PARTS if not parts[part]]
    if len(missing) == len(DATE_PARTS):
        problems.add(name, f"Enter {what}")
        return None
    if missing:
        problems.add(name, f"{said} must include a {' and '.join(missing)}")
        return None
    day, month, year = parts["day"], MONTHS.get(parts["month"].lower(), parts["month"]), parts["year"]
    if not all(DIGITS.fullmatch(str(n)) for n in (day, month, year)):
        problems.add(name, f"{said} must be a real date")
        return None
    if len(year) != 4:
        problems.add(name, "Year must include 4 numbers")
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        problems.add(name, f"{said} must be a real date")
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
    if not any(text(form, field) for field in (name, *(f"{name}-{part}" for part in DATE_PARTS))):
        return None
    return a_date(problems, form, name, what)
