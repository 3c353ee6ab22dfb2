"""The charts: well-formed markup a screen reader can name, and a table that says the same as the picture."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from uuid import uuid4

import pytest

from domain.evidence import ContributionFact, DecisionFact, PolicyFacts, StageFact
from web import evidence_charts
from web.charts import Bar, Chart, bar_chart, data_table, timeline_chart

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 3, 1)


def decision(
    stage: str, makers: tuple[str, ...], present: tuple[str, ...] = (), ref: int = 10
) -> DecisionFact:
    return DecisionFact(
        uuid4(),
        1,
        stage,
        date(2026, 4, 1),
        date(2026, 4, 1),
        "consensus",
        not present,
        makers,
        present,
        (),
        ref,
    )


def contribution(
    group: str, response: str | None, happened: date, responded: date | None
) -> ContributionFact:
    return ContributionFact(
        uuid4(), 1, "co_commission", happened, happened, group, "survey", 5,
        response, responded, responded, 6 if response else None,
    )  # fmt: skip


FACTS = PolicyFacts(
    policy_id=uuid4(),
    title="EHE policy",
    initiated_by="citizens",
    started_on=START,
    started_ref=1,
    stages=(
        StageFact(1, "co_commission", START, START, 2),
        StageFact(1, "co_design", date(2026, 4, 10), date(2026, 4, 10), 3),
    ),
    decisions=(
        decision("co_commission", ("home_educator", "local_authority"), ("home_educator", "local_authority")),
        decision("co_commission", ("local_authority",), ("home_educator", "local_authority", "health")),
        decision("co_design", ("local_authority",)),  # taken outside a meeting: nobody present
    ),
    contributions=(
        contribution("home_educator", "adopted", date(2026, 3, 5), date(2026, 3, 15)),
        contribution("parent_carer", "not_adopted", date(2026, 3, 6), date(2026, 4, 5)),
        contribution("young_person", None, date(2026, 4, 20), None),
        contribution("local_authority", "adopted", date(2026, 3, 7), date(2026, 3, 8)),  # not a citizen
    ),
)


def parsed(chart: Chart, draw=bar_chart) -> tuple[ET.Element, ET.Element]:
    return ET.fromstring(str(draw(chart))), ET.fromstring(str(data_table(chart)))


def words(picture: ET.Element) -> str:
    """The picture's words: HTML text, which wraps on a phone, never text drawn in the SVG."""
    assert not list(picture.iter(f"{SVG}text"))
    return " | ".join("".join(e.itertext()) for e in picture.iter("span"))


def table_rows(table: ET.Element) -> list[tuple[str, str]]:
    return [
        (row.find("th").text, row.find("td").text) for row in table.iter("tr") if row.find("td") is not None
    ]


@pytest.mark.parametrize(
    "make, draw",
    [
        (evidence_charts.stage_timeline, timeline_chart),
        (evidence_charts.citizen_decision_share, bar_chart),
        (evidence_charts.contributions_by_response, bar_chart),
        (lambda facts: evidence_charts.response_times(facts, date(2026, 5, 1)), bar_chart),
        (evidence_charts.attendance_by_group, bar_chart),
    ],
)
def test_every_chart_is_named_described_and_tabled_with_the_same_figures(make, draw):
    chart = make(FACTS)
    picture, table = parsed(chart, draw)
    assert picture.get("role") == "img"  # named by the chart's heading, described by its description
    assert picture.get("aria-labelledby") == f"{chart.id}-heading"
    assert picture.get("aria-describedby") == f"{chart.id}-desc"
    rows = table_rows(table)
    assert rows == [(b.label, b.text) for b in chart.bars] and rows
    for label, text in rows:  # the picture writes each figure out: nothing is told by colour alone
        assert label in words(picture) and text in words(picture)
    assert all(svg.get("width") == "100%" and svg.get("viewBox") is None for svg in picture.iter(f"{SVG}svg"))


def test_the_share_of_decisions_with_a_citizen_decision_maker_per_stage():
    chart = evidence_charts.citizen_decision_share(FACTS)
    assert [(b.label, b.value, b.text) for b in chart.bars] == [
        ("Cycle 1, Co-commission", 50, "1 of 2 (50%)"),
        ("Cycle 1, Co-design", 0, "0 of 1 (0%)"),
    ]


def test_citizens_contributions_by_response_and_how_long_they_waited():
    responses = evidence_charts.contributions_by_response(FACTS)
    assert [(b.label, b.value) for b in responses.bars] == [
        ("Adopted", 1),
        ("Adapted", 0),
        ("Not adopted", 1),
        ("Awaiting a response", 1),
    ]  # the officer's own contribution is not counted among citizens'
    times = evidence_charts.response_times(FACTS, date(2026, 5, 1))
    assert [b.text for b in times.bars] == [
        "answered in 10 days",
        "answered in 30 days",
        "waiting 11 days so far",
    ]
    assert times.desc.startswith("Median time to a response 20 days, longest 30 days; 1 still waiting.")


def test_attendance_counts_each_group_once_per_decision_taken_at_a_meeting():
    chart = evidence_charts.attendance_by_group(FACTS)
    assert [(b.label, b.text) for b in chart.bars] == [
        ("Home educator", "2 (40%)"),
        ("Local authority", "2 (40%)"),
        ("Health", "1 (20%)"),
    ]


def test_bars_are_as_long_as_their_value_and_labels_are_escaped():
    chart = Chart("c", "Title <&>", "Desc", "Thing", "Count", (Bar("A & B", 4, "4"), Bar("<C>", 2, "2")))
    picture, _ = parsed(chart)
    widths = [r.get("width") for r in picture.iter(f"{SVG}rect") if r.get("width", "").endswith("%")]
    assert widths == ["100.0%", "50.0%"]  # shares of the row, so a bar fits any screen
    assert "A & B" in words(picture) and "<C>" in words(picture)


def test_bars_of_different_kinds_differ_in_pattern_as_well_as_colour():
    responses = evidence_charts.contributions_by_response(FACTS)
    picture, _ = parsed(responses)
    fills = [r.get("fill") for r in picture.iter(f"{SVG}rect") if r.get("stroke")]
    assert len(set(fills)) == len(fills) == 4
    assert fills[0].startswith("#") and fills[1].startswith("url(#chart-responses-pattern-")
    assert all(r.get("stroke") == "#0b0c0c" for r in picture.iter(f"{SVG}rect") if r.get("stroke"))


def test_an_empty_chart_says_so_in_the_picture_and_the_table():
    chart = Chart("empty", "Nothing", "No figures", "Thing", "Count", ())
    picture, table = parsed(chart)
    assert "Nothing recorded yet" in "".join(picture.itertext())
    assert "Nothing recorded yet" in "".join(table.itertext())
