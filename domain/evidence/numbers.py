"""Numbers said as a person would, in the evidence rules' sentences and the pages' alike: "1 decision",
"The only decision". Here, in the rules, because the audit pack ships the rules with the standard
library alone; `domain.wording` re-exports them for the pages."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 day", "3 days"; `plural` where adding an s is wrong ("1 reply", "2 replies")."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def of_total(part: int, total: int, noun: str, plural: str | None = None) -> str:
    """A share at the start of a sentence: "2 of 5 decisions", "The only decision", "No decision"
    (where "1 of 1 decisions", "0 of 1 decisions" and "0 of 0 decisions" read as a form's output)."""
    if total == 0:
        return f"No {noun}"
    if total == 1:
        return f"The only {noun}" if part == 1 else f"No {noun}"
    return f"{part:,} of {counted(total, noun, plural)}"


def was(part: int, total: int | None = None) -> str:
    """The verb after `counted` or `of_total`: "1 decision was", "2 of 5 decisions were", "No decision
    was", "The only decision was", "0 of 3 decisions were"."""
    return "was" if part == 1 or (total is not None and total <= 1) else "were"
