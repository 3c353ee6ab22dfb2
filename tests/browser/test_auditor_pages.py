"""The auditor's pages at 1280 and 375 pixels and on paper: the policy page with its actions first and
a trail of short rows, the evidence page readable on a phone with full-width charts, and printouts
an auditor can file (issue 15, "The auditor")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from domain.dates import format_date
from tests.browser.conftest import assert_accessible
from tests.conftest import TODAY
from tests.policy_life import PolicyLife
from tests.web.test_evidence_pages import co_commissioned_with_citizens, designed_after_the_fact

pytestmark = pytest.mark.browser

WIDE, PHONE = 1280, 375

# How many lines each cell of a row takes: the height of its words over the line height of its type.
CELL_LINES = """rows => rows.map(row => [...row.cells].map(cell => {
  const range = document.createRange(); range.selectNodeContents(cell);
  return range.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight);
}))"""
# What is wider than the page (a table cut off, a page that scrolls sideways), by its selector.
OVERFLOWING = """() => [document.documentElement, ...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
               || (e === document.documentElement && e.scrollWidth > e.clientWidth)
               || (getComputedStyle(e).overflowX === 'auto' && e.scrollWidth > e.clientWidth + 1))
  .map(e => e.tagName + '.' + e.className)"""


@pytest.fixture
def lived(served):
    base, story = served
    life = PolicyLife.lived(story)
    co_commissioned_with_citizens(story)
    designed_after_the_fact(story)
    return base, story, life


def test_the_policy_page_puts_its_actions_first_and_a_trail_row_in_two_lines(lived, page):
    base, story, _ = lived
    page.set_viewport_size({"width": WIDE, "height": 900})
    page.goto(f"{base}/policies/{story.policy}")
    actions = page.get_by_role("heading", name="Record for this policy").bounding_box()
    trail = page.get_by_role("table", name=re.compile("^Audit trail")).bounding_box()
    assert actions["y"] < trail["y"]
    rows = page.locator("table.audit-trail tbody tr")
    lines = rows.evaluate_all(CELL_LINES)
    # The day and where, and when and by whom it was recorded: two lines each, never six.
    assert max(max(cells[0], cells[3]) for cells in lines) < 2.5, lines
    entered = [i for i, text in enumerate(rows.all_inner_texts()) if "Entered Co-" in text]
    for i in entered:  # a fact of one line of words takes a row of two lines
        assert max(lines[i]) < 2.5, lines[i]
    assert_accessible(page, "auditor-policy-1280")

    page.set_viewport_size({"width": PHONE, "height": 800})
    assert page.evaluate(OVERFLOWING) == []  # the trail's rows are stacked, not cut off
    assert rows.first.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert_accessible(page, "auditor-policy-375")


def test_the_evidence_page_reads_on_a_phone_with_full_width_charts_in_colours_and_patterns(lived, page):
    base, story, _ = lived
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(f"{base}/policies/{story.policy}/evidence")
    charts = page.locator("section.chart")
    expect(charts).to_have_count(5)
    assert page.locator("section.chart svg text").count() == 0  # no words drawn to be scaled down
    sizes = page.locator("section.chart [role=img] span").evaluate_all(
        "spans => spans.map(s => parseFloat(getComputedStyle(s).fontSize))"
    )
    assert sizes and min(sizes) >= 12, sizes
    assert page.evaluate(OVERFLOWING) == []  # the criteria stacked, not cut off; no sideways scroll
    # Each chart's table comes after it, closed, in a details element.
    after = charts.evaluate_all(
        "cs => cs.map(c => { const next = c.querySelector('[role=img]').nextElementSibling;"
        " return [next.tagName, !!next.querySelector('table'), next.open]; })"
    )
    assert after == [["DETAILS", True, False]] * 5
    assert_accessible(page, "auditor-evidence-375")

    page.set_viewport_size({"width": WIDE, "height": 900})
    widths = charts.evaluate_all(
        "cs => cs.map(c => c.querySelector('[role=img]').getBoundingClientRect().width"
        " / document.querySelector('main').getBoundingClientRect().width)"
    )
    assert min(widths) > 0.95, widths  # the width of the page, not half of it
    bars = page.locator("section.chart [role=img] rect[stroke]")
    fills = set(bars.evaluate_all("rs => rs.map(r => r.getAttribute('fill'))"))
    assert len(fills) >= 4 and any(f.startswith("url(#") for f in fills)  # colours, and patterns
    # The level in words on a solid tag, not a dashed border.
    level = page.locator("p.level").first
    assert level.evaluate("p => getComputedStyle(p).borderLeftStyle") == "none"
    tag = level.locator("strong")
    assert tag.inner_text() == "Intermediate"
    assert tag.evaluate("s => getComputedStyle(s).borderStyle") == "solid"
    assert tag.evaluate("s => getComputedStyle(s).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert_accessible(page, "auditor-evidence-1280")


STOOD = re.compile(r"Printed from Cotrace, as the page stood on \d+ \w+ \d{4}, \d\d:\d\d UTC")
PAGE_NUMBERS = """() => [...document.styleSheets].flatMap(s => [...s.cssRules])
  .filter(r => r instanceof CSSPageRule).flatMap(r => [...r.cssRules])
  .map(m => m.name + ' ' + m.style.content)"""


def test_the_trail_evidence_and_provenance_print_as_documents_to_file(lived, page):
    base, story, life = lived
    page.goto(f"{base}/policies/{story.policy}?as_of=2026-06-01")
    expect(page.locator(".print-header")).to_be_hidden()  # on a screen, the page says it already
    page.emulate_media(media="print")
    for address, what, as_of in [
        (f"/policies/{story.policy}?as_of=2026-06-01", "EHE policy as of 1 June 2026",
         "The policy and its trail as of 1 June 2026, as it happened."),
        (f"/policies/{story.policy}/evidence", "Evidence of co-production: EHE policy",
         f"The evidence as of {format_date(TODAY)}."),
        (f"/decisions/{life.decided}", "Decision provenance, ", "The decision and its provenance"),
    ]:  # fmt: skip
        page.goto(base + address)
        header = page.locator(".print-header")
        expect(header).to_be_visible()
        expect(header).to_contain_text(what)
        expect(header).to_contain_text(STOOD)
        expect(header).to_contain_text(as_of)
        for hidden in ("navigation", "search", "form"):
            for each in page.get_by_role(hidden).all():
                expect(each).to_be_hidden()
        for each in page.locator("form, .skip-link, .site-header, .pager, .screen-only").all():
            expect(each).to_be_hidden()
        assert page.pdf(format="A4")[:4] == b"%PDF"
    page.goto(f"{base}/policies/{story.policy}")
    expect(page.get_by_role("heading", name="Record for this policy")).to_be_hidden()
    expect(page.get_by_role("group", name="Filter the trail")).to_be_hidden()
    expect(page.get_by_role("table", name=re.compile("^Audit trail"))).to_be_visible()
    assert any(
        rule.startswith("bottom-right ") and 'counter(page) " of " counter(pages)' in rule
        for rule in page.evaluate(PAGE_NUMBERS)
    )  # "Page 2 of 6" at the foot of every page
    pages = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
    assert 1 <= pages <= 8, pages  # 24 facts; it was 22 pages for 50 with the filter form
