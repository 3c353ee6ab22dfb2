"""Errors a user can cause, each with the field it belongs to and a plain-English message.

A command checks every rule it can before it changes anything, and raises one `RulesBroken` listing
every problem, so a form can show all its messages at once and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class CotraceError(Exception):
    """Base of the errors of our own."""


class RulesBroken(CotraceError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))

    def by_field(self) -> dict[str, str]:
        messages: dict[str, str] = {}
        for problem in self.problems:
            messages.setdefault(problem.field, problem.message)
        return messages


class NotFound(CotraceError):
    """A thing named by id does not exist (a stale link, a mistyped address)."""


class Problems:
    """Collects the problems of one command, then raises them together."""

    def __init__(self) -> None:
        self._problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        self._problems.append(Problem(field, message))

    def __bool__(self) -> bool:
        return bool(self._problems)

    def has(self, field: str) -> bool:
        return any(p.field == field for p in self._problems)

    def raise_if_any(self) -> None:
        if self._problems:
            raise RulesBroken(list(self._problems))

    def by_field(self) -> dict[str, str]:
        """The first message for each field, for a page that shows them without raising (a filter)."""
        return RulesBroken(list(self._problems)).by_field()
