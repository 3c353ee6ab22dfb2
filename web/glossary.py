"""The words of co-production a parent carer or an auditor may not know, said in plain English: one
glossary page, and the same words in a "What does ... mean?" (GOV.UK details) where a page uses them.

The meanings follow DESIGN.md and the sources in shared/seeds: the Iriss cycle (seed 000), Needham
and Carr's three levels (seed 000), Hart's ladder (seed 001), Wokingham's ladder, its reporting
template and "you said, we did" (seed 004). One place, so a page and the glossary never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from domain.vocabulary import WOKINGHAM_LADDER

bp = Blueprint("glossary", __name__)


@dataclass(frozen=True)
class Term:
    key: str  # the glossary's anchor: /glossary#co_commission
    term: str
    meaning: str


# The four stages of the Iriss co-production cycle, in order (their codes are the stages' own).
STAGE_TERMS = (
    Term(
        "co_commission",
        "Co-commission",
        "The first stage: deciding together what is needed and what the work should set out to do, "
        "before anything is written.",
    ),
    Term(
        "co_design",
        "Co-design",
        "Working out together what the policy or service will say and how it will work.",
    ),
    Term("co_deliver", "Co-deliver", "Putting it into practice together."),
    Term(
        "co_assess",
        "Co-assess",
        "Looking back together at whether it worked. What is learnt can start the next cycle.",
    ),
)

# What each rung of Wokingham's ladder means, in the words of seed 004.
RUNG_MEANINGS = {
    "coercing": "people are made to do something, by pressure or threats",
    "instructing": "people are told what is going to happen",
    "informing": "people are given information about what is happening",
    "consulting": "people are asked what they think about something",
    "engaging": "people are given real chances to take part and to influence the direction of the work",
    "co_designing": "people sit in the groups that decide what should happen, and shape it",
    "co_producing": "everyone works as equals, from the very start of the work",
}

TERMS = (
    Term(
        "co_production",
        "Co-production",
        "Parents, carers, young people and professionals working together as equals on a policy or "
        "service, from the first idea to checking whether it worked, with families among those who decide.",
    ),
    Term(
        "cycle",
        "Cycle (the Iriss co-production cycle)",
        "Co-production is not a one-off: the work goes round four stages in order (co-commission, "
        "co-design, co-deliver, co-assess), and the assessment can start the next round, or cycle.",
    ),
    *STAGE_TERMS,
    Term(
        "citizens",
        "Citizens",
        "People who bring lived experience: home educators, parent carers and young people, as opposed "
        "to those who bring worked or trained experience (council officers, schools, health, social care).",
    ),
    Term(
        "ladder",
        "Co-production ladder",
        "A scale of how much say people had, from being made to do something at the bottom to "
        "co-producing at the top. Cotrace uses Wokingham's ladder; for children and young people, "
        "Hart's ladder of participation, whose lowest three rungs are not participation at all.",
    ),
    Term(
        "rung",
        "Rung",
        "One step of the co-production ladder. Someone can claim a rung for an activity; Cotrace also "
        "works out the highest rung the records support, and shows where a claim is higher.",
    ),
    Term(
        "doing_to_for_with",
        "Doing to, doing for, doing with",
        "The three parts of Wokingham's ladder. "
        + " ".join(f"{r.label}: {RUNG_MEANINGS[r.code]} ({r.group})." for r in WOKINGHAM_LADDER),
    ),
    Term(
        "wokingham_template",
        "Wokingham's reporting template",
        "A one-page table, from Wokingham's co-production guidance, that lists every piece of work with "
        "the level of co-production it reached, so a partnership can see at a glance where it involves "
        "families and where it does not. Cotrace's dashboard follows it.",
    ),
    Term(
        "seven_criteria",
        "The seven criteria",
        "The seven checks Cotrace makes from the records to judge whether co-production was real: "
        "1, citizens were there from the start (co-commission); 2, citizens were among those who "
        "decided; 3, they were asked before the decision, not after it; 4, every contribution got an "
        "answer in good time, and some changed what was decided; 5, no one group drowned out the "
        "others; 6, the whole cycle was gone through, assessment included; 7, no one was simply "
        "told or made to do something.",
    ),
    Term(
        "levels",
        "Basic, intermediate, transformational",
        "The three levels of co-production (Needham and Carr). Basic: families were only told. "
        "Intermediate: families had some real say, but not all seven criteria are met, for example "
        "they were asked after the decision. Transformational: all seven criteria are met: families "
        "shaped the work with professionals from the start.",
    ),
    Term(
        "tokenistic",
        "Tokenistic",
        "Involving people for show: asking them once the decision is made, or having one parent in a "
        "room of officers, so it looks like co-production but they could not change anything. "
        "The opposite of transformational.",
    ),
    Term(
        "you_said_we_did",
        "You said, we did",
        "Every contribution gets an answer: adopted (taken up), adapted (taken up in part or changed), "
        "or not adopted, with the reason why.",
    ),
)

GLOSSARY = {term.key: term for term in TERMS}


@bp.get("/glossary")
def show() -> ResponseReturnValue:
    return render_template("glossary.html", terms=TERMS)
