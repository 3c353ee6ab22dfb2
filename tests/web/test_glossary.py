"""The words of co-production explained in plain English: a glossary page anyone can read, and a
"What does ... mean?" where the pages use the words (issue 15)."""

from __future__ import annotations

import html

from web.glossary import STAGE_TERMS, TERMS


def test_the_glossary_explains_every_term_to_anyone(client):
    response = client.get("/glossary")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    for term in TERMS:
        assert f'id="{term.key}"' in page and term.meaning in page
    for words in (
        "Co-commission",
        "Rung",
        "Wokingham's reporting template",
        "The seven criteria",
        "Tokenistic",
    ):
        assert f"<dt>{words}</dt>" in page
    assert "Co-producing: everyone works as equals" in page  # the ladder's rungs, from the vocabulary


def test_every_page_links_to_the_glossary(client, story):
    assert 'href="/glossary"' in client.get("/").get_data(as_text=True)


def test_the_pages_explain_their_words_where_they_use_them(client, story):
    policy = html.unescape(client.get(f"/policies/{story.policy}").get_data(as_text=True))
    assert "<summary>What do the stages mean?</summary>" in policy
    assert all(term.meaning in policy for term in STAGE_TERMS)
    evidence = html.unescape(client.get(f"/policies/{story.policy}/evidence").get_data(as_text=True))
    assert "<summary>What do the levels and the seven criteria mean?</summary>" in evidence
    assert "<summary>What is a rung of the co-production ladder?</summary>" in evidence
    assert 'href="/glossary#levels"' in evidence
    board = html.unescape(client.get(f"/partnerships/{story.partnership}/dashboard").get_data(as_text=True))
    assert "<summary>What is Wokingham's reporting template?</summary>" in board
