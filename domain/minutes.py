"""A meeting's minutes: written in Cotrace, or attached as a file whose SHA-256 checksum is kept (as a
policy's published versions are), then approved.

Each writing is a new version; the earlier ones stay in the trail. An approval names the version
the approvers read, by its checksum, so the record says which words were approved. Minutes
approved before Cotrace kept them (history brought in, or an approval recorded before minutes
could be written here) name no version: the minutes themselves are kept elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from domain.dates import format_date
from domain.errors import Problems
from domain.wording import NAME, check_length

#: The longest minutes written on the page (a long meeting's minutes run to a few thousand words).
MINUTES_TEXT = 100_000
#: The largest file of minutes Cotrace takes the checksum of: what a web form can send in one go.
MINUTES_FILE_BYTES = 10 * 1024 * 1024

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def text_checksum(text: str) -> str:
    """The SHA-256 checksum of minutes written as text: of their UTF-8 bytes, as a file saved with
    the same words would have."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MinutesVersion:
    """One version of a meeting's minutes: its words, or the name of the file attached, and the
    SHA-256 checksum of either."""

    number: int
    text: str
    file_name: str
    content_hash: str


def check_minutes(problems: Problems, text: str, file_name: str, content_hash: str) -> None:
    """Minutes are words or a file, one of the two."""
    if text.strip() and file_name.strip():
        problems.add("text", "Write the minutes or attach a file of them, not both")
    elif not text.strip() and not file_name.strip():
        problems.add("text", "Write the minutes, or attach a file of them")
    check_length(problems, "text", text, MINUTES_TEXT, "The minutes")
    check_length(problems, "minutes_file", file_name, NAME, "The file's name")
    if file_name.strip() and not SHA256.match(content_hash):
        problems.add("minutes_file", "Attach the file again: its checksum could not be worked out")


def check_writable(problems: Problems, approved_on: date | None, field: str) -> None:
    """Approved minutes stand as approved: a change is for the next meeting to agree."""
    if approved_on is not None:
        problems.add(
            field,
            f"The minutes were approved on {format_date(approved_on)}: they stand as approved",
        )


def check_approvable(problems: Problems, versions: list[MinutesVersion], content_hash: str | None) -> None:
    """The approvers approve the version they read: the latest, named by its checksum. With no
    checksum (history brought in) the minutes were kept outside Cotrace."""
    if content_hash is None:
        return
    if not versions:
        problems.add("approved_by", "Write or attach the minutes first: there is nothing to approve yet")
    elif content_hash != versions[-1].content_hash:
        problems.add(
            "approved_by",
            "The minutes have changed since this page was opened: read the latest version, then approve it",
        )
