"""A submission's metadata: what a return says about itself beyond its rows.

The standard's submission metadata (``standard/submission-metadata.schema.json``) names the
borough, kind of return, period, version of the standard and a contact, and for a resident
survey what its weights add up to (the borough's adult population, ``weight_total``) and where
that total comes from. The portal builds it from the upload (borough, kind, round) and the
signed-in officer (contact), adds what the officer typed, and asks the validator whether it is
complete and valid (``validator.check_metadata``): this module only gathers, never judges.
Which properties the officer types, and which a survey must give, come from the round's version
of the standard (``Standard.metadata_required``), not from a list here.
The metadata is stored with the submission; London's figures rescale each borough's weights to
its ``weight_total`` (``figures_store``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The one typed property the portal asks of every kind of return (the form's notes box); a
# survey return is asked every property the portal does not fill itself (``typed``).
FOR_EVERY_RETURN = ("notes",)
# A new survey return starts from the borough's last accepted one's answers to what the
# standard requires of a survey beyond every return (its weight total and source) and, as the
# portal's own choice of a starting point, its name (the fieldwork dates are new each time).
ALSO_CARRIED_OVER = ("survey_name",)
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Problem:
    """What the validator said is wrong with the metadata, and the property it is about."""

    property: str
    message: str


def is_survey(kind: str, standard_version: str) -> bool:
    """Whether a kind of return carries survey weights (and so needs a weight total), in the
    version of the standard its round collects (an archived one for an older round)."""
    from validator import load_standard

    sub = load_standard(standard_version).submission_types.get(kind)
    return sub is not None and sub.weighted


def typed(kind: str, standard_version: str) -> tuple[str, ...]:
    """The metadata properties an officer types for a kind of return, in the schema's order:
    for a survey, every one the portal does not fill itself (what every return must give:
    borough, kind, period, version, contact); otherwise the notes."""
    from validator import load_standard

    standard = load_standard(standard_version)
    filled = standard.metadata_required()
    every = tuple(p for p in standard.metadata_properties if p not in filled)
    if is_survey(kind, standard_version):
        return every
    return tuple(p for p in every if p in FOR_EVERY_RETURN)


def build(
    round_: Mapping[str, Any], kind: str, user: Mapping[str, Any], answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The metadata object for an upload: the upload's own facts, the officer as the contact
    (the account's email address, which is all an account holds), and what the officer typed.
    Blank answers are left out, so the validator can say what is missing."""
    from validator import load_standard

    metadata: dict[str, Any] = {
        "borough": user["borough"],
        "submission_type": kind,
        "period": round_["period"],
        "standard_version": round_["standard_version"],
        "contact": {"name": user["email"], "email": user["email"]},
    }
    version = round_["standard_version"]
    standard = load_standard(version)
    for name in typed(kind, version):
        value = str(answers.get(name) or "").strip()
        if value:
            metadata[name] = _number(value) if standard.metadata_type(name) == "number" else value
    return metadata


def _number(text: str) -> Any:
    """A typed total as a number when it is one ('265,000' and '265 000' are 265000); otherwise
    the text as typed, for the validator to say it is not a number."""
    plain = re.sub(r"[,\s]", "", text)
    if not _NUMBER.fullmatch(plain):
        return text
    number = float(plain)
    return int(number) if number.is_integer() else number


def problem(metadata: dict[str, Any]) -> Problem | None:
    """The validator's verdict on a submission's metadata, which must be complete."""
    from validator import InputError, check_metadata

    try:
        check_metadata(metadata, standard_version=metadata.get("standard_version"), complete=True)
    except InputError as exc:
        return Problem(exc.metadata_property, exc.message)
    return None


def form_field(prop: str, standard_version: str) -> str:
    """The form field (and API field) a metadata property is typed in, or '' for one the
    portal fills itself (borough, period, contact)."""
    from validator import load_standard

    standard = load_standard(standard_version)
    typed_anywhere = set(standard.metadata_properties) - set(standard.metadata_required())
    return prop if prop in typed_anywhere else ""


def stored(submission: Mapping[str, Any]) -> dict[str, Any] | None:
    """A submission's metadata as stored, or None for one sent before metadata was kept."""
    text = submission.get("metadata")
    return json.loads(text) if text else None


def carried_over(conn: sqlite3.Connection, borough: str) -> tuple[int, dict[str, Any]] | None:
    """The borough's newest accepted survey return with metadata (accepted then, perhaps
    superseded since): its id and the answers a new survey return starts from."""
    from validator import load_standard

    found = next(
        (
            tuple(row)
            for row in conn.execute(
                "SELECT id, type, standard_version, metadata FROM submissions WHERE borough = ?"
                " AND metadata IS NOT NULL AND status IN ('accepted', 'superseded')"
                " ORDER BY id DESC",
                (borough,),
            )
            if is_survey(row[1], row[2])  # type, standard_version
        ),
        None,
    )
    if found is None:
        return None
    id_, kind, version, text = found
    standard, said = load_standard(version), json.loads(text)
    beyond = [p for p in standard.metadata_required(kind) if p not in standard.metadata_required()]
    return id_, {name: said[name] for name in (*beyond, *ALSO_CARRIED_OVER) if name in said}


def weight_total(submission: Mapping[str, Any]) -> float | None:
    """What a stored survey submission says its weights add up to (None: not said)."""
    from validator.standard import WEIGHT_TOTAL

    said = (stored(submission) or {}).get(WEIGHT_TOTAL)
    return float(said) if isinstance(said, int | float) and said > 0 else None
