"""`cotrace doctor`: is this installation set up to keep its records safe? Each check says "ok", or
names the problem and how to fix it, in plain words.

It checks what the code cannot put right by itself at start-up, and what it does put right (the
database's durability, set on every connection by `cotrace.connections`), read back from a real
connection, so a setting lost on the way shows here. It changes nothing, and says no secret.
"""

from __future__ import annotations

import smtplib
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from cotrace import checkpoints
from cotrace.connections import SQLITE_FULL
from cotrace.mailer import SMTP_TIMEOUT_SECONDS, MailSettings
from cotrace.services import Services
from cotrace.settings import Settings

MIN_SECRET_LENGTH = 32  # characters: `secrets.token_hex(32)`, as a new installation makes, gives 64
DEFAULT_MAIL_FROM = "Cotrace <cotrace@localhost>"


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str  # what was found, as a sentence
    fix: str = ""  # for a problem: what to do about it

    def line(self) -> str:
        return f"ok: {self.what}" if self.ok else f"problem: {self.what} Fix: {self.fix}"


def examine(services: Services, settings: Settings) -> list[Finding]:
    checks: list[Callable[[Services, Settings], list[Finding]]] = [
        database_durability,
        database_files,
        secret_key,
        signing_key,
        mail,
        base_url,
        read_models,
    ]
    return [finding for check in checks for finding in check(services, settings)]


def ok(what: str) -> Finding:
    return Finding(True, what)


def problem(what: str, fix: str) -> Finding:
    return Finding(False, what, fix)


def database_durability(services: Services, settings: Settings) -> list[Finding]:
    with services.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            journal = str(conn.execute(text("PRAGMA journal_mode")).scalar()).lower()
            synchronous = conn.execute(text("PRAGMA synchronous")).scalar()
            if journal == "wal" and synchronous == SQLITE_FULL:
                return [ok("the SQLite database is in WAL mode with synchronous=FULL.")]
            return [
                problem(
                    f"the SQLite database is in {journal} mode with synchronous={synchronous} (FULL is 2): "
                    "an acknowledged command could be lost if the machine loses power.",
                    "Cotrace sets WAL and FULL on every connection it opens; check that nothing else "
                    "(a wrapper, an old copy of Cotrace) opens the file, and that its folder is on a "
                    "local disk.",
                )
            ]
        if conn.dialect.name == "postgresql":
            statement = conn.execute(text("SHOW statement_timeout")).scalar()
            lock = conn.execute(text("SHOW lock_timeout")).scalar()
            if statement != "0" and lock != "0":
                return [ok(f"PostgreSQL: statement_timeout={statement} and lock_timeout={lock}.")]
            return [
                problem(
                    f"PostgreSQL: statement_timeout={statement} and lock_timeout={lock} (0 is none): a stuck "
                    "statement would hold a web worker for ever.",
                    "Set COTRACE_STATEMENT_TIMEOUT and COTRACE_LOCK_TIMEOUT to a number of seconds above 0, "
                    "and remove any options in DATABASE_URL that turn them off.",
                )
            ]
        return [
            problem(
                f"the database is {conn.dialect.name}, which Cotrace does not know.",
                "Use SQLite or PostgreSQL.",
            )
        ]


def database_files(services: Services, settings: Settings) -> list[Finding]:
    database = services.engine.url.database if services.engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return []  # PostgreSQL keeps its own files
    path = Path(database)
    found = [_private(candidate, 0o600, "the database file") for candidate in _with_journals(path)]
    found.append(_private(path.parent, 0o700, "the database's folder"))
    return found


