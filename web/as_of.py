"""Reading "as of a day", in one of its two readings, from a page's address: the same on the audit
trail, the evidence page and the dashboard, so they always agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.dates import check_not_in_future
from domain.errors import Problems
from domain.evidence import AS_HAPPENED, READINGS
from web import forms


@dataclass(frozen=True)
class AsOf:
    day: date | None = None  # None: as things stand now
    reading: str = AS_HAPPENED

    @property
    def as_recorded(self) -> bool:
        return self.reading != AS_HAPPENED


def read_as_of(
    problems: Problems,
    args: forms.Form,
    today: date,
    what: str = "The 'as of' date",
    entered: str = "the 'as of' date",
) -> AsOf:
    """The day and reading asked for. A day that cannot be right (not a date, in the future, before
    1990) is a problem next to the field, and the page is shown as things stand now. A reading
    that is not one of the two offered (an edited address) is the default."""
    reading = forms.text(args, "reading")
    reading = reading if reading in READINGS else AS_HAPPENED
    day = forms.optional_date(problems, args, "as_of", entered)
    if day is not None:
        check_not_in_future(problems, "as_of", day, today, what)
    return AsOf(None if problems.has("as_of") else day, reading)
