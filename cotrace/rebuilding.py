"""`cotrace rebuild` in processes of its own: the read models shared out between them, each process
applying the whole log to its share (issue 14: 1,000,000 events in under 3 minutes, on 2 cores).

A rebuild is Python's work for most of its time (decoding each event, each read model's handlers,
turning the rows' values into the database's), and one process uses one core. The read models do
not read each other (each has its own tables, people and position), so a share of them can be
caught up from position 0 by a process alone: each opens its own services on the same database,
catches its share up in batches, and tells the parent how far it has gone, which shows the whole.
On PostgreSQL the processes write side by side, in place. On SQLite, where they would take the one
write lock in turn, each writes into a file of its own and copies it into the store at its end
(`projections.staging`).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import queue
import resource
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cotrace.connections import ConnectionSettings
from cotrace.services import Services, open_services
from projections.registry import all_projections
from projections.runner import REBUILD_BATCH, Progress, Projection
from projections.staging import can_stage, cut_write_ahead_log, staged, store_file

# What each read model costs a rebuild, relative to the others: the seconds it took alone, less the
# reading and decoding every rebuild does (`bench/rebuild.py --events 100000 --processes 1 --only
# NAME`, 2026-12-03: 8.3, 7.5, 7.0, 6.9 and 5.7 s, less about 3.5). The shares are balanced by it.
# A read model not named costs little.
WEIGHTS = {
    "audit_trail": 4.8,
    "evidence": 4.0,
    "provenance": 3.5,
    "directory": 3.4,
    "followups": 2.2,
}
LIGHT = 0.1
COLLECT_EVERY = 100_000  # notifications applied between two collections of cycles, in a rebuild


@dataclass(frozen=True)
class Rebuilt:
    applied: int  # notifications applied (by each process, to its share)
    processes: int
    peak_kib: int  # the peak resident memory of the processes that applied them, added together


class RebuildFailed(RuntimeError):
    """A process rebuilding a share of the read models stopped; the others were stopped too."""


def default_processes() -> int:
    """One process a core, up to one a read model that weighs (more would share a core)."""
    return max(1, min(os.cpu_count() or 1, len(WEIGHTS)))


def shared_out(projections: Iterable[Projection], processes: int) -> list[list[str]]:
    """The read models' names in `processes` shares of about equal weight; no share is empty.

    The heaviest share is as light as it can be: every way of sharing them out is tried while there
    are few (2 processes and 9 read models: 512 ways), since the rebuild lasts as long as its
    heaviest share. With more, each in turn, heaviest first, goes to the lightest share so far
    (which, for these weights and 2 processes, leaves one share 13 % heavier than the other)."""
    names = [p.name for p in sorted(projections, key=lambda p: -WEIGHTS.get(p.name, LIGHT))]
    count = max(1, min(processes, len(names)))
    if count ** len(names) <= 20_000:
        return _evenest(names, count)
    shares: list[tuple[float, list[str]]] = [(0.0, []) for _ in range(count)]
    for name in names:
        index = min(range(count), key=lambda i: shares[i][0])
        weight, held = shares[index]
        shares[index] = (weight + WEIGHTS.get(name, LIGHT), [*held, name])
    return [held for _, held in shares if held]


def _evenest(names: list[str], count: int) -> list[list[str]]:
    """Of every way of putting these names in `count` shares, none empty, the one whose heaviest
    share is lightest (the first found, trying the heaviest names first)."""
    best: tuple[float, list[list[str]]] | None = None
    for assignment in itertools.product(range(count), repeat=len(names)):
        if assignment[0] != 0 or len(set(assignment)) < count:
            continue  # the same sharing with the shares in another order, or a share left empty
        shares: list[list[str]] = [[] for _ in range(count)]
        for name, index in zip(names, assignment, strict=True):
            shares[index].append(name)
        heaviest = max(sum(WEIGHTS.get(name, LIGHT) for name in share) for share in shares)
        if best is None or heaviest < best[0] - 1e-9:
            best = (heaviest, shares)
    assert best is not None
    return best[1]


def rebuild(
    services: Services,
    progress: Progress | None = None,
    only: Iterable[str] | None = None,
    batch_size: int = REBUILD_BATCH,
    processes: int = 1,
) -> Rebuilt:
    """Drops and rebuilds the read models (those named in `only`, or all), in this process or in
    `processes` of their own; raises UnknownReadModel for a name the registry does not have."""
    read_models = services.read_models
    chosen = read_models.reset(only)
    shares = shared_out(chosen, processes)
    if len(shares) < 2:
        applied = catch_up_share(services, [p.name for p in chosen], progress, batch_size, index=0)
        cut_write_ahead_log(read_models.engine)
        read_models.refresh_statistics(chosen)
        return Rebuilt(applied, 1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    url = str(read_models.engine.url.render_as_string(hide_password=False))
    settings = services.settings
    connection = ConnectionSettings.of(settings) if settings is not None else ConnectionSettings()
    day = services.app.today()
    total = read_models.pending()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no connection is shared
    reports: Any = context.Queue()
    workers = [
        context.Process(
            target=_rebuild_share,
            args=(index, url, day, connection, names, batch_size, reports),
            name=f"cotrace rebuild {'+'.join(names)}",
            daemon=True,
        )
        for index, names in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    try:
        rebuilt = _follow(workers, reports, total, progress)
        cut_write_ahead_log(read_models.engine)
        read_models.refresh_statistics(chosen)
        return rebuilt
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()


def _follow(workers: list[Any], reports: Any, total: int, progress: Progress | None) -> Rebuilt:
    """Waits for every process's report of its end, showing their progress together."""
    applied = [0] * len(workers)
    peaks = [0] * len(workers)
    finished: set[int] = set()
    while len(finished) < len(workers):
        try:
            index, kind, value = reports.get(timeout=1.0)
        except queue.Empty:
            for index, worker in enumerate(workers):
                if index not in finished and not worker.is_alive():
                    raise RebuildFailed(f"{worker.name} stopped (exit code {worker.exitcode})") from None
            continue
        if kind == "failed":
            raise RebuildFailed(f"{workers[index].name}: {value}")
        if kind == "done":
            finished.add(index)
            applied[index], peaks[index] = value
        else:
            applied[index] = value
        if progress:
            progress(sum(applied) // len(workers), max(total, max(applied)))
    return Rebuilt(max(applied), len(workers), sum(peaks))


def _rebuild_share(
    index: int,
    url: str,
    day: date,
    connection: ConnectionSettings,
    names: list[str],
    batch_size: int,
    reports: Any,
) -> None:
    """In a process of its own: catches the named read models up from where `rebuild` reset them."""
    try:
        services = open_services(
            url,
            today=lambda: day,
            projections=[p for p in all_projections() if p.name in names],
            connection_settings=connection,
            catch_up=False,
        )
        try:
            applied = catch_up_share(
                services,
                names,
                lambda done, _total: reports.put((index, "progress", done)),
                batch_size,
                index,
            )
        finally:
            services.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        reports.put((index, "done", (applied, peak)))
    except BaseException as failure:  # reported, then raised: the parent stops the others
        reports.put((index, "failed", f"{type(failure).__name__}: {failure}"))
        raise


def catch_up_share(
    services: Services, names: list[str], progress: Progress | None, batch_size: int, index: int
) -> int:
    """Catches the named read models up from where `rebuild` reset them; returns how many
    notifications were applied. On a SQLite file they are rebuilt in a file of their own first and
    copied in (`projections.staging`), then caught up in place with what was recorded meanwhile."""
    read_models = services.read_models
    chosen = [p for p in read_models.projections if p.name in names]
    with _collector_paused():
        if not can_stage(read_models.engine):
            return read_models.catch_up(_collecting(progress), batch_size=batch_size)
        path = staging_file(read_models.engine, index)
        with staged(services.app, read_models.engine, chosen, path) as rebuild:
            applied = rebuild.catch_up(_collecting(progress), batch_size=batch_size)
            rebuild.copy_into_store()
        return applied + read_models.catch_up(_collecting(None), batch_size=batch_size)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's collector of reference cycles off, for as long as a rebuild applies the log: left
    to run by itself, it went through every object alive (a batch's rows, those carried on to the
    next) again and again, 22 % of a rebuild's samples under py-spy (857,024 events, the audit trail
    and the evidence). A rebuild makes no cycles that matter (that rebuild's peak memory without
    any collection was the same, 201 MB, and took 111.7 s against 146.7 s), so it runs every
    `COLLECT_EVERY` notifications instead (`_collecting`)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _collecting(progress: Progress | None) -> Progress:
    """Shows the progress (if asked), and collects cycles each time `COLLECT_EVERY` more
    notifications are applied (the runner reports after every batch)."""
    collected = 0

    def shown(done: int, total: int) -> None:
        nonlocal collected
        if done - collected >= COLLECT_EVERY:
            gc.collect()
            collected = done
        if progress is not None:
            progress(done, total)

    return shown


def staging_file(engine: Any, index: int) -> Path:
    """Where a share's read models are rebuilt: beside the store's file (the same disk, and the
    same permissions: the store's directory), one file a process."""
    store = store_file(engine)
    assert store is not None
    return store.with_name(f"{store.name}.rebuild-{index}")
