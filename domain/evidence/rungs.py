"""The rung of a participation ladder that the events of one stage support, to compare claims with.

Two ladders: Wokingham's seven-rung co-production ladder, from coercing and instructing ("doing to")
through informing, consulting and engaging to co-designing and co-producing (seed 004, Wokingham SEND
co-production guidance and quality indicators); and Hart's ladder of children's participation, whose
lowest three rungs are non-participation (seed 001, *Co-Production Ways of Working*, the Manchester SEND
charter). Criterion 7 flags a claimed rung higher than the one shown here.
"""

from __future__ import annotations

from domain.evidence.facts import ClaimFact, ContributionFact, DecisionFact, PolicyFacts
from domain.vocabulary import HART_LADDER

# The lowest rungs: "doing to" on Wokingham's ladder; non-participation on Hart's.
DOING_TO = {("wokingham", "coercing"), ("wokingham", "instructing")} | {
    ("hart", r.code) for r in HART_LADDER if r.group == "non-participation"
}


def evidenced_rung(facts: PolicyFacts, cycle: int, stage: str) -> str:
    """The highest Wokingham rung the events of one stage support (seed 004's ladder).

    co-producing: every decision of the stage had a citizen among its decision makers, and none was
    taken before citizens took part (criterion 3 passes for the stage). co-designing: citizens were
    among the decision makers of some of its decisions, or their input shaped a decision: adopted or
    adapted and cited by a decision of the stage taken on or after it. engaging: citizens were
    present when a decision of the stage was taken, or their input was answered before the stage's
    last decision (it could still have influenced it). consulting: citizens' input was asked for and
    given, but only after the decisions, or it shaped none. informing: nothing more than being told.
    Input that arrives after the decision it is about never lifts the rung above consulting: an
    answered consultation on a decision already taken is consultation (Needham & Carr, seed 000).
    """
    stage_facts = facts.scoped(cycle, stage)
    decisions = stage_facts.decisions
    citizen_input = [c for c in stage_facts.contributions if c.by_citizen]
    if decisions and all(d.has_citizen_maker for d in decisions):
        if not stage_facts.decided_before_citizens():  # criterion 3 passes for the stage
            return "co_producing"
    if any(d.has_citizen_maker for d in decisions) or any(_shaped(c, decisions) for c in citizen_input):
        return "co_designing"
    last_decision = max((d.happened_on for d in decisions), default=None)
    if any(d.citizens_present for d in decisions) or any(
        c.responded_on is not None and last_decision is not None and c.responded_on <= last_decision
        for c in citizen_input
    ):
        return "engaging"
    if citizen_input:
        return "consulting"
    return "informing"


def _shaped(contribution: ContributionFact, decisions: tuple[DecisionFact, ...]) -> bool:
    """Adopted or adapted, and cited by a decision taken on or after the day it was given."""
    return contribution.response in ("adopted", "adapted") and any(
        contribution.id in d.cites and d.happened_on >= contribution.happened_on for d in decisions
    )


def evidenced_hart_rung(facts: PolicyFacts, cycle: int, stage: str) -> tuple[str | None, str]:
    """The highest rung of Hart's ladder (seed 001) the events of one stage support, for young people.

    adult-initiated, shared decisions: a young person was among the decision makers; consulted and
    informed: young people's input was answered; assigned but informed: they contributed, or were
    told of a decision; tokenism: they were only present. Rungs 7 and 8 need the young people to have
    started the activity, which no event records, so a claim of them is compared with rung 6.
    """
    stage_facts = facts.scoped(cycle, stage)
    said = [c for c in stage_facts.contributions if c.group == "young_person"]
    if any("young_person" in d.maker_groups for d in stage_facts.decisions):
        return "adult_initiated_shared", ""
    if any(c.response for c in said):
        return "consulted_and_informed", ""
    if said:
        return "assigned_but_informed", ": young people's input has not been answered"
    if any("young_person" in d.present_groups for d in stage_facts.decisions):
        return "tokenism", ": young people were present, but did not contribute or decide"
    return None, "no young person took part in this stage"


def why_not_co_producing(facts: PolicyFacts, claim: ClaimFact) -> str:
    """What the events of a claim's stage lack for co-producing, said after the rung they show."""
    stage = facts.scoped(claim.cycle, claim.stage)
    if not any(c.by_citizen for c in stage.contributions) and not any(
        d.has_citizen_maker for d in stage.decisions
    ):
        return ": no citizen contributed to or decided anything in this stage"
    # A decision came before the consultation when a citizen contributed to its stage later than it.
    last_input = max((c.happened_on for c in stage.contributions if c.by_citizen), default=None)
    early = [
        d
        for d in stage.decisions
        if last_input is not None and last_input > d.happened_on and not d.has_citizen_maker
    ]
    if early:
        return ": the decision was taken before the consultation opened"
    if not all(d.has_citizen_maker for d in stage.decisions):
        return ": some of the stage's decisions had no citizen among the decision makers"
    return ""
