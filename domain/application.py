"""The application service: one method per command, in the users' words.

Each command takes the acting operator, checks every rule before it changes anything, and saves all
it changes in one atomic save, so a broken rule writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.decisions import Decision, VoteTally, check_decision
from domain.errors import NotFound, Problems
from domain.meetings import Meeting
from domain.partnerships import Partnership
from domain.people import LOCAL_OPERATOR_ID, Operator, Participant
from domain.policies import Policy
from domain.vocabulary import STAGES, STAKEHOLDER_GROUPS

A = TypeVar("A", bound=Aggregate)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Cotrace(Application):
    name = "Cotrace"

    def __init__(self, env: Any = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(env)
        self.today = today

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # People -----------------------------------------------------------------------------------

    def create_local_operator(self, name: str = "Local operator") -> UUID:
        """The single operator the web acts as until accounts exist; created once, then found."""
        try:
            self.repository.get(LOCAL_OPERATOR_ID)
        except AggregateNotFoundError:
            self.save(Operator(name=name, recorded_by=LOCAL_OPERATOR_ID))
        return LOCAL_OPERATOR_ID

    def register_participant(self, actor: UUID, name: str, stakeholder_group: str) -> UUID:
        Participant.check_registration(name, stakeholder_group)
        participant = Participant(name=name.strip(), stakeholder_group=stakeholder_group, recorded_by=actor)
        self.save(participant)
        return participant.id

    # Partnerships -----------------------------------------------------------------------------

    def form_partnership(self, actor: UUID, name: str) -> UUID:
        Partnership.check_name(name)
        partnership = Partnership(name=name.strip(), recorded_by=actor)
        self.save(partnership)
        return partnership.id

    def add_member(self, actor: UUID, partnership_id: UUID, participant_id: UUID, joined_on: date) -> None:
        partnership = self._get(Partnership, partnership_id)
        participant = self._get(Participant, participant_id)
        if not partnership.is_member(participant_id):
            partnership.add_member(
                participant_id=participant_id,
                stakeholder_group=participant.stakeholder_group,
                joined_on=joined_on,
                recorded_by=actor,
            )
            self.save(partnership)

    def appoint_chair(self, actor: UUID, partnership_id: UUID, participant_id: UUID) -> None:
        partnership = self._get(Partnership, partnership_id)
        problems = Problems()
        if not partnership.is_member(participant_id):
            problems.add("chair", "Choose the chair from the partnership's members")
        problems.raise_if_any()
        partnership.appoint_chair(participant_id=participant_id, recorded_by=actor)
        self.save(partnership)

    # Policies ---------------------------------------------------------------------------------

    def start_policy(
        self,
        actor: UUID,
        partnership_id: UUID,
        title: str,
        initiated_by: str,
        started_on: date,
    ) -> UUID:
        """A policy starts at co-commission, cycle 1: co-production begins at conception."""
        self._get(Partnership, partnership_id)
        Policy.check_start(title, initiated_by, started_on, self.today())
        policy = Policy(
            partnership_id=partnership_id,
            title=title.strip(),
            initiated_by=initiated_by,
            started_on=started_on,
            recorded_by=actor,
        )
        policy.enter_stage(stage=STAGES[0], cycle=1, entered_on=started_on, recorded_by=actor)
        self.save(policy)
        return policy.id

    def enter_stage(self, actor: UUID, policy_id: UUID, stage: str, entered_on: date) -> None:
        policy = self._get(Policy, policy_id)
        problems = Problems()
        policy.check_next_stage(problems, "stage", stage, entered_on, self.today())
        problems.raise_if_any()
        _, cycle = policy.following_stage()
        policy.enter_stage(stage=stage, cycle=cycle, entered_on=entered_on, recorded_by=actor)
        self.save(policy)

    # Meetings ---------------------------------------------------------------------------------

    def schedule_meeting(
        self, actor: UUID, partnership_id: UUID, title: str, held_on: date, place: str
    ) -> UUID:
        self._get(Partnership, partnership_id)
        Meeting.check_scheduling(title, held_on, place, self.today())
        meeting = Meeting(
            partnership_id=partnership_id,
            title=title.strip(),
            held_on=held_on,
            place=place.strip(),
            recorded_by=actor,
        )
        self.save(meeting)
        return meeting.id

    def record_attendance(
        self, actor: UUID, meeting_id: UUID, present: list[UUID], apologies: list[UUID]
    ) -> None:
        meeting = self._get(Meeting, meeting_id)
        partnership = self._get(Partnership, meeting.partnership_id)
        problems = Problems()
        meeting.check_has_taken_place(problems, "present", self.today(), "record attendance")
        if any(not partnership.is_member(p) for p in [*present, *apologies]):
            problems.add("present", "Choose people who are members of this partnership")
        if set(present) & set(apologies):
            problems.add("apologies", "Someone cannot be both present and sending apologies")
        problems.raise_if_any()
        meeting.record_attendance(present=_unique(present), apologies=_unique(apologies), recorded_by=actor)
        self.save(meeting)

    # Decisions --------------------------------------------------------------------------------

    def record_decision(
        self,
        actor: UUID,
        meeting_id: UUID,
        policy_id: UUID | None,
        text: str,
        stage: str,
        proposed_by: UUID | None,
        decided_by: list[UUID],
        method: str,
        votes: VoteTally | None = None,
    ) -> UUID:
        meeting = self._get(Meeting, meeting_id)
        partnership = self._get(Partnership, meeting.partnership_id)
        decided_by = _unique(decided_by)
        problems = Problems()
        policy = self._policy_of_partnership(problems, policy_id, partnership.id)
        meeting.check_has_taken_place(problems, "text", self.today(), "record its decisions")
        check_decision(problems, text, proposed_by, decided_by, partnership.members, method, votes)
        if proposed_by is not None:
            meeting.check_present(problems, "proposed_by", [proposed_by], "the proposer")
        if not problems.has("decided_by"):
            meeting.check_present(problems, "decided_by", decided_by, "the decision makers")
        if policy is not None:
            policy.check_decision_stage(problems, "stage", stage, meeting.held_on)
        problems.raise_if_any()
        assert policy is not None and proposed_by is not None

        stage, cycle, opens_stage = policy.stage_for_decision(stage)
        if opens_stage:
            policy.enter_stage(stage=stage, cycle=cycle, entered_on=meeting.held_on, recorded_by=actor)
        decision = Decision(
            policy_id=policy.id,
            meeting_id=meeting.id,
            stage=stage,
            cycle=cycle,
            text=text.strip(),
            proposed_by=proposed_by,
            decided_by=decided_by,
            decision_maker_groups=sorted({partnership.members[p] for p in decided_by}),
            method=method,
            votes=_tally(votes) if method == "vote" else None,
            happened_on=meeting.held_on,
            recorded_by=actor,
        )
        self.save(policy, decision)
        return decision.id

    # ------------------------------------------------------------------------------------------

    def _policy_of_partnership(
        self, problems: Problems, policy_id: UUID | None, partnership_id: UUID
    ) -> Policy | None:
        if policy_id is None:
            problems.add("policy_id", "Choose the policy this decision is about")
            return None
        policy = self._get(Policy, policy_id)
        if policy.partnership_id != partnership_id:
            problems.add("policy_id", "Choose one of this partnership's policies")
            return None
        return policy

    def _get(self, kind: type[A], aggregate_id: UUID) -> A:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"No {kind.__name__.lower()} with id {aggregate_id}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"No {kind.__name__.lower()} with id {aggregate_id}")
        return aggregate


def _unique(ids: list[UUID]) -> list[UUID]:
    return list(dict.fromkeys(ids))


def _tally(votes: VoteTally | None) -> dict[str, int] | None:
    if votes is None:
        return None
    return {
        "for": votes.votes_for,
        "against": votes.votes_against,
        "abstentions": votes.abstentions,
    }


__all__ = ["Cotrace", "STAKEHOLDER_GROUPS"]
