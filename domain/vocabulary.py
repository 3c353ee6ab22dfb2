"""The words of co-production that Cotrace records, with the labels people read.

Names follow DESIGN.md. Whether a stakeholder group counts as *citizen* (lived experience) is a property
of the group: the evidence engine leans on it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StakeholderGroup:
    code: str
    label: str
    is_citizen: bool


STAKEHOLDER_GROUPS: dict[str, StakeholderGroup] = {
    group.code: group
    for group in (
        StakeholderGroup("home_educator", "Home educator", True),
        StakeholderGroup("parent_carer", "Parent carer", True),
        StakeholderGroup("young_person", "Young person", True),
        StakeholderGroup("local_authority", "Local authority", False),
        StakeholderGroup("education", "Education", False),
        StakeholderGroup("health", "Health", False),
        StakeholderGroup("social_care", "Social care", False),
        StakeholderGroup("he_organisation", "Home education organisation", False),
        StakeholderGroup("voluntary_sector", "Voluntary sector", False),
    )
}

# The Iriss co-production cycle, in the order a cycle walks it.
STAGES: tuple[str, ...] = ("co_commission", "co_design", "co_deliver", "co_assess")
STAGE_LABELS: dict[str, str] = {
    "co_commission": "Co-commission",
    "co_design": "Co-design",
    "co_deliver": "Co-deliver",
    "co_assess": "Co-assess",
}

DECISION_METHODS: dict[str, str] = {
    "consensus": "Consensus",
    "vote": "Vote",
    "delegated": "Delegated officer decision",
    "authority_only": "Authority only",
}

INITIATORS: dict[str, str] = {
    "citizens": "Citizens",
    "authority": "The authority",
}

ATTENDANCE: dict[str, str] = {
    "present": "Present",
    "apologies": "Apologies",
}


def is_citizen(group_code: str) -> bool:
    return STAKEHOLDER_GROUPS[group_code].is_citizen


def group_label(group_code: str) -> str:
    return STAKEHOLDER_GROUPS[group_code].label


def stage_label(stage: str) -> str:
    return STAGE_LABELS[stage]


def next_stage(stage: str, cycle: int) -> tuple[str, int]:
    """The stage that follows, and its cycle: an assessment opens the next cycle."""
    position = STAGES.index(stage)
    if position == len(STAGES) - 1:
        return STAGES[0], cycle + 1
    return STAGES[position + 1], cycle
