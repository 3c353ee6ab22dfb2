"""The `cotrace` command: serve, demo, rebuild, level, import, erase, verify, keygen, checkpoint,
audit-pack, create-admin, send-followups, worker, doctor.

An entrypoint beside `web`: it reaches the application layer (`cotrace`) directly, and starts the
web server only for `serve` (gunicorn: `cli.server`). Nothing imports it. It is not a Flask CLI, so
a command that has nothing to do with HTTP (an import, sending mail, the worker) runs without the
web app.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from werkzeug.serving import run_simple

from cli import server
from cli.server import DEFAULT_THREADS, default_workers
from cotrace import credentials, rebuilding
from cotrace.accounts import create_admin as open_admin_account
from cotrace.demo import ADMIN, load_demo_with_accounts
from cotrace.importer import FileRefused, HistoryInvalid, import_history, load_history, read_history_file
from cotrace.mailer import Failed, MailSettings, send_outbox
from cotrace.services import Services, open_cotrace
from cotrace.settings import Settings
from cotrace.worker import DEFAULT_INTERVAL
from domain.dates import check_not_in_future
from domain.errors import Problems, RulesBroken
from domain.evidence import AS_HAPPENED, AS_RECORDED, READINGS
from projections.registry import all_projections
from projections.runner import REBUILD_BATCH, UnknownReadModel


class Installation:
    """What a command works on: the settings (from the environment unless given) and the
    application opened from them on first use, so `--help` opens no database."""

    def __init__(self, settings: Settings | None = None, services: Services | None = None) -> None:
        self._settings = settings
        self._services = services

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._services.settings if self._services else None
        if self._settings is None:
            self._settings = Settings.load()
        return self._settings

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = open_cotrace(self.settings)
        return self._services

    def services_as_they_stand(self) -> Services:
        """The application opened without catching its read models up, to see how far behind
        they are (`cotrace doctor`); the services already open, if there are."""
        if self._services is None:
            self._services = open_cotrace(self.settings, catch_up=False)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


pass_installation = click.make_pass_decorator(Installation, ensure=True)


@contextmanager
def progress_bar(label: str, services: Services) -> Iterator[Callable[[int, int], None]]:
    """A bar over the whole log, moved by a rebuild's (applied, total) progress calls."""
    total = services.app.recorder.max_notification_id() or 0
    with click.progressbar(length=total, label=label, show_pos=True) as bar:
        done = 0

        def progress(applied: int, _total: int) -> None:
            nonlocal done
            bar.update(applied - done)
            done = applied

        yield progress


@click.group()
def group() -> None:
    """Cotrace: an event-sourced tracker of co-production."""


@group.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_workers,
    show_default=f"2 x cores + 1, at most 8: {default_workers()} here",
    help="Processes serving requests, each with its own connections to the database.",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=DEFAULT_THREADS,
    show_default=True,
    help="Requests each process serves at once.",
)
@click.option("--dev", is_flag=True, help="Werkzeug's development server, one process: never in production.")
@pass_installation
def serve(installation: Installation, host: str, port: int, workers: int, threads: int, dev: bool) -> None:
    """Serve Cotrace at http://HOST:PORT: gunicorn (docs/deploy.md), or with --dev Werkzeug's
    development server."""
    from web import create_app

    if dev:
        app = create_app()
        click.echo(f"Cotrace (development server) is at http://{host}:{port}  (Ctrl+C stops it)")
        run_simple(host, port, app, threaded=True)
        return
    # The tables are created here, once, before the fork; the master then holds no connection.
    open_cotrace(installation.settings).close()
    click.echo(
        f"Cotrace is at http://{host}:{port}  ({workers} worker{'s' if workers > 1 else ''}, "
        f"{threads} thread{'s' if threads > 1 else ''} each; Ctrl+C stops it)"
    )
    server.serve(create_app, host, port, workers, threads)


