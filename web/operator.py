"""Who is acting: the signed-in person, whose id every command records as `recorded_by`.

The access rules (`web.access`) have already refused a request that needs someone signed in, so a
view that runs a command always has someone to name.
"""

from __future__ import annotations

from uuid import UUID

from flask import abort

from web import access


def current_actor() -> UUID:
    principal = access.current()
    if principal is None:
        abort(401)
    return principal.id
