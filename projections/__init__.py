"""Read models built from the event log: SQLAlchemy tables in the same database, with tracking.

Adding a read model: write one module with a subclass of `read_model.ReadModel` giving its `name`
(which also names its position in the runner's tracking table), a `metadata` of its own tables
prefixed with that name, and, if its rows name people, policies or meetings, `lookups =
Lookups(metadata, "<prefix>", people="name stakeholder_group", ...)` asking for the columns it
needs (`lookups.py` declares and keeps them). Its handlers are registered on its own
`@singledispatchmethod _on(self, event, conn, position)`, one an event class; `topics` is derived
from them and the lookups. Then add one line to the registry (`registry.py`), and a test that the read model
rebuilt from the log equals the one built live (as tests/integration/test_projections.py does for
them all). It keeps its own tables, lookups included, so it can be dropped and rebuilt alone.
"""
