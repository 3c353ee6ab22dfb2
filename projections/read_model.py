"""What every read model is: a name, the tables a rebuild drops, the lookups it keeps, and its handlers.

Named as the library's `eventsourcing.projection.Projection` names them: `process_event` applies one
event, and `topics` are the topics of the events it handles, so that a runner could read only those.
Ours takes the connection of the transaction the runner writes in, and the event's position.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatchmethod
from inspect import getattr_static
from typing import Any, ClassVar

from eventsourcing.utils import get_topic
from sqlalchemy import Connection, MetaData

from projections.batch import Batch
from projections.lookups import Lookups

# A handler kept in a module of its own: a `functools.singledispatch` function of (event, conn, position).
Handler = Callable[[Any, Connection, int], None]


class ReadModel:
    """A read model registers its handlers on its own `_on` (a `singledispatchmethod`, one handler
    an event class); `process_event` keeps its lookups first, then calls the handler for the event's
    class, then any `handlers_elsewhere`. Events it has no handler for are passed over."""

    name: ClassVar[str]
    # Raised when its tables change shape: an installation whose stored version differs drops this
    # read model's tables at start and rebuilds them from the log (`ReadModels.create_tables`).
    version: ClassVar[int] = 1
    metadata: ClassVar[MetaData]  # dropped and built again by a rebuild
    lookups: ClassVar[Lookups | None] = None  # its own people, policies and meetings
    handlers_elsewhere: ClassVar[tuple[Handler, ...]] = ()
    # The indexes (by name) its handlers' own statements search by: a rebuild staged in a file of
    # its own makes only these (and each table's key) while it applies the log, the rest once, as
    # the rows are copied into the store (`projections.staging.staged_indexes`). A handler that
    # searches by another reads its table whole there: tests/integration/test_staged_rebuild.py
    # names the index it needs.
    handler_indexes: ClassVar[tuple[str, ...]] = ()
    topics: ClassVar[tuple[str, ...]] = ()  # derived from the handlers: see __init_subclass__

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dispatchers = [getattr_static(cls, "_on").dispatcher, *cls.handlers_elsewhere]
        handled = {event_class for dispatcher in dispatchers for event_class in dispatcher.registry}
        handled.discard(object)  # the default: what is passed over
        if cls.lookups is not None:
            handled.update(cls.lookups.handled)
        cls.topics = tuple(sorted(get_topic(event_class) for event_class in handled))
        indexes = {index.name for table in cls.metadata.tables.values() for index in table.indexes}
        unknown = set(cls.handler_indexes) - indexes
        if unknown:
            raise TypeError(f"{cls.__name__} has no index called {', '.join(sorted(unknown))}")
        cls._handlers = {}

    # The handlers of each event class, as the dispatchers choose them, found once per class: a
    # rebuild applies every event to every read model, and most pass most events over. The own
    # handler is kept unbound (None when the event is passed over), so the cache is the class's.
    _handlers: ClassVar[dict[type, tuple[Callable[..., None] | None, tuple[Handler, ...]]]]

    def process_event(self, conn: Connection | Batch, event: Any, position: int) -> None:
        """Applies one event, at its position in the log, in the caller's transaction: in the batch
        the runner applies it in, or on its own (its writes written before this returns)."""
        if isinstance(conn, Batch):
            self.apply(conn, event, position)
            return
        batch = Batch(conn)
        self.apply(batch, event, position)
        batch.flush()

    def apply(self, conn: Batch, event: Any, position: int) -> None:
        """Applies one event in a batch: its lookups first, then its handlers."""
        if self.lookups is not None:
            self.lookups.process(conn, event, position)
        event_class = type(event)
        found = self._handlers.get(event_class)
        if found is None:
            found = self._handlers[event_class] = self._handlers_of(event_class)
        own, elsewhere = found
        if own is not None:
            own(self, event, conn, position)
        for handler in elsewhere:
            handler(event, conn, position)

    @classmethod
    def _handlers_of(cls, event_class: type) -> tuple[Callable[..., None] | None, tuple[Handler, ...]]:
        """The handlers an event of this class goes to: its own and those kept elsewhere."""
        dispatcher = getattr_static(cls, "_on").dispatcher
        own = dispatcher.dispatch(event_class)
        elsewhere = tuple(
            handler
            for handlers in cls.handlers_elsewhere
            if (handler := handlers.dispatch(event_class)) is not handlers.dispatch(object)
        )
        return (None if own is dispatcher.dispatch(object) else own), elsewhere

    @singledispatchmethod
    def _on(self, event: Any, conn: Connection, position: int) -> None:
        """Events this read model does not show are passed over. A read model with handlers of its
        own defines `_on` again, so that they are registered on its own dispatcher."""
