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


CONTRIBUTION_KINDS: dict[str, str] = {
    "view": "View",
    "suggestion": "Suggestion",
    "concern": "Concern",
}

CHANNELS: dict[str, str] = {
    "meeting": "At a meeting",
    "survey": "Survey",
    "workshop": "Workshop",
    "email": "Email",
    "online": "Online, in Cotrace",  # given by the participant themself, signed in
    "other": "Other",
}

# "You said, we did": how a contribution was answered.
RESPONSES: dict[str, str] = {
    "adopted": "Adopted",
    "adapted": "Adapted",
    "not_adopted": "Not adopted",
}

ACCESS_ADJUSTMENTS: dict[str, str] = {
    "time": "Time",
    "place": "Place",
    "format": "Format",
    "support": "Support",
}

RAG_RATINGS: dict[str, str] = {"red": "Red", "amber": "Amber", "green": "Green"}


@dataclass(frozen=True)
class Rung:
    code: str
    label: str
    group: str  # on the Wokingham ladder: doing to, doing for, doing with
    height: int  # 1 is the lowest rung


# Wokingham's co-production ladder (seed 004, after TLAP): the default.
WOKINGHAM_LADDER: tuple[Rung, ...] = (
    Rung("coercing", "Coercing", "doing to", 1),
    Rung("instructing", "Instructing", "doing to", 2),
    Rung("informing", "Informing", "doing for", 3),
    Rung("consulting", "Consulting", "doing for", 4),
    Rung("engaging", "Engaging", "doing for", 5),
    Rung("co_designing", "Co-designing", "doing with", 6),
    Rung("co_producing", "Co-producing", "doing with", 7),
)

# Hart's ladder of children's participation (seed 001): for children and young people.
# The lowest three rungs are non-participation.
HART_LADDER: tuple[Rung, ...] = (
    Rung("manipulation", "Manipulation", "non-participation", 1),
    Rung("decoration", "Decoration", "non-participation", 2),
    Rung("tokenism", "Tokenism", "non-participation", 3),
    Rung("assigned_but_informed", "Assigned but informed", "participation", 4),
    Rung("consulted_and_informed", "Consulted and informed", "participation", 5),
    Rung("adult_initiated_shared", "Adult-initiated, shared decisions with young people", "participation", 6),
    Rung("young_people_initiated", "Young people initiated and directed", "participation", 7),
    Rung(
        "young_people_initiated_shared",
        "Young people initiated, shared decisions with adults",
        "participation",
        8,
    ),
)

LADDERS: dict[str, tuple[Rung, ...]] = {"wokingham": WOKINGHAM_LADDER, "hart": HART_LADDER}
LADDER_LABELS: dict[str, str] = {
    "wokingham": "Wokingham co-production ladder",
    "hart": "Hart's ladder of participation (children and young people)",
}


def rung(ladder: str, code: str) -> Rung:
    return next(r for r in LADDERS[ladder] if r.code == code)


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