@group.command()
@click.option("--if-empty", is_flag=True, help="Load only into a database with no partnership.")
@pass_installation
def demo(installation: Installation, if_empty: bool) -> None:
    """Load the two demonstration partnerships, and print their accounts' emails and new passwords."""
    services = installation.services
    from projections.reads import all_partnerships

    with services.engine.connect() as conn:
        existing = all_partnerships(conn)
    if if_empty and existing:
        click.echo("The database already has partnerships: demo data not loaded.")
        return
    accounts = load_demo_with_accounts(services, datetime.now(UTC))
    click.echo("Loaded the Riverside EHE Policy Partnership and the Elmsford SEND Partnership.")
    base = str(installation.settings.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    click.echo(f"Sign in at {base}/sign-in as any of them, one account for each role:")
    for account in accounts:
        line = f"- As {DEMO_ROLES[account.role]}: email {account.email}, password {account.password}"
        if account.role == ADMIN:
            line += "; at first sign-in, set up a second factor (an authenticator app), as every admin must"
        click.echo(line)
    click.echo("Each password is shown this once: `cotrace demo` again gives new ones.")


# What each demo account may do, as `cotrace demo` tells whoever tries it.
DEMO_ROLES = {
    ADMIN: "the admin, who opens accounts and gives roles",
    "chair": "the chair of both partnerships, who records meetings, decisions and responses",
    "member": "a member of both, who reads their records without the chair's forms",
    "auditor": "an auditor of both, who reads everything, provenance included, and changes nothing",
}


class RebuildProgress:
    """A rebuild's progress as it goes: a bar with the events/s and the time left on a terminal, a
    line every `every` seconds elsewhere (a log file, a service manager's journal)."""

    def __init__(self, every: float, clock: Callable[[], float] = time.perf_counter) -> None:
        self.every = every
        self.clock = clock
        self.started = clock()
        self.last_line = self.started
        self.done = 0
        self.bar: Any = None

    def __enter__(self) -> RebuildProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def __call__(self, applied: int, total: int) -> None:
        now = self.clock()
        elapsed = max(now - self.started, 1e-9)
        rate = applied / elapsed
        if sys.stdout.isatty():
            if self.bar is None:
                self.bar = click.progressbar(
                    length=total, label="Rebuilding", show_pos=True, item_show_func=lambda shown: shown
                )
                self.bar.render_progress()
            self.bar.update(applied - self.done, current_item=f"{rate:,.0f} events/s")
        elif self.done == 0 or now - self.last_line >= self.every or (applied == total != self.done):
            # The end is said once: the processes of a rebuild each report theirs.
            self.last_line = now
            left = (total - applied) / rate if rate else 0
            click.echo(
                f"Rebuilt {applied:,} of {total:,} events ({100 * applied / max(total, 1):.0f} %), "
                f"{rate:,.0f} events/s, about {_duration(left)} left"
            )
        self.done = applied


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds} s"


@group.command()
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="NAME",
    help="Rebuild this read model alone, leaving the others as they stand; repeat it for more. "
    "The names: " + ", ".join(p.name for p in all_projections()) + ".",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=REBUILD_BATCH,
    show_default=True,
    help="Events applied in each transaction.",
)
@click.option(
    "--compare-raw/--no-compare-raw",
    default=True,
    show_default=True,
    help="Then read the notification log alone, as stored, and print how many times as long a rebuild took.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=rebuilding.default_processes(),
    show_default="one a core",
    help="Processes to share the read models out between, each applying the log to its share.",
)
@click.option(
    "--progress-every", type=float, default=5.0, hidden=True, help="Seconds between progress lines."
)
@pass_installation
def rebuild(
    installation: Installation,
    only: tuple[str, ...],
    batch: int,
    compare_raw: bool,
    processes: int,
    progress_every: float,
) -> None:
    """Drop the read models (all, or those named with --only) and rebuild them from the event log."""
    read_models = installation.services.read_models
    try:
        chosen = read_models.named(only) if only else read_models.projections
    except UnknownReadModel as unknown:
        raise click.ClickException(str(unknown)) from None
    shares = rebuilding.shared_out(chosen, processes)
    click.echo(
        f"Rebuilding {', '.join(p.name for p in chosen)}"
        + (f", in {len(shares)} processes." if len(shares) > 1 else ".")
    )
    started = time.perf_counter()
    with RebuildProgress(progress_every) as progress:
        try:
            rebuilt = rebuilding.rebuild(
                installation.services, progress, only=only or None, batch_size=batch, processes=processes
            )
        except rebuilding.RebuildFailed as failed:
            raise click.ClickException(f"The rebuild stopped: {failed}. Run it again.") from None
    seconds = time.perf_counter() - started
    applied = rebuilt.applied
    click.echo(
        f"Applied {applied} events in {seconds:.2f} s ({applied / max(seconds, 1e-9):,.0f} events/s), "
        f"using at most {rebuilt.peak_kib / 1024:,.0f} MB."
    )
    if compare_raw:
        started = time.perf_counter()
        read = read_models.read_the_log(batch)
        raw = time.perf_counter() - started
        click.echo(
            f"Reading the notification log alone ({read} notifications, as stored) took {raw:.2f} s: "
            f"the rebuild took {seconds / max(raw, 1e-9):.1f} times as long."
        )


