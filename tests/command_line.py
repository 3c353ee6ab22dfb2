"""The `cotrace` command as the tests run it: on the same application as a test's web app."""

from __future__ import annotations

from collections.abc import Sequence

from click.testing import CliRunner, Result
from flask import Flask

from cli.main import Installation, group


class CommandLine:
    """Runs `cotrace ARGS` in this process, on the application a web app opened (its settings,
    its database, its fixed calendar), as Flask's `test_cli_runner` ran the commands before."""

    def __init__(self, flask_app: Flask) -> None:
        self.services = flask_app.extensions["cotrace"]

    def invoke(self, args: Sequence[str]) -> Result:
        return CliRunner().invoke(group, list(args), obj=Installation(services=self.services))


def command_line(flask_app: Flask) -> CommandLine:
    return CommandLine(flask_app)
