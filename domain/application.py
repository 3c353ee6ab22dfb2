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
from domain.policies import Policy, StageEntry

# Every this many events of a policy, a snapshot of it is stored (in the store's snapshots table,
# never in the log): a policy's own events (stages, ratings, versions, rung claims) grow without
# bound, and loading one replays them all, about 60 microseconds each (docs/performance.md).
# A snapshot holds the policy's attributes as they stood: a change to them raises
# `Policy.class_version` and adds its `upcast_v1_v2`, as an event's change adds an upcaster.
POLICY_SNAPSHOT_INTERVAL = 200


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class StageEntryAsDict(Transcoding):
    """A policy's stage entries, as its snapshot stores them."""

    type = StageEntry
    name = "stage_entry"

    def encode(self, obj: StageEntry) -> dict:
        return {"cycle": obj.cycle, "stage": obj.stage, "entered_on": obj.entered_on}

    def decode(self, data: dict) -> StageEntry:
        return StageEntry(**data)


class Cotrace(
    AccountCommands,
    PeopleCommands,
    PolicyCommands,
    MeetingCommands,
    ContributionCommands,
    DecisionCommands,
):
    name = "Cotrace"
    snapshotting_intervals = {Policy: POLICY_SNAPSHOT_INTERVAL}  # type: ignore[dict-item]

    def __init__(self, env: Any = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(env)
        self.today = today

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(StageEntryAsDict())
