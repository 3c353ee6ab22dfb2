"""Who is acting. Until accounts exist, every request acts as the single local operator.

This is the one place that answers the question; accounts will replace it.
"""

from __future__ import annotations

from uuid import UUID

from web import commands


def current_actor() -> UUID:
    return commands.services().operator_id
