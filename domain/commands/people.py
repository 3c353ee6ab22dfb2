"""Commands about people and partnerships."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.addresses import is_one_address
from domain.commands.base import Commands
from domain.dates import check_not_in_future
from domain.errors import Problems
from domain.partnerships import Partnership
from domain.people import EMAIL_FORMAT, LOCAL_OPERATOR_ID, Operator, Participant
from domain.vocabulary import STAKEHOLDER_GROUPS
from domain.wording import NAME, check_correction_reason, check_length


class PeopleCommands(Commands):
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

    def set_contact_preferences(
        self, actor: UUID, participant_id: UUID, email: str | None, email_consent: bool
    ) -> None:
        participant = self._get(Participant, participant_id)
        email = (email or "").strip() or None
        problems = Problems()
        participant.check_not_erased(problems, "email")
        problems.raise_if_any()
        Participant.check_contact(email, email_consent)
        participant.set_contact_preferences(email=email, email_consent=email_consent, recorded_by=actor)
        self.save(participant)

    def erase_participant(self, actor: UUID, participant_id: UUID) -> str:
        """Records that a participant's personal data is erased; returns their stakeholder group.
        Destroying their key, which is what erases, is the caller's (`cotrace.erasure`): the key
        lives outside the log, and the event holds no personal data."""
        participant = self._get(Participant, participant_id)
        problems = Problems()
        participant.check_not_erased(problems, "participant_id")
        problems.raise_if_any()
        participant.erase(recorded_by=actor)
        self.save(participant)
        return participant.stakeholder_group

    def reissue_private_link(self, actor: UUID, partnership_id: UUID, participant_id: UUID) -> None:
        """A member's new private link, by a chair of their partnership; the old one stops working."""
        participant = self._member(partnership_id, participant_id)
        participant.reissue_private_link(
            number=participant.private_link + 1, partnership_id=partnership_id, recorded_by=actor
        )
        self.save(participant)

    def revoke_private_link(self, actor: UUID, partnership_id: UUID, participant_id: UUID) -> None:
        """A member's private link stops working, and none replaces it until one is reissued."""
        participant = self._member(partnership_id, participant_id)
        if not participant.private_link_revoked:  # revoked already (from another tab): nothing to do
            participant.revoke_private_link(partnership_id=partnership_id, recorded_by=actor)
            self.save(participant)

    def _member(self, partnership_id: UUID, participant_id: UUID) -> Participant:
        """A member of this partnership: its chair may not change the links of anyone else's."""
        partnership = self._get(Partnership, partnership_id)
        participant = self._get(Participant, participant_id)
        problems = Problems()
        if not partnership.is_member(participant_id):
            problems.add("participant", "Choose a member of this partnership")
        participant.check_not_erased(problems, "participant")
        problems.raise_if_any()
        return participant

    def form_partnership(self, actor: UUID, name: str) -> UUID:
        Partnership.check_name(name)
        partnership = Partnership(name=name.strip(), recorded_by=actor)
        self.save(partnership)
        return partnership.id

    def add_member(self, actor: UUID, partnership_id: UUID, participant_id: UUID, joined_on: date) -> None:
        partnership = self._get(Partnership, partnership_id)
        participant = self._get(Participant, participant_id)
        problems = Problems()
        check_not_in_future(problems, "joined_on", joined_on, self.today(), "The date they joined")
        problems.raise_if_any()
        if not partnership.is_member(participant_id):
            partnership.add_member(
                participant_id=participant_id,
                stakeholder_group=participant.stakeholder_group,
                joined_on=joined_on,
                recorded_by=actor,
            )
            self.save(partnership)

    def correct_member_name(
        self,
        actor: UUID,
        partnership_id: UUID,
        participant_id: UUID,
        name: str,
        reason: str,
        happened_on: date,
    ) -> None:
        """A member's name was recorded wrong: corrected by their partnership's chair, with a reason."""
        partnership = self._get(Partnership, partnership_id)
        participant = self._get(Participant, participant_id)
        problems = Problems()
        if not partnership.is_member(participant_id):
            problems.add("name", "Choose one of this partnership's members")
        participant.check_not_erased(problems, "name")
        if not name.strip():
            problems.add("name", "Enter the participant's name or a pseudonym")
        elif name.strip() == participant.name:
            problems.add("name", "The corrected name is the same as the recorded one")
        check_length(problems, "name", name, NAME, "The name")
        check_correction_reason(problems, reason, happened_on, self.today())
        problems.raise_if_any()
        participant.correct_name(
            name=name.strip(),
            previous_name=participant.name,
            partnership_id=partnership_id,
            reason=reason.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(participant)

    def correct_member_email(
        self,
        actor: UUID,
        partnership_id: UUID,
        participant_id: UUID,
        email: str,
        reason: str,
        happened_on: date,
    ) -> None:
        """A member's email address was recorded wrong: corrected by their partnership's chair, with
        a reason. Only an address recorded can be corrected; whether to be emailed stays theirs."""
        partnership = self._get(Partnership, partnership_id)
        participant = self._get(Participant, participant_id)
        email = email.strip()
        problems = Problems()
        if not partnership.is_member(participant_id):
            problems.add("email", "Choose one of this partnership's members")
        participant.check_not_erased(problems, "email")
        if participant.email is None:
            problems.add(
                "email",
                "No email address is recorded for this member: they can give one on their My input page",
            )
        elif not email:
            problems.add("email", "Enter the email address as it should have been recorded")
        elif not is_one_address(email):
            problems.add("email", EMAIL_FORMAT)
        elif email == participant.email:
            problems.add("email", "The corrected address is the same as the recorded one")
        check_correction_reason(problems, reason, happened_on, self.today())
        problems.raise_if_any()
        assert participant.email is not None
        participant.correct_email(
            email=email,
            previous_email=participant.email,
            partnership_id=partnership_id,
            reason=reason.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(participant)

    def correct_member_group(
        self,
        actor: UUID,
        partnership_id: UUID,
        participant_id: UUID,
        stakeholder_group: str,
        reason: str,
        happened_on: date,
    ) -> None:
        """A member's stakeholder group was recorded wrong: corrected by their partnership's chair,
        with a reason. Decisions taken from now on name the corrected group."""
        partnership = self._get(Partnership, partnership_id)
        participant = self._get(Participant, participant_id)
        problems = Problems()
        if not partnership.is_member(participant_id):
            problems.add("stakeholder_group", "Choose one of this partnership's members")
        participant.check_not_erased(problems, "stakeholder_group")
        if stakeholder_group not in STAKEHOLDER_GROUPS:
            problems.add("stakeholder_group", "Choose the participant's stakeholder group")
        elif stakeholder_group == participant.stakeholder_group:
            problems.add("stakeholder_group", "The corrected group is the same as the recorded one")
        check_correction_reason(problems, reason, happened_on, self.today())
        problems.raise_if_any()
        participant.correct_stakeholder_group(
            stakeholder_group=stakeholder_group,
            previous_group=participant.stakeholder_group,
            partnership_id=partnership_id,
            reason=reason.strip(),
            happened_on=happened_on,
            recorded_by=actor,
        )
        self.save(participant)

    def change_thresholds(
        self, actor: UUID, partnership_id: UUID, reason: str, happened_on: date, **changes: float
    ) -> None:
        """The thresholds the partnership's policies are judged by from now on, and why; a threshold
        not named keeps its value."""
        partnership = self._get(Partnership, partnership_id)
        values = partnership.thresholds_with(changes, reason, happened_on, self.today())
        partnership.change_thresholds(
            values=values, reason=reason.strip(), happened_on=happened_on, recorded_by=actor
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
