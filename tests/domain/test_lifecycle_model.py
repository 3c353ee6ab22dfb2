"""The policy and decision lifecycle against a simple model, driven by Hypothesis.

Hypothesis tries sequences of stage changes, decisions at any stage, corrections, reversals and
supersessions. After every step the aggregates must agree with the model, and a refused command
must have written nothing.
"""

from __future__ import annotations

from datetime import date

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from domain.application import Cotrace
from domain.errors import RulesBroken
from domain.vocabulary import STAGES, next_stage
from tests.story import Riverside

TODAY = date(2026, 6, 15)


class PolicyLifecycle(RuleBasedStateMachine):
    decisions = Bundle("decisions")

    def __init__(self) -> None:
        super().__init__()
        self.story = Riverside.set_up(Cotrace(today=lambda: TODAY), TODAY)
        self.stage, self.cycle = "co_commission", 1
        self.status: dict = {}  # decision id -> standing / reversed / superseded

    def attempt(self, command, allowed: bool):
        """Runs a command the model expects to succeed or be refused; a refusal writes nothing."""
        before = self.story.notifications()
        try:
            result = command()
        except RulesBroken:
            assert not allowed, "the model allowed a command the domain refused"
            assert self.story.notifications() == before
            return None
        assert allowed, "the domain allowed a command the model refuses"
        return result

    def upcoming(self) -> tuple[str, int]:
        return next_stage(self.stage, self.cycle)

    @rule(stage=st.sampled_from(STAGES))
    def enter_stage(self, stage: str) -> None:
        allowed = stage == self.upcoming()[0]
        app, story = self.story.app, self.story
        self.attempt(lambda: app.enter_stage(story.actor, story.policy, stage, TODAY), allowed)
        if allowed:
            self.stage, self.cycle = self.upcoming()

    @rule(target=decisions, stage=st.sampled_from(STAGES))
    def decide(self, stage: str):
        allowed = stage in (self.stage, self.upcoming()[0])
        decision_id = self.attempt(lambda: self.story.decide(stage=stage), allowed)
        if decision_id is None:
            return None
        if stage != self.stage:
            self.stage, self.cycle = self.upcoming()
        self.status[decision_id] = "standing"
        return decision_id

    @rule(decision=decisions)
    def correct(self, decision) -> None:
        if decision is None:
            return
        app, story = self.story.app, self.story
        text = f"Corrected wording {len(self.status)} {self.story.notifications()}"
        self.attempt(
            lambda: app.correct_decision(story.actor, decision, text, "Slip in the minutes", TODAY),
            self.status[decision] == "standing",
        )

    @rule(decision=decisions)
    def reverse(self, decision) -> None:
        if decision is None:
            return
        app, story = self.story.app, self.story
        allowed = self.status[decision] == "standing"
        self.attempt(
            lambda: app.reverse_decision(story.actor, decision, "Circumstances changed", TODAY), allowed
        )
        if allowed:
            self.status[decision] = "reversed"

    @rule(target=decisions, decision=decisions)
    def supersede(self, decision):
        if decision is None:
            return None
        allowed = self.status[decision] == "standing"
        later = self.attempt(
            lambda: self.story.decide(
                stage=self.stage,
                text="A better decision",
                supersedes=decision,
                supersession_reason="New evidence",
            ),
            allowed,
        )
        if later is None:
            return None
        self.status[decision] = "superseded"
        self.status[later] = "standing"
        return later

    @invariant()
    def policy_stands_where_the_model_says(self) -> None:
        policy = self.story.app.repository.get(self.story.policy)
        assert (policy.current.stage, policy.current.cycle) == (self.stage, self.cycle)
        cycles = [entry.cycle for entry in policy.stages]
        assert cycles == sorted(cycles)

    @invariant()
    def decisions_stand_where_the_model_says(self) -> None:
        for decision_id, status in self.status.items():
            assert self.story.app.repository.get(decision_id).status == status


PolicyLifecycle.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_policy_lifecycle = PolicyLifecycle.TestCase
