"""The facts the evidence engine judges, as the events recorded them: per policy, its stages,
decisions, contributions and claimed rungs, each with when it happened, when it was recorded, and
its position in the log (so every verdict can point at the events that prove it).

Whether a stakeholder group counts as citizens (lived experience) is domain.vocabulary's to say. The one
rule here, which decisions came before citizens took part, is Needham & Carr's "reviews after decisions
have already been made" (seed 000, Educational Freedom, *Co-Production Guidelines* for Elective Home
Education).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from domain.vocabulary import is_citizen

# The two readings of "as of" a day (DESIGN.md): what had happened by then, whenever it was recorded
# (history brought in later from minutes counts on the days it happened), or only what Cotrace knew
# by then (what a report printed that day would have shown).
AS_HAPPENED = "happened"
AS_RECORDED = "recorded"
READINGS = {AS_HAPPENED: "As it happened", AS_RECORDED: "As recorded"}

# The facts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageFact:
    cycle: int
    stage: str
    entered_on: date
    recorded_on: date
    ref: int


@dataclass(frozen=True)
class DecisionFact:
    id: UUID
    cycle: int
    stage: str
    happened_on: date
    recorded_on: date
    method: str
    outside_meeting: bool
    maker_groups: tuple[str, ...]  # one entry per decision maker
    present_groups: tuple[str, ...]  # one entry per person present at its meeting
    cites: tuple[UUID, ...]
    ref: int
    # The event that gave it the date it is judged on, when that is not `ref`: the last move with
    # its meeting's corrected date (`Decision.Redated`).
    dated_ref: int | None = None

    @property
    def has_citizen_maker(self) -> bool:
        return any(is_citizen(g) for g in self.maker_groups)

    @property
    def citizens_present(self) -> bool:
        return any(is_citizen(g) for g in self.present_groups)


@dataclass(frozen=True)
class ContributionFact:
    id: UUID
    cycle: int
    stage: str
    happened_on: date
    recorded_on: date
    group: str
    channel: str
    ref: int
    response: str | None = None
    responded_on: date | None = None
    response_recorded_on: date | None = None
    response_ref: int | None = None
    dated_ref: int | None = None  # as a decision's: the last `Contribution.Redated`, if any

    @property
    def by_citizen(self) -> bool:
        return is_citizen(self.group)


@dataclass(frozen=True)
class ClaimFact:
    activity: str
    cycle: int
    stage: str
    ladder: str
    rung: str
    happened_on: date
    recorded_on: date
    ref: int


@dataclass(frozen=True)
class PolicyFacts:
    policy_id: UUID
    title: str
    initiated_by: str
    started_on: date
    started_ref: int
    stages: tuple[StageFact, ...] = ()
    decisions: tuple[DecisionFact, ...] = ()
    contributions: tuple[ContributionFact, ...] = ()
    claims: tuple[ClaimFact, ...] = ()
    retired_on: date | None = None
    started_recorded_on: date | None = None  # None: as it happened (facts built by hand)
    retired_recorded_on: date | None = None

    def has_started(self, day: date, reading: str = AS_HAPPENED) -> bool:
        """Whether the policy had started by the end of `day`, in that reading of "as of"."""
        return self.started_on <= day and (
            reading == AS_HAPPENED or (self.started_recorded_on or self.started_on) <= day
        )

    def as_of(self, day: date, reading: str = AS_HAPPENED) -> PolicyFacts:
        """The facts as they stood at the end of `day`: those that had happened by then ("as it
        happened", whenever they were recorded), or only those also recorded by then ("as recorded")."""

        def known(happened: date, recorded: date | None) -> bool:
            return happened <= day and (reading == AS_HAPPENED or recorded is None or recorded <= day)

        retired = self.retired_on is not None and known(self.retired_on, self.retired_recorded_on)
        contributions = []
        for c in self.contributions:
            if not known(c.happened_on, c.recorded_on):
                continue
            if c.response and not known(c.responded_on, c.response_recorded_on):  # type: ignore[arg-type]
                c = replace(c, response=None, responded_on=None, response_recorded_on=None, response_ref=None)
            contributions.append(c)
        return replace(
            self,
            stages=tuple(s for s in self.stages if known(s.entered_on, s.recorded_on)),
            decisions=tuple(d for d in self.decisions if known(d.happened_on, d.recorded_on)),
            contributions=tuple(contributions),
            claims=tuple(c for c in self.claims if known(c.happened_on, c.recorded_on)),
            retired_on=self.retired_on if retired else None,
        )

    def decided_before_citizens(self) -> tuple[DecisionFact, ...]:
        """The decisions taken before citizens took part in their stage: in that stage, no citizen contributed
        on or before the decision's date, was present when it was taken, or took it.

        Criterion 3 fails on them, and the co-producing rung needs there to be none: Needham & Carr's
        intermediate level is input "in the form of 'reviews' after decisions have already been made"
        (seed 000).
        """

        # The first day a citizen contributed to each stage: a decision on or after it was preceded
        # by citizens' input (one pass over the contributions, not one for every decision).
        first_input: dict[tuple[int, str], date] = {}
        for c in self.contributions:
            if c.by_citizen:
                key = (c.cycle, c.stage)
                if key not in first_input or c.happened_on < first_input[key]:
                    first_input[key] = c.happened_on

        def involved_before(decision: DecisionFact) -> bool:
            first = first_input.get((decision.cycle, decision.stage))
            return first is not None and first <= decision.happened_on

        return tuple(
            d for d in self.decisions if not (involved_before(d) or d.citizens_present or d.has_citizen_maker)
        )

    def scoped(self, cycle: int | None, stage: str | None) -> PolicyFacts:
        def inside(c: int, s: str) -> bool:
            return (cycle is None or c == cycle) and (stage is None or s == stage)

        return replace(
            self,
            stages=tuple(s for s in self.stages if inside(s.cycle, s.stage)),
            decisions=tuple(d for d in self.decisions if inside(d.cycle, d.stage)),
            contributions=tuple(c for c in self.contributions if inside(c.cycle, c.stage)),
            claims=tuple(c for c in self.claims if inside(c.cycle, c.stage)),
        )