@group.command()
@click.argument("policy")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="The day to judge as of.")
@click.option(
    "--as-recorded",
    is_flag=True,
    help="With --as-of: count only what had been recorded by that day (default: as it happened).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON (see docs/evidence.md).")
@pass_installation
def level(
    installation: Installation, policy: str, as_of: datetime | None, as_recorded: bool, as_json: bool
) -> None:
    """The evidenced level of co-production of POLICY (an id, or part of its title)."""
    import json

    from cotrace import levels
    from projections import evidence

    services = installation.services
    services.read_models.catch_up()
    today = services.app.today()
    day = as_of.date() if as_of else today
    problems = Problems()
    check_not_in_future(problems, "as_of", day, today, "The --as-of date")
    if problems:
        raise click.BadParameter(problems.by_field()["as_of"], param_hint="--as-of")
    reading = AS_RECORDED if as_recorded else AS_HAPPENED
    with services.engine.connect() as conn:
        try:
            policy_id = levels.find_policy(conn, policy)
        except levels.PolicyNotFound as error:
            raise click.ClickException(str(error)) from None
        facts = evidence.policy_facts(conn, policy_id)
        found = levels.assessments(conn, policy_id, today, as_of.date() if as_of else None, reading)
        judged = levels.judged_by(conn, policy_id, as_of.date() if as_of else None, reading)
        named = levels.proofs_of(conn, found)
    if as_json:
        click.echo(json.dumps(levels.as_json(policy_id, facts.title, day, found, judged, reading), indent=2))
        return
    how = f" ({READINGS[reading].lower()})" if as_of else ""
    click.echo(f"{facts.title}: as of {day.isoformat()}{how}")
    click.echo("\n".join(levels.thresholds_text(judged)))
    if not found:
        if facts.started_on <= day:  # as recorded: it had started, but Cotrace was told later
            click.echo("Cotrace had not been told of the policy by then: no verdict as recorded.")
        else:
            click.echo(
                f"The policy had not started: it started on {facts.started_on.isoformat()}. No verdict."
            )
    for assessment in found:
        click.echo(f"\n{assessment.scope.label}: {assessment.level.upper()}")
        for reason in assessment.reasons:
            click.echo(f"  because {reason}")
        for verdict in assessment.verdicts:
            click.echo(f"  [{verdict.status.replace('_', ' ')}] {verdict.title}")
            for figure in verdict.figures:
                click.echo(f"      {figure}")
            for flag in verdict.flags:
                click.echo(f"      FLAG: {flag}")
            if verdict.refs:
                click.echo(f"      events: {levels.events_line(verdict.refs, named)}")


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "as_email",
    required=True,
    metavar="EMAIL",
    help="The account the import is recorded as (its email).",
)
@click.option("--dry-run", is_flag=True, help="Check the file and try every rule; record nothing.")
@pass_installation
def import_file(installation: Installation, file: Path, as_email: str, dry_run: bool) -> None:
    """Bring in a partnership's history from FILE (see docs/import-format.md): all of it, or nothing."""
    try:
        text = read_history_file(file)  # refuses, in one line, a pipe, a device, a huge or non-UTF-8 file
    except FileRefused as refused:
        raise click.ClickException(str(refused)) from None
    services = installation.services
    with services.engine.connect() as conn:
        actor = credentials.account_for_email(conn, as_email)
    if actor is None:
        raise click.ClickException(f"No account signs in with {as_email}: an admin opens one first.")
    try:
        history = load_history(text)
        with click.progressbar(
            length=len(history.records), label="Recording", file=sys.stderr, show_pos=True
        ) as bar:
            imported = import_history(
                services, history, actor=actor, dry_run=dry_run, progress=lambda: bar.update(1)
            )
    except HistoryInvalid as invalid:
        for problem in invalid.problems:
            click.echo(f"{file}:{problem.line or 1}: {problem.path or 'file'}: {problem.message}", err=True)
        click.echo(f"Nothing was recorded: {len(invalid.problems)} problem(s) to fix in {file}.", err=True)
        raise SystemExit(1) from None
    if dry_run:
        click.echo(f"{file} is ready: {imported.records} records would be recorded; nothing was recorded.")
    else:
        click.echo(f"Recorded {imported.records} records of {history.partnership} from {file}.")
    # Counts per type and per stage show a slip no rule can catch, such as input filed under the wrong stage.
    for line in imported.summary.lines():
        click.echo(line)


