"""The README's two commands, as make would run them on a fresh clone (`make -n -B`: every recipe
printed, nothing run): `make run` installs only what serving needs, says so, and serves on PORT."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args: str) -> str:
    # As a person would type it, not as a make already running (CI's `make test`) would: a nested
    # make's flags and level would add "Entering directory" lines and change what it prints.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(
        ["make", "-n", "-B", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout


def test_make_run_installs_only_what_running_needs():
    recipe = dry_run("run")
    assert "pip install --progress-bar off -e ." in recipe
    assert ".[test]" not in recipe
    assert "--quiet" not in recipe


def test_make_run_says_what_it_is_installing():
    assert "Installing what Cotrace needs to run" in dry_run("run")


def test_make_run_serves_on_the_port_given():
    recipe = dry_run("run", "PORT=5050")
    assert "cotrace serve --port 5050" in recipe
    assert "http://127.0.0.1:5050" in recipe


def test_make_run_serves_on_5000_by_default():
    assert "cotrace serve --port 5000" in dry_run("run")


def test_make_test_installs_the_test_tools():
    recipe = dry_run("test")
    assert "-e '.[test]'" in recipe
    assert recipe.rstrip().endswith(".venv/bin/pytest -n 2")  # two processes, one a core here
