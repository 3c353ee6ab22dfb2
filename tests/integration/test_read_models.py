"""Every read model names the events it handles (`topics`, as the library's projections do), so a
runner could read only those, and passes over every other event."""

from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic, resolve_topic
from sqlalchemy import Connection, select

from projections.registry import all_projections
from projections.runner import Projection
from tests.conftest import TODAY
from tests.policy_life import PolicyLife
from tests.story import Riverside

READ_MODELS = {read_model.name: read_model for read_model in all_projections()}


@pytest.mark.parametrize("name", READ_MODELS)
def test_a_read_models_topics_name_event_classes(name):
    topics = READ_MODELS[name].topics

    assert topics
    assert len(set(topics)) == len(topics)
    for topic in topics:
        event_class = resolve_topic(topic)
        assert isinstance(event_class, type) and issubclass(event_class, Aggregate.Event), topic
        assert get_topic(event_class) == topic


def rows(conn: Connection, read_model: Projection) -> dict[str, list[tuple]]:
    """Every row of a read model's tables, the kept ones too, in a stable order."""
    kept = getattr(read_model, "kept_metadata", None)
    tables = [*read_model.metadata.sorted_tables, *(kept.sorted_tables if kept is not None else [])]
    return {table.name: sorted(map(tuple, conn.execute(select(table))), key=repr) for table in tables}


def test_a_read_model_passes_over_the_events_whose_topics_it_does_not_name(services):
    PolicyLife.lived(Riverside.set_up(services.app, TODAY), retire=True)
    services.read_models.catch_up()
    notifications = services.app.recorder.select_notifications(0, 10_000)
    events = [(n.id, services.app.mapper.to_domain_event(n)) for n in notifications]

    for read_model in services.read_models.projections:
        others = [(position, e) for position, e in events if get_topic(type(e)) not in read_model.topics]
        assert others, read_model.name  # the story has events it does not handle
        with services.engine.connect() as conn:  # rolled back when closed
            before = rows(conn, read_model)
            for position, event in others:
                read_model.process_event(conn, event, position)
            assert rows(conn, read_model) == before, read_model.name
