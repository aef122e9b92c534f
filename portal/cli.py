"""Operator commands: ``flask --app portal create-user``, ``create-token`` and ``seed-demo``
(init-db: db.py)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from . import db, passwords, tokens


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_token_command)


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
    db.create_user(conn, email, passwords.hash_password(password), role, borough)
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
    conn = db.get_db()
    user = db.user_by_email(conn, email)
    if user is None:
        raise click.UsageError(f"There is no account for {email}.")
    _pk, token = tokens.create(conn, user, name)
    click.echo(token)
