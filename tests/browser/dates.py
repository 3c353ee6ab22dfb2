"""Typing a date as a person does in the GOV.UK date input: its day, month and year, in the group
its legend names."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page


def fill_date(page: Page, legend: str, day: date | str) -> None:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    group = page.get_by_role("group", name=legend, exact=True)
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(part, exact=True).fill(str(value))
