"""Commands about decisions: recording one (at a meeting or outside one), correcting, reversing.

A decision names what it responds to (contributions cited), who was consulted and informed, any
dissent, and the decision it supersedes. Nothing is edited in place.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.commands.base import Commands, unique
from domain.contributions import Contribution
from domain.dates import check_not_in_future
from domain.decisions import MAX_WORDING, Decision, VoteTally, check_decision
from domain.errors import NotFound, Problems
from domain.meetings import Meeting
from domain.partnerships import Partnership
from domain.people import Participant
from domain.policies import Policy
from domain.wording import REASON, check_length

OUTSIDE_MEETING_METHODS = ("delegated", "authority_only")


class DecisionCommands(Commands):
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
        cites: list[UUID] = (),  # type: ignore[assignment]
        consulted: list[UUID] = (),  # type: ignore[assignment]
        informed: list[UUID] = (),  # type: ignore[assignment]
        dissent: list[dict] = (),  # type: ignore[assignment]
        supersedes: UUID | None = None,
        supersession_reason: str = "",
    ) -> UUID:
        meeting = self._get(Meeting, meeting_id)
        partnership = self._get(Partnership, meeting.partnership_id)
        decided_by = unique(decided_by)
        problems = Problems()
        meeting.check_has_taken_place(problems, "text", self.today(), "record its decisions")
        if proposed_by is not None:
            meeting.check_present(problems, "proposed_by", [proposed_by], "the proposer")
        check_decision(problems, text, proposed_by, decided_by, partnership.members, method, votes)
        if not problems.has("decided_by"):
            meeting.check_present(problems, "decided_by", decided_by, "the decision makers")
        for note in dissent:
            if note.get("by") is not None:
                meeting.check_present(problems, "dissent", [note["by"]], "those dissenting")
        return self._decide(
            problems,
            actor,
            partnership,
            policy_id,
            meeting_id=meeting.id,
            happened_on=meeting.held_on,
            text=text,
            stage=stage,
            proposed_by=proposed_by,
            decided_by=decided_by,
            method=method,
            votes=votes,
            cites=cites,
            consulted=consulted,
            informed=informed,
            dissent=dissent,
            supersedes=supersedes,
            supersession_reason=supersession_reason,
        )

    def record_decision_outside_meeting(
        self,
        actor: UUID,
        policy_id: UUID,
        text: str,
        stage: str,
        decided_by: list[UUID],
        method: str,
        happened_on: date,
        cites: list[UUID] = (),  # type: ignore[assignment]
        consulted: list[UUID] = (),  # type: ignore[assignment]
        informed: list[UUID] = (),  # type: ignore[assignment]
        supersedes: UUID | None = None,
        supersession_reason: str = "",
    ) -> UUID:
        """A decision taken elsewhere, by delegated authority or the authority alone: recorded as
        such, because a decision no citizen could attend is itself evidence."""
        policy = self._get(Policy, policy_id)
        partnership = self._get(Partnership, policy.partnership_id)
        decided_by = unique(decided_by)
        problems = Problems()
        if method not in OUTSIDE_MEETING_METHODS:
            problems.add(
                "method",
                "A decision outside a meeting is a delegated officer decision or the authority's alone: "
                "record a consensus or a vote at the meeting where it was taken",
            )
        proposer = decided_by[0] if decided_by else None
        check_decision(problems, text, proposer, decided_by, partnership.members, method, None)
        if any(not partnership.is_member(p) for p in decided_by):
            problems.add("decided_by", "Choose the decision makers from the partnership's members")
        check_not_in_future(problems, "happened_on", happened_on, self.today(), "The date of the decision")
        return self._decide(
            problems,
            actor,
            partnership,
            policy_id,
            meeting_id=None,
            happened_on=happened_on,
            text=text,
            stage=stage,
            proposed_by=proposer,
            decided_by=decided_by,
            method=method,
            votes=None,
            cites=cites,
            consulted=consulted,
            informed=informed,
            dissent=(),
            supersedes=supersedes,
            supersession_reason=supersession_reason,
        )

    def correct_decision(
        self, actor: UUID, decision_id: UUID, text: str, reason: str, happened_on: date
    ) -> None:
        """The record's wording was wrong; the decision stands, and the trail shows both."""
        decision = self._get(Decision, decision_id)
        problems = Problems()
        decision.check_amendable(problems, "text", reason, happened_on, self.today())
        if not text.strip():
            problems.add("text", "Enter the corrected wording of the decision")
        elif text.strip() == decision.text:
            problems.add("text", "The corrected wording is the same as the recorded one")
        check_length(problems, "text", text, MAX_WORDING, "The corrected wording")
        problems.raise_if_any()
        decision.correct(text=text.strip(), reason=reason.strip(), happened_on=happened_on, recorded_by=actor)
        self.save(decision)

    def reverse_decision(
        self,
        actor: UUID,
        decision_id: UUID,
        reason: str,
        happened_on: date,
        meeting_id: UUID | None = None,
    ) -> None:
        decision = self._get(Decision, decision_id)
        problems = Problems()
        if meeting_id is not None:
            meeting = self._find(
                problems, "meeting_id", Meeting, meeting_id, "Choose the meeting that reversed it"
            )
            if meeting is not None:
                happened_on = meeting.held_on
                policy = self._get(Policy, decision.policy_id)
                if meeting.partnership_id != policy.partnership_id:
                    problems.add("meeting_id", "Choose a meeting of the partnership that took the decision")
        decision.check_amendable(problems, "reason", reason, happened_on, self.today())
        problems.raise_if_any()
        decision.reverse(
            reason=reason.strip(), meeting_id=meeting_id, happened_on=happened_on, recorded_by=actor
        )
        self.save(decision)

    def _decide(
        self,
        problems: Problems,
        actor: UUID,
        partnership: Partnership,
        policy_id: UUID | None,
        *,
        meeting_id: UUID | None,
        happened_on: date,
        text: str,
        stage: str,
        proposed_by: UUID | None,
        decided_by: list[UUID],
        method: str,
        votes: VoteTally | None,
        cites: list[UUID],
        consulted: list[UUID],
        informed: list[UUID],
        dissent: list[dict],
        supersedes: UUID | None,
        supersession_reason: str,
    ) -> UUID:
        """The rules every decision keeps, then one atomic save of all it changes."""
        policy = self._find(
            problems, "policy_id", Policy, policy_id, "Choose the policy this decision is about"
        )
        if policy is not None and policy.partnership_id != partnership.id:
            problems.add("policy_id", "Choose one of this partnership's policies")
            policy = None
        if policy is not None:
            policy.check_in_force(problems, "policy_id")
            policy.check_decision_stage(problems, "stage", stage, happened_on)
        cited = self._cited(problems, unique(list(cites)), policy, happened_on)
        for field, people in (("consulted", consulted), ("informed", informed)):
            if any(not partnership.is_member(p) for p in people):
                problems.add(field, "Choose people from the partnership's members")
        if any(not (note.get("note") or "").strip() for note in dissent):
            problems.add("dissent", "Enter what the dissent was")
        for note in dissent:
            check_length(problems, "dissent", note.get("note"), REASON, "The dissent")
        superseded = self._superseded(problems, supersedes, supersession_reason, policy, happened_on)
        problems.raise_if_any()
        assert policy is not None and proposed_by is not None

        stage, cycle, opens_stage = policy.stage_for_decision(stage)
        if opens_stage:
            policy.enter_stage(stage=stage, cycle=cycle, entered_on=happened_on, recorded_by=actor)
        decision = Decision(
            policy_id=policy.id,
            meeting_id=meeting_id,
            stage=stage,
            cycle=cycle,
            text=text.strip(),
            proposed_by=proposed_by,
            decided_by=decided_by,
            # Their groups as they now stand: a group recorded wrong and corrected is the one that counts.
            decision_maker_groups=sorted({self._get(Participant, p).stakeholder_group for p in decided_by}),
            method=method,
            votes=_tally(votes) if method == "vote" else None,
            happened_on=happened_on,
            recorded_by=actor,
            cites=[c.id for c in cited],
            consulted=unique(list(consulted)),
            informed=unique(list(informed)),
            dissent=[{"by": n.get("by"), "note": n["note"].strip()} for n in dissent],
            supersedes=supersedes,
        )
        changed: list = [policy, decision]
        if superseded is not None:
            superseded.supersede(
                superseded_by=decision.id,
                reason=supersession_reason.strip(),
                happened_on=happened_on,
                recorded_by=actor,
            )
            changed.append(superseded)
        self.save(*changed)
        return decision.id

    def _cited(
        self, problems: Problems, cites: list[UUID], policy: Policy | None, happened_on: date
    ) -> list[Contribution]:
        """Contributions on this policy, made by the day of the decision: a decision cannot answer
        what nobody had said yet."""
        cited = []
        for contribution_id in cites:
            try:
                contribution = self._get(Contribution, contribution_id)
            except NotFound:
                problems.add("cites", "Choose contributions made on this policy")
                continue
            if policy is not None and contribution.policy_id != policy.id:
                problems.add("cites", "Choose contributions made on this policy")
            elif contribution.happened_on > happened_on:
                problems.add("cites", "Choose contributions made on or before the day of the decision")
            cited.append(contribution)
        return cited

    def _superseded(
        self,
        problems: Problems,
        supersedes: UUID | None,
        reason: str,
        policy: Policy | None,
        happened_on: date,
    ) -> Decision | None:
        if supersedes is None:
            return None
        earlier = self._find(problems, "supersedes", Decision, supersedes, "Choose a decision on this policy")
        if earlier is None:
            return None
        if policy is not None and earlier.policy_id != policy.id:
            problems.add("supersedes", "Choose a decision on this policy")
        earlier.check_amendable(problems, "supersedes", reason, happened_on, self.today())
        return earlier


def _tally(votes: VoteTally | None) -> dict[str, int] | None:
    if votes is None:
        return None
    return {"for": votes.votes_for, "against": votes.votes_against, "abstentions": votes.abstentions}
