"""How fast an auditor's machine checks an audit pack of the whole log, against a bare SHA-256 pass
over the same bytes (issue 13's target: 1,000,000 events in under 15 s and under 256 MB).

1. The log: the demo (`cotrace.demo`) is loaded into a fresh SQLite instance in a temporary folder
   with the seal held off (`cotrace.sealing.seal` and `seal_events_from_before_the_seal` made no-ops
   here, in this script alone), as an installation that ran before the seal was. Its stored event
   rows are then copied by bulk SQL insert, each copy of the demo with fresh aggregate ids (the same
   stored bytes, topics and versions, so each copy of a record has its versions 1..n), until the log
   holds N events. The read models' positions are moved past the copies, which no fact cites: the
   facts and verdicts are the demo's. The instance is then opened as served, and the one-off sealing
   of the events stored before the seal seals all N, as it would for that installation.
2. A signing key (`checkpoints.keygen`) and the pack of the whole installation (`audit_pack.write`).
3. `python verify_audit_pack.py PACK --key VKEY --quiet` in a fresh process: its wall time (start-up
   and imports included, as an auditor waits for them) and CPU time, its peak resident memory
   (`os.wait4`'s ru_maxrss for that one process, started from a small launcher), and that it PASSED.
4. In this process, over the same pack: events.jsonl decompressed and cut into lines alone (a
   megabyte at a time, as the verifier reads it), and the bare SHA-256 pass, which also takes each
   event's stored bytes out of its line, decodes them from base64 and hashes them. The verifier's
   ratio is to the bare pass. With --rounds R, each is measured R times in turn and the median run
   judged; the load average is printed first, for the machine is shared.

The building (1) is timed apart; it is not part of the target. Figures only: nothing is asserted.
`.venv/bin/python bench/verify_pack.py [--events N] [--rounds R] [--keep DIR]` (default N =
1,000,000, R = 1; N = 20000 for a quick try; --keep copies the pack and its verifier key to DIR, to
profile the verifier on).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from binascii import a2b_base64
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

from cotrace import audit_pack, checkpoints, sealing
from cotrace.demo import load_demo_with_accounts
from cotrace.services import Services, open_cotrace
from cotrace.settings import Settings
from projections.runner import projection_positions

ROOT = Path(__file__).resolve().parent.parent
VERIFIER = ROOT / "verify_audit_pack.py"
TARGET_SECONDS = 15.0
TARGET_MB = 256.0
COPY_BATCH = 50_000  # rows inserted per executemany


@contextmanager
def seal_held_off() -> Iterator[None]:
    """Cotrace as it ran before the seal: events are stored, and nothing seals them."""
    saved = sealing.seal, sealing.seal_events_from_before_the_seal
    sealing.seal = lambda *args, **kwargs: None
    sealing.seal_events_from_before_the_seal = lambda *args, **kwargs: 0
    try:
        yield
    finally:
        sealing.seal, sealing.seal_events_from_before_the_seal = saved


def copy_events(services: Services, n: int) -> int:
    """Copies the stored events, a whole copy of them at a time with fresh aggregate ids, until the
    log holds n (the last copy cut short, in the log's order); returns the log's size."""
    table = services.app.recorder.events_record_cls.__table__
    insert = f"INSERT INTO {table.name} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)"
    with services.engine.begin() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT originator_id, originator_version, topic, state FROM {table.name} ORDER BY id"
        ).all()
        assert all(isinstance(row[0], bytes) and len(row[0]) == 16 for row in rows), "SQLite's BINARY(16)"
        originals = sorted({row[0] for row in rows})
        total, batch = len(rows), []
        while total < n:
            fresh = {original: uuid.uuid4().bytes for original in originals}
            for originator_id, version, topic, state in rows[: n - total]:
                batch.append((fresh[originator_id], version, topic, state))
            total += min(len(rows), n - total)
            if len(batch) >= COPY_BATCH or total >= n:
                conn.exec_driver_sql(insert, batch)
                batch = []
        # No fact cites a copy: the read models stand as the demo left them, and are not made to
        # apply a million events that only the seal and the verifier need.
        head = conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar()
        conn.execute(projection_positions.update().values(position=head))
    return total


# Runs the command given it and prints its wall time, CPU time (s) and peak RSS (KB). A process forked
# from a big one (this bench) reports that one's memory as its own peak: Linux keeps the high-water
# mark of the memory it replaced at exec. Forked from this small launcher, the verifier reports its own.
LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
      os.waitstatus_to_exitcode(status), file=sys.stderr)
"""


@dataclass(frozen=True)
class Run:
    seconds: float  # wall
    cpu: float  # user + system
    peak_mb: float = 0.0
    passed: bool = True
    said: str = ""  # the verifier's last line


def run_verifier(pack: Path, vkey: str, folder: Path) -> Run:
    """The verifier in a fresh process, started as an auditor starts it."""
    command = [sys.executable, str(VERIFIER), str(pack), "--key", vkey, "--quiet"]
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True, cwd=folder
    )
    *said, figures = done.stderr.splitlines()
    seconds, cpu, peak_kb, code = figures.split()
    last = (done.stdout.splitlines() or ["(nothing printed)"])[-1]
    if int(code) != 0:
        print(done.stdout + "\n".join(said), file=sys.stderr)
    return Run(
        float(seconds), float(cpu), int(peak_kb) / 1024, int(code) == 0 and last.startswith("PASSED"), last
    )


