"""An auditor reads a long trail a page at a time: each page follows on from the last with nothing
missed and nothing twice, the filters and "as of" stay as they were, and a spoilt link is explained."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from projections import reads
from projections.keyset import Cursor, encode, page_statement
from projections.reads import TrailFilter
from tests.conftest import TODAY
from tests.story import Riverside
from tests.web.test_meeting_page import HTMX

RATINGS = 120
EARLIEST = TODAY - timedelta(days=80)


@pytest.fixture
def story(flask_app) -> Riverside:
    """Riverside, whose policy was rated 120 times, a day at a time from 80 days ago (two a day)."""
    story = Riverside.set_up(flask_app.extensions["cotrace"].app, TODAY)
    for n in range(RATINGS):
        story.app.rate_policy(
            story.actor,
            story.policy,
            f"Aspect {n}",
            "green",
            happened_on=EARLIEST + timedelta(days=n // 2),
        )
    return story


def positions(page: str) -> list[int]:
    body = page.split('class="table audit-trail"', 1)[1].split("</tbody>", 1)[0]
    return [int(p) for p in re.findall(r'<tr id="event-(\d+)"', body)]


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def whole_trail(flask_app, story: Riverside, only: TrailFilter) -> list[int]:
    with flask_app.extensions["cotrace"].engine.connect() as conn:
        return [row["position"] for row in reads.policy_trail(conn, story.policy, only)]


def walk(client, first_url: str, rel: str = "next") -> tuple[list[list[int]], list[str]]:
    """Every page from the first, following the `rel` link: their rows, and the pages themselves."""
    pages, texts, url = [], [], first_url
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        pages.append(positions(page))
        texts.append(page)
        url = link(page, rel)
    return pages, texts


def test_the_trail_is_read_a_page_at_a_time_with_nothing_missed_or_twice(flask_app, client, story):
    pages, texts = walk(client, f"/policies/{story.policy}")
    assert [len(rows) for rows in pages[:-1]] == [50, 50]
    every = [p for rows in pages for p in rows]
    assert every == whole_trail(flask_app, story, TrailFilter())
    assert len(every) == len(set(every))
    assert f"{len(every)} facts in the trail." in texts[0]
    assert "Showing 1 to 50, oldest first." in texts[0]
    assert "Showing 51 to 100, oldest first." in texts[1]
    assert link(texts[0], "prev") is None and link(texts[-1], "next") is None
    # And back again, from the last page, by the "previous" links: the same pages.
    back, _ = walk(client, link(texts[-1], "prev"), rel="prev")
    assert list(reversed(back)) == pages[:-1]


def test_filters_and_as_of_stay_on_every_page(flask_app, client, story):
    as_of = EARLIEST + timedelta(days=54)  # the first 110 ratings had happened
    args = f"kind=ratings&as_of={as_of.isoformat()}&reading=as_happened"
    pages, texts = walk(client, f"/policies/{story.policy}?{args}")
    every = [p for rows in pages for p in rows]
    assert every == whole_trail(flask_app, story, TrailFilter(kind="ratings", as_of=as_of))
    assert len(every) == 110 and [len(rows) for rows in pages] == [50, 50, 10]
    assert "110 facts match the filters, as of" in texts[1]
    for page in texts[:-1]:
        following = link(page, "next")
        assert "kind=ratings" in following and f"as_of={as_of.isoformat()}" in following
        assert following.endswith("#audit-trail")
    # The downloads hold every page of the filtered rows, not this page's alone.
    assert "every page of them" in texts[1]
    assert "after=" not in re.search(r'href="(/policies/[^"]+/audit-trail[^"]*)"', texts[1]).group(1)


def test_htmx_gets_the_next_page_as_the_policy_record(client, story):
    first = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    following = link(first, "next")
    assert 'hx-target="#policy-record"' in first.split('class="pager"', 1)[1]
    response = client.get(following, headers=HTMX)
    part = response.get_data(as_text=True)
    assert response.status_code == 200
    assert part.lstrip().startswith('<div id="policy-record">') and "<html" not in part
    assert positions(part)[0] > positions(first)[-1]


@pytest.mark.parametrize(
    "args",
    [
        "after=not-a-cursor",
        "after=%%%",
        "before=" + encode(("forty",)),  # a position that is not a number
        "after=" + encode((1, 2)),  # the key of another list
        "after=W10",  # an empty list
    ],
)
def test_a_spoilt_page_link_is_explained_and_leads_to_the_first_page(client, story, args):
    response = client.get(f"/policies/{story.policy}?kind=ratings&{args}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This link to a page of the list is not one Cotrace made" in page
    assert "<h1>This link’s page marker is not one Cotrace made</h1>" in page
    assert "cannot be found" not in page
    first_page = html.unescape(re.search(r'href="([^"]+)">Go to the first page', page).group(1))
    assert first_page == f"/policies/{story.policy}?kind=ratings#audit-trail"
    assert client.get(first_page).status_code == 200


def test_a_made_up_position_past_the_end_shows_the_last_rows(flask_app, client, story):
    response = client.get(f"/policies/{story.policy}", query_string={"before": encode((10**9,))})
    assert response.status_code == 200
    shown = positions(response.get_data(as_text=True))
    assert shown == whole_trail(flask_app, story, TrailFilter())[-50:]


@pytest.mark.parametrize(
    ("only", "index", "condition"),
    [
        (TrailFilter(), "audit_trail_by_policy", "policy_id=? AND position>?"),
        (TrailFilter(kind="ratings"), "audit_trail_by_kind", "policy_id=? AND kind=? AND position>?"),
    ],
    ids=["unfiltered", "by-kind"],
)
def test_the_page_of_the_trail_reads_the_policy_index_not_the_whole_table(
    flask_app, story, only, index, condition
):
    """The plan for a page after a cursor: a search of the policy's rows (of the kind asked for) by
    position in one of the trail's indexes, with no scan of audit_trail and no sort. PostgreSQL would
    rather scan a table this small, so it is asked to show the plan it has when the table is too
    large to scan."""
    services = flask_app.extensions["cotrace"]
    services.read_models.catch_up()
    query = reads.policy_trail_query(story.policy, only).order_by(None)
    statement = page_statement(query, reads.TRAIL_KEYS, 50, Cursor((60,)))
    compiled = statement.compile(services.engine, compile_kwargs={"literal_binds": True})
    with services.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            plan = " / ".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert f"SEARCH audit_trail USING INDEX {index} ({condition})" in plan, plan
            assert "SCAN" not in plan and "TEMP B-TREE" not in plan, plan
        else:
            conn.execute(text("SET enable_seqscan = off"))
            plan = " / ".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))
            # Either index, by cost: the table holds a few rows, whatever the setting.
            assert "Index Scan using audit_trail_by_" in plan, plan
            assert "Seq Scan" not in plan and "Sort" not in plan, plan
        assert reads.policy_trail_page(conn, story.policy, TrailFilter(), 50, Cursor((60,))).rows


def test_the_trail_as_of_a_day_is_counted_from_the_index_alone(flask_app, story):
    """The count of the rows "as of" a day reads one of the trail's indexes alone, as they hold the days
    each row happened and was recorded: not each of the policy's rows."""
    services = flask_app.extensions["cotrace"]
    services.read_models.catch_up()
    for only in (TrailFilter(as_of=TODAY), TrailFilter(as_of=TODAY, as_recorded=True)):
        query = reads.policy_trail_query(story.policy, only).order_by(None)
        counted = select(func.count()).select_from(query.subquery())
        compiled = counted.compile(services.engine, compile_kwargs={"literal_binds": True})
        with services.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                plan = " / ".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
                assert "USING COVERING INDEX audit_trail_by_" in plan, (
                    plan
                )  # by policy or by kind: both hold the days
            else:  # as large as a table must be for PostgreSQL to prefer its index to a scan
                conn.execute(text("SET enable_seqscan = off"))
                plan = " / ".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))
                assert "Index Only Scan using audit_trail_by_" in plan, plan
