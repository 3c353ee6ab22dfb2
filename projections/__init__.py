"""Read models built from the event log: SQLAlchemy tables in the same database, with tracking."""
