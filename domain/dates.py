"""Rules about when things happened: nothing recorded as done in the future, no meeting years ahead."""

from __future__ import annotations

from datetime import date, timedelta

from domain.errors import Problems

# A meeting can be put in the diary up to a year ahead; further than that is almost always a typo.
LONGEST_PLANNING_AHEAD = timedelta(days=366)
EARLIEST_DATE = date(1990, 1, 1)


def format_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_not_in_future(problems: Problems, field: str, day: date, today: date, what: str) -> None:
    if day > today:
        problems.add(field, f"{what} cannot be in the future: enter today's date or an earlier one")
    elif day < EARLIEST_DATE:
        problems.add(field, f"{what} must be on or after {format_date(EARLIEST_DATE)}")


def check_meeting_date(problems: Problems, field: str, day: date, today: date) -> None:
    if day > today + LONGEST_PLANNING_AHEAD:
        problems.add(
            field,
            "The meeting date must be within a year from today: check the year",
        )
    elif day < EARLIEST_DATE:
        problems.add(field, f"The meeting date must be on or after {format_date(EARLIEST_DATE)}")
