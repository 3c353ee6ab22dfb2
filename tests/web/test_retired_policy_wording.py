"""A retired policy's stage timeline says it was retired, not that its cycle was closed or that it is
at a stage now (found by a first-time reader of the demo's retired SEND strategy)."""

from __future__ import annotations

from tests.transparency_story import published_with_input


def test_a_retired_policy_is_retired_at_its_stage_and_never_reached_the_rest(client, public_client, story):
    published_with_input(story)
    story.app.retire_policy(story.actor, story.policy, "Replaced by the 2027 policy", story.today)
    for page in (
        client.get(f"/policies/{story.policy}").get_data(as_text=True),
        public_client.get(f"/public/policies/{story.policy}").get_data(as_text=True),
    ):
        assert "Retired at <strong>" in page and "Now at" not in page
        assert "(the stage it was retired at)" in page and "(current stage)" not in page
        assert "not reached: the policy was retired before it" in page
        assert "the cycle was closed before it" not in page


def test_a_policy_in_force_is_still_now_at_its_current_stage(client, story):
    page = client.get(f"/policies/{story.policy}").get_data(as_text=True)
    assert "Now at <strong>" in page and "(current stage)" in page and "retired" not in page.lower()
