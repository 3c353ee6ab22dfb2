"""Follow-up a participant reaches by their private link: the Atom feed of what became of their input;
and the one-click unsubscribe (RFC 8058) every follow-up email links to, by a token of its own.

The feed names no one: a contribution under a pseudonym shows the pseudonym, and decision makers
appear by stakeholder group only. The feed has a link of its own, which opens nothing else; the HTML
"My input" page at /my-input/<token> is not built here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5
from xml.etree import ElementTree

from flask import Response, abort, render_template, request

from domain.wording import printable
from projections import followups
from web import commands, csrf
from web.my_input import bp
from web.private_links import FEED, participant_from_unsubscribe_token, participant_or_404

ATOM = "http://www.w3.org/2005/Atom"


@bp.get("/my-input/<token>/feed.atom")
def feed(token: str) -> Response:
    # The feed's own link: a feed reader holding it cannot open My input or its contact form.
    participant_id = participant_or_404(FEED, token)
    with commands.reading() as conn:
        contact = followups.contact(conn, participant_id)
        notices = followups.participant_notices(conn, participant_id)
    if contact is None:
        abort(404)
    xml = _atom(participant_id, request.url, contact["registered_at"], notices)
    response = Response(xml, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "private"  # one person's news: no shared cache keeps it
    return response


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> str:
    """A GET only shows the button: link checkers and previews open links, and must not unsubscribe.
    Only an unsubscribe token does: the emails carry it, never the private page's. It cannot be
    revoked (`cotrace.private_links`): emails already sent must go on unsubscribing."""
    participant_id = participant_from_unsubscribe_token(token)
    if participant_id is None:
        abort(404)
    with commands.reading() as conn:
        contact = followups.contact(conn, participant_id)
    if contact is None:
        abort(404)
    if request.method == "POST" and contact["email_consent"]:
        # Recorded as done by the participant themselves: they followed their own link.
        commands.run(
            lambda app, actor: app.set_contact_preferences(actor, participant_id, contact["email"], False),
            actor=participant_id,
        )
    return render_template("unsubscribe.html", token=token, done=request.method == "POST")


def _atom(participant_id: UUID, self_url: str, since: datetime, notices: list[dict[str, Any]]) -> bytes:
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", _urn(f"cotrace:my-input:{participant_id}"))
    _add(feed, "title", "What became of your input")
    _add(feed, "updated", _rfc3339(max((n["recorded_at"] for n in notices), default=since)))
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", "Cotrace")
    for notice in notices:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", _urn(f"cotrace:notice:{notice['key']}"))
        _add(entry, "title", notice["title"])
        _add(entry, "updated", _rfc3339(notice["recorded_at"]))
        _add(entry, "content", notice["content"], type="text")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _add(parent: ElementTree.Element, tag: str, text: str, **attributes: str) -> None:
    # What was recorded before forms took control characters out (or came in by an import) must not
    # make the whole feed unreadable: XML cannot hold them.
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes).text = printable(text)


def _urn(name: str) -> str:
    # Stable for ever, unlike the link's token, which changes with the installation's secret.
    return f"urn:uuid:{uuid5(NAMESPACE_URL, name)}"


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite gives UTC back without its zone
        return moment.isoformat(timespec="seconds") + "Z"
    return moment.isoformat(timespec="seconds")
