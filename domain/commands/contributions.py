"""Commands about contributions: a participant's input, and the response it gets."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.commands.base import Commands
from domain.contributions import Contribution
from domain.dates import format_date
from domain.errors import Problems
from domain.meetings import Meeting
from domain.partnerships import Partnership
from domain.people import Participant
from domain.policies import Policy
from domain.vocabulary import RESPONSES, STAGES, stage_label
from domain.wording import CONTRIBUTION, REASON, check_length


class ContributionCommands(Commands):
    def submit_contribution(
        self,
        actor: UUID,
        policy_id: UUID,
        contributor_id: UUID | None,
        kind: str,
        text: str,
        channel: str,
        happened_on: date | None = None,
        meeting_id: UUID | None = None,
        stage: str | None = None,
        pseudonym: str | None = None,
    ) -> UUID:
        """Input on a policy at a stage of its current cycle; made at a meeting, it takes the
        meeting's date and its contributor must have been there."""
        problems = Problems()
        # A policy not chosen is one problem among the others, all told at once.
        policy = self._find(
            problems, "policy_id", Policy, policy_id, "Choose the policy the contribution is about"
        )
        meeting = None
        if meeting_id is not None:
            meeting = self._find(
                problems, "meeting_id", Meeting, meeting_id, "Choose a meeting of this partnership"
            )
        # Said at a meeting, it is the meeting's partnership whose policy and member it must be.
        owner = meeting.partnership_id if meeting else policy.partnership_id if policy else None
        partnership = self._get(Partnership, owner) if owner else None
        if policy is not None and partnership is not None and policy.partnership_id != partnership.id:
            problems.add("policy_id", "Choose one of this partnership's policies")
        if policy is not None:
            policy.check_in_force(problems, "text")
        if contributor_id is None or (partnership is not None and not partnership.is_member(contributor_id)):
            problems.add("contributor_id", "Choose the contributor from the partnership's members")
        else:
            self._get(Participant, contributor_id).check_not_erased(problems, "contributor_id")
        if meeting is not None:
            meeting.check_has_taken_place(problems, "meeting_id", self.today(), "record what was said")
            if contributor_id is not None:
                meeting.check_present(problems, "contributor_id", [contributor_id], "the contributor")
            happened_on = meeting.held_on
        if policy is not None:
            stage = self._contribution_stage(problems, policy, stage, happened_on, meeting is not None)
        if happened_on is None:
            problems.add("happened_on", "Enter the date of the contribution")
        else:
            Contribution.check_submission(
                problems, kind, text, channel, meeting_id, pseudonym, happened_on, self.today()
            )
        problems.raise_if_any()
        assert policy is not None and contributor_id is not None and happened_on is not None
        current = policy.current
        assert current is not None and stage is not None
        contribution = Contribution(
            policy_id=policy.id,
            contributor_id=contributor_id,
            stage=stage,
            cycle=current.cycle,
            kind=kind,
            text=text.strip(),
            channel=channel,
            meeting_id=meeting_id,
            pseudonym=(pseudonym or "").strip() or None,
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(contribution)
        return contribution.id

    @staticmethod
    def _contribution_stage(
        problems: Problems, policy: Policy, stage: str | None, happened_on: date | None, at_meeting: bool
    ) -> str | None:
        """The stage of the policy's current cycle the contribution is about: one reached, and
        reached by the day it was made."""
        current = policy.current
        assert current is not None
        stage = stage or current.stage
        entered = policy.entered(stage, current.cycle) if stage in STAGES else None
        if entered is None:
            problems.add("stage", f"Choose a stage this policy has reached in cycle {current.cycle}")
        elif happened_on is not None and happened_on < entered.entered_on and not problems.has("policy_id"):
            problems.add(
                "policy_id" if at_meeting else "happened_on",
                f"{'This meeting was' if at_meeting else 'The contribution is dated'} before {policy.title} "
                f"entered {stage_label(stage)}, on {format_date(entered.entered_on)}",
            )
        return stage

    def respond_to_contribution(
        self,
        actor: UUID,
        contribution_id: UUID,
        response: str,
        reason: str,
        responded_by: UUID | None,
        happened_on: date,
    ) -> None:
        contribution = self._get(Contribution, contribution_id)
        policy = self._get(Policy, contribution.policy_id)
        partnership = self._get(Partnership, policy.partnership_id)
        problems = Problems()
        contribution.check_response(problems, response, reason, happened_on, self.today())
        check_length(problems, "reason", reason, REASON, "The reason")
        if responded_by is None or not partnership.is_member(responded_by):
            problems.add("responded_by", "Choose who gave the response from the partnership's members")
        problems.raise_if_any()
        assert responded_by is not None
        contribution.respond(
            response=response,
            reason=reason.strip(),
            responded_by=responded_by,
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(contribution)

    def correct_contribution(
        self, actor: UUID, contribution_id: UUID, text: str, reason: str, happened_on: date
    ) -> None:
        """The words were recorded wrong; the contribution stands, and the trail shows both wordings."""
        contribution = self._get(Contribution, contribution_id)
        problems = Problems()
        if not text.strip():
            problems.add("text", "Enter what was said, as it should have been recorded")
        elif text.strip() == contribution.text:
            problems.add("text", "The corrected words are the same as the recorded ones")
        check_length(problems, "text", text, CONTRIBUTION, "The contribution")
        contribution.check_correction(problems, reason, happened_on, self.today(), contribution.happened_on)
        problems.raise_if_any()
        contribution.correct(
            text=text.strip(),
            contributor_id=contribution.contributor_id,
            reason=reason.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(contribution)

    def correct_response(
        self,
        actor: UUID,
        contribution_id: UUID,
        response: str,
        response_reason: str,
        reason: str,
        happened_on: date,
    ) -> None:
        """The response was recorded wrong (adopted for adapted, a slip in its reason); the day it
        was given stays, and the trail shows both."""
        contribution = self._get(Contribution, contribution_id)
        problems = Problems()
        if contribution.response is None or contribution.responded_on is None:
            problems.add("response", "This contribution has no response yet: record one instead")
            problems.raise_if_any()
        assert contribution.responded_on is not None
        if response not in RESPONSES:
            problems.add("response", "Choose adopted, adapted or not adopted")
        elif response != "adopted" and not response_reason.strip():
            problems.add(
                "response_reason",
                "Say why it was not adopted" if response == "not_adopted" else "Say how it was adapted",
            )
        elif response == contribution.response and response_reason.strip() == (contribution.reason or ""):
            problems.add("response", "The corrected response is the same as the recorded one")
        check_length(problems, "response_reason", response_reason, REASON, "The response's reason")
        contribution.check_correction(problems, reason, happened_on, self.today(), contribution.responded_on)
        problems.raise_if_any()
        contribution.correct_response(
            response=response,
            response_reason=response_reason.strip(),
            responded_on=contribution.responded_on,
            reason=reason.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(contribution)


__all__ = ["ContributionCommands", "Participant"]