@group.command()
@click.argument("participant")
@click.option(
    "--as",
    "as_email",
    required=True,
    metavar="EMAIL",
    help="The admin the erasure is recorded as (their email).",
)
@click.option("--yes", is_flag=True, help="Do not ask to confirm.")
@pass_installation
def erase(installation: Installation, participant: str, as_email: str, yes: bool) -> None:
    """Erase the personal data of PARTICIPANT (their id): name, address and the words of their
    contributions go for good; their stakeholder group, and every verdict, stay (docs/privacy.md)."""
    from uuid import UUID

    from cotrace.erasure import erase_participant
    from projections import reads
    from projections.access import ACCOUNT, grants_of

    try:
        participant_id = UUID(participant)
    except ValueError:
        raise click.BadParameter(
            "give the participant's id, as on their page", param_hint="PARTICIPANT"
        ) from None
    services = installation.services
    services.read_models.catch_up()  # what another process recorded: the participant may be new
    with services.engine.connect() as conn:
        actor = credentials.account_for_email(conn, as_email)
        grants = grants_of(conn, ACCOUNT, actor) if actor else None
        found = reads.participant(conn, participant_id)
    if actor is None or grants is None or not grants.is_admin:
        raise click.ClickException(f"{as_email} is not an admin's account: only an admin may erase.")
    if found is None:
        raise click.ClickException(f"No participant has the id {participant_id}.")
    if services.app.repository.get(participant_id).erased:
        raise click.ClickException("This participant's personal data was erased already.")
    click.echo(f"{found['name']} ({found['stakeholder_group'].replace('_', ' ')})")
    if not yes:
        click.confirm("Erase this person's name, address and words for good?", abort=True)
    try:
        with progress_bar("Rebuilding the read models", services) as progress:
            erased = erase_participant(services, actor, participant_id, progress)
    except RulesBroken as broken:
        raise click.ClickException(broken.problems[0].message) from None
    click.echo(
        f"Erased: the record now shows an erased {erased.stakeholder_group.replace('_', ' ')}; "
        "backups and emails already sent are outside Cotrace (docs/privacy.md)."
    )


@group.command()
@pass_installation
def verify(installation: Installation) -> None:
    """Check that the stored log is as it was sealed: every event's bytes, none missing, none added."""
    import base64

    from cotrace.sealing import verify_log

    services = installation.services
    click.echo("Checking every stored event against the seal...", err=True)
    with services.engine.connect() as conn:
        result = verify_log(conn, services.app.recorder.events_record_cls.__table__)
    root = base64.b64encode(result.root).decode()
    if result.ok:
        click.echo(f"The log is as it was sealed: {result.size} events, tree root {root}.")
        return
    for problem in result.problems:
        click.echo(problem, err=True)
    click.echo(f"The log is NOT as it was sealed: {len(result.problems)} problem(s) above.", err=True)
    raise SystemExit(1)


