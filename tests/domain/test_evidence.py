"""The evidence engine's rules, each shown passing and failing, on facts built by hand.

The facts are what the projection would hold; building them here keeps each scenario to the point.
The scenarios through the application, on real databases, are in tests/integration/test_evidence.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import count
from typing import Any
from uuid import uuid4

from domain.evidence import (
    AS_HAPPENED,
    AS_RECORDED,
    FAIL,
    IN_PROGRESS,
    NOT_APPLICABLE,
    PASS,
    ClaimFact,
    ContributionFact,
    DecisionFact,
    PolicyFacts,
    Scope,
    StageFact,
    assess,
    assess_policy,
)

DAY = date(2026, 3, 1)
refs = count(100)


def on(days: int) -> date:
    return DAY + timedelta(days=days)


def stage(name: str, days: int, cycle: int = 1) -> StageFact:
    return StageFact(cycle, name, on(days), on(days), next(refs))


def decision(
    stage_name: str, days: int, makers: tuple[str, ...], present: tuple[str, ...] = (), **more: Any
) -> DecisionFact:
    return DecisionFact(
        id=uuid4(),
        cycle=more.pop("cycle", 1),
        stage=stage_name,
        happened_on=on(days),
        recorded_on=more.pop("recorded_on", on(days)),
        method="consensus",
        outside_meeting=False,
        maker_groups=makers,
        present_groups=present or makers,
        cites=more.pop("cites", ()),
        ref=next(refs),
    )


def contribution(stage_name: str, days: int, group: str = "home_educator", **more: Any) -> ContributionFact:
    response = more.pop("response", None)
    answered = more.pop("answered_after", 7) if response else None
    return ContributionFact(
        id=more.pop("id", uuid4()),
        cycle=1,
        stage=stage_name,
        happened_on=on(days),
        recorded_on=on(days),
        group=group,
        channel="survey",
        ref=next(refs),
        response=response,
        responded_on=on(days + answered) if response else None,
        response_recorded_on=on(days + answered) if response else None,
        response_ref=next(refs) if response else None,
    )


def co_produced() -> PolicyFacts:
    """A policy co-produced from a blank slate: citizens in every stage, answered and cited."""
    idea = uuid4()
    return PolicyFacts(
        policy_id=uuid4(),
        title="EHE policy",
        initiated_by="authority",
        started_on=DAY,
        started_ref=next(refs),
        stages=(stage("co_commission", 0), stage("co_design", 30)),
        contributions=(contribution("co_commission", 1, id=idea, response="adopted"),),
        decisions=(
            decision("co_commission", 10, ("home_educator", "local_authority"), cites=(idea,)),
            decision(
                "co_design", 40, ("parent_carer", "home_educator", "local_authority", "he_organisation")
            ),
        ),
    )


WHOLE_POLICY = Scope()
DAY_60 = on(60)


def verdict(facts: PolicyFacts, criterion: str, scope: Scope = WHOLE_POLICY, today: date = DAY_60):
    assessment = assess(facts, scope, today)
    return next(v for v in assessment.verdicts if v.criterion == criterion)


def test_a_policy_co_produced_from_a_blank_slate_is_transformational():
    assessment = assess(co_produced(), Scope(), on(60))
    assert assessment.level == "transformational", assessment
    statuses = {v.criterion: v.status for v in assessment.verdicts}
    assert statuses == {
        "from_conception": PASS,
        "key_decision_makers": PASS,
        "not_after_the_fact": PASS,
        "influence": PASS,
        "balance": PASS,
        "whole_cycle": IN_PROGRESS,
        "no_doing_to": PASS,
    }


def test_no_citizen_input_at_all_is_basic():
    facts = replace(
        co_produced(),
        contributions=(),
        decisions=(decision("co_commission", 10, ("local_authority",)),),
    )
    assert assess(facts, Scope(), on(60)).level == "basic"


def test_from_conception_fails_when_the_authority_commissioned_alone():
    facts = replace(
        co_produced(),
        contributions=(contribution("co_design", 31, response="adopted"),),
        decisions=(
            decision("co_commission", 10, ("local_authority",), present=("local_authority", "health")),
            decision("co_design", 40, ("home_educator", "local_authority")),
        ),
    )
    assert verdict(facts, "from_conception").status == FAIL
    assert assess(facts, Scope(), on(60)).level == "intermediate"


def test_from_conception_passes_when_citizens_initiated():
    facts = replace(co_produced(), initiated_by="citizens", contributions=(), decisions=())
    assert verdict(facts, "from_conception").status == PASS
    assert verdict(facts, "from_conception", Scope(1, "co_design")).status == NOT_APPLICABLE


def test_citizens_present_but_never_decision_makers_fails_key_decision_makers():
    facts = replace(
        co_produced(),
        decisions=(
            decision("co_commission", 10, ("local_authority",), present=("home_educator", "local_authority")),
            decision(
                "co_design",
                40,
                ("local_authority",),
                present=("home_educator", "parent_carer", "local_authority"),
            ),
        ),
    )
    found = verdict(facts, "key_decision_makers")
    assert found.status == FAIL
    assert "No decision in cycle 1, Co-design had a citizen among the decision makers" in found.figures
    assert assess(facts, Scope(), on(60)).level == "intermediate"


def test_a_consultation_opened_after_its_decision_is_a_review_after_the_fact():
    facts = replace(
        co_produced(),
        contributions=(contribution("co_design", 45, response="adopted"),),  # after the decision
        decisions=(
            decision("co_commission", 10, ("home_educator", "local_authority")),
            decision("co_design", 40, ("local_authority",), present=("local_authority",)),
        ),
    )
    found = verdict(facts, "not_after_the_fact")
    assert found.status == FAIL
    assert "1 citizen contribution was invited only after the decision it was about" in found.figures


def test_every_contribution_answered_but_none_adopted_is_no_influence():
    facts = replace(
        co_produced(),
        contributions=tuple(contribution("co_commission", 1, response="not_adopted") for _ in range(4)),
    )
    found = verdict(facts, "influence")
    assert found.status == FAIL
    assert "0 of 4 answered contributions were adopted or adapted and cited by a decision" in found.figures


def test_a_late_response_fails_influence_but_one_inside_the_window_is_not_late_yet():
    late = replace(
        co_produced(),
        contributions=(contribution("co_commission", 1, response="adopted", answered_after=40),),
    )
    assert verdict(late, "influence").status == FAIL
    base = co_produced()
    waiting = replace(base, contributions=(*base.contributions, contribution("co_commission", 50)))
    assert verdict(waiting, "influence", today=on(60)).status == PASS
    assert verdict(waiting, "influence", today=on(100)).status == FAIL


def test_one_group_with_most_of_the_seats_fails_balance():
    facts = replace(
        co_produced(),
        decisions=(
            decision(
                "co_commission",
                10,
                ("local_authority", "local_authority", "local_authority", "home_educator"),
            ),
        ),
    )
    found = verdict(facts, "balance")
    assert found.status == FAIL
    assert found.figures[0].startswith("More than 60%: Local authority")


def test_a_cycle_closed_without_co_assess_fails_the_whole_cycle():
    retired = replace(co_produced(), retired_on=on(50))
    assert verdict(retired, "whole_cycle").status == FAIL
    assert assess(retired, Scope(), on(60)).level == "intermediate"
    assert verdict(full_cycle_then_cycle_two(), "whole_cycle", Scope(1)).status == PASS


def full_cycle_then_cycle_two(citizens_assess: bool = True) -> PolicyFacts:
    """Cycle 1 through all four stages, assessed (with a citizen's view, or none), then cycle 2 opened."""
    facts = co_produced()
    assessed = (contribution("co_assess", 51, response="adopted"),) if citizens_assess else ()
    return replace(
        facts,
        stages=(
            *facts.stages,
            stage("co_deliver", 45),
            stage("co_assess", 50),
            stage("co_commission", 55, cycle=2),
        ),
        contributions=(*facts.contributions, *assessed),
    )


def test_a_complete_cycle_then_an_open_one_passes_the_whole_cycle():
    """DESIGN criterion 6: the open cycle 2 does not hold the whole policy "in progress" for ever."""
    facts = full_cycle_then_cycle_two()
    assert verdict(facts, "whole_cycle").status == PASS
    assert verdict(facts, "whole_cycle", Scope(2)).status == IN_PROGRESS


def test_a_co_assess_stage_without_citizens_fails_the_whole_cycle():
    """An assessment of citizens' policy without them is not a full cycle."""
    facts = full_cycle_then_cycle_two(citizens_assess=False)
    assert verdict(facts, "whole_cycle", Scope(1)).status == FAIL
    whole = verdict(facts, "whole_cycle")
    assert whole.status == FAIL
    assert "Cycle 1's co-assess stage had no citizen in it" in whole.figures
    assert whole.refs, "a failing verdict links to the events behind it"


def test_an_open_co_assess_without_citizens_yet_is_in_progress():
    facts = replace(
        co_produced(), stages=(*co_produced().stages, stage("co_deliver", 45), stage("co_assess", 50))
    )
    assert verdict(facts, "whole_cycle").status == IN_PROGRESS


def test_one_parent_among_officers_of_several_services_fails_balance():
    """No service holds 60 %, but citizens hold 1 seat in 13: Hart's decoration, not balance."""
    officers = ("local_authority",) * 3 + ("education",) * 3 + ("health",) * 3 + ("social_care",) * 3
    makers = (*officers, "parent_carer")
    facts = replace(
        co_produced(),
        decisions=(decision("co_commission", 10, makers), decision("co_design", 40, makers)),
    )
    balance = verdict(facts, "balance")
    assert balance.status == FAIL
    assert balance.figures[0] == "Citizens hold less than 25% of attendance and of decision makers' seats"


def test_input_after_the_decision_never_lifts_the_rung_above_consulting():
    """A consultation opened after the stage's only decision, answered 'adapted', cited by nothing."""
    from domain.evidence import evidenced_rung

    late = contribution("co_design", 45, response="adapted")
    facts = replace(
        co_produced(),
        contributions=(*co_produced().contributions, late),
        decisions=(co_produced().decisions[0], decision("co_design", 40, ("local_authority",))),
    )
    assert evidenced_rung(facts, 1, "co_design") == "consulting"
    cited_later = replace(
        facts, decisions=(*facts.decisions, decision("co_design", 50, ("local_authority",), cites=(late.id,)))
    )
    assert evidenced_rung(cited_later, 1, "co_design") == "co_designing"


def test_a_claim_at_instructing_fails_no_doing_to():
    claim = ClaimFact(
        "Letter to families", 1, "co_design", "wokingham", "instructing", on(41), on(41), next(refs)
    )
    facts = replace(co_produced(), claims=(claim,))
    assert verdict(facts, "no_doing_to").status == FAIL
    hart = replace(claim, ladder="hart", rung="decoration")
    assert verdict(replace(co_produced(), claims=(hart,)), "no_doing_to").status == FAIL


def test_a_claim_of_co_producing_with_no_citizen_in_co_commission_is_flagged():
    facts = replace(
        co_produced(),
        contributions=(),
        decisions=(decision("co_commission", 10, ("local_authority",), present=("local_authority",)),),
        claims=(
            ClaimFact("Scoping", 1, "co_commission", "wokingham", "co_producing", on(11), on(11), next(refs)),
        ),
    )
    found = verdict(facts, "no_doing_to")
    assert found.flags == (
        "'Scoping' (cycle 1, Co-commission): claimed co-producing; evidence shows informing: "
        "no citizen contributed to or decided anything in this stage",
    )


def test_a_claim_of_co_producing_after_a_late_consultation_says_so():
    facts = replace(
        co_produced(),
        contributions=(contribution("co_commission", 20),),
        decisions=(decision("co_commission", 10, ("local_authority",), present=("local_authority",)),),
        claims=(
            ClaimFact("Scoping", 1, "co_commission", "wokingham", "co_producing", on(21), on(21), next(refs)),
        ),
    )
    (flag,) = verdict(facts, "no_doing_to").flags
    assert "evidence shows consulting: the decision was taken before the consultation opened" in flag


def test_as_recorded_counts_only_what_had_happened_and_been_recorded():
    facts = co_produced()
    late_record = decision("co_design", 40, ("local_authority",), recorded_on=on(90))
    facts = replace(facts, decisions=(*facts.decisions, late_record))
    on_day_60 = assess_policy(facts, on(100), as_of=on(60), reading=AS_RECORDED)[0]
    assert next(v for v in on_day_60.verdicts if v.criterion == "key_decision_makers").status == PASS
    today = assess_policy(facts, on(100))[0]
    assert next(v for v in today.verdicts if v.criterion == "key_decision_makers").status == FAIL


def test_as_it_happened_counts_a_fact_recorded_later_on_the_day_it_happened():
    """The default reading: history brought in later counts on the days it happened."""
    facts = co_produced()
    late_record = decision("co_design", 40, ("local_authority",), recorded_on=on(90))
    facts = replace(facts, decisions=(*facts.decisions, late_record))
    on_day_60 = assess_policy(facts, on(100), as_of=on(60))[0]
    assert next(v for v in on_day_60.verdicts if v.criterion == "key_decision_makers").status == FAIL
    assert assess_policy(facts, on(100), as_of=on(60), reading=AS_HAPPENED) == assess_policy(
        facts, on(100), as_of=on(60)
    )


def test_as_of_a_day_before_the_policy_started_there_is_no_verdict():
    facts = replace(co_produced(), started_recorded_on=on(20))
    assert assess_policy(facts, on(100), as_of=on(-1)) == []
    assert assess_policy(facts, on(100), as_of=on(-1), reading=AS_RECORDED) == []
    # Started on day 0 but recorded on day 20: as recorded, Cotrace knew nothing on day 10.
    assert assess_policy(facts, on(100), as_of=on(10)) != []
    assert assess_policy(facts, on(100), as_of=on(10), reading=AS_RECORDED) == []


def test_every_scope_is_assessed_whole_policy_first():
    scopes = [a.scope.label for a in assess_policy(co_produced(), on(60))]
    assert scopes == ["Whole policy", "Cycle 1", "Cycle 1, Co-commission", "Cycle 1, Co-design"]


def test_a_verdict_never_names_a_person():
    for assessment in assess_policy(co_produced(), on(60)):
        for v in assessment.verdicts:
            assert all("Amira" not in figure for figure in v.figures)


def test_a_later_cycle_is_judged_on_its_own_co_commission():
    base = co_produced()
    second = replace(
        base,
        initiated_by="authority",
        stages=(
            *base.stages,
            stage("co_deliver", 45),
            stage("co_assess", 50),
            stage("co_commission", 55, cycle=2),
        ),
        decisions=(
            *base.decisions,
            decision("co_commission", 56, ("local_authority",), present=("local_authority",), cycle=2),
        ),
    )
    assert verdict(second, "from_conception", Scope(1)).status == PASS
    assert verdict(second, "from_conception", Scope(2)).status == FAIL


def test_citizens_who_decide_without_contributing_are_not_failed_on_influence():
    deciding = replace(co_produced(), contributions=())
    assert verdict(deciding, "influence").status == NOT_APPLICABLE
    nobody = replace(deciding, decisions=(decision("co_commission", 10, ("local_authority",)),))
    assert verdict(nobody, "influence").status == FAIL


def test_a_hart_claim_is_compared_with_what_young_people_did():
    base = co_produced()
    present_only = replace(
        base,
        decisions=(
            *base.decisions,
            decision(
                "co_design",
                41,
                ("parent_carer", "local_authority"),
                present=("young_person", "parent_carer", "local_authority"),
            ),
        ),
        claims=(
            ClaimFact(
                "Youth panel", 1, "co_design", "hart", "adult_initiated_shared", on(42), on(42), next(refs)
            ),
        ),
    )
    (flag,) = verdict(present_only, "no_doing_to").flags
    assert "claimed adult-initiated, shared decisions with young people; evidence shows tokenism" in flag
    deciding = replace(
        present_only,
        decisions=(*base.decisions, decision("co_design", 41, ("young_person", "local_authority"))),
    )
    assert verdict(deciding, "no_doing_to").flags == ()
    nobody = replace(base, claims=present_only.claims)
    (flag,) = verdict(nobody, "no_doing_to").flags
    assert flag.endswith("no young person took part in this stage")


def test_citizens_who_only_initiated_a_policy_had_no_input_a_level_counts():
    """DESIGN's basic: no citizen contribution, no citizen decision maker, no citizen at a deciding
    meeting. Who initiated is criterion 1's to judge (it passes), not a share in the work."""
    facts = replace(
        co_produced(),
        initiated_by="citizens",
        contributions=(),
        decisions=(decision("co_commission", 10, ("local_authority",)),),
    )
    assessment = assess(facts, Scope(), on(60))
    assert next(v for v in assessment.verdicts if v.criterion == "from_conception").status == PASS
    assert assessment.level == "basic"
