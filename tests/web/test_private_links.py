"""A participant's private link names them, and only this installation's links are accepted."""

from __future__ import annotations

from uuid import uuid4

from web.private_links import participant_from_token, participant_token


def test_a_token_names_its_participant(flask_app):
    someone = uuid4()
    with flask_app.app_context():
        assert participant_from_token(participant_token(someone)) == someone


def test_a_forged_or_foreign_token_names_nobody(flask_app):
    someone = uuid4()
    with flask_app.app_context():
        token = participant_token(someone)
        assert participant_from_token(token[:-2] + "xx") is None
        assert participant_from_token(str(someone)) is None
        flask_app.secret_key = "another installation"
        assert participant_from_token(token) is None
