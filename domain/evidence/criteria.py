"""The evidence of co-production: seven criteria, each judged from the facts (the level is in level.py).

Everything here is computed from facts the events recorded (who took part, who decided, what was
answered and when), never from a level anyone typed in. Each verdict carries the figures behind it
and the positions, in the log, of the events that prove it, so an auditor can follow it into the
audit trail. The verdict judges the institution's practice, never a person: no participant is
scored, named or labelled here (seed 002: parents must not be blamed for not engaging).

Sources, numbered as the rules below cite them: seed 000, Educational Freedom, *Co-Production
Guidelines* for Elective Home Education (the Iriss cycle; Needham & Carr's three levels; "from the
initial concept ... as key decision makers"; consultation versus co-production); seed 001,
*Co-Production Ways of Working*, the Manchester SEND charter (Hart's ladder); seed 002, the SEN Policy
Research Forum's *What exactly is co-production?* (responsiveness and timely communication); seed 003,
Buckinghamshire's SEND co-production toolkit ("done with people, not to people"); seed 004, Wokingham's
SEND co-production guidance and quality indicators (the ladder; "no one voice drowns out the others";
"you said, we did"; no element in instructing or coercing).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from domain.evidence.facts import ContributionFact, DecisionFact, PolicyFacts
from domain.evidence.numbers import counted, of_total, was
from domain.evidence.rungs import DOING_TO, evidenced_hart_rung, evidenced_rung, why_not_co_producing
from domain.evidence.thresholds import DEFAULT_THRESHOLDS, Thresholds
from domain.evidence.verdicts import FAIL, IN_PROGRESS, NOT_APPLICABLE, PASS, Scope, Verdict
from domain.vocabulary import STAGES, group_label, is_citizen, rung, stage_label


def from_conception(facts: PolicyFacts, scope: Scope) -> Verdict:
    """1. From conception: citizens initiated the policy, or took part in its co-commission stage.

    Seed 000: co-production runs "from the initial concept"; Needham & Carr's transformational
    level lets people "help develop policy from the point of conception".
    """
    title = "From conception"
    if scope.stage not in (None, "co_commission"):
        return Verdict("from_conception", title, NOT_APPLICABLE, ("Judged at co-commission only",))
    if facts.initiated_by == "citizens" and scope.cycle in (None, 1):
        return Verdict(
            "from_conception", title, PASS, ("Citizens initiated the policy",), (facts.started_ref,)
        )
    # The co-commission of the cycle judged: a later cycle must involve citizens again.
    at_commission = facts.scoped(scope.cycle, "co_commission")
    contributions = [c for c in at_commission.contributions if c.by_citizen]
    makers = [d for d in at_commission.decisions if d.has_citizen_maker]
    present = [d for d in at_commission.decisions if d.citizens_present]
    decided = len(at_commission.decisions)
    figures = (
        f"{counted(len(contributions), 'citizen contribution')} at co-commission",
        f"{of_total(len(makers), decided, 'co-commission decision')} had a citizen decision maker",
        f"{of_total(len(present), decided, 'co-commission decision')} {was(len(present), decided)} "
        "taken with citizens present",
    )
    refs = tuple(x.ref for x in [*contributions, *makers, *present])
    if refs:
        return Verdict("from_conception", title, PASS, figures, refs)
    if (
        not at_commission.decisions
        and not at_commission.contributions
        and facts.stages[-1:]
        and (facts.stages[-1].stage == "co_commission")
    ):
        return Verdict("from_conception", title, IN_PROGRESS, ("Co-commission is under way", *figures))
    return Verdict(
        "from_conception",
        title,
        FAIL,
        ("The authority initiated the policy and no citizen took part in co-commission", *figures),
        _absence(at_commission),
    )


def key_decision_makers(
    facts: PolicyFacts, scope: Scope, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Verdict:
    """2. Key decision makers: in every stage, citizens are among the decision makers, not only present.

    Seed 000: "key decision makers"; consultation, where "all the decisions have already been made",
    is not co-production. Threshold: `key_decision_share` of each stage's decisions.
    """
    title = "Citizens are key decision makers"
    if not facts.decisions:
        return Verdict("key_decision_makers", title, IN_PROGRESS, ("No decision recorded yet",))
    figures, failing, refs = [], [], []
    for (cycle, stage), decisions in _by_stage(facts.decisions).items():
        with_citizens = [d for d in decisions if d.has_citizen_maker]
        share = of_total(len(with_citizens), len(decisions), "decision")
        figures.append(
            f"{share} in cycle {cycle}, {stage_label(stage)} had a citizen among the decision makers"
        )
        refs.extend(d.ref for d in decisions)
        if len(with_citizens) < thresholds.key_decision_share * len(decisions):
            failing.append(f"cycle {cycle}, {stage_label(stage)}")
    status = FAIL if failing else PASS
    if failing:
        figures.insert(0, f"Below {thresholds.key_decision_share:.0%} in {', '.join(failing)}")
    return Verdict("key_decision_makers", title, status, tuple(figures), tuple(refs))


def not_after_the_fact(facts: PolicyFacts, scope: Scope) -> Verdict:
    """3. Not a review after the fact: no decision of a stage came before citizens took part in it.

    Needham & Carr's intermediate level is input "in the form of 'reviews' after decisions have
    already been made" (seed 000). A decision counts as preceded by citizens when, in its stage,
    a citizen contributed on or before its date, was present when it was taken, or took it.
    """
    title = "Not a review after the fact"
    if not facts.decisions:
        return Verdict("not_after_the_fact", title, IN_PROGRESS, ("No decision recorded yet",))
    early = facts.decided_before_citizens()
    figures = [
        f"{of_total(len(facts.decisions) - len(early), len(facts.decisions), 'decision')} "
        "came after citizens took part in their stage"
    ]
    if early:
        citizen_input: dict[tuple[int, str], list[ContributionFact]] = {}
        for c in facts.contributions:
            if c.by_citizen:
                citizen_input.setdefault((c.cycle, c.stage), []).append(c)
        later_input = [
            c
            for d in early
            for c in citizen_input.get((d.cycle, d.stage), ())
            if c.happened_on > d.happened_on
        ]
        if later_input:
            one = len(later_input) == 1
            figures.append(
                f"{counted(len(later_input), 'citizen contribution')} {was(len(later_input))} invited "
                f"only after the decision {'it was' if one else 'they were'} about"
            )
        return Verdict(
            "not_after_the_fact",
            title,
            FAIL,
            tuple(figures),
            tuple(d.ref for d in early) + tuple(c.ref for c in later_input),
        )
    return Verdict("not_after_the_fact", title, PASS, tuple(figures), tuple(d.ref for d in facts.decisions))


def influence(
    facts: PolicyFacts, scope: Scope, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Verdict:
    """4. Influence: citizens' contributions all get a timely response, and a real share changes things.

    Seed 004's "you said, we did"; seed 002: responsiveness and timely communication matter more
    than standards. Every citizen contribution is answered within `timely_response_days` (one still
    inside that window is not yet late), and at least `influence_share` of the answered ones were
    adopted or adapted and cited by a decision.
    """
    title = "Influence, with timely responses"
    citizen = [c for c in facts.contributions if c.by_citizen]
    if not citizen:
        deciding = [d for d in facts.decisions if d.has_citizen_maker]
        if scope.stage or deciding:
            # Citizens who take the decisions themselves influence them without a contribution to answer.
            among = f"Citizens were among the decision makers of {counted(len(deciding), 'decision')}"
            figures = ("No citizen contribution recorded",) + ((among,) if deciding else ())
            return Verdict("influence", title, NOT_APPLICABLE, figures, tuple(d.ref for d in deciding))
        return Verdict(
            "influence",
            title,
            FAIL,
            ("No citizen contribution recorded, and no citizen decided",),
            _absence(facts),
        )
    answered = [c for c in citizen if c.response]
    late = [
        c
        for c in citizen
        if (c.responded_on or today) > c.happened_on
        and ((c.responded_on or today) - c.happened_on).days > thresholds.timely_response_days
    ]
    cited = {cid for d in facts.decisions for cid in d.cites}
    influential = [c for c in answered if c.response in ("adopted", "adapted") and c.id in cited]
    figures = (
        f"{of_total(len(answered), len(citizen), 'citizen contribution')} "
        f"{was(len(answered), len(citizen))} answered",
        f"{counted(len(late), 'contribution')} answered, or still waiting, "
        f"after more than {counted(thresholds.timely_response_days, 'day')}",
        f"{of_total(len(influential), len(answered), 'answered contribution')} "
        f"{was(len(influential), len(answered))} adopted or adapted and cited by a decision",
    )
    refs = tuple(c.ref for c in citizen) + tuple(c.response_ref for c in answered if c.response_ref)
    if late or (answered and len(influential) < thresholds.influence_share * len(answered)):
        return Verdict("influence", title, FAIL, figures, refs)
    if not answered:
        return Verdict("influence", title, IN_PROGRESS, figures, refs)
    return Verdict("influence", title, PASS, figures, refs)


def balance(facts: PolicyFacts, scope: Scope, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """5. Balance: no one voice drowns out the others, in both directions.

    Seed 004: "working together where no one voice drowns out the others". It fails when one
    stakeholder group holds more than `dominance_share` of the attendance at the meetings that took
    this policy's decisions, or of the decision makers' seats; and it fails when citizens as a whole
    hold less than `citizen_share` of either. Twelve officers of four services and one parent are
    no balance, though no single service dominates: Hart's "decoration" (seed 001).
    """
    title = "Balance between groups"
    attendance = Counter(g for d in facts.decisions if not d.outside_meeting for g in d.present_groups)
    seats = Counter(g for d in facts.decisions for g in d.maker_groups)
    if not seats:
        return Verdict("balance", title, IN_PROGRESS, ("No decision recorded yet",))
    figures, dominant, too_few = [], [], []
    for what, counts in (("attendance", attendance), ("decision makers' seats", seats)):
        total = sum(counts.values())
        if not total:
            continue
        group, most = counts.most_common(1)[0]
        citizens = sum(n for g, n in counts.items() if is_citizen(g))
        figures.append(
            f"Largest share of {what}: {group_label(group)}, {most} of {total} ({most / total:.0%})"
        )
        figures.append(f"Citizens' share of {what}: {citizens} of {total} ({citizens / total:.0%})")
        if most > thresholds.dominance_share * total:
            dominant.append(f"{group_label(group)} in {what}")
        if citizens < thresholds.citizen_share * total:
            too_few.append(what)
    if too_few:
        figures.insert(
            0, f"Citizens hold less than {thresholds.citizen_share:.0%} of {' and of '.join(too_few)}"
        )
    if dominant:
        figures.insert(0, f"More than {thresholds.dominance_share:.0%}: {'; '.join(dominant)}")
    unbalanced = dominant or too_few
    return Verdict(
        "balance", title, FAIL if unbalanced else PASS, tuple(figures), tuple(d.ref for d in facts.decisions)
    )


def whole_cycle(facts: PolicyFacts, scope: Scope) -> Verdict:
    """6. The whole cycle: co-production is continual (seed 000: the Iriss cycle, "from the initial
    concept, through design, implementation and assessment").

    A cycle is complete when it went through the four stages in order, its co-assess stage had
    citizens in it (a citizen contributed, was present at a deciding meeting, or decided), and that
    assessment was followed by a next cycle or by the policy's retirement. A cycle is broken when it
    was closed (a next cycle opened, or the policy retired) before its co-assess stage, when it
    skipped a stage, or when its co-assess stage closed with no citizen in it: an assessment of
    citizens' policy without them. The policy passes when at least one cycle is complete and none
    is broken; it is in progress while none has finished and none is broken; it fails when any is
    broken. One cycle: pass when complete, in progress while open, fail when broken. `facts` are the
    whole policy's, so a cycle can be seen to have been followed by the next.
    """
    title = "The whole cycle"
    if scope.stage is not None:
        return Verdict("whole_cycle", title, NOT_APPLICABLE, ("Judged per cycle",))
    if not facts.stages:
        return Verdict("whole_cycle", title, IN_PROGRESS, ("No stage recorded yet",))
    last_cycle = max(s.cycle for s in facts.stages)
    cycles = [scope.cycle] if scope.cycle else sorted({s.cycle for s in facts.stages})
    figures: list[str] = []
    broken: list[str] = []
    complete: list[int] = []
    for cycle in cycles:
        reached = [s.stage for s in facts.stages if s.cycle == cycle]
        closed = cycle < last_cycle or facts.retired_on is not None
        figures.append(
            f"Cycle {cycle}: {', '.join(stage_label(s) for s in reached)}{'' if closed else ' (open)'}"
        )
        never = [stage_label(s) for s in STAGES if s not in reached]
        if closed and never:
            figures.append(f"Cycle {cycle} never reached: {', '.join(never)}")
        if reached != list(STAGES[: len(reached)]):
            broken.append(f"Cycle {cycle} skipped a stage")
        elif closed and len(reached) < len(STAGES):
            broken.append(f"Cycle {cycle} was closed before co-assess")
        elif closed and not _citizens_in(facts.scoped(cycle, "co_assess")):
            broken.append(f"Cycle {cycle}'s co-assess stage had no citizen in it")
        elif closed:
            complete.append(cycle)
    refs = tuple(s.ref for s in facts.stages if s.cycle in cycles) or (facts.started_ref,)
    if broken:
        return Verdict("whole_cycle", title, FAIL, (*broken, *figures), refs)
    if complete:
        done = ", ".join(str(c) for c in complete)
        return Verdict("whole_cycle", title, PASS, (f"Complete: cycle {done}", *figures), refs)
    return Verdict("whole_cycle", title, IN_PROGRESS, (f"Cycle {last_cycle} is open", *figures), refs)


def _citizens_in(stage: PolicyFacts) -> bool:
    """A citizen contributed to the stage, was present when one of its decisions was taken, or decided."""
    return any(c.by_citizen for c in stage.contributions) or any(
        d.citizens_present or d.has_citizen_maker for d in stage.decisions
    )


def no_doing_to(facts: PolicyFacts, scope: Scope) -> Verdict:
    """7. No doing-to: no activity sits at instructing or coercing, and claims match the evidence.

    Seed 004: when co-production is achieved, "no elements will fall into the 'Instruction or
    coercing' section"; on Hart's ladder (seed 001) the lowest three rungs are non-participation.
    A claimed rung higher than the evidence supports is flagged, with what the evidence shows.
    """
    title = "No doing-to"
    if not facts.claims:
        return Verdict("no_doing_to", title, PASS, ("No rung claimed",), _absence(facts))
    doing_to = [c for c in facts.claims if (c.ladder, c.rung) in DOING_TO]
    flags = []
    # What the evidence of a stage shows depends on the stage alone: judged once for all its claims.
    shown_in: dict[tuple[bool, int, str], tuple[str | None, str]] = {}
    for claim in facts.claims:
        key = (claim.ladder == "wokingham", claim.cycle, claim.stage)
        if key not in shown_in:
            if claim.ladder == "wokingham":
                shown_in[key] = (
                    evidenced_rung(facts, claim.cycle, claim.stage),
                    why_not_co_producing(facts, claim),
                )
            else:
                shown_in[key] = evidenced_hart_rung(facts, claim.cycle, claim.stage)
        shown, why = shown_in[key]
        if shown is None:
            flags.append(
                f"'{claim.activity}' (cycle {claim.cycle}, {stage_label(claim.stage)}): claimed "
                f"{rung(claim.ladder, claim.rung).label.lower()}; {why}"
            )
        elif rung(claim.ladder, claim.rung).height > rung(claim.ladder, shown).height:
            flags.append(
                f"'{claim.activity}' (cycle {claim.cycle}, {stage_label(claim.stage)}): claimed "
                f"{rung(claim.ladder, claim.rung).label.lower()}; "
                f"evidence shows {rung(claim.ladder, shown).label.lower()}{why}"
            )
    figures = (
        f"{counted(len(facts.claims), 'rung')} claimed; "
        f"{len(doing_to)} at instructing, coercing or non-participation",
        f"{len(flags)} claimed higher than the evidence supports",
    )
    refs = tuple(c.ref for c in facts.claims)
    return Verdict("no_doing_to", title, FAIL if doing_to else PASS, figures, refs, tuple(flags))


def _absence(facts: PolicyFacts) -> tuple[int, ...]:
    """The events that show an absence (DESIGN.md: a verdict with no event of its own links to the
    policy's start and its decisions), so that even "nothing was recorded" can be checked in the trail."""
    return (facts.started_ref, *(d.ref for d in facts.decisions))


def _by_stage(decisions: tuple[DecisionFact, ...]) -> dict[tuple[int, str], list[DecisionFact]]:
    grouped: dict[tuple[int, str], list[DecisionFact]] = {}
    for decision in sorted(decisions, key=lambda d: (d.cycle, STAGES.index(d.stage))):
        grouped.setdefault((decision.cycle, decision.stage), []).append(decision)
    return grouped