def _with_journals(path: Path) -> list[Path]:
    return [path] + [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


PERSONAL_DATA = "it holds names and contact addresses"


def _private(path: Path, wanted: int, what: str, why: str = PERSONAL_DATA) -> Finding:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 == 0:
        return ok(f"{what} {path} is readable by its owner alone ({mode:o}).")
    return problem(
        f"{what} {path} can be read by others (mode {mode:o}): {why}.",
        f"Run `chmod {wanted:o} {path}` as the account Cotrace runs as.",
    )


def secret_key(services: Services, settings: Settings) -> list[Finding]:
    given = settings.values.get("SECRET_KEY")
    if given:
        if len(str(given)) < MIN_SECRET_LENGTH:
            return [
                problem(
                    f"COTRACE_SECRET_KEY is {len(str(given))} characters long: short enough to guess, and "
                    "whoever has it can forge sessions and private links.",
                    "Set it to a long random value "
                    "(`python3 -c 'import secrets; print(secrets.token_hex(32))'`), "
                    "or unset it to use the key Cotrace keeps in the instance folder.",
                )
            ]
        return [ok("the secret key is set by COTRACE_SECRET_KEY and is long enough.")]
    path = settings.instance_path / "secret_key"
    if not path.exists():
        return [problem(f"there is no secret key at {path}.", "Start Cotrace once: it makes one.")]
    found = _private(path, 0o600, "the secret key file", "whoever reads it can forge sessions and links")
    if not found.ok:
        return [found]
    if len(path.read_text().strip()) < MIN_SECRET_LENGTH:
        return [
            problem(f"the secret key in {path} is too short.", f"Delete {path}: Cotrace makes a new one.")
        ]
    return [ok(f"the secret key is kept in {path}, readable by its owner alone.")]


def signing_key(services: Services, settings: Settings) -> list[Finding]:
    path = checkpoints.key_path(settings)
    if not path.exists():
        return [
            problem(
                f"there is no signing key at {path}: no checkpoint can be signed, so auditors cannot "
                "check the log offline.",
                "Run `cotrace keygen` and give auditors the verifier key it prints.",
            )
        ]
    found = _private(path, 0o600, "the signing key file", "whoever reads it can sign checkpoints")
    if not found.ok:
        return [found]
    try:
        key = checkpoints.signer(settings)
    except checkpoints.NoSigningKey as wrong:
        return [problem(str(wrong), "Follow the advice above.")]
    return [ok(f"the signing key at {path} is for this log ({key.name}) and readable by its owner alone.")]


def mail(services: Services, settings: Settings) -> list[Finding]:
    mail = MailSettings.of(settings.values, settings.instance_path)
    found = []
    if mail.mail_from == DEFAULT_MAIL_FROM:
        found.append(
            problem(
                f"follow-up emails would come from {DEFAULT_MAIL_FROM}, which no one can answer.",
                "Set COTRACE_MAIL_FROM, such as `Riverside partnership <cotrace@example.org>`.",
            )
        )
    if not mail.smtp_host:
        found.append(
            problem(
                f"no mail server is set: follow-up emails are written as files to {mail.outbox_folder}, "
                "and no one receives them.",
                "Set COTRACE_SMTP_HOST (and COTRACE_SMTP_PORT, COTRACE_SMTP_USERNAME, COTRACE_SMTP_PASSWORD, "
                "COTRACE_SMTP_STARTTLS as your mail server needs).",
            )
        )
        return found
    where = f"{mail.smtp_host}:{mail.smtp_port}"
    try:
        with smtplib.SMTP(mail.smtp_host, mail.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if mail.smtp_starttls:
                smtp.starttls()
            if mail.smtp_username:
                smtp.login(mail.smtp_username, mail.smtp_password or "")
            smtp.noop()
    except (OSError, smtplib.SMTPException) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        found.append(
            problem(
                f"the mail server {where} cannot be reached or refused to log in ({reason}).",
                "Check COTRACE_SMTP_HOST, COTRACE_SMTP_PORT and the login settings; until it answers, "
                "follow-ups wait in the outbox.",
            )
        )
        return found
    found.append(
        ok(f"the mail server {where} answers{' and accepts the login' if mail.smtp_username else ''}.")
    )
    return found


def base_url(services: Services, settings: Settings) -> list[Finding]:
    url = str(settings.get("BASE_URL") or "")
    if url.lower().startswith("https://"):
        return [ok(f"Cotrace is served at {url}, over HTTPS.")]
    return [
        problem(
            f"COTRACE_BASE_URL is {url or 'not set'}: links in emails would not use HTTPS, and session "
            "cookies would be sent in clear.",
            "Serve Cotrace behind a reverse proxy with HTTPS (docs/deploy.md) and set COTRACE_BASE_URL to "
            "its https:// address.",
        )
    ]


def read_models(services: Services, settings: Settings) -> list[Finding]:
    head = services.read_models.head()
    behind = {
        name: head - position
        for name, position in services.read_models.positions().items()
        if position < head
    }
    if not behind:
        return [ok(f"every read model has applied the whole log ({head} events).")]
    listed = ", ".join(f"{name} ({count} events behind)" for name, count in sorted(behind.items()))
    return [
        problem(
            f"read models are behind the log: {listed}; pages show them as they stand.",
            "Start `cotrace worker` (or restart the web server): it catches them up. If one keeps falling "
            "behind, run `cotrace rebuild`.",
        )
    ]
