"""A decision: what was decided, for which policy, at which stage, by whom and how, on whose input.

Decisions are never edited. A correction, a reversal or a supersession is a new event, with a reason,
and the pages show both the original and what came after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.dates import check_not_in_future, format_date
from domain.errors import Problems
from domain.vocabulary import DECISION_METHODS, is_citizen
from domain.wording import DECISION, REASON, check_length


@dataclass(frozen=True)
class VoteTally:
    votes_for: int
    votes_against: int
    abstentions: int


class Decision(Aggregate):
    @event("Recorded")
    def __init__(
        self,
        policy_id: UUID,
        meeting_id: UUID | None,
        stage: str,
        cycle: int,
        text: str,
        proposed_by: UUID,
        decided_by: list[UUID],
        decision_maker_groups: list[str],
        method: str,
        votes: dict[str, int] | None,
        happened_on: date,
        recorded_by: UUID,
        cites: list[UUID] | None = None,
        consulted: list[UUID] | None = None,
        informed: list[UUID] | None = None,
        dissent: list[dict] | None = None,
        supersedes: UUID | None = None,
    ) -> None:
        self.policy_id = policy_id
        self.meeting_id = meeting_id
        self.stage = stage
        self.cycle = cycle
        self.text = text
        self.proposed_by = proposed_by
        self.decided_by = list(decided_by)
        self.decision_maker_groups = list(decision_maker_groups)
        self.method = method
        self.votes = votes
        self.happened_on = happened_on
        self.cites = list(cites or [])
        self.consulted = list(consulted or [])
        self.informed = list(informed or [])
        self.dissent = list(dissent or [])  # [{"by": participant id or None, "note": text}]
        self.supersedes = supersedes
        self.status = "standing"  # or corrected (still standing), reversed, superseded
        self.superseded_by: UUID | None = None
        # The day of its last correction, reversal or supersession: none can come before the decision.
        self.last_amended_on: date | None = None

    @property
    def taken_outside_meeting(self) -> bool:
        return self.meeting_id is None

    @event("Corrected")
    def correct(self, text: str, reason: str, happened_on: date, recorded_by: UUID) -> None:
        """The record was wrong (a slip in the wording); the decision itself stands."""
        self.text = text
        self.last_amended_on = happened_on

    @event("Reversed")
    def reverse(self, reason: str, meeting_id: UUID | None, happened_on: date, recorded_by: UUID) -> None:
        self.status = "reversed"
        self.last_amended_on = happened_on

    @event("Superseded")
    def supersede(self, superseded_by: UUID, reason: str, happened_on: date, recorded_by: UUID) -> None:
        self.status = "superseded"
        self.superseded_by = superseded_by
        self.last_amended_on = happened_on

    @event("Redated")
    def redate(
        self,
        new_date: date,
        previous_date: date,
        meeting_id: UUID,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """The meeting it was taken at was recorded on the wrong day, and corrected (the meeting's
        `DetailsCorrected`, with the same reason): the decision took its date, so it moves with it.
        `happened_on` is the day of the correction, as on every correction."""
        self.happened_on = new_date

    def check_amendable(
        self, problems: Problems, field: str, reason: str, happened_on: date, today: date
    ) -> None:
        if self.status != "standing":
            problems.add(
                field,
                f"This decision was {self.status}: record a new decision instead",
            )
        if not reason.strip():
            problems.add("reason", "Give the reason, so the trail explains the change")
        check_length(problems, "reason", reason, REASON, "The reason")
        check_not_in_future(problems, "happened_on", happened_on, today, "The date")
        if happened_on < self.happened_on:
            problems.add(
                "happened_on",
                f"This cannot come before the decision itself, on {format_date(self.happened_on)}",
            )


#: The longest wording of a decision, as recorded or as corrected.
MAX_WORDING = DECISION


def check_decision(
    problems: Problems,
    text: str,
    proposed_by: UUID | None,
    decided_by: list[UUID],
    groups: dict[UUID, str],
    method: str,
    votes: VoteTally | None,
) -> None:
    """The rules a decision keeps whatever meeting it was taken at."""
    if not text.strip():
        problems.add("text", "Enter what was decided")
    else:
        check_length(problems, "text", text, MAX_WORDING, "What was decided")
    if proposed_by is None:
        problems.add("proposed_by", "Choose who proposed the decision")
    if not decided_by:
        problems.add("decided_by", "Choose at least one decision maker")
    if method not in DECISION_METHODS:
        problems.add("method", "Choose how the decision was made")
        return
    if method == "vote":
        _check_votes(problems, votes, len(decided_by))
    elif method == "delegated" and len(decided_by) > 1:
        problems.add("decided_by", "A delegated decision is made by one person: choose one")
    elif method == "authority_only" and any(is_citizen(groups[p]) for p in decided_by if p in groups):
        problems.add(
            "method",
            "An authority-only decision has no citizen among its decision makers: "
            "choose another method or change the decision makers",
        )


# Each count of a vote's tally: its field on the form, and how a message names it.
TALLY_FIELDS = (
    ("votes_for", "the votes for"),
    ("votes_against", "the votes against"),
    ("abstentions", "the abstentions"),
)


def _check_votes(problems: Problems, votes: VoteTally | None, decision_makers: int) -> None:
    if votes is None:
        problems.add("votes_for", "Enter the number of votes for, against and abstaining")
        return
    counts = (votes.votes_for, votes.votes_against, votes.abstentions)
    negative = [(field, what) for (field, what), count in zip(TALLY_FIELDS, counts, strict=True) if count < 0]
    for field, what in negative:
        problems.add(field, f"Enter {what} as 0 or more")
    if negative:
        return
    if sum(counts) != decision_makers:
        problems.add(
            "votes_for",
            f"The votes add up to {sum(counts)} but "
            f"{decision_makers} decision {'maker was' if decision_makers == 1 else 'makers were'} chosen: "
            "each decision maker votes for, against or abstains",
        )
    elif votes.votes_for <= votes.votes_against:
        problems.add(
            "votes_for",
            "A vote carries only with more votes for than against: check the tallies",
        )
