"""Who is signed in, and what they may reach: every route has a rule here, or it is refused.

A rule names who may use an endpoint, for every method it answers. The partnership a rule asks
about is found from the address (a partnership, policy, meeting, decision or contribution id), so
"chair of this policy's partnership" is one indexed query. The route x role test
(tests/web/test_access_matrix.py) walks the URL map: a route added without a rule fails it, and is
refused in the meantime.

Roles (DESIGN: accounts): the admin runs the installation and may do anything; a chair records the
partnership's meetings, decisions and responses; a member reads its record and gives their own
input; an auditor reads everything, provenance included, and changes nothing; the public reaches
the public pages, signing in, and a participant's private link (the link is itself the key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Flask, abort, g, has_request_context, redirect, request, url_for
from flask.typing import ResponseReturnValue

from domain.accounts import AUDITOR, CHAIR, MEMBER
from projections.access import ACCOUNT, PARTICIPANT, Grants, partnership_of


@dataclass(frozen=True)
class Principal:
    """Whoever this request acts for: an account, or a participant signed in by a one-time link."""

    kind: str  # "account" or "participant"
    id: UUID
    grants: Grants
    second_factor: bool = False

    @property
    def name(self) -> str:
        return self.grants.name

    @property
    def is_admin(self) -> bool:
        return self.kind == ACCOUNT and self.grants.is_admin

    @property
    def is_participant(self) -> bool:
        return self.kind == PARTICIPANT


def current() -> Principal | None:
    """The signed-in person, or None for the public."""
    return g.get("principal")


@dataclass(frozen=True)
class Rule:
    """Who may use an endpoint: `who` says it in words (the matrix test prints it), `allows` decides."""

    who: str
    allows: Callable[[Principal | None, dict[str, Any]], bool]
    needs_sign_in: bool = True


def _partnership(view_args: dict[str, Any]) -> UUID | None:
    from web.commands import reading

    for kind in ("partnership_id", "policy_id", "meeting_id", "decision_id", "contribution_id"):
        if kind in view_args:
            with reading() as conn:
                return partnership_of(conn, kind, view_args[kind])
    return None


def _holding(who: str, *roles: str) -> Rule:
    def allows(principal: Principal | None, view_args: dict[str, Any]) -> bool:
        if principal is None:
            return False
        return principal.is_admin or principal.grants.has(_partnership(view_args), *roles)

    return Rule(who, allows)


def _own_input(principal: Principal | None, view_args: dict[str, Any]) -> bool:
    """A participant signed in, a member of the partnership the page belongs to: their own input."""
    return (
        principal is not None
        and principal.is_participant
        and principal.grants.has(_partnership(view_args), MEMBER)
    )


def _own_contribution(principal: Principal | None, view_args: dict[str, Any]) -> bool:
    """A participant signed in, and the contributor of this contribution: their receipt is theirs
    even once they have left the partnership."""
    if principal is None or not principal.is_participant or "contribution_id" not in view_args:
        return False
    from projections.reads import contribution
    from web.commands import reading

    with reading() as conn:
        found = contribution(conn, view_args["contribution_id"])
    return found is not None and found["contributor_id"] == principal.id


def _audits_anywhere(principal: Principal | None, view_args: dict[str, Any]) -> bool:
    """An admin, or an account that is an auditor or a chair of some partnership: the integrity of
    the log is the whole installation's, not one partnership's."""
    if principal is None or principal.kind != ACCOUNT:
        return False
    return principal.is_admin or any(roles & {AUDITOR, CHAIR} for roles in principal.grants.roles.values())


PUBLIC = Rule("anyone", lambda principal, view_args: True, needs_sign_in=False)
SIGNED_IN = Rule("anyone signed in", lambda principal, view_args: principal is not None)
STAFF = Rule(
    "anyone signed in with an account",
    lambda principal, view_args: principal is not None and principal.kind == ACCOUNT,
)
SIGNED_IN_PARTICIPANT = Rule(
    "participants signed in by emailed link",
    lambda principal, view_args: principal is not None and principal.is_participant,
)
ADMIN = Rule("admins", lambda principal, view_args: principal is not None and principal.is_admin)
READER = _holding("the partnership's chairs, members and auditors", CHAIR, MEMBER, AUDITOR)
AUDITOR_RULE = _holding("the partnership's chairs and auditors", CHAIR, AUDITOR)
RECORDER = _holding("the partnership's chairs", CHAIR)
CONTRIBUTOR = Rule("the partnership's own participants, signed in", _own_input)
RECEIPT = Rule(
    "the partnership's chairs, members and auditors, and the contributor signed in",
    lambda principal, view_args: (
        READER.allows(principal, view_args) or _own_contribution(principal, view_args)
    ),
)
INTEGRITY = Rule("admins, and the chairs and auditors of any partnership", _audits_anywhere)

# Every endpoint, and who may use it. Deny by default: an endpoint not named here is refused.
RULES: dict[str, Rule] = {
    "static": PUBLIC,
    "favicon": PUBLIC,
    # Private links: the address carries the participant's key; it is the participant's own.
    "my_input.show": PUBLIC,
    "my_input.set_contact_preferences": PUBLIC,
    "my_input.feed": PUBLIC,
    "my_input.unsubscribe": PUBLIC,
    "my_input.mine": SIGNED_IN,  # an account is sent on to the partnerships: it has no input
    "my_input.set_my_contact_preferences": SIGNED_IN_PARTICIPANT,
    "own_input.give": CONTRIBUTOR,
    # Signing in, and what one does with one's own account.
    "accounts.sign_in": PUBLIC,
    "accounts.second_factor": PUBLIC,  # only with a password just given (the session says so)
    "accounts.email_link": PUBLIC,
    "accounts.follow_link": PUBLIC,
    "accounts.reset_request": PUBLIC,
    "accounts.reset": PUBLIC,
    "accounts.sign_out": PUBLIC,  # signing out when already out does no harm
    "accounts.sign_out_everywhere": SIGNED_IN,
    "accounts.account": SIGNED_IN,
    "accounts.change_password": STAFF,
    "accounts.second_factor_setup": STAFF,
    # Admins run the installation: accounts and roles.
    "admin_accounts.index": ADMIN,
    "admin_accounts.new": ADMIN,
    "admin_accounts.show": ADMIN,
    "admin_accounts.grant": ADMIN,
    "admin_accounts.revoke": ADMIN,
    "admin_accounts.change_admin": ADMIN,
    "admin_accounts.reset_second_factor": ADMIN,
    "admin_erasure.index": ADMIN,
    "admin_erasure.erase": ADMIN,
    # The home page: the published transparency pages for anyone, and, to the signed-in, the
    # partnerships they hold a role in (the view filters them).
    "partnerships.index": PUBLIC,
    # A policy's transparency page: 404 unless the partnership published it.
    "public.policy": PUBLIC,
    "glossary.show": PUBLIC,
    "partnerships.new_partnership": ADMIN,
    "partnerships.show": READER,
    "partnerships.new_member": RECORDER,
    "partnerships.schedule_meeting": RECORDER,
    "partnerships.thresholds": RECORDER,
    "partnerships.correct_member": RECORDER,
    "partnerships.correct_member_email": RECORDER,
    "partnerships.correct_member_group": RECORDER,
    # A member's private link: shown, revoked and reissued by their partnership's chairs alone.
    "partnerships.private_link": RECORDER,
    "partnerships.revoke_private_link": RECORDER,
    "partnerships.reissue_private_link": RECORDER,
    "contributions.for_partnership": READER,
    "contributions.show": READER,
    "contributions.respond": RECORDER,
    # Corrections are recorded by those who record the thing corrected, as decisions' are.
    "contributions.correct": RECORDER,
    "contributions.correct_response": RECORDER,
    "contributions.receipt": RECEIPT,
    # The integrity of the whole log: verified on the server, with the latest checkpoint.
    "integrity.show": INTEGRITY,
    "integrity.auditors_check": INTEGRITY,
    "decisions.show": READER,
    "decisions.correct": RECORDER,
    "decisions.reverse": RECORDER,
    "decisions.decide_outside_meeting": RECORDER,
    # Downloads are for those who audit the record, as the provenance and the full trail are.
    "exports.audit_trail": AUDITOR_RULE,
    "exports.decisions": AUDITOR_RULE,
    "exports.you_said_we_did": AUDITOR_RULE,
    "exports.decision_prov": AUDITOR_RULE,
    # The audit pack: a policy's or a partnership's for those who audit it; the whole installation's,
    # which holds every event of every partnership, for admins alone.
    "audit_packs.policy": AUDITOR_RULE,
    "audit_packs.partnership": AUDITOR_RULE,
    "audit_packs.installation": ADMIN,
    "evidence.dashboard": READER,
    "evidence.policy_level": READER,
    "meetings.show": READER,
    "meetings.add_agenda_item": RECORDER,
    "meetings.agree_action": RECORDER,
    "meetings.approve_minutes": RECORDER,
    "meetings.write_minutes": RECORDER,
    "meetings.complete_action": RECORDER,
    "meetings.reopen_action": RECORDER,
    "meetings.correct_meeting": RECORDER,
    "meetings.correct_agenda_item": RECORDER,
    "meetings.record_adjustment": RECORDER,
    "meetings.record_attendance": RECORDER,
    "meetings.record_contribution": RECORDER,
    "meetings.record_decision": RECORDER,
    "policies.show": READER,
    "policies.new_policy": RECORDER,
    "policies.adopt": RECORDER,
    "policies.claim": RECORDER,
    "policies.enter_stage": RECORDER,
    "policies.publish_version": RECORDER,
    "policies.rate": RECORDER,
    "policies.retire": RECORDER,
    "policies.start_new_cycle": RECORDER,
    "policies.publish_transparency_page": RECORDER,
    "policies.withdraw_transparency_page": RECORDER,
}


def rule_for(endpoint: str | None) -> Rule | None:
    return RULES.get(endpoint or "")


def may_record() -> bool:
    """Whether the signed-in person may record for the partnership of this page (its chair, or an
    admin): pages offer their forms only to them, as a form that would be refused helps nobody."""
    if "may_record" not in g:
        g.may_record = has_request_context() and RECORDER.allows(current(), request.view_args or {})
    return bool(g.may_record)


def may_audit() -> bool:
    """Whether the signed-in person may download the record of this page's partnership (its chairs
    and auditors, or an admin): pages offer the downloads only to them, as `may_record` does forms."""
    if "may_audit" not in g:
        g.may_audit = has_request_context() and AUDITOR_RULE.allows(current(), request.view_args or {})
    return bool(g.may_audit)


def may_check_integrity() -> bool:
    """Whether the header links to the integrity page for the signed-in person."""
    return has_request_context() and INTEGRITY.allows(current(), {})


def init_app(app: Flask, load_principal: Callable[[], Principal | None]) -> None:
    """Loads the signed-in person before every request, then applies the endpoint's rule."""
    app.jinja_env.globals.update(
        signed_in=current, may_record=may_record, may_audit=may_audit, may_check_integrity=may_check_integrity
    )

    @app.before_request
    def check_access() -> ResponseReturnValue | None:
        g.principal = load_principal()
        if request.routing_exception is not None:
            return None  # no such page, or not for this method: 404 or 405 says so
        rule = rule_for(request.endpoint)
        if rule is None:
            abort(403)  # deny by default: a route nobody gave a rule
        if rule.allows(current(), request.view_args or {}):
            return None
        if current() is None and rule.needs_sign_in:
            if request.method in ("GET", "HEAD"):  # a page: the sign-in page leads back to it
                return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
            abort(401)
        abort(403)
        return None
