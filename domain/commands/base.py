"""What every area's commands share: the calendar, and loading an aggregate of the expected kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate

from domain.errors import NotFound, Problems

A = TypeVar("A", bound=Aggregate)


class Commands(Application):
    today: Callable[[], date]
    # A cached aggregate is copied before a command may change it, unless whoever runs the commands
    # forgets the whole cache whenever one fails (as `cotrace.services.Services.run` does).
    copy_cached_aggregates = True

    def _get(self, kind: type[A], aggregate_id: UUID) -> A:
        try:
            aggregate = self.repository.get(aggregate_id, deepcopy_from_cache=self.copy_cached_aggregates)
        except AggregateNotFoundError:
            raise NotFound(f"No {kind.__name__.lower()} with id {aggregate_id}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"No {kind.__name__.lower()} with id {aggregate_id}")
        return aggregate

    def _find(
        self, problems: Problems, field: str, kind: type[A], aggregate_id: UUID | None, message: str
    ) -> A | None:
        """Loads an aggregate named in a form; a missing one is a problem with that field."""
        if aggregate_id is None:
            problems.add(field, message)
            return None
        try:
            return self._get(kind, aggregate_id)
        except NotFound:
            problems.add(field, message)
            return None


def unique(ids: list[UUID]) -> list[UUID]:
    return list(dict.fromkeys(ids))
