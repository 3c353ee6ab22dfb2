"""The application service: one method per command, in the users' words.

Each command takes the acting operator, checks every rule before it changes anything, and saves all
it changes in one atomic save, so a broken rule writes nothing. The commands live in
`domain/commands/`, one module per area; this class brings them together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.commands.accounts import AccountCommands
from domain.commands.contributions import ContributionCommands
from domain.commands.decisions import DecisionCommands
from domain.commands.meetings import MeetingCommands
from domain.commands.people import PeopleCommands
from domain.commands.policies import PolicyCommands


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Cotrace(
    AccountCommands,
    PeopleCommands,
    PolicyCommands,
    MeetingCommands,
    ContributionCommands,
    DecisionCommands,
):
    name = "Cotrace"

    def __init__(self, env: Any = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(env)
        self.today = today

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
