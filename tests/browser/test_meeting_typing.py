"""On the meeting page every form is swapped with any one's answer: what a chair typed in the others,
and did not send, stays (found by a keyboard review: saving attendance emptied the decision's text)."""

from __future__ import annotations

import pytest

from tests.browser.test_record_a_decision import DECISION, fill_good_decision

pytestmark = pytest.mark.browser


def test_saving_one_form_keeps_what_was_typed_in_the_others(served, page):
    base, story = served
    page.goto(f"{base}/meetings/{story.meeting}")
    page.get_by_label("What was decided").fill(DECISION)
    page.get_by_label("What they said").fill("Visits at home feel like inspections")
    page.get_by_label("Grace sent apologies").uncheck()
    page.get_by_label("Grace present").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("status").filter(has_text="Attendance recorded.").wait_for()

    assert page.get_by_label("What was decided").input_value() == DECISION
    assert page.get_by_label("What they said").input_value() == "Visits at home feel like inspections"
    assert page.get_by_label("Grace present").is_checked()  # as saved, from the server

    # The form that was sent starts afresh once saved: its words are not carried over.
    fill_good_decision(page)
    page.get_by_role("button", name="Record decision").click()
    page.get_by_role("status").filter(has_text="Decision recorded.").wait_for()
    assert page.get_by_label("What was decided").input_value() == ""
    assert page.get_by_label("What they said").input_value() == "Visits at home feel like inspections"
