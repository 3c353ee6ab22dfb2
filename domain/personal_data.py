"""Which fields of which events are personal data, and whose.

A participant's name and email address, and the words (and pseudonym) of their own contributions,
are stored encrypted with a key of that participant's own, kept outside the log
(`cotrace.personal_data`). Erasure destroys the key; the event is then read with the field as it
stands in `erased`: the trail keeps its shape (who was in which group, what was answered, cited,
decided) and loses the person. Everything else in an event (ids, groups, dates, kinds, responses,
citations) is the institution's record and stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.contributions import Contribution
from domain.people import ERASED_NAME, ERASED_WORDS, Participant


@dataclass(frozen=True)
class PersonalFields:
    erased: dict[str, Any]  # each personal field, and how it reads once its owner is erased
    owner: str = "originator_id"  # the event's attribute that names whose data it is

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.erased)


PERSONAL_DATA: dict[type, PersonalFields] = {
    Participant.Registered: PersonalFields({"name": ERASED_NAME}),
    Participant.ContactPreferencesSet: PersonalFields({"email": None}),
    Participant.NameCorrected: PersonalFields(
        {"name": ERASED_NAME, "previous_name": ERASED_NAME, "reason": ERASED_WORDS}
    ),
    Participant.EmailCorrected: PersonalFields(
        {"email": None, "previous_email": None, "reason": ERASED_WORDS}
    ),
    # The groups stay readable: the evidence is judged by them. The reason may say who the person is.
    Participant.StakeholderGroupCorrected: PersonalFields({"reason": ERASED_WORDS}),
    Contribution.Submitted: PersonalFields({"text": ERASED_WORDS, "pseudonym": None}, owner="contributor_id"),
    # The words as corrected are still the contributor's: erased with them.
    Contribution.Corrected: PersonalFields({"text": ERASED_WORDS}, owner="contributor_id"),
}
