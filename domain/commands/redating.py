"""Moving what a meeting dated when its date is corrected.

A decision or a contribution recorded at a meeting takes the meeting's date. When the meeting's date
was recorded wrong and is corrected after anyone was recorded present, each of them moves with it, by
an event of its own (`Redated`) naming the correction's reason, so the trail shows the correction
beside each original. The move is refused, and nothing written, when it would break a rule the
record keeps everywhere else: a decision after the contributions it cites and before whatever amended
it, a contribution before its response and before the decisions citing it, each inside its stage of
the Iriss cycle, nothing in the future (the evidence rules compare these dates: DESIGN.md, criteria 3,
4 and 6, and the two readings of "as of").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.commands.base import Commands
from domain.contributions import Contribution
from domain.dates import format_date
from domain.decisions import Decision
from domain.errors import Problems
from domain.meetings import Meeting
from domain.partnerships import Partnership
from domain.policies import Policy
from domain.vocabulary import stage_label

FIELD = "held_on"
_RECORDED, _REVERSED, _SUBMITTED = (
    get_topic(Decision.Recorded),
    get_topic(Decision.Reversed),
    get_topic(Contribution.Submitted),
)
_TOPICS = [_RECORDED, _REVERSED, _SUBMITTED]
_PAGE = 500


@dataclass
class DatedByMeeting:
    """What a meeting dated, and what elsewhere depends on those dates."""

    decisions: list[Decision] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    citing: list[Decision] = field(default_factory=list)  # elsewhere, citing its contributions
    reversed_at: list[UUID] = field(default_factory=list)  # decisions reversed at the meeting

    @property
    def records(self) -> list[Decision | Contribution]:
        return [*self.decisions, *self.contributions]


class RedatingCommands(Commands):
    def _dated_by(self, meeting: Meeting) -> DatedByMeeting:
        """The decisions and contributions recorded at `meeting`, from the log: no aggregate lists
        them, and a date is corrected seldom enough that reading the log's decisions and
        contributions (their events alone, by topic) is cheaper than keeping such a list."""
        at_meeting: dict[UUID, type] = {}
        cites: dict[UUID, list[UUID]] = {}
        reversed_at: list[UUID] = []
        for topic, aggregate_id, state in self._states_by_topic():
            if topic == _RECORDED:
                cites[aggregate_id] = list(state.get("cites") or [])
                if state.get("meeting_id") == meeting.id:
                    at_meeting[aggregate_id] = Decision
            elif topic == _REVERSED and state.get("meeting_id") == meeting.id:
                reversed_at.append(aggregate_id)
            elif topic == _SUBMITTED and state.get("meeting_id") == meeting.id:
                at_meeting[aggregate_id] = Contribution
        dated = DatedByMeeting(reversed_at=reversed_at)
        for aggregate_id, kind in at_meeting.items():
            record = self._get(kind, aggregate_id)
            # Dated by the meeting: recorded at it, on its day (each took the meeting's date).
            if record.happened_on == meeting.held_on:
                (dated.decisions if kind is Decision else dated.contributions).append(record)  # type: ignore[arg-type]
        ours = {c.id for c in dated.contributions}
        dated.citing = [
            self._get(Decision, d)
            for d, cited in cites.items()
            if d not in at_meeting and ours.intersection(cited)
        ]
        return dated

    def _states_by_topic(self) -> Iterator[tuple[str, UUID, dict]]:
        """Each decision's and contribution's first event, and each reversal, as stored: only ids
        and dates are read, so nobody's personal data is decrypted for it."""
        start: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start=start, limit=_PAGE, topics=_TOPICS, inclusive_of_start=start is None
            )
            for notification in page:
                originator = notification.originator_id
                yield (
                    notification.topic,
                    originator if isinstance(originator, UUID) else UUID(str(originator)),
                    self.mapper.transcoder.decode(notification.state),
                )
            if len(page) < _PAGE:
                return
            start = page[-1].id

    def _check_redating(
        self, problems: Problems, meeting: Meeting, dated: DatedByMeeting, new_date: date
    ) -> None:
        """The rules the meeting's decisions and contributions keep on `new_date`; the first one
        broken is said next to the date (one message: each would ask for another date)."""
        for message in self._redating_problems(meeting, dated, new_date):
            problems.add(FIELD, message)
            return

    def _redating_problems(  # noqa: C901 (one rule after another, each with its own message)
        self, meeting: Meeting, dated: DatedByMeeting, new_date: date
    ) -> Iterator[str]:
        on = format_date(new_date)
        if new_date > self.today():
            yield (
                "People were recorded as present at this meeting, so it has taken place: "
                "enter a date on or before today"
            )
        partnership = self._get(Partnership, meeting.partnership_id)
        for person in [*meeting.present, *meeting.apologies]:
            joined = partnership.joined.get(person)
            if joined is not None and joined > new_date:
                yield (
                    f"Someone recorded at this meeting joined the partnership on {format_date(joined)}, "
                    f"after {on}: check the date, or correct the attendance first"
                )
        if dated.reversed_at:
            yield (
                "A decision was reversed at this meeting, and the reversal is dated by it: "
                "its date can no longer be corrected. Correct its place only"
            )
        moved = {r.id for r in dated.records}
        policies: dict[UUID, Policy] = {}
        for record in dated.records:
            policy = policies.get(record.policy_id) or self._get(Policy, record.policy_id)
            policies[policy.id] = policy
            yield from _stage_problems(policy, record, new_date, meeting.held_on)
        for decision in dated.decisions:
            for cited in decision.cites:
                if cited not in moved:
                    contribution = self._get(Contribution, cited)
                    if contribution.happened_on > new_date:
                        yield (
                            f"A decision of this meeting cites a contribution made on "
                            f"{format_date(contribution.happened_on)}, after {on}: a decision cannot "
                            "answer what was not yet said"
                        )
            if decision.supersedes is not None and decision.supersedes not in moved:
                earlier = self._get(Decision, decision.supersedes)
                if earlier.happened_on > new_date:
                    yield (
                        f"A decision of this meeting supersedes one taken on "
                        f"{format_date(earlier.happened_on)}, after {on}"
                    )
            if decision.last_amended_on is not None and decision.last_amended_on < new_date:
                yield (
                    f"A decision of this meeting was corrected, reversed or superseded on "
                    f"{format_date(decision.last_amended_on)}, before {on}"
                )
        for contribution in dated.contributions:
            later = [d for d in (contribution.responded_on, contribution.last_corrected_on) if d]
            if later and min(later) < new_date:
                yield (
                    f"A contribution made at this meeting was answered or corrected on "
                    f"{format_date(min(later))}, before {on}"
                )
        for decision in dated.citing:
            if decision.happened_on < new_date:
                yield (
                    f"A decision taken on {format_date(decision.happened_on)}, before {on}, cites a "
                    "contribution made at this meeting: a decision cannot answer what was not yet said"
                )