@group.command()
@click.option("--origin", help="The log's name, as checkpoints name it (default: COTRACE_LOG_ORIGIN).")
@click.option("--force", is_flag=True, help="Replace an existing key (checkpoints it signed stay as signed).")
@pass_installation
def keygen(installation: Installation, origin: str | None, force: bool) -> None:
    """Create the key that signs checkpoints, in the file COTRACE_SIGNING_KEY names, and print its
    verifier key: give that to auditors."""
    from cotrace import checkpoints
    from cotrace.seal.signed_note import NoteError

    settings = installation.settings
    try:
        vkey = checkpoints.keygen(settings, origin, force)
    except checkpoints.KeyExists as exists:
        raise click.ClickException(str(exists)) from None
    except NoteError as error:
        raise click.BadParameter(str(error), param_hint="--origin") from None
    click.echo(f"Wrote a new signing key to {checkpoints.key_path(settings)} (readable by its owner alone).")
    click.echo("Its verifier key, for auditors to check checkpoints and receipts with:")
    click.echo(vkey)
    configured = checkpoints.log_origin(settings)
    name = vkey.split("+", 1)[0]
    if name != configured:
        click.echo(f"The key is for the log {name!r}: set COTRACE_LOG_ORIGIN={name} before signing.")


@group.command()
@pass_installation
def checkpoint(installation: Installation) -> None:
    """Sign a checkpoint of the log as sealed now, once it is consistent with the last one."""
    from cotrace import checkpoints
    from cotrace.sealing import verify_log

    services = installation.services
    # The seal is signed, not the events: a log whose events no longer match it is said first.
    with services.engine.connect() as conn:
        verified = verify_log(conn, services.app.recorder.events_record_cls.__table__)
    if not verified.ok:
        for problem in verified.problems:
            click.echo(problem, err=True)
        raise click.ClickException(
            "The log is NOT as it was sealed (the problems above): no checkpoint was signed. The seal "
            "itself is intact; keep the checkpoints given out so far as evidence of what it said."
        )
    try:
        signed = checkpoints.sign_checkpoint(services, installation.settings)
    except (checkpoints.NoSigningKey, checkpoints.Inconsistent) as refused:
        raise click.ClickException(str(refused)) from None
    # What was done on standard error; the checkpoint alone on standard output, to save as a file.
    if signed.new:
        click.echo(f"Signed a checkpoint of {signed.size} events:", err=True)
    else:
        click.echo(
            f"The log has not grown since the checkpoint of {signed.signed_at:%Y-%m-%d %H:%M} UTC, "
            f"which already signs its {signed.size} events:",
            err=True,
        )
    click.echo(signed.note, nl=False)


