"""Whether an email address is one address, fit to be a message's recipient.

An address reaches a mail header: a line break in it could add headers (`Bcc:`), and a comma or a
second address could add recipients. A hand-made check let such addresses through, so the syntax is
checked by a real parser, email-validator (RFC 5321/5322 with the rules mail servers apply), the only
library the domain uses besides eventsourcing: it only reads a string, touching no network (no
deliverability check) and no storage.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254  # RFC 5321's limit on a path, as the outbox's column holds it
# A line break would start a header of its own; a comma or semicolon would name more recipients.
NOT_IN_ONE_ADDRESS = frozenset("\r\n,;")


def is_one_address(address: str) -> bool:
    """True for a single, well-formed address (no display name, no list, nothing to add a header)."""
    if len(address) > MAX_LENGTH or NOT_IN_ONE_ADDRESS.intersection(address):
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
