"""The `cotrace` command: serve, demo, rebuild, send-followups (and Flask's own commands)."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from werkzeug.serving import run_simple

from web.demo import load_demo


def register_commands(app: Flask) -> None:
    app.cli.add_command(serve)
    app.cli.add_command(demo)
    app.cli.add_command(rebuild)
    app.cli.add_command(send_followups)


@click.command()
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve Cotrace at http://HOST:PORT."""
    click.echo(f"Cotrace is at http://{host}:{port}  (Ctrl+C stops it)")
    # Flask's app.run() refuses to start inside its own CLI; werkzeug's server is what it would run.
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@click.command()
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Load only into a database with no partnership.")
def demo(if_empty: bool) -> None:
    """Load the demonstration partnership."""
    services = current_app.extensions["cotrace"]
    from projections.reads import all_partnerships

    with services.engine.connect() as conn:
        existing = all_partnerships(conn)
    if if_empty and existing:
        click.echo("The database already has partnerships: demo data not loaded.")
        return
    load_demo(services.app, services.operator_id, services.app.today())
    services.read_models.catch_up()
    click.echo("Loaded the Riverside EHE Policy Partnership.")


@click.command()
@with_appcontext
def rebuild() -> None:
    """Drop every projection and rebuild it from the event log."""
    services = current_app.extensions["cotrace"]
    total = services.app.recorder.max_notification_id() or 0
    started = time.perf_counter()
    with click.progressbar(length=total, label="Rebuilding projections", show_pos=True) as bar:
        done = 0

        def progress(applied: int, _total: int) -> None:
            nonlocal done
            bar.update(applied - done)
            done = applied

        applied = services.read_models.rebuild(progress)
    seconds = time.perf_counter() - started
    click.echo(f"Applied {applied} events in {seconds:.2f} s.")


@click.command("send-followups")
@with_appcontext
def send_followups() -> None:
    """Send the follow-up messages waiting in the outbox (by SMTP, or as .eml files)."""
    from web.mailer import send_from_app

    services = current_app.extensions["cotrace"]
    services.read_models.catch_up()  # events another process recorded queue their messages first
    sent = send_from_app(current_app._get_current_object())
    for message in sent:
        click.echo(f"Sent {message.message_id} to {message.to_address}: {message.subject} ({message.where})")
    click.echo(f"Sent {len(sent)} follow-up message{'' if len(sent) == 1 else 's'}.")


def main() -> None:
    from web import create_app

    FlaskGroup(create_app=create_app, add_default_commands=True, load_dotenv=False)()
