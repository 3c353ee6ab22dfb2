"""Follow-up that arrives: a contributor who agreed to email is told once, through a real SMTP server,
when their input gets a response or is cited by a decision; a crash loses nothing; a rebuild sends
nothing again. SQLite and PostgreSQL."""

from __future__ import annotations

import email
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select, update

from cotrace import mailer, rebuilding
from cotrace.importer import HistoryInvalid, import_history, load_history
from projections import followups
from tests.command_line import command_line
from tests.conftest import TODAY, admin_client, importer
from tests.followup_story import Followup, Mailbox, followup_app, smtp_server
from tests.integration.test_import import HISTORY, events
from tests.integration.test_projections import snapshot
from tests.web.test_meeting_page import HTMX, post
from web.mailer import send_quietly

AMIRA = "amira@example.org"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture
def riverside(database_url: str, tmp_path, mailbox: Mailbox) -> Iterator[Followup]:
    app = followup_app(database_url, tmp_path / "instance", mailbox)
    yield Followup.set_up(app)
    app.extensions["cotrace"].close()


@pytest.fixture
def riverside_without_smtp(database_url: str, tmp_path) -> Iterator[Followup]:
    app = followup_app(database_url, tmp_path / "instance", None)
    yield Followup.set_up(app)
    app.extensions["cotrace"].close()


def outbox_rows(riverside: Followup) -> list:
    with riverside.services.engine.connect() as conn:
        return conn.execute(select(followups.outbox).order_by(followups.outbox.c.position)).all()


