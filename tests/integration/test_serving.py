"""`cotrace serve`: gunicorn's workers on a fresh store, each reading what another process wrote;
Werkzeug's development server only with --dev. Each server is started on a free port and stopped
as systemd stops it (SIGTERM), within bounded waits."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.processes import answering, cotrace_env, free_port, get, run_cotrace, running, wait_until


def test_serve_runs_gunicorn_workers_that_each_read_the_store_as_it_is(database_url: str, tmp_path: Path):
    env = cotrace_env(tmp_path / "instance", DATABASE_URL=database_url)
    port = free_port()
    home = f"http://127.0.0.1:{port}/"
    # A fresh, empty store: the tables are made once, before the workers start, so none races another.
    with running(
        ["serve", "--port", str(port), "--workers", "3", "--threads", "2"], env, tmp_path / "serve.log"
    ) as server:
        status, headers, page = wait_until(lambda: answering(home), 60, "the home page", server)
        assert status == 200
        assert "gunicorn" in server.output() and "Werkzeug" not in headers.get("Server", "")
        wait_until(lambda: len(re.findall(r"Booting worker", server.output())) == 3, 30, "3 workers", server)
        assert "Riverside" not in page

        # Another process records the demo: every worker sees it on its next page, without a restart.
        loaded = run_cotrace(["demo"], env)
        assert loaded.returncode == 0, loaded.stderr
        pages = [get(home) for _ in range(12)]  # spread over the workers by the kernel
        assert all(status == 200 and "Riverside" in body for status, _, body in pages)

        # A private link's token never reaches the access log.
        assert get(f"http://127.0.0.1:{port}/my-input/a-secret-token-of-someone")[0] == 404
        wait_until(lambda: "/my-input/[private]" in server.output(), 10, "the request logged", server)
        assert "a-secret-token-of-someone" not in server.output()

        assert server.stop() == 0
    assert "Shutting down" in server.output()


def test_serve_with_dev_runs_werkzeugs_development_server(tmp_path: Path):
    env = cotrace_env(tmp_path / "instance")
    port = free_port()
    with running(["serve", "--dev", "--port", str(port)], env, tmp_path / "serve.log") as server:
        status, headers, _ = wait_until(
            lambda: answering(f"http://127.0.0.1:{port}/"), 60, "the home page", server
        )
        assert status == 200
        assert headers["Server"].startswith("Werkzeug")
        assert "development server" in server.output()
        server.stop()


def test_serve_says_how_many_workers_and_threads_it_would_start():
    from click.testing import CliRunner

    from cli.main import group

    shown = " ".join(CliRunner().invoke(group, ["serve", "--help"]).output.split())
    here = min(2 * (os.cpu_count() or 1) + 1, 8)
    assert "--workers" in shown and f"2 x cores + 1, at most 8: {here} here" in shown
    assert "--threads" in shown and "default: 4" in shown and "--dev" in shown
