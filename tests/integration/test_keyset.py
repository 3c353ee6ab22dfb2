"""A page's cursor holds its row's key and nothing else: what Cotrace wrote reads back the same,
and anything else is refused as a BadCursor, never an error deeper down."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from projections.directory_tables import meetings
from projections.keyset import BadCursor, Key, decode, encode

KEYS = [Key(meetings.c.held_on, descending=True), Key(meetings.c.title), Key(meetings.c.id)]


def test_a_cursor_reads_back_as_the_key_it_was_made_from():
    key = (date(2026, 6, 15), "Partnership meeting “June”", uuid4())
    assert decode(encode(key), KEYS) == key


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64!",
        "%%%",
        encode(("2026-06-15", "title")),  # one value short
        encode(("15 June", "title", str(UUID(int=1)))),  # not a date
        encode(("2026-06-15", 7, str(UUID(int=2)))),  # a title that is a number
        encode(("2026-06-15", "title", "not-an-id")),
        "eyJhIjoxfQ",  # a JSON object, not a list
    ],
)
def test_anything_cotrace_did_not_make_is_a_bad_cursor(cursor):
    with pytest.raises(BadCursor):
        decode(cursor, KEYS)
