"""The portal's forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class SignOutForm(FlaskForm):
    """Signing out is a POST so another site cannot sign an officer out with a link."""


def _iso_date(message: str):
    def check(_form: FlaskForm, field: StringField) -> None:
        try:
            date.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError(message) from None

    return check


class RoundForm(FlaskForm):
    name = StringField(
        "Round name", validators=[DataRequired("Enter a name for the round"), Length(max=120)]
    )
    period = StringField(
        "Reporting period", validators=[DataRequired("Enter the reporting period")]
    )
    types = SelectMultipleField(
        "Returns due", validators=[DataRequired("Select at least one return")]
    )
    standard_version = SelectField("Version of the standard")
    opens_on = StringField(
        "Opening date", validators=[_iso_date("Enter the opening date as a date, like 2026-04-01")]
    )
    closes_on = StringField(
        "Closing date", validators=[_iso_date("Enter the closing date as a date, like 2026-06-30")]
    )

    def validate_period(self, field: StringField) -> None:
        if not re.fullmatch(r"\d{4}-\d{2}", (field.data or "").strip()):
            raise ValidationError("Enter the reporting period as a financial year, like 2025-26")

    def validate_closes_on(self, field: StringField) -> None:
        try:
            closes = date.fromisoformat((field.data or "").strip())
            opens = date.fromisoformat((self.opens_on.data or "").strip())
        except ValueError:
            return  # a date that is not a date has its own message
        if closes < opens:
            raise ValidationError("The closing date must be on or after the opening date")


class RoundChoice(SelectField):
    """A round select whose wrong choice (a closed or unknown round) is explained to the officer."""

    def pre_validate(self, form: FlaskForm) -> None:
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError("Select a collection round that is open")


class UploadForm(FlaskForm):
    round_id = RoundChoice("Collection round", coerce=int)
    type = RadioField(
        "Which return is this?", validators=[DataRequired("Select which return this is")]
    )
    file = FileField("Upload a file")
    # A resident survey's submission metadata; the validator judges it (submission_metadata.py)
    weight_total = StringField("What the survey weights add up to")
    weight_total_source = StringField("Where that population total comes from")
    survey_name = StringField("Name of the survey (optional)")
    fieldwork_start = StringField("First interview date (optional)")
    fieldwork_end = StringField("Last interview date (optional)")
    notes = TextAreaField("Notes for the GLA (optional)")

    def validate_file(self, field: FileField) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Select a CSV or Excel file to upload (CSV, XLSX, ODS or XLS)")


class TokenForm(FlaskForm):
    """Naming a new API token, so its owner can tell their scripts' tokens apart."""

    name = StringField(
        "Token name",
        validators=[
            DataRequired("Enter a name for the token"),
            Length(max=100, message="The name must be 100 characters or fewer"),
        ],
    )


class RevokeTokenForm(FlaskForm):
    """Revoking a token is a POST with a CSRF token, so no link on another site can do it."""
