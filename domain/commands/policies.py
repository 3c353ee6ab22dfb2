"""Commands about a policy's life: starting it, its stages and cycles, ratings, versions, claims,
and opening its transparency page to the public."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from domain.commands.base import Commands
from domain.dates import check_not_in_future, format_date
from domain.errors import Problems
from domain.meetings import Meeting
from domain.partnerships import Partnership
from domain.policies import Policy
from domain.vocabulary import LADDERS, RAG_RATINGS, STAGES, stage_label
from domain.wording import NAME, REASON, check_length

CONTENT_HASH = re.compile(r"^[0-9a-f]{64}$")


class PolicyCommands(Commands):
    def start_policy(
        self, actor: UUID, partnership_id: UUID, title: str, initiated_by: str, started_on: date
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
        policy.check_in_force(problems, "stage")
        policy.check_next_stage(problems, "stage", stage, entered_on, self.today())
        problems.raise_if_any()
        _, cycle = policy.following_stage()
        policy.enter_stage(stage=stage, cycle=cycle, entered_on=entered_on, recorded_by=actor)
        self.save(policy)

    def start_new_cycle(self, actor: UUID, policy_id: UUID, reason: str, started_on: date) -> None:
        """A new cycle, opened from any stage with a reason: after co-assess, `enter_stage` opens it
        with no reason needed; before it, the reason says why the cycle was not finished."""
        policy = self._get(Policy, policy_id)
        problems = Problems()
        policy.check_in_force(problems, "reason")
        if not reason.strip():
            problems.add(
                "reason",
                "Say why a new cycle starts, for example 'The council restarted it after new guidance'",
            )
        check_length(problems, "reason", reason, REASON, "The reason")
        check_not_in_future(
            problems, "started_on", started_on, self.today(), "The date the new cycle started"
        )
        policy.check_not_before_current(problems, "started_on", started_on, "The new cycle")
        problems.raise_if_any()
        policy.restart_cycle(reason=reason.strip(), started_on=started_on, recorded_by=actor)
        self.save(policy)

    def rate_policy(
        self,
        actor: UUID,
        policy_id: UUID,
        aspect: str,
        rating: str,
        comment: str = "",
        meeting_id: UUID | None = None,
        happened_on: date | None = None,
    ) -> None:
        """A RAG rating of the policy as it stands, given at an open meeting or elsewhere."""
        policy = self._get(Policy, policy_id)
        problems = Problems()
        if not aspect.strip():
            problems.add("aspect", "Enter what was rated, for example 'Communication with families'")
        check_length(problems, "aspect", aspect, NAME, "What was rated")
        check_length(problems, "comment", comment, REASON, "The comment")
        if rating not in RAG_RATINGS:
            problems.add("rating", "Choose red, amber or green")
        day = self._meeting_day(problems, policy, meeting_id, happened_on)
        if day is not None:
            policy.check_not_before_start(problems, "happened_on", day)
        problems.raise_if_any()
        assert day is not None
        policy.rate(
            aspect=aspect.strip(),
            rating=rating,
            comment=comment.strip(),
            meeting_id=meeting_id,
            happened_on=day,
            recorded_by=actor,
        )
        self.save(policy)

    def publish_document_version(
        self,
        actor: UUID,
        policy_id: UUID,
        title: str,
        version_label: str,
        content_hash: str,
        link: str,
        published_on: date,
    ) -> None:
        policy = self._get(Policy, policy_id)
        problems = Problems()
        policy.check_in_force(problems, "title")
        policy.check_not_before_start(problems, "published_on", published_on)
        if not title.strip():
            problems.add("title", "Enter the document's title")
        check_length(problems, "title", title, NAME, "The title")
        check_length(problems, "version_label", version_label, NAME, "The version")
        check_length(problems, "link", link, REASON, "The web address")
        if not version_label.strip():
            problems.add("version_label", "Enter the version, for example 'Draft 2' or '1.0'")
        elif any(v["version_label"] == version_label.strip() for v in policy.versions):
            problems.add(
                "version_label", "This version was published already: give the new one its own label"
            )
        if not CONTENT_HASH.match(content_hash.strip().lower()):
            problems.add("content_hash", "Enter the document's SHA-256 checksum: 64 characters, 0-9 and a-f")
        if link.strip() and not link.strip().startswith(("https://", "http://")):
            problems.add("link", "Enter a web address starting with https://")
        check_not_in_future(problems, "published_on", published_on, self.today(), "The publication date")
        problems.raise_if_any()
        policy.publish_version(
            title=title.strip(),
            version_label=version_label.strip(),
            content_hash=content_hash.strip().lower(),
            link=link.strip(),
            happened_on=published_on,
            recorded_by=actor,
        )
        self.save(policy)

    def adopt_policy(self, actor: UUID, policy_id: UUID, adopted_on: date) -> None:
        policy = self._get(Policy, policy_id)
        problems = Problems()
        policy.check_in_force(problems, "adopted_on")
        if policy.adopted_on is not None:
            problems.add("adopted_on", f"This policy was adopted on {format_date(policy.adopted_on)}")
        check_not_in_future(problems, "adopted_on", adopted_on, self.today(), "The adoption date")
        policy.check_not_before_start(problems, "adopted_on", adopted_on)
        problems.raise_if_any()
        policy.adopt(happened_on=adopted_on, recorded_by=actor)
        self.save(policy)

    def retire_policy(self, actor: UUID, policy_id: UUID, reason: str, retired_on: date) -> None:
        policy = self._get(Policy, policy_id)
        problems = Problems()
        policy.check_in_force(problems, "retired_on")
        if not reason.strip():
            problems.add("reason", "Say why the policy is retired, for example 'Replaced by the 2027 policy'")
        check_length(problems, "reason", reason, REASON, "The reason")
        check_not_in_future(problems, "retired_on", retired_on, self.today(), "The retirement date")
        policy.check_not_before_start(problems, "retired_on", retired_on)
        if policy.adopted_on is not None and retired_on < policy.adopted_on:
            adopted = format_date(policy.adopted_on)
            problems.add("retired_on", f"The retirement date cannot come before the adoption, on {adopted}")
        problems.raise_if_any()
        policy.retire(reason=reason.strip(), happened_on=retired_on, recorded_by=actor)
        self.save(policy)

    def publish_transparency_page(self, actor: UUID, policy_id: UUID) -> None:
        """Opens the policy's transparency page to anyone. A retired policy can be published too: its
        record is still what the partnership decided. Publishing a page that is published already
        records nothing (the button pressed again in another tab), as granting a role held does."""
        policy = self._get(Policy, policy_id)
        if not policy.transparency_page_published:
            policy.publish_transparency_page(recorded_by=actor)
            self.save(policy)

    def withdraw_transparency_page(self, actor: UUID, policy_id: UUID, reason: str = "") -> None:
        """Closes the transparency page again; the reason, if one is given, is kept in the trail."""
        policy = self._get(Policy, policy_id)
        problems = Problems()
        check_length(problems, "reason", reason, REASON, "The reason")
        problems.raise_if_any()
        if policy.transparency_page_published:
            policy.withdraw_transparency_page(reason=reason.strip(), recorded_by=actor)
            self.save(policy)

    def claim_participation_level(
        self,
        actor: UUID,
        policy_id: UUID,
        activity: str,
        rung: str,
        claimed_by: UUID,
        happened_on: date,
        stage: str | None = None,
        ladder: str = "wokingham",
    ) -> None:
        """Records a rung someone claims for an activity; the evidence engine checks the claim."""
        policy = self._get(Policy, policy_id)
        partnership = self._get(Partnership, policy.partnership_id)
        problems = Problems()
        policy.check_in_force(problems, "activity")
        policy.check_not_before_start(problems, "happened_on", happened_on)
        current = policy.current
        assert current is not None
        stage = stage or current.stage
        if not activity.strip():
            problems.add(
                "activity", "Enter the activity the rung is claimed for, for example 'Drafting workshop'"
            )
        check_length(problems, "activity", activity, NAME, "The activity")
        if ladder not in LADDERS:
            problems.add("ladder", "Choose the Wokingham ladder or Hart's ladder")
        elif rung not in {r.code for r in LADDERS[ladder]}:
            problems.add("rung", "Choose a rung of the ladder")
        if stage not in STAGES or policy.entered(stage, current.cycle) is None:
            problems.add("stage", f"Choose a stage this policy has reached in cycle {current.cycle}")
        if not partnership.is_member(claimed_by):
            problems.add("claimed_by", "Choose who makes the claim from the partnership's members")
        check_not_in_future(problems, "happened_on", happened_on, self.today(), "The date of the claim")
        problems.raise_if_any()
        policy.claim_participation_level(
            activity=activity.strip(),
            stage=stage,
            cycle=current.cycle,
            ladder=ladder,
            rung=rung,
            claimed_by=claimed_by,
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(policy)

    def _meeting_day(
        self, problems: Problems, policy: Policy, meeting_id: UUID | None, happened_on: date | None
    ) -> date | None:
        """The date a thing happened: its meeting's date, or the date given."""
        if meeting_id is not None:
            meeting = self._find(
                problems, "meeting_id", Meeting, meeting_id, "Choose a meeting of this partnership"
            )
            if meeting is None:
                return None
            if meeting.partnership_id != policy.partnership_id:
                problems.add("meeting_id", "Choose a meeting of this partnership")
                return None  # its date says nothing about this policy
            meeting.check_has_taken_place(problems, "meeting_id", self.today(), "record what happened at it")
            return meeting.held_on
        if happened_on is None:
            problems.add("happened_on", "Enter the date it happened")
            return None
        check_not_in_future(problems, "happened_on", happened_on, self.today(), "The date")
        return happened_on


__all__ = ["PolicyCommands", "stage_label"]
