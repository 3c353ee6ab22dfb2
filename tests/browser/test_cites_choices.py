"""The chair choosing the contributions a decision responds to: those on the policy and its stage
first, in checkboxes of one width, each label wrapping beside its box, at 1280 and 375 pixels;
others found with the search (a plain GET form, the same without JavaScript); axe finds nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_record_a_decision import DECISION
from tests.conftest import TODAY

pytestmark = pytest.mark.browser

SHORT = "Yes"
LONG = (
    "Families who home educate want the council to write the principles with them, "
    "and to say how their views changed the draft before anyone signs it off"
)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_cites_choices_are_even_and_an_older_one_is_found(served, page, width):
    base, story = served
    page.set_default_timeout(10_000)
    app, actor = story.app, story.actor
    older = app.submit_contribution(
        actor, story.policy, story.people["tom"], "view", "Start with a survey", "email", TODAY
    )
    for text in (LONG, SHORT):
        app.submit_contribution(
            actor, story.policy, story.people["amira"], "suggestion", text, "email", TODAY
        )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{base}/meetings/{story.meeting}#record-decision")

    cites = page.get_by_role("group", name="Contributions it responds to", exact=True)
    boxes = cites.get_by_role("checkbox")
    sizes = [boxes.nth(i).bounding_box() for i in range(boxes.count())]
    assert len({(round(s["width"]), round(s["height"])) for s in sizes}) == 1, sizes  # one size of box
    assert len({round(s["x"]) for s in sizes}) == 1, sizes  # in one column
    labels = [cites.locator("label").nth(i).bounding_box() for i in range(boxes.count())]
    fieldset = cites.bounding_box()
    assert all(label["x"] + label["width"] <= fieldset["x"] + fieldset["width"] + 1 for label in labels)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing cut off on the right
    assert_accessible(page, f"cites-choices-{width}")

    page.get_by_label("Words from it, or its address").fill("survey")
    page.get_by_role("button", name="Find contributions").click()
    page.wait_for_url("**cites_words=survey**")
    # As fill_good_decision does, by role: a contribution's label names its stage too.
    page.get_by_label("What was decided").fill(DECISION)
    page.get_by_label("Proposed by").select_option(label="Tom (Home educator)")
    page.get_by_role("group", name="Decision makers").get_by_label("Amira (Home educator)").check()
    page.get_by_role("radio", name="Consensus").check()
    cites.get_by_label("“Start with a survey”", exact=False).check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_role("status").wait_for()
    cited = (
        page.locator(".decision").filter(has_text=DECISION).get_by_role("link", name="“Start with a survey”")
    )
    assert cited.get_attribute("href") == f"/contributions/{older}"
