"""Reading a date typed in the GOV.UK date input (day, month, year), or sent as one ISO value by a
link, with the message the GOV.UK pattern gives for each mistake (issue 15)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from domain.errors import Problems
from tests.web.test_meeting_page import post
from web.forms import a_date, date_parts, optional_date

WHAT = "the date of the meeting"


def read(**fields: str) -> tuple[date | None, dict[str, str]]:
    problems = Problems()
    found = a_date(problems, MultiDict({k.replace("_", "-"): v for k, v in fields.items()}), "held", WHAT)
    return found, problems.by_field()


def typed(day: str, month: str, year: str) -> tuple[date | None, dict[str, str]]:
    return read(held_day=day, held_month=month, held_year=year)


@pytest.mark.parametrize(
    ("day", "month", "year", "found"),
    [
        ("27", "3", "2026", date(2026, 3, 27)),
        ("07", "03", "2026", date(2026, 3, 7)),
        (" 27 ", "March", "2026", date(2026, 3, 27)),  # GOV.UK: a month may be written as a word
        ("1", "dec", "2026", date(2026, 12, 1)),
        ("29", "2", "2028", date(2028, 2, 29)),
    ],
)
def test_a_date_typed_in_three_fields(day, month, year, found):
    assert typed(day, month, year) == (found, {})


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of the meeting"),
        ("27", "", "2026", "The date of the meeting must include a month"),
        ("", "3", "", "The date of the meeting must include a day and year"),
        ("27", "3", "", "The date of the meeting must include a year"),
        ("31", "2", "2026", "The date of the meeting must be a real date"),
        ("29", "2", "2027", "The date of the meeting must be a real date"),
        ("27", "13", "2026", "The date of the meeting must be a real date"),
        ("0", "3", "2026", "The date of the meeting must be a real date"),
        ("twenty", "3", "2026", "The date of the meeting must be a real date"),
        ("-1", "3", "2026", "The date of the meeting must be a real date"),
        ("27", "3", "26", "Year must include 4 numbers"),
        ("27", "3", "20260", "Year must include 4 numbers"),
    ],
)
def test_each_mistake_says_what_is_wrong(day, month, year, message):
    assert typed(day, month, year) == (None, {"held": message})


def test_a_link_may_give_the_date_as_one_iso_value():
    assert read(held="2026-03-27") == (date(2026, 3, 27), {})
    assert read(held="2026-02-31") == (None, {"held": "The date of the meeting must be a real date"})
    assert read(held="") == (None, {"held": "Enter the date of the meeting"})


def test_the_three_fields_win_over_one_value():
    assert read(held="2026-03-27", held_day="1", held_month="4", held_year="2026")[0] == date(2026, 4, 1)


def test_an_optional_date_left_empty_is_no_date_and_no_problem():
    problems = Problems()
    empty = MultiDict({"held-day": "", "held-month": "", "held-year": ""})
    assert optional_date(problems, empty, "held", WHAT) is None and not problems
    assert optional_date(problems, MultiDict({"held-day": "3"}), "held", WHAT) is None
    assert problems.by_field() == {"held": "The date of the meeting must include a month and year"}


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ({"held": date(2026, 3, 7)}, ("7", "3", "2026")),
        ({"held": "2026-03-07"}, ("7", "3", "2026")),
        ({"held": "not a date"}, ("", "", "")),
        ({"held-day": "31", "held-month": "2", "held-year": "2026"}, ("31", "2", "2026")),
        ({}, ("", "", "")),
    ],
)
def test_the_parts_a_date_input_shows(values, shown):
    assert tuple(date_parts(MultiDict(values), "held").values()) == shown


# Through the pages: a form's date as a person types it, and its mistakes next to the field.


def test_a_meeting_scheduled_with_its_date_typed_in_three_fields(client, story):
    data = {"title": "Co-design workshop", "held_on-day": "1", "held_on-month": "7", "held_on-year": "2026"}
    response = post(client, f"/partnerships/{story.partnership}/meetings", data)
    assert response.status_code == 303
    assert "1 July 2026" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_date_missing_its_month_is_explained_next_to_the_field_and_nothing_is_written(client, story):
    before = story.notifications()
    data = {"title": "Workshop", "held_on-day": "1", "held_on-month": "", "held_on-year": "2026"}
    response = post(client, f"/partnerships/{story.partnership}/meetings", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    fieldset = page.split("<legend>Date of the meeting</legend>")[1].split("</fieldset>")[0]
    assert "The date of the meeting must include a month" in fieldset.split('id="meeting-held_on-error"')[1]
    assert 'href="#meeting-held_on"' in page  # the summary's link goes to the day
    # Only the part left out is marked, and what was typed stays, to correct.
    assert re.search(r'id="meeting-held_on-month"\s+name="held_on-month" value="" aria-invalid="true"', page)
    assert re.search(r'name="held_on-day" value="1">', page)
    assert story.notifications() == before


def test_the_trail_filtered_by_dates_typed_in_three_fields_exports_them_as_one(client, story):
    asked = {
        "from-day": "1",
        "from-month": "6",
        "from-year": "2026",
        "to-day": "",
        "to-month": "",
        "to-year": "",
    }
    page = client.get(f"/policies/{story.policy}", query_string=asked).get_data(as_text=True)
    assert "Clear filters" in page and "from=2026-06-01" in page  # the downloads carry the filter
    linked = client.get(f"/policies/{story.policy}", query_string={"from": "2026-06-01"}).get_data(
        as_text=True
    )
    assert 'name="from-month" value="6"' in linked
