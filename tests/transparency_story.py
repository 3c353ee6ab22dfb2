"""A published policy as the public page tests meet it: Riverside's EHE policy with input that must
never reach the public, from a canary contributor under a canary pseudonym, in canary words.

Every contribution says "Periwinkle", and no response or decision does, so the word on a public
page can only have come from a contributor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.decisions import VoteTally
from tests.story import Riverside

CANARY_NAME = "Zebedee Quill"
CANARY_PSEUDONYM = "Marmalade Fox"
CANARY_WORD = "Periwinkle"
DISSENT = "Tom thinks the letter should go"
# Everyone named in the story, and who recorded it: none of them may appear on a public page.
NAMES = [CANARY_NAME, CANARY_PSEUDONYM, "Amira", "Tom", "Daniel", "Sophie", "Grace", "Local operator"]
ADAPTED = "We rewrote the letter with families before sending it"
NOT_ADOPTED = "The hall closes at six, so we meet at five"


@dataclass
class Published:
    decision: UUID
    vote: UUID
    said: UUID


def published_with_input(story: Riverside, publish: bool = True) -> Published:
    """Three contributions (adapted, not adopted, awaiting), a decision citing one with a note of
    dissent, a vote, and the policy's transparency page published."""
    app, actor, people, today = story.app, story.actor, story.people, story.today
    canary = app.register_participant(actor, CANARY_NAME, "home_educator")
    app.add_member(actor, story.partnership, canary, joined_on=today - timedelta(days=50))
    said = app.submit_contribution(
        actor,
        story.policy,
        canary,
        "concern",
        f"{CANARY_WORD}: the register letter frightens families",
        "survey",
        happened_on=today - timedelta(days=10),
        pseudonym=CANARY_PSEUDONYM,
    )
    in_the_room = app.submit_contribution(
        actor,
        story.policy,
        people["amira"],
        "suggestion",
        f"Hold the meetings at six in the evening, {CANARY_WORD} Hall",
        "meeting",
        meeting_id=story.meeting,
    )
    app.submit_contribution(
        actor,
        story.policy,
        people["tom"],
        "view",
        f"{CANARY_WORD} families want a named contact",
        "email",
        happened_on=today - timedelta(days=5),
    )
    app.respond_to_contribution(actor, said, "adapted", ADAPTED, people["daniel"], today)
    app.respond_to_contribution(actor, in_the_room, "not_adopted", NOT_ADOPTED, people["daniel"], today)
    decision = story.decide(
        text="Rewrite the register letter with families",
        cites=[said],
        dissent=[{"by": people["tom"], "note": DISSENT}],
    )
    vote = story.decide(
        text="Meet at five in the afternoon",
        method="vote",
        decided_by=[people[n] for n in ("amira", "tom", "daniel", "sophie")],
        votes=VoteTally(3, 1, 0),
    )
    if publish:
        app.publish_transparency_page(actor, story.policy)
    return Published(decision, vote, said)
