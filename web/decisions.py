"""Decision provenance, for auditors: a decision with everything it rests on and all that came after.

Read from the provenance projection only; the decision's own record is never edited, so the page
shows the original wording and each correction, reversal or supersession after it.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from projections import reads
from web import commands

bp = Blueprint("decisions", __name__)


@bp.get("/decisions/<uuid:decision_id>")
def show(decision_id: UUID) -> ResponseReturnValue:
    with commands.reading() as conn:
        decision = reads.decision_provenance(conn, decision_id)
        if decision is None:
            abort(404)
        policy = reads.policy(conn, decision["policy_id"])
        assert policy is not None, "a decision's policy is always in the directory"
        return render_template(
            "decision.html",
            decision=decision,
            policy=policy,
            partnership=reads.partnership(conn, policy["partnership_id"]),
        )
