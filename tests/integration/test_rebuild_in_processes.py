"""`cotrace rebuild` in processes of its own (`cotrace.rebuilding`, issue 14): the read models shared
out between them give every table the rows one process gives, on SQLite and PostgreSQL; a process
that stops stops the rebuild with a plain message; and one batch hands the rows it knew to the next
only while no other process has applied a batch in between."""

from __future__ import annotations

import multiprocessing
import sys
from types import SimpleNamespace

import pytest

from cotrace import rebuilding
from projections.registry import all_projections
from projections.runner import Carry
from tests.integration.test_rebuild import every_row, lived


def test_a_rebuild_in_two_processes_gives_every_table_the_rows_the_live_catch_up_wrote(services):
    lived(services)
    live = every_row(services)
    head = services.app.recorder.max_notification_id()

    rebuilt = rebuilding.rebuild(services, batch_size=25, processes=2)

    assert (rebuilt.applied, rebuilt.processes) == (head, 2)
    assert rebuilt.peak_kib > 0
    assert every_row(services) == live
    assert services.read_models.positions() == {p.name: head for p in services.read_models.projections}


def test_the_read_models_are_shared_out_by_weight_and_no_share_is_empty():
    projections = all_projections()

    two = rebuilding.shared_out(projections, 2)
    assert sorted(name for share in two for name in share) == sorted(p.name for p in projections)
    weights = [sum(rebuilding.WEIGHTS.get(name, rebuilding.LIGHT) for name in share) for share in two]
    assert max(weights) - min(weights) <= min(rebuilding.WEIGHTS.values())
    assert rebuilding.shared_out(projections[:1], 4) == [[projections[0].name]]
    assert len(rebuilding.shared_out(projections, 1)) == 1


def test_the_heaviest_share_is_as_light_as_any_sharing_makes_it(monkeypatch):
    # Heaviest first, each to the lightest share so far, would give 3 + 2 + 2 against 3 + 2.
    weights = {"a": 3.0, "b": 3.0, "c": 2.0, "d": 2.0, "e": 2.0}
    monkeypatch.setattr(rebuilding, "WEIGHTS", weights)
    read_models = [SimpleNamespace(name=name) for name in weights]

    shares = rebuilding.shared_out(read_models, 2)

    assert sorted(sum(weights[name] for name in share) for share in shares) == [6.0, 6.0]
    assert sorted(name for share in shares for name in share) == sorted(weights)


def test_a_process_that_stops_stops_the_rebuild_with_its_exit_code():
    context = multiprocessing.get_context("spawn")
    stopped = context.Process(target=sys.exit, args=(3,), name="cotrace rebuild evidence")
    stopped.start()
    stopped.join()

    with pytest.raises(rebuilding.RebuildFailed, match=r"cotrace rebuild evidence stopped \(exit code 3\)"):
        rebuilding._follow([stopped], context.Queue(), 10, None)


def test_cotrace_rebuild_in_two_processes_says_so_and_shows_its_progress(runner, flask_app):
    services = flask_app.extensions["cotrace"]
    lived(services)
    live = every_row(services)
    events = services.app.recorder.max_notification_id()

    result = runner.invoke(["rebuild", "--processes", "2", "--batch", "40", "--no-compare-raw"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Rebuilding directory, ") and lines[0].endswith(", in 2 processes.")
    assert lines[-2].startswith(f"Rebuilt {events:,} of {events:,} events (100 %)")
    assert sum(line.startswith(f"Rebuilt {events:,} of") for line in lines) == 1  # the end, said once
    assert lines[-1].startswith(f"Applied {events} events in ") and " MB." in lines[-1]
    assert every_row(services) == live


def _until_names_are_carried(read_models) -> Carry:
    """A rebuild's first batches, until one hands on a row with a name (a person's, looked up)."""
    read_models.reset()
    carry = Carry()
    while not any(
        row is not None and "name" in row for rows in (carry.known or {}).values() for row in rows.values()
    ):
        assert read_models._apply_next_batch(10, carry=carry) == 10
    return carry


def _poisoned(carry: Carry) -> None:
    """Every name the carried rows hold, made wrong: a batch that starts from them writes it."""
    for rows in carry.known.values():
        for row in rows.values():
            if row is not None and "name" in row:
                row["name"] = "Stale"


def test_a_batch_starts_from_the_rows_the_batch_before_knew_only_if_no_one_applied_one_since(services):
    lived(services)
    live = every_row(services)
    read_models = services.read_models

    # As a rebuild goes: the rows one batch knew are the next batch's.
    carry = _until_names_are_carried(read_models)
    _poisoned(carry)
    while read_models._apply_next_batch(10, carry=carry) == 10:
        pass
    assert every_row(services) != live  # the carried rows were used

    # Another process applies a batch in between: what this one knew is left.
    carry = _until_names_are_carried(read_models)
    read_models._apply_next_batch(10)
    _poisoned(carry)
    while read_models._apply_next_batch(10, carry=carry) == 10:
        pass
    assert every_row(services) == live
