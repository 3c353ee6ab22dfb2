"""How long the words a form records may be: long enough for anything a person would write there,
short enough that a name pasted from a whole document cannot make every page that lists it huge."""

from __future__ import annotations

import re
from datetime import date

from domain.dates import check_not_in_future
from domain.errors import Problems
from domain.evidence.numbers import counted, of_total, was  # noqa: F401 (the evidence rules say them too)

# Every limit on the words a record holds, in one place (the import format's JSON Schema gives
# the same numbers, and a test holds them together).
NAME = 200  # a partnership's or person's name, a title, a place, what was rated or claimed
PSEUDONYM = 100  # the name a contributor chooses to be shown by
REASON = 2000  # a reason, a description, a comment, a note of dissent, a link
DECISION = 5000  # what was decided, as written down
CONTRIBUTION = 10_000  # what a participant said


def check_length(problems: Problems, field: str, text: str | None, limit: int, what: str) -> None:
    """`what` starts the message: "The title must be 200 characters or fewer"."""
    if text and len(text.strip()) > limit:
        problems.add(field, f"{what} must be {limit:,} characters or fewer")


# Control characters (but tab, newline and carriage return) and the two non-characters: no keyboard
# types them, a paste can bring them, and XML cannot hold them, so one would break the Atom feed.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def printable(value: str) -> str:
    """The text without the characters no one can see or type and XML cannot hold."""
    return NOT_TEXT.sub("", value)


# Every character Python's str.splitlines() breaks at: a mail header (a policy title reaches a
# follow-up's subject) cannot hold one, and one there could start a header of its own.
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> bool:
    return not LINE_BREAKS.search(text)


# Sentences the pages build from numbers and words, said as a person would: "1 decision", "the
# same day", "online". One place for them, so a page does not grow an `if` for each.


def days_after(days: int) -> str:
    """How long after: "the same day", "1 day after", "12 days after" (then "you said it")."""
    return "the same day" if days == 0 else f"{counted(days, 'day')} after"


def waiting_for(days: int) -> str:
    """How long something has waited: "since today", "for 1 day", "for 12 days"."""
    return "since today" if days == 0 else f"for {counted(days, 'day')}"


def at_place(place: str) -> str:
    """Where a meeting was held, after its date: "at the Civic Centre", but "online"."""
    return "online" if place.strip().lower() == "online" else f"at {place}"


def vote_tally(votes: dict[str, int]) -> str:
    """A vote's tally as a Loomio outcome says it: "7 for, 2 against, 1 abstained"."""
    return f"{votes['for']} for, {votes['against']} against, {votes['abstentions']} abstained"


def check_correction_reason(
    problems: Problems, reason: str, happened_on: date, today: date, explains: str = "record"
) -> None:
    """What every correction asks: a reason that is there and not too long, and its day not yet to come."""
    if not reason.strip():
        problems.add("reason", f"Give the reason for the correction, so the {explains} explains it")
    check_length(problems, "reason", reason, REASON, "The reason")
    check_not_in_future(problems, "happened_on", happened_on, today, "The date of the correction")