@group.command("audit-pack")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--policy", help="One policy's record: its id, or a piece of its title.")
@click.option("--partnership", help="One partnership's record: its id, or a piece of its name.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@pass_installation
def audit_pack(
    installation: Installation, out: Path, policy: str | None, partnership: str | None, force: bool
) -> None:
    """Write the audit pack of the whole installation, of one --policy or of one --partnership to
    OUT (a .zip), for an auditor to check with verify_audit_pack.py (docs/seal.md)."""
    from cotrace import audit_pack, checkpoints, levels, sealing

    if policy is not None and partnership is not None:
        raise click.UsageError("Give --policy or --partnership, not both.")
    if "" in (policy, partnership):
        raise click.BadParameter("Name the record: its id, or a piece of its title or name.")
    if out.exists() and not force:
        raise click.ClickException(f"{out} exists already: it was left as it is. Add --force to replace it.")
    if not out.parent.is_dir():
        raise click.ClickException(f"There is no folder {out.parent} to write the pack in.")
    services = installation.services
    services.read_models.catch_up()
    with services.engine.connect() as conn:
        try:
            if policy:
                scope = audit_pack.policy_scope(conn, levels.find_policy(conn, policy))
            elif partnership:
                scope = audit_pack.partnership_scope(conn, audit_pack.find_partnership(conn, partnership))
            else:
                scope = audit_pack.Scope("installation")
        except (levels.PolicyNotFound, audit_pack.NotFound) as error:
            raise click.ClickException(str(error)) from None
    with click.progressbar(length=1, label="Writing the events", show_pos=True, file=sys.stderr) as bar:

        def progress(written: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(written - bar.pos)

        try:
            made = audit_pack.write(services, scope, out, progress=progress, settings=installation.settings)
        except (checkpoints.NoSigningKey, checkpoints.Inconsistent, sealing.LogTampered) as refused:
            raise click.ClickException(f"No pack was written. {refused}") from None
    what = "the whole installation" if scope.whole_log else scope.title
    click.echo(
        f"Wrote the audit pack of {what} to {out}: {made.events} events of a log of "
        f"{made.checkpoint.size}, and the verdicts of {made.policies} "
        f"{'policy' if made.policies == 1 else 'policies'}."
    )
    vkey = checkpoints.signer_of(services, installation.settings).verifier.vkey
    click.echo(f'Check it with: python3 verify_audit_pack.py {out} --key "{vkey}"')


@group.command("create-admin")
@click.argument("email")
@click.option("--name", prompt="Full name", help="The admin's name, as the record shows who did what.")
@click.password_option(
    "--password",
    prompt="Password",
    help="At least 8 characters (15 or more is better); asked for if not given.",
)
@pass_installation
def create_admin(installation: Installation, email: str, name: str, password: str) -> None:
    """Open an admin account for EMAIL: the first admin, who opens everyone else's. The admin sets up
    a second factor when first signing in."""
    try:
        open_admin_account(installation.services, name, email, password, datetime.now(UTC))
    except RulesBroken as broken:
        for problem in broken.problems:
            click.echo(f"{problem.field}: {problem.message}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Admin account opened for {name.strip()} <{email.strip()}>. Sign in at /sign-in.")


@group.command("send-followups")
@pass_installation
def send_followups(installation: Installation) -> None:
    """Send the follow-up messages waiting in the outbox (by SMTP, or as .eml files)."""
    services, settings = installation.services, installation.settings
    services.read_models.catch_up()  # events another process recorded queue their messages first
    mail = MailSettings.of(settings.values, settings.instance_path)
    failed: list[Failed] = []
    sent = send_outbox(services.engine, mail, settings.secret_key, failed)
    for message in sent:
        click.echo(f"Sent {message.message_id} to {message.to_address}: {message.subject} ({message.where})")
    click.echo(f"Sent {len(sent)} follow-up message{'' if len(sent) == 1 else 's'}.")
    # Each failed for good and was passed over (the rest went): the reasons name no address.
    for message in failed:
        click.echo(f"Failed {message.message_id}: {message.reason}.", err=True)
    if failed:
        s = "" if len(failed) == 1 else "s"
        click.echo(f"{len(failed)} follow-up message{s} failed and will not be sent.", err=True)


@group.command()
@click.option(
    "--once", is_flag=True, help="One round, then exit (for cron, and to try it): 1 if anything failed."
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_INTERVAL,
    show_default=True,
    help="Seconds between rounds when nothing new is recorded (a new event starts one at once).",
)
@pass_installation
def worker(installation: Installation, once: bool, interval: float) -> None:
    """Send follow-up emails, sign checkpoints and catch up the read models, in rounds, whenever
    the log moves; SIGTERM or Ctrl+C stops it after the round under way."""
    import logging
    import signal
    import threading

    from cotrace.worker import Worker

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    work = Worker(installation.services, installation.settings, interval)
    if once:
        done = work.round()
        click.echo(
            f"Applied {done.applied} events, sent {done.sent} follow-up message"
            f"{'' if done.sent == 1 else 's'}"
            + (f", signed a checkpoint of {done.checkpoint_size} events" if done.checkpoint_size else "")
            + "."
        )
        if not done.ok:
            raise SystemExit(1)
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    work.run(stop)


@group.command()
@pass_installation
def doctor(installation: Installation) -> None:
    """Check that this installation keeps its records safe: the database's durability and files,
    the secret and signing keys, mail, HTTPS, the read models. Exits 1 if anything needs fixing."""
    from cotrace.doctor import examine

    findings = examine(installation.services_as_they_stand(), installation.settings)
    for finding in findings:
        click.echo(finding.line())
    problems = sum(not finding.ok for finding in findings)
    if problems:
        click.echo(f"{problems} problem{'' if problems == 1 else 's'} to fix.", err=True)
        raise SystemExit(1)
    click.echo("Everything checked is as it should be.")


def main() -> None:
    installation = Installation()
    try:
        group(obj=installation, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        raise SystemExit(1) from None
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except (OperationalError, NoSuchModuleError, ArgumentError, ModuleNotFoundError) as error:
        # The database named by DATABASE_URL cannot be reached or is not one Cotrace can use.
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        click.echo(f"Error: the database could not be opened ({first}). Check DATABASE_URL.", err=True)
        raise SystemExit(1) from None
    finally:
        installation.close()
