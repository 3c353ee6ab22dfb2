"""The benchmarks' generator makes a store the app could have written: sealed, its read models
those a rebuild gives, its shapes those asked for (so CI catches a broken generator)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sqlalchemy import func, select

from cotrace.sealing import verify_log
from cotrace.services import open_services
from projections.directory_tables import meetings
from tests.integration.test_projections import snapshot

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_small_generated_store_is_sealed_and_its_read_models_rebuild_the_same(tmp_path):
    generator = _generator()
    url = f"sqlite:///{tmp_path}/store.db"
    generator.generate(url, 2000, seed=1, progress=False)
    services = open_services(url, today=lambda: generator.TODAY)
    try:
        with services.engine.connect() as conn:
            verified = verify_log(conn, services.app.recorder.events_record_cls.__table__)
            largest = conn.scalar(
                select(func.count())
                .select_from(meetings)
                .group_by(meetings.c.partnership_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        assert verified.ok, verified.problems
        assert 1600 <= verified.size <= 2400
        assert largest >= generator.Shape.of(2000).big_meetings
        assert set(services.read_models.positions().values()) == {services.read_models.head()}
        before = snapshot(services)
        services.read_models.rebuild()
        assert snapshot(services) == before
    finally:
        services.close()


def test_the_meetings_shared_out_come_to_the_number_asked_for_none_over_the_cap():
    import random

    generator = _generator()
    shape = generator.Shape.of(1_000_000)
    parts = shape.partnerships - 1

    shares = generator._shares(shape.meetings, parts, random.Random(14))

    assert len(shares) == parts
    assert abs(sum(shares) - shape.meetings) <= parts  # each share rounded
    assert max(shares) == 2900  # a few very large ones, capped below the largest partnership's
    assert min(shares) >= 1
