"""A policy: its stage timeline through the Iriss cycle, and its audit trail."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template

from projections import reads
from web import commands

bp = Blueprint("policies", __name__)


@bp.get("/policies/<uuid:policy_id>")
def show(policy_id: UUID):  # noqa: ANN201
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
        if policy is None:
            abort(404)
        return render_template(
            "policy.html",
            policy=policy,
            partnership=reads.partnership(conn, policy["partnership_id"]),
            stages=reads.policy_stages(conn, policy_id),
            trail=reads.policy_trail(conn, policy_id),
        )
