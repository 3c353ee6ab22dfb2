"""Processes started at the same moment on a new PostgreSQL database (`cotrace serve` and `cotrace
worker` from one deploy script) each create the tables they find missing: one at a time, so neither
dies on the other's half-made catalogue ("tuple concurrently updated")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import fresh_database

OPEN = "import sys; from cotrace.services import open_services; open_services(sys.argv[1]).close()"


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_processes_opening_a_new_database_at_once_all_start(attempt):
    with fresh_database("cotrace_together") as url:
        started = [
            subprocess.Popen([sys.executable, "-c", OPEN, url], stderr=subprocess.PIPE, text=True)
            for _ in range(3)
        ]
        failures = []
        for process in started:
            _, errors = process.communicate(timeout=120)
            if process.returncode != 0:
                failures.append(errors.strip().splitlines()[-1])
        assert failures == []