def lines(pack: Path) -> Iterator[bytes]:
    """The lines of events.jsonl, decompressed a megabyte at a time (as the verifier reads them)."""
    with zipfile.ZipFile(pack) as archive, archive.open("events.jsonl") as stream:
        rest = b""
        while chunk := stream.read(1 << 20):
            *whole, rest = (rest + chunk).split(b"\n")
            yield from whole
        if rest:
            yield rest


def timed(work: Callable[[], None]) -> Run:
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return Run(time.perf_counter() - started, time.process_time() - cpu)


def read_alone(pack: Path) -> Run:
    """events.jsonl decompressed and cut into lines, nothing more."""
    return timed(lambda: deque(lines(pack), maxlen=0))


def bare_sha256(pack: Path) -> Run:
    """events.jsonl read as in `read_alone`, and each event's stored bytes taken from its line (the
    pack writes them last), decoded from base64 and hashed."""

    def work() -> None:
        marker = b'"state":"'
        for line in lines(pack):
            start = line.index(marker) + len(marker)
            sha256(a2b_base64(line[start : line.index(b'"', start)])).digest()

    return timed(work)


def median(runs: list[Run]) -> Run:
    """The run of median wall time (the lower of the two middle ones)."""
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def verdict(value: float, target: float) -> str:
    return "PASS" if value < target else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="N (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=1, help="measurements of each (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="copy the pack and its key there")
    args = parser.parse_args()
    n = args.events
    print(
        f"Cotrace bench: verifying an audit pack of {n:,} events; {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()} ({sys.implementation.name}), "
        f"{platform.system()} {platform.machine()}\n",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="cotrace_verify_bench_") as name:
        folder = Path(name).resolve()
        settings = Settings.load({}, instance_path=folder / "instance", environ={})

        started = time.perf_counter()
        with seal_held_off():
            services = open_cotrace(settings)
            try:
                load_demo_with_accounts(services, datetime.now(UTC))
                demo = services.app.recorder.max_notification_id()
                loaded = time.perf_counter()
                size = copy_events(services, n)
            finally:
                services.close()
        copied = time.perf_counter()
        services = open_cotrace(settings)  # as served: the one-off sealing seals all n
        sealed = time.perf_counter()
        try:
            with services.engine.connect() as conn:
                leaves = sealing.last_sealed(conn)[0]
            print(
                f"build       demo {demo} events {loaded - started:.1f} s, copied to {size:,} events "
                f"{copied - loaded:.1f} s, {leaves:,} sealed at open {sealed - copied:.1f} s",
                flush=True,
            )
            vkey = checkpoints.keygen(settings)
            pack = folder / "pack.zip"
            started = time.perf_counter()
            made = audit_pack.write(services, audit_pack.Scope("installation"), pack)
            written = time.perf_counter() - started
        finally:
            services.close()
        with zipfile.ZipFile(pack) as archive:
            events_size = archive.getinfo("events.jsonl").file_size
        print(
            f"pack        {made.events:,} events, {made.policies} policies: written in {written:.1f} s, "
            f"{pack.stat().st_size / 2**20:,.0f} MB ({events_size / 2**20:,.0f} MB of events.jsonl "
            "uncompressed)",
            flush=True,
        )

        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(pack, args.keep / f"pack-{n}.zip")
            (args.keep / f"pack-{n}.vkey").write_text(vkey + "\n")

        print(f"load average before measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        found: dict[str, list[Run]] = {"verifier": [], "read alone": [], "bare pass": []}
        for _ in range(args.rounds):  # in turn, so the machine's noise falls on each alike
            found["verifier"].append(run_verifier(pack, vkey, folder))
            found["read alone"].append(read_alone(pack))
            found["bare pass"].append(bare_sha256(pack))
        for name, runs in found.items():
            for run in runs:
                extra = f", peak RSS {run.peak_mb:.0f} MB: {run.said}" if name == "verifier" else ""
                print(f"{name:<11} {run.seconds:6.2f} s wall {run.cpu:6.2f} s CPU{extra}", flush=True)
        verifier, bare = (median(found[k]) for k in ("verifier", "bare pass"))
        peak = max(run.peak_mb for run in found["verifier"])
        passed = all(run.passed for run in found["verifier"])
        print(
            f"\nN {n:,}  verifier {verifier.seconds:.2f} s ({verifier.cpu:.2f} s CPU) = "
            f"{verifier.seconds / bare.seconds:.1f} x the bare pass ({bare.seconds:.2f} s)  "
            f"{verdict(verifier.seconds, TARGET_SECONDS)} < {TARGET_SECONDS:.0f} s  peak {peak:.0f} MB "
            f"{verdict(peak, TARGET_MB)} < {TARGET_MB:.0f} MB  {'PASSED' if passed else 'NOT PASSED'}"
        )


if __name__ == "__main__":
    main()
