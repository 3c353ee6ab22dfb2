"""A policy: its stage timeline through the Iriss cycle, and its audit trail.

The trail is filtered by a GET form (stage, stakeholder group, kind, happened between two dates) and
can be shown "as of" a day: the policy and its trail as they stood at the end of it. Without
JavaScript the form reloads the page; with htmx it fetches only the policy's record and pushes the
address, so the filtered view can be bookmarked and shared either way. The trail is shown a page at
a time (TRAIL_PAGE rows), and the links to the next and previous pages keep the filters.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from domain.errors import Problems
from domain.evidence import AS_HAPPENED, AS_RECORDED
from domain.vocabulary import STAGES, STAKEHOLDER_GROUPS
from projections import reads
from projections.audit_trail import KIND_FILTERS
from projections.keyset import Cursor, encode
from projections.reads import TrailFilter
from web import commands, forms, paging
from web.as_of import read_as_of

bp = Blueprint("policies", __name__)

FILTER_ORDER = ["stage", "group", "kind", "from", "to", "as_of", "reading"]
# Rows of the trail a page shows: enough to read through, few enough to stay quick at any size.
TRAIL_PAGE = 50
# Cycles the stage timeline shows, the latest: the earlier ones' stages are in the trail (its
# "stages entered" filter), as a policy's timeline otherwise grows by a cycle a year.
TIMELINE_CYCLES = 3


@bp.get("/policies/<uuid:policy_id>")
def show(policy_id: UUID) -> ResponseReturnValue:
    args = request.args
    only, errors = trail_filter(args)
    context = _context(policy_id, only, args, errors, paging.cursor(reads.TRAIL_KEYS, anchor="audit-trail"))
    # A history restore asks for the whole page, even though it comes from htmx.
    partial = bool(request.htmx) and not request.headers.get("HX-History-Restore-Request")
    response = render_template("_policy_record.html" if partial else "policy.html", **context)
    headers = {"Vary": "HX-Request"}
    return (response, 422, headers) if errors else (response, 200, headers)


@bp.app_template_global()
def event_url(policy_id: UUID, position: int) -> str:
    """The trail's page that opens at the event at `position`, and its row there: a proof's link.

    The trail's first page holds its first 50 events only, so `#event-N` alone may land on a page
    without the row. The cursor is the one a "Next page" link would carry to open at the event
    (the rows after the position before it), so the page has its pager either side as usual."""
    # The policy's address is built once a request (an evidence page links a hundred proofs); the
    # cursor is URL-safe base64 already, as url_for would have left it.
    built = g.setdefault("policy_urls", {})
    base = built.get(policy_id)
    if base is None:
        base = built[policy_id] = url_for("policies.show", policy_id=policy_id)
    return f"{base}?after={encode((position - 1,))}#event-{position}"


def page(policy_id: UUID, **extra: Any) -> str:
    """The whole policy page, its trail unfiltered, with what a form posted to it adds (its errors
    and what was typed), for a form answered without JavaScript."""
    return render_template("policy.html", **_context(policy_id, TrailFilter(), MultiDict(), {}), **extra)


def _context(
    policy_id: UUID, only: TrailFilter, args: MultiDict, errors: dict[str, str], cursor: Cursor | None = None
) -> dict[str, Any]:
    with commands.reading() as conn:
        policy = reads.policy(conn, policy_id)
        if policy is None:
            abort(404)
        if only.as_of:
            stages = reads.policy_stages_as_of(conn, policy_id, only.as_of, only.as_recorded, TIMELINE_CYCLES)
        else:
            stages = reads.policy_stages_of_latest_cycles(conn, policy_id, TIMELINE_CYCLES)
        return dict(
            policy=policy,
            partnership=reads.partnership(conn, policy["partnership_id"]),
            stages=stages,
            current=stages[-1] if stages else None,
            earlier_cycles=stages[0]["cycle"] - 1 if stages else 0,
            # The trail's stage rows, as of the same day: where the earlier cycles' stages are.
            earlier_stages_url=url_for(
                "policies.show",
                policy_id=policy_id,
                kind="stages",
                **{k: v for k, v in filter_args(only).items() if k in ("as_of", "reading")},
                _anchor="audit-trail",
            ),
            milestones=reads.policy_adopted_and_retired(conn, policy_id, only.as_of, only.as_recorded),
            trail=reads.policy_trail_page(conn, policy_id, only, TRAIL_PAGE, cursor),
            as_of=only.as_of,
            as_recorded=only.as_recorded,
            # Asked for, even if it could not be read: a date may come as its day, month and year.
            filtered=any(value for name, value in args.items() if name.split("-")[0] in FILTER_ORDER[:5]),
            values=args if errors else MultiDict({k: v for k, v in args.items() if v}),
            errors=errors,
            filter_order=FILTER_ORDER,
            kinds=[(code, label) for code, (label, _) in KIND_FILTERS.items()],
            # The trail's downloads carry the same filters, so the file holds the rows shown.
            # Dates as one ISO value each, however the form sent them (as day, month and year).
            export_args={} if errors else filter_args(only),
        )


def filter_args(only: TrailFilter) -> dict[str, str]:
    """The address's arguments that ask for this filter: the same filter, whatever form asked for it."""
    args = {
        "stage": only.stage,
        "group": only.group,
        "kind": only.kind,
        "from": only.happened_from and only.happened_from.isoformat(),
        "to": only.happened_to and only.happened_to.isoformat(),
        "as_of": only.as_of and only.as_of.isoformat(),
        "reading": only.as_of and (AS_RECORDED if only.as_recorded else AS_HAPPENED),
    }
    return {name: value for name, value in args.items() if value}


def trail_filter(args: MultiDict) -> tuple[TrailFilter, dict[str, str]]:
    """The filter the form asks for, and a message for each field that cannot be read.

    A value that is not one of the choices offered (an edited or old address) is explained next to
    its field, as a date that cannot be read is: a filter ignored in silence shows a trail that
    looks filtered and is not. The trail's exports read the same filter from their address
    (web/exports.py), and make no file then.
    """
    problems = Problems()
    happened_from = forms.optional_date(problems, args, "from", "the 'from' date")
    happened_to = forms.optional_date(problems, args, "to", "the 'to' date")
    as_of = read_as_of(problems, args, commands.today())
    if happened_from and happened_to and happened_to < happened_from:
        problems.add("to", "The 'to' date must be the same as or after the 'from' date")
    stage, group, kind = (forms.text(args, name) for name in ("stage", "group", "kind"))
    for name, value, choices, what in (
        ("stage", stage, STAGES, "stage"),
        ("group", group, STAKEHOLDER_GROUPS, "stakeholder group"),
        ("kind", kind, KIND_FILTERS, "kind of event"),
    ):
        if value and value not in choices:
            problems.add(name, f"Choose a {what} from the list: “{value[:40]}” is not one Cotrace knows")
    errors = problems.by_field()
    only = TrailFilter(
        stage=stage if stage in STAGES else None,
        group=group if group in STAKEHOLDER_GROUPS else None,
        kind=kind if kind in KIND_FILTERS else None,
        happened_from=happened_from,
        happened_to=happened_to if "to" not in errors else None,
        as_of=as_of.day,
        as_recorded=as_of.as_recorded,
    )
    return only, errors
