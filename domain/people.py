"""The people Cotrace knows: participants (who co-produce) and operators (who record).

Personal data, a participant's name and address, lives only in these aggregates (and the words of
their contributions in theirs); `domain.personal_data` names the fields, which are stored encrypted
with a key of the participant's own. Erasing a participant destroys that key: the events stay, and
read as `ERASED_NAME` and `ERASED_WORDS` from then on.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.addresses import is_one_address
from domain.errors import Problems
from domain.vocabulary import STAKEHOLDER_GROUPS
from domain.wording import NAME, check_length

EMAIL_FORMAT = "Enter an email address in the right format, like name@example.com"
LOCAL_OPERATOR_ID = uuid5(NAMESPACE_URL, "cotrace:operator:local")
ERASED_NAME = "[erased participant]"
ERASED_WORDS = "[erased with its author's data]"


class Participant(Aggregate):
    @event("Registered")
    def __init__(self, name: str, stakeholder_group: str, recorded_by: UUID) -> None:
        self.name = name
        self.stakeholder_group = stakeholder_group
        self.email: str | None = None
        self.email_consent = False
        self.erased = False
        # Which private link works: its number, signed into the link (`cotrace.private_links`).
        # The events hold the number, never the link: without the installation's secret key the
        # number opens nothing. Participants registered before links could be replaced have link 0.
        self.private_link = 0
        self.private_link_revoked = False

    @event("ContactPreferencesSet")
    def set_contact_preferences(self, email: str | None, email_consent: bool, recorded_by: UUID) -> None:
        """Follow-up by email only to an address given, with the participant's agreement."""
        self.email = email
        self.email_consent = email_consent

    @event("NameCorrected")
    def correct_name(
        self,
        name: str,
        previous_name: str,
        partnership_id: UUID,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """The name was recorded wrong (a misspelling, a pseudonym mixed up). The name it replaced,
        and the reason (which may well spell either), are personal data too: erased with the rest.
        `partnership_id`: the partnership whose chair did it, for the record."""
        self.name = name

    @event("EmailCorrected")
    def correct_email(
        self,
        email: str,
        previous_email: str,
        partnership_id: UUID,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """The address was recorded wrong (a letter mistyped). The agreement to email stays as the
        participant gave it: a correction is no one's consent. The address it replaced, and the reason
        (which may well spell either), are personal data too: erased with the rest."""
        self.email = email

    @event("StakeholderGroupCorrected")
    def correct_stakeholder_group(
        self,
        stakeholder_group: str,
        previous_group: str,
        partnership_id: UUID,
        reason: str,
        happened_on: date,
        recorded_by: UUID,
    ) -> None:
        """The group was recorded wrong (a parent carer entered as an officer): they were always of
        this one, so the evidence counts them in it from now on, for their earlier facts too. A
        group that changed (an officer who became a parent carer) is not this: it is a new fact.
        The groups are the institution's record, in clear; the reason may describe the person, and
        is erased with the rest of their personal data."""
        self.stakeholder_group = stakeholder_group

    @event("Erased")
    def erase(self, recorded_by: UUID) -> None:
        """The participant's personal data is destroyed (their key); the event itself holds none,
        so the trail keeps who they were only as their stakeholder group."""
        self.name = ERASED_NAME
        self.email = None
        self.email_consent = False
        self.erased = True
        self.private_link_revoked = True  # no link opens an erased person's page

    def check_not_erased(self, problems: Problems, field: str) -> None:
        if getattr(self, "erased", False):
            problems.add(
                field, "This participant's personal data was erased: nothing more can be recorded for them"
            )

    @event("PrivateLinkReissued")
    def reissue_private_link(self, number: int, partnership_id: UUID, recorded_by: UUID) -> None:
        """A new private link, numbered after the last: the one before stops working at once.
        `partnership_id`: the partnership whose chair did it, for the record."""
        self.private_link = number
        self.private_link_revoked = False

    @event("PrivateLinkRevoked")
    def revoke_private_link(self, partnership_id: UUID, recorded_by: UUID) -> None:
        """No private link works until one is reissued (a link sent to the wrong person, a member
        who left)."""
        self.private_link_revoked = True

    @staticmethod
    def check_contact(email: str | None, email_consent: bool) -> None:
        problems = Problems()
        if email and not is_one_address(email):
            problems.add("email", EMAIL_FORMAT)
        if email_consent and not email:
            problems.add("email", "Enter an email address to be told about responses by email")
        problems.raise_if_any()

    @staticmethod
    def check_registration(name: str, stakeholder_group: str) -> None:
        problems = Problems()
        if not name.strip():
            problems.add("name", "Enter the participant's name or a pseudonym")
        check_length(problems, "name", name, NAME, "The name")
        if stakeholder_group not in STAKEHOLDER_GROUPS:
            problems.add("stakeholder_group", "Choose the participant's stakeholder group")
        problems.raise_if_any()


class Operator(Aggregate):
    """Someone who records events. Until accounts exist there is one: the local operator."""

    @event("Created")
    def __init__(self, name: str, recorded_by: UUID) -> None:
        self.name = name

    @staticmethod
    def create_id(name: str, recorded_by: UUID) -> UUID:
        # Every operator so far is the local one; a fixed id lets `cotrace` create it exactly once.
        return recorded_by
