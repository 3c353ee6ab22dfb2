"""An installation whose read model was built by an older version of Cotrace, made by hand: the
statements that undo the newer shape, and the version it then says it was built at."""

from __future__ import annotations

from sqlalchemy import Engine, text, update

from projections.runner import read_model_versions


def built_at_version(engine: Engine, projection: str, version: int, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
        conn.execute(
            update(read_model_versions)
            .where(read_model_versions.c.projection == projection)
            .values(version=version)
        )