def _stage_problems(
    policy: Policy, record: Decision | Contribution, new_date: date, held_on: date
) -> Iterator[str]:
    """A record stays inside its stage: not before the stage began, nor (a decision, which belongs to
    the stage it was taken in) after the next one began; not after the policy was retired."""
    on = format_date(new_date)
    what = "A decision" if isinstance(record, Decision) else "A contribution"
    entries = policy.stages
    index = next(
        (i for i, s in enumerate(entries) if (s.cycle, s.stage) == (record.cycle, record.stage)), None
    )
    if index is None:
        return
    entry = entries[index]
    if new_date < entry.entered_on == held_on:
        # Most often the meeting's own decision opened the stage: the stage's start is a fact of
        # the policy's, which a meeting's correction does not move.
        yield (
            f"{stage_label(entry.stage)} of {policy.title} began on {format_date(held_on)}, the date "
            f"this meeting was recorded on, and {what.lower()} of this meeting is at that stage: a "
            "stage's start does not move with a meeting, so the date can be corrected to that day or later"
        )
    elif new_date < entry.entered_on:
        yield (
            f"{what} of this meeting is at {stage_label(entry.stage)} of {policy.title}, which began on "
            f"{format_date(entry.entered_on)}, after {on}: nothing at a stage can come before it"
        )
    following = entries[index + 1] if index + 1 < len(entries) else None
    if isinstance(record, Decision) and following is not None and new_date > following.entered_on:
        yield (
            f"A decision of this meeting is at {stage_label(entry.stage)} of {policy.title}, and "
            f"{stage_label(following.stage)} began on {format_date(following.entered_on)}, before {on}: "
            "stages follow the cycle in order"
        )
    if policy.retired_on is not None and new_date > policy.retired_on:
        yield f"{policy.title} was retired on {format_date(policy.retired_on)}, before {on}"
