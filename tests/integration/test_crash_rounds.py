"""Crash rounds: a writer process adding agenda items in a loop is killed with SIGKILL at a random
moment (seeded), twenty times, on SQLite and on PostgreSQL. After each round: every item the writer
was told was saved is in the log, none is there twice, the form that was in flight sent again
records once, `cotrace verify`'s check of the seal passes, and the read models equal a rebuild.
`bench/crash_rounds.py` runs more."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from cotrace import sealing
from cotrace.services import open_services
from tests.conftest import TODAY
from tests.crash_writer import add, submission, title
from tests.integration.test_projections import snapshot
from tests.processes import REPOSITORY
from tests.story import Riverside

ROUNDS = 20
SEED = 14


def crash_rounds(url: str, folder: Path, rounds: int, seed: int) -> list[int]:
    """Runs the rounds, checking each; returns how many items each round's writer had acknowledged."""
    chance = random.Random(seed)
    services = open_services(url, today=lambda: TODAY)
    story = Riverside.set_up(services.app, TODAY)
    services.read_models.catch_up()
    acknowledged = []
    try:
        for round_ in range(rounds):
            acks = folder / f"acks-{round_}.jsonl"
            writer = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.crash_writer",
                    url,
                    str(story.meeting),
                    str(story.actor),
                    str(round_),
                    str(acks),
                ],
                cwd=REPOSITORY,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                assert writer.stdout.readline().strip() == "ready"
                time.sleep(chance.uniform(0.05, 0.6))
            finally:
                writer.kill()  # SIGKILL
                writer.wait(10)
            lines = [json.loads(line) for line in acks.read_text().splitlines() if line.endswith("}")]
            acknowledged.append(len(lines))
            check_round(services, story, round_, len(lines))
    finally:
        services.close()
    return acknowledged


def check_round(services, story: Riverside, round_: int, acked: int) -> None:
    services.forget_cached_state()
    items = Counter(item["title"] for item in services.app.repository.get(story.meeting).agenda)
    assert all(items[title(round_, n)] == 1 for n in range(acked)), "an acknowledged item is missing"
    assert max(items.values()) == 1, "an item is there twice"
    # The form in flight when the writer died (saved or not), and the last one acknowledged, sent again.
    for n in (acked, acked - 1) if acked else (0,):
        services.run(add(story.meeting, title(round_, n)), story.actor, submission(round_, n))
        services.run(add(story.meeting, title(round_, n)), story.actor, submission(round_, n))
        services.forget_cached_state()
        agenda = [i["title"] for i in services.app.repository.get(story.meeting).agenda]
        assert agenda.count(title(round_, n)) == 1
    with services.engine.connect() as conn:
        verified = sealing.verify_log(conn, services.app.recorder.events_record_cls.__table__)
    assert verified.ok, verified.problems
    services.read_models.catch_up()
    kept = snapshot(services)
    services.read_models.rebuild()
    assert snapshot(services) == kept


def test_twenty_writers_killed_mid_command_lose_and_repeat_nothing(database_url, tmp_path):
    acknowledged = crash_rounds(database_url, tmp_path, ROUNDS, SEED)
    assert sum(acknowledged) > 0  # the writers got some way before each kill
