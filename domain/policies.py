"""A policy being co-produced, and its walk through the Iriss cycle, cycle after cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.dates import check_not_in_future, format_date
from domain.errors import Problems
from domain.vocabulary import INITIATORS, STAGES, next_stage, stage_label
from domain.wording import NAME, check_length, one_line


@dataclass(frozen=True)
class StageEntry:
    cycle: int
    stage: str
    entered_on: date


class Policy(Aggregate):
    @event("Started")
    def __init__(
        self,
        partnership_id: UUID,
        title: str,
        initiated_by: str,
        started_on: date,
        recorded_by: UUID,
    ) -> None:
        self.partnership_id = partnership_id
        self.title = title
        self.initiated_by = initiated_by
        self.started_on = started_on
        self.stages: list[StageEntry] = []
        self.versions: list[dict] = []  # published document versions
        self.adopted_on: date | None = None
        self.retired_on: date | None = None
        self.transparency_page_published = False

    @staticmethod
    def check_start(title: str, initiated_by: str, started_on: date, today: date) -> None:
        problems = Problems()
        if not title.strip():
            problems.add("title", "Enter the policy's title")
        check_length(problems, "title", title, NAME, "The title")
        if not one_line(title.strip()):
            problems.add("title", "Write the title on one line")
        if initiated_by not in INITIATORS:
            problems.add("initiated_by", "Choose who initiated the policy")
        check_not_in_future(problems, "started_on", started_on, today, "The start date")
        problems.raise_if_any()

    class StageEntered(Aggregate.Event):
        """A stage began. Version 2 adds, for a cycle started before its time, the stage the policy was
        at and why: stored version 1 events were all entries in order, and read as such."""

        class_version = 2
        stage: str
        cycle: int
        entered_on: date
        recorded_by: UUID
        restarted_from: str | None
        reason: str | None

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["restarted_from"] = None
            state["reason"] = None

    @event(StageEntered)
    def enter_stage(
        self,
        stage: str,
        cycle: int,
        entered_on: date,
        recorded_by: UUID,
        restarted_from: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.stages.append(StageEntry(cycle, stage, entered_on))

    def restart_cycle(self, reason: str, started_on: date, recorded_by: UUID) -> None:
        """Opens the next cycle at co-commission from whatever stage the policy is at, saying why.

        The record must be able to say what really happened, for example an authority restarting a
        policy without assessing it (DESIGN.md, criterion 6): the cycle left is then closed early.
        """
        current = self.current
        assert current is not None, "a started policy is always in a stage"
        self.enter_stage(
            stage=STAGES[0],
            cycle=current.cycle + 1,
            entered_on=started_on,
            recorded_by=recorded_by,
            restarted_from=current.stage,
            reason=reason,
        )

    @event("Rated")
    def rate(
        self,
        aspect: str,
        rating: str,
        comment: str,
        meeting_id: UUID | None,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """A RAG rating of the existing policy or strategy, as at Buckinghamshire's open meeting."""

    @event("VersionPublished")
    def publish_version(
        self,
        title: str,
        version_label: str,
        content_hash: str,
        link: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        self.versions.append({"version_label": version_label, "content_hash": content_hash})

    @event("Adopted")
    def adopt(self, happened_on: date, recorded_by: UUID) -> None:
        self.adopted_on = happened_on

    @event("Retired")
    def retire(self, reason: str, happened_on: date, recorded_by: UUID) -> None:
        self.retired_on = happened_on

    @event("TransparencyPagePublished")
    def publish_transparency_page(self, recorded_by: UUID) -> None:
        """The partnership opts in: anyone may read the policy's transparency page without signing in
        (DESIGN.md: the public asks "what has this partnership decided with us?")."""
        self.transparency_page_published = True

    @event("TransparencyPageWithdrawn")
    def withdraw_transparency_page(self, reason: str, recorded_by: UUID) -> None:
        self.transparency_page_published = False

    @event("ParticipationLevelClaimed")
    def claim_participation_level(
        self,
        activity: str,
        stage: str,
        cycle: int,
        ladder: str,
        rung: str,
        claimed_by: UUID,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """A rung claimed for an activity: a claim, which the evidence engine checks, never a verdict."""

    def entered(self, stage: str, cycle: int) -> StageEntry | None:
        return next((s for s in self.stages if s.stage == stage and s.cycle == cycle), None)

    def check_not_before_start(self, problems: Problems, field: str, day: date) -> None:
        if day < self.started_on:
            problems.add(
                field, f"This cannot come before the policy started, on {format_date(self.started_on)}"
            )

    def check_in_force(self, problems: Problems, field: str) -> None:
        if self.retired_on is not None:
            problems.add(field, f"This policy was retired on {format_date(self.retired_on)}")

    @property
    def current(self) -> StageEntry | None:
        return self.stages[-1] if self.stages else None

    def following_stage(self) -> tuple[str, int]:
        if self.current is None:
            return STAGES[0], 1
        return next_stage(self.current.stage, self.current.cycle)

    def check_next_stage(
        self, problems: Problems, field: str, stage: str, entered_on: date, today: date
    ) -> None:
        """Stages are entered in Iriss order, none skipped, none before the one it follows."""
        expected, _ = self.following_stage()
        if stage not in STAGES:
            problems.add(field, "Choose a stage of the co-production cycle")
        elif stage != expected:
            problems.add(
                field,
                f"The next stage of this policy is {stage_label(expected)}: stages follow the cycle in order",
            )
        check_not_in_future(problems, "entered_on", entered_on, today, "The date the stage began")
        self.check_not_before_current(problems, "entered_on", entered_on, "The stage")

    def check_not_before_current(self, problems: Problems, field: str, day: date, what: str) -> None:
        """What follows the current stage cannot begin before it did."""
        earliest = self.current.entered_on if self.current else self.started_on
        if day < earliest:
            problems.add(
                field,
                f"{what} cannot begin before {format_date(earliest)}, when the policy's previous step began",
            )

    def check_decision_stage(self, problems: Problems, field: str, stage: str, happened_on: date) -> None:
        """A decision belongs to the policy's current stage, or opens the next one.

        Deciding at an earlier stage, or skipping one, would put the trail out of order.
        """
        current = self.current
        assert current is not None, "a started policy is always in a stage"
        upcoming, _ = self.following_stage()
        if stage not in STAGES:
            problems.add(field, "Choose the stage this decision belongs to")
        elif stage not in (current.stage, upcoming):
            problems.add(
                field,
                f"This policy is at {stage_label(current.stage)}: a decision can be at "
                f"{stage_label(current.stage)} or open the next stage, {stage_label(upcoming)}",
            )
        elif happened_on < current.entered_on:
            problems.add(
                field,
                f"This decision is dated before the policy entered {stage_label(current.stage)} "
                f"on {format_date(current.entered_on)}: a decision cannot come before its stage",
            )

    def stage_for_decision(self, stage: str) -> tuple[str, int, bool]:
        """The stage and cycle of a decision at `stage`, and whether it opens that stage."""
        current = self.current
        assert current is not None
        if stage == current.stage:
            return stage, current.cycle, False
        upcoming, cycle = self.following_stage()
        return upcoming, cycle, True
