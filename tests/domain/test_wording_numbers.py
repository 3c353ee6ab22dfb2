"""The sentences pages build from numbers, as a person would say them (issue 15)."""

import pytest

from domain.wording import at_place, counted, days_after, of_total, vote_tally, waiting_for, was


@pytest.mark.parametrize(
    ("number", "said"), [(0, "0 decisions"), (1, "1 decision"), (2, "2 decisions"), (1200, "1,200 decisions")]
)
def test_a_count_agrees_with_its_noun(number, said):
    assert counted(number, "decision") == said


def test_a_plural_that_is_not_an_s():
    assert counted(2, "reply", "replies") == "2 replies"
    assert counted(1, "reply", "replies") == "1 reply"


@pytest.mark.parametrize(("days", "said"), [(0, "the same day"), (1, "1 day after"), (12, "12 days after")])
def test_how_long_after(days, said):
    assert days_after(days) == said


@pytest.mark.parametrize(("days", "said"), [(0, "since today"), (1, "for 1 day"), (12, "for 12 days")])
def test_how_long_waiting(days, said):
    assert waiting_for(days) == said


@pytest.mark.parametrize(
    ("place", "said"),
    [("Online", "online"), (" online ", "online"), ("the Civic Centre", "at the Civic Centre")],
)
def test_where(place, said):
    assert at_place(place) == said


@pytest.mark.parametrize(
    ("part", "total", "said"),
    [
        (1, 1, "The only decision"),
        (0, 1, "No decision"),
        (2, 5, "2 of 5 decisions"),
        (0, 3, "0 of 3 decisions"),
        (0, 0, "No decision"),
    ],
)
def test_a_share(part, total, said):
    assert of_total(part, total, "decision") == said


@pytest.mark.parametrize(
    ("votes", "said"),
    [
        ((7, 2, 1), "7 for, 2 against, 1 abstained"),
        ((1, 0, 0), "1 for, 0 against, 0 abstained"),
        ((5, 1, 3), "5 for, 1 against, 3 abstained"),
    ],
)
def test_a_vote_is_said_as_a_loomio_outcome_says_it(votes, said):
    assert vote_tally(dict(zip(("for", "against", "abstentions"), votes, strict=True))) == said


@pytest.mark.parametrize(
    ("part", "total", "verb"),
    [
        (1, None, "was"),
        (3, None, "were"),
        (0, None, "were"),
        (1, 1, "was"),
        (0, 1, "was"),
        (0, 0, "was"),
        (2, 5, "were"),
        (1, 5, "was"),
        (0, 5, "were"),
    ],
)
def test_the_verb_agrees_with_the_share(part, total, verb):
    """ "No decision was", "The only decision was", "1 of 5 decisions was", "2 of 5 decisions were"."""
    assert was(part, total) == verb
