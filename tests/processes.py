"""The `cotrace` command run as its own process, as an operator runs it: the server, the worker.

Every wait is bounded: a process that does not answer in time fails the test, and is killed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

COTRACE = [sys.executable, "-c", "from cli.main import main; main()"]
REPOSITORY = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cotrace_env(instance: Path, **settings: Any) -> dict[str, str]:
    """The environment of an installation in `instance`: none of this machine's own settings leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COTRACE_") and k != "DATABASE_URL"}
    env["COTRACE_INSTANCE_PATH"] = str(instance)
    env["PYTHONUNBUFFERED"] = "1"
    for name, value in settings.items():
        env[name if name == "DATABASE_URL" else f"COTRACE_{name}"] = str(value)
    return env


def run_cotrace(
    args: Sequence[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COTRACE, *args], env=env, cwd=REPOSITORY, capture_output=True, text=True, timeout=timeout
    )


class Running:
    """A `cotrace` process started in the background, its output (both streams) kept in a file."""

    def __init__(self, args: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._file = log.open("w")
        self.process = subprocess.Popen(
            [*COTRACE, *args], env=env, cwd=REPOSITORY, stdout=self._file, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        return self.log.read_text()

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        wait_until(lambda: text in self.output(), timeout, f"{text!r} in the output", self)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as systemd stops a service; the exit status, once it has exited."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._file.close()


@contextmanager
def running(args: Sequence[str], env: dict[str, str], log: Path) -> Iterator[Running]:
    started = Running(args, env, log)
    try:
        yield started
    finally:
        started.kill()


def wait_until(check: Callable[[], Any], timeout: float, what: str, process: Running | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if process is not None and process.process.poll() is not None:
            raise AssertionError(f"exited ({process.process.returncode}) before {what}:\n{process.output()}")
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}" + (f"\n{process.output()}" if process else ""))


def get(url: str) -> tuple[int, dict[str, str], str]:
    """(status, headers, body); an answer of 4xx or 5xx is an answer, not an error."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def answering(url: str) -> tuple[int, dict[str, str], str] | None:
    try:
        return get(url)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