def test_a_response_is_emailed_once_to_a_contributor_who_agreed(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    said = riverside.contribute("amira", "Publish the policy in plain English")
    riverside.respond(said, "not_adopted", "The statutory guidance sets the wording – for now")

    sent = riverside.send()

    assert [m.to_address for m in sent] == [AMIRA]
    [message] = mailbox.messages
    assert message["To"] == AMIRA
    assert message["From"] == "Riverside partnership <cotrace@riverside.example>"
    assert message["Subject"] == "Your suggestion on EHE policy: not adopted"
    version = riverside.services.app.repository.get(said).version
    assert message["Message-ID"] == f"<{said}.{version}.{riverside.person('amira')}@cotrace.invalid>"
    token = riverside.unsubscribe_token("amira")
    assert message["List-Unsubscribe"] == f"<https://cotrace.riverside.example/unsubscribe/{token}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_payload(decode=True).decode()
    assert "You said, on 15 June 2026: Publish the policy in plain English" in body
    assert "Response: Not adopted" in body
    assert "Reason: The statutory guidance sets the wording – for now" in body
    assert "Response given by: Local authority." in body
    assert "Daniel" not in body
    assert f"To stop these emails: https://cotrace.riverside.example/unsubscribe/{token}" in body
    assert riverside.token("amira") not in message.as_string()  # the private page's stays private

    assert riverside.send() == []  # told once
    assert len(mailbox.messages) == 1


def test_no_email_without_an_address_and_agreement_but_the_feed_has_it(riverside, mailbox):
    riverside.agree_to_email("grace", "grace@example.org", consent=False)
    from_tom = riverside.contribute("tom", "Meet in the evenings")
    from_grace = riverside.contribute("grace", "Offer a crèche")
    riverside.respond(from_tom, "adopted")
    riverside.respond(from_grace, "adapted", "Childcare costs are paid instead")

    assert riverside.send() == []
    assert mailbox.messages == []
    with riverside.services.engine.connect() as conn:
        for name in ("tom", "grace"):
            [notice] = followups.participant_notices(conn, riverside.person(name))
            assert notice["kind"] == "response"


def test_a_decision_citing_two_of_ones_contributions_is_one_message_and_two_feed_entries(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    first = riverside.contribute("amira", "Publish the policy in plain English")
    second = riverside.contribute("amira", "Add a glossary")
    from_tom = riverside.contribute("tom", "Meet in the evenings")
    riverside.agree_to_email("tom", "tom@example.org")
    riverside.decide_citing(first, second, from_tom)

    riverside.send()

    [to_amira] = mailbox.to(AMIRA)
    assert to_amira["Subject"] == "A decision on EHE policy cites 2 of your contributions"
    body = to_amira.get_payload(decode=True).decode()
    assert "Publish the policy in plain English" in body and "Add a glossary" in body
    assert "Decision makers: Home educator, Local authority." in body
    assert "Meet in the evenings" not in body  # Tom's input is told to Tom
    assert len(mailbox.to("tom@example.org")) == 1
    with riverside.services.engine.connect() as conn:
        entries = followups.participant_notices(conn, riverside.person("amira"))
    assert sorted(e["contribution_id"] for e in entries) == sorted([first, second])

    riverside.decide_citing(first, text="Consult on the glossary")  # cited again: new news
    riverside.send()
    assert len(mailbox.to(AMIRA)) == 2
    assert mailbox.to(AMIRA)[1]["Subject"] == "A decision on EHE policy cites your suggestion"


def test_a_corrected_response_is_emailed_once_with_what_it_now_is_and_why(riverside, mailbox):
    """Issue 15: they were told "adopted"; the record now says otherwise, and so must they be told."""
    riverside.agree_to_email("amira", AMIRA)
    said = riverside.contribute("amira", "Publish the policy in plain English")
    riverside.respond(said, "adopted")
    riverside.run(
        lambda app, actor: app.correct_contribution(
            actor, said, "Publish it in plain English", "Misheard", TODAY
        )
    )
    riverside.run(
        lambda app, actor: app.correct_response(
            actor, said, "adapted", "In plain English and Welsh", "Recorded as adopted by mistake", TODAY
        )
    )

    sent = riverside.send()

    assert [m.to_address for m in sent] == [AMIRA, AMIRA]
    told, corrected = mailbox.to(AMIRA)
    assert told["Subject"] == "Your suggestion on EHE policy: adopted"
    assert corrected["Subject"] == "Your suggestion on EHE policy: the response was corrected"
    body = corrected.get_payload(decode=True).decode()
    assert "You said, on 15 June 2026: Publish it in plain English\r\n" in body  # the words as corrected
    assert "The response to it was recorded wrong, and was corrected on 15 June 2026." in body
    assert "Response: Adapted, on 15 June 2026." in body
    assert "Reason: In plain English and Welsh" in body
    assert "Why it was corrected: Recorded as adopted by mistake" in body
    assert "Daniel" not in body
    with riverside.services.engine.connect() as conn:
        kinds = [n["kind"] for n in followups.participant_notices(conn, riverside.person("amira"))]
    assert kinds == ["response_corrected", "response"]
    outbox_before = outbox_rows(riverside)

    riverside.services.read_models.rebuild()

    assert outbox_rows(riverside) == outbox_before
    assert riverside.send() == []  # told once, a rebuild or not
    assert len(mailbox.messages) == 2

    # As `cotrace rebuild` does it: on SQLite, in files of their own first, the outbox in the store.
    rebuilding.rebuild(riverside.services, processes=2)

    assert outbox_rows(riverside) == outbox_before
    assert riverside.send() == []
    assert len(mailbox.messages) == 2


def test_a_message_queued_for_an_address_recorded_wrong_goes_to_the_corrected_one(riverside, mailbox):
    riverside.agree_to_email("amira", "amira@exmaple.org")
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"), "adopted")
    riverside.run(
        lambda app, actor: app.correct_member_email(
            actor, riverside.story.partnership, riverside.person("amira"), AMIRA, "Mistyped", TODAY
        )
    )
    riverside.respond(riverside.contribute("amira", "Add a glossary"), "adopted")

    assert [m.to_address for m in riverside.send()] == [AMIRA, AMIRA]
    assert len(mailbox.to(AMIRA)) == 2 and mailbox.to("amira@exmaple.org") == []


def test_a_decision_that_cited_someones_input_being_reversed_is_news_for_them(riverside, mailbox):
    """ "You said, we did" must not go on saying "we did" once the decision is undone."""
    riverside.agree_to_email("amira", AMIRA)
    first = riverside.contribute("amira", "Publish the policy in plain English")
    second = riverside.contribute("amira", "Add a glossary")
    decision = riverside.decide_citing(first, second, text="Publish it in plain English, with a glossary")
    riverside.send()

    riverside.run(
        lambda app, actor: app.reverse_decision(actor, decision, "The statutory wording must stay", TODAY)
    )
    [sent] = riverside.send()

    assert sent.subject == "A decision on EHE policy was reversed: it cited 2 of your contributions"
    body = mailbox.to(AMIRA)[-1].get_payload(decode=True).decode()
    assert "Publish the policy in plain English" in body and "Add a glossary" in body
    assert "Decided: Publish it in plain English, with a glossary" in body
    assert "Reason: The statutory wording must stay" in body
    with riverside.services.engine.connect() as conn:
        kinds = [n["kind"] for n in followups.participant_notices(conn, riverside.person("amira"))]
    assert kinds.count("reversal") == 2  # a feed entry for each contribution
    assert riverside.send() == []  # told once


def test_a_corrected_or_replaced_decision_tells_what_it_now_says_and_why(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    said = riverside.contribute("amira", "Publish the policy in plain English")
    decision = riverside.decide_citing(said, text="Publish it in plain English")
    riverside.run(
        lambda app, actor: app.correct_decision(
            actor,
            decision,
            "Publish it in plain English and Easy Read",
            "Minutes approved with this wording",
            TODAY,
        )
    )
    riverside.run(
        lambda app, actor: riverside.story.decide(
            text="Publish it in Easy Read only",
            supersedes=decision,
            supersession_reason="Families asked for Easy Read",
        )
    )
    riverside.send()

    cited, corrected, replaced = mailbox.to(AMIRA)
    assert cited["Subject"] == "A decision on EHE policy cites your suggestion"
    assert corrected["Subject"] == "A decision on EHE policy was corrected: it cites your suggestion"
    body = corrected.get_payload(decode=True).decode()
    assert "It now reads: Publish it in plain English and Easy Read" in body
    assert "Reason: Minutes approved with this wording" in body
    assert replaced["Subject"] == "A decision on EHE policy was replaced: it cited your suggestion"
    assert "Decided: Publish it in plain English and Easy Read" in replaced.get_payload(decode=True).decode()


def test_a_decision_citing_no_one_is_reversed_without_telling_anyone(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    decision = riverside.run(lambda app, actor: riverside.story.decide())
    riverside.run(lambda app, actor: app.reverse_decision(actor, decision, "Taken in error", TODAY))

    assert riverside.send() == []
    with riverside.services.engine.connect() as conn:
        assert followups.participant_notices(conn, riverside.person("amira")) == []


class Crash(BaseException):
    """The process dies: no handler of ours catches it."""


def test_a_crash_before_marking_sends_the_same_message_again(riverside, mailbox, monkeypatch):
    riverside.agree_to_email("amira", AMIRA)
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))

    def crash(engine, message_id):
        raise Crash()

    monkeypatch.setattr(mailer, "_mark_sent", crash)  # the message goes, the process dies
    with pytest.raises(Crash):
        riverside.send()
    assert [row.status for row in outbox_rows(riverside)] == ["queued"]
    monkeypatch.undo()

    [again] = riverside.send()

    first, second = mailbox.messages
    assert first["Message-ID"] == second["Message-ID"] == again.message_id
    assert first.as_bytes() == second.as_bytes()
    assert riverside.send() == []


def test_once_sent_the_outbox_keeps_no_address_or_words(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
    riverside.send()
    [row] = outbox_rows(riverside)
    assert (row.status, row.to_address, row.body) == ("sent", None, None)
    assert row.sent_at is not None


def test_with_no_mail_server_messages_are_written_to_the_outbox_folder(riverside_without_smtp):
    riverside = riverside_without_smtp
    riverside.agree_to_email("amira", AMIRA)
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"), "adopted")

    result = command_line(riverside.flask_app).invoke(args=["send-followups"])

    assert result.exit_code == 0, result.output
    assert f"to {AMIRA}: Your suggestion on EHE policy: adopted" in result.output
    assert "Sent 1 follow-up message." in result.output
    [path] = list((Path(riverside.flask_app.instance_path) / "outbox").glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == AMIRA
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [row] = outbox_rows(riverside)
    assert message["Message-ID"] == row.message_id and row.status == "sent"

    again = command_line(riverside.flask_app).invoke(args=["send-followups"])
    assert "Sent 0 follow-up messages." in again.output


def test_unsubscribing_stops_later_emails_and_withdraws_unsent_ones(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
    queued = riverside.contribute("amira", "Add a glossary")
    riverside.respond(queued, "adopted")  # queued, not yet sent when she unsubscribes
    client = riverside.flask_app.test_client()
    token = riverside.unsubscribe_token("amira")

    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and b"Stop emails" in page.data
    assert mailbox.messages == []  # opening the link changes nothing

    # A mail client's one-click POST: no session, no CSRF token.
    response = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert b"You will get no more emails" in response.data
    amira = riverside.services.app.repository.get(riverside.person("amira"))
    assert (amira.email, amira.email_consent) == (AMIRA, False)
    riverside.decide_citing(queued)
    assert riverside.send() == []
    assert mailbox.messages == []
    assert {row.status for row in outbox_rows(riverside)} == {"withdrawn"}
    with riverside.services.engine.connect() as conn:
        assert len(followups.participant_notices(conn, riverside.person("amira"))) == 3
    assert client.post("/unsubscribe/not-a-token").status_code == 404


def test_the_unsubscribe_token_only_unsubscribes_and_the_private_pages_token_does_not(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    client = riverside.flask_app.test_client()
    page_token, unsubscribe_token = riverside.token("amira"), riverside.unsubscribe_token("amira")
    assert page_token != unsubscribe_token

    # A forwarded email hands over the unsubscribe link: it opens neither My input nor the feed.
    assert client.get(f"/my-input/{unsubscribe_token}").status_code == 404
    assert client.get(f"/my-input/{unsubscribe_token}/feed.atom").status_code == 404
    contact = post(client, f"/my-input/{unsubscribe_token}/contact", {"email": "eve@example.net"})
    assert contact.status_code == 404
    # The private page's token does not unsubscribe.
    assert client.get(f"/unsubscribe/{page_token}").status_code == 404
    one_click = {"List-Unsubscribe": "One-Click"}
    assert client.post(f"/unsubscribe/{page_token}", data=one_click).status_code == 404
    amira = riverside.services.app.repository.get(riverside.person("amira"))
    assert (amira.email, amira.email_consent) == (AMIRA, True)

    assert client.get(f"/my-input/{page_token}").status_code == 200
    assert client.post(f"/unsubscribe/{unsubscribe_token}").status_code == 200
    assert riverside.services.app.repository.get(riverside.person("amira")).email_consent is False


BAD_ADDRESSES = [
    "amira@example.org\nBcc: eve@example.net",  # a line break: the header error stopped every message
    "amira@example.org,eve@example.net",  # a comma: a second recipient
]


@pytest.mark.parametrize("address", BAD_ADDRESSES, ids=["line break", "comma"])
def test_an_old_bad_address_fails_alone_and_the_others_are_sent(riverside, mailbox, caplog, address):
    riverside.record_unchecked_address("amira", address)  # recorded before addresses were checked
    riverside.agree_to_email("tom", "tom@example.org")
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
    riverside.respond(riverside.contribute("tom", "Meet in the evenings"))
    amiras = outbox_rows(riverside)[0].message_id
    failed: list = []

    sent = riverside.send(failed)

    assert [m.to_address for m in sent] == ["tom@example.org"]
    assert [m["To"] for m in mailbox.messages] == ["tom@example.org"]
    assert [(f.message_id, f.reason) for f in failed] == [
        (amiras, "the address is not one well-formed email address")
    ]
    rows = outbox_rows(riverside)
    assert [row.status for row in rows] == ["failed", "sent"]
    assert rows[0].to_address is None and rows[0].body is None
    assert amiras in caplog.text and "amira@" not in caplog.text  # the message's id, never the address
    assert riverside.send() == []
    # What was recorded stays readable: her record, and her own page.
    assert riverside.services.app.repository.get(riverside.person("amira")).email == address
    client = riverside.flask_app.test_client()
    assert client.get(f"/my-input/{riverside.token('amira')}").status_code == 200


def test_a_subject_with_a_line_break_fails_alone_and_the_others_are_sent(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    riverside.agree_to_email("tom", "tom@example.org")
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
    riverside.respond(riverside.contribute("tom", "Meet in the evenings"))
    amiras = outbox_rows(riverside)[0].message_id
    with riverside.services.engine.begin() as conn:  # a title recorded before titles were one line
        conn.execute(
            update(followups.outbox)
            .where(followups.outbox.c.message_id == amiras)
            .values(subject="Your suggestion on EHE\nBcc: eve@example.net")
        )
    failed: list = []

    sent = riverside.send(failed)

    assert [m.to_address for m in sent] == ["tom@example.org"]
    assert [m["To"] for m in mailbox.messages] == ["tom@example.org"]
    assert [(f.message_id, f.reason) for f in failed] == [
        (amiras, "the subject (the policy's title) has a line break")
    ]
    assert [row.status for row in outbox_rows(riverside)] == ["failed", "sent"]


def test_send_followups_says_what_failed_and_why_and_sends_the_rest(riverside_without_smtp):
    riverside = riverside_without_smtp
    riverside.record_unchecked_address("amira", BAD_ADDRESSES[0])
    riverside.agree_to_email("tom", "tom@example.org")
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
    riverside.respond(riverside.contribute("tom", "Meet in the evenings"))
    amiras = outbox_rows(riverside)[0].message_id

    result = command_line(riverside.flask_app).invoke(args=["send-followups"])

    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "Sent 1 follow-up message." in result.output
    assert f"Failed {amiras}: the address is not one well-formed email address." in result.output
    assert "1 follow-up message failed and will not be sent." in result.output
    assert "Traceback" not in result.output and "amira@" not in result.output
    [path] = list((Path(riverside.flask_app.instance_path) / "outbox").glob("*.eml"))
    assert email.message_from_bytes(path.read_bytes())["To"] == "tom@example.org"


def respond_on_the_web(riverside: Followup, contribution_id, headers: dict):
    form = {
        "response": "adopted",
        "responded_by": str(riverside.person("daniel")),
        "happened_on": riverside.story.today.isoformat(),
    }
    client = admin_client(riverside.flask_app)
    return post(client, f"/contributions/{contribution_id}/response", form, headers)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_a_command_from_the_web_sends_what_it_queued(riverside, mailbox, headers):
    riverside.agree_to_email("amira", AMIRA)
    said = riverside.contribute("amira", "Publish the policy in plain English")

    assert respond_on_the_web(riverside, said, headers).status_code in (200, 303)

    riverside.flask_app.extensions["postman"].wait(timeout=10)
    assert [m["To"] for m in mailbox.messages] == [AMIRA]


def test_a_slow_mail_server_does_not_hold_up_the_page(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    said = riverside.contribute("amira", "Publish the policy in plain English")
    mailbox.held = threading.Event()  # the server takes the message only when told

    response = respond_on_the_web(riverside, said, HTMX)

    assert response.status_code == 200
    assert mailbox.messages == []  # answered while the mail server still had the message in hand
    mailbox.held.set()
    riverside.flask_app.extensions["postman"].wait(timeout=10)
    assert [m["To"] for m in mailbox.messages] == [AMIRA]


def test_a_mail_server_that_is_down_leaves_messages_queued(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
    riverside.flask_app.config["SMTP_PORT"] = 1  # nothing listens there

    with riverside.flask_app.app_context():
        send_quietly(riverside.flask_app)

    assert [row.status for row in outbox_rows(riverside)] == ["queued"]


def test_a_message_refused_for_good_does_not_hold_back_the_others(riverside, mailbox):
    mailbox.unknown.add(AMIRA)
    riverside.agree_to_email("amira", AMIRA)
    riverside.agree_to_email("tom", "tom@example.org")
    riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
    riverside.respond(riverside.contribute("tom", "Meet in the evenings"))

    sent = riverside.send()

    assert [m.to_address for m in sent] == ["tom@example.org"]
    assert [row.status for row in outbox_rows(riverside)] == ["refused", "sent"]
    assert riverside.send() == []


def test_a_rebuilt_followups_projection_equals_the_live_one_and_sends_nothing_again(riverside, mailbox):
    riverside.agree_to_email("amira", AMIRA)
    first = riverside.contribute("amira", "Publish the policy in plain English", pseudonym="A parent")
    riverside.respond(first, "adapted", "In plain English and Welsh")
    from_tom = riverside.contribute("tom", "Meet in the evenings")
    riverside.decide_citing(first, from_tom)
    riverside.send()
    riverside.respond(riverside.contribute("amira", "Add a glossary"), "adopted")
    riverside.agree_to_email("amira", AMIRA, consent=False)  # before the third was sent
    live, outbox_before = snapshot(riverside.services), outbox_rows(riverside)

    riverside.services.read_models.rebuild()

    assert snapshot(riverside.services) == live
    assert live["followup_notices"] and live["followup_contacts"]
    assert outbox_rows(riverside) == outbox_before
    assert [row.status for row in outbox_before] == ["sent", "sent", "withdrawn"]
    assert riverside.send() == []
    assert len(mailbox.messages) == 2


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a test server, on loopback
def test_a_mail_server_that_wants_a_login_gets_the_configured_one(database_url, tmp_path):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        return AuthResult(success=ok)

    with smtp_server(authenticator=authenticator, auth_required=True, auth_require_tls=False) as mailbox:
        app = followup_app(database_url, tmp_path / "instance", mailbox)
        app.config.update(SMTP_USERNAME="cotrace", SMTP_PASSWORD="s3cret")
        try:
            riverside = Followup.set_up(app)
            riverside.agree_to_email("amira", AMIRA)
            riverside.respond(riverside.contribute("amira", "Publish the policy in plain English"))
            riverside.send()
        finally:
            app.extensions["cotrace"].close()

    assert logins == [(b"cotrace", b"s3cret")]
    assert [m["To"] for m in mailbox.messages] == [AMIRA]


@pytest.mark.parametrize("what", ["address", "title"])
def test_an_imported_history_with_an_address_or_title_that_would_break_a_header_is_refused(services, what):
    if what == "address":
        contact = (
            "  - type: contact_preferences\n"
            "    participant: amira\n"
            '    email: "amira@example.org\\nBcc: eve@example.net"\n'
            "    email_consent: true\n"
        )
        text = HISTORY.replace("  - type: chair\n", contact + "  - type: chair\n", 1)
        path, message = "record 4 (contact_preferences), email", "Enter an email address in the right format"
    else:
        text = HISTORY.replace(
            "title: Elective Home Education Policy", 'title: "Elective Home Education\\nBcc: eve@example.net"'
        )
        path, message = "record 5 (policy 'ehe'), title", "Write the title on one line"
    actor = importer(services)  # opening the importer's account is an event of its own
    before = events(services)

    with pytest.raises(HistoryInvalid) as invalid:
        import_history(services, load_history(text), actor=actor)

    [problem] = invalid.value.problems
    assert problem.path == path and problem.message.startswith(message)
    assert events(services) == before
