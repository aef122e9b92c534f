"""Operator commands: ``flask --app portal create-user``, ``deactivate-user``, ``reset-password``,
``create-token``, ``seed-demo`` and ``recompute-figures`` (init-db: db.py)."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import Flask, current_app

from . import db, tokens


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_token_command)
    app.cli.add_command(deactivate_user_command)
    app.cli.add_command(reset_password_command)
    app.cli.add_command(recompute_figures_command)
    app.cli.add_command(sweep_files_command)


def _read_password() -> str:
    """The password from standard input when piped, else a hidden prompt; never an argument."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["officer", "gla", "viewer"]), required=True)
@click.option("--borough", help="The borough's GSS code (E09…), for an officer.")
def create_user_command(email: str, role: str, borough: str | None) -> None:
    """Add an account. The password is read from standard input or a prompt."""
    from validator import load_standard

    if role == "officer":
        if not borough:
            raise click.UsageError("An officer needs --borough CODE (for example E09000030).")
        if borough not in load_standard().boroughs.codes:
            raise click.UsageError(
                f"{borough} is not a London borough code (E09000001 to E09000033)."
            )
    elif borough:
        raise click.UsageError("Only an officer belongs to a borough: leave out --borough.")
    password = _read_password()
    if len(password) < 12:
        raise click.UsageError("The password needs at least 12 characters.")
    conn = db.get_db()
    if db.user_by_email(conn, email):
        raise click.UsageError(f"There is already an account for {email}.")
    from . import users

    users.create(conn, email, password, role, borough)  # audit-logged with the account
    click.echo(f"Created {role} account {email}" + (f" for {borough}" if borough else "") + ".")


@click.command("seed-demo")
@click.option("--survey-rows", default=60, show_default=True, help="Rows in each survey return.")
def seed_demo_command(survey_rows: int) -> None:
    """Fill an empty database with the demonstration: 33 officers, a round and returns."""
    from . import demo

    conn = db.get_db()
    if db.users(conn):
        raise click.UsageError("The database already has accounts: seed-demo needs a fresh one.")
    summary = demo.seed(conn, current_app.config["FILES"], survey_rows=survey_rows)
    click.echo(summary)


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="made by command", show_default=True, help="What will use it.")
def create_token_command(email: str, name: str) -> None:
    """Make an API token for an account and print it: it is shown this once and never again."""
    name = name.strip()
    if not name or len(name) > tokens.NAME_MAX:
        raise click.UsageError(f"The name needs 1 to {tokens.NAME_MAX} characters.")
    _pk, token = tokens.create(db.get_db(), _account(email), name)
    click.echo(token)


def _account(email: str) -> dict[str, Any]:
    found = db.user_by_email(db.get_db(), email)
    if found is None:
        raise click.UsageError(f"There is no account for {email}.")
    return found


@click.command("deactivate-user")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Stop an account signing in (its sessions end too); the account is kept for the record."""
    from . import users

    if users.deactivate(db.get_db(), _account(email)):
        click.echo(f"Deactivated {email}.")
    else:
        click.echo(f"{email} was already deactivated.")


@click.command("reset-password")
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Give an account a new password, read from standard input or a prompt."""
    from . import users

    user = _account(email)
    password = _read_password()
    if len(password) < 12:
        raise click.UsageError("The password needs at least 12 characters.")
    users.reset_password(db.get_db(), user, password)
    click.echo(f"Reset the password for {email}.")


@click.command("recompute-figures")
def recompute_figures_command() -> None:
    """Rebuild London's figures from the latest accepted returns (uploads do this themselves)."""
    from . import figures_store

    conn = db.get_db()
    count = figures_store.recompute(conn, current_app.config["FILES"])
    built = figures_store.build(conn) or {}
    click.echo(
        f"Computed {count} figures from {len(built.get('submissions', []))} accepted returns "
        f"(standard {built.get('standard_version')})."
    )


@click.command("sweep-files")
def sweep_files_command() -> None:
    """Remove stored files no submission points at (what a killed worker can leave behind).
    gunicorn's master starts this whenever a worker exits (gunicorn.conf.py)."""
    from . import intake

    conn = db.connect(current_app.config["DATABASE"])
    try:
        conn.execute(f"PRAGMA busy_timeout={intake.SWEEP_WAIT_MS}")
        removed = intake.sweep(conn, current_app.config["FILES"])
    finally:
        conn.close()
    click.echo(f"Removed {len(removed)} stored file(s) no submission points at.")
