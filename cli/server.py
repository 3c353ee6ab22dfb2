"""`cotrace serve` in production: gunicorn, run in this process, serving `web.create_app()`.

gunicorn's master forks the workers, and each worker then builds its own app (gunicorn loads the
app after the fork unless told to preload it, and we never do), so each opens its own database
connections and aggregate cache: nothing is shared across a fork. The master opens the database
once before forking, to create the tables and make the secret key, and closes it again: workers
racing to create the tables of a fresh store would fail, and the master would exit with them.

The app reads its settings from the environment in each worker, as it does under any server.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

# gunicorn's rule of thumb, (2 x cores) + 1: a worker waits on the database or the network about as
# long as it computes. Capped, because every worker holds its own app, connections and cache, and
# on SQLite every writer takes turns at one lock: more processes past that add waiting, not work.
MAX_WORKERS = 8
# Threads let a worker answer other pages while one waits (a slow client, a read on a busy file):
# four keeps a worker's units of work, which run one at a time, from queueing behind each other.
DEFAULT_THREADS = 4


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, MAX_WORKERS)


class Server(BaseApplication):
    """gunicorn with its options given here, not read from its own command line or config file."""

    def __init__(self, make_app: Callable[[], Any], options: dict[str, Any]) -> None:
        self._make_app = make_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._make_app()  # in each worker, after the fork


def serve(make_app: Callable[[], Any], host: str, port: int, workers: int, threads: int) -> None:
    Server(
        make_app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-",  # to standard output, private links hidden (web.PrivateLinksFilter)
            "errorlog": "-",
            "proc_name": "cotrace",
            # gunicorn 24+ opens a control socket at one path per user (~/.gunicorn): two
            # installations, or a test beside a server, would fight over it, and nothing uses it.
            "control_socket_disable": True,
        },
    ).run()
