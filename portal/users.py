"""GLA administrators manage accounts: list them, create one, deactivate one, reset a password.

A new or reset password is generated here and shown once, on the page that answers the POST, for
the administrator to pass on; only its hash is stored. A deactivated account is kept (its
uploads and audit entries name it) but can no longer sign in, and its open sessions end.
Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from . import audit, db, passwords, times
from .auth import roles_required
from .rounds import borough_names

bp = Blueprint("users", __name__)

ROLES = [
    ("officer", "Borough officer"),
    ("gla", "GLA administrator"),
    ("viewer", "Viewer"),
]


def new_password() -> str:
    """A random password of 20 characters (about 120 bits)."""
    return secrets.token_urlsafe(15)


class UserForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter an email address"),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message="Enter an email address in the correct format, like name@example.gov.uk",
            ),
            Length(max=254),
        ],
    )
    role = RadioField("Role", choices=ROLES, validators=[DataRequired("Select a role")])
    borough = SelectField("Borough (for a borough officer)")

    def validate_borough(self, field: SelectField) -> None:
        if self.role.data == "officer" and not field.data:
            raise ValidationError("Select the borough this officer works for")

    def validate_email(self, field: EmailField) -> None:
        if db.user_by_email(db.get_db(), field.data or ""):
            raise ValidationError("There is already an account with this email address")


class ActionForm(FlaskForm):
    """Deactivating and resetting are POSTs with a CSRF token, never links."""


def create(
    conn: sqlite3.Connection, email: str, password: str, role: str, borough: str | None
) -> int:
    """Add an account and its audit entry together (hashing first: argon2 is slow on purpose)."""
    password_hash = passwords.hash_password(password)
    with db.write(conn):
        pk = db.insert(
            conn,
            "users",
            {
                "email": email.strip().lower(),
                "password_hash": password_hash,
                "role": role,
                "borough": borough,
                "created_at": times.now(),
            },
        )
        where = f" for {borough}" if borough else ""
        audit.record(conn, "user-created", f"{email.strip().lower()} as {role}{where}")
    return pk


def deactivate(conn: sqlite3.Connection, user: dict[str, Any]) -> bool:
    """Switch the account off (its sessions end on their next request); False if it already was."""
    with db.write(conn):
        done = conn.execute(
            "UPDATE users SET active = 0 WHERE id = ? AND active = 1", (user["id"],)
        ).rowcount
        if done:
            audit.record(conn, "user-deactivated", user["email"])
    return bool(done)


def reset_password(conn: sqlite3.Connection, user: dict[str, Any], password: str) -> None:
    password_hash = passwords.hash_password(password)
    with db.write(conn):
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user["id"]))
        audit.record(conn, "password-reset", user["email"])


def _user(user_id: int) -> dict[str, Any]:
    found = db.user_by_id(db.get_db(), user_id)
    if found is None:
        abort(404)
    return found


@bp.route("/users")
@roles_required("gla")
def index() -> Any:
    return render_template(
        "users/index.html",
        users=db.users(db.get_db()),
        names=borough_names(),
        roles=dict(ROLES),
        action_form=ActionForm(formdata=None),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("gla")
def new() -> Any:
    form = UserForm()
    form.borough.choices = [("", "Not a borough officer"), *borough_names().items()]
    if form.validate_on_submit():
        borough = form.borough.data if form.role.data == "officer" else None
        password = new_password()
        create(db.get_db(), form.email.data, password, form.role.data, borough)
        return render_template(
            "users/password.html", email=form.email.data.strip().lower(), password=password,
            created=True,
        )  # fmt: skip
    return render_template("users/new.html", form=form)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles_required("gla")
def deactivate_view(user_id: int) -> Any:
    user = _user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if user["id"] == g.user["id"]:
        flash("You cannot deactivate your own account. Ask another GLA administrator.")
    elif deactivate(db.get_db(), user):
        flash(f"{user['email']} is deactivated and can no longer sign in.")
    return redirect(url_for("users.index"))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@roles_required("gla")
def reset_view(user_id: int) -> Any:
    user = _user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = new_password()
    reset_password(db.get_db(), user, password)
    return render_template("users/password.html", email=user["email"], password=password)
